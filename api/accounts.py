"""Auth (/auth), the caller's account (/users/me) and user administration (/admin/users)."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Controller, Request, get, patch, post, put
from litestar.connection import ASGIConnection
from litestar.di import NamedDependency
from litestar.handlers.base import BaseRouteHandler
from litestar.params import FromPath, FromQuery, JSONBody, Parameter

from api.auth import Principal, TokenService, authenticated, requires
from api.envelope import Envelope, Message, Meta, error_responses, ok
from api.errors import ApiError
from commands.accounts import Account, Accounts, Session
from commands.errors import NotFoundError
from domain.shared import Permission, Role
from projections.users import UserView, get_user, list_users

EMAIL_PATTERN = r"^\s*[^@\s]+@[^@\s]+\.[^@\s]+\s*$"
Email = Annotated[str, msgspec.Meta(max_length=254, pattern=EMAIL_PATTERN)]
Password = Annotated[str, msgspec.Meta(min_length=8, max_length=72)]
DisplayName = Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
Token = Annotated[str, msgspec.Meta(min_length=1, max_length=512)]
BEARER = [{"BearerToken": []}]


# --- bodies ----------------------------------------------------------------------------------


class RegisterBody(msgspec.Struct, forbid_unknown_fields=True):
    email: Email
    password: Password
    display_name: DisplayName
    role: str = Role.LEARNER.value


class LoginBody(msgspec.Struct, forbid_unknown_fields=True):
    email: Annotated[str, msgspec.Meta(max_length=320)]
    password: Annotated[str, msgspec.Meta(max_length=1024)]


class RefreshBody(msgspec.Struct, forbid_unknown_fields=True):
    refresh_token: Token


class TokenBody(msgspec.Struct, forbid_unknown_fields=True):
    token: Token


class EmailBody(msgspec.Struct, forbid_unknown_fields=True):
    email: Email


class ResetBody(msgspec.Struct, forbid_unknown_fields=True):
    token: Token
    new_password: Password


class ProfileBody(msgspec.Struct, forbid_unknown_fields=True):
    """Fields left out (or null) stay as they are; an empty bio clears it."""

    display_name: DisplayName | None = None
    bio: Annotated[str, msgspec.Meta(max_length=2000)] | None = None
    timezone: Annotated[str, msgspec.Meta(min_length=1, max_length=64)] | None = None


class RoleBody(msgspec.Struct, forbid_unknown_fields=True):
    role: Role


# --- responses -------------------------------------------------------------------------------


class RegisteredUser(msgspec.Struct):
    id: UUID
    email: str
    display_name: str
    role: str
    email_verified: bool


class Registered(msgspec.Struct):
    user: RegisteredUser
    message: str


class SignedInUser(msgspec.Struct):
    id: UUID
    email: str
    role: str
    display_name: str


class SignedIn(msgspec.Struct):
    user: SignedInUser
    access_token: str
    refresh_token: str
    expires_in: int


class Tokens(msgspec.Struct):
    access_token: str
    refresh_token: str
    expires_in: int


class AccountOut(msgspec.Struct):
    id: UUID
    email: str
    display_name: str
    bio: str
    role: str
    email_verified: bool
    is_active: bool
    timezone: str


def _account(a: Account) -> AccountOut:
    return AccountOut(
        a.id, a.email, a.display_name, a.bio, a.role, a.email_verified, a.is_active, a.timezone
    )


def _accounts(request: Request[Any, Any, Any]) -> Accounts:
    service: Accounts = request.app.state.container.accounts
    return service


def _tokens(request: Request[Any, Any, Any], session: Session) -> Tokens:
    issuer: TokenService = request.app.state.tokens
    a = session.account
    access = issuer.issue(str(a.id), a.role, a.email)
    return Tokens(access, session.refresh_token, issuer.ttl_s)


async def login_rate_limit(
    connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler
) -> None:
    """Guard: 5 login attempts per 15 minutes per client IP (exact, in Redis)."""
    state = connection.app.state
    ip = connection.client.host if connection.client else "unknown"
    decision = await state.limiter.hit(state.settings.rate_limit("login"), "login", ip)
    if not decision.allowed:
        raise ApiError(
            429,
            "RATE_LIMITED",
            "Too many login attempts, try again later",
            headers={"Retry-After": str(decision.retry_after)},
        )


class AuthController(Controller):
    path = "/auth"
    tags = ["auth"]

    @post(
        "/register",
        status_code=200,
        sync_to_thread=True,
        operation_id="Register",
        responses=error_responses(403, 409, 422),
    )
    def register(
        self, request: Request[Any, Any, Any], data: JSONBody[RegisterBody]
    ) -> Envelope[Registered]:
        a = _accounts(request).register(data.email, data.password, data.display_name, data.role)
        user = RegisteredUser(a.id, a.email, a.display_name, a.role, a.email_verified)
        message = "Registration successful. Please check your email to verify your account."
        return ok(Registered(user=user, message=message))

    @post(
        "/login",
        status_code=200,
        sync_to_thread=True,
        guards=[login_rate_limit],
        operation_id="Login",
        responses=error_responses(401, 403, 422, 429),
    )
    def login(
        self, request: Request[Any, Any, Any], data: JSONBody[LoginBody]
    ) -> Envelope[SignedIn]:
        session = _accounts(request).login(data.email, data.password)
        t, a = _tokens(request, session), session.account
        user = SignedInUser(a.id, a.email, a.role, a.display_name)
        return ok(SignedIn(user, t.access_token, t.refresh_token, t.expires_in))

    @post(
        "/refresh",
        status_code=200,
        sync_to_thread=True,
        operation_id="RefreshToken",
        responses=error_responses(401, 422),
    )
    def refresh(
        self, request: Request[Any, Any, Any], data: JSONBody[RefreshBody]
    ) -> Envelope[Tokens]:
        return ok(_tokens(request, _accounts(request).refresh(data.refresh_token)))

    @post(
        "/logout",
        status_code=204,
        sync_to_thread=True,
        operation_id="Logout",
        responses=error_responses(401, 422),
    )
    def logout(self, request: Request[Any, Any, Any], data: JSONBody[RefreshBody]) -> None:
        _accounts(request).logout(data.refresh_token)

    @post(
        "/verify-email",
        status_code=200,
        sync_to_thread=True,
        operation_id="VerifyEmail",
        responses=error_responses(400, 422),
    )
    def verify_email(
        self, request: Request[Any, Any, Any], data: JSONBody[TokenBody]
    ) -> Envelope[Message]:
        _accounts(request).verify_email(data.token)
        return ok(Message("Email verified successfully. You can now log in."))

    @post(
        "/resend-verification",
        status_code=200,
        sync_to_thread=True,
        operation_id="ResendVerification",
        responses=error_responses(422),
    )
    def resend(
        self, request: Request[Any, Any, Any], data: JSONBody[EmailBody]
    ) -> Envelope[Message]:
        _accounts(request).resend_verification(data.email)
        return ok(Message("If the account exists and is unverified, a new email is on its way."))

    @post(
        "/forgot-password",
        status_code=200,
        sync_to_thread=True,
        operation_id="ForgotPassword",
        responses=error_responses(422),
    )
    def forgot(
        self, request: Request[Any, Any, Any], data: JSONBody[EmailBody]
    ) -> Envelope[Message]:
        _accounts(request).request_password_reset(data.email)
        return ok(Message("Password reset email sent. Check your inbox."))

    @post(
        "/reset-password",
        status_code=200,
        sync_to_thread=True,
        operation_id="ResetPassword",
        responses=error_responses(400, 422),
    )
    def reset(
        self, request: Request[Any, Any, Any], data: JSONBody[ResetBody]
    ) -> Envelope[Message]:
        _accounts(request).reset_password(data.token, data.new_password)
        return ok(Message("Password has been reset. Please log in with your new password."))


async def _wait_for_row(pool: Any, user_id: UUID, timeout: float = 2.0) -> UserView | None:
    """The account's row, allowing the users view a moment to catch up with a new account."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while (row := await get_user(pool, user_id)) is None and loop.time() < deadline:
        await asyncio.sleep(0.02)
    return row


