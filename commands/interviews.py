"""Interview use cases: quick-match through a queue, scheduling with a mentor, feedback."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar
from uuid import UUID, uuid4

from eventsourcing.persistence import IntegrityError

from commands.app import CodeQuest
from commands.errors import ConflictError, InvalidInputError, NotFoundError
from commands.ports import Clock
from domain.accounts import User
from domain.content import Topic
from domain.interviews import (
    LEARNER,
    MENTOR,
    FeedbackGivenError,
    InterviewCalendar,
    InterviewSession,
    InvalidRatingError,
    MatchQueue,
    NotParticipantError,
    NotStartedError,
    Ratings,
    calendar_id,
    match_session_id,
    queue_id,
    ticket_id,
)
from domain.shared import Role

R = TypeVar("R")
ATTEMPTS = 12
BACKOFF_S = 0.004
MAX_AHEAD = timedelta(days=180)
MENTOR_ROLE = Role.INSTRUCTOR.value


def retrying(fn: Callable[[], R], attempts: int = ATTEMPTS) -> R:
    """Run a load-decide-commit step again when a concurrent commit moved an aggregate,
    after a jittered, growing pause (so a crowd on one queue does not retry in lockstep)."""
    for attempt in range(attempts - 1):
        try:
            return fn()
        except IntegrityError:
            time.sleep(random.uniform(0, BACKOFF_S * 2 ** min(attempt, 6)))
    try:
        return fn()
    except IntegrityError:
        raise ConflictError("Too many concurrent changes; please retry") from None


@dataclass(frozen=True)
class MatchRequest:
    user_id: UUID
    role: str
    interview_type: str
    difficulty: str
    language: str
    duration_min: int
    communication_mode: str


@dataclass(frozen=True)
class MatchResult:
    """``matched`` with the session, or ``searching`` with the caller's ticket."""

    status: str
    queue_id: UUID
    ticket_id: UUID | None
    session_id: UUID | None
    waiting: int
    position: int


@dataclass(frozen=True)
class Booking:
    session_id: UUID
    interviewer_id: UUID
    scheduled_at: datetime
    position: int


@dataclass(frozen=True)
class SessionPlan:
    """What the caller of POST /interviews/schedule asks for."""

    interview_type: str
    difficulty: str
    language: str
    scheduled_at: datetime
    duration_min: int
    communication_mode: str
    notes: str


