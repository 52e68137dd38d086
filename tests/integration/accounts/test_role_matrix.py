"""Role x endpoint: every allowed cell answers, every refused cell is 403, no token is 401.

Add a row to ENDPOINTS for each guarded endpoint; ``{target}`` becomes a fresh learner's id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from domain.shared import Role
from tests.conftest import unique_email
from tests.integration.accounts.conftest import PASSWORD

ALL_ROLES = frozenset(r.value for r in Role)
ADMIN = frozenset({"admin"})


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    allowed: frozenset[str]
    body: dict[str, Any] | None = None
    success: int = 200
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}"


ENDPOINTS = [
    Endpoint("GET", "/v1/users/me", ALL_ROLES),
    Endpoint("PATCH", "/v1/users/me", ALL_ROLES, {"bio": "matrix"}),
    Endpoint("GET", "/v1/admin/users", ADMIN),
    Endpoint("PUT", "/v1/admin/users/{target}/role", ADMIN, {"role": "instructor"}),
    Endpoint("POST", "/v1/admin/users/{target}/deactivate", ADMIN),
]


@pytest.fixture(scope="module")
def tokens(client: Any, container: Any) -> dict[str, str]:
    """One signed-in account per role."""
    found = {}
    for role in sorted(ALL_ROLES):
        email = unique_email(role.replace("_", "-"))
        container.accounts.create_user(email, PASSWORD, role=role, verified=True)
        response = client.post("/v1/auth/login", json={"email": email, "password": PASSWORD})
        assert response.status_code == 200, response.text
        found[role] = response.json()["data"]["access_token"]
    return found


def call(client: Any, container: Any, endpoint: Endpoint, token: str | None) -> Any:
    target = container.accounts.create_user(unique_email("target"), PASSWORD, verified=True)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.request(
        endpoint.method,
        endpoint.path.format(target=target),
        json=endpoint.body,
        headers=headers,
        params=endpoint.params,
    )


CELLS = [(e, role) for e in ENDPOINTS for role in sorted(ALL_ROLES)]


@pytest.mark.parametrize(("endpoint", "role"), CELLS, ids=[f"{e.label}-{r}" for e, r in CELLS])
def test_each_role_is_allowed_or_refused(
    client: Any, container: Any, tokens: dict[str, str], endpoint: Endpoint, role: str
) -> None:
    response = call(client, container, endpoint, tokens[role])
    if role in endpoint.allowed:
        assert response.status_code == endpoint.success, response.text
        assert response.json()["success"] is True
    else:
        assert response.status_code == 403, response.text
        assert response.json()["error"]["code"] == "FORBIDDEN"


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[e.label for e in ENDPOINTS])
def test_no_token_is_unauthorized(client: Any, container: Any, endpoint: Endpoint) -> None:
    response = call(client, container, endpoint, None)
    assert response.status_code == 401, response.text
    assert response.json()["error"]["code"] == "UNAUTHORIZED"


def test_the_matrix_covers_every_role() -> None:
    assert {
        "learner",
        "instructor",
        "business_partner",
        "admin",
        "system_admin",
        "auditor",
    } == ALL_ROLES
