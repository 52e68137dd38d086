import uuid

import pytest

from api.app import create_app
from tests.conftest import TEST_RATE_LIMITS, make_settings
from tests.integration.ai_api.conftest import (
    CLEAN,
    HIDDEN_MARKER,
    QUADRATIC,
    WRONG,
    assert_complete_review,
    poll_review,
    poll_review_id,
)
from tests.integration.submissions.conftest import auth, poll_final, submit, token_for

pytestmark = pytest.mark.integration


def test_accepted_and_failed_submissions_both_get_a_complete_review(client, app, sum_list_problem):
    _, token = token_for(app)
    accepted = submit(client, token, sum_list_problem, "python3.10", CLEAN)
    failed = submit(client, token, sum_list_problem, "python3.10", WRONG)
    assert poll_final(client, accepted, token)["verdict"] == "ACCEPTED"
    assert poll_final(client, failed, token)["verdict"] == "FAILED"
    good, bad = poll_review(client, accepted, token), poll_review(client, failed, token)
    for review in (good, bad):
        assert_complete_review(review)
        assert review["reason"] == "automatic"
    assert bad["dimensions"]["correctness"] < good["dimensions"]["correctness"]
    assert any("Sample test #1" in line for line in bad["improvements"])
    assert "expected `6`" in " ".join(bad["improvements"])
    # the judge's verdict is kept beside the review
    detail = client.get(f"/v1/submissions/{failed}", headers=auth(token)).json()["data"]
    assert detail["verdict"] == "FAILED"


def test_different_solutions_get_different_scores_with_reasons_from_their_code(
    client, app, sum_list_problem
):
    _, token = token_for(app)
    clean = submit(client, token, sum_list_problem, "python3.10", CLEAN)
    slow = submit(client, token, sum_list_problem, "python3.10", QUADRATIC)
    a, b = poll_review(client, clean, token), poll_review(client, slow, token)
    assert a["overall_score"] > b["overall_score"]
    assert b["complexity_analysis"]["time_complexity"] == "O(n^2)"
    assert a["complexity_analysis"]["time_complexity"] != "O(n^2)"
    text = " ".join(b["improvements"])
    assert "Bare `except:`" in text and "`list` shadows the builtin" in text
    nested = next(s for s in b["code_suggestions"] if s["category"] == "efficiency")
    assert (nested["line_start"], nested["line_end"]) == (4, 7)
    assert nested["current_code"].splitlines()[0].strip() == "for i in range(len(list)):"
    assert b["dimensions"]["efficiency"] < a["dimensions"]["efficiency"]


def test_reviews_never_show_hidden_test_data(client, app, sum_list_problem):
    _, token = token_for(app)
    failed = submit(client, token, sum_list_problem, "python3.10", WRONG)
    review = poll_review(client, failed, token)
    body = str(review)
    assert "10 20 30 40" not in body and f"`{HIDDEN_MARKER}`" not in body


def test_identical_normalised_code_reuses_the_earlier_review(client, app, sum_list_problem):
    _, token = token_for(app)
    first = submit(client, token, sum_list_problem, "python3.10", QUADRATIC)
    original = poll_review(client, first, token)
    commented = "# my second try\n" + QUADRATIC.replace("s = 0", "s = 0  # running total")
    second = submit(client, token, sum_list_problem, "python3.10", commented)
    again = poll_review(client, second, token)
    assert again["overall_score"] == original["overall_score"]
    assert again["improvements"] == original["improvements"]
    assert again["processing_time_ms"] == 0  # reused, not reviewed again
    nested = next(s for s in again["code_suggestions"] if s["category"] == "efficiency")
    assert nested["current_code"] == "\n".join(commented.splitlines()[3:7])


