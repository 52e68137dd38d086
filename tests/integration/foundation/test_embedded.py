import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psutil
import psycopg
import pytest

from infra.embedded import EmbeddedPostgres, EmbeddedServers
from tests.conftest import free_port

pytestmark = pytest.mark.slow


def wait_ready(port: int, timeout: float = 90.0) -> float:
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/v1/ready", timeout=2).status_code == 200:
                return time.monotonic() - start
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise AssertionError("codequest serve did not become ready")


def serve(cwd: Path, port: int) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CODEQUEST_")}
    return subprocess.Popen(
        [sys.executable, "-m", "infra.cli", "serve", "--port", str(port)],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_serve_starts_embedded_comes_back_after_kill_9_and_stops_cleanly(tmp_path):
    port = free_port()
    first = serve(tmp_path, port)
    try:
        wait_ready(port)
        secrets = tmp_path / ".codequest" / "secrets"
        assert (secrets / "jwt_secret").stat().st_mode & 0o777 == 0o600
        jwt = (secrets / "jwt_secret").read_text()
        first.send_signal(signal.SIGKILL)
        first.wait(10)
        second = serve(tmp_path, port)
        wait_ready(port)
        assert (secrets / "jwt_secret").read_text() == jwt
        health = httpx.get(f"http://127.0.0.1:{port}/v1/health", timeout=5)
        assert "server" not in health.headers  # the server software is not named
        assert health.headers["x-content-type-options"] == "nosniff"
        second.send_signal(signal.SIGTERM)
        assert second.wait(30) == 0
    finally:
        for proc in (first,):
            if proc.poll() is None:
                proc.kill()
    pgdata = str(tmp_path / ".codequest" / "pg")
    leftovers = [
        p for p in psutil.process_iter(["cmdline"]) if pgdata in " ".join(p.info["cmdline"] or [])
    ]
    assert leftovers == []


@pytest.fixture(scope="module")
def pgdata(tmp_path_factory):
    data = tmp_path_factory.mktemp("embedded") / "pg"
    server = EmbeddedPostgres(data)
    server.start()
    server.stop()
    return data


def assert_starts(pgdata: Path) -> None:
    server = EmbeddedPostgres(pgdata)
    try:
        uri = server.start(timeout=30)
        with psycopg.connect(uri) as conn:
            assert conn.execute("SELECT 1").fetchone() == (1,)
    finally:
        server.stop(force=True)


def fake_pidfile(pgdata: Path, pid: int) -> None:
    lines = [str(pid), str(pgdata), str(int(time.time())), "5432", str(pgdata), "", "1 1", "ready"]
    (pgdata / "postmaster.pid").write_text("\n".join(lines) + "\n")
    (pgdata / ".s.PGSQL.5432.lock").write_text(f"{pid}\n")


def test_stale_pidfile_whose_pid_belongs_to_another_process_is_cleared(pgdata):
    other = subprocess.Popen(["sleep", "30"])
    try:
        fake_pidfile(pgdata, other.pid)
        assert_starts(pgdata)
    finally:
        other.kill()
        other.wait()


def test_zombie_postmaster_pid_is_not_taken_for_a_running_server(pgdata):
    zombie = subprocess.Popen(["true"])
    while psutil.Process(zombie.pid).status() != psutil.STATUS_ZOMBIE:
        time.sleep(0.01)
    try:
        fake_pidfile(pgdata, zombie.pid)
        assert_starts(pgdata)
    finally:
        zombie.wait()


def test_leaked_holders_of_dead_processes_are_pruned(pgdata):
    dead = subprocess.Popen(["true"])
    dead.wait()
    (pgdata / ".handle_pids.json").write_text(json.dumps([dead.pid, 999_999]))
    assert_starts(pgdata)
    assert dead.pid not in json.loads((pgdata / ".handle_pids.json").read_text())


def test_a_second_user_of_the_data_dir_attaches_without_stopping_the_owner(tmp_path):
    owner = EmbeddedServers(tmp_path)
    pg, rd = owner.start()
    try:
        guest = EmbeddedServers(tmp_path)
        assert guest.start() == (pg, rd)
        guest.stop()
        with psycopg.connect(pg) as conn:
            assert conn.execute("SELECT 1").fetchone() == (1,)
    finally:
        owner.stop(owner=True)
