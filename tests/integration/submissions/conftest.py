"""Helpers for the submission tests: published problems, principals' tokens, polling the view."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Sequence
from typing import Any
from uuid import UUID

import psycopg
import pytest
from psycopg.rows import dict_row

from commands.content import Actor, ProblemFields, TestInput

ADMIN = Actor(user_id=uuid.UUID(int=1), role="admin")
PY_SUM = "a, b = map(int, input().split())\nprint(a + b)\n"


def publish_problem(
    container: Any,
    tests: Sequence[tuple[str, str, bool]],
    *,
    difficulty: int = 1,
    harness: dict[str, Any] | None = None,
    time_limit_ms: int = 1000,
    memory_limit_mb: int = 64,
    checker: str = "exact",
) -> UUID:
    """A published problem with these (input, expected, is_sample) tests."""
    slug = f"p-{uuid.uuid4().hex[:12]}"
    fields = ProblemFields(
        slug=slug,
        title=f"Problem {slug}",
        description_markdown="Add two numbers.",
        difficulty=difficulty,
        time_limit_ms=time_limit_ms,
        memory_limit_mb=memory_limit_mb,
        checker=checker,
        harness=harness,
    )
    inputs = [TestInput(i, o, is_sample=s, points=10) for i, o, s in tests]
    written = container.content.create_problem(ADMIN, fields, inputs)
    container.content.approve(ADMIN, "problem", written.id)
    return written.id


SUM_TESTS = [("1 2\n", "3\n", True), ("5 7\n", "12\n", False), ("-1 1\n", "0\n", False)]


@pytest.fixture(scope="session")
def sum_problem(container: Any) -> UUID:
    return publish_problem(container, SUM_TESTS)


def view_row(pg_url: str, submission_id: UUID) -> dict[str, Any] | None:
    with psycopg.connect(pg_url, row_factory=dict_row) as conn:
        return conn.execute(
            "SELECT * FROM submissions_view WHERE id = %s", (submission_id,)
        ).fetchone()


def wait_until(check: Callable[[], Any], timeout: float = 30.0, every: float = 0.02) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(every)
    raise AssertionError("condition not met in time")


def wait_final(pg_url: str, submission_id: UUID, timeout: float = 60.0) -> dict[str, Any]:
    def final() -> dict[str, Any] | None:
        row = view_row(pg_url, submission_id)
        return row if row and row["verdict"] else None

    return wait_until(final, timeout)  # type: ignore[no-any-return]


def token_for(app: Any, role: str = "learner", user_id: UUID | None = None) -> tuple[UUID, str]:
    """A signed access token (the accounts flow is tested elsewhere)."""
    uid = user_id or uuid.uuid4()
    tokens = app.state.tokens
    return uid, tokens.issue(str(uid), role, f"{uid.hex[:8]}@example.com")


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def poll_final(
    client: Any, submission_id: str, token: str, attempt: int = 1, timeout: float = 60.0
) -> dict[str, Any]:
    """GET the submission until this attempt has a verdict; the response's data."""

    def final() -> dict[str, Any] | None:
        res = client.get(f"/v1/submissions/{submission_id}", headers=auth(token))
        assert res.status_code == 200, res.text
        data: dict[str, Any] = res.json()["data"]
        return data if data["verdict"] and data["attempt"] >= attempt else None

    return wait_until(final, timeout, every=0.05)  # type: ignore[no-any-return]


def submit(client: Any, token: str, problem_id: UUID, language: str, code: str) -> str:
    res = client.post(
        "/v1/submissions",
        json={"problem_id": str(problem_id), "language": language, "code": code},
        headers=auth(token),
    )
    assert res.status_code == 202, res.text
    body = res.json()["data"]
    assert body["status"] == "PENDING"
    return str(body["submission_id"])


@pytest.fixture(scope="session")
def live_base(settings: Any, container: Any, background: Any) -> Any:
    """uvicorn on a loopback port over its own app instance (its lifespan state is its own).

    The shared ``live_server`` serves the same app object as ``client``, so two lifespans
    overwrite each other's ``app.state`` (pools and Redis clients of two event loops).
    """
    import threading

    import uvicorn

    from api.app import create_app
    from tests.conftest import free_port

    port = free_port()
    config = uvicorn.Config(
        create_app(settings, container), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    wait_until(lambda: server.started, timeout=20)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


@pytest.fixture(scope="session")
def tokens(settings: Any) -> Any:
    from api.auth import TokenService

    return TokenService(settings.jwt_secret, settings.access_token_ttl_s)


def issue(tokens: Any, role: str = "learner") -> tuple[UUID, str]:
    uid = uuid.uuid4()
    return uid, tokens.issue(str(uid), role, f"{uid.hex[:8]}@example.com")
