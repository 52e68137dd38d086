from typing import Annotated

import msgspec
import pytest
from litestar import Litestar, get, post
from litestar.params import JSONBody
from litestar.testing import TestClient

from api.errors import EXCEPTION_HANDLERS
from api.security import request_context, security_headers
from tests.conftest import make_settings

SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "x-xss-protection": "1; mode=block",
    "strict-transport-security": "max-age=31536000; includeSubDomains",
    "content-security-policy": "default-src 'self'",
}


def assert_error(response, status, code):
    assert response.status_code == status, response.text
    body = response.json()
    assert body["success"] is False and body["data"] is None
    assert body["error"]["code"] == code
    assert "Traceback" not in response.text
    return body["error"]


def test_health_is_enveloped_with_security_headers(client):
    r = client.get("/v1/health")
    assert r.status_code == 200
    assert r.json() == {"success": True, "data": {"status": "ok"}, "meta": None, "error": None}
    for name, value in SECURITY_HEADERS.items():
        assert r.headers[name] == value
    assert r.headers["x-request-id"]


def test_ready_answers_200_when_postgres_and_redis_answer(client):
    r = client.get("/v1/ready")
    assert r.status_code == 200
    assert r.json()["data"] == {"status": "ready", "postgres": True, "redis": True}


def test_ready_answers_503_in_the_envelope_when_redis_is_down(data_dir, pg_url, container):
    from api.app import create_app

    settings = make_settings(data_dir, pg_url, "redis://127.0.0.1:1/0")
    with TestClient(create_app(settings, container)) as c:
        error = assert_error(c.get("/v1/ready"), 503, "SERVICE_UNAVAILABLE")
        assert error["details"] == [{"field": "redis", "message": "not answering"}]


def test_unknown_route_is_404_in_the_envelope_with_headers(client):
    r = client.get("/v1/no/such/route")
    assert_error(r, 404, "NOT_FOUND")
    for name, value in SECURITY_HEADERS.items():
        assert r.headers[name] == value


def test_wrong_method_is_405(client):
    assert_error(client.delete("/v1/health"), 405, "METHOD_NOT_ALLOWED")


def test_openapi_document_and_docs_page(client):
    r = client.get("/v1/schema/openapi.json")
    assert r.status_code == 200
    doc = r.json()
    assert doc["openapi"].startswith("3.1")
    assert "/v1/health" in doc["paths"] and "/v1/ready" in doc["paths"]
    page = client.get("/v1/schema")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]


def test_request_id_is_echoed_when_given(client):
    r = client.get("/v1/health", headers={"X-Request-ID": "abc-123"})
    assert r.headers["x-request-id"] == "abc-123"


class Widget(msgspec.Struct, forbid_unknown_fields=True):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=10)]
    size: Annotated[int, msgspec.Meta(ge=1)]
    email: Annotated[str, msgspec.Meta(pattern=r"^[^@\s]+@[^@\s]+$")]


@post("/widgets")
async def make_widget(data: JSONBody[Widget]) -> dict[str, str]:
    return {"name": data.name}


@get("/boom")
async def boom() -> None:
    raise RuntimeError("secret internals at /etc/passwd")


@pytest.fixture(scope="module")
def tiny():
    app = Litestar(
        [make_widget, boom],
        exception_handlers=EXCEPTION_HANDLERS,
        before_send=[security_headers],
        middleware=[request_context],
    )
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def test_validation_reports_every_bad_field(tiny):
    r = tiny.post("/widgets", json={"name": "", "size": 0, "email": "nope", "extra": 1})
    error = assert_error(r, 422, "VALIDATION_ERROR")
    fields = sorted(d["field"] for d in error["details"])
    assert fields == ["email", "extra", "name", "size"]


def test_missing_fields_are_each_reported(tiny):
    error = assert_error(tiny.post("/widgets", json={}), 422, "VALIDATION_ERROR")
    assert sorted(d["field"] for d in error["details"]) == ["email", "name", "size"]


def test_malformed_json_is_400(tiny):
    r = tiny.post("/widgets", content=b'{"name": ', headers={"content-type": "application/json"})
    assert_error(r, 400, "INVALID_JSON")


def test_unhandled_error_is_500_without_internals(tiny):
    r = tiny.get("/boom")
    error = assert_error(r, 500, "INTERNAL_ERROR")
    assert error["message"] == "Internal server error"
    assert "/etc/passwd" not in r.text and "RuntimeError" not in r.text
    assert r.headers["x-frame-options"] == "DENY"
