"""Quizzes over HTTP: no answers leave the API, server-side grading, attempts' rules, XP once."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest

from tests.integration.content.conftest import Caller, approve, caller, ok, published_topic

QUESTIONS = [
    {
        "question_text": "What does print(type([])) show?",
        "question_type": "multiple_choice",
        "options": [{"id": "a", "text": "<class 'list'>"}, {"id": "b", "text": "array"}],
        "correct_answer": "a",
        "explanation": "[] is a list literal.",
        "points": 10,
    },
    {
        "question_text": "Which are mutable?",
        "question_type": "multiple_select",
        "options": [
            {"id": "a", "text": "list"},
            {"id": "b", "text": "tuple"},
            {"id": "c", "text": "dict"},
        ],
        "correct_answer": ["a", "c"],
        "explanation": "Tuples are immutable.",
        "points": 20,
    },
    {
        "question_text": "Time complexity of merge sort?",
        "question_type": "short_answer",
        "correct_answer": "O(n log n)",
        "accepted_answers": ["n log n", "O(nlogn)"],
        "explanation": "Divide and conquer.",
        "points": 10,
    },
]


def _quiz(client: Any, who: Caller, topic: str, **fields: Any) -> str:
    body = {"topic_id": topic, "title": "Quiz " + uuid.uuid4().hex[:6], "questions": QUESTIONS}
    body.update(fields)
    return str(ok(client.post("/v1/quizzes", json=body, headers=who.headers), 201)["id"])


@pytest.fixture
def quiz(client: Any, admin: Caller) -> str:
    topic = published_topic(client, admin)
    quiz_id = _quiz(client, admin, topic, passing_score=70, difficulty="intermediate")
    approve(client, admin, "quiz", quiz_id)
    return quiz_id


def _start(client: Any, who: Caller, quiz_id: str) -> dict[str, Any]:
    return ok(client.post(f"/v1/quizzes/{quiz_id}/attempt", headers=who.headers))


def _answers(
    questions: list[dict[str, Any]], short: str = " o(N   LOG n) "
) -> list[dict[str, Any]]:
    mc, ms, sa = questions
    return [
        {"question_id": mc["id"], "selected_option_id": "a"},
        {"question_id": ms["id"], "selected_option_ids": ["c", "a"]},
        {"question_id": sa["id"], "answer_text": short},
    ]


def _submit(client: Any, who: Caller, attempt: dict[str, Any], answers: Any) -> Any:
    url = f"/v1/quizzes/attempts/{attempt['attempt_id']}/submit"
    return client.post(url, json={"answers": answers}, headers=who.headers)


def test_details_and_attempt_never_show_answers(client: Any, quiz: str, learner: Caller):
    detail = client.get(f"/v1/quizzes/{quiz}", headers=learner.headers)
    started = client.post(f"/v1/quizzes/{quiz}/attempt", headers=learner.headers)
    for text in (detail.text, started.text):
        for secret in ("correct", "accepted", "n log n", "explanation", "Tuples are immutable"):
            assert secret not in text
    data = started.json()["data"]
    assert [q["question_type"] for q in data["questions"]] == [
        "multiple_choice",
        "multiple_select",
        "short_answer",
    ]
    assert data["questions"][1]["options"][2] == {"id": "c", "text": "dict"}
    assert (
        detail.json()["data"]["question_count"] == 3 and detail.json()["data"]["total_points"] == 40
    )


def test_expires_at_follows_the_time_limit(client: Any, admin: Caller, learner: Caller):
    from datetime import datetime

    topic = published_topic(client, admin)
    quiz_id = _quiz(client, admin, topic, time_limit_min=7)
    approve(client, admin, "quiz", quiz_id)
    data = _start(client, learner, quiz_id)
    started = datetime.fromisoformat(data["started_at"])
    assert datetime.fromisoformat(data["expires_at"]) - started == timedelta(minutes=7)


def test_grading_and_first_pass_xp(client: Any, quiz: str, learner: Caller):
    attempt = _start(client, learner, quiz)
    result = ok(_submit(client, learner, attempt, _answers(attempt["questions"])))
    assert (result["score"], result["total_points"], result["percentage"]) == (40, 40, 100)
    assert result["passed"] is True and result["xp_earned"] == 45 and result["correct_answers"] == 3
    assert [r["explanation"] for r in result["detailed_results"]][1] == "Tuples are immutable."
    second = _start(client, learner, quiz)
    again = ok(_submit(client, learner, second, _answers(second["questions"])))
    assert again["passed"] is True and again["xp_earned"] == 0
    listed = ok(client.get("/v1/quizzes", headers=learner.headers))
    mine = next(q for q in listed if q["id"] == quiz)
    assert (mine["attempts"], mine["best_score"]) == (2, 100)
    detail = ok(client.get(f"/v1/quizzes/{quiz}", headers=learner.headers))
    assert len(detail["user_attempts"]) == 2


def test_partial_answers_fail_and_earn_nothing(client: Any, quiz: str, learner: Caller):
    attempt = _start(client, learner, quiz)
    mc, ms, sa = attempt["questions"]
    answers = [
        {"question_id": mc["id"], "selected_option_id": "b"},
        {"question_id": ms["id"], "selected_option_ids": ["a"]},  # not the exact set
        {"question_id": sa["id"], "answer_text": "n log n"},  # an accepted alternative
    ]
    result = ok(_submit(client, learner, attempt, answers))
    assert [r["is_correct"] for r in result["detailed_results"]] == [False, False, True]
    assert (result["score"], result["percentage"], result["passed"], result["xp_earned"]) == (
        10,
        25,
        False,
        0,
    )


def test_attempt_rules_are_clear_4xx(client: Any, quiz: str, admin: Caller, learner: Caller):
    attempt = _start(client, learner, quiz)
    answers = _answers(attempt["questions"])
    stranger = caller(client, "learner")
    assert _submit(client, stranger, attempt, answers).status_code == 403
    other_topic = published_topic(client, admin)
    other = _quiz(client, admin, other_topic)
    approve(client, admin, "quiz", other)
    foreign = _start(client, learner, other)["questions"][0]["id"]
    wrong = _submit(client, learner, attempt, [{"question_id": foreign, "selected_option_id": "a"}])
    assert wrong.status_code == 422
    twice = [answers[0], answers[0]]
    assert _submit(client, learner, attempt, twice).status_code == 422
    ok(_submit(client, learner, attempt, answers))
    assert _submit(client, learner, attempt, answers).status_code == 409
    missing = {"attempt_id": str(uuid.uuid4())}
    assert _submit(client, learner, missing, answers).status_code == 404


def test_submitting_after_expiry_is_410(client: Any, quiz: str, learner: Caller, container: Any):
    attempt = _start(client, learner, quiz)
    service = container.quizzes
    real = service.clock

    class Later:
        def now(self) -> Any:
            return real.now() + timedelta(hours=1)

    service.clock = Later()
    try:
        response = _submit(client, learner, attempt, _answers(attempt["questions"]))
    finally:
        service.clock = real
    assert response.status_code == 410 and response.json()["error"]["code"] == "GONE"


def test_unpublished_quiz_is_hidden_and_authoring_is_checked(
    client: Any, admin: Caller, instructor: Caller, learner: Caller
):
    topic = published_topic(client, admin)
    draft = _quiz(client, instructor, topic)
    assert client.get(f"/v1/quizzes/{draft}", headers=learner.headers).status_code == 404
    assert client.post(f"/v1/quizzes/{draft}/attempt", headers=learner.headers).status_code == 404
    assert all(q["id"] != draft for q in ok(client.get("/v1/quizzes", params={"topic_id": topic})))
    ok(client.patch(f"/v1/quizzes/{draft}", json={"passing_score": 50}, headers=instructor.headers))
    assert ok(client.get(f"/v1/quizzes/{draft}", headers=instructor.headers))["passing_score"] == 50
    body = {"topic_id": topic, "title": "Bad", "questions": QUESTIONS}
    assert client.post("/v1/quizzes", json=body, headers=learner.headers).status_code == 403
    bad_questions = [
        {**QUESTIONS[0], "correct_answer": "z"},
        {**QUESTIONS[0], "correct_answer": ["a", "b"]},
        {**QUESTIONS[1], "correct_answer": ["a", "a"]},
        {**QUESTIONS[2], "correct_answer": ["a"]},
        {**QUESTIONS[0], "question_type": "essay"},
        {**QUESTIONS[0], "options": [{"id": "a", "text": "only one"}]},
    ]
    for question in bad_questions:
        response = client.post(
            "/v1/quizzes", json={**body, "questions": [question]}, headers=admin.headers
        )
        assert response.status_code == 422, (question, response.text)


def test_submitted_event_carries_the_contract_fields(client: Any, quiz: str, container: Any):
    from domain.quizzes import QuizAttempt

    learner = caller(client, "learner")
    attempt = _start(client, learner, quiz)
    ok(_submit(client, learner, attempt, _answers(attempt["questions"])))
    events = list(container.log.events.get(uuid.UUID(attempt["attempt_id"])))
    submitted = [e for e in events if isinstance(e, QuizAttempt.Submitted)]
    assert len(submitted) == 1
    e = submitted[0]
    assert (str(e.user_id), str(e.quiz_id), e.score, e.max_score, e.percentage, e.passed, e.xp) == (
        learner.user_id,
        quiz,
        40,
        40,
        100,
        True,
        45,
    )
    assert (
        isinstance(events[0], QuizAttempt.Started) and events[0].expires_at > events[0].started_at
    )
