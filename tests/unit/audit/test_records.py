from __future__ import annotations

import json
import uuid

from infra.audit import ENCRYPTED, EventFilter, Secrets, fast_line, page_query, to_record
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


def eventsourcing_bytes(**fields) -> bytes:
    """State bytes exactly as the mapper writes them (eventsourcing's JSON transcoder)."""
    from datetime import UTC, datetime
    from decimal import Decimal

    from eventsourcing.application import Application

    app = Application(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    state = {"timestamp": datetime(2026, 1, 2, tzinfo=UTC), **fields,
             "_meta": {"actor": 'a"b', "correlation_id": "r\\1"}}  # fmt: skip
    state = {k: (Decimal(v) if k == "amount" else v) for k, v in state.items()}
    return app.mapper.transcoder.encode(state)


def test_fast_line_equals_the_slow_record():
    oid = str(uuid.uuid4())
    samples = [
        eventsourcing_bytes(user_id=uuid.uuid4(), xp=5, topic_ids=[uuid.uuid4(), uuid.uuid4()]),
        eventsourcing_bytes(title='Ünïcode "quoted" {"_type_":1}', amount="1.50"),
        eventsourcing_bytes(),
        eventsourcing_bytes(nested={"at": __import__("datetime").datetime(2026, 3, 4)}),
    ]
    for state in samples:
        row = (7, oid, 3, "domain.progress:LessonCompletion.Completed", state)
        line = fast_line(row)
        assert line is not None and line.endswith(b"\n")
        assert json.loads(line) == to_record(row, {}, Secrets())


def test_fast_line_leaves_secrets_credentials_and_personal_topics_to_the_slow_path():
    box = AesGcmBox("k")
    oid = str(uuid.uuid4())
    secret = eventsourcing_bytes(cases=[box.seal("1")])
    assert fast_line((1, oid, 1, "domain.content:Problem.Created", secret)) is None
    hashed = eventsourcing_bytes(password_hash="x")
    assert fast_line((1, oid, 1, "domain.other:Thing.Done", hashed)) is None
    person = eventsourcing_bytes(role="learner")
    assert fast_line((1, oid, 1, "domain.accounts:User.RoleGranted", person)) is None
    assert fast_line((1, oid, 1, "x:Y.Z", b'{"odd":1}')) is None
