from __future__ import annotations

import uuid

import pytest

from domain.submissions import (
    InvalidVerdictError,
    Solve,
    StaleAttemptError,
    Submission,
    Verdict,
    VerdictAlreadyRecordedError,
    xp_for,
)

ACCEPTED = Verdict(status="ACCEPTED", points=100, tests_passed=3, tests_total=3)


def submitted() -> Submission:
    return Submission(
        id=uuid.uuid4(),
        user_id=uuid.uuid4(),
        problem_id=uuid.uuid4(),
        language="python3.10",
        code_sha256="ab" * 32,
        code_length=8,
        contest_id=None,
        code="print(1)",
    )


def event_names(sub: Submission) -> list[str]:
    return [type(e).__name__ for e in sub.collect_events()]


def test_new_submission_is_pending_on_attempt_one() -> None:
    sub = submitted()
    assert (sub.status, sub.attempt) == ("PENDING", 1)
    assert event_names(sub) == ["Submitted"]


def test_start_marks_running_once() -> None:
    sub = submitted()
    sub.collect_events()
    assert sub.start(1) is True
    assert sub.start(1) is False
    assert sub.status == "RUNNING"
    assert event_names(sub) == ["Started"]


def test_judged_event_carries_contract_fields() -> None:
    sub = submitted()
    sub.collect_events()
    sub.record_verdict(1, ACCEPTED, xp=10, first_solve=True)
    (judged,) = sub.collect_events()
    assert isinstance(judged, Submission.Judged)
    assert (judged.attempt, judged.status, judged.points, judged.xp) == (1, "ACCEPTED", 100, 10)
    assert (judged.user_id, judged.problem_id, judged.language) == (
        sub.user_id,
        sub.problem_id,
        "python3.10",
    )
    assert judged.first_solve is True
    assert (judged.tests_passed, judged.tests_total) == (3, 3)
    assert sub.status == "ACCEPTED"


def test_refuses_second_verdict_for_the_same_attempt() -> None:
    sub = submitted()
    sub.record_verdict(1, ACCEPTED, xp=10, first_solve=True)
    with pytest.raises(VerdictAlreadyRecordedError):
        sub.record_verdict(1, ACCEPTED, xp=10, first_solve=True)
    with pytest.raises(VerdictAlreadyRecordedError):
        sub.start(1)


def test_refuses_non_final_status_and_points_out_of_range() -> None:
    sub = submitted()
    with pytest.raises(InvalidVerdictError):
        sub.record_verdict(1, Verdict("RUNNING", 0, 0, 1), xp=0, first_solve=False)
    with pytest.raises(InvalidVerdictError):
        sub.record_verdict(1, Verdict("FAILED", 101, 0, 1), xp=0, first_solve=False)


def test_rejudge_opens_a_new_attempt_and_refuses_the_stale_one() -> None:
    sub = submitted()
    sub.start(1)
    assert sub.request_rejudge("admin-1") == 2
    assert sub.status == "PENDING"
    with pytest.raises(StaleAttemptError):
        sub.record_verdict(1, ACCEPTED, xp=0, first_solve=False)
    with pytest.raises(StaleAttemptError):
        sub.start(1)
    sub.record_verdict(2, Verdict("FAILED", 50, 1, 2), xp=0, first_solve=False)
    assert sub.status == "FAILED"
    assert sub.verdicts == {2: "FAILED"}


def test_solve_id_is_one_per_learner_and_problem() -> None:
    user, problem = uuid.uuid4(), uuid.uuid4()
    solve = Solve(
        user_id=user,
        problem_id=problem,
        submission_id=uuid.uuid4(),
        difficulty=2,
        topic_ids=[uuid.uuid4()],
        xp=25,
    )
    assert solve.id == Solve.create_id(user, problem)
    assert solve.id != Solve.create_id(user, uuid.uuid4())
    (recorded,) = solve.collect_events()
    assert isinstance(recorded, Solve.Recorded)
    assert (recorded.user_id, recorded.xp, recorded.difficulty) == (user, 25, 2)


@pytest.mark.parametrize(("difficulty", "xp"), [(1, 10), (2, 25), (3, 50)])
def test_xp_by_difficulty(difficulty: int, xp: int) -> None:
    assert xp_for(difficulty) == xp
