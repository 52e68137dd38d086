"""The hot path's Redis client (infra.redis.Batched) against redis-py's own asyncio client.

    python bench/redis_batch.py [--commands 30000] [--callers 1,5,20,100]

In one run, on a claimed Redis DB index: ``callers`` concurrent tasks each send their share of
``commands`` one after another, the mix of a cached read (the global limit's script, a GET of
a 3 KB value, a deferred INCR where the client has one), first through ``Batched``, then through
``redis.asyncio.Redis`` (a round trip per command, its connection pool) and a redis-py pipeline
per command. Prints the client's CPU µs per command and the round trips it made.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import redis.asyncio as aredis  # noqa: E402
import uvloop  # noqa: E402

from bench.catalog_reads import scratch_redis  # noqa: E402
from infra.redis import MOVING_WINDOW, Batched  # noqa: E402

LIMIT = ["100000000", "60"]


async def measure(
    callers: int, commands: int, one: Callable[[], Awaitable[Any]], trips: Callable[[], int]
) -> tuple[float, float]:
    """CPU µs per command with ``callers`` tasks each running ``one()`` (3 commands) in turn,
    and commands per round trip (``trips()`` counts the client's round trips)."""
    rounds = max(commands // (3 * callers), 1)

    async def caller() -> None:
        for _ in range(rounds):
            await one()

    await asyncio.gather(*(caller() for _ in range(min(callers, 10))))  # warm: scripts, pools
    trips0, started = trips(), time.process_time()
    await asyncio.gather(*(caller() for _ in range(callers)))
    sent = rounds * callers * 3
    return (time.process_time() - started) / sent * 1e6, sent / max(trips() - trips0, 1)


async def run(url: str, commands: int, callers: list[int]) -> None:
    batch, plain = Batched(url), aredis.Redis.from_url(url)
    await plain.set("bench:value", b"x" * 3000)
    sha = await plain.script_load(MOVING_WINDOW)

    async def batched() -> None:
        await batch.script(
            MOVING_WINDOW, ["bench:window", "bench:flag"], [repr(time.time()), *LIMIT]
        )
        await batch.get("bench:value")
        batch.defer("INCR", "bench:hits")

    async def one_by_one() -> None:
        await plain.evalsha(sha, 2, "bench:window", "bench:flag", repr(time.time()), *LIMIT)
        await plain.get("bench:value")
        await plain.incr("bench:hits")

    async def pipelines() -> None:
        for build in (
            lambda p: p.evalsha(sha, 2, "bench:window", "bench:flag", repr(time.time()), *LIMIT),
            lambda p: p.get("bench:value"),
            lambda p: p.incr("bench:hits"),
        ):
            pipe = plain.pipeline(transaction=False)
            build(pipe)
            await pipe.execute()

    print(
        "| concurrent callers | Batched: µs CPU/command, commands per round trip"
        " | redis-py client, a round trip each | redis-py pipeline per command |\n"
        "|---:|---:|---:|---:|"
    )
    try:
        for n in callers:
            ours, per_trip = await measure(n, commands, batched, lambda: batch.round_trips)
            theirs, _ = await measure(n, commands, one_by_one, lambda: 0)
            piped, _ = await measure(n, commands, pipelines, lambda: 0)
            print(f"| {n} | {ours:.1f} µs, {per_trip:.1f} | {theirs:.1f} µs | {piped:.1f} µs |")
    finally:
        await plain.delete("bench:window", "bench:value", "bench:hits")
        await batch.aclose()
        await plain.aclose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commands", type=int, default=30_000)
    parser.add_argument("--callers", default="1,5,20,100")
    args = parser.parse_args()
    with scratch_redis() as url:
        uvloop.run(run(url, args.commands, [int(c) for c in args.callers.split(",")]))


if __name__ == "__main__":
    main()
