from __future__ import annotations

import uuid
from typing import Any
from uuid import UUID

import pytest

from tests.integration.submissions.conftest import (
    PY_SUM,
    auth,
    poll_final,
    publish_problem,
    submit,
    token_for,
)

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def learner(client: Any) -> tuple[UUID, str]:
    return token_for(client.app)


def test_submit_answers_202_pending_and_judges_to_full_results(
    client: Any, sum_problem: UUID, learner: tuple[UUID, str]
) -> None:
    user, token = learner
    sid = submit(client, token, sum_problem, "python3.10", PY_SUM)
    data = poll_final(client, sid, token)
    assert (data["verdict"], data["points"], data["passed"]) == ("ACCEPTED", 100, True)
    # the status moves on to the AI review once the verdict is in
    assert data["status"] in ("ACCEPTED", "REVIEW_PENDING", "REVIEW_COMPLETE")
    assert data["user_id"] == str(user) and data["problem_id"] == str(sum_problem)
    assert data["problem_title"].startswith("Problem ")
    assert data["code"] == PY_SUM and data["language"] == "python3.10"
    summary = data["execution_summary"]
    assert (summary["total_test_cases"], summary["passed_test_cases"]) == (3, 3)
    assert summary["failed_test_cases"] == 0 and summary["max_memory_kb"] > 0
    sample, *hidden = data["test_results"]
    assert sample["is_sample"] and sample["name"] == "Sample Test 1"
    assert (sample["input"], sample["expected_output"], sample["actual_output"]) == (
        "1 2\n",
        "3\n",
        "3\n",
    )
    assert len(hidden) == 2
    for row in hidden:
        assert row["status"] == "PASSED" and not row["is_sample"]
        assert (row["input"], row["expected_output"], row["actual_output"]) == (None, None, None)
    assert data["submitted_at"] <= data["started_at"] <= data["completed_at"]


def test_hidden_test_data_never_appears_in_any_response(
    client: Any, sum_problem: UUID, learner: tuple[UUID, str]
) -> None:
    _, token = learner
    code = "a, b = map(int, input().split())\nprint(a * 1000 + b)\n"
    sid = submit(client, token, sum_problem, "python3.10", code)
    data = poll_final(client, sid, token)
    assert data["verdict"] == "FAILED"
    body = client.get(f"/v1/submissions/{sid}", headers=auth(token)).text
    for secret in ("5 7", "-1 1", "5007", "-999"):
        assert secret not in body


def test_code_and_details_only_for_owner_and_staff(
    client: Any, sum_problem: UUID, learner: tuple[UUID, str]
) -> None:
    _, token = learner
    sid = submit(client, token, sum_problem, "python3.10", PY_SUM)
    _, other = token_for(client.app)
    _, instructor = token_for(client.app, "instructor")
    own = client.get(f"/v1/submissions/{sid}/code", headers=auth(token))
    assert own.status_code == 200
    assert own.json()["data"] == {"code": PY_SUM, "language": "python3.10"}
    assert client.get(f"/v1/submissions/{sid}/code", headers=auth(instructor)).status_code == 200
    for path in (f"/v1/submissions/{sid}/code", f"/v1/submissions/{sid}"):
        res = client.get(path, headers=auth(other))
        assert res.status_code == 404 and res.json()["error"]["code"] == "NOT_FOUND"
    assert client.get(f"/v1/submissions/{sid}").status_code == 401
    missing = client.get(f"/v1/submissions/{uuid.uuid4()}", headers=auth(token))
    assert missing.status_code == 404


def test_list_problem_submissions_filters_and_pages(client: Any, container: Any) -> None:
    problem = publish_problem(container, [("1 2\n", "3\n", True)])
    user, token = token_for(client.app)
    ids = [submit(client, token, problem, "python3.10", PY_SUM) for _ in range(2)]
    wrong = submit(client, token, problem, "python3.10", "print(0)\n")
    for sid in [*ids, wrong]:
        poll_final(client, sid, token)
    url = f"/v1/problems/{problem}/submissions"
    page = client.get(url, params={"limit": 2}, headers=auth(token)).json()
    assert page["meta"] == {"page": 1, "limit": 2, "total": 3}
    assert [row["id"] for row in page["data"]] == [wrong, ids[1]]
    second = client.get(url, params={"limit": 2, "page": 2}, headers=auth(token)).json()
    assert [row["id"] for row in second["data"]] == [ids[0]]
    accepted = client.get(url, params={"status": "ACCEPTED"}, headers=auth(token)).json()
    assert sorted(r["id"] for r in accepted["data"]) == sorted(ids)
    assert all(r["status"] == "ACCEPTED" and r["points"] == 100 for r in accepted["data"])
    _, other = token_for(client.app)
    assert client.get(url, headers=auth(other)).json()["meta"]["total"] == 0
    refused = client.get(url, params={"user_id": str(user)}, headers=auth(other))
    assert refused.status_code == 403
    _, admin = token_for(client.app, "admin")
    theirs = client.get(url, params={"user_id": str(user)}, headers=auth(admin)).json()
    assert theirs["meta"]["total"] == 3
    bad = client.get(url, params={"status": "BOGUS"}, headers=auth(token))
    assert bad.status_code == 422


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"language": "cobol", "code": "print(1)"}, "language"),
        ({"language": "python3.10", "code": "   \n"}, "code"),
        ({"language": "python3.10", "code": ""}, "code"),
        ({"language": "python3.10", "code": "x" * 10_001}, "code"),
        ({"language": "java17", "code": "class Solution { }"}, "code"),
        ({"language": "python3.10", "code": "print(1)", "extra": 1}, "extra"),
    ],
)
def test_submit_rejects_invalid_bodies(
    client: Any, sum_problem: UUID, learner: tuple[UUID, str], body: dict[str, Any], field: str
) -> None:
    _, token = learner
    res = client.post(
        "/v1/submissions", json={"problem_id": str(sum_problem), **body}, headers=auth(token)
    )
    assert res.status_code == 422, res.text
    error = res.json()["error"]
    assert error["code"] == "VALIDATION_ERROR"
    assert field in [d["field"] for d in error["details"]]


