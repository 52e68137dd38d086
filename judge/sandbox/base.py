"""Sandbox interface shared by the backends: limits, run results and the verdict order."""

from __future__ import annotations

import enum
import signal
from dataclasses import dataclass, field
from typing import Protocol


class SandboxUnavailableError(RuntimeError):
    """The host cannot isolate untrusted code with this backend (fail closed)."""


class RunStatus(enum.StrEnum):
    OK = "OK"
    INTERNAL = "INTERNAL"
    MEMORY_LIMIT = "MEMORY_LIMIT"
    TIME_LIMIT = "TIME_LIMIT"
    WALL_TIME_LIMIT = "WALL_TIME_LIMIT"
    OUTPUT_LIMIT = "OUTPUT_LIMIT"
    RUNTIME_ERROR = "RUNTIME_ERROR"


@dataclass(frozen=True)
class Limits:
    cpu_ms: int
    memory_kb: int
    wall_ms: int | None = None
    processes: int = 64
    output_kb: int = 1024
    open_files: int = 64
    tmp_kb: int = 16 * 1024
    stack_kb: int | None = None

    @property
    def effective_wall_ms(self) -> int:
        return self.wall_ms if self.wall_ms is not None else 2 * self.cpu_ms + 1000

    @property
    def effective_stack_kb(self) -> int:
        return self.stack_kb if self.stack_kb is not None else self.memory_kb


@dataclass(frozen=True)
class RawRun:
    """Facts measured by a backend, before the verdict is decided."""

    exit_code: int | None
    signal: int | None
    cpu_ms: float
    wall_ms: float
    memory_kb: int
    oom_killed: bool
    killed_for: str  # none|cpu|wall
    stdout_bytes: int
    setup_error: str = ""


@dataclass
class RunResult:
    status: RunStatus
    exit_code: int | None
    signal: int | None
    cpu_ms: float
    wall_ms: float
    memory_kb: int
    stdout: bytes = b""
    stderr: bytes = b""
    output_truncated: bool = False
    detail: str = ""
    extra: dict[str, str] = field(default_factory=dict)


def classify(raw: RawRun, limits: Limits) -> RunStatus:
    """Verdict order: internal, MLE, TLE, wall TLE, OLE, runtime error, OK."""
    if raw.setup_error:
        return RunStatus.INTERNAL
    if raw.oom_killed:
        return RunStatus.MEMORY_LIMIT
    if raw.killed_for == "cpu" or raw.cpu_ms > limits.cpu_ms or raw.signal == signal.SIGXCPU:
        return RunStatus.TIME_LIMIT
    if raw.killed_for == "wall":
        return RunStatus.WALL_TIME_LIMIT
    if raw.stdout_bytes > limits.output_kb * 1024 or raw.signal == signal.SIGXFSZ:
        return RunStatus.OUTPUT_LIMIT
    if raw.signal is not None or raw.exit_code != 0:
        return RunStatus.RUNTIME_ERROR
    return RunStatus.OK


class Box(Protocol):
    """One isolated workspace per submission: write sources, compile once, run every test."""

    def write_file(self, name: str, data: bytes) -> None: ...

    def run(
        self,
        argv: list[str],
        limits: Limits,
        stdin: bytes = b"",
        env: dict[str, str] | None = None,
        writable: bool = False,
    ) -> RunResult: ...

    def close(self) -> None: ...

    def __enter__(self) -> Box: ...

    def __exit__(self, *exc: object) -> None: ...


class Sandbox(Protocol):
    """A backend able to open boxes; opening blocks until a slot (core) is free."""

    name: str

    def open_box(self, language_id: str) -> Box: ...
