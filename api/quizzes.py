"""Quizzes: listing and details (never the answers), authoring, attempts graded on the server."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec
from litestar import Controller, Request, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody, Parameter

from api.admin_content import (
    BEARER,
    actor_of,
    content_service,
    given,
    run_command,
    sees_drafts,
    user_of,
)
from api.auth import Principal, authenticated, requires
from api.envelope import Envelope, Meta, error_responses, ok
from api.lessons import Level
from api.topics import ContentWritten, Name
from commands.content import QuizFields
from commands.errors import InvalidInputError, NotFoundError
from commands.quizzes import Quizzes
from domain.quizzes import Answer
from domain.shared import Permission
from projections.catalog import Page, QuizDetail, QuizSummary, get_quiz, list_quizzes

OptionId = Annotated[str, msgspec.Meta(min_length=1, max_length=20)]
AnswerText = Annotated[str, msgspec.Meta(max_length=2000)]


class OptionBody(msgspec.Struct, forbid_unknown_fields=True):
    id: OptionId
    text: Annotated[str, msgspec.Meta(min_length=1, max_length=2000)]


class QuestionBody(msgspec.Struct, forbid_unknown_fields=True):
    """``correct_answer``: an option id (multiple_choice), a list of option ids
    (multiple_select), or the expected text (short_answer, plus ``accepted_answers``)."""

    question_text: Annotated[str, msgspec.Meta(min_length=1, max_length=5000)]
    question_type: Literal["multiple_choice", "multiple_select", "short_answer"]
    correct_answer: AnswerText | Annotated[list[OptionId], msgspec.Meta(max_length=20)]
    options: Annotated[list[OptionBody], msgspec.Meta(max_length=20)] = []
    accepted_answers: Annotated[list[AnswerText], msgspec.Meta(max_length=20)] = []
    case_sensitive: bool = False
    explanation: Annotated[str, msgspec.Meta(max_length=5000)] = ""
    points: Annotated[int, msgspec.Meta(ge=0, le=1000)] = 10
    id: Annotated[str, msgspec.Meta(min_length=1, max_length=64)] | None = None


Questions = Annotated[list[QuestionBody], msgspec.Meta(max_length=100)]
TimeLimit = Annotated[int, msgspec.Meta(ge=1, le=300)]
PassingScore = Annotated[int, msgspec.Meta(ge=0, le=100)]
U = msgspec.UnsetType


class QuizCreate(msgspec.Struct, forbid_unknown_fields=True):
    topic_id: UUID
    title: Name
    questions: Questions
    description: Annotated[str, msgspec.Meta(max_length=10_000)] = ""
    difficulty: Level = "beginner"
    time_limit_min: TimeLimit = 15
    passing_score: PassingScore = 70


class QuizUpdate(msgspec.Struct, forbid_unknown_fields=True):
    """Fields left out stay; ``questions`` replaces the whole list (send ids to keep them)."""

    topic_id: UUID | U = msgspec.UNSET
    title: Name | U = msgspec.UNSET
    questions: Questions | U = msgspec.UNSET
    description: Annotated[str, msgspec.Meta(max_length=10_000)] | U = msgspec.UNSET
    difficulty: Level | U = msgspec.UNSET
    time_limit_min: TimeLimit | U = msgspec.UNSET
    passing_score: PassingScore | U = msgspec.UNSET


class AnswerBody(msgspec.Struct, forbid_unknown_fields=True):
    question_id: Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
    selected_option_id: OptionId | None = None
    selected_option_ids: Annotated[list[OptionId], msgspec.Meta(max_length=20)] | None = None
    answer_text: AnswerText | None = None


class SubmitBody(msgspec.Struct, forbid_unknown_fields=True):
    answers: Annotated[list[AnswerBody], msgspec.Meta(max_length=200)]


class PublicOption(msgspec.Struct):
    id: str
    text: str


class PublicQuestion(msgspec.Struct):
    id: str
    question_text: str
    question_type: str
    options: list[PublicOption]
    points: int


class AttemptStarted(msgspec.Struct):
    attempt_id: UUID
    quiz_id: UUID
    started_at: datetime
    expires_at: datetime
    questions: list[PublicQuestion]


class QuestionOutcome(msgspec.Struct):
    question_id: str
    is_correct: bool
    points_earned: int
    points: int
    explanation: str


class AttemptGraded(msgspec.Struct):
    attempt_id: UUID
    quiz_id: UUID
    score: int
    total_points: int
    percentage: int
    correct_answers: int
    total_questions: int
    passed: bool
    xp_earned: int
    completed_at: datetime
    detailed_results: list[QuestionOutcome]


def _question(index: int, q: QuestionBody) -> dict[str, Any]:
    """A question body as the Quiz aggregate stores it (correct answers normalised)."""
    field = f"questions[{index}].correct_answer"
    answer = q.correct_answer
    result: dict[str, Any] = {
        "id": q.id,
        "question_text": q.question_text,
        "question_type": q.question_type,
        "options": [{"id": o.id, "text": o.text} for o in q.options],
        "correct_option_ids": [],
        "accepted_answers": [],
        "case_sensitive": q.case_sensitive,
        "explanation": q.explanation,
        "points": q.points,
    }
    if q.question_type == "short_answer":
        if not isinstance(answer, str) or not answer.strip():
            raise InvalidInputError("a short_answer needs the expected text", field=field)
        result["accepted_answers"] = [answer, *q.accepted_answers]
    elif q.question_type == "multiple_choice":
        if not isinstance(answer, str):
            raise InvalidInputError("a multiple_choice answer is one option id", field=field)
        result["correct_option_ids"] = [answer]
    else:
        chosen = [answer] if isinstance(answer, str) else list(answer)
        if len(set(chosen)) != len(chosen):
            raise InvalidInputError("correct options must be distinct", field=field)
        result["correct_option_ids"] = chosen
    return result


def _quiz_changes(data: msgspec.Struct) -> dict[str, Any]:
    changes = given(data)
    if "questions" in changes:
        changes["questions"] = [_question(i, q) for i, q in enumerate(changes["questions"])]
    return changes


def _answer(body: AnswerBody) -> Answer:
    ids = list(body.selected_option_ids or [])
    if body.selected_option_id is not None:
        ids.append(body.selected_option_id)
    return Answer(body.question_id, tuple(ids), body.answer_text)


def _quizzes(request: Request[Any, Any, Any]) -> Quizzes:
    service: Quizzes = request.app.state.container.quizzes
    return service


class QuizzesController(Controller):
    path = "/quizzes"
    tags = ["quizzes"]

    @get("/", operation_id="ListQuizzes", responses=error_responses(422))
    async def list_all(
        self,
        request: Request[Any, Any, Any],
        maybe_principal: NamedDependency[Principal | None],
        topic_id: FromQuery[UUID | None] = None,
        difficulty: FromQuery[Level | None] = None,
        page: Annotated[int, Parameter(ge=1, le=10_000)] = 1,
        limit: Annotated[int, Parameter(ge=1, le=100)] = 20,
    ) -> Envelope[list[QuizSummary]]:
        rows, total = await list_quizzes(
            request.app.state.pool,
            user_of(maybe_principal),
            sees_drafts(maybe_principal),
            Page(page, limit),
            topic_id,
            difficulty,
        )
        return ok(rows, Meta(page=page, limit=limit, total=total))

    @get("/{quiz_id:uuid}", operation_id="GetQuiz", responses=error_responses(404))
    async def get_one(
        self,
        request: Request[Any, Any, Any],
        quiz_id: FromPath[UUID],
        maybe_principal: NamedDependency[Principal | None],
    ) -> Envelope[QuizDetail]:
        quiz = await get_quiz(
            request.app.state.pool, quiz_id, user_of(maybe_principal), sees_drafts(maybe_principal)
        )
        if quiz is None:
            raise NotFoundError("quiz not found")
        return ok(quiz)

    @post(
        "/",
        status_code=201,
        guards=[requires(Permission.MANAGE_CONTENT)],
        security=BEARER,
        operation_id="CreateQuiz",
        responses=error_responses(401, 403, 422),
    )
    async def create(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        data: JSONBody[QuizCreate],
    ) -> Envelope[ContentWritten]:
        fields = QuizFields(**_quiz_changes(data))
        service = content_service(request)
        done = await run_command(request, service.create_quiz, actor_of(principal), fields)
        return ok(ContentWritten(done.id, None, done.created_at))

    @patch(
        "/{quiz_id:uuid}",
        guards=[requires(Permission.MANAGE_CONTENT)],
        security=BEARER,
        operation_id="UpdateQuiz",
        responses=error_responses(401, 403, 404, 422),
    )
    async def update(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        quiz_id: FromPath[UUID],
        data: JSONBody[QuizUpdate],
    ) -> Envelope[ContentWritten]:
        service = content_service(request)
        done = await run_command(
            request, service.update_quiz, actor_of(principal), quiz_id, _quiz_changes(data)
        )
        return ok(ContentWritten(done.id))

    @post(
        "/{quiz_id:uuid}/attempt",
        status_code=200,
        guards=[requires(Permission.TAKE_QUIZZES)],
        security=BEARER,
        operation_id="StartQuizAttempt",
        responses=error_responses(401, 403, 404, 409),
    )
    async def start(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        quiz_id: FromPath[UUID],
    ) -> Envelope[AttemptStarted]:
        service = _quizzes(request)
        started = await run_command(
            request,
            lambda: service.start_attempt(
                UUID(principal.user_id), quiz_id, see_drafts=sees_drafts(principal)
            ),
            views=("learner_content",),
        )
        questions = msgspec.convert(started.questions, list[PublicQuestion])
        return ok(
            AttemptStarted(
                started.attempt_id, quiz_id, started.started_at, started.expires_at, questions
            )
        )

    @post(
        "/attempts/{attempt_id:uuid}/submit",
        status_code=200,
        guards=[authenticated],
        security=BEARER,
        operation_id="SubmitQuizAttempt",
        responses=error_responses(401, 403, 404, 409, 410, 422),
    )
    async def submit(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        attempt_id: FromPath[UUID],
        data: JSONBody[SubmitBody],
    ) -> Envelope[AttemptGraded]:
        service = _quizzes(request)
        answers = [_answer(a) for a in data.answers]
        g = await run_command(
            request,
            service.submit_attempt,
            UUID(principal.user_id),
            attempt_id,
            answers,
            views=("learner_content",),
        )
        results = [QuestionOutcome(**vars(r)) for r in g.results]
        return ok(
            AttemptGraded(
                g.attempt_id,
                g.quiz_id,
                g.score,
                g.total_points,
                g.percentage,
                g.correct_answers,
                g.total_questions,
                g.passed,
                g.xp_earned,
                g.completed_at,
                results,
            )
        )
