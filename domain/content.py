"""Authored content: topics, lessons, coding problems (with their test cases) and quizzes."""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass, field
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.shared import DomainError, LessonLevel

MAX_TEST_CASES = 200
MAX_TEST_CASE_BYTES = 1024 * 1024
CHECKERS = ("exact", "float", "unordered")
QUESTION_TYPES = ("multiple_choice", "multiple_select", "short_answer")
SLUG_NAMESPACE = uuid.UUID("6f1c2a1e-3b53-4c5e-9a0e-0c0de9e57a00")


class ContentError(DomainError):
    """An authoring command broke a content invariant."""


class TooManyTestCasesError(ContentError):
    """A problem may hold at most MAX_TEST_CASES test cases."""


class UnknownTestCaseError(ContentError):
    """No test case with this id belongs to the problem."""


@dataclass(frozen=True)
class Param:
    name: str
    type: str


@dataclass(frozen=True)
class HarnessSpec:
    """A function-signature harness: the judge calls the learner's function with JSON args."""

    function_name: dict[str, str]
    params: list[Param]
    return_type: str

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> HarnessSpec:
        params = [Param(name=p["name"], type=p["type"]) for p in data["params"]]
        return cls(dict(data["function_name"]), params, data["return_type"])


@dataclass(frozen=True)
class ProblemSpec:
    """What the judge needs to run a problem (same fields as judge.grading.ProblemSpec)."""

    time_limit_ms: int = 2000
    memory_limit_mb: int = 256
    checker: str = "exact"
    float_tolerance: float = 1e-6
    harness: HarnessSpec | None = None
    output_limit_kb: int = 1024

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ProblemSpec:
        harness = data.get("harness")
        return cls(
            time_limit_ms=int(data["time_limit_ms"]),
            memory_limit_mb=int(data["memory_limit_mb"]),
            checker=str(data["checker"]),
            float_tolerance=float(data["float_tolerance"]),
            harness=HarnessSpec.from_dict(harness) if harness else None,
            output_limit_kb=int(data["output_limit_kb"]),
        )


@dataclass(frozen=True)
class TestCase:
    """A test as the judge sees it (same fields as judge.grading.TestCase), in clear text."""

    __test__ = False  # not a pytest class
    id: str
    input: str
    expected_output: str
    is_sample: bool = False
    points: int = 1
    group: str | None = None


@dataclass
class StoredTest:
    """A test case as the aggregate keeps it: hidden text is sealed, samples are clear."""

    __test__ = False
    id: str
    name: str
    input: str
    expected_output: str
    is_sample: bool
    points: int
    group: str | None
    explanation: str
    order: int
    extra: dict[str, Any] = field(default_factory=dict)


def _test_fields(test: StoredTest) -> dict[str, Any]:
    fields = asdict(test)
    fields["test_id"] = fields.pop("id")
    return fields


def slug_index_id(kind: str, slug: str) -> UUID:
    return uuid.uuid5(SLUG_NAMESPACE, f"{kind}:{slug.strip().lower()}")


class SlugIndex(Aggregate):
    """Uniqueness of a slug per kind of content (id = uuid5 of kind and slug)."""

    @event("Claimed")
    def __init__(self, id: UUID, owner_id: UUID) -> None:
        self.owner_id: UUID | None = owner_id

    @event("Reclaimed")
    def reclaim(self, owner_id: UUID) -> None:
        self.owner_id = owner_id

    @event("Released")
    def release(self) -> None:
        self.owner_id = None


class Topic(Aggregate):
    @event("Created")
    def __init__(
        self,
        id: UUID,
        by: UUID,
        name: str,
        slug: str,
        description: str,
        icon_url: str | None,
        parent_id: UUID | None,
        order: int,
    ) -> None:
        self.created_by = by
        self.published = False
        self.instructor_ids: list[UUID] = []
        self._set(name, slug, description, icon_url, parent_id, order)

    def _set(
        self,
        name: str,
        slug: str,
        description: str,
        icon_url: str | None,
        parent_id: UUID | None,
        order: int,
    ) -> None:
        if parent_id == self.id:
            raise ContentError("a topic cannot be its own parent")
        self.name, self.slug, self.description = name, slug, description
        self.icon_url, self.parent_id, self.order = icon_url, parent_id, order

    @event("Updated")
    def update(
        self,
        by: UUID,
        name: str,
        slug: str,
        description: str,
        icon_url: str | None,
        parent_id: UUID | None,
        order: int,
    ) -> None:
        self._set(name, slug, description, icon_url, parent_id, order)

    @event("InstructorsAssigned")
    def assign_instructors(self, by: UUID, instructor_ids: list[UUID]) -> None:
        self.instructor_ids = list(instructor_ids)

    @event("Published")
    def publish(self, by: UUID, notes: str) -> None:
        self.published = True


