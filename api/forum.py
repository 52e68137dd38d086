"""Forum: posts with filters, sort and pages; replies; upvotes (idempotent); accepted answers."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec
from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody, Parameter

from api.admin_content import BEARER, run_command
from api.auth import Principal, authenticated
from api.envelope import Envelope, Meta, error_responses, ok
from commands.errors import InvalidInputError, NotFoundError
from commands.forum import Forum, PostDraft, ReplyDraft
from projections.forum import (
    PostDetail,
    PostFilter,
    PostSummary,
    get_post,
    list_posts,
    upvote_count,
)
from projections.runtime import wait_for

VIEWS = ("forum",)
Tag = Annotated[str, msgspec.Meta(min_length=1, max_length=30)]
Markdown = Annotated[str, msgspec.Meta(min_length=1, max_length=50_000)]
TagsQuery = Annotated[
    str | None, Parameter(max_length=400, description="comma-separated tags; all must match")
]


class PostBody(msgspec.Struct, forbid_unknown_fields=True):
    title: Annotated[str, msgspec.Meta(min_length=3, max_length=200, pattern=r"\S")]
    content_markdown: Markdown
    topic_ids: Annotated[list[UUID], msgspec.Meta(max_length=10)] = []
    tags: Annotated[list[Tag], msgspec.Meta(max_length=10)] = []
    related_problem_id: UUID | None = None
    related_lesson_id: UUID | None = None


class SnippetBody(msgspec.Struct, forbid_unknown_fields=True):
    language: Annotated[str, msgspec.Meta(pattern=r"^[a-z][a-z0-9+#.\-]{0,19}$")]
    code: Annotated[str, msgspec.Meta(min_length=1, max_length=20_000)]


class ReplyBody(msgspec.Struct, forbid_unknown_fields=True):
    content_markdown: Markdown
    code_snippet: SnippetBody | None = None
    parent_reply_id: UUID | None = None


class PostCreated(msgspec.Struct):
    post_id: UUID
    created_at: datetime


class ReplyCreated(msgspec.Struct):
    reply_id: UUID
    post_id: UUID
    created_at: datetime


class UpvoteCount(msgspec.Struct):
    post_id: UUID
    upvotes: int
    counted: bool


class AcceptedAnswer(msgspec.Struct):
    post_id: UUID
    reply_id: UUID
    has_accepted_answer: bool


def _forum(request: Request[Any, Any, Any]) -> Forum:
    service: Forum = request.app.state.container.forum
    return service


def _tags(raw: str | None) -> tuple[str, ...]:
    tags = tuple(t.strip().lower() for t in (raw or "").split(",") if t.strip())
    if len(tags) > 10 or any(len(t) > 30 for t in tags):
        raise InvalidInputError("at most 10 tags of up to 30 characters", field="tags")
    return tags


class ForumController(Controller):
    path = "/forum/posts"
    tags = ["forum"]

    @post(
        "/",
        status_code=201,
        guards=[authenticated],
        security=BEARER,
        operation_id="CreateForumPost",
        responses=error_responses(401, 422),
    )
    async def create(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        data: JSONBody[PostBody],
    ) -> Envelope[PostCreated]:
        draft = PostDraft(data.title, data.content_markdown, data.topic_ids, data.tags,
                          data.related_problem_id, data.related_lesson_id)  # fmt: skip
        done = await run_command(
            request, _forum(request).create_post, UUID(principal.user_id), draft, views=VIEWS
        )
        return ok(PostCreated(done.id, done.created_at))

    @get("/", operation_id="ListForumPosts", responses=error_responses(422))
    async def list_all(
        self,
        request: Request[Any, Any, Any],
        topic_id: FromQuery[UUID | None] = None,
        tags: TagsQuery = None,
        problem_id: FromQuery[UUID | None] = None,
        lesson_id: FromQuery[UUID | None] = None,
        author_id: FromQuery[UUID | None] = None,
        sort_by: FromQuery[Literal["recent", "popular", "unanswered"]] = "recent",
        page: Annotated[int, Parameter(ge=1, le=10_000)] = 1,
        limit: Annotated[int, Parameter(ge=1, le=100)] = 20,
    ) -> Envelope[list[PostSummary]]:
        wanted = PostFilter(topic_id, _tags(tags), problem_id, lesson_id, author_id, sort_by)
        rows, total = await list_posts(request.app.state.pool, wanted, limit, (page - 1) * limit)
        return ok(rows, Meta(page=page, limit=limit, total=total))

    @get("/{post_id:uuid}", operation_id="GetForumPost", responses=error_responses(404))
    async def get_one(
        self, request: Request[Any, Any, Any], post_id: FromPath[UUID]
    ) -> Envelope[PostDetail]:
        found = await get_post(request.app.state.pool, post_id)
        if found is None:
            raise NotFoundError("post not found")
        return ok(found)

    @post(
        "/{post_id:uuid}/replies",
        status_code=201,
        guards=[authenticated],
        security=BEARER,
        operation_id="ReplyToForumPost",
        responses=error_responses(401, 404, 422),
    )
    async def reply(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        post_id: FromPath[UUID],
        data: JSONBody[ReplyBody],
    ) -> Envelope[ReplyCreated]:
        snippet = data.code_snippet
        draft = ReplyDraft(data.content_markdown, snippet.language if snippet else None,
                           snippet.code if snippet else None, data.parent_reply_id)  # fmt: skip
        done = await run_command(
            request, _forum(request).reply, post_id, UUID(principal.user_id), draft, views=VIEWS
        )
        return ok(ReplyCreated(done.id, post_id, done.created_at))

    @post(
        "/{post_id:uuid}/upvote",
        status_code=200,
        guards=[authenticated],
        security=BEARER,
        operation_id="UpvoteForumPost",
        responses=error_responses(401, 403, 404),
    )
    async def upvote(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        post_id: FromPath[UUID],
    ) -> Envelope[UpvoteCount]:
        done = await run_command(
            request, _forum(request).upvote, UUID(principal.user_id), post_id, views=VIEWS
        )
        count = await upvote_count(request.app.state.pool, post_id)
        return ok(UpvoteCount(post_id, count, done.counted))

    @post(
        "/{post_id:uuid}/replies/{reply_id:uuid}/accept",
        status_code=200,
        guards=[authenticated],
        security=BEARER,
        operation_id="AcceptForumAnswer",
        responses=error_responses(401, 403, 404, 409),
    )
    async def accept(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        post_id: FromPath[UUID],
        reply_id: FromPath[UUID],
    ) -> Envelope[AcceptedAnswer]:
        service = _forum(request)
        position = await run_command(
            request, service.accept_answer, post_id, reply_id, UUID(principal.user_id), views=()
        )
        await wait_for(request.app.state.pool, "forum", position)
        return ok(AcceptedAnswer(post_id, reply_id, True))
