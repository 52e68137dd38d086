"""Auth end to end over HTTP: real PostgreSQL, Redis, projections, worker and SMTP server."""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.conftest import unique_email

pytestmark = pytest.mark.e2e
PASSWORD = "Secure-pass-123"


def register(client: Any, email: str, password: str = PASSWORD) -> Any:
    body = {"email": email, "password": password, "display_name": "Ada"}
    return client.post("/v1/auth/register", json=body)


def login(client: Any, email: str, password: str = PASSWORD) -> Any:
    return client.post("/v1/auth/login", json={"email": email, "password": password})


def verified_user(client: Any, smtp_server: Any) -> str:
    email = unique_email()
    assert register(client, email).status_code == 200
    token = smtp_server.token_for(email, "Verify")
    assert client.post("/v1/auth/verify-email", json={"token": token}).status_code == 200
    return email


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_register_verify_login_me_refresh_logout(client: Any, smtp_server: Any) -> None:
    # register: a learner, unverified, and a verification mail with a token= URL
    email = unique_email()
    response = register(client, f"  {email.upper()} ")
    assert response.status_code == 200, response.text
    user = response.json()["data"]["user"]
    assert user["email"] == email and user["role"] == "learner"
    assert user["email_verified"] is False
    mail = smtp_server.wait_for(email, "Verify")
    assert "/verify-email?token=" in mail.get_payload(decode=True).decode()

    # login before verification is refused with EMAIL_NOT_VERIFIED
    refused = login(client, email)
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "EMAIL_NOT_VERIFIED"

    # verify, then log in
    token = smtp_server.token_for(email, "Verify")
    verified = client.post("/v1/auth/verify-email", json={"token": token})
    assert verified.status_code == 200, verified.text
    signed_in = login(client, email)
    assert signed_in.status_code == 200, signed_in.text
    data = signed_in.json()["data"]
    assert data["user"] == {
        "id": user["id"],
        "email": email,
        "role": "learner",
        "display_name": "Ada",
    }
    assert data["expires_in"] > 0 and data["refresh_token"]

    # the token opens /users/me, with the projected account
    me = client.get("/v1/users/me", headers=bearer(data["access_token"]))
    assert me.status_code == 200, me.text
    mine = me.json()["data"]
    assert mine["email"] == email and mine["email_verified"] is True
    assert mine["timezone"] == "UTC" and mine["created_at"]
    deadline = time.monotonic() + 5  # last_login_at comes from RefreshFamily.Issued
    while mine["last_login_at"] is None and time.monotonic() < deadline:
        time.sleep(0.05)
        mine = client.get("/v1/users/me", headers=bearer(data["access_token"])).json()["data"]
    assert mine["last_login_at"] is not None

    # refresh rotates; logout ends the family
    rotated = client.post("/v1/auth/refresh", json={"refresh_token": data["refresh_token"]})
    assert rotated.status_code == 200, rotated.text
    newest = rotated.json()["data"]["refresh_token"]
    assert newest != data["refresh_token"]
    out = client.post("/v1/auth/logout", json={"refresh_token": newest})
    assert out.status_code == 204
    after = client.post("/v1/auth/refresh", json={"refresh_token": newest})
    assert after.status_code == 401


def test_duplicate_email_is_a_conflict(client: Any) -> None:
    email = unique_email()
    assert register(client, email).status_code == 200
    again = register(client, email.upper())
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "CONFLICT"


def test_registration_of_another_role_is_forbidden(client: Any) -> None:
    body = {"email": unique_email(), "password": PASSWORD, "display_name": "X", "role": "admin"}
    response = client.post("/v1/auth/register", json=body)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "FORBIDDEN"


def test_wrong_password_and_unknown_email_answer_alike(client: Any, smtp_server: Any) -> None:
    email = verified_user(client, smtp_server)
    wrong = login(client, email, "Wrong-pass-999")
    unknown = login(client, unique_email(), "Wrong-pass-999")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json()["error"] == unknown.json()["error"]
    assert wrong.json()["error"]["code"] == "UNAUTHORIZED"


