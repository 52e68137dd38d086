"""Approval of authored content (/admin/content), and the helpers every content controller uses."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal, TypeVar
from uuid import UUID

import anyio.to_thread
import msgspec
from litestar import Controller, Request, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from api.auth import Principal, requires
from api.envelope import Envelope, error_responses, ok
from commands.content import Actor, Content
from domain.shared import Permission
from projections.runtime import wait_for

BEARER = [{"BearerToken": []}]
R = TypeVar("R")
VIEW_WAIT_S = 5.0


def actor_of(principal: Principal) -> Actor:
    return Actor(user_id=UUID(principal.user_id), role=principal.role)


def sees_drafts(principal: Principal | None) -> bool:
    """Authors (instructors, partners, admins) see unpublished content; learners never do."""
    return principal is not None and principal.can(Permission.MANAGE_CONTENT)


def user_of(principal: Principal | None) -> UUID | None:
    return UUID(principal.user_id) if principal is not None else None


def content_service(request: Request[Any, Any, Any]) -> Content:
    service: Content = request.app.state.container.content
    return service


async def run_command(
    request: Request[Any, Any, Any],
    fn: Callable[..., R],
    *args: Any,
    views: tuple[str, ...] = ("catalog",),
) -> R:
    """Run a sync command in a worker thread, then let the views catch up with its position
    so the caller's next read shows its own write."""
    result = await anyio.to_thread.run_sync(lambda: fn(*args))
    position = getattr(result, "position", 0)
    for view in views:
        await wait_for(request.app.state.pool, view, position, timeout=VIEW_WAIT_S)
    return result


def given(data: msgspec.Struct) -> dict[str, Any]:
    """The fields a PATCH body actually carries (left-out fields are UNSET)."""
    return {
        f: getattr(data, f) for f in data.__struct_fields__ if getattr(data, f) is not msgspec.UNSET
    }


class ApproveBody(msgspec.Struct, forbid_unknown_fields=True):
    notes: Annotated[str, msgspec.Meta(max_length=2000)] = ""


class Approved(msgspec.Struct):
    id: UUID
    content_type: str
    is_published: bool
    notes: str


class AdminContentController(Controller):
    path = "/admin/content"
    tags = ["admin"]
    guards = [requires(Permission.APPROVE_CONTENT)]
    security = BEARER

    @post(
        "/{content_type:str}/{content_id:uuid}/approve",
        status_code=200,
        operation_id="ApproveContent",
        responses=error_responses(401, 403, 404, 409, 422),
    )
    async def approve(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        content_type: FromPath[Literal["topic", "lesson", "problem", "quiz"]],
        content_id: FromPath[UUID],
        data: JSONBody[ApproveBody | None] = None,
    ) -> Envelope[Approved]:
        notes = data.notes if data is not None else ""
        service = content_service(request)
        await run_command(
            request, service.approve, actor_of(principal), content_type, content_id, notes
        )
        return ok(Approved(content_id, content_type, True, notes))
