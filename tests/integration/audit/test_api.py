from __future__ import annotations

import uuid
from typing import Any

from eventsourcing.utils import get_topic

from domain.accounts import User
from tests.conftest import unique_email
from tests.integration.audit.notes import Note, write_notes

PASSWORD = "Secure-pass-123"


def bearer(client: Any, role: str, user_id: str | None = None) -> dict[str, str]:
    token = client.app.state.tokens.issue(user_id or str(uuid.uuid4()), role, unique_email(role))
    return {"Authorization": f"Bearer {token}"}


def signed_in(client: Any, container: Any) -> tuple[str, dict[str, str]]:
    email = unique_email("audited")
    user_id = container.accounts.create_user(email, PASSWORD, verified=True)
    response = client.post("/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return str(user_id), {"Authorization": f"Bearer {response.json()['data']['access_token']}"}


def test_event_saved_in_a_request_carries_the_caller_and_the_request_id(client, container):
    user_id, headers = signed_in(client, container)
    request_id = f"audit-{uuid.uuid4().hex}"
    response = client.patch(
        "/v1/users/me",
        json={"bio": "likes graphs"},
        headers={**headers, "X-Request-ID": request_id},
    )
    assert response.status_code == 200, response.text
    assert response.headers["x-request-id"] == request_id
    history = client.get(
        f"/v1/audit/aggregates/{user_id}/history", headers=bearer(client, "auditor")
    )
    assert history.status_code == 200, history.text
    events = history.json()["data"]
    assert events[0]["type"] == get_topic(User.Registered)
    last = events[-1]
    assert last["type"] == get_topic(User.ProfileUpdated)
    assert (last["actor"], last["correlation_id"]) == (user_id, request_id)
    assert last["payload"]["bio"] == "likes graphs"
    assert "password_hash" not in str(events) or "<redacted>" in str(events)


def test_audit_events_page_by_cursor_with_filters(client, container):
    notes = write_notes(container.log, 7, per_commit=7)
    ids = {str(n.id) for n in notes}
    auditor = bearer(client, "auditor")
    seen, cursor = [], 0
    params: dict[str, Any] = {"type": get_topic(Note.Written), "limit": 3}
    first_position = container.log.head() - 6
    params["from_position"] = first_position
    while True:
        response = client.get(
            "/v1/audit/events", params={**params, "cursor": cursor}, headers=auditor
        )
        assert response.status_code == 200, response.text
        body = response.json()
        seen += body["data"]
        assert len(body["data"]) <= 3
        if not body["meta"]["has_more"]:
            break
        cursor = int(body["meta"]["next_cursor"])
    assert {e["aggregate_id"] for e in seen} == ids and len(seen) == 7
    assert [e["position"] for e in seen] == sorted(e["position"] for e in seen)


def test_audit_api_is_for_admins_and_auditors_only(client):
    assert client.get("/v1/audit/events").status_code == 401
    assert client.get("/v1/audit/events", headers=bearer(client, "learner")).status_code == 403
    assert client.get("/v1/audit/events", headers=bearer(client, "instructor")).status_code == 403
    assert client.get("/v1/audit/events", headers=bearer(client, "admin")).status_code == 200
    too_many = client.get("/v1/audit/events?limit=501", headers=bearer(client, "auditor"))
    assert too_many.status_code == 422 and too_many.json()["error"]["code"] == "VALIDATION_ERROR"
    missing = client.get(
        f"/v1/audit/aggregates/{uuid.uuid4()}/history", headers=bearer(client, "auditor")
    )
    assert missing.status_code == 404


def test_admin_erases_a_user_and_learners_may_not(client, container):
    user_id, _ = signed_in(client, container)
    refused = client.delete(f"/v1/admin/users/{user_id}", headers=bearer(client, "learner"))
    assert refused.status_code == 403
    unknown = client.delete(f"/v1/admin/users/{uuid.uuid4()}", headers=bearer(client, "admin"))
    assert unknown.status_code == 404
    erased = client.delete(f"/v1/admin/users/{user_id}", headers=bearer(client, "admin"))
    assert erased.status_code == 200, erased.text
    assert erased.json()["data"]["erased"] is True and erased.json()["data"]["user_id"] == user_id
    again = client.delete(f"/v1/admin/users/{user_id}", headers=bearer(client, "admin"))
    assert again.status_code == 200
