"""The offline reviewer: static analysis plus the judge's facts, turned into a scored review."""

from __future__ import annotations

from ai.review.analysis import Analysis, analyze
from ai.review.complexity import explain
from ai.review.findings import Finding
from ai.review.judge_facts import judge_findings
from ai.review.model import (
    DIMENSIONS,
    CodeSuggestion,
    Complexity,
    JudgeFacts,
    Review,
    ReviewRequest,
    Scores,
)
from ai.review.scoring import overall, score

MAX_IMPROVEMENTS = 8
MAX_SUGGESTIONS = 10
MAX_STRENGTHS = 5
_LABELS = {
    "correctness": "correctness",
    "efficiency": "efficiency",
    "code_quality": "code quality",
    "best_practices": "best practices",
    "security": "security",
}


class OfflineReviewer:
    """Reviews code without a model; deterministic, and fast enough to run inline."""

    def review(self, request: ReviewRequest) -> Review:
        analysis = analyze(request.language, request.code)
        findings = judge_findings(request.judge, analysis.estimate) + analysis.findings
        ranked = rank(_without_echoes(findings), request.focus_areas)
        scores = score(analysis, findings, request.judge)
        return Review(
            overall_score=overall(scores),
            scores=scores,
            summary=summarize(request, analysis, ranked, scores),
            strengths=strengths(request.judge, analysis),
            improvements=improvements(ranked),
            code_suggestions=suggestions(ranked, request.code),
            complexity_analysis=complexity(analysis),
            reviewer="offline",
        )


def rank(findings: list[Finding], focus_areas: list[str]) -> list[Finding]:
    """Judge-facing findings first, then requested focus areas, then by points lost."""
    focus = {area.strip().lower().replace(" ", "_") for area in focus_areas}

    def key(finding: Finding) -> tuple[int, int, int, int]:
        from_judge = finding.rule in _JUDGE_RULES
        return (
            0 if from_judge else 1,
            0 if finding.dimension in focus else 1,
            -finding.penalty,
            finding.line_start,
        )

    return sorted(findings, key=key)


def _without_echoes(findings: list[Finding]) -> list[Finding]:
    """Drop efficiency findings that the timeout finding already explains at the same lines."""
    timeouts = {(f.line_start, f.line_end) for f in findings if f.rule == "time_limit"}
    return [
        f
        for f in findings
        if f.rule == "time_limit"
        or f.dimension != "efficiency"
        or (f.line_start, f.line_end) not in timeouts
    ]


_JUDGE_RULES = {"compile_error", "runtime_error", "failed_sample", "failed_hidden", "time_limit"}


def improvements(ranked: list[Finding]) -> list[str]:
    """One line per rule; repeats of a rule are folded into its first occurrence."""
    grouped: dict[str, list[Finding]] = {}
    for finding in ranked:
        grouped.setdefault(finding.rule, []).append(finding)
    lines = []
    for rule, group in grouped.items():
        first = group[0]
        more = f" (and {len(group) - 1} more)" if len(group) > 1 and rule != "failed_sample" else ""
        where = f"Line {first.line_start}: " if first.line_start else ""
        lines.append(f"{where}{_sentence(first.message)}{more}")
        if rule == "failed_sample":
            lines.extend(_sentence(f.message) for f in group[1:3])
    return lines[:MAX_IMPROVEMENTS]


def suggestions(ranked: list[Finding], code: str) -> list[CodeSuggestion]:
    """Findings anchored to lines, clamped to the code's real line range."""
    total = max(1, len(code.splitlines()))
    anchored = [f for f in ranked if 0 < f.line_start <= total]
    chosen = sorted(anchored[:MAX_SUGGESTIONS], key=lambda f: (f.line_start, f.rule))
    return [
        CodeSuggestion(
            line_start=f.line_start,
            line_end=min(max(f.line_end, f.line_start), total),
            category=f.dimension,
            message=_sentence(f.message),
            suggested_code=f.suggested_code,
        )
        for f in chosen
    ]


def strengths(judge: JudgeFacts | None, analysis: Analysis) -> list[str]:
    found = []
    if judge and judge.status == "ACCEPTED":
        speed = f" in {judge.runtime_ms} ms" if judge.runtime_ms is not None else ""
        found.append(f"All {judge.tests_total} tests pass{speed}")
    elif judge and judge.tests_passed and judge.status != "COMPILATION_ERROR":
        found.append(f"{judge.tests_passed} of {judge.tests_total} tests already pass")
    if analysis.parsed:
        found.extend(analysis.strengths)
    return found[:MAX_STRENGTHS]


def complexity(analysis: Analysis) -> Complexity:
    estimate = analysis.estimate
    if not estimate.known:
        return Complexity("unknown", "unknown", explain(estimate))
    return Complexity(estimate.time.label(), estimate.space.label(), explain(estimate))


def summarize(
    request: ReviewRequest, analysis: Analysis, ranked: list[Finding], scores: Scores
) -> str:
    parts = [verdict(request.judge, analysis)]
    if analysis.estimate.known:
        estimate = analysis.estimate
        parts.append(f"Estimated {estimate.time.label()} time and {estimate.space.label()} space.")
    weakest = min(DIMENSIONS, key=lambda name: (getattr(scores, name), name))
    if ranked:
        parts.append(f"Top issue: {_sentence(ranked[0].message)}")
        parts.append(f"Weakest area: {_LABELS[weakest]} ({getattr(scores, weakest)}/100).")
    else:
        parts.append("No issues found by static analysis.")
    if request.focus_areas:
        parts.append(f"Focus requested: {', '.join(request.focus_areas)}.")
    if request.solved_before and request.judge and request.judge.status == "ACCEPTED":
        parts.append("You solved this before; compare this approach with your earlier one.")
    return " ".join(parts)


def verdict(judge: JudgeFacts | None, analysis: Analysis) -> str:
    if judge is None and not analysis.parsed:
        return "The code does not parse."
    if judge is None:
        return "Not judged yet; this review covers the code only."
    failed = judge.tests_total - judge.tests_passed
    return {
        "ACCEPTED": f"Accepted: all {judge.tests_total} tests pass.",
        "FAILED": f"{failed} of {judge.tests_total} tests fail ({judge.tests_passed} pass).",
        "ERROR": f"Runtime error after {judge.tests_passed} of {judge.tests_total} tests.",
        "TIMEOUT": f"Time limit exceeded after {judge.tests_passed} of {judge.tests_total} tests.",
        "COMPILATION_ERROR": "The code does not compile.",
    }.get(judge.status, f"Judge status {judge.status}.")


def _sentence(text: str) -> str:
    text = text.strip()
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."
