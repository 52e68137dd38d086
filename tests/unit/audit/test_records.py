from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

from infra.audit import ENCRYPTED, EventFilter, Secrets, lines, page_query, plain_run, to_record
from infra.crypto import AesGcmBox


def stored(**fields) -> bytes:
    base = {
        "timestamp": {"_type_": "datetime_iso", "_data_": "2026-01-02T03:04:05+00:00"},
        "_meta": {"actor": "u1", "correlation_id": "req-9"},
    }
    return json.dumps({**base, **fields}).encode()


def test_record_is_plain_json_with_cause_and_hidden_secrets():
    oid, ref = uuid.uuid4(), uuid.uuid4()
    box = AesGcmBox("k")
    state = stored(
        ref={"_type_": "uuid_hex", "_data_": ref.hex},
        cases=[{"input": box.seal("1 2"), "n": 1}],
    )
    record = to_record((5, str(oid), 2, "domain.x:A.B", state), {}, Secrets())
    assert record["position"] == 5 and record["aggregate_id"] == str(oid)
    assert record["timestamp"] == "2026-01-02T03:04:05+00:00"
    assert (record["actor"], record["correlation_id"]) == ("u1", "req-9")
    assert record["payload"] == {"ref": str(ref), "cases": [{"input": ENCRYPTED, "n": 1}]}
    opened = to_record((5, str(oid), 2, "domain.x:A.B", state), {}, Secrets(box))
    assert opened["payload"]["cases"][0]["input"] == "1 2"


def test_password_hashes_are_redacted():
    record = to_record(
        (1, uuid.uuid4(), 1, "domain.accounts:User.Registered", stored(password_hash="$2b$04$abc")),
        {},
        Secrets(),
    )
    assert record["payload"]["password_hash"] == "<redacted>"


def test_page_query_combines_filters_in_global_order():
    agg = uuid.uuid4()
    query, params = page_query(EventFilter(from_position=10, to_position=20, types=("a:B",)), 0, 5)
    assert "notification_id > %s" in query and "topic = ANY(%s)" in query
    assert query.endswith("ORDER BY notification_id LIMIT %s") and params == [9, 20, ["a:B"], 5]
    query, params = page_query(EventFilter(aggregate=agg), 30, 5)
    assert "originator_id = %s" in query and params == [30, agg, 5]


def eventsourcing_bytes(when=None, **fields) -> bytes:
    """State bytes exactly as the mapper writes them (eventsourcing's JSON transcoder)."""
    from datetime import UTC, datetime
    from decimal import Decimal

    from eventsourcing.application import Application

    app = Application(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    state = {"timestamp": when or datetime(2026, 1, 2, tzinfo=UTC), **fields,
             "_meta": {"actor": 'a"b', "correlation_id": "r\\1"}}  # fmt: skip
    state = {k: (Decimal(v) if k == "amount" else v) for k, v in state.items()}
    return app.mapper.transcoder.encode(state)


def test_plain_run_equals_the_slow_records():
    oid = str(uuid.uuid4())
    samples = [
        eventsourcing_bytes(user_id=uuid.uuid4(), xp=5, topic_ids=[uuid.uuid4(), uuid.uuid4()]),
        eventsourcing_bytes(title='Ünïcode "quoted" {"_type_":1}', amount="1.50"),
        eventsourcing_bytes(nested={"at": __import__("datetime").datetime(2026, 3, 4)}),
        eventsourcing_bytes(code="c", xp=0),
        eventsourcing_bytes(),
        eventsourcing_bytes(when=datetime(2026, 1, 2, 3, 4, 5, 123456, tzinfo=UTC), xp=3),
    ]
    topic = "domain.progress:LessonCompletion.Completed"
    rows = [(7 + i, oid, 3, topic, s) for i, s in enumerate(samples)]
    out = plain_run(rows)
    assert out is not None and out.endswith(b"\n")
    assert [json.loads(line) for line in out.splitlines()] == [
        to_record(r, {}, Secrets()) for r in rows
    ]


def test_plain_run_refuses_what_it_cannot_rewrite():
    oid, box = str(uuid.uuid4()), AesGcmBox("k")
    nested = eventsourcing_bytes(inner={"a": 1, "_meta": {"actor": "x"}})
    for state in (nested, eventsourcing_bytes(cases=[box.seal("1")]), b'{"odd":1}'):
        assert plain_run([(1, oid, 1, "x:Y.Z", state)]) is None


def test_export_page_mixes_bulk_and_slow_rows_in_order():
    box = AesGcmBox("k")
    oid = str(uuid.uuid4())
    plain_state = eventsourcing_bytes(xp=1)
    page = [
        (1, oid, 1, "a:B.C", plain_state),
        (2, oid, 2, "a:B.D", eventsourcing_bytes(cases=[box.seal("1")])),
        (3, oid, 3, "domain.accounts:User.RoleGranted", eventsourcing_bytes(role="admin")),
        (4, oid, 4, "a:B.E", eventsourcing_bytes()),
    ]
    records = [json.loads(line) for line in lines(page, {}, Secrets()).splitlines()]
    assert [r["position"] for r in records] == [1, 2, 3, 4]
    assert records[1]["payload"]["cases"] == [ENCRYPTED] and records[3]["payload"] == {}
    assert records == [to_record(r, {}, Secrets()) for r in page]
