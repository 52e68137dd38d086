"""``events export`` writes, for every event, the line ``to_record`` makes of it.

Most lines are framed by PostgreSQL from the stored bytes (sql/export_page.sql) and unwrapped
in bulk; the others go through ``to_record``. These tests write events of many shapes, through
the mapper and as raw rows, and compare the export with ``record_line`` of every row.
"""

from __future__ import annotations

import io
import json
import time
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

import psycopg
import pytest
from eventsourcing.domain import Aggregate, event

from commands.context import acting
from infra import audit
from tests.conftest import unique_email
from tests.integration.audit.notes import Note

STAMP = '{"timestamp":{"_type_":"datetime_iso","_data_":"2026-12-01T10:00:00.123456+00:00"},'
META = '"_meta":{"actor":"user-7","correlation_id":"req-1"}}'
UUID_HEX = '{"_type_":"uuid_hex","_data_":"0123456789abcdef0123456789abcdef"}'


class Shape(Aggregate):
    """An event with a value of every kind the transcoder writes."""

    @event("Made")
    def __init__(self, when: datetime, plain_when: datetime, amount: Decimal, refs: list[UUID],
                 nested: dict[str, Any], ratio: float, tiny: float, huge: float, big: int,
                 flags: list[Any], text: str) -> None:  # fmt: skip
        self.when, self.text = when, text

    @event("Tweaked")
    def tweak(self, when: datetime, amount: Decimal, refs: list[UUID], ratio: float) -> None:
        self.when = when


def raw_rows() -> list[tuple[str, str]]:
    """(topic, stored JSON) of rows no mapper wrote: each bends one assumption of the framing."""
    t = "tests.raw:Row.Seen"
    return [
        (t, STAMP + '"x":1,' + META),
        (t, STAMP + META),  # no payload field
        (t, STAMP.replace(".123456", "") + '"x":1,' + META),  # no microseconds
        (t, STAMP.replace("+00:00", "+05:30") + '"x":1,' + META),
        (t, STAMP + '"x":1,"_meta":{"actor":"a","correlation_id":"c"},"late":2}'),  # not last
        (t, STAMP + '"_meta":{"actor":"a","correlation_id":"c","more":"m"}}'),  # extra key
        (t, STAMP + '"_meta":{"actor":"a"}}'),  # no correlation id
        (t, STAMP + '"x":1}'),  # no _meta
        (t, STAMP + '"_meta":{"actor":"say \\"hi\\" \\\\ ok","correlation_id":"c\\n"}}'),
        (t, STAMP + '"_meta":{"actor":null,"correlation_id":"c"}}'),
        (t, STAMP + '"in":{"_meta":{"actor":"n","correlation_id":"m"}},' + META),  # nested
        (t, STAMP + '"in":{"y":1,"_meta":{"actor":"n","correlation_id":"m"}},' + META),
        (t, '{"when":1,' + STAMP[1:] + '"x":1,' + META),  # timestamp not first
        (t, STAMP.replace("00.123456+00:00", "00.1234") + META),  # no time zone
        (t, STAMP + '"f":[1e-06,1e+16,-0.0,1.5,2.5e-300],"big":1180591620717411303424,' + META),
        (t, STAMP + '"u":[' + UUID_HEX + ',{"k":' + UUID_HEX + "}]," + META),
        (t, STAMP + '"U":' + UUID_HEX.replace("abcdef", "ABCDEF") + "," + META),  # not ours
        (t, STAMP + '"t":{"_type_":"tuple_as_list","_data_":[' + UUID_HEX + "]}," + META),
        (t, STAMP + '"d":{"_type_":"decimal_str","_data_":"1.50"},' + META),
        (t, STAMP + '"e":{"_data_":"x","_type_":"decimal_str"},' + META),  # keys swapped
        (t, STAMP + '"s":"{\\"_type_\\":\\"uuid_hex\\",\\"_data_\\":\\"00\\"}",' + META),
        (t, STAMP + '"s":"é ☃ \u2028 \\u0001 \\" \\\\ \\n / enc:v1 pii:v1:",' + META),
        (t, STAMP + '"password_hash":"$2b$04$abc","x":1,' + META),  # a credential
        (t, STAMP + '"note":"password_hash","x":"enc:v1:nope",' + META),  # markers in text
        ('tests.raw:"Quoted\\Topic" é', STAMP + '"x":1,' + META),
        ("tests.raw:Topic\nWith\tControl\x01", STAMP + '"x":1,' + META),
    ]


def write_everything(container: Any) -> UUID:
    """Events of every shape; returns the id of a user whose key is then destroyed."""
    with acting("user-42", correlation_id="req-abc"):
        shape = Shape(
            when=datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC),
            plain_when=datetime(2026, 1, 2, tzinfo=UTC),
            amount=Decimal("12.50"),
            refs=[uuid.uuid4(), uuid.uuid4()],
            nested={"a": {"b": [uuid.uuid4(), {"c": Decimal("-1e-7")}]}, "empty": {}},
            ratio=0.1,
            tiny=1e-06,
            huge=1e16,
            big=2**70,
            flags=[True, False, None],
            text='quotes " and \\ and\nnew lines, tabs\t, unicode é ☃, \u2028, \x01 ctrl',
        )
        shape.tweak(datetime.now(UTC), Decimal("0"), [], 2.5)
        note = Note(text="secret inside", ref=uuid.uuid4(), secret=container.box.seal("42 7"))
        container.log.commit(shape, note)
    kept = container.accounts.create_user(unique_email("kept"), "Passw0rd!x", verified=True,
                                          display_name="Kept Name")  # fmt: skip
    gone = container.accounts.create_user(unique_email("gone"), "Passw0rd!x", verified=True,
                                          display_name="Gone Name")  # fmt: skip
    assert kept != gone
    with psycopg.connect(container.settings.database_url, autocommit=True) as conn:
        for topic, state in raw_rows():
            conn.execute(
                "INSERT INTO codequest_events (originator_id, originator_version, topic, state)"
                " VALUES (%s, 1, %s, %s)",
                (uuid.uuid4(), topic, state.encode()),
            )
    with acting("user-42", correlation_id="req-def"):
        container.log.commit(Note(text="last", ref=uuid.uuid4()))
    container.extra["subject_keys"].destroy(gone)
    return gone


