"""Interviews over HTTP: quick-match queue and pairing, scheduling, sessions, feedback."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

from domain.interviews import InterviewSession
from tests.integration.community.conftest import data, error, language

MATCH = "/v1/interviews/quick-match"


def match_body(lang: str, **fields: Any) -> dict[str, Any]:
    return {"interview_type": "coding", "difficulty": "mid", "language": lang, **fields}


def future(hours: int = 24) -> str:
    return (datetime.now(UTC) + timedelta(hours=hours)).isoformat()


def test_a_learner_waits_then_a_mentor_pairs_with_them(client, person):
    learner, mentor = person("learner"), person("instructor")
    lang = language()
    first = client.post(MATCH, json=match_body(lang, duration_min=30), headers=learner.headers)
    queued = data(first, 202)
    assert queued["status"] == "searching" and queued["waiting"] == 1
    again = data(client.post(MATCH, json=match_body(lang), headers=learner.headers), 202)
    assert again["ticket_id"] == queued["ticket_id"]  # the same ticket, not a second one

    paired = data(client.post(MATCH, json=match_body(lang), headers=mentor.headers))
    assert paired["status"] == "matched" and paired["role"] == "interviewer"
    assert paired["partner_id"] == learner.user_id
    assert paired["duration_min"] == 30  # the interviewee's request decides
    assert paired["join_url"].endswith(f"/v1/interviews/sessions/{paired['session_id']}")

    mine = data(client.post(MATCH, json=match_body(lang), headers=learner.headers))
    assert mine["session_id"] == paired["session_id"] and mine["role"] == "interviewee"
    assert mine["mentor"]["id"] == mentor.user_id
    assert mine["mentor"]["display_name"] == mentor.name


def test_a_learner_pairs_at_once_with_a_waiting_mentor_or_peer(client, person):
    lang = language()
    mentor, learner = person("instructor"), person("learner")
    data(client.post(MATCH, json=match_body(lang), headers=mentor.headers), 202)
    paired = data(client.post(MATCH, json=match_body(lang), headers=learner.headers))
    assert paired["role"] == "interviewee" and paired["mentor"]["id"] == mentor.user_id

    peer_lang = language()
    a, b = person("learner"), person("learner")
    data(client.post(MATCH, json=match_body(peer_lang), headers=a.headers), 202)
    peer = data(client.post(MATCH, json=match_body(peer_lang), headers=b.headers))
    assert peer["role"] == "interviewer" and peer["partner_id"] == a.user_id


def test_concurrent_callers_make_exactly_one_pair(client, person):
    lang = language()
    learners = [person("learner") for _ in range(4)]

    def call(who: Any) -> Any:
        return client.post(MATCH, json=match_body(lang), headers=who.headers)

    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(call, learners))
    statuses = sorted(r.status_code for r in answers)
    assert statuses == [200, 200, 202, 202], [r.text for r in answers]
    sessions = {r.json()["data"]["session_id"] for r in answers if r.status_code == 200}
    assert len(sessions) == 2


def test_quick_match_refuses_bad_input_and_roles_without_the_permission(client, person):
    learner = person("learner")
    for body, field in [
        ({"interview_type": "poker"}, "interview_type"),
        (match_body("python", difficulty="guru"), "difficulty"),
        (match_body("python", duration_min=5), "duration_min"),
        (match_body("python", communication_mode="fax"), "communication_mode"),
        (match_body("Python 3!"), "language"),
        (match_body("python", extra=1), "extra"),
    ]:
        err = error(client.post(MATCH, json=body, headers=learner.headers), 422, "VALIDATION_ERROR")
        assert field in {d["field"] for d in err["details"]}, err
    error(client.post(MATCH, json=match_body("python")), 401, "UNAUTHORIZED")
    auditor = person("auditor")
    error(client.post(MATCH, json=match_body("python"), headers=auditor.headers), 403, "FORBIDDEN")


def test_schedule_with_a_chosen_mentor_then_read_the_session(client, person):
    learner, mentor, outsider = person("learner"), person("instructor"), person("learner")
    body = {"interview_type": "coding", "mentor_id": mentor.user_id, "scheduled_at": future(),
            "duration_min": 60, "notes": "Want to practise trees"}  # fmt: skip
    booked = data(client.post("/v1/interviews/schedule", json=body, headers=learner.headers), 201)
    assert booked["mentor"]["id"] == mentor.user_id and booked["confirmation_sent"] is False
    path = f"/v1/interviews/sessions/{booked['session_id']}"
    session = data(client.get(path, headers=learner.headers))
    assert session["status"] == "scheduled" and session["notes"] == "Want to practise trees"
    roles = {p["user_id"]: (p["role"], p["display_name"]) for p in session["participants"]}
    assert roles == {learner.user_id: ("interviewee", learner.name),
                     mentor.user_id: ("interviewer", mentor.name)}  # fmt: skip
    assert data(client.get(path, headers=mentor.headers))["id"] == booked["session_id"]
    error(client.get(path, headers=outsider.headers), 404, "NOT_FOUND")
    error(client.get(f"/v1/interviews/sessions/{uuid.uuid4()}", headers=learner.headers), 404,
          "NOT_FOUND")  # fmt: skip

    again = client.post("/v1/interviews/schedule", json=body, headers=person("learner").headers)
    error(again, 409, "CONFLICT")  # the mentor is booked at that time
    early = client.post(f"{path}/feedback", json={"overall_rating": 4}, headers=mentor.headers)
    error(early, 409, "CONFLICT")  # not started yet


def test_schedule_assigns_a_free_instructor_when_none_is_chosen(client, person):
    person("instructor")
    learner = person("learner")
    body = {"interview_type": "behavioral", "scheduled_at": future(48)}
    booked = data(client.post("/v1/interviews/schedule", json=body, headers=learner.headers), 201)
    assert booked["mentor"]["id"] != learner.user_id


def test_schedule_refuses_bad_mentors_and_times(client, person):
    learner, other = person("learner"), person("learner")
    url = "/v1/interviews/schedule"

    def post(**fields: Any) -> Any:
        body = {"interview_type": "coding", "scheduled_at": future(), **fields}
        return client.post(url, json=body, headers=learner.headers)

    for fields, field in [
        ({"mentor_id": other.user_id}, "mentor_id"),
        ({"mentor_id": str(uuid.uuid4())}, "mentor_id"),
        ({"mentor_id": learner.user_id}, "mentor_id"),
        ({"scheduled_at": (datetime.now(UTC) - timedelta(hours=1)).isoformat()}, "scheduled_at"),
        ({"scheduled_at": future(24 * 400)}, "scheduled_at"),
        ({"scheduled_at": "tomorrow"}, "scheduled_at"),
        ({"duration_min": 500}, "duration_min"),
    ]:
        err = error(post(**fields), 422, "VALIDATION_ERROR")
        assert field in {d["field"] for d in err["details"]}, err


def test_feedback_once_each_and_the_interviewers_completes_the_session(
    client, person, container, background
):
    mentor, learner, outsider = person("instructor"), person("learner"), person("learner")
    lang = language()
    data(client.post(MATCH, json=match_body(lang), headers=mentor.headers), 202)
    sid = data(client.post(MATCH, json=match_body(lang), headers=learner.headers))["session_id"]
    url = f"/v1/interviews/sessions/{sid}/feedback"
    rating = {
        "overall_rating": 4,
        "communication_rating": 5,
        "problem_solving_rating": 4,
        "technical_knowledge_rating": 3,
        "feedback_text": "Strong communication.",
    }

    error(client.post(url, json=rating, headers=outsider.headers), 404, "NOT_FOUND")
    unknown_topic = {**rating, "recommended_topics": [str(uuid.uuid4())]}
    for bad in ({"overall_rating": 6}, {"overall_rating": 0}, {"communication_rating": 3},
                unknown_topic, {**rating, "x": 1}):  # fmt: skip
        error(client.post(url, json=bad, headers=learner.headers), 422, "VALIDATION_ERROR")

    given = data(client.post(url, json={"overall_rating": 5}, headers=learner.headers))
    assert given["status"] == "in_progress"
    error(client.post(url, json={"overall_rating": 5}, headers=learner.headers), 409, "CONFLICT")
    done = data(client.post(url, json=rating, headers=mentor.headers))
    assert done["status"] == "completed"
    error(client.post(url, json=rating, headers=mentor.headers), 409, "CONFLICT")

    session = container.log.load(uuid.UUID(sid))
    completed = [e for e in container.log.repository.event_store.get(session.id)
                 if isinstance(e, InterviewSession.Completed)]  # fmt: skip
    assert len(completed) == 1
    assert completed[0].participant_ids == [uuid.UUID(learner.user_id), uuid.UUID(mentor.user_id)]

    history = data(client.get("/v1/users/me/interviews", headers=learner.headers))
    entry = next(h for h in history if h["session_id"] == sid)
    assert entry["status"] == "completed" and entry["mentor_name"] == mentor.name
    assert entry["feedback_summary"] == {"overall_rating": 4, "has_detailed_feedback": True}
    theirs = data(client.get("/v1/users/me/interviews", headers=mentor.headers))
    summary = next(h for h in theirs if h["session_id"] == sid)["feedback_summary"]
    assert summary == {"overall_rating": 5, "has_detailed_feedback": False}
    card = data(client.post(MATCH, json=match_body(language()), headers=learner.headers), 202)
    assert card["status"] == "searching"  # a completed pairing is not offered again


def test_my_interviews_pages_and_needs_a_token(client, person):
    learner = person("learner")
    for hours in (24, 30, 36):
        mentor = person("instructor")
        body = {"interview_type": "coding", "mentor_id": mentor.user_id,
                "scheduled_at": future(hours)}  # fmt: skip
        data(client.post("/v1/interviews/schedule", json=body, headers=learner.headers), 201)
    response = client.get("/v1/users/me/interviews?limit=2&page=1", headers=learner.headers)
    assert response.status_code == 200
    body = response.json()
    assert body["meta"] == {"page": 1, "limit": 2, "total": 3} and len(body["data"]) == 2
    first, second = body["data"]
    assert first["scheduled_at"] > second["scheduled_at"] and first["feedback_summary"] is None
    error(client.get("/v1/users/me/interviews?limit=0", headers=learner.headers), 422,
          "VALIDATION_ERROR")  # fmt: skip
    error(client.get("/v1/users/me/interviews"), 401, "UNAUTHORIZED")