def test_submit_to_unpublished_or_unknown_problem_is_404(
    client: Any, container: Any, learner: tuple[UUID, str]
) -> None:
    from commands.content import ProblemFields
    from tests.integration.submissions.conftest import ADMIN

    draft = container.content.create_problem(
        ADMIN, ProblemFields(f"d-{uuid.uuid4().hex[:10]}", "Draft", "x", 1), []
    ).id
    _, token = learner
    for pid in (draft, uuid.uuid4()):
        res = client.post(
            "/v1/submissions",
            json={"problem_id": str(pid), "language": "python3.10", "code": "print(1)"},
            headers=auth(token),
        )
        assert res.status_code == 404 and res.json()["error"]["code"] == "NOT_FOUND"


def test_run_on_custom_input_and_on_samples_records_nothing(
    client: Any, sum_problem: UUID, learner: tuple[UUID, str]
) -> None:
    _, token = learner
    url = f"/v1/problems/{sum_problem}/submissions"
    before = client.get(url, headers=auth(token)).json()["meta"]["total"]
    custom = client.post(
        "/v1/submissions/run",
        json={"language": "python3.10", "code": PY_SUM, "input": "40 2\n"},
        headers=auth(token),
    )
    assert custom.status_code == 200, custom.text
    assert (custom.json()["data"]["status"], custom.json()["data"]["stdout"]) == ("OK", "42\n")
    samples = client.post(
        "/v1/submissions/run",
        json={"language": "python3.10", "code": PY_SUM, "problem_id": str(sum_problem)},
        headers=auth(token),
    ).json()["data"]
    assert samples["status"] == "ACCEPTED"
    assert [(r["input"], r["actual_output"]) for r in samples["test_results"]] == [("1 2\n", "3\n")]
    broken = client.post(
        "/v1/submissions/run",
        json={"language": "cpp17", "code": "int main( {", "input": ""},
        headers=auth(token),
    ).json()["data"]
    assert broken["status"] == "COMPILATION_ERROR" and broken["compilation_output"]
    assert client.get(url, headers=auth(token)).json()["meta"]["total"] == before


def test_admin_rejudge_appends_an_attempt_and_keeps_history(
    client: Any, container: Any, learner: tuple[UUID, str]
) -> None:
    problem = publish_problem(container, [("1 2\n", "3\n", True)])
    _, token = learner
    sid = submit(client, token, problem, "python3.10", PY_SUM)
    first = poll_final(client, sid, token)
    assert (first["attempt"], first["xp_earned"]) == (1, 10)
    assert (
        client.post(f"/v1/admin/submissions/{sid}/rejudge", headers=auth(token)).status_code == 403
    )
    _, admin = token_for(client.app, "admin")
    res = client.post(f"/v1/admin/submissions/{sid}/rejudge", headers=auth(admin))
    assert res.status_code == 202, res.text
    assert res.json()["data"]["attempts"] == [2]
    again = poll_final(client, sid, token, attempt=2)
    assert (again["attempt"], again["verdict"], again["xp_earned"]) == (2, "ACCEPTED", 0)
    whole = client.post(f"/v1/admin/problems/{problem}/rejudge", headers=auth(admin))
    assert whole.json()["data"] == {"submission_ids": [sid], "attempts": [3], "status": "PENDING"}
    assert poll_final(client, sid, token, attempt=3)["verdict"] == "ACCEPTED"
    stored = container.log.recorder.select_events(UUID(sid))
    judged = [e for e in stored if e.topic.endswith("Submission.Judged")]
    assert len(judged) == 3
    missing = client.post(f"/v1/admin/submissions/{uuid.uuid4()}/rejudge", headers=auth(admin))
    assert missing.status_code == 404
