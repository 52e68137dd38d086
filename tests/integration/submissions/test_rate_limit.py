from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from uuid import UUID

import pytest
from litestar.testing import TestClient

from tests.conftest import make_settings
from tests.integration.submissions.conftest import PY_SUM, auth, issue

pytestmark = pytest.mark.integration
RULES = "global=100000/minute,login=100000/minute,ai=100000/minute,submission=3/minute,run=2/minute"


@pytest.fixture(scope="module")
def limited(
    tmp_path_factory: pytest.TempPathFactory, settings: Any, container: Any
) -> Iterator[TestClient[Any]]:
    from api.app import create_app

    limits = make_settings(
        tmp_path_factory.mktemp("limits"),
        settings.database_url,
        settings.redis_url,
        CODEQUEST_RATE_LIMITS=RULES,
        CODEQUEST_JWT_SECRET=settings.jwt_secret,
        CODEQUEST_ENCRYPTION_KEY=settings.encryption_key,
    )
    with TestClient(create_app(limits, container), raise_server_exceptions=False) as c:
        yield c


def post(client: TestClient[Any], token: str, problem: UUID) -> Any:
    body = {"problem_id": str(problem), "language": "python3.10", "code": PY_SUM}
    return client.post("/v1/submissions", json=body, headers=auth(token))


def test_free_learners_get_429_with_retry_after_past_the_limit(
    limited: TestClient[Any], tokens: Any, sum_problem: UUID, background: Any
) -> None:
    _, token = issue(tokens)
    assert [post(limited, token, sum_problem).status_code for _ in range(3)] == [202] * 3
    refused = post(limited, token, sum_problem)
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "RATE_LIMITED"
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    _, someone_else = issue(tokens)
    assert post(limited, someone_else, sum_problem).status_code == 202


def test_staff_submissions_are_not_limited(
    limited: TestClient[Any], tokens: Any, sum_problem: UUID, background: Any
) -> None:
    _, token = issue(tokens, "instructor")
    assert {post(limited, token, sum_problem).status_code for _ in range(5)} == {202}


def test_runs_are_limited_per_user(limited: TestClient[Any], tokens: Any) -> None:
    _, token = issue(tokens)
    body = {"language": "python3.10", "code": "print(1)", "input": ""}
    codes = [
        limited.post("/v1/submissions/run", json=body, headers=auth(token)).status_code
        for _ in range(3)
    ]
    assert codes == [200, 200, 429]
