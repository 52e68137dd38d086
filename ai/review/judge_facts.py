"""Findings from the judge's verdict: failed tests, timeouts, runtime and compile errors."""

from __future__ import annotations

import re

from ai.review.complexity import Estimate
from ai.review.findings import Finding
from ai.review.model import FailedTest, JudgeFacts

_LINE_PATTERNS = (
    re.compile(r":(\d+):(?:\d+:)?\s*(?:fatal )?error", re.IGNORECASE),
    re.compile(r"\bline (\d+)", re.IGNORECASE),
    re.compile(r"\.(?:java|js|cpp|cc|py):(\d+)"),
)
_RUNTIME_HINTS = {
    "IndexError": "an index runs past the end; check loop bounds and empty input",
    "KeyError": "a key is missing; test membership first or use `dict.get`",
    "ZeroDivisionError": "a divisor can be zero; guard that case",
    "RecursionError": "the recursion is too deep; make it iterative",
    "ValueError": "input parsing fails; check the input format (extra spaces, empty lines)",
    "TypeError": "a value has an unexpected type; check what each function returns",
    "NullPointerException": "a reference is null; initialise it before use",
    "ArrayIndexOutOfBoundsException": "an index runs past the array; check loop bounds",
    "StackOverflowError": "the recursion is too deep; make it iterative",
    "Segmentation fault": "memory is accessed out of bounds; check indices and array sizes",
    "out_of_range": "`.at()` was called past the end; check indices",
    "RangeError": "the call stack or an array length overflows; check recursion depth",
}
_SNIPPET = 60


def is_timeout(status: str) -> bool:
    """TIMEOUT, TIME_LIMIT_EXCEEDED or TLE, but not RUNTIME_ERROR."""
    return status.upper().startswith("TIME") or status.upper() == "TLE"


def first_error_line(output: str) -> str:
    """The compiler's first error line, or its first non-empty line."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    errors = [line for line in lines if "error" in line.lower()]
    return (errors or lines or [""])[0]


def source_line(message: str) -> int:
    """The source line a compiler or traceback message points at, or 0."""
    for pattern in _LINE_PATTERNS:
        found = pattern.search(message)
        if found:
            return int(found.group(1))
    return 0


def _quote(text: str | None) -> str:
    text = (text or "").strip().replace("\n", " ⏎ ")
    return text if len(text) <= _SNIPPET else text[: _SNIPPET - 1] + "…"


def judge_findings(judge: JudgeFacts | None, estimate: Estimate) -> list[Finding]:
    """Findings that explain the verdict, each with a concrete next step."""
    if judge is None or judge.status == "ACCEPTED":
        return []
    if judge.status == "COMPILATION_ERROR":
        first = first_error_line(judge.compile_output) or "the compiler reported an error"
        line = source_line(first)
        return [Finding("compile_error", f"Does not compile: `{_quote(first)}`", line, line)]
    findings = _test_findings(judge.failed_tests)
    if judge.status == "ERROR":
        findings.insert(0, _runtime_finding(judge))
    if judge.status == "TIMEOUT" or any(is_timeout(t.status) for t in judge.failed_tests):
        findings.insert(0, _timeout_finding(judge, estimate))
    return findings


def _test_findings(failed: list[FailedTest]) -> list[Finding]:
    findings = [_sample_finding(test) for test in failed if test.is_sample]
    hidden = [t for t in failed if not t.is_sample and not is_timeout(t.status)]
    if hidden:
        shown = ", ".join(f"#{t.index} ({t.status})" for t in hidden[:5])
        advice = "re-check edge cases: empty input, duplicates, negatives, the largest size"
        findings.append(
            Finding("failed_hidden", f"{len(hidden)} hidden test(s) fail: {shown}; {advice}")
        )
    return findings


def _sample_finding(test: FailedTest) -> Finding:
    detail = f"input `{_quote(test.input)}`" if test.input is not None else ""
    if test.expected is not None:
        detail += f", expected `{_quote(test.expected)}`, got `{_quote(test.actual)}`"
    message = f"Sample test #{test.index} fails ({test.status})"
    return Finding("failed_sample", f"{message}: {detail.strip(', ')}" if detail else message)


def _runtime_finding(judge: JudgeFacts) -> Finding:
    lines = [line.strip() for line in judge.compile_output.splitlines() if line.strip()]
    error = next((ln for ln in reversed(lines) if "Error" in ln or "Exception" in ln), "")
    error = error or (lines[-1] if lines else "")
    hint = next((h for key, h in _RUNTIME_HINTS.items() if key in judge.compile_output), "")
    test = next((t.index for t in judge.failed_tests if "ERROR" in t.status.upper()), None)
    where = f" on test #{test}" if test is not None else ""
    message = f"Runtime error{where}" + (f": `{_quote(error)}`" if error else "")
    line = max((source_line(ln) for ln in lines), default=0)
    return Finding("runtime_error", message + (f"; {hint}" if hint else ""), line, line)


def _timeout_finding(judge: JudgeFacts, estimate: Estimate) -> Finding:
    dominant = estimate.dominant
    done = f"{judge.tests_passed}/{judge.tests_total} tests passed before the limit"
    if dominant is None:
        return Finding("time_limit", f"Time limit exceeded ({done}); {estimate.hint}")
    message = (
        f"Time limit exceeded ({done}). The code is estimated at {estimate.time.label()} "
        f"because of {dominant.note}: {estimate.hint}"
    )
    return Finding("time_limit", message, dominant.line_start, dominant.line_end)
