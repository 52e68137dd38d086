"""Scores from findings: dimensions start at 100; correctness follows the judge's pass share."""

from __future__ import annotations

from collections import Counter

from ai.review.analysis import Analysis
from ai.review.findings import MAX_REPEATS, Finding
from ai.review.model import DIMENSIONS, JudgeFacts, Scores

# overall = weighted mean of the dimensions; correctness matters most for a learner.
WEIGHTS = {
    "correctness": 0.35,
    "efficiency": 0.25,
    "code_quality": 0.15,
    "best_practices": 0.15,
    "security": 0.10,
}
# Ceilings on correctness when the judge did not accept: a failing solution never looks correct.
CEILINGS = {"FAILED": 90, "ERROR": 80, "TIMEOUT": 90, "COMPILATION_ERROR": 0}
# Efficiency cannot be estimated for code that does not parse: score it neutrally.
UNKNOWN_EFFICIENCY = 50


def penalties(findings: list[Finding]) -> dict[str, int]:
    """Points lost per dimension; a rule counts at most MAX_REPEATS times."""
    counts = Counter(f.rule for f in findings)
    lost = dict.fromkeys(DIMENSIONS, 0)
    for finding in {f.rule: f for f in findings}.values():
        lost[finding.dimension] += finding.penalty * min(counts[finding.rule], MAX_REPEATS)
    return lost


def correctness(judge: JudgeFacts | None, static_loss: int) -> int:
    """The judge's pass share (or 100 when not judged) minus static correctness findings."""
    if judge is None or judge.status == "ACCEPTED":
        return _clamp(100 - static_loss)
    share = judge.tests_passed / judge.tests_total if judge.tests_total else 0.0
    ceiling = CEILINGS.get(judge.status, 90)
    return _clamp(min(round(100 * share), ceiling) - static_loss)


def score(analysis: Analysis, findings: list[Finding], judge: JudgeFacts | None) -> Scores:
    lost = penalties(findings)
    efficiency = 100 - lost["efficiency"] if analysis.estimate.known else UNKNOWN_EFFICIENCY
    return Scores(
        correctness=correctness(judge, lost["correctness"]),
        efficiency=_clamp(efficiency),
        code_quality=_clamp(100 - lost["code_quality"]),
        best_practices=_clamp(100 - lost["best_practices"]),
        security=_clamp(100 - lost["security"]),
    )


def overall(scores: Scores) -> int:
    total: float = sum(getattr(scores, name) * weight for name, weight in WEIGHTS.items())
    return round(total)


def _clamp(value: float) -> int:
    return max(0, min(100, round(value)))
