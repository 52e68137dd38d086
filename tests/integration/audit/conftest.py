from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from tests.conftest import make_database, make_settings


@pytest.fixture(scope="session", autouse=True)
def _logging_before_capture() -> None:
    """Configure logging once on the session's streams, before a test swaps sys.stderr
    (the CLI configures it on first use and later calls are no-ops)."""
    from infra.logging import configure_logging

    configure_logging("json", "WARNING")


@pytest.fixture
def fresh(tmp_path: Path, redis_url: str) -> Iterator[Callable[..., Any]]:
    """Build containers on fresh, empty databases (closed after the test)."""
    from infra.container import build_container

    built: list[Any] = []

    def build(**env: str) -> Any:
        settings = make_settings(tmp_path, make_database(), redis_url, **env)
        container = build_container(settings, hash_rounds=4)
        built.append(container)
        return container

    yield build
    for container in built:
        container.close()


def superuser(container: Any) -> psycopg.Connection[Any]:
    return psycopg.connect(container.settings.database_url, autocommit=True)


def tamper(container: Any, statement: str, params: tuple[Any, ...] = ()) -> None:
    """Run a statement as the superuser with the append-only triggers off for this session."""
    with superuser(container) as conn:
        conn.execute("SET session_replication_role = replica")
        conn.execute(statement, params)  # type: ignore[arg-type]
