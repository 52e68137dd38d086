"""Accounts: the User aggregate, the e-mail uniqueness index, refresh token families."""

from __future__ import annotations

import hmac
import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.shared import DomainError, Role

NAMESPACE_EMAIL = UUID("6f1c2a52-3c0e-5b8e-9d4a-5e0d3b7a1c11")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_EMAIL_LENGTH = 254
MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_BYTES = 72


class AccountError(DomainError):
    """Base of the accounts context's invariant violations."""


class TokenInvalidError(AccountError):
    """The token is unknown, already used or replaced by a newer one."""


class TokenExpiredError(AccountError):
    """The token was right but its time ran out."""


class AccountInactiveError(AccountError):
    """The account is deactivated or erased."""


def normalize_email(raw: str) -> str:
    """The canonical form of an e-mail address (stripped, lowercase)."""
    return raw.strip().lower()


def email_problem(email: str) -> str | None:
    """Why a normalised e-mail is unacceptable, or None."""
    if len(email) > MAX_EMAIL_LENGTH or not EMAIL_PATTERN.match(email):
        return "Invalid email format"
    return None


def _classes(password: str) -> int:
    tests = (str.islower, str.isupper, str.isdigit)
    found = {i for ch in password for i, t in enumerate(tests) if t(ch)}
    if any(not (ch.islower() or ch.isupper() or ch.isdigit()) for ch in password):
        found.add(len(tests))
    return len(found)


def password_problem(password: str) -> str | None:
    """Why a password breaks the policy (>= 8 chars, <= 72 bytes, two classes), or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Password must be at least {MIN_PASSWORD_LENGTH} characters"
    if len(password.encode()) > MAX_PASSWORD_BYTES:
        return f"Password must be at most {MAX_PASSWORD_BYTES} bytes in UTF-8"
    if _classes(password) < 2:
        return "Password must mix character classes (lowercase, uppercase, digits, symbols)"
    return None


@dataclass(frozen=True)
class PendingToken:
    """A mailed single-use token: its hash, its sealed raw value and its expiry."""

    token_hash: str
    sealed_token: str
    expires_at: datetime

    def check(self, presented_hash: str, now: datetime) -> None:
        if not hmac.compare_digest(self.token_hash, presented_hash):
            raise TokenInvalidError("Token is invalid or has already been used")
        if now >= self.expires_at:
            raise TokenExpiredError("Token has expired")


def _check(pending: PendingToken | None, presented_hash: str, now: datetime) -> None:
    if pending is None:
        raise TokenInvalidError("Token is invalid or has already been used")
    pending.check(presented_hash, now)


class User(Aggregate):
    """A person's account; the id is the user id."""

    @event("Registered")
    def __init__(
        self,
        id: UUID,  # the user id, chosen by the command service
        email: str,
        display_name: str,
        role: str,
        password_hash: str,
        timezone: str = "UTC",
    ) -> None:
        self.email = email
        self.display_name = display_name
        self.role = role
        self.password_hash = password_hash
        self.timezone = timezone
        self.bio = ""
        self.email_verified = False
        self.is_active = True
        self.erased = False
        self.session_epoch = 0
        self.verification: PendingToken | None = None
        self.reset: PendingToken | None = None

    # --- verification ---------------------------------------------------------------------

    def request_verification(
        self, token_hash: str, sealed_token: str, expires_at: datetime
    ) -> None:
        self._require_active()
        if self.email_verified:
            raise AccountError("E-mail is already verified")
        self._request_verification(token_hash, sealed_token, expires_at)

    @event("EmailVerificationRequested")
    def _request_verification(
        self, token_hash: str, sealed_token: str, expires_at: datetime
    ) -> None:
        self.verification = PendingToken(token_hash, sealed_token, expires_at)

    def verify_email(self, presented_hash: str, now: datetime) -> None:
        self._require_active()
        _check(None if self.email_verified else self.verification, presented_hash, now)
        self._verify_email()

    def mark_verified(self) -> None:
        """Verification without a token (an operator creating the account)."""
        if not self.email_verified:
            self._verify_email()

    @event("EmailVerified")
    def _verify_email(self) -> None:
        self.email_verified = True
        self.verification = None

    # --- passwords ------------------------------------------------------------------------

    def request_password_reset(
        self, token_hash: str, sealed_token: str, expires_at: datetime
    ) -> None:
        self._require_active()
        self._request_reset(token_hash, sealed_token, expires_at)

    @event("PasswordResetRequested")
    def _request_reset(self, token_hash: str, sealed_token: str, expires_at: datetime) -> None:
        self.reset = PendingToken(token_hash, sealed_token, expires_at)

    def check_reset_token(self, presented_hash: str, now: datetime) -> None:
        self._require_active()
        _check(self.reset, presented_hash, now)

    def reset_password(self, presented_hash: str, password_hash: str, now: datetime) -> None:
        self.check_reset_token(presented_hash, now)
        self._change_password(password_hash, "reset")

    def change_password(self, password_hash: str) -> None:
        self._require_active()
        self._change_password(password_hash, "change")

    @event("PasswordChanged")
    def _change_password(self, password_hash: str, reason: str) -> None:
        """Every refresh token family issued before this stops working (epoch bump)."""
        self.password_hash = password_hash
        self.reset = None
        self.session_epoch += 1

    # --- roles, profile, lifecycle --------------------------------------------------------

    def grant_role(self, role: Role, granted_by: UUID | None) -> None:
        self._require_active()
        if role.value != self.role:
            self._grant_role(role.value, granted_by)

    @event("RoleGranted")
    def _grant_role(self, role: str, granted_by: UUID | None) -> None:
        self.role = role

    def update_profile(self, display_name: str, bio: str, timezone: str) -> None:
        self._require_active()
        if (display_name, bio, timezone) != (self.display_name, self.bio, self.timezone):
            self._update_profile(display_name, bio, timezone)

    @event("ProfileUpdated")
    def _update_profile(self, display_name: str, bio: str, timezone: str) -> None:
        self.display_name, self.bio, self.timezone = display_name, bio, timezone

    def deactivate(self) -> None:
        if self.is_active:
            self._deactivate()

    @event("Deactivated")
    def _deactivate(self) -> None:
        self.is_active = False

    def erase(self) -> None:
        if not self.erased:
            self._erase()

    @event("Erased")
    def _erase(self) -> None:
        self.erased, self.is_active = True, False
        self.email, self.display_name, self.bio = "", "", ""
        self.verification = self.reset = None

    def check_can_sign_in(self) -> None:
        self._require_active()

    def _require_active(self) -> None:
        if not self.is_active:
            raise AccountInactiveError("Account is not active")


