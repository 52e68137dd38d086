"""Interview practice: the quick-match queue, sessions with feedback, participants' calendars.

Mentors are instructors. A quick-match caller either pairs at once with a waiting ticket of
the same queue (a mentor first, else another learner) or waits as a ticket. A queue is one
aggregate per interview type, level, language (coding only) and UTC day, so optimistic
concurrency serialises pairings. A session completes when its interviewer gives feedback.
"""

from __future__ import annotations

import uuid
from dataclasses import astuple, dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.shared import DomainError

INTERVIEWS_NAMESPACE = UUID("5b1f0e3c-7a4d-4c61-9e2f-0c1d2e3f4a5b")
INTERVIEW_TYPES = ("coding", "behavioral", "system_design")
LEVELS = ("entry", "mid", "senior")
MODES = ("video", "audio", "text")
TICKET_TTL = timedelta(minutes=15)
MENTOR, LEARNER = "mentor", "learner"
INTERVIEWER, INTERVIEWEE = "interviewer", "interviewee"


class InterviewError(DomainError):
    """Base of the interviews context's invariant violations."""


class NotParticipantError(InterviewError):
    """The caller takes no part in this session."""


class FeedbackGivenError(InterviewError):
    """This participant already gave feedback for this session."""


class NotStartedError(InterviewError):
    """Feedback before the session's start time."""


class SlotTakenError(InterviewError):
    """The participant has another session overlapping this one."""


class InvalidRatingError(InterviewError):
    """A rating outside 1-5."""


def queue_language(interview_type: str, language: str) -> str:
    """Coding interviews pair people of one language; the other kinds ignore it."""
    return language if interview_type == "coding" else "any"


def queue_id(interview_type: str, difficulty: str, language: str, day: str) -> UUID:
    key = f"queue:{interview_type}:{difficulty}:{queue_language(interview_type, language)}:{day}"
    return uuid.uuid5(INTERVIEWS_NAMESPACE, key)


def ticket_id(queue: UUID, user_id: UUID, version: int) -> UUID:
    return uuid.uuid5(INTERVIEWS_NAMESPACE, f"ticket:{queue}:{user_id}:{version}")


def match_session_id(ticket: UUID, partner_id: UUID) -> UUID:
    """A pairing's session id: the same pairing retried can never make a second session."""
    return uuid.uuid5(INTERVIEWS_NAMESPACE, f"match:{ticket}:{partner_id}")


def calendar_id(user_id: UUID) -> UUID:
    return uuid.uuid5(INTERVIEWS_NAMESPACE, f"calendar:{user_id}")


class MatchQueue(Aggregate):
    """Waiting tickets of one interview type, level (and language for coding) on one UTC day."""

    @event("Opened")
    def __init__(self, id: UUID, interview_type: str, difficulty: str, day: str) -> None:
        self.interview_type, self.difficulty, self.day = interview_type, difficulty, day
        self.waiting: list[dict[str, Any]] = []
        self.matched: dict[UUID, UUID] = {}  # user -> session of their latest pairing

    def ticket_of(self, user_id: UUID, now: datetime) -> dict[str, Any] | None:
        return next((t for t in self._live(now) if t["user_id"] == user_id), None)

    def candidates(self, side: str, user_id: UUID, now: datetime) -> list[dict[str, Any]]:
        """Tickets the caller could pair with, best first: mentors, then learners, by age."""
        others = [t for t in self._live(now) if t["user_id"] != user_id]
        mentors = [t for t in others if t["side"] == MENTOR]
        learners = [t for t in others if t["side"] == LEARNER]
        return learners if side == MENTOR else mentors + learners

    def expire(self, now: datetime) -> None:
        stale = [t["ticket_id"] for t in self.waiting if t["joined_at"] <= now - TICKET_TTL]
        if stale:
            self._expire(stale)

    @event("Expired")
    def _expire(self, ticket_ids: list[UUID]) -> None:
        gone = set(ticket_ids)
        self.waiting = [t for t in self.waiting if t["ticket_id"] not in gone]

    @event("Joined")
    def join(
        self,
        ticket_id: UUID,
        user_id: UUID,
        side: str,
        language: str,
        duration_min: int,
        communication_mode: str,
        joined_at: datetime,
    ) -> None:
        self.waiting.append(
            {
                "ticket_id": ticket_id,
                "user_id": user_id,
                "side": side,
                "language": language,
                "duration_min": duration_min,
                "communication_mode": communication_mode,
                "joined_at": joined_at,
            }
        )

    @event("Paired")
    def pair(
        self, ticket_id: UUID, ticket_user_id: UUID, partner_id: UUID, session_id: UUID
    ) -> None:
        self.waiting = [t for t in self.waiting if t["ticket_id"] != ticket_id]
        self.matched[ticket_user_id] = self.matched[partner_id] = session_id

    def _live(self, now: datetime) -> list[dict[str, Any]]:
        return [t for t in self.waiting if t["joined_at"] > now - TICKET_TTL]


