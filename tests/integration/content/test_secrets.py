"""Hidden test data stays sealed: in the event rows, in the read table and in every answer."""

from __future__ import annotations

import uuid
from typing import Any

import psycopg

from tests.integration.content.conftest import (
    Caller,
    approve,
    create_problem,
    ok,
    problem_body,
)

HIDDEN_INPUT = "hidden-input-" + uuid.uuid4().hex
HIDDEN_OUTPUT = "hidden-output-" + uuid.uuid4().hex


def _secret_problem(client: Any, admin: Caller) -> str:
    tests = [
        {"input": "1 1", "expected_output": "2", "is_sample": True},
        {"input": HIDDEN_INPUT, "expected_output": HIDDEN_OUTPUT},
    ]
    problem_id = create_problem(client, admin, test_cases=tests)
    approve(client, admin, "problem", problem_id)
    return problem_id


def test_hidden_text_is_never_clear_in_events_or_read_tables(
    client: Any, admin: Caller, settings: Any
):
    problem_id = _secret_problem(client, admin)
    replacement = {"input": HIDDEN_INPUT + "-2", "expected_output": HIDDEN_OUTPUT + "-2"}
    added = ok(
        client.post(
            f"/v1/problems/{problem_id}/test-cases", json=replacement, headers=admin.headers
        ),
        201,
    )
    with psycopg.connect(settings.database_url) as conn:
        events = conn.execute(
            "SELECT convert_from(state, 'UTF8') FROM codequest_events WHERE originator_id = %s",
            (uuid.UUID(problem_id),),
        ).fetchall()
        rows = conn.execute(
            "SELECT row_to_json(t)::text FROM test_cases t WHERE problem_id = %s",
            (uuid.UUID(problem_id),),
        ).fetchall()
    payload = " ".join(r[0] for r in events)
    table = " ".join(r[0] for r in rows)
    assert len(events) >= 4 and len(rows) == 3
    for text in (HIDDEN_INPUT, HIDDEN_OUTPUT):
        assert text not in payload and text not in table
    assert "enc:v1:" in payload and "enc:v1:" in table
    assert '"2"' in payload  # the sample's output is stored in clear
    assert added["test_id"] in table


def test_only_samples_leave_the_api(client: Any, admin: Caller, learner: Caller):
    problem_id = _secret_problem(client, admin)
    for who in (learner.headers, admin.headers):
        body = client.get(f"/v1/problems/{problem_id}", headers=who).text
        assert HIDDEN_INPUT not in body and HIDDEN_OUTPUT not in body and "enc:v1:" not in body
    data = ok(client.get(f"/v1/problems/{problem_id}", headers=learner.headers))
    assert data["sample_test_cases"] == [{"input": "1 1", "output": "2", "explanation": ""}]


def test_judge_material_opens_hidden_tests(client: Any, admin: Caller, container: Any):
    problem_id = _secret_problem(client, admin)
    spec, tests = container.content.judge_material(uuid.UUID(problem_id))
    assert spec.time_limit_ms == 1000 and spec.memory_limit_mb == 128 and spec.checker == "exact"
    assert [(t.input, t.expected_output, t.is_sample) for t in tests] == [
        ("1 1", "2", True),
        (HIDDEN_INPUT, HIDDEN_OUTPUT, False),
    ]


def test_judge_material_converts_to_the_judge_types(client: Any, admin: Caller, container: Any):
    import msgspec

    from judge.grading import ProblemSpec, TestCase

    harness = {
        "function_name": {"python": "add"},
        "params": [{"name": "a", "type": "int"}, {"name": "b", "type": "int"}],
        "return_type": "int",
    }
    problem_id = create_problem(client, admin, harness=harness, checker="float")
    spec, tests = container.content.judge_material(uuid.UUID(problem_id))
    judged = msgspec.convert(spec, ProblemSpec, from_attributes=True)
    assert judged.harness is not None and judged.harness.function_name == {"python3.10": "add"}
    assert judged.checker == "float"
    cases = [msgspec.convert(t, TestCase, from_attributes=True) for t in tests]
    assert cases[1].points == 10 and not cases[1].is_sample


def test_test_case_over_one_mebibyte_is_413(client: Any, admin: Caller):
    problem_id = create_problem(client, admin)
    big = {"input": "x" * (1024 * 1024), "expected_output": "y"}
    response = client.post(f"/v1/problems/{problem_id}/test-cases", json=big, headers=admin.headers)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "PAYLOAD_TOO_LARGE"
    body = problem_body(test_cases=[big])
    assert client.post("/v1/problems", json=body, headers=admin.headers).status_code == 413


def test_more_than_200_test_cases_is_422(client: Any, admin: Caller, container: Any):
    many = [{"input": str(i), "expected_output": str(i)} for i in range(201)]
    response = client.post(
        "/v1/problems", json=problem_body(test_cases=many), headers=admin.headers
    )
    assert response.status_code == 422
    problem_id = create_problem(client, admin, test_cases=many[:200])
    one = {"input": "1", "expected_output": "1"}
    again = client.post(f"/v1/problems/{problem_id}/test-cases", json=one, headers=admin.headers)
    assert again.status_code == 422
    assert again.json()["error"]["code"] == "VALIDATION_ERROR"


def test_replace_and_remove_test_cases(client: Any, admin: Caller, container: Any):
    problem_id = create_problem(client, admin)
    _, tests = container.content.judge_material(uuid.UUID(problem_id))
    hidden = tests[1].id
    new = {"input": "5 5", "expected_output": "10", "points": 3}
    url = f"/v1/problems/{problem_id}/test-cases/{hidden}"
    ok(client.put(url, json=new, headers=admin.headers))
    _, tests = container.content.judge_material(uuid.UUID(problem_id))
    assert (tests[1].id, tests[1].input, tests[1].points) == (hidden, "5 5", 3)
    ok(client.delete(url, headers=admin.headers))
    assert client.delete(url, headers=admin.headers).status_code == 404
    _, tests = container.content.judge_material(uuid.UUID(problem_id))
    assert [t.id for t in tests] == [tests[0].id] and tests[0].is_sample
    missing = f"/v1/problems/{uuid.uuid4()}/test-cases"
    assert client.post(missing, json=new, headers=admin.headers).status_code == 404


def test_bad_problem_bodies_are_422(client: Any, admin: Caller):
    cases = [
        problem_body(difficulty=4),
        problem_body(slug="Not A Slug"),
        problem_body(starter_code={"cobol": "x"}),
        problem_body(topic_ids=[str(uuid.uuid4())]),
        problem_body(related_problem_ids=[str(uuid.uuid4())]),
        problem_body(checker="fuzzy"),
        {**problem_body(), "unexpected": 1},
    ]
    for body in cases:
        response = client.post("/v1/problems", json=body, headers=admin.headers)
        assert response.status_code == 422, (body, response.text)
        assert response.json()["success"] is False