def test_a_learner_asks_again_with_focus_areas(client, app, sum_list_problem):
    _, token = token_for(app)
    sid = submit(client, token, sum_list_problem, "python3.10", QUADRATIC)
    first = poll_review(client, sid, token)
    res = client.post(
        f"/v1/submissions/{sid}/ai-review",
        json={"focus_areas": ["security", "efficiency"]},
        headers=auth(token),
    )
    assert res.status_code == 202, res.text
    queued = res.json()["data"]
    assert queued["status"] == "PROCESSING" and queued["estimated_time_sec"] > 0
    assert queued["review_id"] != first["id"]
    again = poll_review_id(client, sid, token, queued["review_id"])
    assert_complete_review(again)
    assert again["reason"] == "manual"
    assert again["focus_areas"] == ["security", "efficiency"]
    assert "Focus requested: security, efficiency." in again["summary"]


def test_review_requests_are_validated_and_private(client, app, sum_list_problem):
    _, owner = token_for(app)
    _, other = token_for(app)
    _, instructor = token_for(app, "instructor")
    sid = submit(client, owner, sum_list_problem, "python3.10", CLEAN)
    poll_review(client, sid, owner)
    url = f"/v1/submissions/{sid}/ai-review"
    assert client.get(url, headers=auth(other)).status_code == 404
    assert client.post(url, json={}, headers=auth(other)).status_code == 404
    assert client.get(url, headers=auth(instructor)).status_code == 200
    bad = client.post(url, json={"focus_areas": ["style"]}, headers=auth(owner))
    assert bad.status_code in (400, 422) and bad.json()["success"] is False
    assert client.post(url, json={"extra": 1}, headers=auth(owner)).status_code in (400, 422)
    missing = f"/v1/submissions/{uuid.uuid4()}/ai-review"
    assert client.post(missing, json={}, headers=auth(owner)).status_code == 404
    assert client.get(missing, headers=auth(owner)).status_code == 404
    assert client.post(url, json={}).status_code == 401


def test_free_learners_get_20_ai_requests_an_hour_staff_are_unlimited(
    tmp_path, settings, pg_url, redis_url, container, sum_list_problem, client, app
):
    from litestar.testing import TestClient

    rules = TEST_RATE_LIMITS.replace("ai=100000/minute", "ai=2/hour")
    env = {"CODEQUEST_RATE_LIMITS": rules, "CODEQUEST_JWT_SECRET": settings.jwt_secret}
    limited = create_app(make_settings(tmp_path, pg_url, redis_url, **env), container)
    _, learner = token_for(app)
    _, admin = token_for(app, "admin")
    sid = submit(client, learner, sum_list_problem, "python3.10", CLEAN)
    poll_review(client, sid, learner)  # the automatic review does not count
    url = f"/v1/submissions/{sid}/ai-review"
    with TestClient(limited, raise_server_exceptions=False) as c:
        assert [c.post(url, json={}, headers=auth(learner)).status_code for _ in range(2)] == [
            202,
            202,
        ]
        third = c.post(url, json={}, headers=auth(learner))
        assert third.status_code == 429
        assert third.json()["error"]["code"] == "RATE_LIMITED"
        assert int(third.headers["Retry-After"]) > 0
        mindmap = c.post("/v1/ai/notebook/mindmap", json={"source_type": "custom",
                         "text": "# T\n- a"}, headers=auth(learner))  # fmt: skip
        assert mindmap.status_code == 429
        assert all(c.post(url, json={}, headers=auth(admin)).status_code == 202 for _ in range(3))


def test_submission_status_moves_to_review_complete_and_keeps_the_verdict(
    client, app, sum_list_problem
):
    _, token = token_for(app)
    failed = submit(client, token, sum_list_problem, "python3.10", WRONG)
    assert poll_final(client, failed, token)["verdict"] == "FAILED"
    assert_complete_review(poll_review(client, failed, token))
    detail = client.get(f"/v1/submissions/{failed}", headers=auth(token)).json()["data"]
    assert (detail["status"], detail["verdict"]) == ("REVIEW_COMPLETE", "FAILED")
    assert detail["ai_review"]["status"] == "COMPLETE"
    assert (
        detail["ai_review"]["overall_score"] == poll_review(client, failed, token)["overall_score"]
    )
