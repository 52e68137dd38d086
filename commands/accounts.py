"""Accounts use cases: register, verify, sign in, refresh, reset, profile, roles, lifecycle."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError

from commands.app import CodeQuest
from commands.errors import (
    ApplicationError,
    ConflictError,
    ForbiddenError,
    InvalidInputError,
    NotFoundError,
    UnauthorizedError,
)
from commands.ports import Clock, PasswordHasher, SecretBox
from domain.accounts import (
    AccountInactiveError,
    EmailIndex,
    PendingToken,
    Presented,
    RefreshFamily,
    TokenExpiredError,
    TokenInvalidError,
    User,
    email_problem,
    normalize_email,
    password_problem,
)
from domain.shared import Role

VERIFICATION_TTL = timedelta(hours=24)
RESET_TTL = timedelta(hours=1)
REFRESH_TTL = timedelta(days=30)
BAD_CREDENTIALS = "Invalid email or password"
BAD_REFRESH = "Invalid or expired refresh token"
MAIL_KINDS = ("verify", "reset")


class InvalidTokenError(ApplicationError):
    code = "INVALID_TOKEN"


class ExpiredTokenError(ApplicationError):
    code = "TOKEN_EXPIRED"


class EmailNotVerifiedError(ForbiddenError):
    code = "EMAIL_NOT_VERIFIED"


@dataclass(frozen=True)
class Account:
    """What a command tells its caller about the account it touched."""

    id: UUID
    email: str
    display_name: str
    bio: str
    role: str
    email_verified: bool
    is_active: bool
    timezone: str
    position: int = 0

    @classmethod
    def of(cls, user: User, position: int = 0) -> Account:
        return cls(
            id=user.id,
            email=user.email,
            display_name=user.display_name,
            bio=user.bio,
            role=user.role,
            email_verified=user.email_verified,
            is_active=user.is_active,
            timezone=user.timezone,
            position=position,
        )


@dataclass(frozen=True)
class Session:
    """A signed-in account and its newest refresh token (the raw value, shown once)."""

    account: Account
    refresh_token: str
    position: int


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str


def hash_token(token: str) -> str:
    """The stored form of a bearer secret: sha256 hex."""
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token(owner: UUID) -> str:
    """``<owner id hex>.<secret>``: the owner finds the aggregate, the secret proves it."""
    return f"{owner.hex}.{secrets.token_urlsafe(32)}"


def _owner_of(token: str) -> UUID | None:
    owner, dot, secret = token.partition(".")
    if not dot or not secret or len(owner) != 32:
        return None
    try:
        return UUID(hex=owner)
    except ValueError:
        return None


def _check_password(password: str, field: str = "password") -> None:
    if problem := password_problem(password):
        raise InvalidInputError(problem, field=field)


def _check_email(raw: str) -> str:
    email = normalize_email(raw)
    if problem := email_problem(email):
        raise InvalidInputError(problem, field="email")
    return email


def _check_display_name(name: str) -> str:
    name = name.strip()
    if not 1 <= len(name) <= 100:
        raise InvalidInputError("Display name must be 1-100 characters", field="display_name")
    return name


def _check_timezone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInputError("Unknown time zone", field="timezone") from None
    return name


def _role(value: str) -> Role:
    try:
        return Role(value)
    except ValueError:
        raise InvalidInputError(f"Unknown role {value!r}", field="role") from None


class Accounts:
    """The accounts context's command service."""

    def __init__(
        self,
        app: CodeQuest,
        hasher: PasswordHasher,
        clock: Clock,
        box: SecretBox,
        public_url: str = "http://127.0.0.1:8000",
    ) -> None:
        self.app, self.hasher, self.clock, self.box = app, hasher, clock, box
        self.public_url = public_url.rstrip("/")
        self._dummy_hash: str | None = None

    # --- registration and verification ----------------------------------------------------

    def register(
        self, email: str, password: str, display_name: str, role: str = Role.LEARNER.value
    ) -> Account:
        """A new learner account with a verification token to be mailed."""
        if role != Role.LEARNER.value:
            raise ForbiddenError("Registration creates learner accounts only")
        return self._create(email, password, display_name, Role.LEARNER, verified=False)

    def create_user(
        self,
        email: str,
        password: str,
        role: str = Role.LEARNER.value,
        verified: bool = False,
        display_name: str | None = None,
    ) -> UUID:
        """An operator's account creation with any role (the CLI)."""
        name = display_name or normalize_email(email).split("@")[0] or "user"
        return self._create(email, password, name, _role(role), verified=verified).id

    def _create(
        self, email: str, password: str, display_name: str, role: Role, *, verified: bool
    ) -> Account:
        email, name = _check_email(email), _check_display_name(display_name)
        _check_password(password)
        index_id = EmailIndex.id_for(email)
        if self.app.find(index_id) is not None:
            raise ConflictError("An account with this email already exists", field="email")
        user = User(
            id=uuid.uuid4(),
            email=email,
            display_name=name,
            role=role.value,
            password_hash=self.hasher.hash(password),
        )
        if verified:
            user.mark_verified()
        else:
            self._issue_verification(user)
        index = EmailIndex(id=index_id, user_id=user.id)
        position = self._commit(
            user, index, conflict="An account with this email already exists", field="email"
        )
        return Account.of(user, position)

    def _issue_verification(self, user: User) -> None:
        token = _new_token(user.id)
        expires = self.clock.now() + VERIFICATION_TTL
        user.request_verification(hash_token(token), self._seal(token, user.id), expires)

    def resend_verification(self, email: str) -> int:
        """A fresh verification mail for an unverified account; silent otherwise."""
        user = self._by_email(normalize_email(email))
        if user is None or user.email_verified or not user.is_active:
            return 0
        self._issue_verification(user)
        return self._commit(user)

    def verify_email(self, token: str) -> int:
        user = self._token_owner(token)
        self._run_token_check(lambda: user.verify_email(hash_token(token), self.clock.now()))
        return self._commit(user, conflict="Token was used concurrently, please retry")

    # --- signing in -----------------------------------------------------------------------

    def login(self, email: str, password: str) -> Session:
        """Check the credentials and open a new refresh token family."""
        user = self._by_email(normalize_email(email))
        if user is None:
            self.hasher.verify(password, self._dummy())  # similar timing for unknown e-mails
            raise UnauthorizedError(BAD_CREDENTIALS)
        if not self.hasher.verify(password, user.password_hash):
            raise UnauthorizedError(BAD_CREDENTIALS)
        if not user.is_active:
            raise UnauthorizedError("Account is not active")
        if not user.email_verified:
            raise EmailNotVerifiedError("Please verify your email before logging in")
        return self._open_family(user)

    def _open_family(self, user: User) -> Session:
        family_id, now = uuid.uuid4(), self.clock.now()
        token = _new_token(family_id)
        family = RefreshFamily(
            id=family_id,
            user_id=user.id,
            token_hash=hash_token(token),
            expires_at=now + REFRESH_TTL,
            epoch=user.session_epoch,
            issued_at=now,
        )
        return Session(Account.of(user), token, self._commit(family))

    def refresh(self, refresh_token: str) -> Session:
        """Rotate the family's token; a reused (rotated) token revokes the whole family."""
        family = self._family(refresh_token)
        presented, now = hash_token(refresh_token), self.clock.now()
        state = family.classify(presented, now)
        if state is Presented.REUSED:
            family.revoke("reuse")
            self._commit(family)
        if state is not Presented.CURRENT:
            raise UnauthorizedError(BAD_REFRESH)
        user = self.app.load(family.user_id, "user")
        if not user.is_active or family.epoch != user.session_epoch:
            raise UnauthorizedError(BAD_REFRESH)
        token = _new_token(family.id)
        family.rotate(presented, hash_token(token), now, now + REFRESH_TTL)
        position = self._commit(family, conflict=BAD_REFRESH, error=UnauthorizedError)
        return Session(Account.of(user), token, position)

    def logout(self, refresh_token: str) -> int:
        """Revoke the family of this token (idempotent for a family already revoked)."""
        family = self._family(refresh_token)
        if not family.knows(hash_token(refresh_token)):
            raise UnauthorizedError(BAD_REFRESH)
        family.revoke("logout")
        return self._commit(family, conflict=BAD_REFRESH, error=UnauthorizedError)

    def _family(self, token: str) -> RefreshFamily:
        family_id = _owner_of(token)
        family = self.app.find(family_id) if family_id else None
        if not isinstance(family, RefreshFamily):
            raise UnauthorizedError(BAD_REFRESH)
        return family

    # --- passwords ------------------------------------------------------------------------

    def request_password_reset(self, email: str) -> int:
        """Mail a reset token when the account exists and is active; silent otherwise."""
        user = self._by_email(normalize_email(email))
        if user is None or not user.is_active:
            return 0
        token = _new_token(user.id)
        expires = self.clock.now() + RESET_TTL
        user.request_password_reset(hash_token(token), self._seal(token, user.id), expires)
        return self._commit(user)

    def reset_password(self, token: str, new_password: str) -> int:
        """Set a new password; every refresh token family of the user stops working."""
        _check_password(new_password, "new_password")
        user, presented = self._token_owner(token), hash_token(token)
        self._run_token_check(lambda: user.check_reset_token(presented, self.clock.now()))
        hashed = self.hasher.hash(new_password)
        self._run_token_check(lambda: user.reset_password(presented, hashed, self.clock.now()))
        return self._commit(user, conflict="Token was used concurrently, please retry")

    # --- profile, roles, lifecycle --------------------------------------------------------

    def account(self, user_id: UUID) -> Account:
        return Account.of(self._user(user_id))

    def update_profile(
        self,
        user_id: UUID,
        display_name: str | None = None,
        bio: str | None = None,
        timezone: str | None = None,
    ) -> Account:
        user = self._user(user_id)
        user.update_profile(
            _check_display_name(display_name) if display_name is not None else user.display_name,
            bio.strip() if bio is not None else user.bio,
            _check_timezone(timezone) if timezone is not None else user.timezone,
        )
        return Account.of(user, self._commit(user))

    def grant_role(self, user_id: UUID, role: str, granted_by: UUID | None) -> Account:
        user = self._user(user_id)
        self._run_lifecycle(lambda: user.grant_role(_role(role), granted_by))
        return Account.of(user, self._commit(user))

    def deactivate(self, user_id: UUID) -> Account:
        user = self._user(user_id)
        user.deactivate()
        return Account.of(user, self._commit(user))

    def erase(self, user_id: UUID) -> int:
        user = self._user(user_id)
        user.erase()
        return self._commit(user)

    # --- mail -----------------------------------------------------------------------------

    def pending_mail(self, user_id: UUID, kind: str, token_hash: str) -> Mail | None:
        """The mail for a still-pending token (None once it was used or replaced)."""
        user = self.app.find(user_id)
        if not isinstance(user, User) or not user.is_active:
            return None
        pending = user.verification if kind == "verify" else user.reset
        if pending is None or pending.token_hash != token_hash:
            return None
        return self._compose(user, kind, pending)

    def _compose(self, user: User, kind: str, pending: PendingToken) -> Mail:
        token = self.box.open(pending.sealed_token, context=str(user.id))
        if kind == "verify":
            url = f"{self.public_url}/verify-email?token={token}"
            subject = "Verify your CodeQuest email"
            lead = "Welcome to CodeQuest! Confirm your email address (valid for 24 hours):"
        else:
            url = f"{self.public_url}/reset-password?token={token}"
            subject = "Reset your CodeQuest password"
            lead = "Someone asked to reset your CodeQuest password (valid for 1 hour):"
        tail = "If this was not you, ignore this message."
        body = f"Hello {user.display_name},\n\n{lead}\n\n{url}\n\n{tail}\n"
        return Mail(to=user.email, subject=subject, body=body)

    # --- helpers --------------------------------------------------------------------------

    def _seal(self, token: str, user_id: UUID) -> str:
        return self.box.seal(token, context=str(user_id))

    def _dummy(self) -> str:
        if self._dummy_hash is None:
            self._dummy_hash = self.hasher.hash(secrets.token_hex(8))
        return self._dummy_hash

    def _by_email(self, email: str) -> User | None:
        index = self.app.find(EmailIndex.id_for(email))
        if not isinstance(index, EmailIndex):
            return None
        user = self.app.find(index.user_id)
        return user if isinstance(user, User) else None

    def _user(self, user_id: UUID) -> User:
        user = self.app.load(user_id, "user")
        if not isinstance(user, User):
            raise NotFoundError("user not found")
        return user

    def _token_owner(self, token: str) -> User:
        owner = _owner_of(token)
        user = self.app.find(owner) if owner else None
        if not isinstance(user, User):
            raise InvalidTokenError("Token is invalid or has already been used", field="token")
        return user

    @staticmethod
    def _run_token_check(step: Callable[[], None]) -> None:
        try:
            step()
        except TokenExpiredError as exc:
            raise ExpiredTokenError(str(exc), field="token") from None
        except (TokenInvalidError, AccountInactiveError) as exc:
            raise InvalidTokenError(str(exc), field="token") from None

    @staticmethod
    def _run_lifecycle(step: Callable[[], None]) -> None:
        try:
            step()
        except AccountInactiveError as exc:
            raise ConflictError(str(exc)) from None

    def _commit(
        self,
        *aggregates: Aggregate,
        conflict: str = "The account changed concurrently, please retry",
        field: str | None = None,
        error: type[ApplicationError] = ConflictError,
    ) -> int:
        try:
            return self.app.commit(*aggregates)
        except IntegrityError:
            raise error(conflict, field=field) from None
