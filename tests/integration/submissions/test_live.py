from __future__ import annotations

import json
import uuid
from typing import Any
from uuid import UUID

import httpx
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from tests.integration.submissions.conftest import auth, issue, publish_problem

pytestmark = pytest.mark.integration

SLOW_SUM = "import time\ntime.sleep(0.15)\na, b = map(int, input().split())\nprint(a + b)\n"
FIVE = [(f"{i} {i}\n", f"{2 * i}\n", i == 0) for i in range(5)]


@pytest.fixture(scope="module")
def five_tests(container: Any) -> UUID:
    return publish_problem(container, FIVE)


def post_submission(base: str, token: str, problem: UUID, code: str = SLOW_SUM) -> str:
    res = httpx.post(
        f"{base}/v1/submissions",
        json={"problem_id": str(problem), "language": "python3.10", "code": code},
        headers=auth(token),
    )
    assert res.status_code == 202, res.text
    return str(res.json()["data"]["submission_id"])


def sse_messages(base: str, sid: str, **kw: Any) -> list[dict[str, Any]]:
    """Read the whole stream (it ends after the verdict) as parsed data messages."""
    found: list[dict[str, Any]] = []
    with httpx.stream("GET", f"{base}/v1/submissions/{sid}/events", timeout=60, **kw) as res:
        assert res.status_code == 200, res.read()
        assert res.headers["content-type"].startswith("text/event-stream")
        for line in res.iter_lines():
            if line.startswith("data:"):
                found.append(json.loads(line[5:]))
    return found


def test_sse_streams_progress_then_ends_with_the_verdict(
    live_base: str, tokens: Any, five_tests: UUID
) -> None:
    _, token = issue(tokens)
    sid = post_submission(live_base, token, five_tests)
    messages = sse_messages(live_base, sid, headers=auth(token))
    final = messages[-1]
    assert final["final"] is True and [m["final"] for m in messages].count(True) == 1
    assert (final["status"], final["verdict"], final["points"], final["passed"]) == (
        "ACCEPTED",
        "ACCEPTED",
        100,
        True,
    )
    assert (final["tests_passed"], final["tests_total"]) == (5, 5)
    progress = [m["message"] for m in messages if m["status"] == "RUNNING"]
    assert "Running test case 4 of 5..." in progress
    assert all(m["submission_id"] == sid for m in messages if "submission_id" in m)


def test_sse_accepts_the_token_as_query_parameter_and_late_subscribers_get_the_verdict(
    live_base: str, tokens: Any, five_tests: UUID
) -> None:
    _, token = issue(tokens)
    sid = post_submission(live_base, token, five_tests, code="print(0)\n")
    first = sse_messages(live_base, sid, params={"token": token})
    assert first[-1]["verdict"] == "FAILED"
    late = sse_messages(live_base, sid, params={"token": token})
    assert len(late) == 1 and late[0]["final"] and late[0]["verdict"] == "FAILED"


def test_sse_refuses_anonymous_and_other_learners(
    live_base: str, tokens: Any, five_tests: UUID
) -> None:
    _, token = issue(tokens)
    sid = post_submission(live_base, token, five_tests, code="print(0)\n")
    url = f"{live_base}/v1/submissions/{sid}/events"
    assert httpx.get(url).status_code == 401
    assert httpx.get(url, params={"token": "not-a-jwt"}).status_code == 401
    _, other = issue(tokens)
    res = httpx.get(url, params={"token": other})
    assert res.status_code == 404 and res.json()["error"]["code"] == "NOT_FOUND"
    _, admin = issue(tokens, "admin")
    assert sse_messages(live_base, sid, headers=auth(admin))[-1]["final"] is True


def ws_url(base: str) -> str:
    return base.replace("http://", "ws://") + "/v1/ws"


def ws_messages(ws: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    try:
        while True:
            found.append(json.loads(ws.recv(timeout=60)))
    except ConnectionClosed:
        return found


def test_websocket_subscribe_relays_updates_until_the_verdict(
    live_base: str, tokens: Any, five_tests: UUID
) -> None:
    _, token = issue(tokens)
    sid = post_submission(live_base, token, five_tests)
    with connect(f"{ws_url(live_base)}?token={token}") as ws:
        ws.send(json.dumps({"type": "subscribe", "channel": f"submission:{sid}"}))
        messages = ws_messages(ws)
        assert ws.close_code == 1000
    assert all(m["type"] == "submission:update" for m in messages)
    assert messages[-1]["final"] and messages[-1]["verdict"] == "ACCEPTED"
    assert any(m["message"].startswith("Running test case") for m in messages)


def test_websocket_token_in_first_message_and_refusals(
    live_base: str, tokens: Any, five_tests: UUID
) -> None:
    _, token = issue(tokens)
    sid = post_submission(live_base, token, five_tests, code="print(0)\n")
    subscribe = {"type": "subscribe", "channel": f"submission:{sid}"}
    with connect(ws_url(live_base)) as ws:
        ws.send(json.dumps({**subscribe, "token": token}))
        assert ws_messages(ws)[-1]["verdict"] == "FAILED"
    with connect(ws_url(live_base)) as ws:
        ws.send(json.dumps(subscribe))
        (error,) = ws_messages(ws)
        assert (error["type"], error["error"]["code"], ws.close_code) == (
            "error",
            "UNAUTHORIZED",
            4401,
        )
    with connect(f"{ws_url(live_base)}?token={token}") as ws:
        ws.send("not json")
        (error,) = ws_messages(ws)
        assert (error["error"]["code"], ws.close_code) == ("BAD_REQUEST", 4400)
    _, other = issue(tokens)
    for channel in (f"submission:{sid}", f"submission:{uuid.uuid4()}", "leaderboard:x"):
        with connect(f"{ws_url(live_base)}?token={other}") as ws:
            ws.send(json.dumps({"type": "subscribe", "channel": channel}))
            (error,) = ws_messages(ws)
            assert (error["error"]["code"], ws.close_code) == ("NOT_FOUND", 4404)