class Interviews:
    def __init__(self, app: CodeQuest, clock: Clock) -> None:
        self.app = app
        self.clock = clock
        self._locks: dict[UUID, threading.Lock] = {}
        self._locks_guard = threading.Lock()

    # --- quick match ----------------------------------------------------------------------

    def quick_match(self, req: MatchRequest) -> MatchResult:
        """Pair the caller with a waiting ticket, or queue them.

        Race-safe across processes by optimistic concurrency on the queue aggregate (retried);
        inside one process callers of one queue also take turns on a lock, so they don't spin.
        """
        day = self.clock.now().date().isoformat()
        qid = queue_id(req.interview_type, req.difficulty, req.language, day)
        with self._lock(qid):
            return retrying(lambda: self._match_once(req, qid))

    def _lock(self, key: UUID) -> threading.Lock:
        with self._locks_guard:
            if len(self._locks) > 1000:
                self._locks = {k: v for k, v in self._locks.items() if v.locked()}
            return self._locks.setdefault(key, threading.Lock())

    def _match_once(self, req: MatchRequest, qid: UUID) -> MatchResult:
        now = self.clock.now()
        queue = self.app.find(qid) or MatchQueue(
            qid, req.interview_type, req.difficulty, now.date().isoformat()
        )
        queue.expire(now)
        mine = queue.ticket_of(req.user_id, now)
        if mine is not None:
            return self._searching(queue, mine["ticket_id"], self._commit_pending(queue))
        recent = self._recent_session(queue, req.user_id, now)
        if recent is not None:
            return MatchResult("matched", qid, None, recent, 0, self._commit_pending(queue))
        ends_at = now + timedelta(minutes=req.duration_min)
        own = self._calendar(req.user_id)
        if not own.is_free(now, ends_at):
            raise ConflictError("You have another interview at this time")
        side = MENTOR if req.role == MENTOR_ROLE else LEARNER
        for ticket in queue.candidates(side, req.user_id, now):
            other = self._calendar(ticket["user_id"])
            if other.is_free(now, ends_at):
                return self._pair(queue, req, side, ticket, own, other, now)
        tid = ticket_id(qid, req.user_id, queue.version)
        queue.join(tid, req.user_id, side, req.language, req.duration_min,
                   req.communication_mode, now)  # fmt: skip
        return self._searching(queue, tid, self.app.commit(queue))

    def _pair(
        self,
        queue: MatchQueue,
        req: MatchRequest,
        side: str,
        ticket: dict[str, Any],
        own: InterviewCalendar,
        other: InterviewCalendar,
        now: datetime,
    ) -> MatchResult:
        caller_interviews = side == LEARNER and ticket["side"] == MENTOR
        interviewee = req.user_id if caller_interviews else ticket["user_id"]
        interviewer = ticket["user_id"] if caller_interviews else req.user_id
        source = req if interviewee == req.user_id else None
        sid = match_session_id(ticket["ticket_id"], req.user_id)
        session = InterviewSession.match(
            sid,
            interviewee_id=interviewee,
            interviewer_id=interviewer,
            interview_type=queue.interview_type,
            difficulty=queue.difficulty,
            language=source.language if source else ticket["language"],
            duration_min=req.duration_min if source else ticket["duration_min"],
            communication_mode=source.communication_mode
            if source
            else ticket["communication_mode"],
            scheduled_at=now,
            notes="",
            queue_id=queue.id,
        )
        queue.pair(ticket["ticket_id"], ticket["user_id"], req.user_id, sid)
        own.book(sid, now, session.ends_at)
        other.book(sid, now, session.ends_at)
        position = self.app.commit(queue, session, own, other)
        return MatchResult("matched", queue.id, None, sid, 0, position)

    def _recent_session(self, queue: MatchQueue, user_id: UUID, now: datetime) -> UUID | None:
        """The caller's latest pairing in this queue while it is still to be held."""
        sid = queue.matched.get(user_id)
        session = self.app.find(sid) if sid else None
        if isinstance(session, InterviewSession) and session.completed_at is None:
            return sid if now < session.ends_at else None
        return None

    def _searching(self, queue: MatchQueue, tid: UUID, position: int) -> MatchResult:
        return MatchResult("searching", queue.id, tid, None, len(queue.waiting), position)

    def _commit_pending(self, queue: MatchQueue) -> int:
        return self.app.commit(queue) if queue.pending_events else self.app.head()

    def _calendar(self, user_id: UUID) -> InterviewCalendar:
        found = self.app.find(calendar_id(user_id))
        return found if found is not None else InterviewCalendar(calendar_id(user_id), user_id)

    # --- scheduling -----------------------------------------------------------------------

    def schedule(
        self,
        interviewee_id: UUID,
        plan: SessionPlan,
        mentor_id: UUID | None,
        candidates: Sequence[UUID] = (),
    ) -> Booking:
        """Book a future session with the chosen mentor, or the first free candidate mentor."""
        now = self.clock.now()
        self._check_time(plan.scheduled_at, now)
        if mentor_id is not None:
            self._check_mentor(mentor_id, interviewee_id)
        chosen = [mentor_id] if mentor_id is not None else list(candidates)
        return retrying(lambda: self._book_once(interviewee_id, plan, chosen, mentor_id is None))

    def _book_once(
        self, interviewee_id: UUID, plan: SessionPlan, mentors: list[UUID], assigning: bool
    ) -> Booking:
        ends_at = plan.scheduled_at + timedelta(minutes=plan.duration_min)
        own = self._calendar(interviewee_id)
        if not own.is_free(plan.scheduled_at, ends_at):
            raise ConflictError("You have another interview at this time")
        for mentor in mentors:
            if mentor == interviewee_id or not self._is_mentor(mentor):
                continue
            theirs = self._calendar(mentor)
            if theirs.is_free(plan.scheduled_at, ends_at):
                return self._book(interviewee_id, mentor, plan, own, theirs)
        if assigning:
            raise ConflictError("No mentor is available at that time")
        raise ConflictError("The mentor is not available at that time")

    def _book(
        self,
        interviewee_id: UUID,
        mentor: UUID,
        plan: SessionPlan,
        own: InterviewCalendar,
        theirs: InterviewCalendar,
    ) -> Booking:
        session = InterviewSession.schedule(
            uuid4(), interviewee_id=interviewee_id, interviewer_id=mentor, queue_id=None,
            **vars(plan),
        )  # fmt: skip
        own.book(session.id, session.scheduled_at, session.ends_at)
        theirs.book(session.id, session.scheduled_at, session.ends_at)
        position = self.app.commit(session, own, theirs)
        return Booking(session.id, mentor, session.scheduled_at, position)

    def _check_time(self, scheduled_at: datetime, now: datetime) -> None:
        if scheduled_at.tzinfo is None:
            raise InvalidInputError("scheduled_at needs a time zone", field="scheduled_at")
        if scheduled_at <= now:
            raise InvalidInputError("scheduled_at must be in the future", field="scheduled_at")
        if scheduled_at > now + MAX_AHEAD:
            raise InvalidInputError("scheduled_at is too far ahead", field="scheduled_at")

    def _check_mentor(self, mentor_id: UUID, interviewee_id: UUID) -> None:
        if mentor_id == interviewee_id:
            raise InvalidInputError("You cannot interview yourself", field="mentor_id")
        if not self._is_mentor(mentor_id):
            raise InvalidInputError("mentor_id must be an active instructor", field="mentor_id")

    def _is_mentor(self, user_id: UUID) -> bool:
        user = self.app.find(user_id)
        return isinstance(user, User) and user.is_active and user.role == MENTOR_ROLE

    # --- feedback -------------------------------------------------------------------------

    def give_feedback(
        self,
        session_id: UUID,
        from_user_id: UUID,
        ratings: Ratings,
        text: str,
        recommended_topics: list[UUID],
    ) -> int:
        """Feedback of one participant; the interviewer's completes the session."""
        topics = list(dict.fromkeys(recommended_topics))
        self._check_topics(topics)
        return retrying(
            lambda: self._feedback_once(session_id, from_user_id, ratings, text, topics)
        )

    def _feedback_once(
        self, session_id: UUID, user_id: UUID, ratings: Ratings, text: str, topics: list[UUID]
    ) -> int:
        session = self.app.find(session_id)
        if not isinstance(session, InterviewSession):
            raise NotFoundError("session not found")
        was_open = session.completed_at is None
        try:
            session.give_feedback(user_id, ratings, text, topics, self.clock.now())
        except NotParticipantError:
            raise NotFoundError("session not found") from None
        except (FeedbackGivenError, NotStartedError) as exc:
            raise ConflictError(str(exc)) from None
        except InvalidRatingError as exc:
            raise InvalidInputError(str(exc), field="overall_rating") from None
        freed: list[InterviewCalendar] = []
        if was_open and session.completed_at is not None:
            freed = [self._calendar(u) for u in session.participant_ids]
            for calendar in freed:
                calendar.release(session.id)
        return self.app.commit(session, *freed)

    def _check_topics(self, topic_ids: list[UUID]) -> None:
        for topic_id in topic_ids:
            if not isinstance(self.app.find(topic_id), Topic):
                raise InvalidInputError(f"unknown topic {topic_id}", field="recommended_topics")
