"""Registration on the real log: duplicate e-mails under a race, validation of every field."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from commands.errors import ConflictError, InvalidInputError
from tests.conftest import unique_email
from tests.integration.accounts.conftest import PASSWORD


def test_a_race_on_one_email_creates_one_account(container: Any) -> None:
    email, threads, results = unique_email("race"), 8, []
    barrier = threading.Barrier(threads)
    lock = threading.Lock()

    def attempt(i: int) -> None:
        barrier.wait()
        try:
            outcome: object = container.accounts.register(email, PASSWORD, f"Racer {i}")
        except ConflictError as exc:
            outcome = exc
        with lock:
            results.append(outcome)

    workers = [threading.Thread(target=attempt, args=(i,)) for i in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(30)
    conflicts = [r for r in results if isinstance(r, ConflictError)]
    created = [r for r in results if not isinstance(r, ConflictError)]
    assert len(results) == threads
    assert len(created) == 1 and len(conflicts) == threads - 1
    assert all(c.field == "email" for c in conflicts)


def test_emails_are_normalised(container: Any) -> None:
    email = unique_email("norm")
    account = container.accounts.register(f"  {email.upper()}\t", PASSWORD, "Norm")
    assert account.email == email
    with pytest.raises(ConflictError):
        container.accounts.register(email, PASSWORD, "Norm again")


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("Short1!", "at least 8"),
        ("alllowercase", "mix"),
        ("12345678901", "mix"),
        ("é" * 37 + "A", "72 bytes"),
    ],
)
def test_password_policy(container: Any, password: str, reason: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        container.accounts.register(unique_email(), password, "Weak")
    assert caught.value.field == "password" and reason in caught.value.message


def test_three_bad_fields_give_three_details(client: Any) -> None:
    body = {"email": "not-an-email", "password": "short", "display_name": ""}
    response = client.post("/v1/auth/register", json=body)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "VALIDATION_ERROR"
    assert sorted(d["field"] for d in error["details"]) == ["display_name", "email", "password"]


def test_policy_violation_over_http_names_the_password(client: Any) -> None:
    body = {"email": unique_email(), "password": "onlyletters", "display_name": "Ada"}
    response = client.post("/v1/auth/register", json=body)
    assert response.status_code == 422
    details = response.json()["error"]["details"]
    assert [d["field"] for d in details] == ["password"]


def test_unknown_fields_and_long_names_are_refused(client: Any) -> None:
    body = {"email": unique_email(), "password": PASSWORD, "display_name": "x" * 101, "admin": 1}
    response = client.post("/v1/auth/register", json=body)
    assert response.status_code == 422
    fields = sorted(d["field"] for d in response.json()["error"]["details"])
    assert fields == ["admin", "display_name"]