class EmailIndex(Aggregate):
    """Claims one normalised e-mail for one user; a second claim conflicts on save."""

    @staticmethod
    def id_for(email: str) -> UUID:
        return uuid.uuid5(NAMESPACE_EMAIL, normalize_email(email))

    @event("Claimed")
    def __init__(self, id: UUID, user_id: UUID) -> None:
        self.user_id = user_id


class Presented(Enum):
    """What a presented refresh token is to its family."""

    CURRENT = "current"
    EXPIRED = "expired"
    REUSED = "reused"
    REVOKED = "revoked"
    UNKNOWN = "unknown"


class RefreshFamily(Aggregate):
    """The refresh tokens of one sign-in: only hashes, rotated on every use."""

    @event("Issued")
    def __init__(
        self,
        id: UUID,  # the family id, embedded in its tokens
        user_id: UUID,
        token_hash: str,
        expires_at: datetime,
        epoch: int,
        issued_at: datetime,
    ) -> None:
        self.user_id = user_id
        self.token_hash = token_hash
        self.expires_at = expires_at
        self.epoch = epoch
        self.issued_at = issued_at
        self.used: set[str] = set()
        self.revoked = False

    def classify(self, presented_hash: str, now: datetime) -> Presented:
        if self.revoked:
            return Presented.REVOKED
        if hmac.compare_digest(self.token_hash, presented_hash):
            return Presented.EXPIRED if now >= self.expires_at else Presented.CURRENT
        if presented_hash in self.used:
            return Presented.REUSED
        return Presented.UNKNOWN

    def knows(self, presented_hash: str) -> bool:
        return presented_hash in self.used or hmac.compare_digest(self.token_hash, presented_hash)

    def rotate(
        self, presented_hash: str, token_hash: str, now: datetime, expires_at: datetime
    ) -> None:
        if self.classify(presented_hash, now) is not Presented.CURRENT:
            raise TokenInvalidError("Refresh token is not the current one of its family")
        self._rotate(token_hash, expires_at)

    @event("Rotated")
    def _rotate(self, token_hash: str, expires_at: datetime) -> None:
        self.used.add(self.token_hash)
        self.token_hash, self.expires_at = token_hash, expires_at

    def revoke(self, reason: str) -> None:
        if not self.revoked:
            self._revoke(reason)

    @event("Revoked")
    def _revoke(self, reason: str) -> None:
        self.revoked = True