def every_row(container: Any) -> list[audit.Row]:
    with psycopg.connect(container.settings.database_url) as conn:
        positions = [r[0] for r in conn.execute("SELECT notification_id FROM codequest_events")]
        return sorted(audit.rows_at(conn, positions))


def expected(container: Any, secrets: audit.Secrets) -> list[bytes]:
    keys = container.extra["subject_keys"]
    return [audit.record_line(r, audit.page_keys(keys, [r]), secrets) for r in every_row(container)]


def exported(container: Any, secrets: audit.Secrets, page: int, **flt: Any) -> list[bytes]:
    out = io.BytesIO()
    audit.export(container.settings.database_url, audit.EventFilter(**flt), out,
                 keys=container.extra["subject_keys"], secrets=secrets, page=page)  # fmt: skip
    return out.getvalue().splitlines(keepends=True)


@pytest.mark.parametrize("page", [1, 3, 2000])
def test_export_writes_the_line_to_record_makes_of_every_event(fresh, page):
    container = fresh()
    gone = write_everything(container)
    for secrets in (audit.Secrets(), audit.Secrets(container.box)):
        lines = exported(container, secrets, page)
        assert lines == expected(container, secrets)
        assert all(json.loads(line) for line in lines)
    records = [json.loads(line) for line in exported(container, audit.Secrets(), page)]
    erased = [r for r in records if r["aggregate_id"] == str(gone)]
    assert erased and erased[0]["payload"]["email"] == "<erased>"
    assert all("password_hash" not in r["payload"] or r["payload"]["password_hash"] ==
               audit.REDACTED for r in records)  # fmt: skip


def test_events_of_the_mapper_s_layout_are_framed_by_postgresql(fresh):
    """The comparison above is worth something: most lines do take the bulk path."""
    container = fresh()
    write_everything(container)
    with psycopg.connect(container.settings.database_url, autocommit=True) as conn:
        pages = list(audit.export_pages(conn, audit.EventFilter(), audit.head_position(conn)))
    lines = [line for _, _, blob in pages for line in blob.splitlines()]
    framed = [json.loads(line) for line in lines if not line.startswith(b"\x01")]
    whole = [line for line in lines if line.startswith(b"\x01")]
    topics = {r["type"] for r in framed}
    assert {"tests.integration.audit.test_export_paths:Shape.Made", "tests.raw:Row.Seen",
            "tests.integration.audit.notes:Note.Written"} <= topics  # fmt: skip
    assert not any(t.startswith("domain.accounts:User.") for t in topics)
    assert len(framed) > len(whole) > 2


def test_filters_select_the_same_lines_on_every_page_size(fresh):
    container = fresh()
    write_everything(container)
    rows = every_row(container)
    everything = expected(container, audit.Secrets())
    by_position = dict(zip([r[0] for r in rows], everything, strict=True))
    shape = next(r for r in rows if r[3].endswith("Shape.Made"))
    low, high = rows[3][0], rows[-4][0]
    for page in (1, 4, 2000):
        window = exported(container, audit.Secrets(), page, from_position=low, to_position=high)
        assert window == [by_position[r[0]] for r in rows if low <= r[0] <= high]
        one = exported(container, audit.Secrets(), page, aggregate=UUID(shape[1]))
        assert one == [by_position[r[0]] for r in rows if r[1] == shape[1]] and len(one) == 2
        typed = exported(container, audit.Secrets(), page, types=("tests.raw:Row.Seen",))
        assert typed == [by_position[r[0]] for r in rows if r[3] == "tests.raw:Row.Seen"]
        assert exported(container, audit.Secrets(), page, from_position=high + 10**6) == []


class ClosedPipe(io.BytesIO):
    """A reader that went away after the first page (``codequest events export | head``)."""

    def write(self, data: bytes) -> int:  # type: ignore[override]
        if self.tell():
            raise BrokenPipeError("reader gone")
        return super().write(data)


def test_a_failed_write_stops_the_export_and_its_copy(fresh):
    container = fresh()
    write_everything(container)
    out, url = ClosedPipe(), container.settings.database_url
    keys = container.extra["subject_keys"]
    with pytest.raises(BrokenPipeError):
        audit.export(url, audit.EventFilter(), out, keys=keys, secrets=audit.Secrets(), page=1)
    assert out.getvalue().count(b"\n") == 1  # the first page only
    running = (
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
        " AND query LIKE 'COPY (SELECT page.last%%' AND pid <> pg_backend_pid()"
    )
    with psycopg.connect(url, autocommit=True) as conn:
        deadline = time.monotonic() + 5  # a closed session's backend ends on its own time
        while conn.execute(running).fetchone() != (0,) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert conn.execute(running).fetchone() == (0,)
