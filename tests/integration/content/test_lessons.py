"""Lessons over HTTP: listing with filters and completion state, content, next/prev, XP once."""

from __future__ import annotations

import uuid
from typing import Any

from tests.integration.content.conftest import Caller, approve, caller, ok, published_topic, slug


def _lesson(client: Any, who: Caller, topic: str, **fields: Any) -> str:
    body = {
        "topic_id": topic,
        "title": "Lesson " + uuid.uuid4().hex[:6],
        "slug": slug("lesson"),
        "content_markdown": "# Lists\n\nA list holds items in order.",
        "examples": [{"title": "Make one", "code": "xs = [1, 2]", "explanation": "brackets"}],
        "exercises": [{"title": "Practice"}],
        **fields,
    }
    return str(ok(client.post("/v1/lessons", json=body, headers=who.headers), 201)["id"])


def _topic_with_lessons(client: Any, admin: Caller) -> tuple[str, list[str]]:
    topic = published_topic(client, admin)
    ids = [
        _lesson(client, admin, topic, order=1, difficulty="beginner"),
        _lesson(client, admin, topic, order=2, difficulty="intermediate"),
        _lesson(client, admin, topic, order=3, difficulty="advanced"),
    ]
    for lesson_id in ids:
        approve(client, admin, "lesson", lesson_id)
    return topic, ids


def test_list_filters_and_has_completed(client: Any, admin: Caller, learner: Caller):
    topic, ids = _topic_with_lessons(client, admin)
    draft = _lesson(client, admin, topic, order=4)
    rows = ok(client.get("/v1/lessons", params={"topic_id": topic}, headers=learner.headers))
    assert [r["id"] for r in rows] == ids and not any(r["has_completed"] for r in rows)
    staff = ok(client.get("/v1/lessons", params={"topic_id": topic}, headers=admin.headers))
    assert [r["id"] for r in staff] == [*ids, draft]
    level = {"topic_id": topic, "difficulty": "advanced"}
    assert [r["id"] for r in ok(client.get("/v1/lessons", params=level))] == [ids[2]]
    ok(
        client.post(
            f"/v1/lessons/{ids[0]}/complete", json={"time_spent_sec": 60}, headers=learner.headers
        )
    )
    rows = ok(client.get("/v1/lessons", params={"topic_id": topic}, headers=learner.headers))
    assert [r["has_completed"] for r in rows] == [True, False, False]
    page = client.get("/v1/lessons", params={"topic_id": topic, "limit": 2, "page": 2}).json()
    assert page["meta"] == {"page": 2, "limit": 2, "total": 3} and len(page["data"]) == 1
    assert client.get("/v1/lessons", params={"difficulty": "expert"}).status_code in (400, 422)


def test_detail_with_neighbours_and_progress(client: Any, admin: Caller, learner: Caller):
    _topic, ids = _topic_with_lessons(client, admin)
    data = ok(client.get(f"/v1/lessons/{ids[1]}", headers=learner.headers))
    assert data["content_markdown"].startswith("# Lists")
    assert (
        data["examples"][0]["code"] == "xs = [1, 2]" and data["exercises"][0]["title"] == "Practice"
    )
    assert (data["prev_lesson_id"], data["next_lesson_id"]) == (ids[0], ids[2])
    assert data["progress"] == {"completed": False, "completed_at": None, "time_spent_sec": 0}
    ok(
        client.post(
            f"/v1/lessons/{ids[1]}/complete", json={"time_spent_sec": 1200}, headers=learner.headers
        )
    )
    data = ok(client.get(f"/v1/lessons/{ids[1]}", headers=learner.headers))
    assert data["progress"]["completed"] is True and data["progress"]["time_spent_sec"] == 1200


def test_completion_xp_by_difficulty_and_only_once(client: Any, admin: Caller, learner: Caller):
    _, ids = _topic_with_lessons(client, admin)
    earned = [
        ok(
            client.post(
                f"/v1/lessons/{i}/complete", json={"time_spent_sec": 5}, headers=learner.headers
            )
        )
        for i in ids
    ]
    assert [e["xp_earned"] for e in earned] == [50, 75, 100]
    again = ok(
        client.post(
            f"/v1/lessons/{ids[0]}/complete", json={"time_spent_sec": 9}, headers=learner.headers
        )
    )
    assert again["xp_earned"] == 0 and again["completed"] is True
    assert again["completed_at"] == earned[0]["completed_at"] and again["time_spent_sec"] == 5


def test_completion_event_carries_the_contract_fields(client: Any, admin: Caller, container: Any):
    from domain.progress import LessonCompletion, completion_id

    learner = caller(client, "learner")
    topic, ids = _topic_with_lessons(client, admin)
    ok(
        client.post(
            f"/v1/lessons/{ids[2]}/complete", json={"time_spent_sec": 3}, headers=learner.headers
        )
    )
    events = list(
        container.log.events.get(completion_id(uuid.UUID(learner.user_id), uuid.UUID(ids[2])))
    )
    assert len(events) == 1 and isinstance(events[0], LessonCompletion.Completed)
    e = events[0]
    assert (str(e.user_id), str(e.lesson_id), str(e.topic_id), e.xp) == (
        learner.user_id,
        ids[2],
        topic,
        100,
    )


def test_unpublished_or_missing_lesson_is_404(client: Any, admin: Caller, learner: Caller):
    topic = published_topic(client, admin)
    draft = _lesson(client, admin, topic)
    assert client.get(f"/v1/lessons/{draft}", headers=learner.headers).status_code == 404
    done = client.post(f"/v1/lessons/{draft}/complete", json={}, headers=learner.headers)
    assert done.status_code == 404
    assert client.get(f"/v1/lessons/{uuid.uuid4()}").status_code == 404
    assert client.post(f"/v1/lessons/{draft}/complete", json={}).status_code == 401
    bad = client.post(
        f"/v1/lessons/{draft}/complete", json={"time_spent_sec": -1}, headers=learner.headers
    )
    assert bad.status_code == 422


def test_lesson_cache_is_dropped_on_edit(client: Any, admin: Caller, container: Any):
    _topic, ids = _topic_with_lessons(client, admin)
    ok(client.get(f"/v1/lessons/{ids[0]}"))
    assert container.redis.exists(f"lesson:{ids[0]}")
    patch = {"content_markdown": "# Edited\n\nNew text.", "difficulty": "advanced"}
    ok(client.patch(f"/v1/lessons/{ids[0]}", json=patch, headers=admin.headers))
    data = ok(client.get(f"/v1/lessons/{ids[0]}"))
    assert data["content_markdown"].startswith("# Edited") and data["difficulty"] == "advanced"


def test_lesson_authoring_rules(client: Any, admin: Caller, instructor: Caller, learner: Caller):
    topic = published_topic(client, admin)
    mine = _lesson(client, instructor, topic)
    ok(client.patch(f"/v1/lessons/{mine}", json={"order": 7}, headers=instructor.headers))
    theirs = _lesson(client, admin, topic)
    denied = client.patch(f"/v1/lessons/{theirs}", json={"order": 7}, headers=instructor.headers)
    assert denied.status_code == 403
    body = {"topic_id": topic, "title": "x", "slug": slug(), "content_markdown": "y"}
    assert client.post("/v1/lessons", json=body, headers=learner.headers).status_code == 403
    for bad in (
        {**body, "difficulty": "expert"},
        {**body, "topic_id": str(uuid.uuid4())},
        {**body, "estimated_time_min": 0},
    ):
        assert client.post("/v1/lessons", json=bad, headers=admin.headers).status_code == 422
