from __future__ import annotations

import io
import json
import time
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from eventsourcing.utils import get_topic

from commands.context import acting
from infra import audit
from infra.cli import main
from infra.settings import export_environ
from tests.integration.audit.notes import Note, write_notes

FIELDS = ["position", "aggregate_id", "version", "type", "timestamp", "payload", "actor",
          "correlation_id"]  # fmt: skip


def export_records(container: Any, flt: audit.EventFilter, page: int = 7) -> list[dict[str, Any]]:
    out = io.BytesIO()
    keys = container.extra["subject_keys"]
    audit.export(container.settings.database_url, flt, out, keys=keys, secrets=audit.Secrets(),
                 page=page)  # fmt: skip
    return [json.loads(line) for line in out.getvalue().splitlines()]


def positions(container: Any) -> list[int]:
    with audit.psycopg.connect(container.settings.database_url) as conn:
        rows = conn.execute("SELECT notification_id FROM codequest_events ORDER BY 1").fetchall()
    return [r[0] for r in rows]


def test_export_writes_every_event_once_in_global_order_with_its_cause(fresh):
    container = fresh()
    with acting("user-42", correlation_id="req-abc"):
        notes = write_notes(container.log, 60, per_commit=9)
    records = export_records(container, audit.EventFilter())
    assert [r["position"] for r in records] == positions(container)
    assert all(list(r) == FIELDS for r in records)
    first = records[0]
    assert first["aggregate_id"] == str(notes[0].id) and first["version"] == 1
    assert first["type"] == get_topic(Note.Written)
    assert (first["actor"], first["correlation_id"]) == ("user-42", "req-abc")
    assert first["payload"]["ref"] == str(notes[0].ref)
    assert datetime.fromisoformat(first["timestamp"]).tzinfo is not None


def test_export_filters_by_position_type_aggregate_and_time(fresh):
    container = fresh()
    notes = write_notes(container.log, 20)
    time.sleep(0.05)
    middle = datetime.now(UTC)
    notes[3].edit("changed")
    notes[5].edit("changed too")
    container.log.commit(notes[3], notes[5])
    all_positions = positions(container)
    window = audit.EventFilter(from_position=all_positions[4], to_position=all_positions[9])
    assert [r["position"] for r in export_records(container, window)] == all_positions[4:10]
    edited = export_records(container, audit.EventFilter(types=(get_topic(Note.Edited),)))
    assert [r["aggregate_id"] for r in edited] == [str(notes[3].id), str(notes[5].id)]
    one = export_records(container, audit.EventFilter(aggregate=notes[3].id), page=1)
    assert [r["version"] for r in one] == [1, 2]
    since = export_records(container, audit.EventFilter(since=middle))
    until = export_records(container, audit.EventFilter(until=middle))
    assert len(since) == 2 and len(until) == 20


def cli(monkeypatch: pytest.MonkeyPatch, container: Any, *argv: str) -> int:
    for name, value in export_environ(container.settings).items():
        monkeypatch.setenv(name, value)
    return main(list(argv))


def test_cli_export_hides_sealed_secrets_unless_asked_to_decrypt(fresh, monkeypatch, tmp_path):
    container = fresh()
    note = Note(text="with a hidden test", ref=uuid.uuid4(), secret=container.box.seal("42 7"))
    container.log.commit(note)
    out = tmp_path / "events.ndjson"
    assert cli(monkeypatch, container, "events", "export", "--out", str(out)) == 0
    (line,) = out.read_text().splitlines()
    assert json.loads(line)["payload"]["secret"] == audit.ENCRYPTED
    assert "enc:v1:" not in line
    assert cli(monkeypatch, container, "events", "export", "--decrypt", "--out", str(out)) == 0
    assert json.loads(out.read_text())["payload"]["secret"] == "42 7"


def test_cli_export_refuses_a_malformed_aggregate_id(fresh, monkeypatch, capsys):
    container = fresh()
    assert cli(monkeypatch, container, "events", "export", "--aggregate", "nope") == 2
    assert "--aggregate" in capsys.readouterr().err


def test_cli_export_streams_to_stdout_without_a_progress_bar(fresh, monkeypatch, capfdbinary):
    container = fresh()
    write_notes(container.log, 5)
    assert cli(monkeypatch, container, "events", "export", "--type", get_topic(Note.Written)) == 0
    captured = capfdbinary.readouterr()
    assert len(captured.out.splitlines()) == 5 and captured.err == b""
