"""Access tokens (HS256 JWT via joserfc), the caller's identity, and role guards."""

from __future__ import annotations

import time
import uuid
from typing import Any

import msgspec
import structlog
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import OctKey
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException
from litestar.handlers.base import BaseRouteHandler

from api.errors import ApiError
from commands.context import set_cause
from domain.shared import Permission, Role, has_permission

ISSUER = "codequest"
ALGORITHMS = ["HS256"]
VERIFIED_MAX = 10_000  # verified tokens remembered per process


class Principal(msgspec.Struct, frozen=True):
    """The authenticated caller, from a verified access token."""

    user_id: str
    role: str
    email: str
    jti: str
    exp: int

    def can(self, permission: Permission) -> bool:
        return has_permission(self.role, permission)

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.INSTRUCTOR, Role.BUSINESS_PARTNER, Role.ADMIN)


class TokenService:
    """Issues and verifies access tokens; rejects alg=none, other algorithms and bad claims."""

    def __init__(self, secret: str, ttl_s: int = 3600) -> None:
        self._key = OctKey.import_key(secret.encode())
        self.ttl_s = ttl_s
        self._claims = jwt.JWTClaimsRegistry(
            leeway=5,
            iss={"essential": True, "value": ISSUER},
            sub={"essential": True},
            exp={"essential": True},
            iat={"essential": True},
            jti={"essential": True},
        )
        self._verified: dict[str, Principal] = {}

    def issue(self, user_id: str, role: str, email: str) -> str:
        now = int(time.time())
        claims = {
            "iss": ISSUER,
            "sub": user_id,
            "user_id": user_id,
            "role": role,
            "email": email,
            "iat": now,
            "exp": now + self.ttl_s,
            "jti": uuid.uuid4().hex,
        }
        return jwt.encode({"alg": "HS256", "typ": "JWT"}, claims, self._key, algorithms=ALGORITHMS)

    def verify(self, token: str) -> Principal:
        """The caller of a valid token; a token verified before is answered from memory until
        it expires (its account's state is checked on every request all the same)."""
        known = self._verified.get(token)
        if known is not None and known.exp > time.time():
            return known
        principal = self._verify(token)
        if len(self._verified) >= VERIFIED_MAX:
            self._verified.clear()
        self._verified[token] = principal
        return principal

    def _verify(self, token: str) -> Principal:
        try:
            decoded = jwt.decode(token, self._key, algorithms=ALGORITHMS)
            self._claims.validate(decoded.claims)
            c = decoded.claims
            return Principal(
                user_id=str(c["user_id"]),
                role=str(c["role"]),
                email=str(c.get("email", "")),
                jti=str(c["jti"]),
                exp=int(c["exp"]),
            )
        except (JoseError, KeyError, ValueError, TypeError) as exc:
            raise NotAuthorizedException("Invalid or expired access token") from exc


def _authorization(connection: ASGIConnection[Any, Any, Any, Any]) -> str:
    for name, value in connection.scope["headers"]:  # ASGI names are lower-case bytes
        if name == b"authorization":
            return value.decode("latin-1")  # type: ignore[no-any-return]
    return ""


def _bearer(connection: ASGIConnection[Any, Any, Any, Any], allow_query: bool) -> str | None:
    header = _authorization(connection)
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise NotAuthorizedException("Expected 'Authorization: Bearer <token>'")
        return token.strip()
    if allow_query:
        return connection.query_params.get("token") or None
    return None


def inactive_key(user_id: str) -> str:
    """Set by the accounts projector while an account is deactivated or erased."""
    return f"codequest:user:{user_id}:inactive"


ACCOUNT_STATE = "account_state"  # request state: (caller, inactive), read before the handler


def bearer_principal(connection: ASGIConnection[Any, Any, Any, Any]) -> Principal | None:
    """The caller of a valid bearer header, or None (no header, or one that ``authenticate``
    will refuse): lets the global limiter read the caller's account state in its round trip."""
    try:
        token = _bearer(connection, allow_query=False)
        return connection.app.state.tokens.verify(token) if token else None  # type: ignore[no-any-return]
    except NotAuthorizedException:
        return None


def note_account_state(
    connection: ASGIConnection[Any, Any, Any, Any], principal: Principal, inactive: bool
) -> None:
    """``principal`` (from ``bearer_principal``) and its account state, for ``authenticate``."""
    connection.scope.setdefault("state", {})[ACCOUNT_STATE] = (principal, inactive)  # type: ignore[typeddict-item]


async def authenticate(
    connection: ASGIConnection[Any, Any, Any, Any], *, allow_query: bool = False
) -> Principal | None:
    """The caller from the bearer token (cached per request); None when no token is sent."""
    state = connection.scope.setdefault("state", {})  # type: ignore[typeddict-item]
    if "principal" in state:
        return state["principal"]  # type: ignore[no-any-return]
    known = state.get(ACCOUNT_STATE)
    if known is not None:  # the bearer header's caller, verified and looked up already
        principal, inactive = known
    else:
        token = _bearer(connection, allow_query)
        principal = None if token is None else connection.app.state.tokens.verify(token)
        inactive = principal is not None and bool(
            await connection.app.state.batch.call("EXISTS", inactive_key(principal.user_id))
        )
    if principal is not None:
        if inactive:
            raise NotAuthorizedException("Account is not active")
        structlog.contextvars.bind_contextvars(user_id=principal.user_id)
        set_cause(principal.user_id, state.get("request_id", ""))
    state["principal"] = principal
    return principal  # type: ignore[no-any-return]


async def require_principal(
    connection: ASGIConnection[Any, Any, Any, Any], allow_query: bool = False
) -> Principal:
    principal = await authenticate(connection, allow_query=allow_query)
    if principal is None:
        raise NotAuthorizedException("Authentication required")
    return principal


async def provide_principal(request: ASGIConnection[Any, Any, Any, Any]) -> Principal:
    return await require_principal(request)


async def provide_optional_principal(
    request: ASGIConnection[Any, Any, Any, Any],
) -> Principal | None:
    return await authenticate(request)


async def authenticated(
    connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler
) -> None:
    """Guard: any signed-in user."""
    await require_principal(connection)


def requires(*permissions: Permission) -> Any:
    """Guard factory: the caller's role must hold every one of these permissions."""

    async def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        principal = await require_principal(connection)
        if any(not principal.can(p) for p in permissions):
            raise ApiError(403, "FORBIDDEN", "Your role does not allow this action")

    guard.__name__ = "requires_" + "_".join(p.value for p in permissions)
    return guard


def requires_role(*roles: Role) -> Any:
    """Guard factory: the caller's role must be one of these."""
    allowed = {r.value for r in roles}

    async def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        principal = await require_principal(connection)
        if principal.role not in allowed:
            raise ApiError(403, "FORBIDDEN", "Your role does not allow this action")

    return guard
