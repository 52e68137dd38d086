"""Redis clients and the exact, cross-process rate limiter (a moving window on Redis)."""

from __future__ import annotations

import asyncio
import math
import time
from typing import Any, NamedTuple

import hiredis
import redis
import redis.asyncio as aredis
from limits import RateLimitItem, parse
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialWithJitterBackoff
from redis.exceptions import NoScriptError, ResponseError


def sync_client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_timeout=10, health_check_interval=30)


def async_client(url: str) -> aredis.Redis:
    """Create inside the running event loop (one per loop)."""
    return aredis.Redis.from_url(url, socket_timeout=10, health_check_interval=30)


# The limits library's moving window (acquire_moving_window.lua) for one hit, answering the
# refusal's wait too: the window holds the timestamps of the last ``limit`` admitted hits, and
# a hit is admitted when the oldest of them has left the window. KEYS[2], when given, is a flag
# whose existence is answered in the same round trip (the caller's account state).
MOVING_WINDOW = """
local now, limit, expiry = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local flagged = 0
if KEYS[2] then flagged = redis.call('EXISTS', KEYS[2]) end
local oldest = redis.call('LINDEX', KEYS[1], limit - 1)
if oldest and tonumber(oldest) >= now - expiry then
    return {0, oldest, flagged}
end
redis.call('LPUSH', KEYS[1], ARGV[1])
redis.call('LTRIM', KEYS[1], 0, limit - 1)
redis.call('EXPIRE', KEYS[1], expiry)
return {1, '', flagged}"""


Item = tuple[str | None, tuple[Any, ...]]  # (script text or None, command or EVALSHA arguments)


class Batched:
    """Redis commands and scripts pipelined across concurrent requests, on one connection.

    While one batch is on its way, the commands that arrive meanwhile wait and go together in
    the next (each answered on its own, in arrival order; scripts as EVALSHA, loaded once), so
    under load a command costs a share of a round trip instead of a whole one. A batch is
    packed by hiredis and written and read on the client's own connection (redis-py's
    ``Connection`` and its hiredis parser) under one deadline, without a pipeline object per
    batch or a timer per reply. For
    the per-request reads and counters of the hot path; transactions and WATCH need their own
    client. Create inside the running event loop.
    """

    def __init__(self, url: str, timeout_s: float = 10.0) -> None:
        # no socket timeout (one deadline per batch); a broken connection is retried at once
        retry = Retry(ExponentialWithJitterBackoff(cap=0.5, base=0.01), 3)
        self.redis = aredis.Redis.from_url(url, retry=retry)
        self.timeout_s = timeout_s
        self._connection: Any = None
        self._shas: dict[str, str] = {}
        self._queue: list[tuple[Item, asyncio.Future[Any] | None]] = []
        self._sender: asyncio.Task[None] | None = None
        self.round_trips = 0

    async def call(self, *command: Any) -> Any:
        """One command, e.g. ``call("EXISTS", key)``; its raw reply (bytes, int, list, None)."""
        return await self._enqueue((None, command))

    async def get(self, key: str) -> Any:
        return await self.call("GET", key)

    async def script(self, text: str, keys: list[str], args: list[Any]) -> Any:
        """A Lua script (``EVALSHA`` of ``text``) on ``keys`` with ``args``."""
        return await self._enqueue((text, (len(keys), *keys, *args)))

    def defer(self, *command: Any) -> None:
        """Send ``command`` with the next batch, nobody waiting for it (counters): its reply,
        or its failure, is dropped."""
        self._queue.append(((None, command), None))
        self._start()

    async def _enqueue(self, item: Item) -> Any:
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._queue.append((item, future))
        self._start()
        return await future  # a cancelled waiter cancels its future: the sender skips it

    def _start(self) -> None:
        if self._sender is None:
            self._sender = asyncio.ensure_future(self._send())

    async def _send(self) -> None:
        try:
            while self._queue:
                batch, self._queue = self._queue, []
                try:
                    results = await self._run([item for item, _ in batch])
                except Exception as exc:
                    results = [exc] * len(batch)
                for (_, future), result in zip(batch, results, strict=True):
                    if future is None or future.done():
                        continue
                    if isinstance(result, Exception):
                        future.set_exception(result)
                    else:
                        future.set_result(result)
        finally:
            self._sender = None

    async def _run(self, items: list[Item]) -> list[Any]:
        for text in {t for t, _ in items if t is not None and t not in self._shas}:
            self._shas[text] = await self.redis.script_load(text)
        commands = [
            args if text is None else ("EVALSHA", self._shas[text], *args) for text, args in items
        ]
        if self._connection is None:
            self._connection = await self.redis.connection_pool.get_connection()
        conn = self._connection
        self.round_trips += 1
        async with asyncio.timeout(self.timeout_s):  # the whole batch, every try
            # a connection that broke is dropped and the batch sent again on a new one, as
            # redis-py's own pipelines do
            results = await conn.retry.call_with_retry(
                lambda: self._exchange(conn, commands), lambda _: conn.disconnect()
            )
        lost = [i for i, r in enumerate(results) if isinstance(r, NoScriptError)]
        if lost:  # Redis restarted or flushed its scripts: load them again, once
            self._shas.clear()
            again = await self._run([items[i] for i in lost])
            for i, result in zip(lost, again, strict=True):
                results[i] = result
        return results

    @staticmethod
    async def _exchange(conn: Any, commands: list[tuple[Any, ...]]) -> list[Any]:
        packed = b"".join(map(hiredis.pack_command, commands))  # in C (redis-py's is Python)
        await conn.send_packed_command(packed, check_health=False)
        results: list[Any] = []
        for _ in commands:
            try:
                results.append(await conn.read_response())
            except ResponseError as exc:  # an error reply: that command's answer
                results.append(exc)
        return results

    async def aclose(self) -> None:
        if self._connection is not None:
            await self.redis.connection_pool.release(self._connection)
            self._connection = None
        await self.redis.aclose()