class UsersController(Controller):
    path = "/users"
    tags = ["users"]
    guards = [authenticated]
    security = BEARER

    @get("/me", operation_id="GetMe", responses=error_responses(401, 404))
    async def me(
        self, request: Request[Any, Any, Any], principal: NamedDependency[Principal]
    ) -> Envelope[UserView]:
        row = await _wait_for_row(request.app.state.pool, UUID(principal.user_id))
        if row is None:
            raise NotFoundError("user not found")
        return ok(row)

    @patch("/me", sync_to_thread=True, operation_id="UpdateMe", responses=error_responses(401, 422))
    def update_me(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        data: JSONBody[ProfileBody],
    ) -> Envelope[AccountOut]:
        account = _accounts(request).update_profile(
            UUID(principal.user_id), data.display_name, data.bio, data.timezone
        )
        return ok(_account(account))


class AdminUsersController(Controller):
    path = "/admin/users"
    tags = ["admin"]
    guards = [requires(Permission.MANAGE_USERS)]
    security = BEARER

    @get("/", operation_id="ListUsers", responses=error_responses(401, 403))
    async def list_all(
        self,
        request: Request[Any, Any, Any],
        role: FromQuery[Role | None] = None,
        page: Annotated[int, Parameter(ge=1)] = 1,
        limit: Annotated[int, Parameter(ge=1, le=100)] = 20,
    ) -> Envelope[list[UserView]]:
        rows, total = await list_users(
            request.app.state.pool,
            role=role.value if role else None,
            limit=limit,
            offset=(page - 1) * limit,
        )
        return ok(rows, Meta(page=page, limit=limit, total=total))

    @put(
        "/{user_id:uuid}/role",
        sync_to_thread=True,
        operation_id="SetUserRole",
        responses=error_responses(401, 403, 404, 409, 422),
    )
    def set_role(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        user_id: FromPath[UUID],
        data: JSONBody[RoleBody],
    ) -> Envelope[AccountOut]:
        service = _accounts(request)
        account = service.grant_role(user_id, data.role.value, UUID(principal.user_id))
        return ok(_account(account))

    @post(
        "/{user_id:uuid}/deactivate",
        status_code=200,
        sync_to_thread=True,
        operation_id="DeactivateUser",
        responses=error_responses(401, 403, 404),
    )
    def deactivate(
        self, request: Request[Any, Any, Any], user_id: FromPath[UUID]
    ) -> Envelope[AccountOut]:
        return ok(_account(_accounts(request).deactivate(user_id)))
