"""Organization use cases: creating one (its creator becomes owner) and managing members."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID, uuid4

from eventsourcing.persistence import IntegrityError

from commands.app import CodeQuest
from commands.errors import ConflictError, ForbiddenError, InvalidInputError, NotFoundError
from commands.interviews import retrying
from commands.ports import Clock
from domain.accounts import EmailIndex, User
from domain.organizations import (
    OWNER,
    SLUG_PATTERN,
    InvalidOrgRoleError,
    LastOwnerError,
    NotMemberError,
    Organization,
    OrganizationSlug,
    slugify,
)


@dataclass(frozen=True)
class OrgCaller:
    """Who manages: their user id, and whether their platform role is an administrator."""

    user_id: UUID
    is_admin: bool = False


@dataclass(frozen=True)
class OrgSettings:
    name: str
    slug: str | None = None
    domain: str | None = None
    allow_public_join: bool = False
    require_approval: bool = True


@dataclass(frozen=True)
class Created:
    id: UUID
    slug: str
    created_at: datetime
    position: int


@dataclass(frozen=True)
class Membership:
    organization_id: UUID
    user_id: UUID
    role: str
    added: bool
    position: int


class Organizations:
    def __init__(self, app: CodeQuest, clock: Clock) -> None:
        self.app = app
        self.clock = clock

    def create(self, caller: OrgCaller, wanted: OrgSettings) -> Created:
        slug = wanted.slug or slugify(wanted.name)
        if not SLUG_PATTERN.match(slug):
            field = "slug" if wanted.slug else "name"
            raise InvalidInputError("slug must be 1-64 of a-z, 0-9 and inner hyphens", field=field)
        index_id = OrganizationSlug.id_for(slug)
        if self.app.find(index_id) is not None:
            raise ConflictError(f"The slug {slug!r} is taken", field="slug")
        now = self.clock.now()
        org = Organization(
            uuid4(), wanted.name.strip(), slug, wanted.domain, wanted.allow_public_join,
            wanted.require_approval, caller.user_id, now,
        )  # fmt: skip
        org.add_member(caller.user_id, OWNER, caller.user_id, now)
        try:
            position = self.app.commit(org, OrganizationSlug(index_id, org.id))
        except IntegrityError:  # a concurrent creation claimed the slug first
            raise ConflictError(f"The slug {slug!r} is taken", field="slug") from None
        return Created(org.id, slug, now, position)

    def add_member(
        self,
        caller: OrgCaller,
        org_id: UUID,
        role: str,
        user_id: UUID | None = None,
        email: str | None = None,
    ) -> Membership:
        """Add a user (by id or e-mail) with a role in the org, or change their role."""
        member = self._resolve(user_id, email)
        return retrying(lambda: self._add_once(caller, org_id, member, role))

    def _add_once(self, caller: OrgCaller, org_id: UUID, member: UUID, role: str) -> Membership:
        org = self._managed(caller, org_id)
        try:
            added = org.add_member(member, role, caller.user_id, self.clock.now())
        except InvalidOrgRoleError as exc:
            raise InvalidInputError(str(exc), field="role") from None
        except LastOwnerError as exc:
            raise ConflictError(str(exc)) from None
        position = self.app.commit(org) if org.pending_events else self.app.head()
        return Membership(org.id, member, role, added, position)

    def remove_member(self, caller: OrgCaller, org_id: UUID, user_id: UUID) -> int:
        return retrying(lambda: self._remove_once(caller, org_id, user_id))

    def _remove_once(self, caller: OrgCaller, org_id: UUID, user_id: UUID) -> int:
        org = self._managed(caller, org_id)
        try:
            org.remove_member(user_id, caller.user_id)
        except NotMemberError:
            raise NotFoundError("member not found") from None
        except LastOwnerError as exc:
            raise ConflictError(str(exc)) from None
        return self.app.commit(org)

    def _managed(self, caller: OrgCaller, org_id: UUID) -> Organization:
        """The org if the caller owns it (or is an admin); 404 to outsiders, 403 to members."""
        org = self.app.find(org_id)
        if not isinstance(org, Organization):
            raise NotFoundError("organization not found")
        role = org.role_of(caller.user_id)
        if caller.is_admin or role == OWNER:
            return org
        if role is None:
            raise NotFoundError("organization not found")
        raise ForbiddenError("Only the organization's owners manage its members")

    def _resolve(self, user_id: UUID | None, email: str | None) -> UUID:
        if (user_id is None) == (email is None):
            raise InvalidInputError("Give exactly one of user_id or email", field="user_id")
        if email is not None:
            index = self.app.find(EmailIndex.id_for(email))
            if not isinstance(index, EmailIndex):
                raise NotFoundError("No account has that e-mail", field="email")
            user_id = index.user_id
        assert user_id is not None
        user = self.app.find(user_id)
        if not isinstance(user, User) or user.erased:
            raise NotFoundError("user not found", field="user_id")
        return user_id
