from __future__ import annotations

import uuid
from typing import Any
from uuid import UUID

import pytest

from domain.submissions import Solve
from tests.integration.submissions.conftest import PY_SUM, wait_final

pytestmark = pytest.mark.integration


def judged_events(container: Any, submission_id: UUID) -> list[Any]:
    events = container.log.repository.get(submission_id)
    stored = container.log.recorder.select_events(submission_id)
    assert events is not None
    return [e for e in stored if e.topic.endswith("Submission.Judged")]


def test_submitted_code_is_judged_once_and_projected(
    container: Any, background: Any, pg_url: str, sum_problem: UUID
) -> None:
    user = uuid.uuid4()
    done = container.submissions.submit(user, sum_problem, "python3.10", PY_SUM)
    row = wait_final(pg_url, done.submission_id)
    assert (row["status"], row["verdict"], row["points"], row["passed"]) == (
        "ACCEPTED",
        "ACCEPTED",
        100,
        True,
    )
    assert (row["tests_passed"], row["tests_total"], row["xp"], row["first_solve"]) == (
        3,
        3,
        10,
        True,
    )
    assert len(judged_events(container, done.submission_id)) == 1
    assert container.log.find(Solve.create_id(user, sum_problem)) is not None


def test_wrong_answer_earns_partial_points_and_no_xp(
    container: Any, background: Any, pg_url: str, sum_problem: UUID
) -> None:
    user = uuid.uuid4()
    code = "a, b = map(int, input().split())\nprint(a + b if a > 0 else 99)\n"
    done = container.submissions.submit(user, sum_problem, "python3.10", code)
    row = wait_final(pg_url, done.submission_id)
    assert (row["verdict"], row["points"], row["xp"]) == ("FAILED", 66, 0)
    assert container.log.find(Solve.create_id(user, sum_problem)) is None


def test_concurrent_first_solves_award_xp_once(container: Any, sum_problem: UUID) -> None:
    import threading

    from domain.submissions import Verdict

    user = uuid.uuid4()
    ids = [
        container.submissions.submit(user, sum_problem, "python3.10", PY_SUM).submission_id
        for _ in range(4)
    ]
    barrier = threading.Barrier(len(ids))
    results: list[Any] = []

    def record(sid: UUID) -> None:
        barrier.wait()
        results.append(container.submissions.record_verdict(sid, 1, Verdict("ACCEPTED", 100, 3, 3)))

    threads = [threading.Thread(target=record, args=(sid,)) for sid in ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r.xp for r in results) == [0, 0, 0, 10]
    assert [r.first_solve for r in results].count(True) == 1
    solve = container.log.load(Solve.create_id(user, sum_problem))
    assert solve.submission_id in ids and solve.xp == 10