class Decision(NamedTuple):
    allowed: bool
    limit: int
    retry_after: int  # seconds; 0 when allowed
    flagged: bool = False  # the ``flag`` key given to ``hit`` exists


class RateLimiter:
    """Exact limits shared by every process: a moving window per key, checked and counted by
    one atomic script in Redis (rules parsed by the limits library: ``5/15 minutes``).

    Hits go through a ``Batched`` client: hits that arrive together share a pipelined round
    trip, each still its own atomic script, in arrival order.
    """

    def __init__(self, redis: Batched | str, prefix: str = "codequest:ratelimit") -> None:
        self._owned = isinstance(redis, str)
        self._batch = Batched(redis) if isinstance(redis, str) else redis
        self._prefix = prefix
        self._rules: dict[str, tuple[str, int, int]] = {}

    @property
    def round_trips(self) -> int:
        return self._batch.round_trips

    def _rule(self, rule: str) -> tuple[str, int, int]:
        """``rule``'s key suffix, amount and window in seconds (parsed once)."""
        known = self._rules.get(rule)
        if known is None:
            item: RateLimitItem = parse(rule)
            expiry = item.get_expiry()
            known = self._rules[rule] = (f"{item.amount}/{expiry}", item.amount, expiry)
        return known

    def key(self, rule: str, *key: str) -> str:
        return f"{self._prefix}:{'/'.join(key)}:{self._rule(rule)[0]}"

    async def hit(self, rule: str, *key: str, flag: str | None = None) -> Decision:
        """Count one request against ``rule`` (e.g. ``5/15 minutes``) for ``key``; whether the
        key ``flag`` exists is answered in the same round trip."""
        suffix, amount, expiry = self._rule(rule)
        window = f"{self._prefix}:{'/'.join(key)}:{suffix}"
        now = time.time()
        allowed, oldest, flagged = await self._batch.script(
            MOVING_WINDOW, [window] if flag is None else [window, flag], [repr(now), amount, expiry]
        )
        if allowed:
            return Decision(True, amount, 0, flagged == 1)
        wait = float(oldest) + expiry - now
        return Decision(False, amount, min(max(math.ceil(wait), 1), expiry), flagged == 1)

    async def clear(self, rule: str, *key: str) -> None:
        await self._batch.call("DEL", self.key(rule, *key))

    async def aclose(self) -> None:
        if self._owned:
            await self._batch.aclose()