class Lesson(Aggregate):
    @event("Created")
    def __init__(
        self,
        id: UUID,
        by: UUID,
        topic_id: UUID,
        title: str,
        slug: str,
        content_markdown: str,
        difficulty: str,
        estimated_time_min: int,
        order: int,
        examples: list[dict[str, Any]],
        exercises: list[dict[str, Any]],
    ) -> None:
        self.created_by = by
        self.published = False
        self._set(topic_id, title, slug, content_markdown, difficulty, estimated_time_min, order)
        self.examples, self.exercises = list(examples), list(exercises)

    def _set(
        self,
        topic_id: UUID,
        title: str,
        slug: str,
        content_markdown: str,
        difficulty: str,
        estimated_time_min: int,
        order: int,
    ) -> None:
        LessonLevel(difficulty)
        self.topic_id, self.title, self.slug = topic_id, title, slug
        self.content_markdown, self.difficulty = content_markdown, difficulty
        self.estimated_time_min, self.order = estimated_time_min, order

    @event("Updated")
    def update(
        self,
        by: UUID,
        topic_id: UUID,
        title: str,
        slug: str,
        content_markdown: str,
        difficulty: str,
        estimated_time_min: int,
        order: int,
        examples: list[dict[str, Any]],
        exercises: list[dict[str, Any]],
    ) -> None:
        self._set(topic_id, title, slug, content_markdown, difficulty, estimated_time_min, order)
        self.examples, self.exercises = list(examples), list(exercises)

    @event("Published")
    def publish(self, by: UUID, notes: str) -> None:
        self.published = True


class Problem(Aggregate):
    """A coding problem. ``statement`` holds description_markdown, input_format, output_format,
    constraints and examples; ``spec`` is a ProblemSpec as a dict."""

    @event("Created")
    def __init__(
        self,
        id: UUID,
        by: UUID,
        slug: str,
        title: str,
        difficulty: int,
        topic_ids: list[UUID],
        tags: list[str],
        statement: dict[str, Any],
        spec: dict[str, Any],
        hints: list[dict[str, Any]],
        starter_code: dict[str, str],
        is_premium: bool,
        related_problem_ids: list[UUID],
    ) -> None:
        self.created_by = by
        self.published = False
        self.tests: dict[str, StoredTest] = {}
        self._set(
            slug, title, difficulty, topic_ids, tags, statement, spec, hints, starter_code,
            is_premium, related_problem_ids,
        )  # fmt: skip

    def _set(
        self,
        slug: str,
        title: str,
        difficulty: int,
        topic_ids: list[UUID],
        tags: list[str],
        statement: dict[str, Any],
        spec: dict[str, Any],
        hints: list[dict[str, Any]],
        starter_code: dict[str, str],
        is_premium: bool,
        related_problem_ids: list[UUID],
    ) -> None:
        if difficulty not in (1, 2, 3):
            raise ContentError("difficulty must be 1, 2 or 3")
        if spec["checker"] not in CHECKERS:
            raise ContentError(f"checker must be one of {', '.join(CHECKERS)}")
        self.slug, self.title, self.difficulty = slug, title, difficulty
        self.topic_ids, self.tags = list(topic_ids), list(tags)
        self.statement, self.spec, self.hints = dict(statement), dict(spec), list(hints)
        self.starter_code, self.is_premium = dict(starter_code), is_premium
        self.related_problem_ids = list(related_problem_ids)

    @event("Updated")
    def update(
        self,
        by: UUID,
        slug: str,
        title: str,
        difficulty: int,
        topic_ids: list[UUID],
        tags: list[str],
        statement: dict[str, Any],
        spec: dict[str, Any],
        hints: list[dict[str, Any]],
        starter_code: dict[str, str],
        is_premium: bool,
        related_problem_ids: list[UUID],
    ) -> None:
        self._set(
            slug, title, difficulty, topic_ids, tags, statement, spec, hints, starter_code,
            is_premium, related_problem_ids,
        )  # fmt: skip

    def add_test(self, by: UUID, test: StoredTest) -> None:
        if len(self.tests) >= MAX_TEST_CASES:
            raise TooManyTestCasesError(f"a problem holds at most {MAX_TEST_CASES} test cases")
        self._test_added(by=by, **_test_fields(test))

    def replace_test(self, by: UUID, test: StoredTest) -> None:
        self._require_test(test.id)
        self._test_replaced(by=by, **_test_fields(test))

    def remove_test(self, by: UUID, test_id: str) -> None:
        self._require_test(test_id)
        self._test_removed(by=by, test_id=test_id)

    def _require_test(self, test_id: str) -> None:
        if test_id not in self.tests:
            raise UnknownTestCaseError("test case not found")

    @event("TestCaseAdded")
    def _test_added(
        self,
        by: UUID,
        test_id: str,
        name: str,
        input: str,
        expected_output: str,
        is_sample: bool,
        points: int,
        group: str | None,
        explanation: str,
        order: int,
        extra: dict[str, Any],
    ) -> None:
        self._store(
            StoredTest(
                test_id,
                name,
                input,
                expected_output,
                is_sample,
                points,
                group,
                explanation,
                order,
                extra,
            )
        )

    @event("TestCaseReplaced")
    def _test_replaced(
        self,
        by: UUID,
        test_id: str,
        name: str,
        input: str,
        expected_output: str,
        is_sample: bool,
        points: int,
        group: str | None,
        explanation: str,
        order: int,
        extra: dict[str, Any],
    ) -> None:
        self._store(
            StoredTest(
                test_id,
                name,
                input,
                expected_output,
                is_sample,
                points,
                group,
                explanation,
                order,
                extra,
            )
        )

    def _store(self, test: StoredTest) -> None:
        self.tests[test.id] = test

    @event("TestCaseRemoved")
    def _test_removed(self, by: UUID, test_id: str) -> None:
        del self.tests[test_id]

    def ordered_tests(self) -> list[StoredTest]:
        return sorted(self.tests.values(), key=lambda t: (t.order, t.id))

    def judge_spec(self) -> ProblemSpec:
        return ProblemSpec.from_dict(self.spec)

    @event("Published")
    def publish(self, by: UUID, notes: str) -> None:
        self.published = True


