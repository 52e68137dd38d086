import msgspec
import pytest

from ai.review import FailedTest, JudgeFacts, ReviewRequest
from ai.review.openai_reviewer import InvalidModelReviewError, build_payload, parse_review

CODE = "def f(a):\n    return sorted(a)\n"


def reply(**overrides):
    document = {
        "overall_score": 90,
        "scores": {
            "correctness": 95,
            "efficiency": 80,
            "code_quality": 85,
            "best_practices": 80,
            "security": 100,
        },
        "summary": "Sorts the input.",
        "strengths": ["Short"],
        "improvements": ["Handle empty input"],
        "code_suggestions": [
            {"line_start": 2, "line_end": 2, "category": "efficiency", "message": "Fine."}
        ],
        "complexity_analysis": {"time": "O(n log n)", "space": "O(n)", "explanation": "sort"},
    }
    document.update(overrides)
    return msgspec.json.encode(document).decode()


def test_valid_reply_becomes_a_review():
    review = parse_review(reply(), CODE, "openai:m")
    assert review.reviewer == "openai:m"
    assert review.scores.efficiency == 80
    assert review.overall_score == round(0.35 * 95 + 0.25 * 80 + 0.15 * 85 + 0.15 * 80 + 10)
    assert review.complexity_analysis.time == "O(n log n)"


def test_scores_are_clamped_and_lines_kept_inside_the_code():
    scores = dict(
        correctness=140, efficiency=-5, code_quality=85.4, best_practices=80, security=100
    )
    suggestions = [
        {"line_start": 9, "line_end": 1, "category": "odd", "message": "Swap and clamp."},
        {"line_start": 40, "line_end": 50, "message": "Past the end."},
        {"line_start": 1, "line_end": 1, "message": "Long.", "suggested_code": "x\n" * 20},
    ]
    review = parse_review(reply(scores=scores, code_suggestions=suggestions), CODE, "m")
    assert (review.scores.correctness, review.scores.efficiency) == (100, 0)
    assert review.scores.code_quality == 85
    first, second = review.code_suggestions
    assert (first.line_start, first.line_end, first.category) == (1, 2, "code_quality")
    assert second.suggested_code is None


@pytest.mark.parametrize(
    "content",
    ["not json", "{}", reply(summary=" "), reply(scores={"correctness": "high"}), "[1, 2]"],
)
def test_invalid_replies_are_rejected(content):
    with pytest.raises(InvalidModelReviewError):
        parse_review(content, CODE, "m")


def test_payload_keeps_sample_data_and_drops_hidden_data():
    judge = JudgeFacts(
        "FAILED",
        1,
        3,
        failed_tests=[
            FailedTest(1, "WRONG_ANSWER", True, "1 2", "3", "4"),
            FailedTest(2, "WRONG_ANSWER", False, "HIDDEN-INPUT", "HIDDEN-EXPECTED", "HIDDEN-OUT"),
        ],
    )
    payload = msgspec.json.decode(build_payload(ReviewRequest("python3.10", CODE, judge=judge)))
    sample, hidden = payload["judge"]["failed_tests"]
    assert sample["input"] == "1 2" and sample["expected"] == "3"
    assert hidden == {"index": 2, "status": "WRONG_ANSWER", "is_sample": False}
    assert "   1 | def f(a):" in payload["code_with_line_numbers"]
