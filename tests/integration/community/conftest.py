"""Helpers for the community tests: real accounts of each role, signed in with a token."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from tests.conftest import unique_email

PASSWORD = "Secure-pass-123"


@dataclass(frozen=True)
class Person:
    user_id: str
    role: str
    email: str
    name: str
    headers: dict[str, str]


@pytest.fixture
def person(client: Any, container: Any, background: Any) -> Callable[..., Person]:
    """A verified account of this role (visible in the users view) with a bearer token."""

    def make(role: str = "learner") -> Person:
        email = unique_email(role.replace("_", "-"))
        name = f"{role.title()} {uuid.uuid4().hex[:6]}"
        user_id = str(
            container.accounts.create_user(
                email, PASSWORD, role=role, verified=True, display_name=name
            )
        )
        assert background.projections.wait(container.log.head(), names=["users"])
        token = client.app.state.tokens.issue(user_id, role, email)
        return Person(user_id, role, email, name, {"Authorization": f"Bearer {token}"})

    return make


def data(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["success"] is True and body["error"] is None
    return body["data"]


def error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["success"] is False and body["data"] is None
    assert body["error"]["code"] == code, body
    return dict(body["error"])


def language() -> str:
    """A language name of its own, so each test gets coding queues nobody else uses."""
    return f"l-{uuid.uuid4().hex[:10]}"
