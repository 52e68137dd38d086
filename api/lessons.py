"""Theory lessons: listing, full content with the caller's progress, authoring, completion."""

from __future__ import annotations

import uuid
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
from api.topics import ContentWritten, Name, Order, Slug
from commands.content import LessonFields
from commands.errors import NotFoundError
from commands.progress import Progress
from domain.shared import Permission
from projections.catalog import LessonDetail, LessonSummary, Page, get_lesson, list_lessons

Level = Literal["beginner", "intermediate", "advanced"]
Markdown = Annotated[str, msgspec.Meta(min_length=1, max_length=200_000)]
Minutes = Annotated[int, msgspec.Meta(ge=1, le=600)]
Short = Annotated[str, msgspec.Meta(max_length=200)]
Text = Annotated[str, msgspec.Meta(max_length=20_000)]


class LessonExample(msgspec.Struct, forbid_unknown_fields=True):
    title: Short
    code: Text
    language: Annotated[str, msgspec.Meta(max_length=40)] = "python"
    explanation: Text = ""


class LessonExercise(msgspec.Struct, forbid_unknown_fields=True):
    title: Short
    problem_id: UUID | None = None
    description: Text = ""


class LessonCreate(msgspec.Struct, forbid_unknown_fields=True):
    topic_id: UUID
    title: Name
    slug: Slug
    content_markdown: Markdown
    difficulty: Level = "beginner"
    estimated_time_min: Minutes = 10
    order: Order = 0
    examples: Annotated[list[LessonExample], msgspec.Meta(max_length=50)] = []
    exercises: Annotated[list[LessonExercise], msgspec.Meta(max_length=50)] = []


class LessonUpdate(msgspec.Struct, forbid_unknown_fields=True):
    topic_id: UUID | msgspec.UnsetType = msgspec.UNSET
    title: Name | msgspec.UnsetType = msgspec.UNSET
    slug: Slug | msgspec.UnsetType = msgspec.UNSET
    content_markdown: Markdown | msgspec.UnsetType = msgspec.UNSET
    difficulty: Level | msgspec.UnsetType = msgspec.UNSET
    estimated_time_min: Minutes | msgspec.UnsetType = msgspec.UNSET
    order: Order | msgspec.UnsetType = msgspec.UNSET
    examples: Annotated[list[LessonExample], msgspec.Meta(max_length=50)] | msgspec.UnsetType = (
        msgspec.UNSET
    )
    exercises: Annotated[list[LessonExercise], msgspec.Meta(max_length=50)] | msgspec.UnsetType = (
        msgspec.UNSET
    )


class CompleteBody(msgspec.Struct, forbid_unknown_fields=True):
    time_spent_sec: Annotated[int, msgspec.Meta(ge=0, le=86_400)] = 0


class Completed(msgspec.Struct):
    completed: bool
    xp_earned: int
    completed_at: datetime
    time_spent_sec: int


def _exercises(items: list[LessonExercise]) -> list[dict[str, Any]]:
    return [
        {
            "id": str(e.problem_id or uuid.uuid4()),
            "title": e.title,
            "problem_id": str(e.problem_id) if e.problem_id else None,
            "description": e.description,
        }
        for e in items
    ]


def _lesson_changes(data: msgspec.Struct) -> dict[str, Any]:
    changes = given(data)
    if "examples" in changes:
        changes["examples"] = [msgspec.structs.asdict(e) for e in changes["examples"]]
    if "exercises" in changes:
        changes["exercises"] = _exercises(changes["exercises"])
    return changes


class LessonsController(Controller):
    path = "/lessons"
    tags = ["lessons"]

    @get("/", operation_id="ListLessons", responses=error_responses(422))
    async def list_all(
        self,
        request: Request[Any, Any, Any],
        maybe_principal: NamedDependency[Principal | None],
        topic_id: FromQuery[UUID | None] = None,
        difficulty: FromQuery[Level | None] = None,
        page: Annotated[int, Parameter(ge=1, le=10_000)] = 1,
        limit: Annotated[int, Parameter(ge=1, le=100)] = 20,
    ) -> Envelope[list[LessonSummary]]:
        rows, total = await list_lessons(
            request.app.state.pool,
            user_of(maybe_principal),
            sees_drafts(maybe_principal),
            Page(page, limit),
            topic_id,
            difficulty,
        )
        return ok(rows, Meta(page=page, limit=limit, total=total))

    @get("/{lesson_id:uuid}", operation_id="GetLesson", responses=error_responses(404))
    async def get_one(
        self,
        request: Request[Any, Any, Any],
        lesson_id: FromPath[UUID],
        maybe_principal: NamedDependency[Principal | None],
    ) -> Envelope[LessonDetail]:
        state = request.app.state
        lesson = await get_lesson(
            state.pool,
            state.redis,
            lesson_id,
            user_of(maybe_principal),
            sees_drafts(maybe_principal),
        )
        if lesson is None:
            raise NotFoundError("lesson not found")
        return ok(lesson)

    @post(
        "/",
        status_code=201,
        guards=[requires(Permission.MANAGE_CONTENT)],
        security=BEARER,
        operation_id="CreateLesson",
        responses=error_responses(401, 403, 409, 422),
    )
    async def create(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        data: JSONBody[LessonCreate],
    ) -> Envelope[ContentWritten]:
        fields = LessonFields(**_lesson_changes(data))
        service = content_service(request)
        done = await run_command(request, service.create_lesson, actor_of(principal), fields)
        return ok(ContentWritten(done.id, data.slug, done.created_at))

    @patch(
        "/{lesson_id:uuid}",
        guards=[requires(Permission.MANAGE_CONTENT)],
        security=BEARER,
        operation_id="UpdateLesson",
        responses=error_responses(401, 403, 404, 409, 422),
    )
    async def update(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        lesson_id: FromPath[UUID],
        data: JSONBody[LessonUpdate],
    ) -> Envelope[ContentWritten]:
        service = content_service(request)
        done = await run_command(
            request, service.update_lesson, actor_of(principal), lesson_id, _lesson_changes(data)
        )
        return ok(ContentWritten(done.id))

    @post(
        "/{lesson_id:uuid}/complete",
        status_code=200,
        guards=[authenticated],
        security=BEARER,
        operation_id="CompleteLesson",
        responses=error_responses(401, 404, 422),
    )
    async def complete(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        lesson_id: FromPath[UUID],
        data: JSONBody[CompleteBody],
    ) -> Envelope[Completed]:
        service: Progress = request.app.state.container.progress
        done = await run_command(
            request,
            lambda: service.complete_lesson(
                UUID(principal.user_id),
                lesson_id,
                data.time_spent_sec,
                see_drafts=sees_drafts(principal),
            ),
            views=("learner_content",),
        )
        return ok(Completed(True, done.xp_earned, done.completed_at, done.time_spent_sec))
