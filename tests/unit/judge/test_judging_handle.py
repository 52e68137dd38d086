"""The judge's hold on a submission: one load per delivery, and still one verdict per attempt."""

from __future__ import annotations

import uuid
from typing import Any
from uuid import UUID

import pytest

from commands.app import CodeQuest
from commands.submissions import Submissions
from domain.content import Problem, ProblemSpec
from domain.submissions import (
    Solve,
    StaleAttemptError,
    Submission,
    Verdict,
    VerdictAlreadyRecordedError,
)

ACCEPTED = Verdict("ACCEPTED", 100, 1, 1)


class CountingApp(CodeQuest):
    """Counts how often a submission is read back from the store."""

    def __init__(self) -> None:
        super().__init__()
        self.submission_loads = 0
        self.finds = 0

    def find(self, aggregate_id: UUID) -> Any | None:
        self.finds += 1
        return super().find(aggregate_id)

    def load(self, aggregate_id: UUID, kind: str = "resource") -> Any:
        if kind == "submission":
            self.submission_loads += 1
        return super().load(aggregate_id, kind)


@pytest.fixture
def app() -> CountingApp:
    return CountingApp()


@pytest.fixture
def service(app: CountingApp) -> Submissions:
    return Submissions(app, ("python3.10",))


def submitted(app: CodeQuest, service: Submissions, user: UUID | None = None) -> UUID:
    problem = Problem(
        id=uuid.uuid4(),
        by=uuid.uuid4(),
        slug=f"p-{uuid.uuid4().hex[:8]}",
        title="Echo",
        difficulty=2,
        topic_ids=[uuid.uuid4()],
        tags=[],
        statement={},
        spec=ProblemSpec().to_dict(),
        hints=[],
        starter_code={},
        is_premium=False,
        related_problem_ids=[],
    )
    problem.publish(by=uuid.uuid4(), notes="")
    app.commit(problem)
    return service.submit(user or uuid.uuid4(), problem.id, "python3.10", "print(1)").submission_id


def judged_events(app: CodeQuest, sid: UUID) -> list[str]:
    return [e.topic for e in app.recorder.select_events(sid) if e.topic.endswith(".Judged")]


def test_one_load_serves_job_start_and_verdict(app: CountingApp, service: Submissions) -> None:
    sid = submitted(app, service)
    before = app.submission_loads
    handle = service.judging(sid)
    assert (handle.job.attempt, handle.job.judged) == (1, False)
    assert handle.start(1) > 0
    recorded = handle.record_verdict(1, ACCEPTED)
    assert app.submission_loads - before == 1
    assert (recorded.status, recorded.first_solve, recorded.xp) == ("ACCEPTED", True, 25)
    sub: Submission = app.load(sid)
    assert sub.verdicts == {1: "ACCEPTED"} and sub.started == {1}


def test_a_rejudge_after_the_load_refuses_the_stale_verdict(
    app: CountingApp, service: Submissions
) -> None:
    sid = submitted(app, service)
    handle = service.judging(sid)
    handle.start(1)
    service.rejudge([sid], "admin")
    with pytest.raises(StaleAttemptError):
        handle.record_verdict(1, ACCEPTED)
    assert judged_events(app, sid) == []


def test_two_deliveries_of_one_job_record_one_verdict_and_one_solve(
    app: CountingApp, service: Submissions
) -> None:
    user = uuid.uuid4()
    sid = submitted(app, service, user)
    first, second = service.judging(sid), service.judging(sid)
    assert first.start(1) > 0
    assert second.start(1) == 0  # loaded before the first start: conflict, reload, running
    redelivered = service.judging(sid)
    assert redelivered.start(1) == 0  # already running: no second Started
    first.record_verdict(1, ACCEPTED)
    with pytest.raises(VerdictAlreadyRecordedError):
        redelivered.record_verdict(1, ACCEPTED)  # its copy is stale: reloaded, then refused
    with pytest.raises(VerdictAlreadyRecordedError):
        second.record_verdict(1, ACCEPTED)
    assert len(judged_events(app, sid)) == 1
    started = [e for e in app.recorder.select_events(sid) if e.topic.endswith(".Started")]
    assert len(started) == 1
    solve: Solve = app.load(Solve.create_id(user, app.load(sid).problem_id))
    assert solve.submission_id == sid


def test_a_conflicting_start_reloads_and_keeps_the_fresh_copy(
    app: CountingApp, service: Submissions
) -> None:
    sid = submitted(app, service)
    stale = service.judging(sid)
    service.judging(sid).start(1)
    before = app.submission_loads
    assert stale.start(1) == 0
    recorded = stale.record_verdict(1, Verdict("FAILED", 0, 0, 1))
    assert app.submission_loads - before == 1  # the reload of the start serves the verdict
    assert recorded.status == "FAILED" and len(judged_events(app, sid)) == 1


def test_a_rejudge_before_the_start_is_refused_quietly(
    app: CountingApp, service: Submissions
) -> None:
    sid = submitted(app, service)
    handle = service.judging(sid)
    service.rejudge([sid], "admin")
    with pytest.raises(StaleAttemptError):
        handle.start(1)  # its save conflicts; reloaded, attempt 1 is no longer current


def test_a_known_solve_is_not_looked_up_again(app: CountingApp, service: Submissions) -> None:
    user = uuid.uuid4()
    first = submitted(app, service, user)
    problem_id = app.load(first).problem_id
    assert service.record_verdict(first, 1, ACCEPTED).first_solve
    again = service.submit(user, problem_id, "python3.10", "print(2)").submission_id
    finds = app.finds
    recorded = service.record_verdict(again, 1, ACCEPTED)
    assert (recorded.first_solve, recorded.xp) == (False, 0)
    assert app.finds == finds and service.solved(user, problem_id)


def test_a_solve_recorded_elsewhere_is_found_in_the_log(app: CountingApp) -> None:
    user = uuid.uuid4()
    elsewhere, here = Submissions(app, ("python3.10",)), Submissions(app, ("python3.10",))
    first = submitted(app, elsewhere, user)
    problem_id = app.load(first).problem_id
    elsewhere.record_verdict(first, 1, ACCEPTED)
    again = here.submit(user, problem_id, "python3.10", "print(2)").submission_id
    recorded = here.record_verdict(again, 1, ACCEPTED)
    assert (recorded.first_solve, recorded.xp) == (False, 0)
    assert len(app.recorder.select_events(Solve.create_id(user, problem_id))) == 1
