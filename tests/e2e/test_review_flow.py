"""Review flow end to end over HTTP: verified learner submits, the judge and the AI review run."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from commands.content import LessonFields, ProblemFields, TestInput, TopicFields
from tests.e2e.test_auth_flow import bearer, login, verified_user
from tests.integration.ai_api.conftest import (
    CLEAN,
    SUM_LIST_TESTS,
    WRONG,
    assert_complete_review,
    poll_review,
)
from tests.integration.submissions.conftest import ADMIN, poll_final, submit, wait_until

pytestmark = pytest.mark.e2e


def topic_with_problems(container: Any) -> tuple[Any, list[Any], Any]:
    suffix = uuid.uuid4().hex[:8]
    topic = container.content.create_topic(ADMIN, TopicFields(f"Sums {suffix}", f"sums-{suffix}"))
    problems = []
    for n in range(2):
        fields = ProblemFields(
            slug=f"sum-{n}-{suffix}", title=f"List sum {n} {suffix}",
            description_markdown="Print the sum of the list.", difficulty=1, topic_ids=[topic.id],
        )  # fmt: skip
        tests = [TestInput(i, o, is_sample=s, points=10) for i, o, s in SUM_LIST_TESTS]
        written = container.content.create_problem(ADMIN, fields, tests)
        container.content.approve(ADMIN, "problem", written.id)
        problems.append(written.id)
    lesson_fields = LessonFields(topic.id, "Summing lists", f"summing-{suffix}", "# Sums\n- sum()")
    lesson = container.content.create_lesson(ADMIN, lesson_fields)
    container.content.approve(ADMIN, "lesson", lesson.id)
    return topic.id, problems, lesson.id


def test_submit_judge_review_and_learning_path(
    client: Any, container: Any, smtp_server: Any
) -> None:
    topic_id, (first, second), lesson_id = topic_with_problems(container)
    # a verified learner signs in
    email = verified_user(client, smtp_server)
    token = login(client, email, "Secure-pass-123").json()["data"]["access_token"]
    me = client.get("/v1/users/me", headers=bearer(token)).json()["data"]
    # a failed and an accepted submission are both judged and both reviewed
    failed = submit(client, token, first, "python3.10", WRONG)
    assert poll_final(client, failed, token)["verdict"] == "FAILED"
    accepted = submit(client, token, first, "python3.10", CLEAN)
    assert poll_final(client, accepted, token)["verdict"] == "ACCEPTED"
    for sid in (failed, accepted):
        assert_complete_review(poll_review(client, sid, token))
    detail = client.get(f"/v1/submissions/{accepted}", headers=bearer(token)).json()["data"]
    assert detail["verdict"] == "ACCEPTED"  # the judge's verdict survives the review

    # the learning path: the solved problem is never offered again, the next one is
    def path() -> Any:
        res = client.get("/v1/users/me/learning-path", headers=bearer(token))
        assert res.status_code == 200, res.text
        data = res.json()["data"]
        return data if any(t["topic_id"] == str(topic_id) for t in data["weak_topics"]) else None

    data = wait_until(path, 30.0, every=0.1)
    offered = {r["id"]: r for r in data["recommended_next"]}
    assert str(first) not in offered
    assert offered[str(second)]["type"] == "problem" and offered[str(second)]["reason"]
    assert offered[str(lesson_id)]["reason"].startswith("Improve weak area")
    assert data["current_level"] == "beginner"
    assert data["daily_goal"]["problems_to_solve"] >= 1
    assert me["id"]
