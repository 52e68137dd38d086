from __future__ import annotations

import signal

import pytest

from judge.sandbox.base import Limits, RawRun, RunStatus, classify

LIMITS = Limits(cpu_ms=1000, memory_kb=65536, output_kb=64)


def raw(**overrides: object) -> RawRun:
    fields: dict[str, object] = {
        "exit_code": 0,
        "signal": None,
        "cpu_ms": 10.0,
        "wall_ms": 20.0,
        "memory_kb": 1000,
        "oom_killed": False,
        "killed_for": "none",
        "stdout_bytes": 10,
    }
    return RawRun(**{**fields, **overrides})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("facts", "status"),
    [
        ({}, RunStatus.OK),
        ({"setup_error": "mount: EPERM", "oom_killed": True}, RunStatus.INTERNAL),
        ({"oom_killed": True, "killed_for": "cpu", "signal": 9}, RunStatus.MEMORY_LIMIT),
        ({"killed_for": "cpu", "signal": 9, "stdout_bytes": 10**9}, RunStatus.TIME_LIMIT),
        ({"cpu_ms": 1001.0}, RunStatus.TIME_LIMIT),
        ({"signal": signal.SIGXCPU, "exit_code": None}, RunStatus.TIME_LIMIT),
        ({"killed_for": "wall", "signal": 9, "stdout_bytes": 10**9}, RunStatus.WALL_TIME_LIMIT),
        ({"stdout_bytes": 64 * 1024 + 1, "exit_code": 1}, RunStatus.OUTPUT_LIMIT),
        ({"signal": signal.SIGXFSZ, "exit_code": None}, RunStatus.OUTPUT_LIMIT),
        ({"exit_code": 3}, RunStatus.RUNTIME_ERROR),
        ({"exit_code": None, "signal": signal.SIGSEGV}, RunStatus.RUNTIME_ERROR),
    ],
)
def test_verdict_follows_the_documented_order(facts: dict[str, object], status: RunStatus) -> None:
    assert classify(raw(**facts), LIMITS) == status


def test_output_exactly_at_the_limit_is_allowed() -> None:
    assert classify(raw(stdout_bytes=64 * 1024), LIMITS) == RunStatus.OK


def test_wall_limit_defaults_to_twice_cpu_plus_one_second() -> None:
    assert Limits(cpu_ms=500, memory_kb=1).effective_wall_ms == 2000
    assert Limits(cpu_ms=500, memory_kb=1024).effective_stack_kb == 1024
