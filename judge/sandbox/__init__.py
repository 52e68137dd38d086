"""Sandboxes for untrusted code: the `process` and `docker` backends behind one interface."""

from __future__ import annotations

from judge.sandbox.base import (
    Box,
    Limits,
    RunResult,
    RunStatus,
    Sandbox,
    SandboxUnavailableError,
    classify,
)

__all__ = [
    "Box",
    "Limits",
    "RunResult",
    "RunStatus",
    "Sandbox",
    "SandboxUnavailableError",
    "classify",
    "get_sandbox",
]


def get_sandbox(kind: str) -> Sandbox:
    """`docker`, `process`, or `auto` (docker when an engine answers, else process)."""
    from judge.sandbox.docker_backend import DockerSandbox, docker_engine_available
    from judge.sandbox.process import ProcessSandbox

    if kind == "docker":
        return DockerSandbox()
    if kind == "process":
        return ProcessSandbox()
    if kind == "auto":
        return DockerSandbox() if docker_engine_available() else ProcessSandbox()
    raise ValueError(f"unknown sandbox kind {kind!r}: expected docker, process or auto")
