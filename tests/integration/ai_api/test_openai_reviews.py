import time
import uuid

import msgspec
import pytest
import redis

from ai.breaker import CLOSED, OPEN, CircuitBreaker
from tests.conftest import REDIS_SERVER, make_database, make_settings
from tests.integration.ai.chat_server import ChatServer
from tests.integration.ai.test_openai_reviewer import MODEL_REVIEW
from tests.integration.ai_api.conftest import (
    CLEAN,
    SUM_LIST_TESTS,
    WRONG,
    assert_complete_review,
    poll_review,
    poll_review_id,
)
from tests.integration.submissions.conftest import auth, publish_problem, submit, token_for

pytestmark = pytest.mark.integration


def claim_redis_db():
    admin = redis.Redis.from_url(f"{REDIS_SERVER}/0")
    token = uuid.uuid4().hex
    for index in list(range(1, 16)) * 20:
        if admin.set(f"codequest:test-db-claim:{index}", token, nx=True, ex=3600):
            url = f"{REDIS_SERVER}/{index}"
            redis.Redis.from_url(url).flushdb()
            return admin, index, token, url
        time.sleep(0.01)
    raise RuntimeError("no free Redis DB index")


@pytest.fixture(scope="module")
def chat():
    server = ChatServer().start()
    server.content = msgspec.json.encode(MODEL_REVIEW).decode()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def model_stack(tmp_path_factory, chat):
    """An app, container, runners and worker of their own, pointed at the local chat server."""
    from litestar.testing import TestClient

    from api.app import create_app
    from infra.container import build_container, start_background

    admin, index, token, redis_url = claim_redis_db()
    settings = make_settings(
        tmp_path_factory.mktemp("openai-stack"), make_database(), redis_url,
        OPENAI_API_KEY="test", OPENAI_BASE_URL=chat.base_url, CODEQUEST_AI_MODEL="tutor-1",
    )  # fmt: skip
    container = build_container(settings, hash_rounds=4)
    container.extra["ai_breaker"] = CircuitBreaker(failure_threshold=3, cooldown_s=1.5)
    background = start_background(container)
    app = create_app(settings, container)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client, app, container, publish_problem(container, SUM_LIST_TESTS)
    background.stop()
    container.close()
    redis.Redis.from_url(redis_url).flushdb()
    if admin.get(f"codequest:test-db-claim:{index}") == token.encode():
        admin.delete(f"codequest:test-db-claim:{index}")


def ask_again(client, sid, token):
    res = client.post(f"/v1/submissions/{sid}/ai-review", json={}, headers=auth(token))
    assert res.status_code == 202, res.text
    return poll_review_id(client, sid, token, res.json()["data"]["review_id"])


def test_the_model_reviews_accepted_and_failed_submissions(model_stack, chat):
    client, app, _, problem = model_stack
    chat.mode = "valid"
    _, token = token_for(app)
    for code in (CLEAN, WRONG):
        sid = submit(client, token, problem, "python3.10", code)
        review = poll_review(client, sid, token)
        assert_complete_review(review)
        assert review["reviewer"] == "openai:tutor-1"
        assert review["summary"] == MODEL_REVIEW["summary"]
        assert review["dimensions"]["efficiency"] == 85
        assert review["complexity_analysis"]["time_complexity"] == "O(n)"
    sent = msgspec.json.decode(chat.bodies[-1])["messages"][1]["content"]
    assert "Problem p-" in sent and "1 2 3" in sent  # title and the sample test's input
    assert "10 20 30 40" not in sent and "100\\n" not in sent, sent  # hidden tests never leave


def test_invalid_json_falls_back_to_the_offline_review(model_stack, chat):
    client, app, _, problem = model_stack
    _, token = token_for(app)
    chat.mode = "invalid"
    fresh_code = WRONG.replace("len(nums)", "len(nums) * 3")  # not the cached review's code
    sid = submit(client, token, problem, "python3.10", fresh_code)
    review = poll_review(client, sid, token)
    assert_complete_review(review)
    assert review["reviewer"] == "offline"
    assert "Sample test #1" in " ".join(review["improvements"])
    chat.mode = "valid"


def test_a_slow_model_falls_back_within_the_budget(model_stack, chat):
    client, app, _, problem = model_stack
    _, token = token_for(app)
    sid = submit(client, token, problem, "python3.10", CLEAN)
    poll_review(client, sid, token)
    chat.mode, chat.delay_s = "slow", 6.0
    try:
        started = time.monotonic()
        review = ask_again(client, sid, token)
        assert time.monotonic() - started < 6.0
        assert review["reviewer"] == "offline"
        assert review["processing_time_ms"] <= 5_000
    finally:
        chat.mode = "valid"


def test_failing_model_opens_the_breaker_which_closes_again(model_stack, chat):
    client, app, container, problem = model_stack
    breaker = container.extra["ai_breaker"]
    _, token = token_for(app)
    sid = submit(client, token, problem, "python3.10", CLEAN)
    poll_review(client, sid, token)
    assert ask_again(client, sid, token)["reviewer"] == "openai:tutor-1"  # resets the count
    chat.mode = "error"
    before = chat.calls
    reviewers = [ask_again(client, sid, token)["reviewer"] for _ in range(4)]
    assert reviewers == ["offline"] * 4
    assert chat.calls - before == 3  # the fourth review never reached the failing endpoint
    assert breaker.state == OPEN
    chat.mode = "valid"
    time.sleep(1.6)
    assert ask_again(client, sid, token)["reviewer"] == "openai:tutor-1"
    assert breaker.state == CLOSED
