from __future__ import annotations

from datetime import UTC, datetime, timedelta

from projections.problem_stats import ProblemStatsProjector

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def stats(fresh, pid):
    return fresh.rows(
        "SELECT total_submissions, total_accepted, acceptance_rate FROM problem_stats_view"
        " WHERE problem_id = %s",
        pid,
    )


def test_counts_submissions_acceptances_and_learner_status(fresh):
    h = fresh.history
    topic = h.topic(T0)
    pid = h.problem(T0, topic)
    ada, bob = h.user(T0, "Ada"), h.user(T0, "Bob")
    wrong = h.submit(T0, ada, pid, "FAILED")
    h.submit(T0 + timedelta(minutes=1), ada, pid, "ACCEPTED")
    h.submit(T0 + timedelta(minutes=2), bob, pid, "TIMEOUT")
    h.rejudge(T0 + timedelta(minutes=3), wrong, "ACCEPTED")  # counted once, now accepted
    fresh.catch_up(ProblemStatsProjector(fresh.services()))
    assert stats(fresh, pid) == [
        {"total_submissions": 3, "total_accepted": 2, "acceptance_rate": 2 / 3}
    ]
    status = fresh.rows(
        "SELECT user_id, status FROM user_problem_status_view WHERE problem_id = %s", pid
    )
    assert {r["user_id"]: r["status"] for r in status} == {ada: "solved", bob: "attempted"}


def test_solved_stays_solved_and_same_events_twice_change_nothing(fresh):
    h = fresh.history
    pid = h.problem(T0, h.topic(T0))
    ada = h.user(T0)
    h.submit(T0, ada, pid, "ACCEPTED")
    h.submit(T0 + timedelta(minutes=1), ada, pid, "FAILED")
    view = fresh.catch_up(ProblemStatsProjector(fresh.services()))
    before = stats(fresh, pid)
    # step: rewind the tracking row so every event is delivered again; the upsert refuses it
    projector = ProblemStatsProjector(fresh.services())
    from projections.runtime import _decode, process_batch

    notes = fresh.app.recorder.select_notifications(start=1, limit=100)
    events = list(_decode(fresh.app, notes))
    try:
        process_batch(fresh.app, view, projector, events, notes[-1].id)
    except Exception as exc:  # the runtime refuses a position that does not advance
        assert "IntegrityError" in type(exc).__name__
    else:
        raise AssertionError("a second delivery was accepted")
    assert (
        stats(fresh, pid)
        == before
        == [{"total_submissions": 2, "total_accepted": 1, "acceptance_rate": 0.5}]
    )
    (row,) = fresh.rows("SELECT status FROM user_problem_status_view WHERE user_id = %s", ada)
    assert row["status"] == "solved"
