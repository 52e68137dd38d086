"""Token lifetimes: an Accounts service on a fake clock (the Clock port) over the same log."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from commands.accounts import Accounts
from tests.conftest import unique_email
from tests.integration.accounts.conftest import PASSWORD


class FixedClock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at


def accounts_at(container: Any, ago: timedelta) -> Accounts:
    clock = FixedClock(datetime.now(UTC) - ago)
    return Accounts(container.log, container.hasher, clock, container.box, "http://cq.test")


@pytest.mark.parametrize(
    ("ago", "status", "code"),
    [(timedelta(hours=25), 400, "TOKEN_EXPIRED"), (timedelta(hours=23), 200, None)],
)
def test_verification_tokens_live_24_hours(
    client: Any, container: Any, smtp_server: Any, ago: timedelta, status: int, code: str | None
) -> None:
    email = unique_email("expiry")
    accounts_at(container, ago).register(email, PASSWORD, "Late")
    token = smtp_server.token_for(email, "Verify")
    response = client.post("/v1/auth/verify-email", json={"token": token})
    assert response.status_code == status, response.text
    if code:
        assert response.json()["error"]["code"] == code


@pytest.mark.parametrize(
    ("ago", "status"), [(timedelta(minutes=61), 400), (timedelta(minutes=59), 200)]
)
def test_reset_tokens_live_one_hour(
    client: Any, container: Any, smtp_server: Any, ago: timedelta, status: int
) -> None:
    email = unique_email("reset")
    container.accounts.create_user(email, PASSWORD, verified=True)
    accounts_at(container, ago).request_password_reset(email)
    token = smtp_server.token_for(email, "Reset")
    body = {"token": token, "new_password": "Another-pass-77"}
    response = client.post("/v1/auth/reset-password", json=body)
    assert response.status_code == status, response.text
    if status == 400:
        assert response.json()["error"]["code"] == "TOKEN_EXPIRED"


@pytest.mark.parametrize(("days", "status"), [(31, 401), (29, 200)])
def test_refresh_tokens_live_30_days(client: Any, container: Any, days: int, status: int) -> None:
    email = unique_email("refresh")
    container.accounts.create_user(email, PASSWORD, verified=True)
    session = accounts_at(container, timedelta(days=days)).login(email, PASSWORD)
    response = client.post("/v1/auth/refresh", json={"refresh_token": session.refresh_token})
    assert response.status_code == status, response.text
