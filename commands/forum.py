"""Forum use cases: posting, replying, upvoting (once per user and post), accepting answers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID, uuid4

from eventsourcing.persistence import IntegrityError

from commands.app import CodeQuest
from commands.errors import ConflictError, ForbiddenError, InvalidInputError, NotFoundError
from commands.ports import Clock
from domain.content import Lesson, Problem, Topic
from domain.forum import (
    ForumPost,
    ForumReply,
    InvalidTagError,
    NotPostAuthorError,
    OwnPostUpvoteError,
    PostUpvote,
    ReplyElsewhereError,
    normalize_tags,
    upvote_id,
)


@dataclass(frozen=True)
class Written:
    id: UUID
    created_at: datetime
    position: int


@dataclass(frozen=True)
class Upvoted:
    post_id: UUID
    counted: bool  # False: this user's upvote was already counted
    position: int


@dataclass(frozen=True)
class PostDraft:
    title: str
    content_markdown: str
    topic_ids: list[UUID]
    tags: list[str]
    related_problem_id: UUID | None = None
    related_lesson_id: UUID | None = None


@dataclass(frozen=True)
class ReplyDraft:
    content_markdown: str
    code_language: str | None = None
    code: str | None = None
    parent_reply_id: UUID | None = None


class Forum:
    def __init__(self, app: CodeQuest, clock: Clock) -> None:
        self.app = app
        self.clock = clock

    def create_post(self, author_id: UUID, draft: PostDraft) -> Written:
        try:
            tags = normalize_tags(draft.tags)
        except InvalidTagError as exc:
            raise InvalidInputError(str(exc), field="tags") from None
        topic_ids = list(dict.fromkeys(draft.topic_ids))
        for topic_id in topic_ids:
            self._published(topic_id, Topic, "topic_ids")
        if draft.related_problem_id is not None:
            self._published(draft.related_problem_id, Problem, "related_problem_id")
        if draft.related_lesson_id is not None:
            self._published(draft.related_lesson_id, Lesson, "related_lesson_id")
        post = ForumPost(
            uuid4(), author_id, draft.title.strip(), draft.content_markdown, topic_ids, tags,
            draft.related_problem_id, draft.related_lesson_id, self.clock.now(),
        )  # fmt: skip
        return Written(post.id, post.created_at, self.app.commit(post))

    def reply(self, post_id: UUID, author_id: UUID, draft: ReplyDraft) -> Written:
        post = self._post(post_id)
        if draft.parent_reply_id is not None:
            parent = self.app.find(draft.parent_reply_id)
            if not isinstance(parent, ForumReply) or parent.post_id != post.id:
                raise InvalidInputError("no such reply on this post", field="parent_reply_id")
        reply = ForumReply(
            uuid4(), post.id, author_id, draft.content_markdown, draft.code_language, draft.code,
            draft.parent_reply_id, self.clock.now(),
        )  # fmt: skip
        return Written(reply.id, reply.created_at, self.app.commit(reply))

    def upvote(self, user_id: UUID, post_id: UUID) -> Upvoted:
        """Count the user's upvote once; a repeat (or a lost race) answers counted=False."""
        post = self._post(post_id)
        if self.app.find(upvote_id(user_id, post.id)) is not None:
            return Upvoted(post.id, False, self.app.head())
        try:
            vote = PostUpvote.cast(user_id, post, self.clock.now())
        except OwnPostUpvoteError as exc:
            raise ForbiddenError(str(exc)) from None
        try:
            return Upvoted(post.id, True, self.app.commit(vote))
        except IntegrityError:  # the same user's concurrent upvote won
            return Upvoted(post.id, False, self.app.head())

    def accept_answer(self, post_id: UUID, reply_id: UUID, by: UUID) -> int:
        post = self._post(post_id)
        reply = self.app.find(reply_id)
        if not isinstance(reply, ForumReply):
            raise NotFoundError("reply not found")
        try:
            post.accept(reply, by)
        except NotPostAuthorError as exc:
            raise ForbiddenError(str(exc)) from None
        except ReplyElsewhereError:
            raise NotFoundError("reply not found") from None
        try:
            return self.app.commit(post) if post.pending_events else self.app.head()
        except IntegrityError:
            raise ConflictError("The post changed meanwhile; please retry") from None

    def _post(self, post_id: UUID) -> ForumPost:
        post = self.app.find(post_id)
        if not isinstance(post, ForumPost):
            raise NotFoundError("post not found")
        return post

    def _published(self, item_id: UUID, kind: type, field: str) -> None:
        item = self.app.find(item_id)
        if not isinstance(item, kind) or not getattr(item, "published", False):
            raise InvalidInputError(f"unknown {kind.__name__.lower()} {item_id}", field=field)
