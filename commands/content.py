"""Authoring use cases: topics, lessons, problems with sealed test cases, quizzes, approval."""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import datetime
from typing import Any
from uuid import UUID

from commands.app import CodeQuest
from commands.errors import (
    ConflictError,
    ForbiddenError,
    InvalidInputError,
    NotFoundError,
    PayloadTooLargeError,
)
from commands.ports import SecretBox
from domain.content import (
    MAX_TEST_CASE_BYTES,
    MAX_TEST_CASES,
    ContentError,
    Lesson,
    Problem,
    ProblemSpec,
    Quiz,
    SlugIndex,
    StoredTest,
    TestCase,
    Topic,
    UnknownTestCaseError,
    slug_index_id,
)
from domain.shared import Permission, has_permission

CONTENT_TYPES = ("topic", "lesson", "problem", "quiz")


@dataclass(frozen=True)
class Actor:
    """Who is authoring, with the role from their access token."""

    user_id: UUID
    role: str

    @property
    def is_admin(self) -> bool:
        return has_permission(self.role, Permission.APPROVE_CONTENT)

    @property
    def may_author(self) -> bool:
        return has_permission(self.role, Permission.MANAGE_CONTENT)


@dataclass(frozen=True)
class Written:
    id: UUID
    position: int
    created_at: datetime | None = None


@dataclass(frozen=True)
class TestWritten:
    problem_id: UUID
    test_id: str
    position: int


@dataclass
class TopicFields:
    name: str
    slug: str
    description: str = ""
    icon_url: str | None = None
    parent_id: UUID | None = None
    order: int = 0


@dataclass
class LessonFields:
    topic_id: UUID
    title: str
    slug: str
    content_markdown: str
    difficulty: str = "beginner"
    estimated_time_min: int = 10
    order: int = 0
    examples: list[dict[str, Any]] = field(default_factory=list)
    exercises: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class ProblemFields:
    slug: str
    title: str
    description_markdown: str
    difficulty: int
    topic_ids: list[UUID] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    input_format: str = ""
    output_format: str = ""
    constraints: str = ""
    examples: list[dict[str, Any]] = field(default_factory=list)
    hints: list[dict[str, Any]] = field(default_factory=list)
    starter_code: dict[str, str] = field(default_factory=dict)
    is_premium: bool = False
    related_problem_ids: list[UUID] = field(default_factory=list)
    time_limit_ms: int = 2000
    memory_limit_mb: int = 256
    checker: str = "exact"
    float_tolerance: float = 1e-6
    output_limit_kb: int = 1024
    harness: dict[str, Any] | None = None


STATEMENT_KEYS = (
    "description_markdown",
    "input_format",
    "output_format",
    "constraints",
    "examples",
)
SPEC_KEYS = tuple(f.name for f in fields(ProblemSpec))


@dataclass
class TestInput:
    __test__ = False  # not a pytest class
    input: str
    expected_output: str
    is_sample: bool = False
    points: int = 1
    group: str | None = None
    explanation: str = ""
    name: str = ""
    order: int | None = None


@dataclass
class QuizFields:
    topic_id: UUID
    title: str
    description: str = ""
    difficulty: str = "beginner"
    time_limit_min: int = 15
    passing_score: int = 70
    questions: list[dict[str, Any]] = field(default_factory=list)


def _apply(current: Any, changes: dict[str, Any]) -> Any:
    unknown = set(changes) - {f.name for f in fields(current)}
    if unknown:
        raise InvalidInputError(f"unknown fields: {', '.join(sorted(unknown))}")
    return replace(current, **changes)


