"""Load the demo curriculum through the content service: create, update what changed, publish."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any
from uuid import UUID

from commands.content import (
    Actor,
    Content,
    LessonFields,
    ProblemFields,
    QuizFields,
    TestInput,
    TopicFields,
)
from commands.context import acting
from commands.demo.model import (
    DemoLesson,
    DemoProblem,
    DemoQuestion,
    DemoQuiz,
    DemoTest,
    DemoTopic,
    demo_id,
)
from domain.accounts import EmailIndex, User
from domain.content import Lesson, Problem, Quiz, StoredTest, Topic
from domain.shared import Permission, Role, has_permission

AUTHOR_EMAIL = "admin@codequest.local"
AUTHOR_NAME = "CodeQuest Curriculum"
KINDS = ("topic", "lesson", "problem", "quiz")
PLURAL = {"topic": "topics", "lesson": "lessons", "problem": "problems", "quiz": "quizzes"}


@dataclass
class SeedReport:
    """What one run did, per kind of content."""

    author_id: UUID | None = None
    created: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    updated: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    published: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    unchanged: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    tests_written: int = 0

    @property
    def changed(self) -> bool:
        return any(sum(d.values()) for d in (self.created, self.updated, self.published))

    def __str__(self) -> str:
        rows = [f"seed-demo as {AUTHOR_EMAIL} ({self.author_id})"]
        for kind in KINDS:
            rows.append(
                f"  {PLURAL[kind]:9} created {self.created[kind]:3}  updated {self.updated[kind]:3}"
                f"  published {self.published[kind]:3}  unchanged {self.unchanged[kind]:3}"
            )
        rows.append(f"  test cases written {self.tests_written}")
        return "\n".join(rows)


def seed(container: Any) -> SeedReport:
    """Idempotent: content equal to the curriculum is left alone, so a rerun appends nothing."""
    from commands.demo import LESSONS, PROBLEMS, QUIZZES, TOPICS

    report = SeedReport()
    author = _author(container, report)
    with acting(str(author.user_id)):
        seeder = _Seeder(container.content, author, report)
        for topic in TOPICS:
            seeder.topic(topic)
        for problem in PROBLEMS:
            seeder.problem(problem)
        for lesson in LESSONS:
            seeder.lesson(lesson)
        for quiz in QUIZZES:
            seeder.quiz(quiz)
    return report


def _author(container: Any, report: SeedReport) -> Actor:
    """The curriculum's author: an admin account made once, found by its e-mail afterwards."""
    index = container.log.find(EmailIndex.id_for(AUTHOR_EMAIL))
    if isinstance(index, EmailIndex):
        user_id: UUID = index.user_id
    else:
        user_id = container.accounts.create_user(
            AUTHOR_EMAIL, secrets.token_urlsafe(24), Role.ADMIN.value, True, AUTHOR_NAME
        )
    user = container.log.find(user_id)
    role = user.role if isinstance(user, User) else Role.ADMIN.value
    if not has_permission(role, Permission.APPROVE_CONTENT):
        container.accounts.grant_role(user_id, Role.ADMIN.value, None)
    report.author_id = user_id
    return Actor(user_id=user_id, role=Role.ADMIN.value)


