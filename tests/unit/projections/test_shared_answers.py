"""Finished catalogue answers kept in the process: dropped when the position moves, when they
are older than the TTL, and least recently used first beyond the size."""

from __future__ import annotations

import asyncio
import time

from projections.catalog import SharedAnswers


def test_an_answer_lives_while_the_position_is_the_same():
    answers = SharedAnswers(ttl_s=60)
    answers.put("k", 7, b"body")
    assert answers.get("k", 7) == b"body"
    assert answers.get("k", 8) is None  # a content change was committed
    assert answers.get("k", 7) is None  # and the stale answer is gone


def test_an_answer_lives_at_most_the_ttl():
    answers = SharedAnswers(ttl_s=0.05)
    answers.put("k", 1, b"body")
    assert answers.get("k", 1) == b"body"
    time.sleep(0.06)
    assert answers.get("k", 1) is None


def test_least_recently_used_answers_go_first():
    answers = SharedAnswers(ttl_s=60, size=2)
    answers.put("a", 1, 1)
    answers.put("b", 1, 2)
    assert answers.get("a", 1) == 1  # a is now the most recent
    answers.put("c", 1, 3)
    assert answers.get("b", 1) is None
    assert (answers.get("a", 1), answers.get("c", 1)) == (1, 3)


def test_concurrent_misses_wait_for_one_load():
    answers = SharedAnswers(ttl_s=60)
    calls = []

    async def load() -> tuple[str, bool]:
        calls.append(1)
        await asyncio.sleep(0.01)
        return "page", True

    async def go() -> list[str]:
        return list(await asyncio.gather(*[answers.load("k", 3, load) for _ in range(20)]))

    assert asyncio.run(go()) == ["page"] * 20
    assert len(calls) == 1 and answers.get("k", 3) == "page"
    assert asyncio.run(answers.load("k", 4, load)) == "page" and len(calls) == 2  # moved on


def test_a_load_told_not_to_keep_is_served_but_not_kept():
    answers = SharedAnswers(ttl_s=60)

    async def load() -> tuple[str, bool]:
        return "racing", False

    assert asyncio.run(answers.load("k", 1, load)) == "racing"
    assert answers.get("k", 1) is None
