import time

import msgspec
import pytest

from ai.breaker import CLOSED, HALF_OPEN, OPEN, CircuitBreaker
from ai.notebook import build_mindmap_with_model, summarize_with_model
from ai.review import FailedTest, JudgeFacts, OfflineReviewer, OpenAIReviewer, ReviewRequest
from tests.integration.ai.chat_server import ChatServer

pytestmark = pytest.mark.integration

CODE = (
    "def two_sum(nums, target):\n    seen = {}\n    for i, x in enumerate(nums):\n"
    "        seen[x] = i\n"
)
MODEL_REVIEW = {
    "overall_score": 88,
    "scores": {
        "correctness": 90,
        "efficiency": 85,
        "code_quality": 88,
        "best_practices": 86,
        "security": 95,
    },
    "summary": "A hash map gives linear time.",
    "strengths": ["Linear time"],
    "improvements": ["Return the pair once found"],
    "code_suggestions": [
        {"line_start": 3, "line_end": 4, "category": "correctness", "message": "Check first."}
    ],
    "complexity_analysis": {"time": "O(n)", "space": "O(n)", "explanation": "one pass"},
}


class FakeClock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


@pytest.fixture
def server():
    chat = ChatServer().start()
    chat.content = msgspec.json.encode(MODEL_REVIEW).decode()
    yield chat
    chat.stop()


def reviewer(server, breaker=None):
    return OpenAIReviewer(
        api_key="test-key",
        base_url=server.base_url,
        model="tutor-1",
        fallback=OfflineReviewer(),
        breaker=breaker or CircuitBreaker(failure_threshold=3, cooldown_s=30),
    )


def request():
    judge = JudgeFacts(
        "FAILED",
        2,
        4,
        runtime_ms=12,
        failed_tests=[
            FailedTest(1, "WRONG_ANSWER", True, "2 7 11 15\n9", "0 1", "None"),
            FailedTest(3, "WRONG_ANSWER", False, "HIDDEN-INPUT-77", "HIDDEN-EXPECTED-88"),
        ],
    )
    return ReviewRequest("python3.10", CODE, "Two Sum", "Find two indices.", judge)


def test_valid_model_json_becomes_the_review(server):
    review = reviewer(server).review(request())
    assert review.reviewer == "openai:tutor-1"
    assert review.summary == "A hash map gives linear time."
    assert review.scores.efficiency == 85
    assert review.code_suggestions[0].line_start == 3
    assert server.calls == 1


def test_request_sends_the_facts_but_no_hidden_test_data(server):
    reviewer(server).review(request())
    body = msgspec.json.decode(server.bodies[0])
    assert body["model"] == "tutor-1"
    assert body["response_format"] == {"type": "json_object"}
    system, user = body["messages"]
    assert "Never write a complete or corrected solution" in system["content"]
    assert "Find two indices." in user["content"] and "seen = {}" in user["content"]
    assert "2 7 11 15" in user["content"]
    raw = server.bodies[0].decode()
    assert "HIDDEN-INPUT-77" not in raw and "HIDDEN-EXPECTED-88" not in raw


def test_invalid_json_falls_back_to_the_offline_review(server):
    server.mode = "invalid"
    review = reviewer(server).review(request())
    assert review.reviewer == "offline"
    assert review.complexity_analysis.time == "O(n)"
    assert server.calls == 1


@pytest.mark.slow
def test_a_slow_model_falls_back_within_the_budget(server):
    server.mode = "slow"
    started = time.monotonic()
    review = reviewer(server).review(request())
    elapsed = time.monotonic() - started
    assert review.reviewer == "offline"
    assert elapsed < 5.0  # the whole review, fallback included, fits the 5 s budget
    assert server.calls == 1


def test_repeated_500s_open_the_breaker_then_it_half_opens_and_closes(server):
    clock = FakeClock()
    breaker = CircuitBreaker(failure_threshold=3, cooldown_s=30, clock=clock)
    subject = reviewer(server, breaker)
    server.mode = "error"
    # step: three failures reach the server and open the breaker
    for _ in range(3):
        assert subject.review(request()).reviewer == "offline"
    assert server.calls == 3 and breaker.state == OPEN
    # step: while open, nothing reaches the server
    for _ in range(5):
        assert subject.review(request()).reviewer == "offline"
    assert server.calls == 3
    # step: after the cool-down one trial goes through, succeeds and closes the breaker
    clock.now += 31
    assert breaker.state == HALF_OPEN
    server.mode = "valid"
    assert subject.review(request()).reviewer == "openai:tutor-1"
    assert server.calls == 4 and breaker.state == CLOSED


def test_a_failed_half_open_trial_reopens_the_breaker(server):
    clock = FakeClock()
    breaker = CircuitBreaker(failure_threshold=1, cooldown_s=10, clock=clock)
    subject = reviewer(server, breaker)
    server.mode = "error"
    subject.review(request())
    clock.now += 10
    subject.review(request())
    assert server.calls == 2 and breaker.state == OPEN


def test_model_mind_map_and_summary_are_validated_with_offline_fallback(server):
    chat = reviewer(server).chat
    server.content = msgspec.json.encode(
        {
            "central_topic": "Lists",
            "nodes": [{"label": "Methods", "kind": "section", "children": [{"label": "append"}]}],
        }
    ).decode()
    mindmap = build_mindmap_with_model(chat, "# Lists\n- append\n", "", "radial")
    assert mindmap.central_topic == "Lists"
    assert mindmap.nodes[0].children[0].label == "append"
    server.content = msgspec.json.encode(
        {"summary": "- Lists are mutable.", "key_points": ["Lists are mutable."]}
    ).decode()
    summary = summarize_with_model(chat, "Lists are mutable. They keep order.", "brief", "bullets")
    assert (summary.summary, summary.word_count) == ("- Lists are mutable.", 3)
    server.mode = "invalid"
    offline = build_mindmap_with_model(chat, "# Lists\n- append\n- pop\n", "", "tree")
    assert [n.label for n in offline.nodes] == ["append", "pop"]
