"""The forum: posts, replies (with an optional code snippet), upvotes and accepted answers.

Upvotes are one aggregate per user and post (id = upvote_id), so a second upvote of the same
post never counts twice, even when two arrive at once.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.shared import DomainError

FORUM_NAMESPACE = UUID("9a7e4c2b-1d3f-4e5a-8b6c-7d8e9f0a1b2c")
TAG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9+#.\-]{0,29}$")
MAX_TAGS = 10


class ForumError(DomainError):
    """Base of the forum's invariant violations."""


class NotPostAuthorError(ForumError):
    """Only the post's author may accept an answer."""


class ReplyElsewhereError(ForumError):
    """The reply belongs to another post."""


class OwnPostUpvoteError(ForumError):
    """Authors cannot upvote their own posts."""


class InvalidTagError(ForumError):
    """A tag outside the allowed alphabet or length."""


def normalize_tags(raw: list[str]) -> list[str]:
    """Lowercase, stripped, de-duplicated tags in their given order; InvalidTagError if bad."""
    tags: list[str] = []
    for tag in (t.strip().lower() for t in raw):
        if not TAG_PATTERN.match(tag):
            raise InvalidTagError(f"Invalid tag {tag!r}: 1-30 of a-z 0-9 + # . -")
        if tag not in tags:
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise InvalidTagError(f"At most {MAX_TAGS} tags")
    return tags


def upvote_id(user_id: UUID, post_id: UUID) -> UUID:
    return uuid.uuid5(FORUM_NAMESPACE, f"upvote:post:{user_id}:{post_id}")


class ForumPost(Aggregate):
    """A question or discussion opened by a user."""

    @event("Created")
    def __init__(
        self,
        id: UUID,
        author_id: UUID,
        title: str,
        content_markdown: str,
        topic_ids: list[UUID],
        tags: list[str],
        related_problem_id: UUID | None,
        related_lesson_id: UUID | None,
        created_at: datetime,
    ) -> None:
        self.author_id, self.title, self.content_markdown = author_id, title, content_markdown
        self.topic_ids, self.tags = topic_ids, tags
        self.related_problem_id, self.related_lesson_id = related_problem_id, related_lesson_id
        self.created_at = created_at
        self.accepted_reply_id: UUID | None = None

    def accept(self, reply: ForumReply, by: UUID) -> None:
        """Mark a reply as the accepted answer (moving it from a previous one)."""
        if by != self.author_id:
            raise NotPostAuthorError("Only the author of the post can accept an answer")
        if reply.post_id != self.id:
            raise ReplyElsewhereError("reply not found")
        if reply.id != self.accepted_reply_id:
            self._accept(reply.id, self.accepted_reply_id, by)

    @event("AnswerAccepted")
    def _accept(self, reply_id: UUID, previous_reply_id: UUID | None, by: UUID) -> None:
        self.accepted_reply_id = reply_id


class ForumReply(Aggregate):
    """An answer to a post, or to another reply of the same post."""

    @event("Created")
    def __init__(
        self,
        id: UUID,
        post_id: UUID,
        author_id: UUID,
        content_markdown: str,
        code_language: str | None,
        code: str | None,
        parent_reply_id: UUID | None,
        created_at: datetime,
    ) -> None:
        self.post_id, self.author_id, self.content_markdown = post_id, author_id, content_markdown
        self.code_language, self.code = code_language, code
        self.parent_reply_id, self.created_at = parent_reply_id, created_at


class PostUpvote(Aggregate):
    """One user's upvote of one post (id = upvote_id(user, post))."""

    @event("Cast")
    def __init__(
        self, id: UUID, user_id: UUID, post_id: UUID, post_author_id: UUID, cast_at: datetime
    ) -> None:
        self.user_id, self.post_id, self.post_author_id = user_id, post_id, post_author_id
        self.cast_at = cast_at

    @classmethod
    def cast(cls, user_id: UUID, post: ForumPost, at: datetime) -> PostUpvote:
        if user_id == post.author_id:
            raise OwnPostUpvoteError("You cannot upvote your own post")
        return cls(upvote_id(user_id, post.id), user_id, post.id, post.author_id, at)
