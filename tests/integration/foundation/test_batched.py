"""The hot path's Redis client (infra.redis.Batched) against a real Redis: commands that arrive
together share a round trip, each keeps its own answer (an error reply included), scripts
survive SCRIPT FLUSH, deferred commands ride the next batch, a killed connection is replaced
and a cancelled caller leaves the others answered."""

from __future__ import annotations

import asyncio
import uuid

import pytest
import redis
from redis.exceptions import ResponseError

from infra.redis import Batched

ECHO_KEYS = "return {KEYS[1], ARGV[1]}"


def run(redis_url: str, body):  # type: ignore[no-untyped-def]
    async def go():  # type: ignore[no-untyped-def]
        batch = Batched(redis_url)
        try:
            return await body(batch)
        finally:
            await batch.aclose()

    return asyncio.run(go())


def test_commands_that_arrive_together_share_a_round_trip_each_with_its_answer(
    redis_url: str,
) -> None:
    key = f"batched:{uuid.uuid4().hex}"
    redis.Redis.from_url(redis_url).set(f"{key}:text", "not a number")

    async def body(batch: Batched):  # type: ignore[no-untyped-def]
        calls = [batch.call("INCR", f"{key}:n") for _ in range(20)]
        calls.append(batch.call("INCR", f"{key}:text"))  # an error reply, for this one only
        calls += [batch.script(ECHO_KEYS, [f"{key}:{i}"], [i]) for i in range(5)]
        calls.append(batch.get(f"{key}:missing"))
        answers = await asyncio.gather(*calls, return_exceptions=True)
        return answers, batch.round_trips

    answers, trips = run(redis_url, body)
    assert answers[:20] == list(range(1, 21))  # in arrival order
    assert isinstance(answers[20], ResponseError)
    assert answers[21:26] == [[f"{key}:{i}".encode(), str(i).encode()] for i in range(5)]
    assert answers[26] is None
    assert trips <= 2  # the first command's batch, then everything that queued behind it


def test_a_script_is_loaded_again_after_script_flush(redis_url: str) -> None:
    async def body(batch: Batched):  # type: ignore[no-untyped-def]
        first = await batch.script(ECHO_KEYS, ["k"], ["1"])
        await asyncio.to_thread(redis.Redis.from_url(redis_url).script_flush)
        return first, await batch.script(ECHO_KEYS, ["k"], ["2"])

    assert run(redis_url, body) == ([b"k", b"1"], [b"k", b"2"])


def test_deferred_commands_go_with_the_next_batch_unanswered(redis_url: str) -> None:
    key = f"batched:{uuid.uuid4().hex}"

    async def body(batch: Batched):  # type: ignore[no-untyped-def]
        for _ in range(3):
            batch.defer("INCR", key)
        batch.defer("INCR", "{bad")  # fine as a key: still nobody's answer
        batch.defer("HGET", key, "x")  # WRONGTYPE: dropped, the batch goes on
        return await batch.get(key)

    assert run(redis_url, body) == b"3"


def test_a_killed_connection_is_replaced_and_the_batch_sent_again(redis_url: str) -> None:
    admin = redis.Redis.from_url(redis_url)

    async def body(batch: Batched):  # type: ignore[no-untyped-def]
        before = await batch.call("CLIENT", "ID")
        await asyncio.to_thread(admin.client_kill_filter, _id=before)
        after = await batch.call("CLIENT", "ID")
        return before, after, await batch.call("PING")

    before, after, pong = run(redis_url, body)
    assert after != before  # answered on a new connection
    assert pong == b"PONG"  # the raw reply


def test_a_cancelled_caller_leaves_the_others_answered(redis_url: str) -> None:
    key = f"batched:{uuid.uuid4().hex}"

    async def body(batch: Batched):  # type: ignore[no-untyped-def]
        slow = asyncio.ensure_future(batch.call("BLPOP", f"{key}:never", 0.3))
        await asyncio.sleep(0.05)
        waiting = [asyncio.ensure_future(batch.call("INCR", key)) for _ in range(3)]
        slow.cancel()
        with pytest.raises(asyncio.CancelledError):
            await slow
        return await asyncio.gather(*waiting)

    assert run(redis_url, body) == [1, 2, 3]
