"""Helpers for the accounts tests: verified users of any role, signed in over HTTP."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from tests.conftest import unique_email

PASSWORD = "Secure-pass-123"


@dataclass(frozen=True)
class SignedIn:
    user_id: str
    email: str
    access_token: str
    refresh_token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}"}


@pytest.fixture
def make_user(container: Any) -> Callable[..., str]:
    """A verified account of this role, created as the CLI does; returns its id."""

    def make(role: str = "learner", email: str | None = None) -> str:
        email = email or unique_email(role.replace("_", "-"))
        return str(container.accounts.create_user(email, PASSWORD, role=role, verified=True))

    return make


@pytest.fixture
def sign_in(client: Any, container: Any) -> Callable[..., SignedIn]:
    """A verified account of this role, signed in through POST /v1/auth/login."""

    def sign(role: str = "learner") -> SignedIn:
        email = unique_email(role.replace("_", "-"))
        user_id = container.accounts.create_user(email, PASSWORD, role=role, verified=True)
        response = client.post("/v1/auth/login", json={"email": email, "password": PASSWORD})
        assert response.status_code == 200, response.text
        data = response.json()["data"]
        return SignedIn(str(user_id), email, data["access_token"], data["refresh_token"])

    return sign
