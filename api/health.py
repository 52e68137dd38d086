"""Liveness and readiness."""

from __future__ import annotations

import asyncio
from typing import Any

import msgspec
from litestar import Request, Response, get

from api.envelope import Envelope, ErrorDetail, error_responses, ok
from api.errors import envelope_response


class Health(msgspec.Struct):
    status: str


class Readiness(msgspec.Struct):
    status: str
    postgres: bool
    redis: bool


async def _postgres_ok(request: Request[Any, Any, Any]) -> bool:
    try:
        async with asyncio.timeout(2):
            async with request.app.state.pool.connection() as conn:
                await conn.execute("SELECT 1")
        return True
    except Exception:
        return False


async def _redis_ok(request: Request[Any, Any, Any]) -> bool:
    try:
        async with asyncio.timeout(2):
            return bool(await request.app.state.redis.ping())
    except Exception:
        return False


@get("/health", operation_id="GetHealth", tags=["system"], summary="Liveness")
async def health() -> Envelope[Health]:
    return ok(Health(status="ok"))


@get(
    "/ready",
    operation_id="GetReadiness",
    tags=["system"],
    summary="Readiness: 200 only when PostgreSQL and Redis answer",
    responses=error_responses(503),
)
async def ready(request: Request[Any, Any, Any]) -> Response[Envelope[Readiness]] | Response[Any]:
    pg, rd = await asyncio.gather(_postgres_ok(request), _redis_ok(request))
    if pg and rd:
        return Response(ok(Readiness(status="ready", postgres=True, redis=True)))
    details = [
        ErrorDetail(field=n, message="not answering")
        for n, up in (("postgres", pg), ("redis", rd))
        if not up
    ]
    return envelope_response(503, "SERVICE_UNAVAILABLE", "Dependencies are not ready", details)
