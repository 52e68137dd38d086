"""Interview practice: quick-match (200 matched / 202 searching), scheduling, sessions, feedback."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.openapi import ResponseSpec
from litestar.params import FromPath, JSONBody, Parameter

from api.admin_content import BEARER, run_command
from api.auth import Principal, requires
from api.envelope import Envelope, Meta, error_responses, ok
from commands.errors import NotFoundError
from commands.interviews import Interviews, MatchRequest, SessionPlan
from domain.interviews import Ratings
from domain.shared import Permission
from projections.interviews import (
    MentorCard,
    MyInterview,
    SessionDetail,
    get_mentor,
    get_session,
    list_my_interviews,
    mentor_candidates,
)
from projections.runtime import wait_for

VIEWS = ("interviews",)
MINUTES_PER_WAITING = 5
InterviewType = Literal["coding", "behavioral", "system_design"]
Level = Literal["entry", "mid", "senior"]
Mode = Literal["video", "audio", "text"]
Language = Annotated[str, msgspec.Meta(pattern=r"^[a-z][a-z0-9+#.\-]{0,19}$")]
Rating = Annotated[int, msgspec.Meta(ge=1, le=5)]


class QuickMatchBody(msgspec.Struct, forbid_unknown_fields=True):
    interview_type: InterviewType
    difficulty: Level = "mid"
    language: Language = "python"
    duration_min: Annotated[int, msgspec.Meta(ge=15, le=120)] = 45
    communication_mode: Mode = "video"


class ScheduleBody(msgspec.Struct, forbid_unknown_fields=True):
    interview_type: InterviewType
    scheduled_at: datetime
    mentor_id: UUID | None = None
    difficulty: Level = "mid"
    language: Language = "python"
    duration_min: Annotated[int, msgspec.Meta(ge=15, le=180)] = 60
    communication_mode: Mode = "video"
    notes: Annotated[str, msgspec.Meta(max_length=2000)] = ""


class FeedbackBody(msgspec.Struct, forbid_unknown_fields=True):
    overall_rating: Rating
    communication_rating: Rating | None = None
    problem_solving_rating: Rating | None = None
    technical_knowledge_rating: Rating | None = None
    feedback_text: Annotated[str, msgspec.Meta(max_length=5000)] = ""
    recommended_topics: Annotated[list[UUID], msgspec.Meta(max_length=20)] = []


class Matched(msgspec.Struct):
    status: Literal["matched"]
    session_id: UUID
    role: str
    mentor: MentorCard
    partner_id: UUID
    scheduled_at: datetime
    duration_min: int
    join_url: str


class Queued(msgspec.Struct):
    status: Literal["searching"]
    queue_id: UUID
    ticket_id: UUID
    waiting: int
    estimated_wait_min: int
    message: str


class ScheduledSession(msgspec.Struct):
    session_id: UUID
    mentor: MentorCard
    scheduled_at: datetime
    duration_min: int
    confirmation_sent: bool


class FeedbackRecorded(msgspec.Struct):
    session_id: UUID
    status: str


def _service(request: Request[Any, Any, Any]) -> Interviews:
    service: Interviews = request.app.state.container.interviews
    return service


def _base_url(request: Request[Any, Any, Any]) -> str:
    return str(request.app.state.settings.public_url)


async def _session(
    request: Request[Any, Any, Any], session_id: UUID, viewer: UUID
) -> SessionDetail:
    found = await get_session(request.app.state.pool, session_id, viewer, _base_url(request))
    if found is None:
        raise NotFoundError("session not found")
    return found


QUEUED = ResponseSpec(data_container=Envelope[Queued], description="Queued: no partner yet")
GUARD = [requires(Permission.INTERVIEWS)]


class InterviewsController(Controller):
    path = "/interviews"
    tags = ["interviews"]
    guards = GUARD
    security = BEARER

    @post(
        "/quick-match",
        status_code=200,
        operation_id="QuickMatchInterview",
        responses={202: QUEUED, **error_responses(401, 403, 409, 422)},
    )
    async def quick_match(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        data: JSONBody[QuickMatchBody],
    ) -> Response[Envelope[Matched]]:
        me = UUID(principal.user_id)
        req = MatchRequest(me, principal.role, data.interview_type, data.difficulty,
                           data.language, data.duration_min, data.communication_mode)  # fmt: skip
        result = await run_command(request, _service(request).quick_match, req, views=VIEWS)
        if result.session_id is None:
            assert result.ticket_id is not None
            queued = Queued("searching", result.queue_id, result.ticket_id, result.waiting,
                            MINUTES_PER_WAITING * max(result.waiting, 1),
                            "Searching for an available mentor or peer. Call again or see "
                            "GET /v1/users/me/interviews for the match.")  # fmt: skip
            return Response(ok(queued), status_code=202)  # type: ignore[arg-type]
        detail = await _session(request, result.session_id, me)
        return Response(ok(await self._matched(request, detail, me)))

    @staticmethod
    async def _matched(request: Request[Any, Any, Any], s: SessionDetail, me: UUID) -> Matched:
        mine = next(p for p in s.participants if p.user_id == me)
        partner = next(p for p in s.participants if p.user_id != me)
        interviewer = next(p for p in s.participants if p.role == "interviewer")
        mentor = await get_mentor(request.app.state.pool, interviewer.user_id)
        return Matched("matched", s.id, mine.role, mentor, partner.user_id, s.scheduled_at,
                       s.duration_min, s.workspace_url)  # fmt: skip

    @post(
        "/schedule",
        status_code=201,
        operation_id="ScheduleInterview",
        responses=error_responses(401, 403, 409, 422),
    )
    async def schedule(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        data: JSONBody[ScheduleBody],
    ) -> Envelope[ScheduledSession]:
        plan = SessionPlan(data.interview_type, data.difficulty, data.language, data.scheduled_at,
                           data.duration_min, data.communication_mode, data.notes)  # fmt: skip
        pool = request.app.state.pool
        candidates = [] if data.mentor_id else await mentor_candidates(pool, data.scheduled_at)
        booked = await run_command(
            request, _service(request).schedule, UUID(principal.user_id), plan, data.mentor_id,
            candidates, views=VIEWS,
        )  # fmt: skip
        mentor = await get_mentor(pool, booked.interviewer_id)
        return ok(ScheduledSession(booked.session_id, mentor, booked.scheduled_at,
                                   data.duration_min, False))  # fmt: skip

    @get(
        "/sessions/{session_id:uuid}",
        operation_id="GetInterviewSession",
        responses=error_responses(401, 403, 404),
    )
    async def get_one(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        session_id: FromPath[UUID],
    ) -> Envelope[SessionDetail]:
        return ok(await _session(request, session_id, UUID(principal.user_id)))

    @post(
        "/sessions/{session_id:uuid}/feedback",
        status_code=200,
        operation_id="GiveInterviewFeedback",
        responses=error_responses(401, 403, 404, 409, 422),
    )
    async def feedback(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        session_id: FromPath[UUID],
        data: JSONBody[FeedbackBody],
    ) -> Envelope[FeedbackRecorded]:
        me = UUID(principal.user_id)
        ratings = Ratings(data.overall_rating, data.communication_rating,
                          data.problem_solving_rating, data.technical_knowledge_rating)  # fmt: skip
        position = await run_command(
            request, _service(request).give_feedback, session_id, me, ratings,
            data.feedback_text, data.recommended_topics, views=(),
        )  # fmt: skip
        await wait_for(request.app.state.pool, "interviews", position)
        detail = await _session(request, session_id, me)
        return ok(FeedbackRecorded(session_id, detail.status))


class MyInterviewsController(Controller):
    path = "/users/me/interviews"
    tags = ["interviews"]
    guards = GUARD
    security = BEARER

    @get("/", operation_id="ListMyInterviews", responses=error_responses(401, 403, 422))
    async def list_mine(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        page: Annotated[int, Parameter(ge=1, le=10_000)] = 1,
        limit: Annotated[int, Parameter(ge=1, le=100)] = 20,
    ) -> Envelope[list[MyInterview]]:
        rows, total = await list_my_interviews(
            request.app.state.pool, UUID(principal.user_id), limit, (page - 1) * limit
        )
        return ok(rows, Meta(page=page, limit=limit, total=total))
