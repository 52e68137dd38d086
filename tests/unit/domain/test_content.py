"""Given/when/then for content aggregates, quiz grading and lesson completion XP."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from domain.content import (
    MAX_TEST_CASES,
    ContentError,
    Lesson,
    Problem,
    ProblemSpec,
    Quiz,
    StoredTest,
    TooManyTestCasesError,
    Topic,
    UnknownTestCaseError,
    check_question,
    slug_index_id,
)
from domain.progress import LessonCompletion, completion_id, lesson_xp
from domain.quizzes import (
    Answer,
    AttemptClosedError,
    AttemptExpiredError,
    QuizAttempt,
    grade,
    normalise,
    quiz_xp,
)

AUTHOR = uuid.uuid4()
NOW = datetime(2025, 11, 7, 10, 30, tzinfo=UTC)


def _problem(**overrides: object) -> Problem:
    fields: dict[str, object] = {
        "id": uuid.uuid4(),
        "by": AUTHOR,
        "slug": "two-sum",
        "title": "Two Sum",
        "difficulty": 1,
        "topic_ids": [],
        "tags": ["array"],
        "statement": {"description_markdown": "x"},
        "spec": ProblemSpec().to_dict(),
        "hints": [],
        "starter_code": {},
        "is_premium": False,
        "related_problem_ids": [],
    }
    fields.update(overrides)
    return Problem(**fields)  # type: ignore[arg-type]


def _test(test_id: str = "t1", order: int = 0, sample: bool = False) -> StoredTest:
    return StoredTest(test_id, "", "in", "out", sample, 1, None, "", order)


def test_new_content_starts_unpublished_and_approval_publishes_it():
    topic = Topic(
        id=uuid.uuid4(), by=AUTHOR, name="Arrays", slug="arrays", description="",
        icon_url=None, parent_id=None, order=0,
    )  # fmt: skip
    assert topic.published is False and topic.created_by == AUTHOR
    topic.publish(by=AUTHOR, notes="ok")
    assert topic.published is True
    assert isinstance(topic.pending_events[-1], Topic.Published)


def test_problem_events_carry_the_contract_fields():
    problem = _problem(difficulty=2, tags=["a", "b"])
    created = problem.pending_events[0]
    assert isinstance(created, Problem.Created)
    assert (created.title, created.slug, created.difficulty, created.tags) == (
        "Two Sum", "two-sum", 2, ["a", "b"],
    )  # fmt: skip
    assert created.by == AUTHOR and created.topic_ids == []


def test_problem_refuses_a_bad_difficulty_or_checker():
    with pytest.raises(ContentError):
        _problem(difficulty=4)
    with pytest.raises(ContentError):
        _problem(spec={**ProblemSpec().to_dict(), "checker": "fuzzy"})


def test_test_cases_are_added_replaced_removed_and_capped():
    problem = _problem()
    problem.add_test(AUTHOR, _test("b", order=1))
    problem.add_test(AUTHOR, _test("a", order=0, sample=True))
    assert [t.id for t in problem.ordered_tests()] == ["a", "b"]
    problem.replace_test(AUTHOR, StoredTest("b", "", "new", "out", False, 5, "g", "", 1))
    assert problem.tests["b"].input == "new" and problem.tests["b"].points == 5
    problem.remove_test(AUTHOR, "a")
    assert list(problem.tests) == ["b"]
    with pytest.raises(UnknownTestCaseError):
        problem.remove_test(AUTHOR, "a")
    for i in range(MAX_TEST_CASES - 1):
        problem.add_test(AUTHOR, _test(f"x{i}", order=i + 2))
    with pytest.raises(TooManyTestCasesError):
        problem.add_test(AUTHOR, _test("one-too-many"))


def test_judge_spec_rebuilds_the_harness():
    spec = {
        **ProblemSpec().to_dict(),
        "harness": {
            "function_name": {"python3.10": "f"},
            "params": [{"name": "n", "type": "int"}],
            "return_type": "int",
        },
    }
    built = _problem(spec=spec).judge_spec()
    assert built.harness is not None and built.harness.params[0].name == "n"


def test_lesson_and_quiz_refuse_unknown_levels():
    with pytest.raises(ValueError):
        Lesson(
            id=uuid.uuid4(), by=AUTHOR, topic_id=uuid.uuid4(), title="t", slug="s",
            content_markdown="m", difficulty="expert", estimated_time_min=5, order=0,
            examples=[], exercises=[],
        )  # fmt: skip
    with pytest.raises(ValueError):
        Quiz(
            id=uuid.uuid4(), by=AUTHOR, topic_id=uuid.uuid4(), title="q", description="",
            difficulty="expert", time_limit_min=5, passing_score=70, questions=[],
        )  # fmt: skip


MC = {
    "id": "q1",
    "question_type": "multiple_choice",
    "options": [{"id": "a", "text": "A"}, {"id": "b", "text": "B"}],
    "correct_option_ids": ["a"],
    "points": 10,
    "explanation": "A it is",
}
MS = {**MC, "id": "q2", "question_type": "multiple_select", "correct_option_ids": ["a", "b"]}
SA = {
    "id": "q3",
    "question_type": "short_answer",
    "accepted_answers": ["O(n log n)", "n log n"],
    "points": 5,
}


@pytest.mark.parametrize(
    "question",
    [
        {**MC, "correct_option_ids": ["a", "b"]},
        {**MC, "correct_option_ids": ["z"]},
        {**MC, "options": [{"id": "a", "text": "A"}]},
        {**MC, "question_type": "essay"},
        {**SA, "accepted_answers": []},
    ],
)
def test_bad_questions_are_refused(question: dict[str, object]):
    with pytest.raises(ContentError):
        check_question(question)


def test_grading_needs_the_exact_set_and_normalises_text():
    answers = {
        "q1": Answer("q1", ("a",)),
        "q2": Answer("q2", ("a",)),
        "q3": Answer("q3", text="  o(N   log N) "),
    }
    results = grade([MC, MS, SA], answers)
    assert [r.is_correct for r in results] == [True, False, True]
    assert [r.points_earned for r in results] == [10, 0, 5]
    assert grade([MS], {"q2": Answer("q2", ("b", "a"))})[0].is_correct
    assert not grade([MS], {"q2": Answer("q2", ("a", "b", "b"))})[0].is_correct
    assert not grade([SA], {})[0].is_correct
    strict = {**SA, "case_sensitive": True}
    assert not grade([strict], {"q3": Answer("q3", text="o(n log n)")})[0].is_correct
    assert normalise(" A \t b\n") == "a b"


def _attempt(minutes: int = 15) -> QuizAttempt:
    return QuizAttempt(
        id=uuid.uuid4(), user_id=uuid.uuid4(), quiz_id=uuid.uuid4(), topic_id=uuid.uuid4(),
        started_at=NOW, expires_at=NOW + timedelta(minutes=minutes), question_ids=["q1", "q2"],
    )  # fmt: skip


def test_attempt_scores_passes_and_earns_xp_only_when_passed():
    attempt = _attempt()
    results = grade([MC, MS], {"q1": Answer("q1", ("a",))})
    attempt.submit(results, [], passing_score=50, xp=30, now=NOW)
    submitted = attempt.pending_events[-1]
    assert isinstance(submitted, QuizAttempt.Submitted)
    assert (submitted.score, submitted.max_score, submitted.percentage) == (10, 20, 50)
    assert submitted.passed is True and submitted.xp == 30
    failed = _attempt()
    failed.submit(results, [], passing_score=70, xp=30, now=NOW)
    assert failed.passed is False and failed.xp == 0


def test_attempt_refuses_a_second_submit_and_a_late_one():
    attempt = _attempt()
    attempt.submit([], [], 70, 0, NOW)
    with pytest.raises(AttemptClosedError):
        attempt.submit([], [], 70, 0, NOW)
    late = _attempt(minutes=1)
    with pytest.raises(AttemptExpiredError):
        late.submit([], [], 70, 0, NOW + timedelta(minutes=2))


def test_xp_tables():
    assert [lesson_xp(d) for d in ("beginner", "intermediate", "advanced")] == [50, 75, 100]
    assert [quiz_xp(d) for d in ("beginner", "intermediate", "advanced")] == [30, 45, 60]


def test_lesson_completion_id_is_stable_and_carries_xp():
    user, lesson, topic = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    done = LessonCompletion.complete(user, lesson, topic, "intermediate", 90, NOW)
    assert done.id == completion_id(user, lesson) and done.xp == 75
    event = done.pending_events[0]
    assert isinstance(event, LessonCompletion.Completed) and event.completed_at == NOW


def test_slug_index_ids_are_per_kind_and_case_insensitive():
    assert slug_index_id("problem", "Two-Sum") == slug_index_id("problem", "two-sum")
    assert slug_index_id("problem", "x") != slug_index_id("lesson", "x")
