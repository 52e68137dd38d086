import os
import subprocess
import sys

import pytest

COMMANDS = [
    ["serve"],
    ["worker"],
    ["project"],
    ["admin", "create-user"],
    ["seed-demo"],
    ["events", "export"],
    ["audit", "verify"],
    ["audit", "head"],
    ["projections", "status"],
    ["projections", "rebuild"],
]


def codequest(*args, env=None, timeout=60):
    base = {k: v for k, v in os.environ.items() if not k.startswith("CODEQUEST_")}
    return subprocess.run(
        [sys.executable, "-m", "infra.cli", *args],
        capture_output=True,
        text=True,
        env={**base, **(env or {})},
        timeout=timeout,
    )


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_has_help(command):
    result = codequest(*command, "--help")
    assert result.returncode == 0
    assert result.stdout.startswith("usage: codequest")


@pytest.mark.parametrize(
    "args",
    [
        ["serve", "--port", "eighty"],
        ["serve", "--port", "70000"],
        ["serve", "--workers", "0"],
        ["nonsense"],
        ["projections", "rebuild", "x", "--until-time", "yesterday"],
    ],
)
def test_bad_arguments_exit_2_with_a_one_line_error(args):
    result = codequest(*args)
    assert result.returncode == 2
    errors = [line for line in result.stderr.splitlines() if "error" in line]
    assert len(errors) == 1 and "Traceback" not in result.stderr


def test_bad_configuration_is_one_line_exit_2(tmp_path):
    result = codequest(
        "projections",
        "status",
        env={"CODEQUEST_SANDBOX": "vm", "CODEQUEST_DATA_DIR": str(tmp_path)},
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "codequest: configuration error: CODEQUEST_SANDBOX must be one of auto, docker, process"
    ]


@pytest.mark.parametrize(
    "command", [["serve"], ["worker"], ["project"], ["projections", "status"]], ids=" ".join
)
def test_unreachable_postgres_is_one_line_exit_3(tmp_path, command, redis_url):
    env = {
        "CODEQUEST_DATA_DIR": str(tmp_path),
        "CODEQUEST_DATABASE_URL": "postgresql://postgres@127.0.0.1:1/nowhere",
        "CODEQUEST_REDIS_URL": redis_url,
    }
    result = codequest(*command, env=env)
    assert result.returncode == 3
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("codequest: cannot reach PostgreSQL")


def test_unreachable_redis_is_one_line_exit_3(tmp_path, pg_url):
    env = {
        "CODEQUEST_DATA_DIR": str(tmp_path),
        "CODEQUEST_DATABASE_URL": pg_url,
        "CODEQUEST_REDIS_URL": "redis://127.0.0.1:1/0",
    }
    result = codequest("worker", env=env)
    assert result.returncode == 3
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("codequest: cannot reach Redis")


def test_unknown_queue_and_projection_are_refused(tmp_path, pg_url, redis_url):
    env = {
        "CODEQUEST_DATA_DIR": str(tmp_path),
        "CODEQUEST_DATABASE_URL": pg_url,
        "CODEQUEST_REDIS_URL": redis_url,
    }
    assert codequest("worker", "--queues", "bogus", env=env).returncode == 2
    assert codequest("project", "--only", "bogus", env=env).returncode == 2
    assert codequest("projections", "rebuild", "bogus", env=env).returncode == 2
