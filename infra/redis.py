"""Redis clients and the exact, cross-process rate limiter (a moving window on Redis)."""

from __future__ import annotations

import asyncio
import math
import time
from dataclasses import dataclass
from typing import Any

import redis
import redis.asyncio as aredis
from limits import RateLimitItem, parse
from redis.exceptions import NoScriptError


def sync_client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_timeout=10, health_check_interval=30)


def async_client(url: str) -> aredis.Redis:
    """Create inside the running event loop (one per loop)."""
    return aredis.Redis.from_url(url, socket_timeout=10, health_check_interval=30)


# The limits library's moving window (acquire_moving_window.lua) for one hit, answering the
# refusal's wait too: the window holds the timestamps of the last ``limit`` admitted hits, and
# a hit is admitted when the oldest of them has left the window.
MOVING_WINDOW = """
local now, limit, expiry = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local oldest = redis.call('LINDEX', KEYS[1], limit - 1)
if oldest and tonumber(oldest) >= now - expiry then
    return {0, oldest}
end
redis.call('LPUSH', KEYS[1], ARGV[1])
redis.call('LTRIM', KEYS[1], 0, limit - 1)
redis.call('EXPIRE', KEYS[1], expiry)
return {1, ''}"""


@dataclass(frozen=True)
class Decision:
    allowed: bool
    limit: int
    retry_after: int  # seconds; 0 when allowed


class RateLimiter:
    """Exact limits shared by every process: a moving window per key, checked and counted by
    one atomic script in Redis (rules parsed by the limits library: ``5/15 minutes``).

    Hits are pipelined: while one round trip is on its way, the hits that arrive meanwhile
    wait and go together in the next one (each still its own atomic script, in arrival
    order), so under load a request costs a share of a round trip instead of a whole one.
    Create inside the running event loop.
    """

    def __init__(self, url: str, prefix: str = "codequest:ratelimit") -> None:
        self._redis = async_client(url)
        self._prefix = prefix
        self._items: dict[str, RateLimitItem] = {}
        self._sha: str | None = None
        self._queue: list[tuple[tuple[Any, ...], asyncio.Future[Any]]] = []
        self._sender: asyncio.Task[None] | None = None
        self.round_trips = 0

    def _item(self, rule: str) -> RateLimitItem:
        if rule not in self._items:
            self._items[rule] = parse(rule)
        return self._items[rule]

    def key(self, rule: str, *key: str) -> str:
        item = self._item(rule)
        return f"{self._prefix}:{'/'.join(key)}:{item.amount}/{item.get_expiry()}"

    async def hit(self, rule: str, *key: str) -> Decision:
        """Count one request against ``rule`` (e.g. ``5/15 minutes``) for ``key``."""
        item = self._item(rule)
        expiry = item.get_expiry()
        now = time.time()
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._queue.append(((self.key(rule, *key), now, item.amount, expiry), future))
        if self._sender is None:
            self._sender = asyncio.ensure_future(self._send())
        allowed, oldest = await asyncio.shield(future)
        if allowed:
            return Decision(True, item.amount, 0)
        wait = float(oldest) + expiry - now
        return Decision(False, item.amount, min(max(math.ceil(wait), 1), expiry))

    async def _send(self) -> None:
        try:
            while self._queue:
                batch, self._queue = self._queue, []
                try:
                    results = await self._run(batch)
                except Exception as exc:
                    for _, future in batch:
                        if not future.done():
                            future.set_exception(exc)
                    continue
                for (_, future), result in zip(batch, results, strict=True):
                    if not future.done():
                        future.set_result(result)
        finally:
            self._sender = None

    async def _run(self, batch: list[tuple[tuple[Any, ...], asyncio.Future[Any]]]) -> list[Any]:
        for attempt in (1, 2):
            if self._sha is None:
                self._sha = await self._redis.script_load(MOVING_WINDOW)
            pipe = self._redis.pipeline(transaction=False)
            for (key, now, limit, expiry), _ in batch:
                pipe.evalsha(self._sha, 1, key, repr(now), limit, expiry)
            self.round_trips += 1
            try:
                return await pipe.execute()  # type: ignore[no-any-return]
            except NoScriptError:  # Redis restarted or flushed its scripts
                self._sha = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    async def clear(self, rule: str, *key: str) -> None:
        await self._redis.delete(self.key(rule, *key))

    async def aclose(self) -> None:
        await self._redis.aclose()