class _Seeder:
    def __init__(self, content: Content, author: Actor, report: SeedReport) -> None:
        self.content, self.author, self.report = content, author, report

    def topic(self, topic: DemoTopic) -> None:
        parent = demo_id("topic", topic.parent) if topic.parent else None
        data = TopicFields(
            topic.name, topic.slug, topic.description, topic.icon_url, parent, topic.order
        )
        current = self._find(topic.id, Topic)
        if current is None:
            self.content.create_topic(self.author, data, topic.id)
        self._sync("topic", current, asdict(data), _topic_now, self.content.update_topic, topic.id)

    def lesson(self, lesson: DemoLesson) -> None:
        data = lesson_fields(lesson)
        current = self._find(lesson.id, Lesson)
        if current is None:
            self.content.create_lesson(self.author, data, lesson.id)
        self._sync(
            "lesson", current, asdict(data), _lesson_now, self.content.update_lesson, lesson.id
        )

    def problem(self, problem: DemoProblem) -> None:
        data, tests = problem_fields(problem), case_inputs(problem)
        current = self._find(problem.id, Problem)
        if current is None:
            self.content.create_problem(self.author, data, tests, problem.id)
            self.report.tests_written += len(tests)
        else:
            self._sync_tests(current, tests)
        self._sync(
            "problem", current, asdict(data), _problem_now, self.content.update_problem, problem.id
        )

    def quiz(self, quiz: DemoQuiz) -> None:
        data = quiz_fields(quiz)
        current = self._find(quiz.id, Quiz)
        if current is None:
            self.content.create_quiz(self.author, data, quiz.id)
        self._sync("quiz", current, asdict(data), _quiz_now, self.content.update_quiz, quiz.id)

    def _find(self, item_id: UUID, kind: type[Any]) -> Any:
        item = self.content.app.find(item_id)
        return item if isinstance(item, kind) else None

    def _sync(
        self,
        kind: str,
        current: Any,
        wanted: dict[str, Any],
        now: Callable[[Any], dict[str, Any]],
        update: Callable[[Actor, UUID, dict[str, Any]], Any],
        item_id: UUID,
    ) -> None:
        """Count a creation, or update the fields that differ; then publish if still a draft."""
        if current is None:
            self.report.created[kind] += 1
        else:
            have = now(current)
            changes = {k: v for k, v in wanted.items() if have.get(k) != v}
            if changes:
                update(self.author, item_id, changes)
                self.report.updated[kind] += 1
            else:
                self.report.unchanged[kind] += 1
        if current is None or not current.published:
            self.content.approve(self.author, kind, item_id, "demo curriculum")
            self.report.published[kind] += 1

    def _sync_tests(self, problem: Problem, wanted: list[TestInput]) -> None:
        """Replace the tests that differ, add the missing ones, remove the extra ones."""
        _, opened = self.content.judge_material(problem.id)
        stored = problem.ordered_tests()
        for have, clear, want in zip(stored, opened, wanted, strict=False):
            if _test_now(have, clear.input, clear.expected_output) != _test_key(want):
                self.content.replace_test_case(self.author, problem.id, have.id, want)
                self.report.tests_written += 1
        for want in wanted[len(stored) :]:
            self.content.add_test_case(self.author, problem.id, want)
            self.report.tests_written += 1
        for extra in stored[len(wanted) :]:
            self.content.remove_test_case(self.author, problem.id, extra.id)
            self.report.tests_written += 1


def lesson_fields(lesson: DemoLesson) -> LessonFields:
    examples = [asdict(e) for e in lesson.examples]
    exercises = [_exercise(slug) for slug in lesson.exercises]
    return LessonFields(
        topic_id=demo_id("topic", lesson.topic),
        title=lesson.title,
        slug=lesson.slug,
        content_markdown=lesson.content_markdown,
        difficulty=lesson.difficulty,
        estimated_time_min=lesson.estimated_time_min,
        order=lesson.order,
        examples=examples,
        exercises=exercises,
    )


def _exercise(problem_slug: str) -> dict[str, Any]:
    from commands.demo import PROBLEMS

    problem = next(p for p in PROBLEMS if p.slug == problem_slug)
    return {
        "id": str(problem.id),
        "title": problem.title,
        "problem_id": str(problem.id),
        "description": problem.hints[0],
    }


