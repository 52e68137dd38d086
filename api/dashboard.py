"""The learner's dashboard (/users/me/dashboard) and public profiles (/users/{id}/profile).

Both are cached in Redis for five minutes (``user:{id}:dashboard``, ``user:{id}:profile``).
The projectors delete the keys after every change and bump ``user:{id}:dashboard:gen``; a
reader WATCHes that generation while it builds, so a build that raced a change is returned
but never cached. Hits and misses are counted for ``GET /admin/stats``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar
from uuid import UUID

import msgspec
from litestar import Controller, Request, get
from litestar.params import FromPath
from litestar.response.base import ASGIResponse
from redis.exceptions import WatchError

from api.auth import require_principal
from api.envelope import Envelope, error_responses, ok_response, ok_spec
from commands.errors import NotFoundError
from projections.dashboard import (
    CACHE_TTL_S,
    Dashboard,
    Profile,
    cache_key,
    generation_key,
    get_dashboard,
    get_profile,
    profile_key,
)
from projections.runtime import snapshot

HITS, MISSES = "codequest:stats:cache:hits", "codequest:stats:cache:misses"
BEARER = [{"BearerToken": []}]
T = TypeVar("T", bound=msgspec.Struct)


def count(state: Any, hit: bool) -> None:
    """Count a cache hit or miss, sent with the process's next Redis batch (nobody waits)."""
    state.batch.defer("INCR", HITS if hit else MISSES)


async def cached(
    state: Any, key: str, gen: str, build: Callable[[], Awaitable[T | None]]
) -> T | msgspec.Raw | None:
    """The cached JSON of ``key`` (served as it is, never decoded), or ``build()`` cached
    unless a change raced it."""
    raw = await state.batch.get(key)
    count(state, raw is not None)
    if raw is not None:
        return msgspec.Raw(raw)
    redis = state.redis
    async with redis.pipeline(transaction=True) as pipe:
        await pipe.watch(gen)
        value = await build()
        if value is None:
            return None
        pipe.multi()
        pipe.set(key, msgspec.json.encode(value), ex=CACHE_TTL_S)
        try:
            await pipe.execute()
        except WatchError:
            pass  # the view changed while we read it: serve, don't cache
    return value


async def dashboard_of(request: Request[Any, Any, Any], user_id: UUID) -> Dashboard | msgspec.Raw:
    state = request.app.state

    async def build() -> Dashboard:
        async with snapshot(state.pool) as conn:
            return await get_dashboard(conn, user_id)

    found = await cached(state, cache_key(user_id), generation_key(user_id), build)
    assert found is not None
    return found


async def profile_of(
    request: Request[Any, Any, Any], user_id: UUID
) -> Profile | msgspec.Raw | None:
    state = request.app.state

    async def build() -> Profile | None:
        async with snapshot(state.pool) as conn:
            return await get_profile(conn, user_id)

    return await cached(state, profile_key(user_id), generation_key(user_id), build)


class DashboardController(Controller):
    path = "/users"
    tags = ["dashboard"]

    @get(
        "/me/dashboard",
        operation_id="GetDashboard",
        security=BEARER,
        responses=ok_spec(Envelope[Dashboard], "The caller's dashboard") | error_responses(401),
    )
    async def get_dashboard(self, request: Request[Any, Any, Any]) -> ASGIResponse:
        principal = await require_principal(request)  # 401 without a valid token
        return ok_response(await dashboard_of(request, UUID(principal.user_id)))

    @get(
        "/{user_id:uuid}/profile",
        operation_id="GetProfile",
        responses=ok_spec(Envelope[Profile], "A learner's public profile") | error_responses(404),
    )
    async def get_profile(
        self, request: Request[Any, Any, Any], user_id: FromPath[UUID]
    ) -> ASGIResponse:
        found = await profile_of(request, user_id)
        if found is None:
            raise NotFoundError("user not found")
        return ok_response(found)
