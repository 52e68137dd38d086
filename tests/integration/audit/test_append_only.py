from __future__ import annotations

import subprocess
import uuid
from pathlib import Path
from typing import Any

import psycopg
import pytest
from eventsourcing.domain import Aggregate

from infra import audit
from infra.eventstore import build_event_log
from tests.integration.audit.conftest import superuser
from tests.integration.audit.notes import write_notes

SQL_DIR = Path(audit.__file__).parent / "sql"


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE codequest_events SET topic = 'x'",
        "DELETE FROM codequest_events",
        "TRUNCATE codequest_events",
    ],
)
def test_trigger_refuses_changes_even_to_the_superuser(fresh, statement):
    container = fresh()
    write_notes(container.log, 2)
    with superuser(container) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute(statement)
    with superuser(container) as conn:
        assert conn.execute("SELECT count(*) FROM codequest_events").fetchone() == (2,)


def test_guards_install_idempotently(fresh):
    container = fresh()
    audit.install_guards(container.settings.database_url)
    audit.install_guards(container.settings.database_url)
    with superuser(container) as conn:
        found = conn.execute(
            "SELECT count(*) FROM pg_trigger WHERE tgrelid = 'codequest_events'::regclass"
            " AND NOT tgisinternal"
        ).fetchone()
    assert found == (2,)


@pytest.fixture
def app_role(fresh) -> Any:
    container = fresh()
    role, password = f"cq_app_{uuid.uuid4().hex[:8]}", uuid.uuid4().hex
    url = container.settings.database_url
    subprocess.run(
        ["psql", url, "-q", "-v", f"app_role={role}", "-v", f"app_password={password}",
         "-f", str(SQL_DIR / "app_role.sql")],
        check=True, capture_output=True,
    )  # fmt: skip
    info = psycopg.conninfo.conninfo_to_dict(url)
    yield container, psycopg.conninfo.make_conninfo(**{**info, "user": role, "password": password})
    container.close()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP OWNED BY "{role}"')
    server = psycopg.conninfo.make_conninfo(**{**info, "dbname": "postgres"})
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{info["dbname"]}" WITH (FORCE)')
        conn.execute(f'DROP ROLE "{role}"')


def test_app_role_appends_but_cannot_rewrite_history(app_role, monkeypatch):
    _, role_url = app_role
    monkeypatch.setenv("CODEQUEST_CREATE_TABLE", "n")  # the owner made the table
    log = build_event_log(role_url)
    position = log.commit(Aggregate())
    assert position > 0
    log.close()
    refused = {
        "UPDATE codequest_events SET topic = 'x'": "append-only",
        "DELETE FROM codequest_events": "permission denied",
        "TRUNCATE codequest_events": "permission denied",
        "ALTER TABLE codequest_events DISABLE TRIGGER ALL": "must be owner",
        "SET session_replication_role = replica": "permission denied",
    }
    with psycopg.connect(role_url, autocommit=True) as conn:
        for statement, reason in refused.items():
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match=reason):
                conn.execute(statement)
        assert conn.execute("SELECT count(*) FROM codequest_events").fetchone() == (1,)
