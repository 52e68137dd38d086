"""Fixtures for the judge integration tests: real sandboxes, one per backend."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from judge.sandbox import Sandbox
from judge.sandbox.docker_backend import DockerSandbox, docker_engine_available
from judge.sandbox.process import ProcessSandbox

BACKENDS = ["process", "docker"]
NO_ENGINE = "no Docker engine answers docker.from_env().ping() on this machine"


# A uid range and work dir of this test session only, so that judges run by other processes on the
# same host neither collide with these tests nor count as processes left behind by them.
TEST_BASE_UID = 62000 + (os.getpid() % 500) * 8


@pytest.fixture(scope="session")
def process_sandbox() -> Iterator[ProcessSandbox]:
    work_dir = Path(f"/var/tmp/codequest-judge-test-{os.getpid()}")
    yield ProcessSandbox(work_dir=work_dir, base_uid=TEST_BASE_UID)
    shutil.rmtree(work_dir, ignore_errors=True)


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
        if uids is not None and any(TEST_BASE_UID <= u < TEST_BASE_UID + 8 for u in uids):
            left.append(proc)
    return left
