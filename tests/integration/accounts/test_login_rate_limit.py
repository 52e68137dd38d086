"""Login is limited to 5 attempts per 15 minutes per IP; the 6th is 429 with Retry-After."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient

from api.app import create_app
from tests.conftest import TEST_RATE_LIMITS, make_settings, unique_email
from tests.integration.accounts.conftest import PASSWORD

LOGIN_RULE = "5/15 minutes"


@pytest.fixture
def limited_client(
    tmp_path: Path, pg_url: str, redis_url: str, container: Any
) -> Iterator[TestClient[Any]]:
    rules = ",".join(
        f"login={LOGIN_RULE}" if r.startswith("login=") else r for r in TEST_RATE_LIMITS.split(",")
    )
    settings = make_settings(tmp_path, pg_url, redis_url, CODEQUEST_RATE_LIMITS=rules)
    for key in container.redis.scan_iter("codequest:ratelimit*login*"):
        container.redis.delete(key)
    with TestClient(create_app(settings, container), raise_server_exceptions=False) as client:
        yield client


def test_the_sixth_attempt_is_rate_limited(limited_client: Any, container: Any) -> None:
    email = unique_email("limited")
    container.accounts.create_user(email, PASSWORD, verified=True)
    wrong = {"email": email, "password": "Wrong-pass-1"}
    for _ in range(4):
        assert limited_client.post("/v1/auth/login", json=wrong).status_code == 401
    right = {"email": email, "password": PASSWORD}
    assert limited_client.post("/v1/auth/login", json=right).status_code == 200
    sixth = limited_client.post("/v1/auth/login", json=right)
    assert sixth.status_code == 429, sixth.text
    assert sixth.json()["error"]["code"] == "RATE_LIMITED"
    assert sixth.json()["success"] is False
    retry_after = int(sixth.headers["Retry-After"])
    assert 0 < retry_after <= 15 * 60
    # other endpoints are not counted against the login limit
    forgot = limited_client.post("/v1/auth/forgot-password", json={"email": email})
    assert forgot.status_code == 200