def test_verification_token_is_single_use(client: Any, smtp_server: Any) -> None:
    email = unique_email()
    register(client, email)
    token = smtp_server.token_for(email, "Verify")
    assert client.post("/v1/auth/verify-email", json={"token": token}).status_code == 200
    reused = client.post("/v1/auth/verify-email", json={"token": token})
    assert reused.status_code == 400
    assert reused.json()["error"]["code"] == "INVALID_TOKEN"


@pytest.mark.parametrize("token", ["nonsense", "0" * 32 + ".secret", "a.b.c"])
def test_bad_verification_tokens_are_refused(client: Any, token: str) -> None:
    response = client.post("/v1/auth/verify-email", json={"token": token})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "INVALID_TOKEN"


def test_reusing_a_rotated_refresh_token_revokes_the_family(client: Any, smtp_server: Any) -> None:
    email = verified_user(client, smtp_server)
    first = login(client, email).json()["data"]["refresh_token"]
    second = client.post("/v1/auth/refresh", json={"refresh_token": first})
    newest = second.json()["data"]["refresh_token"]
    replay = client.post("/v1/auth/refresh", json={"refresh_token": first})
    assert replay.status_code == 401
    assert client.post("/v1/auth/refresh", json={"refresh_token": newest}).status_code == 401
    # another sign-in is a new family and works
    other = login(client, email).json()["data"]["refresh_token"]
    assert client.post("/v1/auth/refresh", json={"refresh_token": other}).status_code == 200


def test_forgot_and_reset_password(client: Any, smtp_server: Any) -> None:
    email = verified_user(client, smtp_server)
    refresh = login(client, email).json()["data"]["refresh_token"]
    known = client.post("/v1/auth/forgot-password", json={"email": email})
    unknown = client.post("/v1/auth/forgot-password", json={"email": unique_email()})
    assert known.status_code == unknown.status_code == 200
    assert known.json() == unknown.json()

    token = smtp_server.token_for(email, "Reset")
    weak = client.post("/v1/auth/reset-password", json={"token": token, "new_password": "a" * 9})
    assert weak.status_code == 422
    assert [d["field"] for d in weak.json()["error"]["details"]] == ["new_password"]

    new = "Brand-new-pass-42"
    done = client.post("/v1/auth/reset-password", json={"token": token, "new_password": new})
    assert done.status_code == 200, done.text
    again = client.post("/v1/auth/reset-password", json={"token": token, "new_password": new})
    assert again.status_code == 400 and again.json()["error"]["code"] == "INVALID_TOKEN"
    # the old password is gone, the new one works, old refresh tokens are revoked
    assert login(client, email).status_code == 401
    assert login(client, email, new).status_code == 200
    assert client.post("/v1/auth/refresh", json={"refresh_token": refresh}).status_code == 401


def test_profile_update(client: Any, smtp_server: Any) -> None:
    email = verified_user(client, smtp_server)
    access = login(client, email).json()["data"]["access_token"]
    body = {"display_name": "Grace", "bio": "Compilers", "timezone": "Europe/Paris"}
    updated = client.patch("/v1/users/me", json=body, headers=bearer(access))
    assert updated.status_code == 200, updated.text
    assert updated.json()["data"]["timezone"] == "Europe/Paris"
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        mine = client.get("/v1/users/me", headers=bearer(access)).json()["data"]
        if mine["display_name"] == "Grace":
            break
        time.sleep(0.05)
    assert (mine["display_name"], mine["bio"], mine["timezone"]) == (
        "Grace",
        "Compilers",
        "Europe/Paris",
    )
    bad = client.patch("/v1/users/me", json={"timezone": "Mars/Olympus"}, headers=bearer(access))
    assert bad.status_code == 422
    assert bad.json()["error"]["details"][0]["field"] == "timezone"
