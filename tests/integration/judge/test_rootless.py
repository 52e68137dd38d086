"""The process sandbox run by a non-root user: user namespaces when they work, else fail closed."""

from __future__ import annotations

import json
import pwd
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

USER = "cqjudge-rootless"
HERE = Path(__file__).parent
ROOT = HERE.parents[2]
SITE = Path(sys.prefix) / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}"
# The venv's interpreter may live under /root; the system one runs the project's code as well.
PYTHON = "/usr/bin/python3"
REFUSAL = "refusing to run untrusted code without isolation"


@pytest.fixture(scope="module")
def user() -> pwd.struct_passwd:
    try:
        return pwd.getpwnam(USER)
    except KeyError:
        subprocess.run(["useradd", "--system", "-M", "-s", "/usr/sbin/nologin", USER], check=True)
        return pwd.getpwnam(USER)


@pytest.fixture
def listener() -> Iterator[int]:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    yield server.getsockname()[1]
    server.close()


def as_user(user: pwd.struct_passwd, argv: list[str], wrap: list[str] | None = None) -> dict:
    env = ["env", f"PYTHONPATH={ROOT}:{SITE / 'site-packages'}", "HOME=/tmp", "PATH=/usr/bin:/bin"]
    drop = ["setpriv", f"--reuid={user.pw_uid}", f"--regid={user.pw_gid}", "--clear-groups"]
    cmd = [*(wrap or drop), *env, PYTHON, *argv]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300, cwd="/tmp")
    assert proc.returncode == 0, proc.stderr
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def userns_allowed(user: pwd.struct_passwd) -> bool:
    """Ask the kernel directly, independently of the sandbox's own detection."""
    drop = ["setpriv", f"--reuid={user.pw_uid}", f"--regid={user.pw_gid}", "--clear-groups"]
    return (
        subprocess.run([*drop, "unshare", "--user", "--net", "true"], check=False).returncode == 0
    )


def processes_of(uid: int) -> list[psutil.Process]:
    return [p for p in psutil.process_iter(["uids"]) if p.info["uids"] and uid in p.info["uids"]]


def test_non_root_judge_isolates_with_user_namespaces_or_refuses(
    user: pwd.struct_passwd, listener: int
) -> None:
    report = as_user(user, [str(HERE / "rootless_judge.py"), str(listener)])
    assert processes_of(user.pw_uid) == []
    if not userns_allowed(user):
        assert REFUSAL in str(report["refused"])
        return
    assert report["uid"] == user.pw_uid and report["mode"] == "userns"
    assert report["sum"] == {"status": "PASSED", "output": "3"}
    assert report["cpp_sum"] == {"status": "PASSED", "output": "3"}
    assert report["identity"] == {"status": "PASSED", "output": "60000 lo 2"}
    assert report["network"] == {"status": "PASSED", "output": "blocked"}
    assert report["host_files"]["status"] == "PASSED", report["host_files"]
    assert report["fork_bomb"]["status"] in ("TIMEOUT", "ERROR", "MEMORY_LIMIT")
    assert report["memory_bomb"]["status"] == "MEMORY_LIMIT"
    assert report["infinite_loop"]["status"] == "TIMEOUT"


def test_non_root_judge_refuses_when_user_namespaces_are_disabled(
    user: pwd.struct_passwd, listener: int
) -> None:
    wrap = [sys.executable, str(HERE / "no_userns.py"), str(user.pw_uid), str(user.pw_gid)]
    report = as_user(user, [str(HERE / "rootless_judge.py"), str(listener)], wrap)
    assert REFUSAL in report["refused"]
    assert "max_user_namespaces is 0" in report["refused"]


def test_non_root_judge_refuses_when_the_sandbox_cannot_be_built(
    user: pwd.struct_passwd, listener: int
) -> None:
    # A /proc with something mounted over part of it (as in many containers): a new proc cannot
    # be mounted in a user namespace, so no box can be built; the probe run must fail closed.
    drop = f"setpriv --reuid={user.pw_uid} --regid={user.pw_gid} --clear-groups"
    wrap = [
        "unshare",
        "--mount",
        "--propagation",
        "private",
        "sh",
        "-c",
        f'mount -t tmpfs none /proc/sys && exec {drop} "$@"',
        "sh",
    ]
    report = as_user(user, [str(HERE / "rootless_judge.py"), str(listener)], wrap)
    assert REFUSAL in report["refused"]
    assert "cannot be built here" in report["refused"] and "proc" in report["refused"]