class InterviewSession(Aggregate):
    """One practice interview between an interviewee and an interviewer."""

    class Matched(Aggregate.Created):
        interviewee_id: UUID
        interviewer_id: UUID
        interview_type: str
        difficulty: str
        language: str
        duration_min: int
        communication_mode: str
        scheduled_at: datetime
        notes: str
        queue_id: UUID | None

    class Scheduled(Aggregate.Created):
        interviewee_id: UUID
        interviewer_id: UUID
        interview_type: str
        difficulty: str
        language: str
        duration_min: int
        communication_mode: str
        scheduled_at: datetime
        notes: str
        queue_id: UUID | None

    def __init__(
        self,
        interviewee_id: UUID,
        interviewer_id: UUID,
        interview_type: str,
        difficulty: str,
        language: str,
        duration_min: int,
        communication_mode: str,
        scheduled_at: datetime,
        notes: str,
        queue_id: UUID | None,
    ) -> None:
        self.interviewee_id, self.interviewer_id = interviewee_id, interviewer_id
        self.interview_type, self.difficulty, self.language = interview_type, difficulty, language
        self.duration_min, self.communication_mode = duration_min, communication_mode
        self.scheduled_at, self.notes, self.queue_id = scheduled_at, notes, queue_id
        self.feedback_from: set[UUID] = set()
        self.completed_at: datetime | None = None

    @classmethod
    def match(cls, id: UUID, **fields: Any) -> InterviewSession:
        return cls._create(cls.Matched, id=id, **fields)

    @classmethod
    def schedule(cls, id: UUID, **fields: Any) -> InterviewSession:
        return cls._create(cls.Scheduled, id=id, notes=fields.pop("notes", ""), **fields)

    @property
    def participant_ids(self) -> list[UUID]:
        return [self.interviewee_id, self.interviewer_id]

    @property
    def ends_at(self) -> datetime:
        return self.scheduled_at + timedelta(minutes=self.duration_min)

    def role_of(self, user_id: UUID) -> str | None:
        if user_id == self.interviewee_id:
            return INTERVIEWEE
        return INTERVIEWER if user_id == self.interviewer_id else None

    def give_feedback(
        self,
        from_user_id: UUID,
        ratings: Ratings,
        text: str,
        recommended_topics: list[UUID],
        now: datetime,
    ) -> None:
        """Once per participant, from the start time on; the interviewer's feedback completes."""
        role = self.role_of(from_user_id)
        if role is None:
            raise NotParticipantError("You are not a participant of this session")
        if from_user_id in self.feedback_from:
            raise FeedbackGivenError("You already gave feedback for this session")
        if now < self.scheduled_at:
            raise NotStartedError("The session has not started yet")
        ratings.check()
        to_user_id = self.interviewee_id if role == INTERVIEWER else self.interviewer_id
        r = ratings
        self._feedback(from_user_id, to_user_id, r.overall_rating, r.communication_rating,
                       r.problem_solving_rating, r.technical_knowledge_rating, text,
                       recommended_topics, now)  # fmt: skip
        if role == INTERVIEWER and self.completed_at is None:
            self._complete(participant_ids=self.participant_ids, completed_at=now)

    @event("FeedbackGiven")
    def _feedback(
        self,
        from_user_id: UUID,
        to_user_id: UUID,
        overall_rating: int,
        communication_rating: int | None,
        problem_solving_rating: int | None,
        technical_knowledge_rating: int | None,
        feedback_text: str,
        recommended_topics: list[UUID],
        given_at: datetime,
    ) -> None:
        self.feedback_from.add(from_user_id)

    @event("Completed")
    def _complete(self, participant_ids: list[UUID], completed_at: datetime) -> None:
        self.completed_at = completed_at


@dataclass(frozen=True)
class Ratings:
    """The four ratings of the design (1-5); only the overall one is required."""

    overall_rating: int
    communication_rating: int | None = None
    problem_solving_rating: int | None = None
    technical_knowledge_rating: int | None = None

    def check(self) -> None:
        if any(v is not None and not 1 <= v <= 5 for v in astuple(self)):
            raise InvalidRatingError("Ratings are from 1 to 5")


class InterviewCalendar(Aggregate):
    """The sessions a user takes part in (id = calendar_id(user)): no two may overlap."""

    @event("Opened")
    def __init__(self, id: UUID, user_id: UUID) -> None:
        self.user_id = user_id
        self.slots: list[tuple[datetime, datetime, UUID]] = []

    def is_free(self, starts_at: datetime, ends_at: datetime) -> bool:
        return all(ends_at <= s or starts_at >= e for s, e, _ in self.slots)

    def book(self, session_id: UUID, starts_at: datetime, ends_at: datetime) -> None:
        if not self.is_free(starts_at, ends_at):
            raise SlotTakenError("Another session overlaps this time")
        self._book(session_id, starts_at, ends_at)

    @event("Booked")
    def _book(self, session_id: UUID, starts_at: datetime, ends_at: datetime) -> None:
        self.slots.append((starts_at, ends_at, session_id))

    def release(self, session_id: UUID) -> None:
        """Free the slot of a session that ended (completed early or cancelled)."""
        if any(sid == session_id for _, _, sid in self.slots):
            self._release(session_id)

    @event("Released")
    def _release(self, session_id: UUID) -> None:
        self.slots = [slot for slot in self.slots if slot[2] != session_id]
