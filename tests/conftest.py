"""Shared fixtures: a fresh PostgreSQL database and Redis DB index per run, the real app."""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
import redis

from infra.settings import Settings, load_settings

PG_SERVER = os.environ.get("CODEQUEST_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_SERVER = os.environ.get("CODEQUEST_TEST_REDIS", "redis://127.0.0.1:6379")
TEST_RATE_LIMITS = ",".join(
    f"{name}=100000/minute" for name in ("global", "login", "submission", "ai", "run")
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _with_db(url: str, dbname: str) -> str:
    info = psycopg.conninfo.conninfo_to_dict(url)
    info["dbname"] = dbname
    return psycopg.conninfo.make_conninfo(**info)


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    name = f"cq_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_SERVER, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield _with_db(PG_SERVER, name)
    with psycopg.connect(PG_SERVER, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def make_database() -> str:
    """A further fresh database (for tests that need an empty log); dropped at exit by name."""
    name = f"cq_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_SERVER, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    _EXTRA_DBS.append(name)
    return _with_db(PG_SERVER, name)


_EXTRA_DBS: list[str] = []


@pytest.fixture(scope="session", autouse=True)
def _drop_extra_databases() -> Iterator[None]:
    yield
    if not _EXTRA_DBS:
        return
    with psycopg.connect(PG_SERVER, autocommit=True) as conn:
        for name in _EXTRA_DBS:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """Claim a Redis DB index (1-15) for this run, empty it, release it afterwards."""
    admin = redis.Redis.from_url(f"{REDIS_SERVER}/0")
    token = uuid.uuid4().hex
    for index in list(range(1, 16)) * 20:
        if admin.set(f"codequest:test-db-claim:{index}", token, nx=True, ex=3600):
            break
        time.sleep(0.01)
    else:
        raise RuntimeError("no free Redis DB index for the test run")
    url = f"{REDIS_SERVER}/{index}"
    redis.Redis.from_url(url).flushdb()
    yield url
    redis.Redis.from_url(url).flushdb()
    if admin.get(f"codequest:test-db-claim:{index}") == token.encode():
        admin.delete(f"codequest:test-db-claim:{index}")


def make_settings(tmp: Path, pg: str, rd: str, **env: str) -> Settings:
    base = {
        "CODEQUEST_DATA_DIR": str(tmp),
        "CODEQUEST_DATABASE_URL": pg,
        "CODEQUEST_REDIS_URL": rd,
        "CODEQUEST_SANDBOX": "process",
        "CODEQUEST_INLINE_WORKERS": "1",
        "CODEQUEST_RATE_LIMITS": TEST_RATE_LIMITS,
        "CODEQUEST_LOG_FORMAT": "json",
        "CODEQUEST_LOG_LEVEL": "WARNING",
    }
    base.update(env)
    return load_settings(base)


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("codequest-data")


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[Any]:
    """A real SMTP server on loopback that keeps every message it receives."""
    from tests.support.smtp import SmtpSink

    sink = SmtpSink(port=free_port()).start()
    yield sink
    sink.stop()


@pytest.fixture(scope="session")
def settings(data_dir: Path, pg_url: str, redis_url: str, smtp_server: Any) -> Settings:
    return make_settings(data_dir, pg_url, redis_url, CODEQUEST_SMTP_URL=smtp_server.url)


@pytest.fixture(scope="session")
def container(settings: Settings) -> Iterator[Any]:
    from infra.container import build_container

    c = build_container(settings, hash_rounds=4)
    yield c
    c.close()


@pytest.fixture(scope="session")
def background(container: Any) -> Iterator[Any]:
    """Projection runners and a dramatiq worker in this process, as in the embedded default."""
    from infra.container import start_background

    bg = start_background(container)
    yield bg
    bg.stop()


@pytest.fixture(scope="session")
def app(settings: Settings, container: Any, background: Any) -> Any:
    from api.app import create_app

    return create_app(settings, container)


@pytest.fixture(scope="session")
def client(app: Any) -> Iterator[Any]:
    from litestar.testing import TestClient

    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


@pytest.fixture(scope="session")
def live_server(settings: Settings, container: Any, background: Any) -> Iterator[str]:
    """The app served by uvicorn on a loopback port (for SSE, WebSocket and load).

    Its own app instance: a lifespan binds pools to its event loop, so two servers must not
    share one app's state.
    """
    import uvicorn

    from api.app import create_app

    app = create_app(settings, container)

    port = free_port()
    # the stdlib loop and h11: uvloop in a non-main thread beside the TestClient's portal
    # thread crashed the interpreter once under heavy load
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", loop="asyncio", http="h11"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("live server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


def unique_email(prefix: str = "learner") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}@example.com"
