"""Forum read model (forum_posts, forum_replies, forum_votes, reputation) and its queries.

Reputation: +10 for each upvote a user's posts receive, +15 while one of their replies is an
accepted answer to someone else's post.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import singledispatchmethod
from typing import Any
from uuid import UUID

import msgspec
from psycopg.types.json import Jsonb

from domain.forum import ForumPost, ForumReply, PostUpvote
from projections.interviews import names_of
from projections.runtime import Batch, Projector

UPVOTE_REPUTATION, ACCEPTED_REPUTATION = 10, 15

DDL = (
    """CREATE TABLE IF NOT EXISTS forum_posts (
        id uuid PRIMARY KEY,
        author_id uuid NOT NULL,
        title text NOT NULL,
        content_markdown text NOT NULL,
        topic_ids uuid[] NOT NULL DEFAULT '{}',
        tags jsonb NOT NULL DEFAULT '[]',
        related_problem_id uuid,
        related_lesson_id uuid,
        upvotes int NOT NULL DEFAULT 0,
        reply_count int NOT NULL DEFAULT 0,
        has_accepted_answer boolean NOT NULL DEFAULT false,
        accepted_reply_id uuid,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS idx_forum_posts_created ON forum_posts(created_at DESC, id)",
    "CREATE INDEX IF NOT EXISTS idx_forum_posts_upvotes ON forum_posts(upvotes DESC)",
    "CREATE INDEX IF NOT EXISTS idx_forum_posts_tags ON forum_posts USING gin(tags)",
    "CREATE INDEX IF NOT EXISTS idx_forum_posts_topics ON forum_posts USING gin(topic_ids)",
    """CREATE TABLE IF NOT EXISTS forum_replies (
        id uuid PRIMARY KEY,
        post_id uuid NOT NULL,
        author_id uuid NOT NULL,
        parent_reply_id uuid,
        content_markdown text NOT NULL,
        code_snippet jsonb,
        upvotes int NOT NULL DEFAULT 0,
        is_accepted_answer boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS idx_forum_replies_post ON forum_replies(post_id, created_at)",
    """CREATE TABLE IF NOT EXISTS forum_votes (
        user_id uuid NOT NULL,
        votable_type text NOT NULL,
        votable_id uuid NOT NULL,
        vote_type text NOT NULL,
        created_at timestamptz NOT NULL,
        PRIMARY KEY (user_id, votable_type, votable_id))""",
    """CREATE TABLE IF NOT EXISTS forum_reputation (
        user_id uuid PRIMARY KEY,
        reputation int NOT NULL DEFAULT 0)""",
)

ADD_REPUTATION = """
INSERT INTO forum_reputation (user_id, reputation) VALUES (%s, %s)
ON CONFLICT (user_id) DO UPDATE
  SET reputation = forum_reputation.reputation + EXCLUDED.reputation"""


class ForumProjector(Projector):
    name = "forum"
    tables = ("forum_posts", "forum_replies", "forum_votes", "forum_reputation")
    ddl = DDL
    topics = (ForumPost.Created, ForumPost.AnswerAccepted, ForumReply.Created, PostUpvote.Cast)

    @singledispatchmethod
    def apply(self, event: object, batch: Batch) -> None:
        """Events of no interest are ignored."""

    @apply.register
    def _posted(self, e: ForumPost.Created, batch: Batch) -> None:
        batch.cursor.execute(
            "INSERT INTO forum_posts (id, author_id, title, content_markdown, topic_ids, tags,"
            " related_problem_id, related_lesson_id, created_at, updated_at)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (id) DO NOTHING",
            (
                e.originator_id, e.author_id, e.title, e.content_markdown, list(e.topic_ids),
                Jsonb(list(e.tags)), e.related_problem_id, e.related_lesson_id, e.created_at,
                e.created_at,
            ),
        )  # fmt: skip

    @apply.register
    def _replied(self, e: ForumReply.Created, batch: Batch) -> None:
        snippet = Jsonb({"language": e.code_language, "code": e.code}) if e.code else None
        batch.cursor.execute(
            "INSERT INTO forum_replies (id, post_id, author_id, parent_reply_id,"
            " content_markdown, code_snippet, created_at) VALUES (%s, %s, %s, %s, %s, %s, %s)",
            (e.originator_id, e.post_id, e.author_id, e.parent_reply_id, e.content_markdown,
             snippet, e.created_at),
        )  # fmt: skip
        batch.cursor.execute(
            "UPDATE forum_posts SET reply_count = reply_count + 1, updated_at = %s WHERE id = %s",
            (e.created_at, e.post_id),
        )

    @apply.register
    def _upvoted(self, e: PostUpvote.Cast, batch: Batch) -> None:
        batch.cursor.execute(
            "INSERT INTO forum_votes (user_id, votable_type, votable_id, vote_type, created_at)"
            " VALUES (%s, 'post', %s, 'upvote', %s)",
            (e.user_id, e.post_id, e.cast_at),
        )
        batch.cursor.execute(
            "UPDATE forum_posts SET upvotes = upvotes + 1 WHERE id = %s", (e.post_id,)
        )
        batch.cursor.execute(ADD_REPUTATION, (e.post_author_id, UPVOTE_REPUTATION))

    @apply.register
    def _accepted(self, e: ForumPost.AnswerAccepted, batch: Batch) -> None:
        if e.previous_reply_id is not None:
            self._mark(batch, e.previous_reply_id, False, -ACCEPTED_REPUTATION)
        self._mark(batch, e.reply_id, True, ACCEPTED_REPUTATION)
        batch.cursor.execute(
            "UPDATE forum_posts SET has_accepted_answer = true, accepted_reply_id = %s,"
            " updated_at = %s WHERE id = %s",
            (e.reply_id, e.timestamp, e.originator_id),
        )

    @staticmethod
    def _mark(batch: Batch, reply_id: UUID, accepted: bool, reputation: int) -> None:
        batch.cursor.execute(
            "UPDATE forum_replies r SET is_accepted_answer = %s FROM forum_posts p"
            " WHERE r.id = %s AND p.id = r.post_id RETURNING r.author_id, p.author_id AS op",
            (accepted, reply_id),
        )
        row = batch.cursor.fetchone()
        if row is not None and row["author_id"] != row["op"]:
            batch.cursor.execute(ADD_REPUTATION, (row["author_id"], reputation))


# --- queries ---------------------------------------------------------------------------------


class Author(msgspec.Struct):
    id: UUID
    display_name: str
    reputation: int


class PostSummary(msgspec.Struct):
    id: UUID
    title: str
    author: Author
    created_at: datetime
    reply_count: int
    upvotes: int
    has_accepted_answer: bool
    tags: list[str]
    topic_ids: list[UUID]
    related_problem_id: UUID | None
    related_lesson_id: UUID | None


class CodeSnippet(msgspec.Struct):
    language: str | None
    code: str


class Reply(msgspec.Struct):
    id: UUID
    author: Author
    parent_reply_id: UUID | None
    content_markdown: str
    code_snippet: CodeSnippet | None
    is_accepted_answer: bool
    created_at: datetime


class PostDetail(msgspec.Struct):
    id: UUID
    title: str
    content_markdown: str
    author: Author
    created_at: datetime
    updated_at: datetime
    reply_count: int
    upvotes: int
    has_accepted_answer: bool
    accepted_reply_id: UUID | None
    tags: list[str]
    topic_ids: list[UUID]
    related_problem_id: UUID | None
    related_lesson_id: UUID | None
    replies: list[Reply]


@dataclass(frozen=True)
class PostFilter:
    topic_id: UUID | None = None
    tags: tuple[str, ...] = ()
    problem_id: UUID | None = None
    lesson_id: UUID | None = None
    author_id: UUID | None = None
    sort_by: str = "recent"


ORDERS = {
    "recent": "p.created_at DESC, p.id",
    "popular": "p.upvotes DESC, p.reply_count DESC, p.created_at DESC, p.id",
    "unanswered": "p.created_at DESC, p.id",
}
POST_COLUMNS = (
    "p.id, p.title, p.author_id, p.created_at, p.reply_count, p.upvotes,"
    " p.has_accepted_answer, p.tags, p.topic_ids, p.related_problem_id, p.related_lesson_id,"
    " COALESCE(r.reputation, 0) AS reputation"
)


def _where(f: PostFilter) -> tuple[str, list[Any]]:
    clauses, params = ["TRUE"], []
    for clause, value in (
        ("%s = ANY(p.topic_ids)", f.topic_id),
        ("p.related_problem_id = %s", f.problem_id),
        ("p.related_lesson_id = %s", f.lesson_id),
        ("p.author_id = %s", f.author_id),
    ):
        if value is not None:
            clauses.append(clause)
            params.append(value)
    if f.tags:
        clauses.append("p.tags @> %s")
        params.append(Jsonb(list(f.tags)))
    if f.sort_by == "unanswered":
        clauses.append("p.reply_count = 0")
    return " AND ".join(clauses), params


async def list_posts(
    pool: Any, f: PostFilter, limit: int, offset: int
) -> tuple[list[PostSummary], int]:
    """A page of posts matching the filter (all given tags must be present) and the total."""
    where, params = _where(f)
    async with pool.connection() as conn:
        cur = await conn.execute(
            f"SELECT {POST_COLUMNS}, count(*) OVER () AS total FROM forum_posts p"
            f" LEFT JOIN forum_reputation r ON r.user_id = p.author_id WHERE {where}"
            f" ORDER BY {ORDERS[f.sort_by]} LIMIT %s OFFSET %s",
            (*params, limit, offset),
        )
        rows = await cur.fetchall()
        names = await names_of(conn, list({r["author_id"] for r in rows}))
    total = int(rows[0]["total"]) if rows else 0
    return [_summary(r, names) for r in rows], total


def _author(row: dict[str, Any], names: dict[UUID, str]) -> Author:
    return Author(row["author_id"], names[row["author_id"]], int(row["reputation"]))


def _summary(row: dict[str, Any], names: dict[UUID, str]) -> PostSummary:
    return PostSummary(
        row["id"], row["title"], _author(row, names), row["created_at"], row["reply_count"],
        row["upvotes"], row["has_accepted_answer"], list(row["tags"]), list(row["topic_ids"]),
        row["related_problem_id"], row["related_lesson_id"],
    )  # fmt: skip


async def get_post(pool: Any, post_id: UUID) -> PostDetail | None:
    """One post with its replies (oldest first), or None."""
    async with pool.connection() as conn:
        cur = await conn.execute(
            "SELECT p.*, COALESCE(r.reputation, 0) AS reputation FROM forum_posts p"
            " LEFT JOIN forum_reputation r ON r.user_id = p.author_id WHERE p.id = %s",
            (post_id,),
        )
        post = await cur.fetchone()
        if post is None:
            return None
        cur = await conn.execute(
            "SELECT x.*, COALESCE(r.reputation, 0) AS reputation FROM forum_replies x"
            " LEFT JOIN forum_reputation r ON r.user_id = x.author_id"
            " WHERE x.post_id = %s ORDER BY x.created_at, x.id",
            (post_id,),
        )
        replies = await cur.fetchall()
        names = await names_of(conn, list({post["author_id"], *(r["author_id"] for r in replies)}))
    return PostDetail(
        post["id"], post["title"], post["content_markdown"], _author(post, names),
        post["created_at"], post["updated_at"], post["reply_count"], post["upvotes"],
        post["has_accepted_answer"], post["accepted_reply_id"], list(post["tags"]),
        list(post["topic_ids"]), post["related_problem_id"], post["related_lesson_id"],
        [_reply(r, names) for r in replies],
    )  # fmt: skip


def _reply(row: dict[str, Any], names: dict[UUID, str]) -> Reply:
    snippet = msgspec.convert(row["code_snippet"], CodeSnippet) if row["code_snippet"] else None
    return Reply(
        row["id"], _author(row, names), row["parent_reply_id"], row["content_markdown"], snippet,
        row["is_accepted_answer"], row["created_at"],
    )  # fmt: skip


async def upvote_count(pool: Any, post_id: UUID) -> int:
    async with pool.connection() as conn:
        cur = await conn.execute("SELECT upvotes FROM forum_posts WHERE id = %s", (post_id,))
        row = await cur.fetchone()
    return int(row["upvotes"]) if row else 0
