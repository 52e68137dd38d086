"""Organizations (business partners): creation, members and their management, analytics."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec
from litestar import Controller, Request, delete, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody, Parameter

from api.admin_content import BEARER, run_command
from api.auth import Principal, authenticated, requires
from api.envelope import Envelope, Meta, error_responses, ok
from commands.errors import ForbiddenError, InvalidInputError, NotFoundError
from commands.organizations import Organizations, OrgCaller, OrgSettings
from domain.shared import Permission, Role
from projections.organizations import (
    Analytics,
    Member,
    OrganizationView,
    get_analytics,
    get_organization,
    list_members,
    member_role,
)
from projections.runtime import wait_for

VIEWS = ("organizations",)
DEFAULT_RANGE_DAYS = 30
MAX_RANGE_DAYS = 366
OrgRole = Literal["owner", "instructor", "learner"]
Domain = Annotated[str, msgspec.Meta(pattern=r"^[a-z0-9-]+(\.[a-z0-9-]+)+$", max_length=253)]


class SettingsBody(msgspec.Struct, forbid_unknown_fields=True):
    allow_public_join: bool = False
    require_approval: bool = True


class OrganizationBody(msgspec.Struct, forbid_unknown_fields=True):
    name: Annotated[str, msgspec.Meta(min_length=2, max_length=200, pattern=r"\S")]
    slug: Annotated[str, msgspec.Meta(min_length=1, max_length=64)] | None = None
    domain: Domain | None = None
    settings: SettingsBody = msgspec.field(default_factory=SettingsBody)


class MemberBody(msgspec.Struct, forbid_unknown_fields=True):
    """Exactly one of ``user_id`` and ``email``."""

    role: OrgRole = "learner"
    user_id: UUID | None = None
    email: Annotated[str, msgspec.Meta(min_length=3, max_length=254)] | None = None


class MembershipView(msgspec.Struct):
    organization_id: UUID
    user_id: UUID
    role: str
    added: bool


class Removed(msgspec.Struct):
    organization_id: UUID
    user_id: UUID
    removed: bool


def _orgs(request: Request[Any, Any, Any]) -> Organizations:
    service: Organizations = request.app.state.container.organizations
    return service


def _caller(principal: Principal) -> OrgCaller:
    return OrgCaller(UUID(principal.user_id), principal.role == Role.ADMIN.value)


async def _org_role(request: Request[Any, Any, Any], org_id: UUID, principal: Principal) -> str:
    """The caller's role in the org ('admin' for administrators); 404 to outsiders."""
    pool = request.app.state.pool
    if await get_organization(pool, org_id) is None:
        raise NotFoundError("organization not found")
    if principal.role == Role.ADMIN.value:
        return "admin"
    role = await member_role(pool, org_id, UUID(principal.user_id))
    if role is None:
        raise NotFoundError("organization not found")
    return role


def _range(start: date | None, end: date | None) -> tuple[date, date]:
    end = end or datetime.now(UTC).date()
    start = start or end - timedelta(days=DEFAULT_RANGE_DAYS - 1)
    if start > end:
        raise InvalidInputError("start_date must not be after end_date", field="start_date")
    if (end - start).days >= MAX_RANGE_DAYS:
        raise InvalidInputError("the range is at most 366 days", field="start_date")
    return start, end


class OrganizationsController(Controller):
    path = "/organizations"
    tags = ["organizations"]
    security = BEARER

    @post(
        "/",
        status_code=201,
        guards=[requires(Permission.MANAGE_ORGANIZATION)],
        operation_id="CreateOrganization",
        responses=error_responses(401, 403, 409, 422),
    )
    async def create(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        data: JSONBody[OrganizationBody],
    ) -> Envelope[OrganizationView]:
        wanted = OrgSettings(data.name, data.slug, data.domain, data.settings.allow_public_join,
                             data.settings.require_approval)  # fmt: skip
        done = await run_command(request, _orgs(request).create, _caller(principal), wanted,
                                 views=VIEWS)  # fmt: skip
        found = await get_organization(request.app.state.pool, done.id)
        assert found is not None
        return ok(found)

    @get(
        "/{org_id:uuid}",
        guards=[authenticated],
        operation_id="GetOrganization",
        responses=error_responses(401, 404),
    )
    async def get_one(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        org_id: FromPath[UUID],
    ) -> Envelope[OrganizationView]:
        await _org_role(request, org_id, principal)
        found = await get_organization(request.app.state.pool, org_id)
        assert found is not None
        return ok(found)

    @get(
        "/{org_id:uuid}/members",
        guards=[authenticated],
        operation_id="ListOrganizationMembers",
        responses=error_responses(401, 403, 404, 422),
    )
    async def members(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        org_id: FromPath[UUID],
        page: Annotated[int, Parameter(ge=1, le=10_000)] = 1,
        limit: Annotated[int, Parameter(ge=1, le=100)] = 50,
    ) -> Envelope[list[Member]]:
        if await _org_role(request, org_id, principal) == "learner":
            raise ForbiddenError("Only the organization's owners and instructors see its members")
        rows, total = await list_members(request.app.state.pool, org_id, limit, (page - 1) * limit)
        return ok(rows, Meta(page=page, limit=limit, total=total))

    @post(
        "/{org_id:uuid}/members",
        status_code=201,
        guards=[requires(Permission.MANAGE_ORGANIZATION)],
        operation_id="AddOrganizationMember",
        responses=error_responses(401, 403, 404, 409, 422),
    )
    async def add_member(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        org_id: FromPath[UUID],
        data: JSONBody[MemberBody],
    ) -> Envelope[MembershipView]:
        done = await run_command(
            request, _orgs(request).add_member, _caller(principal), org_id, data.role,
            data.user_id, data.email, views=VIEWS,
        )  # fmt: skip
        return ok(MembershipView(done.organization_id, done.user_id, done.role, done.added))

    @delete(
        "/{org_id:uuid}/members/{user_id:uuid}",
        status_code=200,
        guards=[requires(Permission.MANAGE_ORGANIZATION)],
        operation_id="RemoveOrganizationMember",
        responses=error_responses(401, 403, 404, 409),
    )
    async def remove_member(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        org_id: FromPath[UUID],
        user_id: FromPath[UUID],
    ) -> Envelope[Removed]:
        position = await run_command(
            request, _orgs(request).remove_member, _caller(principal), org_id, user_id, views=()
        )
        await wait_for(request.app.state.pool, "organizations", position)
        return ok(Removed(org_id, user_id, True))

    @get(
        "/{org_id:uuid}/analytics",
        guards=[requires(Permission.ORG_ANALYTICS)],
        operation_id="GetOrganizationAnalytics",
        responses=error_responses(401, 403, 404, 422),
    )
    async def analytics(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        org_id: FromPath[UUID],
        start_date: FromQuery[date | None] = None,
        end_date: FromQuery[date | None] = None,
    ) -> Envelope[Analytics]:
        if await _org_role(request, org_id, principal) not in ("owner", "admin"):
            raise ForbiddenError("Only the organization's owners see its analytics")
        start, end = _range(start_date, end_date)
        now = datetime.now(UTC)
        return ok(await get_analytics(request.app.state.pool, org_id, start, end, now))