class Content:
    """Authoring on the one log; hidden tests are sealed before they reach any event."""

    def __init__(self, app: CodeQuest, box: SecretBox) -> None:
        self.app = app
        self.box = box

    # -- topics ---------------------------------------------------------------

    def create_topic(
        self, actor: Actor, data: TopicFields, topic_id: UUID | None = None
    ) -> Written:
        self._require_author(actor)
        topic_id = topic_id or uuid.uuid4()
        self._check_parent(topic_id, data.parent_id)
        index = self._claim_slug("topic", data.slug, topic_id)
        topic = self._guard(lambda: Topic(id=topic_id, by=actor.user_id, **asdict(data)))
        return self._written(topic, self.app.commit(topic, index))

    def update_topic(self, actor: Actor, topic_id: UUID, changes: dict[str, Any]) -> Written:
        topic = self._topic(topic_id)
        self._require_editor(actor, topic.created_by, [topic_id])
        data = _apply(self._topic_fields(topic), changes)
        self._check_parent(topic_id, data.parent_id)
        indexes = self._move_slug("topic", topic.slug, data.slug, topic_id)
        self._guard(lambda: topic.update(by=actor.user_id, **asdict(data)))
        return self._written(topic, self.app.commit(topic, *indexes))

    def assign_instructors(
        self, actor: Actor, topic_id: UUID, instructor_ids: list[UUID]
    ) -> Written:
        if not actor.is_admin:
            raise ForbiddenError("only an admin assigns instructors")
        topic = self._topic(topic_id)
        topic.assign_instructors(
            by=actor.user_id, instructor_ids=list(dict.fromkeys(instructor_ids))
        )
        return self._written(topic, self.app.commit(topic))

    # -- lessons --------------------------------------------------------------

    def create_lesson(
        self, actor: Actor, data: LessonFields, lesson_id: UUID | None = None
    ) -> Written:
        self._require_author(actor)
        self._require_topics([data.topic_id], "topic_id")
        lesson_id = lesson_id or uuid.uuid4()
        index = self._claim_slug("lesson", data.slug, lesson_id)
        lesson = self._guard(lambda: Lesson(id=lesson_id, by=actor.user_id, **asdict(data)))
        return self._written(lesson, self.app.commit(lesson, index))

    def update_lesson(self, actor: Actor, lesson_id: UUID, changes: dict[str, Any]) -> Written:
        lesson = self._load(lesson_id, Lesson, "lesson")
        self._require_editor(actor, lesson.created_by, [lesson.topic_id])
        data = _apply(self._lesson_fields(lesson), changes)
        if data.topic_id != lesson.topic_id:
            self._require_topics([data.topic_id], "topic_id")
        indexes = self._move_slug("lesson", lesson.slug, data.slug, lesson_id)
        self._guard(lambda: lesson.update(by=actor.user_id, **asdict(data)))
        return self._written(lesson, self.app.commit(lesson, *indexes))

    # -- problems -------------------------------------------------------------

    def create_problem(
        self,
        actor: Actor,
        data: ProblemFields,
        tests: list[TestInput],
        problem_id: UUID | None = None,
    ) -> Written:
        self._require_author(actor)
        if len(tests) > MAX_TEST_CASES:
            raise InvalidInputError(
                f"a problem holds at most {MAX_TEST_CASES} test cases", field="test_cases"
            )
        self._check_problem(data)
        problem_id = problem_id or uuid.uuid4()
        index = self._claim_slug("problem", data.slug, problem_id)
        problem = self._guard(lambda: Problem(id=problem_id, by=actor.user_id, **_problem_kw(data)))
        for order, test in enumerate(tests):
            problem.add_test(actor.user_id, self._seal(problem_id, str(uuid.uuid4()), test, order))
        return self._written(problem, self.app.commit(problem, index))

    def update_problem(self, actor: Actor, problem_id: UUID, changes: dict[str, Any]) -> Written:
        problem = self._editable_problem(actor, problem_id)
        data = _apply(self._problem_fields(problem), changes)
        self._check_problem(data, problem_id)
        indexes = self._move_slug("problem", problem.slug, data.slug, problem_id)
        self._guard(lambda: problem.update(by=actor.user_id, **_problem_kw(data)))
        return self._written(problem, self.app.commit(problem, *indexes))

    def add_test_case(self, actor: Actor, problem_id: UUID, test: TestInput) -> TestWritten:
        problem = self._editable_problem(actor, problem_id)
        if len(problem.tests) >= MAX_TEST_CASES:
            raise InvalidInputError(f"a problem holds at most {MAX_TEST_CASES} test cases")
        test_id = str(uuid.uuid4())
        order = max((t.order for t in problem.tests.values()), default=-1) + 1
        problem.add_test(actor.user_id, self._seal(problem_id, test_id, test, order))
        return TestWritten(problem_id, test_id, self.app.commit(problem))

    def replace_test_case(
        self, actor: Actor, problem_id: UUID, test_id: str, test: TestInput
    ) -> TestWritten:
        problem = self._editable_problem(actor, problem_id)
        old = problem.tests.get(test_id)
        if old is None:
            raise NotFoundError("test case not found")
        problem.replace_test(actor.user_id, self._seal(problem_id, test_id, test, old.order))
        return TestWritten(problem_id, test_id, self.app.commit(problem))

    def remove_test_case(self, actor: Actor, problem_id: UUID, test_id: str) -> TestWritten:
        problem = self._editable_problem(actor, problem_id)
        try:
            problem.remove_test(actor.user_id, test_id)
        except UnknownTestCaseError:
            raise NotFoundError("test case not found") from None
        return TestWritten(problem_id, test_id, self.app.commit(problem))

    def judge_material(self, problem_id: UUID) -> tuple[ProblemSpec, list[TestCase]]:
        """The problem's limits, checker and harness, and every test with hidden text opened."""
        problem = self._load(problem_id, Problem, "problem")
        tests = [self._open(problem_id, t) for t in problem.ordered_tests()]
        return problem.judge_spec(), tests

    # -- quizzes --------------------------------------------------------------

    def create_quiz(self, actor: Actor, data: QuizFields, quiz_id: UUID | None = None) -> Written:
        self._require_author(actor)
        self._require_topics([data.topic_id], "topic_id")
        quiz_id = quiz_id or uuid.uuid4()
        data = replace(data, questions=_with_ids(data.questions))
        quiz = self._guard(lambda: Quiz(id=quiz_id, by=actor.user_id, **asdict(data)))
        return self._written(quiz, self.app.commit(quiz))

    def update_quiz(self, actor: Actor, quiz_id: UUID, changes: dict[str, Any]) -> Written:
        quiz = self._load(quiz_id, Quiz, "quiz")
        self._require_editor(actor, quiz.created_by, [quiz.topic_id])
        data = _apply(self._quiz_fields(quiz), changes)
        if data.topic_id != quiz.topic_id:
            self._require_topics([data.topic_id], "topic_id")
        data = replace(data, questions=_with_ids(data.questions))
        self._guard(lambda: quiz.update(by=actor.user_id, **asdict(data)))
        return self._written(quiz, self.app.commit(quiz))

    # -- approval -------------------------------------------------------------

    def approve(
        self, actor: Actor, content_type: str, content_id: UUID, notes: str = ""
    ) -> Written:
        if not actor.is_admin:
            raise ForbiddenError("only an admin approves content")
        kinds: dict[str, type[Any]] = {
            "topic": Topic,
            "lesson": Lesson,
            "problem": Problem,
            "quiz": Quiz,
        }
        if content_type not in kinds:
            raise InvalidInputError(
                f"content_type must be one of {', '.join(CONTENT_TYPES)}", field="content_type"
            )
        item = self._load(content_id, kinds[content_type], content_type)
        if item.published:
            raise ConflictError(f"this {content_type} is already published")
        item.publish(by=actor.user_id, notes=notes)
        return self._written(item, self.app.commit(item))

    # -- helpers --------------------------------------------------------------

    def _load(self, item_id: UUID, kind: type[Any], name: str) -> Any:
        item = self.app.find(item_id)
        if not isinstance(item, kind):
            raise NotFoundError(f"{name} not found")
        return item

    def _topic(self, topic_id: UUID) -> Topic:
        topic: Topic = self._load(topic_id, Topic, "topic")
        return topic

    def _written(self, item: Any, position: int) -> Written:
        return Written(id=item.id, position=position, created_at=item.created_on)

    def _guard(self, fn: Any) -> Any:
        try:
            return fn()
        except (ContentError, ValueError) as exc:
            raise InvalidInputError(str(exc)) from None

    def _require_author(self, actor: Actor) -> None:
        if not actor.may_author:
            raise ForbiddenError("your role does not allow authoring content")

    def _require_editor(self, actor: Actor, author: UUID, topic_ids: list[UUID]) -> None:
        """Admins edit anything; instructors what they wrote and what is in their topics."""
        self._require_author(actor)
        if actor.is_admin or author == actor.user_id:
            return
        if not any(actor.user_id in self._instructors(t) for t in topic_ids):
            raise ForbiddenError("you may edit only content you authored or in your topics")

    def _instructors(self, topic_id: UUID) -> set[UUID]:
        """Instructors assigned to this topic or to any of its ancestors."""
        found: set[UUID] = set()
        seen: set[UUID] = set()
        current: UUID | None = topic_id
        while current is not None and current not in seen:
            seen.add(current)
            topic = self.app.find(current)
            if not isinstance(topic, Topic):
                break
            found.update(topic.instructor_ids)
            current = topic.parent_id
        return found

    def _require_topics(self, topic_ids: list[UUID], name: str) -> None:
        for topic_id in topic_ids:
            if not isinstance(self.app.find(topic_id), Topic):
                raise InvalidInputError(f"unknown topic {topic_id}", field=name)

    def _check_parent(self, topic_id: UUID, parent_id: UUID | None) -> None:
        if parent_id is None:
            return
        self._require_topics([parent_id], "parent_id")
        if topic_id in self._ancestors(parent_id):
            raise InvalidInputError("a topic cannot be nested under itself", field="parent_id")

    def _ancestors(self, topic_id: UUID) -> list[UUID]:
        chain: list[UUID] = []
        current: UUID | None = topic_id
        while current is not None and current not in chain:
            chain.append(current)
            topic = self.app.find(current)
            current = topic.parent_id if isinstance(topic, Topic) else None
        return chain

    def _check_problem(self, data: ProblemFields, problem_id: UUID | None = None) -> None:
        self._require_topics(data.topic_ids, "topic_ids")
        for related in data.related_problem_ids:
            if related == problem_id or not isinstance(self.app.find(related), Problem):
                raise InvalidInputError(
                    f"unknown related problem {related}", field="related_problem_ids"
                )

    def _claim_slug(self, kind: str, slug: str, owner: UUID) -> SlugIndex:
        index_id = slug_index_id(kind, slug)
        index = self.app.find(index_id)
        if index is None:
            return SlugIndex(id=index_id, owner_id=owner)
        if index.owner_id not in (None, owner):
            raise ConflictError(f"the {kind} slug '{slug}' is taken", field="slug")
        if index.owner_id is None:
            index.reclaim(owner_id=owner)
        return index  # type: ignore[no-any-return]

    def _move_slug(self, kind: str, old: str, new: str, owner: UUID) -> list[SlugIndex]:
        if slug_index_id(kind, old) == slug_index_id(kind, new):
            return []
        claimed = self._claim_slug(kind, new, owner)
        released = self.app.find(slug_index_id(kind, old))
        if isinstance(released, SlugIndex) and released.owner_id == owner:
            released.release()
            return [claimed, released]
        return [claimed]

    def _editable_problem(self, actor: Actor, problem_id: UUID) -> Problem:
        problem: Problem = self._load(problem_id, Problem, "problem")
        self._require_editor(actor, problem.created_by, problem.topic_ids)
        return problem

    def _seal(self, problem_id: UUID, test_id: str, test: TestInput, order: int) -> StoredTest:
        size = len(test.input.encode()) + len(test.expected_output.encode())
        if size > MAX_TEST_CASE_BYTES:
            raise PayloadTooLargeError("a test case may hold at most 1 MiB of input and output")
        if test.points < 0:
            raise InvalidInputError("points must be zero or more", field="points")
        text_in, text_out = test.input, test.expected_output
        if not test.is_sample:
            context = f"{problem_id}:{test_id}"
            text_in = self.box.seal(text_in, context=context)
            text_out = self.box.seal(text_out, context=context)
        return StoredTest(
            id=test_id,
            name=test.name,
            input=text_in,
            expected_output=text_out,
            is_sample=test.is_sample,
            points=test.points,
            group=test.group,
            explanation=test.explanation if test.is_sample else "",
            order=order if test.order is None else test.order,
        )

    def _open(self, problem_id: UUID, test: StoredTest) -> TestCase:
        text_in, text_out = test.input, test.expected_output
        if not test.is_sample:
            context = f"{problem_id}:{test.id}"
            text_in = self.box.open(text_in, context=context)
            text_out = self.box.open(text_out, context=context)
        return TestCase(test.id, text_in, text_out, test.is_sample, test.points, test.group)

    @staticmethod
    def _topic_fields(topic: Topic) -> TopicFields:
        return TopicFields(
            topic.name, topic.slug, topic.description, topic.icon_url, topic.parent_id, topic.order
        )

    @staticmethod
    def _lesson_fields(lesson: Lesson) -> LessonFields:
        return LessonFields(
            lesson.topic_id,
            lesson.title,
            lesson.slug,
            lesson.content_markdown,
            lesson.difficulty,
            lesson.estimated_time_min,
            lesson.order,
            lesson.examples,
            lesson.exercises,
        )

    @staticmethod
    def _problem_fields(problem: Problem) -> ProblemFields:
        return ProblemFields(
            slug=problem.slug,
            title=problem.title,
            difficulty=problem.difficulty,
            topic_ids=problem.topic_ids,
            tags=problem.tags,
            hints=problem.hints,
            starter_code=problem.starter_code,
            is_premium=problem.is_premium,
            related_problem_ids=problem.related_problem_ids,
            **{k: problem.statement[k] for k in STATEMENT_KEYS},
            **{k: problem.spec[k] for k in SPEC_KEYS},
        )

    @staticmethod
    def _quiz_fields(quiz: Quiz) -> QuizFields:
        return QuizFields(
            quiz.topic_id,
            quiz.title,
            quiz.description,
            quiz.difficulty,
            quiz.time_limit_min,
            quiz.passing_score,
            quiz.questions,
        )


def _problem_kw(data: ProblemFields) -> dict[str, Any]:
    raw = asdict(data)
    statement = {k: raw.pop(k) for k in STATEMENT_KEYS}
    spec = {k: raw.pop(k) for k in SPEC_KEYS}
    return {**raw, "statement": statement, "spec": spec}


def _with_ids(questions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Give each new question a stable id (kept on later edits when the author sends it)."""
    result = []
    for q in questions:
        q = dict(q)
        q["id"] = str(q.get("id") or uuid.uuid4())
        result.append(q)
    if len({q["id"] for q in result}) != len(result):
        raise InvalidInputError("question ids must be distinct", field="questions")
    return result
