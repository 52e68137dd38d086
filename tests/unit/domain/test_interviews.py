"""Given/when/then on the interview aggregates: queue pairing order, feedback, calendars."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from domain.interviews import (
    LEARNER,
    MENTOR,
    TICKET_TTL,
    FeedbackGivenError,
    InterviewCalendar,
    InterviewSession,
    InvalidRatingError,
    MatchQueue,
    NotParticipantError,
    NotStartedError,
    Ratings,
    SlotTakenError,
    calendar_id,
    match_session_id,
    queue_id,
)

NOW = datetime(2025, 11, 7, 11, 0, tzinfo=UTC)


def a_queue() -> MatchQueue:
    return MatchQueue(
        queue_id("coding", "mid", "python", "2025-11-07"), "coding", "mid", "2025-11-07"
    )


def join(queue: MatchQueue, side: str, at: datetime = NOW) -> uuid.UUID:
    user = uuid.uuid4()
    queue.join(uuid.uuid4(), user, side, "python", 45, "video", at)
    return user


def a_session(scheduled_at: datetime = NOW) -> InterviewSession:
    return InterviewSession.match(
        uuid.uuid4(), interviewee_id=uuid.uuid4(), interviewer_id=uuid.uuid4(),
        interview_type="coding", difficulty="mid", language="python", duration_min=45,
        communication_mode="video", scheduled_at=scheduled_at, notes="", queue_id=None,
    )  # fmt: skip


def test_a_learner_is_offered_waiting_mentors_before_waiting_learners():
    queue = a_queue()
    peer = join(queue, LEARNER)
    mentor = join(queue, MENTOR, NOW + timedelta(minutes=1))
    offered = queue.candidates(LEARNER, uuid.uuid4(), NOW + timedelta(minutes=2))
    assert [t["user_id"] for t in offered] == [mentor, peer]


def test_a_mentor_is_offered_only_learners_and_never_themself():
    queue = a_queue()
    join(queue, MENTOR)
    learner = join(queue, LEARNER)
    me = join(queue, MENTOR)
    assert [t["user_id"] for t in queue.candidates(MENTOR, me, NOW)] == [learner]


def test_stale_tickets_are_not_offered_and_expire():
    queue = a_queue()
    join(queue, MENTOR)
    later = NOW + TICKET_TTL
    assert queue.candidates(LEARNER, uuid.uuid4(), later) == []
    queue.expire(later)
    assert queue.waiting == [] and type(queue.pending_events[-1]).__name__ == "Expired"


def test_pairing_removes_the_ticket_and_remembers_both_sides():
    queue = a_queue()
    mentor = join(queue, MENTOR)
    ticket = queue.waiting[0]["ticket_id"]
    caller = uuid.uuid4()
    sid = match_session_id(ticket, caller)
    queue.pair(ticket, mentor, caller, sid)
    assert queue.waiting == []
    assert queue.matched == {mentor: sid, caller: sid}
    assert match_session_id(ticket, caller) == sid  # a retried pairing reuses the id


def test_a_matched_session_has_both_participants_and_the_matched_event():
    session = a_session()
    assert type(session.pending_events[0]).__qualname__ == "InterviewSession.Matched"
    assert session.participant_ids == [session.interviewee_id, session.interviewer_id]
    assert session.role_of(session.interviewer_id) == "interviewer"
    assert session.role_of(uuid.uuid4()) is None


def test_the_interviewers_feedback_completes_the_session_with_its_participants():
    session = a_session()
    session.give_feedback(session.interviewer_id, Ratings(4, 5, 4, 3), "good", [], NOW)
    feedback, completed = session.pending_events[-2:]
    assert type(feedback).__name__ == "FeedbackGiven"
    assert feedback.to_user_id == session.interviewee_id and feedback.overall_rating == 4
    assert type(completed).__qualname__ == "InterviewSession.Completed"
    assert completed.participant_ids == session.participant_ids
    assert completed.completed_at == NOW


def test_the_interviewees_feedback_does_not_complete_it():
    session = a_session()
    session.give_feedback(session.interviewee_id, Ratings(5), "", [], NOW)
    assert type(session.pending_events[-1]).__name__ == "FeedbackGiven"
    assert session.completed_at is None


def test_feedback_is_once_per_participant_and_only_from_participants():
    session = a_session()
    session.give_feedback(session.interviewer_id, Ratings(3), "", [], NOW)
    with pytest.raises(FeedbackGivenError):
        session.give_feedback(session.interviewer_id, Ratings(3), "", [], NOW)
    with pytest.raises(NotParticipantError):
        session.give_feedback(uuid.uuid4(), Ratings(3), "", [], NOW)


def test_feedback_waits_for_the_start_and_ratings_stay_in_range():
    session = a_session(NOW + timedelta(days=1))
    with pytest.raises(NotStartedError):
        session.give_feedback(session.interviewee_id, Ratings(3), "", [], NOW)
    started = a_session()
    with pytest.raises(InvalidRatingError):
        started.give_feedback(started.interviewee_id, Ratings(6), "", [], NOW)
    with pytest.raises(InvalidRatingError):
        started.give_feedback(started.interviewee_id, Ratings(3, 0), "", [], NOW)


def test_a_calendar_refuses_overlaps_and_accepts_adjacent_slots():
    user = uuid.uuid4()
    calendar = InterviewCalendar(calendar_id(user), user)
    calendar.book(uuid.uuid4(), NOW, NOW + timedelta(minutes=45))
    with pytest.raises(SlotTakenError):
        calendar.book(uuid.uuid4(), NOW + timedelta(minutes=30), NOW + timedelta(minutes=90))
    calendar.book(uuid.uuid4(), NOW + timedelta(minutes=45), NOW + timedelta(minutes=90))
    assert len(calendar.slots) == 2


def test_queues_split_coding_by_language_only():
    day = "2025-11-07"
    assert queue_id("coding", "mid", "python", day) != queue_id("coding", "mid", "java", day)
    assert queue_id("behavioral", "mid", "python", day) == queue_id("behavioral", "mid", "go", day)
    assert queue_id("coding", "mid", "python", day) != queue_id("coding", "senior", "python", day)


def test_a_released_slot_is_free_again():
    user = uuid.uuid4()
    calendar = InterviewCalendar(calendar_id(user), user)
    session = uuid.uuid4()
    calendar.book(session, NOW, NOW + timedelta(minutes=45))
    calendar.release(session)
    calendar.release(session)  # releasing twice records nothing more
    assert calendar.is_free(NOW, NOW + timedelta(minutes=45))
    assert [type(e).__name__ for e in calendar.pending_events][-1] == "Released"
    assert len(calendar.pending_events) == 3
