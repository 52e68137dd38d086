"""Values shared by every context: roles and their permissions, difficulties, the domain error."""

from __future__ import annotations

from enum import Enum, StrEnum


class DomainError(Exception):
    """A command broke an invariant of an aggregate."""


class Role(StrEnum):
    LEARNER = "learner"
    INSTRUCTOR = "instructor"
    BUSINESS_PARTNER = "business_partner"
    ADMIN = "admin"
    SYSTEM_ADMIN = "system_admin"
    AUDITOR = "auditor"


class Permission(StrEnum):
    READ_CONTENT = "read_content"
    SUBMIT_CODE = "submit_code"
    TAKE_QUIZZES = "take_quizzes"
    INTERVIEWS = "interviews"
    OWN_DASHBOARD = "own_dashboard"
    MANAGE_CONTENT = "manage_content"
    MANAGE_ORGANIZATION = "manage_organization"
    ORG_ANALYTICS = "org_analytics"
    MANAGE_USERS = "manage_users"
    APPROVE_CONTENT = "approve_content"
    GLOBAL_REPORTS = "global_reports"
    SYSTEM_OPERATIONS = "system_operations"
    READ_AUDIT_LOG = "read_audit_log"
    VIEW_ALL_SUBMISSIONS = "view_all_submissions"


_LEARNER = frozenset(
    {
        Permission.READ_CONTENT,
        Permission.SUBMIT_CODE,
        Permission.TAKE_QUIZZES,
        Permission.INTERVIEWS,
        Permission.OWN_DASHBOARD,
    }
)
_INSTRUCTOR = _LEARNER | {Permission.MANAGE_CONTENT, Permission.VIEW_ALL_SUBMISSIONS}
_PARTNER = _INSTRUCTOR | {Permission.MANAGE_ORGANIZATION, Permission.ORG_ANALYTICS}
_ADMIN = frozenset(Permission)

PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.LEARNER: _LEARNER,
    Role.INSTRUCTOR: _INSTRUCTOR,
    Role.BUSINESS_PARTNER: _PARTNER,
    Role.ADMIN: _ADMIN,
    Role.SYSTEM_ADMIN: frozenset(
        {Permission.READ_CONTENT, Permission.SYSTEM_OPERATIONS, Permission.OWN_DASHBOARD}
    ),
    Role.AUDITOR: frozenset({Permission.READ_CONTENT, Permission.READ_AUDIT_LOG}),
}


def has_permission(role: Role | str, permission: Permission) -> bool:
    return permission in PERMISSIONS.get(Role(role), frozenset())


class Difficulty(int, Enum):
    EASY = 1
    MEDIUM = 2
    HARD = 3


class LessonLevel(StrEnum):
    BEGINNER = "beginner"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"
