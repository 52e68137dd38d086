from __future__ import annotations

import uuid
from uuid import UUID

import pytest

from commands.app import CodeQuest
from commands.errors import InvalidInputError, NotFoundError
from commands.submissions import Submissions
from domain.content import Problem, ProblemSpec
from domain.submissions import Solve, Submission, Verdict, VerdictAlreadyRecordedError

LANGUAGES = ("python3.10", "java17", "cpp17", "javascript")
ACCEPTED = Verdict("ACCEPTED", 100, 2, 2)


@pytest.fixture
def app() -> CodeQuest:
    return CodeQuest()


@pytest.fixture
def service(app: CodeQuest) -> Submissions:
    return Submissions(app, LANGUAGES)


def problem(
    app: CodeQuest, *, published: bool = True, difficulty: int = 2, harness: bool = False
) -> UUID:
    spec = ProblemSpec().to_dict()
    if harness:
        spec["harness"] = {"function_name": {"java17": "f"}, "params": [], "return_type": "int"}
    p = Problem(
        id=uuid.uuid4(),
        by=uuid.uuid4(),
        slug=f"p-{uuid.uuid4().hex[:8]}",
        title="Two Sum",
        difficulty=difficulty,
        topic_ids=[uuid.uuid4()],
        tags=[],
        statement={},
        spec=spec,
        hints=[],
        starter_code={},
        is_premium=False,
        related_problem_ids=[],
    )
    if published:
        p.publish(by=uuid.uuid4(), notes="")
    app.commit(p)
    return p.id


def test_submit_records_submitted_with_hash_and_length(
    app: CodeQuest, service: Submissions
) -> None:
    user, pid = uuid.uuid4(), problem(app)
    done = service.submit(user, pid, "python3.10", "print(42)")
    sub: Submission = app.load(done.submission_id)
    assert (sub.user_id, sub.problem_id, sub.code_length, sub.status) == (user, pid, 9, "PENDING")
    assert len(sub.code_sha256) == 64
    assert sub.problem_title == "Two Sum"
    assert done.position == app.head()


def test_submit_refuses_unpublished_or_unknown_problem(
    app: CodeQuest, service: Submissions
) -> None:
    with pytest.raises(NotFoundError):
        service.submit(uuid.uuid4(), problem(app, published=False), "python3.10", "print(1)")
    with pytest.raises(NotFoundError):
        service.submit(uuid.uuid4(), uuid.uuid4(), "python3.10", "print(1)")


@pytest.mark.parametrize(
    ("language", "code", "field"),
    [
        ("cobol", "print(1)", "language"),
        ("python3.10", "   \n\t", "code"),
        ("python3.10", "x" * 10_001, "code"),
        ("java17", "class Solution {}", "code"),
    ],
)
def test_submit_refuses_bad_code(
    app: CodeQuest, service: Submissions, language: str, code: str, field: str
) -> None:
    with pytest.raises(InvalidInputError) as caught:
        service.submit(uuid.uuid4(), problem(app), language, code)
    assert caught.value.field == field


def test_java_function_harness_needs_no_main(app: CodeQuest, service: Submissions) -> None:
    pid = problem(app, harness=True)
    assert service.submit(uuid.uuid4(), pid, "java17", "class Solution { }").position > 0


def test_first_accepted_verdict_records_solve_and_xp_once(
    app: CodeQuest, service: Submissions
) -> None:
    user, pid = uuid.uuid4(), problem(app, difficulty=3)
    first = service.submit(user, pid, "python3.10", "print(1)").submission_id
    second = service.submit(user, pid, "python3.10", "print(2)").submission_id
    service.start_attempt(first, 1)
    got = service.record_verdict(first, 1, ACCEPTED)
    assert (got.xp, got.first_solve) == (50, True)
    solve: Solve = app.load(Solve.create_id(user, pid))
    assert (solve.submission_id, solve.xp, solve.difficulty) == (first, 50, 3)
    again = service.record_verdict(second, 1, ACCEPTED)
    assert (again.xp, again.first_solve) == (0, False)
    assert service.solved(user, pid)


def test_redelivered_verdict_is_refused(app: CodeQuest, service: Submissions) -> None:
    sid = service.submit(uuid.uuid4(), problem(app), "python3.10", "print(1)").submission_id
    service.record_verdict(sid, 1, ACCEPTED)
    with pytest.raises(VerdictAlreadyRecordedError):
        service.record_verdict(sid, 1, ACCEPTED)
    topics = [e.topic for e in app.recorder.select_events(sid)]
    assert [t for t in topics if t.endswith("Submission.Judged")] == [
        "domain.submissions:Submission.Judged"
    ]
    assert service.job(sid).judged is True


def test_failed_verdict_earns_nothing(app: CodeQuest, service: Submissions) -> None:
    user, pid = uuid.uuid4(), problem(app)
    sid = service.submit(user, pid, "python3.10", "print(1)").submission_id
    got = service.record_verdict(sid, 1, Verdict("FAILED", 50, 1, 2))
    assert (got.xp, got.first_solve) == (0, False)
    assert not service.solved(user, pid)


def test_rejudge_opens_next_attempt_keeping_history(app: CodeQuest, service: Submissions) -> None:
    user, pid = uuid.uuid4(), problem(app)
    sid = service.submit(user, pid, "python3.10", "print(1)").submission_id
    service.record_verdict(sid, 1, ACCEPTED)
    done = service.rejudge([sid], "admin")
    assert done.attempts == [2]
    job = service.job(sid)
    assert (job.attempt, job.judged) == (2, False)
    again = service.record_verdict(sid, 2, ACCEPTED)
    assert (again.xp, again.first_solve) == (0, False)
    sub: Submission = app.load(sid)
    assert sub.verdicts == {1: "ACCEPTED", 2: "ACCEPTED"}
