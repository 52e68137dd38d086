"""Redis clients and the exact, cross-process rate limiter (the limits library's moving window)."""

from __future__ import annotations

import time
from dataclasses import dataclass

import redis
import redis.asyncio as aredis
from limits import RateLimitItem, parse
from limits.aio.storage import RedisStorage
from limits.aio.strategies import MovingWindowRateLimiter


def sync_client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_timeout=10, health_check_interval=30)


def async_client(url: str) -> aredis.Redis:
    """Create inside the running event loop (one per loop)."""
    return aredis.Redis.from_url(url, socket_timeout=10, health_check_interval=30)


def _limits_uri(url: str) -> str:
    if url.startswith("unix://"):
        return "async+redis+" + url
    return "async+" + url


@dataclass(frozen=True)
class Decision:
    allowed: bool
    limit: int
    remaining: int
    retry_after: int


class RateLimiter:
    """Exact limits shared by every process: a Lua-backed moving window per key."""

    def __init__(self, url: str, prefix: str = "codequest:ratelimit") -> None:
        storage = RedisStorage(_limits_uri(url), implementation="redispy", key_prefix=prefix)
        self._strategy = MovingWindowRateLimiter(storage)
        self._items: dict[str, RateLimitItem] = {}

    def _item(self, rule: str) -> RateLimitItem:
        if rule not in self._items:
            self._items[rule] = parse(rule)
        return self._items[rule]

    async def hit(self, rule: str, *key: str) -> Decision:
        """Count one request against ``rule`` (e.g. ``5/15 minutes``) for ``key``."""
        item = self._item(rule)
        allowed = await self._strategy.hit(item, *key)
        stats = await self._strategy.get_window_stats(item, *key)
        retry = 0 if allowed else max(int(stats.reset_time - time.time()) + 1, 1)
        return Decision(allowed, item.amount, stats.remaining, retry)

    async def clear(self, rule: str, *key: str) -> None:
        await self._strategy.clear(self._item(rule), *key)
