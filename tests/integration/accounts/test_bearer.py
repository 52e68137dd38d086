"""Access tokens over HTTP: missing, malformed, tampered, alg=none, expired, foreign key."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any

import pytest

from api.auth import TokenService
from tests.integration.accounts.conftest import SignedIn

ME = "/v1/users/me"


def b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def claims_of(token: str) -> dict[str, Any]:
    payload = token.split(".")[1]
    return dict(json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))))


def assert_unauthorized(response: Any) -> None:
    assert response.status_code == 401, response.text
    assert response.json()["error"]["code"] == "UNAUTHORIZED"
    assert response.json()["success"] is False


def test_a_valid_token_works(client: Any, sign_in: Callable[..., SignedIn]) -> None:
    user = sign_in()
    assert client.get(ME, headers=user.headers).status_code == 200
    claims = claims_of(user.access_token)
    assert {"user_id", "role", "email", "exp", "iat", "jti"} <= set(claims)
    assert claims["user_id"] == user.user_id and claims["email"] == user.email


def test_missing_bearer(client: Any) -> None:
    assert_unauthorized(client.get(ME))


@pytest.mark.parametrize(
    "header", ["Bearer", "Bearer ", "Basic dXNlcjpwdw==", "Token abc", "Bearer not-a-jwt"]
)
def test_malformed_bearer(client: Any, header: str) -> None:
    assert_unauthorized(client.get(ME, headers={"Authorization": header}))


def test_tampered_payload_is_refused(client: Any, sign_in: Callable[..., SignedIn]) -> None:
    user = sign_in()
    header, _, signature = user.access_token.split(".")
    claims = claims_of(user.access_token) | {"role": "admin"}
    forged = f"{header}.{b64(claims)}.{signature}"
    assert_unauthorized(client.get(ME, headers={"Authorization": f"Bearer {forged}"}))


def test_tampered_signature_is_refused(client: Any, sign_in: Callable[..., SignedIn]) -> None:
    token = sign_in().access_token
    flipped = token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]
    assert_unauthorized(client.get(ME, headers={"Authorization": f"Bearer {flipped}"}))


def test_alg_none_is_refused(client: Any, sign_in: Callable[..., SignedIn]) -> None:
    claims = claims_of(sign_in().access_token) | {"role": "admin"}
    for header in ({"alg": "none", "typ": "JWT"}, {"alg": "None"}, {"alg": "HS512"}):
        unsigned = f"{b64(header)}.{b64(claims)}."
        assert_unauthorized(client.get(ME, headers={"Authorization": f"Bearer {unsigned}"}))


def test_expired_token_is_refused(
    client: Any, settings: Any, sign_in: Callable[..., SignedIn]
) -> None:
    user = sign_in()
    expired = TokenService(settings.jwt_secret, ttl_s=-60).issue(
        user.user_id, "learner", user.email
    )
    assert_unauthorized(client.get(ME, headers={"Authorization": f"Bearer {expired}"}))


def test_token_signed_with_another_key_is_refused(
    client: Any, sign_in: Callable[..., SignedIn]
) -> None:
    user = sign_in()
    foreign = TokenService("x" * 48).issue(user.user_id, "admin", user.email)
    assert_unauthorized(client.get(ME, headers={"Authorization": f"Bearer {foreign}"}))
