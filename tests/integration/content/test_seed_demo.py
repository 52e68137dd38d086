"""`seed-demo` publishes the whole curriculum, rerunning it appends nothing, drift is repaired."""

from __future__ import annotations

import re
import time
import uuid
from typing import Any
from uuid import UUID

import pytest

from commands.content import Actor, TestInput
from commands.demo import LESSONS, PROBLEMS, QUIZZES, TOPICS, seed
from commands.demo.seeding import AUTHOR_EMAIL, quiz_fields
from domain.accounts import EmailIndex
from domain.content import check_question, slug_index_id


@pytest.fixture(scope="module")
def seeded(container: Any, background: Any) -> Any:
    report = seed(container)
    assert background.projections.wait(container.log.head(), timeout=30, names=["catalog"])
    return report


def demo_ids() -> set[UUID]:
    ids = {t.id for t in TOPICS} | {p.id for p in PROBLEMS}
    ids |= {lesson.id for lesson in LESSONS} | {q.id for q in QUIZZES}
    ids |= {slug_index_id("topic", t.slug) for t in TOPICS}
    ids |= {slug_index_id("problem", p.slug) for p in PROBLEMS}
    ids |= {slug_index_id("lesson", lesson.slug) for lesson in LESSONS}
    return ids | {EmailIndex.id_for(AUTHOR_EMAIL)}


def appended_by_us(container: Any, after: int, author: UUID) -> list[Any]:
    head = container.log.head()
    if head <= after:
        return []
    notes = container.log.notification_log.select(after + 1, head - after)
    return [n for n in notes if n.originator_id in demo_ids() | {author}]


