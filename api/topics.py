"""Topics: the hierarchy, one topic's content, authoring and instructor assignment."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Controller, Request, get, patch, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from api.admin_content import (
    BEARER,
    actor_of,
    content_service,
    given,
    run_command,
    sees_drafts,
)
from api.auth import Principal, requires
from api.envelope import Envelope, error_responses, ok
from commands.content import TopicFields
from commands.errors import NotFoundError
from domain.shared import Permission
from projections.catalog import TopicDetail, TopicNode, get_topic, topic_tree

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
Slug = Annotated[str, msgspec.Meta(min_length=1, max_length=100, pattern=SLUG_PATTERN)]
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Description = Annotated[str, msgspec.Meta(max_length=10_000)]
IconUrl = Annotated[str, msgspec.Meta(max_length=2000, pattern=r"^https?://\S+$")]
Order = Annotated[int, msgspec.Meta(ge=0, le=100_000)]


class TopicCreate(msgspec.Struct, forbid_unknown_fields=True):
    name: Name
    slug: Slug
    description: Description = ""
    icon_url: IconUrl | None = None
    parent_id: UUID | None = None
    order: Order = 0


class TopicUpdate(msgspec.Struct, forbid_unknown_fields=True):
    """Fields left out stay as they are; ``parent_id: null`` makes the topic a root."""

    name: Name | msgspec.UnsetType = msgspec.UNSET
    slug: Slug | msgspec.UnsetType = msgspec.UNSET
    description: Description | msgspec.UnsetType = msgspec.UNSET
    icon_url: IconUrl | msgspec.UnsetType | None = msgspec.UNSET
    parent_id: UUID | msgspec.UnsetType | None = msgspec.UNSET
    order: Order | msgspec.UnsetType = msgspec.UNSET


class InstructorsBody(msgspec.Struct, forbid_unknown_fields=True):
    instructor_ids: Annotated[list[UUID], msgspec.Meta(max_length=100)]


class ContentWritten(msgspec.Struct):
    id: UUID
    slug: str | None = None
    created_at: datetime | None = None


class InstructorsAssigned(msgspec.Struct):
    id: UUID
    instructor_ids: list[UUID]


class TopicsController(Controller):
    path = "/topics"
    tags = ["topics"]

    @get("/", operation_id="ListTopics")
    async def list_topics(
        self, request: Request[Any, Any, Any], maybe_principal: NamedDependency[Principal | None]
    ) -> Envelope[list[TopicNode]]:
        state = request.app.state
        return ok(await topic_tree(state.pool, state.redis, sees_drafts(maybe_principal)))

    @get("/{topic_id:uuid}", operation_id="GetTopic", responses=error_responses(404))
    async def get_one(
        self,
        request: Request[Any, Any, Any],
        topic_id: FromPath[UUID],
        maybe_principal: NamedDependency[Principal | None],
    ) -> Envelope[TopicDetail]:
        topic = await get_topic(request.app.state.pool, topic_id, sees_drafts(maybe_principal))
        if topic is None:
            raise NotFoundError("topic not found")
        return ok(topic)

    @post(
        "/",
        status_code=201,
        guards=[requires(Permission.MANAGE_CONTENT)],
        security=BEARER,
        operation_id="CreateTopic",
        responses=error_responses(401, 403, 409, 422),
    )
    async def create(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        data: JSONBody[TopicCreate],
    ) -> Envelope[ContentWritten]:
        fields = TopicFields(**msgspec.structs.asdict(data))
        service = content_service(request)
        done = await run_command(request, service.create_topic, actor_of(principal), fields)
        return ok(ContentWritten(done.id, data.slug, done.created_at))

    @patch(
        "/{topic_id:uuid}",
        guards=[requires(Permission.MANAGE_CONTENT)],
        security=BEARER,
        operation_id="UpdateTopic",
        responses=error_responses(401, 403, 404, 409, 422),
    )
    async def update(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        topic_id: FromPath[UUID],
        data: JSONBody[TopicUpdate],
    ) -> Envelope[ContentWritten]:
        service = content_service(request)
        done = await run_command(
            request, service.update_topic, actor_of(principal), topic_id, given(data)
        )
        return ok(ContentWritten(done.id))

    @put(
        "/{topic_id:uuid}/instructors",
        guards=[requires(Permission.APPROVE_CONTENT)],
        security=BEARER,
        operation_id="AssignTopicInstructors",
        responses=error_responses(401, 403, 404, 422),
    )
    async def assign(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        topic_id: FromPath[UUID],
        data: JSONBody[InstructorsBody],
    ) -> Envelope[InstructorsAssigned]:
        service = content_service(request)
        ids = list(dict.fromkeys(data.instructor_ids))
        await run_command(request, service.assign_instructors, actor_of(principal), topic_id, ids)
        return ok(InstructorsAssigned(topic_id, ids))
