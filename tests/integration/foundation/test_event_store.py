import threading
import uuid

import psycopg
import pytest
from eventsourcing.domain import Aggregate, event
from eventsourcing.persistence import RecordConflictError

from infra.eventstore import PIPELINE_LIMIT, build_event_log


class Blob(Aggregate):
    @event("Stored")
    def __init__(self, data: str) -> None:
        self.data = data

    @event("Replaced")
    def replace(self, data: str) -> None:
        self.data = data


def socket_url(pg_url: str) -> str:
    """The test database reached over PostgreSQL's unix socket (small send buffers)."""
    info = psycopg.conninfo.conninfo_to_dict(pg_url)
    return psycopg.conninfo.make_conninfo(dbname=info["dbname"], user=info.get("user", "postgres"),
                                          host="/var/run/postgresql")  # fmt: skip


def commit_within(app, timeout: float, *aggregates) -> int:
    result: dict[str, object] = {}
    worker = threading.Thread(
        target=lambda: result.update(pos=app.commit(*aggregates)), daemon=True
    )
    worker.start()
    worker.join(timeout)
    assert not worker.is_alive(), "the save hung"
    return result["pos"]  # type: ignore[return-value]


@pytest.mark.parametrize("size", [10_000, PIPELINE_LIMIT * 2, 3_000_000])
def test_large_saves_over_a_unix_socket_complete_and_replay(pg_url, size):
    app = build_event_log(socket_url(pg_url))
    try:
        blob = Blob("x" * size)
        assert commit_within(app, 30, blob) > 0
        assert app.repository.get(blob.id).data == "x" * size
    finally:
        app.close()


def test_a_large_stale_write_is_a_clean_conflict(pg_url):
    app = build_event_log(socket_url(pg_url))
    try:
        blob = Blob("start")
        app.commit(blob)
        first, second = app.repository.get(blob.id), app.repository.get(blob.id)
        first.replace("a" * 1_000_000)
        app.commit(first)
        second.replace("b" * 1_000_000)
        with pytest.raises(RecordConflictError):
            app.commit(second)
        assert app.repository.get(blob.id).data == "a" * 1_000_000
    finally:
        app.close()


def test_every_event_names_its_cause(pg_url):
    from commands.context import acting
    from infra.eventstore import event_meta

    app = build_event_log(pg_url)
    try:
        correlation = uuid.uuid4().hex
        with acting("user-1", correlation):
            position = app.commit(Blob("x"))
        note = app.recorder.select_notifications(start=position, limit=1)[0]
        assert event_meta(app.mapper.to_domain_event(note)) == {
            "actor": "user-1",
            "correlation_id": correlation,
        }
    finally:
        app.close()
