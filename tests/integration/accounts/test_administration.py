"""Admin endpoints: granting roles, deactivating accounts; and the mail job's idempotence."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any

from projections.mail_dispatch import mail_actor
from tests.conftest import unique_email
from tests.integration.accounts.conftest import PASSWORD, SignedIn


def eventually(check: Callable[[], bool], timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return check()


def test_admin_grants_a_role(client: Any, sign_in: Callable[..., SignedIn]) -> None:
    admin, learner = sign_in("admin"), sign_in()
    path = f"/v1/admin/users/{learner.user_id}/role"
    response = client.put(path, json={"role": "instructor"}, headers=admin.headers)
    assert response.status_code == 200, response.text
    assert response.json()["data"]["role"] == "instructor"
    me = lambda: client.get("/v1/users/me", headers=learner.headers).json()["data"]["role"]  # noqa: E731
    assert eventually(lambda: me() == "instructor")
    # a new sign-in carries the new role
    login = client.post("/v1/auth/login", json={"email": learner.email, "password": PASSWORD})
    assert login.json()["data"]["user"]["role"] == "instructor"


def test_role_changes_are_validated(client: Any, sign_in: Callable[..., SignedIn]) -> None:
    admin = sign_in("admin")
    unknown = client.put(
        f"/v1/admin/users/{uuid.uuid4()}/role", json={"role": "auditor"}, headers=admin.headers
    )
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "NOT_FOUND"
    learner = sign_in()
    bad = client.put(
        f"/v1/admin/users/{learner.user_id}/role", json={"role": "root"}, headers=admin.headers
    )
    assert bad.status_code == 422
    assert bad.json()["error"]["details"][0]["field"] == "role"


def test_deactivation_stops_every_token(client: Any, sign_in: Callable[..., SignedIn]) -> None:
    admin, user = sign_in("admin"), sign_in()
    assert client.get("/v1/users/me", headers=user.headers).status_code == 200
    done = client.post(f"/v1/admin/users/{user.user_id}/deactivate", headers=admin.headers)
    assert done.status_code == 200 and done.json()["data"]["is_active"] is False
    assert eventually(lambda: client.get("/v1/users/me", headers=user.headers).status_code == 401)
    # the account state read with the global limit (bearer header), and read on its own when
    # the token comes as ?token= (server-sent events)
    dashboard = client.get("/v1/users/me/dashboard", headers=user.headers)
    assert dashboard.status_code == 401 and dashboard.json()["error"]["code"] == "UNAUTHORIZED"
    token = user.headers["Authorization"].removeprefix("Bearer ")
    events = client.get(f"/v1/submissions/{uuid.uuid4()}/events", params={"token": token})
    assert events.status_code == 401
    refresh = client.post("/v1/auth/refresh", json={"refresh_token": user.refresh_token})
    assert refresh.status_code == 401
    login = client.post("/v1/auth/login", json={"email": user.email, "password": PASSWORD})
    assert login.status_code == 401
    assert client.get("/v1/users/me", headers=admin.headers).status_code == 200


def test_logout_with_a_foreign_token_is_refused(client: Any) -> None:
    response = client.post("/v1/auth/logout", json={"refresh_token": f"{uuid.uuid4().hex}.x"})
    assert response.status_code == 401


class RecordingMailer:
    def __init__(self) -> None:
        self.sent: list[tuple[str, str, str]] = []

    def send(self, to: str, subject: str, body: str) -> None:
        self.sent.append((to, subject, body))


class Bound:
    """The container's accounts service with a mailer that records (the job's two needs)."""

    def __init__(self, container: Any) -> None:
        self.accounts, self.mailer = container.accounts, RecordingMailer()


def test_the_mail_job_resends_pending_tokens_and_skips_used_ones(container: Any) -> None:
    email = unique_email("mail")
    account = container.accounts.register(email, PASSWORD, "Mailer")
    user = container.log.load(account.id, "user")
    token_hash = user.verification.token_hash
    bound = Bound(container)
    job = mail_actor(bound)
    job(str(account.id), "verify", token_hash)
    job(str(account.id), "verify", token_hash)  # a redelivery: a duplicate mail is acceptable
    assert [m[0] for m in bound.mailer.sent] == [email, email]
    body = bound.mailer.sent[0][2]
    assert "/verify-email?token=" in body and token_hash not in body
    token = body.split("token=")[1].split()[0]
    container.accounts.verify_email(token)
    job(str(account.id), "verify", token_hash)  # used now: nothing more goes out
    assert len(bound.mailer.sent) == 2