class Quiz(Aggregate):
    """A quiz; each question is a dict (see ``check_question``) with its correct answers."""

    @event("Created")
    def __init__(
        self,
        id: UUID,
        by: UUID,
        topic_id: UUID,
        title: str,
        description: str,
        difficulty: str,
        time_limit_min: int,
        passing_score: int,
        questions: list[dict[str, Any]],
    ) -> None:
        self.created_by = by
        self.published = False
        self._set(
            topic_id, title, description, difficulty, time_limit_min, passing_score, questions
        )

    def _set(
        self,
        topic_id: UUID,
        title: str,
        description: str,
        difficulty: str,
        time_limit_min: int,
        passing_score: int,
        questions: list[dict[str, Any]],
    ) -> None:
        LessonLevel(difficulty)
        for question in questions:
            check_question(question)
        self.topic_id, self.title, self.description = topic_id, title, description
        self.difficulty, self.time_limit_min = difficulty, time_limit_min
        self.passing_score, self.questions = passing_score, list(questions)

    @event("Updated")
    def update(
        self,
        by: UUID,
        topic_id: UUID,
        title: str,
        description: str,
        difficulty: str,
        time_limit_min: int,
        passing_score: int,
        questions: list[dict[str, Any]],
    ) -> None:
        self._set(
            topic_id, title, description, difficulty, time_limit_min, passing_score, questions
        )

    def question(self, question_id: str) -> dict[str, Any] | None:
        return next((q for q in self.questions if q["id"] == question_id), None)

    @event("Published")
    def publish(self, by: UUID, notes: str) -> None:
        self.published = True


def check_question(q: dict[str, Any]) -> None:
    """A question: id, question_text, question_type, options [{id,text}], correct_option_ids,
    accepted_answers (short_answer), explanation, points."""
    kind = q["question_type"]
    if kind not in QUESTION_TYPES:
        raise ContentError(f"question_type must be one of {', '.join(QUESTION_TYPES)}")
    option_ids = [o["id"] for o in q.get("options", [])]
    correct = q.get("correct_option_ids", [])
    if kind == "short_answer":
        if not q.get("accepted_answers"):
            raise ContentError("a short_answer question needs at least one accepted answer")
        return
    if len(set(option_ids)) != len(option_ids) or len(option_ids) < 2:
        raise ContentError("a choice question needs at least two options with distinct ids")
    if not correct or any(c not in option_ids for c in correct):
        raise ContentError("correct answers must name options of the question")
    if kind == "multiple_choice" and len(correct) != 1:
        raise ContentError("a multiple_choice question has exactly one correct option")