def problem_fields(problem: DemoProblem) -> ProblemFields:
    return ProblemFields(
        slug=problem.slug,
        title=problem.title,
        description_markdown=problem.statement,
        difficulty=problem.difficulty,
        topic_ids=[demo_id("topic", t) for t in problem.topics],
        tags=list(problem.tags),
        input_format=problem.input_format,
        output_format=problem.output_format,
        constraints=problem.constraints,
        hints=[{"level": i, "text": text} for i, text in enumerate(problem.hints, start=1)],
        starter_code=dict(problem.starters),
        time_limit_ms=problem.time_limit_ms,
        memory_limit_mb=problem.memory_limit_kb // 1024,
        checker=problem.checker,
        harness=harness_dict(problem),
    )


def harness_dict(problem: DemoProblem) -> dict[str, Any] | None:
    sig = problem.signature
    if sig is None:
        return None
    return {
        "function_name": dict(sig.function_name),
        "params": [{"name": name, "type": type_name} for name, type_name in sig.params],
        "return_type": sig.return_type,
    }


def case_inputs(problem: DemoProblem) -> list[TestInput]:
    samples = [_test_input(t, i, True) for i, t in enumerate(problem.samples, start=1)]
    hidden = [_test_input(t, i, False) for i, t in enumerate(problem.hidden, start=1)]
    return samples + hidden


def _test_input(test: DemoTest, number: int, sample: bool) -> TestInput:
    name = f"{'sample' if sample else 'hidden'} {number}"
    explanation = test.explanation if sample else ""
    return TestInput(test.input, test.expected_output, sample, test.points, None, explanation, name)


def quiz_fields(quiz: DemoQuiz) -> QuizFields:
    questions = [_question(quiz, i, q) for i, q in enumerate(quiz.questions, start=1)]
    return QuizFields(
        topic_id=demo_id("topic", quiz.topic),
        title=quiz.title,
        description=quiz.description,
        difficulty=quiz.difficulty,
        time_limit_min=quiz.time_limit_min,
        passing_score=quiz.passing_score,
        questions=questions,
    )


def _question(quiz: DemoQuiz, number: int, q: DemoQuestion) -> dict[str, Any]:
    """A question with a stable id, so a rerun compares equal and learners' attempts survive."""
    shown: dict[str, Any] = {
        "id": str(uuid.uuid5(quiz.id, f"question:{number}")),
        "question_text": q.text,
        "question_type": q.type,
        "explanation": q.explanation,
        "points": q.points,
    }
    if q.type == "short_answer":
        shown["accepted_answers"] = list(q.correct)
    else:
        shown["options"] = [{"id": oid, "text": text} for oid, text in q.options]
        shown["correct_option_ids"] = list(q.correct)
    return shown


def _topic_now(topic: Topic) -> dict[str, Any]:
    keys = ("name", "slug", "description", "icon_url", "parent_id", "order")
    return {k: getattr(topic, k) for k in keys}


def _lesson_now(lesson: Lesson) -> dict[str, Any]:
    keys = [f for f in LessonFields.__dataclass_fields__]
    return {k: getattr(lesson, k) for k in keys}


def _problem_now(problem: Problem) -> dict[str, Any]:
    now: dict[str, Any] = {**problem.statement, **problem.spec}
    for key in ("slug", "title", "difficulty", "topic_ids", "tags", "hints", "starter_code"):
        now[key] = getattr(problem, key)
    now["is_premium"] = problem.is_premium
    now["related_problem_ids"] = problem.related_problem_ids
    return now


def _quiz_now(quiz: Quiz) -> dict[str, Any]:
    keys = [f for f in QuizFields.__dataclass_fields__]
    return {k: getattr(quiz, k) for k in keys}


def _test_key(test: TestInput) -> tuple[Any, ...]:
    explanation = test.explanation if test.is_sample else ""
    return (
        test.input,
        test.expected_output,
        test.is_sample,
        test.points,
        test.group,
        explanation,
        test.name,
    )


def _test_now(test: StoredTest, clear_input: str, clear_output: str) -> tuple[Any, ...]:
    return (
        clear_input,
        clear_output,
        test.is_sample,
        test.points,
        test.group,
        test.explanation,
        test.name,
    )
