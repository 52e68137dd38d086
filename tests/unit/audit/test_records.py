from __future__ import annotations

import json
import uuid

from infra.audit import (
    ENCRYPTED,
    EventFilter,
    Secrets,
    page_lines,
    page_query,
    record_line,
    to_record,
    unwrap,
)
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


def framed(position: int, oid: str, topic: str, payload: str) -> bytes:
    """A line as sql/export_page.sql frames it: payload fields verbatim, values still wrapped."""
    return (
        f'{{"position":{position},"aggregate_id":"{oid}","version":1,"type":"{topic}",'
        f'"timestamp":"2026-01-02T03:04:05+00:00","payload":{{{payload}}},'
        '"actor":"u1","correlation_id":"req-9"}\n'
    ).encode()


def whole(row: tuple) -> bytes:
    """A row sent whole by the same query: position, id, version, hex state, hex topic."""
    position, oid, version, topic, state = row
    return f"\x01{position} {oid} {version} {state.hex()} {topic.encode().hex()}\n".encode()


def test_unwrap_turns_transcoded_values_into_plain_json_strings():
    oid, ref = str(uuid.uuid4()), uuid.uuid4()
    line = framed(1, oid, "a:B.C", f'"ref":{{"_type_":"uuid_hex","_data_":"{ref.hex}"}},'
                  '"refs":[{"_type_":"uuid_hex","_data_":"' + ref.hex + '"}],'
                  '"amount":{"_type_":"decimal_str","_data_":"1.50"},'
                  '"at":{"_type_":"datetime_iso","_data_":"2026-03-04T00:00:00"}')  # fmt: skip
    done, typed = unwrap(line)
    assert typed and json.loads(done)["payload"] == {
        "ref": str(ref), "refs": [str(ref)], "amount": "1.50", "at": "2026-03-04T00:00:00"
    }  # fmt: skip
    assert unwrap(framed(2, oid, "a:B.C", '"xp":1')) == (framed(2, oid, "a:B.C", '"xp":1'), False)


def test_page_lines_renders_rows_sent_whole_and_marked_lines_through_to_record():
    box, oid = AesGcmBox("k"), str(uuid.uuid4())
    sealed = (3, oid, 1, "a:B.D", stored(cases=[box.seal("1")]))
    odd = (4, oid, 1, "a:B.E", stored(t={"_type_": "tuple_as_list", "_data_": [1]}))
    user = (2, oid, 1, "domain.accounts:User.RoleGranted", stored(role="admin"))
    blob = (
        framed(1, oid, "a:B.C", '"xp":1')
        + whole(user)
        + framed(3, oid, "a:B.D", f'"cases":["{json.loads(sealed[4])["cases"][0]}"]')
        + framed(4, oid, "a:B.E", '"t":{"_type_":"tuple_as_list","_data_":[1]}')
        + framed(5, oid, "a:B.C", '"xp":2')
    )
    asked: list[list[int]] = []

    def fetch_rows(positions: list[int]) -> list[tuple]:
        asked.append(positions)
        return [r for r in (sealed, odd) if r[0] in positions]

    out = page_lines(blob, fetch_rows, None, Secrets()).splitlines(keepends=True)
    assert asked == [[3, 4]]
    assert out == [
        framed(1, oid, "a:B.C", '"xp":1'),
        record_line(user, {}, Secrets()),
        record_line(sealed, {}, Secrets()),
        record_line(odd, {}, Secrets()),
        framed(5, oid, "a:B.C", '"xp":2'),
    ]
    records = [json.loads(line) for line in out]
    assert records[2]["payload"]["cases"] == [ENCRYPTED] and records[3]["payload"]["t"] == [1]
