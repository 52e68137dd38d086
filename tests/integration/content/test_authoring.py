"""Authoring over HTTP: who may create, edit and approve content, and what learners see."""

from __future__ import annotations

from typing import Any

from tests.integration.content.conftest import (
    Caller,
    approve,
    caller,
    create_problem,
    create_topic,
    ok,
    problem_body,
    published_topic,
    slug,
)


def test_post_problem_answers_201_with_id_slug_and_created_at(client: Any, instructor: Caller):
    body = problem_body()
    response = client.post("/v1/problems", json=body, headers=instructor.headers)
    data = ok(response, 201)
    assert data["slug"] == body["slug"] and data["id"] and data["created_at"]


def test_learner_and_anonymous_may_not_author(client: Any, learner: Caller):
    assert (
        client.post("/v1/problems", json=problem_body(), headers=learner.headers).status_code == 403
    )
    assert client.post("/v1/problems", json=problem_body()).status_code == 401
    topic = {"name": "X", "slug": slug()}
    assert client.post("/v1/topics", json=topic, headers=learner.headers).status_code == 403


def test_unpublished_problem_is_404_for_learners_until_an_admin_approves(
    client: Any, instructor: Caller, learner: Caller, admin: Caller
):
    problem_id = create_problem(client, instructor)
    assert client.get(f"/v1/problems/{problem_id}", headers=learner.headers).status_code == 404
    assert client.get(f"/v1/problems/{problem_id}").status_code == 404
    assert (
        ok(client.get(f"/v1/problems/{problem_id}", headers=instructor.headers))["id"] == problem_id
    )
    response = client.post(
        f"/v1/admin/content/problem/{problem_id}/approve",
        json={"notes": "fine"},
        headers=instructor.headers,
    )
    assert response.status_code == 403
    approve(client, admin, "problem", problem_id)
    data = ok(client.get(f"/v1/problems/{problem_id}", headers=learner.headers))
    assert data["is_published"] is True
    again = client.post(
        f"/v1/admin/content/problem/{problem_id}/approve", json={}, headers=admin.headers
    )
    assert again.status_code == 409


def test_approve_unknown_content_type_or_id(client: Any, admin: Caller):
    import uuid

    missing = uuid.uuid4()
    bad = client.post(f"/v1/admin/content/video/{missing}/approve", json={}, headers=admin.headers)
    assert bad.status_code in (400, 422) and bad.json()["success"] is False
    absent = client.post(
        f"/v1/admin/content/lesson/{missing}/approve", json={}, headers=admin.headers
    )
    assert absent.status_code == 404


def test_instructor_edits_own_content_and_assigned_topics_only(
    client: Any, admin: Caller, instructor: Caller
):
    other = caller(client, "instructor")
    topic_id = create_topic(client, admin)
    problem_id = create_problem(client, admin, topic_id)
    patch = {"title": "Renamed by instructor"}
    denied = client.patch(f"/v1/problems/{problem_id}", json=patch, headers=instructor.headers)
    assert denied.status_code == 403
    assign = {"instructor_ids": [instructor.user_id]}
    assert (
        client.put(
            f"/v1/topics/{topic_id}/instructors", json=assign, headers=instructor.headers
        ).status_code
        == 403
    )
    ok(client.put(f"/v1/topics/{topic_id}/instructors", json=assign, headers=admin.headers))
    ok(client.patch(f"/v1/problems/{problem_id}", json=patch, headers=instructor.headers))
    assert (
        client.patch(f"/v1/problems/{problem_id}", json=patch, headers=other.headers).status_code
        == 403
    )
    own = create_problem(client, other)
    ok(client.patch(f"/v1/problems/{own}", json={"difficulty": 2}, headers=other.headers))
    assert (
        ok(client.get(f"/v1/problems/{problem_id}", headers=admin.headers))["title"]
        == patch["title"]
    )


def test_topic_hierarchy_and_patch(client: Any, admin: Caller):
    parent = published_topic(client, admin, name="Parent")
    child = published_topic(client, admin, name="Child", parent_id=parent, order=2)
    tree = ok(client.get("/v1/topics"))
    node = next(t for t in tree if t["id"] == parent)
    assert [c["id"] for c in node["children"]] == [child]
    icon = "https://cdn.example.com/icon.svg"
    ok(
        client.patch(
            f"/v1/topics/{child}", json={"parent_id": None, "icon_url": icon}, headers=admin.headers
        )
    )
    tree = ok(client.get("/v1/topics"))
    assert any(t["id"] == child and t["icon_url"] == icon for t in tree)
    loop = client.patch(f"/v1/topics/{parent}", json={"parent_id": parent}, headers=admin.headers)
    assert loop.status_code == 422


def test_duplicate_slug_is_a_conflict(client: Any, admin: Caller):
    body = problem_body()
    ok(client.post("/v1/problems", json=body, headers=admin.headers), 201)
    again = client.post("/v1/problems", json=problem_body(slug=body["slug"]), headers=admin.headers)
    assert again.status_code == 409


def test_every_authoring_event_names_its_author(client: Any, container: Any, instructor: Caller):
    import uuid

    from infra.eventstore import event_meta

    problem_id = create_problem(client, instructor)
    events = list(container.log.events.get(uuid.UUID(problem_id)))
    assert events and all(str(e.by) == instructor.user_id for e in events)
    assert all(event_meta(e)["actor"] == instructor.user_id for e in events)
