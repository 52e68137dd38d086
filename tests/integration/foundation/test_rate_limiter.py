"""The global limit (100/minute per IP by default) and the limiter under it: exact across
concurrent hits and processes, 429 in the error envelope with Retry-After."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path
from typing import Any

import redis
from litestar.testing import TestClient

from api.app import create_app
from infra.redis import RateLimiter
from tests.conftest import TEST_RATE_LIMITS, make_settings


def _rules(**override: str) -> str:
    rules = dict(r.split("=", 1) for r in TEST_RATE_LIMITS.split(","))
    return ",".join(f"{k}={v}" for k, v in (rules | override).items())


def test_the_global_limit_answers_429_in_the_envelope(
    tmp_path: Path, pg_url: str, redis_url: str, container: Any
) -> None:
    settings = make_settings(
        tmp_path, pg_url, redis_url, CODEQUEST_RATE_LIMITS=_rules(**{"global": "4/minute"})
    )
    for key in redis.Redis.from_url(redis_url).scan_iter("codequest:ratelimit:global*"):
        redis.Redis.from_url(redis_url).delete(key)
    with TestClient(create_app(settings, container), raise_server_exceptions=False) as client:
        for _ in range(4):
            assert client.get("/v1/languages").status_code == 200
        refused = client.get("/v1/problems")
        assert refused.status_code == 429, refused.text
        body = refused.json()
        assert body["success"] is False and body["data"] is None
        assert body["error"]["code"] == "RATE_LIMITED"
        assert 1 <= int(refused.headers["Retry-After"]) <= 60
        assert refused.headers["x-content-type-options"] == "nosniff"
        for _ in range(5):  # liveness and readiness are never counted
            assert client.get("/v1/health").status_code == 200
        assert client.get("/v1/ready").status_code == 200


def test_concurrent_hits_from_two_limiters_admit_exactly_the_limit(redis_url: str) -> None:
    prefix = f"codequest:ratelimit-test:{uuid.uuid4().hex}"

    async def go() -> tuple[list[bool], list[int], int]:
        one, two = RateLimiter(redis_url, prefix), RateLimiter(redis_url, prefix)
        try:
            hits = [
                (one if i % 2 else two).hit("25/minute", "global", "10.0.0.1") for i in range(60)
            ]
            decisions = await asyncio.gather(*hits)
            other = await one.hit("25/minute", "global", "10.0.0.2")  # another key: its own window
            assert other.allowed
            trips = one.round_trips + two.round_trips
            await one.clear("25/minute", "global", "10.0.0.1")
            assert (await two.hit("25/minute", "global", "10.0.0.1")).allowed
            await one.clear("25/minute", "global", "10.0.0.1")
            await one.clear("25/minute", "global", "10.0.0.2")
            return [d.allowed for d in decisions], [d.retry_after for d in decisions], trips
        finally:
            await one.aclose()
            await two.aclose()

    allowed, waits, trips = asyncio.run(go())
    assert sum(allowed) == 25
    assert all(w == 0 for a, w in zip(allowed, waits, strict=True) if a)
    assert all(55 <= w <= 60 for a, w in zip(allowed, waits, strict=True) if not a)
    assert trips < 10  # hits that arrive together share a pipelined round trip


def test_a_refused_hit_is_not_counted_and_the_window_moves(redis_url: str) -> None:
    prefix = f"codequest:ratelimit-test:{uuid.uuid4().hex}"

    async def go() -> list[bool]:
        limiter = RateLimiter(redis_url, prefix)
        try:
            seen = [(await limiter.hit("2/2 seconds", "login", "ip")).allowed for _ in range(4)]
            await asyncio.sleep(2.2)
            seen.append((await limiter.hit("2/2 seconds", "login", "ip")).allowed)
            await limiter.clear("2/2 seconds", "login", "ip")
            return seen
        finally:
            await limiter.aclose()

    assert asyncio.run(go()) == [True, True, False, False, True]


def test_a_hit_answers_whether_its_flag_key_exists_admitted_or_refused(redis_url: str) -> None:
    prefix = f"codequest:ratelimit-test:{uuid.uuid4().hex}"
    flag = f"{prefix}:flag"

    async def go() -> list[tuple[bool, bool]]:
        limiter = RateLimiter(redis_url, prefix)
        try:
            seen = [await limiter.hit("2/minute", "global", "ip", flag=flag)]
            await asyncio.to_thread(redis.Redis.from_url(redis_url).set, flag, 1)
            seen += [await limiter.hit("2/minute", "global", "ip", flag=flag) for _ in range(2)]
            seen.append(await limiter.hit("2/minute", "global", "other"))  # no flag asked
            return [(d.allowed, d.flagged) for d in seen]
        finally:
            await limiter.aclose()

    assert asyncio.run(go()) == [(True, False), (True, True), (False, True), (True, False)]
