"""ok_response writes the bytes Litestar's own encoder writes for the same envelope."""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec
from litestar.serialization import encode_json

from api.envelope import ok, ok_response


class Row(msgspec.Struct):
    id: uuid.UUID
    at: dt.datetime
    day: dt.date
    name: str
    score: float | None = None


def test_ok_response_bytes_equal_litestars_encoding_and_raw_json_passes_verbatim() -> None:
    row = Row(
        uuid.uuid4(), dt.datetime(2026, 12, 2, 1, 2, 3, tzinfo=dt.UTC), dt.date(2026, 12, 2), "é"
    )
    for data in (row, [row, row], {"k": row}, None):
        response = ok_response(data)
        assert response.body == encode_json(ok(data))
        assert response.status_code == 200
    cached = msgspec.json.encode(row)
    assert ok_response(msgspec.Raw(cached)).body == b'{"success":true,"data":' + cached + (
        b',"meta":null,"error":null}'
    )
    headers = dict(ok_response(row).headers.items())
    assert headers["content-type"] == "application/json"
    assert headers["content-length"] == str(len(encode_json(ok(row))))
