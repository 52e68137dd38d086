from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest

from tests.integration.judge.test_grading import SUM, TWO_SUM_CODE
from tests.integration.submissions.conftest import poll_final, publish_problem, submit, token_for

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

SUM_TESTS = [
    ("1 2\n", "3\n", True),
    ("-5 5\n", "0\n", False),
    ("1000000000 1000000000\n", "2000000000\n", False),
]
TWO_SUM_HARNESS = {
    "function_name": {
        "python3.10": "two_sum",
        "cpp17": "twoSum",
        "java17": "twoSum",
        "javascript": "twoSum",
    },
    "params": [{"name": "nums", "type": "int[]"}, {"name": "target", "type": "int"}],
    "return_type": "int[]",
}
TWO_SUM_TESTS = [
    ("[[2,7,11,15], 9]\n", "[0,1]\n", True),
    ("[[3,2,4], 6]\n", "[1,2]\n", False),
    ("[[3,3], 6]\n", "[0,1]\n", False),
]
# (name, language, code, problem, verdict, per-test statuses or None, points)
CASES: list[tuple[str, str, str, str, str, str | None, int]] = [
    *[(f"accepted-{lang}", lang, SUM[lang], "sum", "ACCEPTED", "PASSED", 100) for lang in SUM],
    *[
        (f"harness-{lang}", lang, TWO_SUM_CODE[lang], "two_sum", "ACCEPTED", "PASSED", 100)
        for lang in TWO_SUM_CODE
    ],
    ("wrong-answer", "python3.10", "print(3)\n", "sum", "FAILED", None, 33),
    ("wrong-answer-cpp", "cpp17", "int main() { return 0; }\n", "sum", "FAILED", "FAILED", 0),
    ("runtime-error", "python3.10", "raise ValueError('boom')\n", "sum", "ERROR", "ERROR", 0),
    ("segfault", "cpp17", "int main() { int *p = 0; return *p; }\n", "sum", "ERROR", "ERROR", 0),
    (
        "timeout",
        "cpp17",
        "int main() { volatile long x = 0; for (;;) x++; }\n",
        "sum",
        "TIMEOUT",
        "TIMEOUT",
        0,
    ),
    (
        "memory-limit",
        "python3.10",
        "x = []\nwhile True:\n    x.append(bytearray(1 << 20))\n",
        "sum",
        "ERROR",
        "MEMORY_LIMIT",
        0,
    ),
    ("compile-cpp", "cpp17", "int main( {\n", "sum", "COMPILATION_ERROR", None, 0),
    (
        "compile-java",
        "java17",
        "public class Main { void f( }\n",
        "sum",
        "COMPILATION_ERROR",
        None,
        0,
    ),
    ("compile-python", "python3.10", "def f(:\n", "sum", "COMPILATION_ERROR", None, 0),
    ("compile-js", "javascript", "console.log(\n", "sum", "COMPILATION_ERROR", None, 0),
]


@pytest.fixture(scope="module")
def problems(container: Any) -> dict[str, UUID]:
    return {
        "sum": publish_problem(container, SUM_TESTS, time_limit_ms=500, memory_limit_mb=64),
        "two_sum": publish_problem(container, TWO_SUM_TESTS, harness=TWO_SUM_HARNESS),
    }


@pytest.fixture(scope="module")
def judged(client: Any, problems: dict[str, UUID]) -> dict[str, dict[str, Any]]:
    """Submit every case over HTTP at once, then read each final result."""
    _, token = token_for(client.app)
    ids = {
        name: submit(client, token, problems[problem], lang, code)
        for name, lang, code, problem, *_ in CASES
    }
    return {name: poll_final(client, sid, token, timeout=120) for name, sid in ids.items()}


@pytest.mark.parametrize(
    ("name", "verdict", "test_status", "points"),
    [(c[0], c[4], c[5], c[6]) for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_verdict_over_http(
    judged: dict[str, dict[str, Any]],
    name: str,
    verdict: str,
    test_status: str | None,
    points: int,
) -> None:
    data = judged[name]
    assert (data["verdict"], data["points"]) == (verdict, points), data
    assert data["status"] in (verdict, "REVIEW_PENDING", "REVIEW_COMPLETE"), data
    statuses = [r["status"] for r in data["test_results"]]
    if verdict == "COMPILATION_ERROR":
        assert statuses == [] and data["compilation_output"]
    elif test_status is not None:
        assert set(statuses) == {test_status}
    assert data["passed"] is (verdict == "ACCEPTED")


def test_first_accepted_earns_xp_and_later_ones_none(judged: dict[str, dict[str, Any]]) -> None:
    sum_accepted = [judged[f"accepted-{lang}"] for lang in SUM]
    assert sorted(d["xp_earned"] for d in sum_accepted) == [0, 0, 0, 10]
    assert [d["first_solve"] for d in sum_accepted].count(True) == 1
    assert judged["wrong-answer"]["xp_earned"] == 0
