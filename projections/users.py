"""The users read model (users_view), refresh token families, and their query functions."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from functools import singledispatchmethod
from typing import Any
from uuid import UUID

import msgspec
from psycopg import Cursor
from psycopg.rows import DictRow

from domain.accounts import RefreshFamily, User
from projections.dashboard.projector import user_changed as dashboard_changed
from projections.runtime import Batch, Projector

INACTIVE_KEY = "codequest:user:{}:inactive"

USERS_DDL = """
CREATE TABLE IF NOT EXISTS users_view (
  id UUID PRIMARY KEY,
  email TEXT NOT NULL,
  display_name TEXT NOT NULL,
  bio TEXT NOT NULL DEFAULT '',
  role TEXT NOT NULL,
  email_verified BOOLEAN NOT NULL DEFAULT FALSE,
  is_active BOOLEAN NOT NULL DEFAULT TRUE,
  timezone TEXT NOT NULL DEFAULT 'UTC',
  created_at TIMESTAMPTZ NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL,
  last_login_at TIMESTAMPTZ
)
"""
TOKENS_DDL = """
CREATE TABLE IF NOT EXISTS refresh_tokens_view (
  family_id UUID PRIMARY KEY,
  user_id UUID NOT NULL,
  token_hash TEXT NOT NULL,
  rotations INTEGER NOT NULL DEFAULT 0,
  expires_at TIMESTAMPTZ NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  revoked_at TIMESTAMPTZ,
  revoked_reason TEXT
)
"""


def inactive_key(user_id: UUID | str) -> str:
    """The Redis key ``api.auth`` checks on every request (same format as api.auth)."""
    return INACTIVE_KEY.format(user_id)


class UsersProjector(Projector):
    """users_view and refresh_tokens_view from User and RefreshFamily events."""

    name = "users"
    tables = ("users_view", "refresh_tokens_view")
    ddl = (
        USERS_DDL,
        "CREATE INDEX IF NOT EXISTS users_view_email ON users_view (email)",
        "CREATE INDEX IF NOT EXISTS users_view_role ON users_view (role)",
        TOKENS_DDL,
        "CREATE INDEX IF NOT EXISTS refresh_tokens_view_user ON refresh_tokens_view (user_id)",
    )
    topics = (
        User.Registered,
        User.EmailVerified,
        User.RoleGranted,
        User.ProfileUpdated,
        User.PasswordChanged,
        User.Deactivated,
        User.Erased,
        RefreshFamily.Issued,
        RefreshFamily.Rotated,
        RefreshFamily.Revoked,
    )

    @singledispatchmethod
    def apply(self, event: object, batch: Batch) -> None:
        """Events of no interest are ignored."""

    @apply.register
    def _registered(self, event: User.Registered, batch: Batch) -> None:
        batch.cursor.execute(
            "INSERT INTO users_view (id, email, display_name, role, timezone, created_at,"
            " updated_at) VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (id) DO NOTHING",
            (
                event.originator_id,
                event.email,
                event.display_name,
                event.role,
                event.timezone,
                event.timestamp,
                event.timestamp,
            ),
        )
        # the dashboard and profile show names from this view: drop what a reader cached early
        dashboard_changed(self.services, batch, [event.originator_id])

    @apply.register
    def _verified(self, event: User.EmailVerified, batch: Batch) -> None:
        self._update(batch, event, "email_verified = TRUE")

    @apply.register
    def _role(self, event: User.RoleGranted, batch: Batch) -> None:
        self._update(batch, event, "role = %s", event.role)

    @apply.register
    def _profile(self, event: User.ProfileUpdated, batch: Batch) -> None:
        self._update(
            batch,
            event,
            "display_name = %s, bio = %s, timezone = %s",
            event.display_name,
            event.bio,
            event.timezone,
        )

    @apply.register
    def _password(self, event: User.PasswordChanged, batch: Batch) -> None:
        self._update(batch, event, "")
        batch.cursor.execute(
            "UPDATE refresh_tokens_view SET revoked_at = %s, revoked_reason = 'password'"
            " WHERE user_id = %s AND revoked_at IS NULL",
            (event.timestamp, event.originator_id),
        )

    @apply.register
    def _deactivated(self, event: User.Deactivated, batch: Batch) -> None:
        self._update(batch, event, "is_active = FALSE")
        self._mark_inactive(batch, event.originator_id)

    @apply.register
    def _erased(self, event: User.Erased, batch: Batch) -> None:
        self._update(batch, event, "is_active = FALSE, email = '', display_name = '', bio = ''")
        self._mark_inactive(batch, event.originator_id)

    @apply.register
    def _issued(self, event: RefreshFamily.Issued, batch: Batch) -> None:
        batch.cursor.execute(
            "INSERT INTO refresh_tokens_view (family_id, user_id, token_hash, expires_at,"
            " created_at) VALUES (%s, %s, %s, %s, %s) ON CONFLICT (family_id) DO NOTHING",
            (
                event.originator_id,
                event.user_id,
                event.token_hash,
                event.expires_at,
                event.issued_at,
            ),
        )
        batch.cursor.execute(
            "UPDATE users_view SET last_login_at = %s WHERE id = %s",
            (event.issued_at, event.user_id),
        )

    @apply.register
    def _rotated(self, event: RefreshFamily.Rotated, batch: Batch) -> None:
        batch.cursor.execute(
            "UPDATE refresh_tokens_view SET token_hash = %s, expires_at = %s,"
            " rotations = rotations + 1 WHERE family_id = %s",
            (event.token_hash, event.expires_at, event.originator_id),
        )

    @apply.register
    def _revoked(self, event: RefreshFamily.Revoked, batch: Batch) -> None:
        batch.cursor.execute(
            "UPDATE refresh_tokens_view SET revoked_at = COALESCE(revoked_at, %s),"
            " revoked_reason = COALESCE(revoked_reason, %s) WHERE family_id = %s",
            (event.timestamp, event.reason, event.originator_id),
        )

    def _update(self, batch: Batch, event: Any, assignments: str, *values: object) -> None:
        sets = f"{assignments}, " if assignments else ""
        batch.cursor.execute(
            f"UPDATE users_view SET {sets}updated_at = %s WHERE id = %s",
            (*values, event.timestamp, event.originator_id),
        )
        dashboard_changed(self.services, batch, [event.originator_id])

    def _mark_inactive(self, batch: Batch, user_id: UUID) -> None:
        redis = self.services.redis
        if redis is not None:
            batch.after_commit(lambda: redis.set(inactive_key(user_id), "1"))

    def rebuild_redis(self, cursor: Cursor[DictRow]) -> None:
        redis = self.services.redis
        if redis is None:
            return
        cursor.execute("SELECT id, is_active FROM users_view")
        for row in cursor.fetchall():
            key = inactive_key(row["id"])
            redis.delete(key) if row["is_active"] else redis.set(key, "1")


# --- queries ---------------------------------------------------------------------------------


class UserView(msgspec.Struct):
    id: UUID
    email: str
    display_name: str
    bio: str
    role: str
    email_verified: bool
    is_active: bool
    timezone: str
    created_at: datetime
    updated_at: datetime
    last_login_at: datetime | None


COLUMNS = (
    "id, email, display_name, bio, role, email_verified, is_active, timezone, created_at,"
    " updated_at, last_login_at"
)


async def get_user(pool: Any, user_id: UUID) -> UserView | None:
    """One account from users_view, or None."""
    async with pool.connection() as conn:
        cur = await conn.execute(f"SELECT {COLUMNS} FROM users_view WHERE id = %s", (user_id,))
        row = await cur.fetchone()
    return msgspec.convert(row, UserView) if row else None


async def display_names(pool: Any, user_ids: Iterable[UUID]) -> dict[UUID, str]:
    """Display names by user id (erased accounts have an empty name)."""
    ids: Sequence[UUID] = list(user_ids)
    if not ids:
        return {}
    async with pool.connection() as conn:
        cur = await conn.execute(
            "SELECT id, display_name FROM users_view WHERE id = ANY(%s)", (ids,)
        )
        rows = await cur.fetchall()
    return {row["id"]: row["display_name"] for row in rows}


async def list_users(
    pool: Any, *, role: str | None = None, limit: int = 20, offset: int = 0
) -> tuple[list[UserView], int]:
    """A page of accounts (newest first) and the total count, optionally of one role."""
    where, params = ("WHERE role = %s", [role]) if role else ("", [])
    async with pool.connection() as conn:
        cur = await conn.execute(
            f"SELECT {COLUMNS}, count(*) OVER () AS total FROM users_view {where}"
            " ORDER BY created_at DESC, id LIMIT %s OFFSET %s",
            (*params, limit, offset),
        )
        rows = await cur.fetchall()
    total = int(rows[0]["total"]) if rows else 0
    return [msgspec.convert(r, UserView, strict=False) for r in rows], total
