"""Fixtures for the judge integration tests: real sandboxes, one per backend."""

from __future__ import annotations

from collections.abc import Iterator

import psutil
import pytest

from judge.sandbox import Sandbox
from judge.sandbox.docker_backend import DockerSandbox, docker_engine_available
from judge.sandbox.process import BASE_UID, ProcessSandbox

BACKENDS = ["process", "docker"]
NO_ENGINE = "no Docker engine answers docker.from_env().ping() on this machine"


@pytest.fixture(scope="session")
def process_sandbox() -> ProcessSandbox:
    return ProcessSandbox()


@pytest.fixture(scope="session")
def docker_sandbox() -> DockerSandbox:
    if not docker_engine_available():
        pytest.skip(NO_ENGINE)
    return DockerSandbox()


@pytest.fixture(params=BACKENDS)
def sandbox(request: pytest.FixtureRequest) -> Iterator[Sandbox]:
    fixture = "process_sandbox" if request.param == "process" else "docker_sandbox"
    yield request.getfixturevalue(fixture)
    assert sandbox_processes() == []


def sandbox_processes() -> list[psutil.Process]:
    left = []
    for proc in psutil.process_iter(["uids"]):
        uids = proc.info["uids"]
        if uids is not None and any(BASE_UID <= u < BASE_UID + 1000 for u in uids):
            left.append(proc)
    return left