def all_pages(client: Any, path: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    page = 1
    while True:
        body = client.get(path, params={"page": page, "limit": 100}).json()
        assert body["success"], body
        rows += body["data"]
        if len(body["data"]) < 100:
            return rows
        page += 1


def test_first_run_creates_and_publishes_everything(seeded: Any) -> None:
    assert seeded.author_id is not None
    expected = {"topic": len(TOPICS), "lesson": len(LESSONS), "problem": len(PROBLEMS)}
    expected["quiz"] = len(QUIZZES)
    assert seeded.created == expected
    assert seeded.published == expected
    assert seeded.tests_written == sum(len(p.samples) + len(p.hidden) for p in PROBLEMS)


def test_catalogue_shows_the_curriculum(seeded: Any, client: Any) -> None:
    body = client.get("/v1/topics").json()
    roots = {t["slug"]: t for t in body["data"]}
    assert {"dsa", "python", "javascript"} <= set(roots)
    children = {c["slug"] for c in roots["dsa"]["children"]}
    assert {t.slug for t in TOPICS if t.parent == "dsa"} <= children
    assert len(children) >= 7
    for path, items in (
        ("/v1/problems", PROBLEMS),
        ("/v1/lessons", LESSONS),
        ("/v1/quizzes", QUIZZES),
    ):
        listed = {UUID(row["id"]) for row in all_pages(client, path)}
        assert {item.id for item in items} <= listed, path
    assert len(PROBLEMS) >= 15 and len(LESSONS) >= 8 and len(QUIZZES) >= 4


def test_a_problem_reads_as_authored(seeded: Any, client: Any) -> None:
    two_sum = next(p for p in PROBLEMS if p.slug == "two-sum")
    response = client.get(f"/v1/problems/{two_sum.id}")
    data = response.json()["data"]
    assert data["slug"] == "two-sum" and data["difficulty"] == 1
    assert set(data["starter_code"]) == {"python3.10", "cpp17", "java17", "javascript"}
    assert "def two_sum(nums: list[int], target: int)" in data["starter_code"]["python3.10"]
    assert [h["level"] for h in data["hints"]] == [1, 2, 3]
    samples = [(s["input"], s["output"]) for s in data["sample_test_cases"]]
    assert samples == [(t.input, t.expected_output) for t in two_sum.samples]
    for test in two_sum.hidden:
        assert test.input.strip() not in response.text


def test_lesson_and_quiz_read_as_authored(seeded: Any, client: Any) -> None:
    lesson = next(item for item in LESSONS if item.slug == "dynamic-programming")
    data = client.get(f"/v1/lessons/{lesson.id}").json()["data"]
    assert data["content_markdown"].startswith("# Dynamic Programming")
    assert [e["title"] for e in data["examples"]] == [e.title for e in lesson.examples]
    assert len(data["exercises"]) == len(lesson.exercises)
    quiz = QUIZZES[0]
    body = client.get(f"/v1/quizzes/{quiz.id}").json()["data"]
    assert body["question_count"] == len(quiz.questions) >= 5


def test_second_run_appends_no_events(seeded: Any, container: Any) -> None:
    before = container.log.head()
    again = seed(container)
    assert not again.changed, str(again)
    assert sum(again.unchanged.values()) == len(TOPICS) + len(LESSONS) + len(PROBLEMS) + len(
        QUIZZES
    )
    assert again.tests_written == 0
    assert appended_by_us(container, before, again.author_id) == []
    assert container.log.head() == before


def test_drift_is_repaired_then_left_alone(seeded: Any, container: Any) -> None:
    admin = Actor(user_id=seeded.author_id, role="admin")
    problem = next(p for p in PROBLEMS if p.slug == "binary-search")
    quiz = QUIZZES[1]
    stored = container.log.find(problem.id).ordered_tests()
    container.content.update_problem(admin, problem.id, {"title": "Drifted"})
    container.content.replace_test_case(
        admin, problem.id, stored[-1].id, TestInput("[[1], 1]\n", "0\n")
    )
    container.content.add_test_case(admin, problem.id, TestInput("[[2], 2]\n", "0\n"))
    container.content.update_quiz(admin, quiz.id, {"passing_score": 10})

    repaired = seed(container)
    assert repaired.updated == {"topic": 0, "lesson": 0, "problem": 1, "quiz": 1}
    assert repaired.tests_written == 2  # one replaced back, one extra removed
    assert container.log.find(problem.id).title == problem.title
    _, tests = container.content.judge_material(problem.id)
    wanted = problem.samples + problem.hidden
    assert [(t.input, t.expected_output) for t in tests] == [
        (t.input, t.expected_output) for t in wanted
    ]
    assert container.log.find(quiz.id).passing_score == quiz.passing_score

    before = container.log.head()
    assert not seed(container).changed
    assert appended_by_us(container, before, seeded.author_id) == []


def test_lessons_and_quizzes_have_the_curriculum_shape() -> None:
    assert len(LESSONS) >= 8 and len({lesson.topic for lesson in LESSONS}) >= 8
    assert {lesson.difficulty for lesson in LESSONS} == {"beginner", "intermediate", "advanced"}
    slugs = {p.slug for p in PROBLEMS}
    for lesson in LESSONS:
        text = lesson.content_markdown
        assert text.startswith("# ") and len(re.findall(r"^## ", text, re.M)) >= 3, lesson.slug
        assert "```" in text and "O(" in text and len(text) > 1500, lesson.slug
        assert len(lesson.examples) >= 2 and set(lesson.exercises) <= slugs, lesson.slug
    assert len(QUIZZES) >= 4
    for quiz in QUIZZES:
        assert len(quiz.questions) >= 5
        assert {q.type for q in quiz.questions} >= {"multiple_choice", "short_answer"}
        for question in quiz_fields(quiz).questions:
            check_question(question)
            assert question["explanation"] and question["points"] > 0


def _token(app: Any) -> dict[str, str]:
    uid = uuid.uuid4()
    token = app.state.tokens.issue(str(uid), "learner", f"{uid.hex[:8]}@example.com")
    return {"Authorization": f"Bearer {token}"}


def _verdict(client: Any, headers: dict[str, str], slug: str, language: str, code: str) -> str:
    problem = next(p for p in PROBLEMS if p.slug == slug)
    body = {"problem_id": str(problem.id), "language": language, "code": code}
    res = client.post("/v1/submissions", json=body, headers=headers)
    assert res.status_code == 202, res.text
    sid = res.json()["data"]["submission_id"]
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        data = client.get(f"/v1/submissions/{sid}", headers=headers).json()["data"]
        if data["verdict"]:
            return str(data["verdict"])
        time.sleep(0.1)
    raise AssertionError(f"{slug}/{language} was not judged in time")


def test_seeded_problems_are_judged_through_the_api(seeded: Any, app: Any, client: Any) -> None:
    headers = _token(app)
    two_sum = next(p for p in PROBLEMS if p.slug == "two-sum")
    fizzbuzz = next(p for p in PROBLEMS if p.slug == "fizzbuzz")
    solution = two_sum.solutions["python3.10"]
    assert _verdict(client, headers, "two-sum", "python3.10", solution) == "ACCEPTED"
    starter = two_sum.starters["javascript"]
    assert _verdict(client, headers, "two-sum", "javascript", starter) != "ACCEPTED"
    solution = fizzbuzz.solutions["javascript"]
    assert _verdict(client, headers, "fizzbuzz", "javascript", solution) == "ACCEPTED"
