"""Organizations (business partners' tenants) and their members with a role in the org."""

from __future__ import annotations

import re
import unicodedata
import uuid
from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.shared import DomainError

ORGS_NAMESPACE = UUID("3c8d2e1f-4a5b-4c6d-9e7f-8a9b0c1d2e3f")
ORG_ROLES = ("owner", "instructor", "learner")
OWNER = "owner"
SLUG_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")


class OrganizationError(DomainError):
    """Base of the organizations context's invariant violations."""


class NotMemberError(OrganizationError):
    """The user is not a member of this organization."""


class LastOwnerError(OrganizationError):
    """An organization keeps at least one owner."""


class InvalidOrgRoleError(OrganizationError):
    """A role other than owner, instructor or learner."""


def slugify(name: str) -> str:
    """A URL slug from a name: ASCII letters and digits joined by hyphens (may be empty)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:64].strip("-")


class Organization(Aggregate):
    """A tenant: its settings and its members by user id."""

    @event("Created")
    def __init__(
        self,
        id: UUID,
        name: str,
        slug: str,
        domain: str | None,
        allow_public_join: bool,
        require_approval: bool,
        created_by: UUID,
        created_at: datetime,
    ) -> None:
        self.name, self.slug, self.domain = name, slug, domain
        self.allow_public_join, self.require_approval = allow_public_join, require_approval
        self.created_by, self.created_at = created_by, created_at
        self.members: dict[UUID, str] = {}

    def role_of(self, user_id: UUID) -> str | None:
        return self.members.get(user_id)

    def add_member(self, user_id: UUID, role: str, by: UUID, at: datetime) -> bool:
        """Add the user with this role, or change their role; True when newly added."""
        if role not in ORG_ROLES:
            raise InvalidOrgRoleError(f"role must be one of {', '.join(ORG_ROLES)}")
        current = self.members.get(user_id)
        if current is None:
            self._add(user_id, role, by, at)
            return True
        if current != role:
            self._guard_last_owner(user_id)
            self._change(user_id, role, by)
        return False

    def remove_member(self, user_id: UUID, by: UUID) -> None:
        if user_id not in self.members:
            raise NotMemberError("member not found")
        self._guard_last_owner(user_id)
        self._remove(user_id, by)

    def _guard_last_owner(self, user_id: UUID) -> None:
        owners = [u for u, r in self.members.items() if r == OWNER]
        if owners == [user_id]:
            raise LastOwnerError("An organization must keep at least one owner")

    @event("MemberAdded")
    def _add(self, user_id: UUID, role: str, by: UUID, joined_at: datetime) -> None:
        self.members[user_id] = role

    @event("MemberRoleChanged")
    def _change(self, user_id: UUID, role: str, by: UUID) -> None:
        self.members[user_id] = role

    @event("MemberRemoved")
    def _remove(self, user_id: UUID, by: UUID) -> None:
        del self.members[user_id]


class OrganizationSlug(Aggregate):
    """Claims one slug for one organization; a second claim conflicts on save."""

    @staticmethod
    def id_for(slug: str) -> UUID:
        return uuid.uuid5(ORGS_NAMESPACE, f"slug:{slug}")

    @event("Claimed")
    def __init__(self, id: UUID, organization_id: UUID) -> None:
        self.organization_id = organization_id
