"""Grading like a teacher: compile once, run every test in one box, check, score points."""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Callable, Sequence

import msgspec

from judge.harness import wrap_source
from judge.harness.compare import json_lines_equal
from judge.languages import CHECKED, Language, get_language
from judge.sandbox.base import Box, Limits, RunResult, RunStatus, Sandbox

KEEP_CHARS = 4096
# CPU time bounds a compile bomb; the wall limit only catches a stalled compiler on a busy host
COMPILE_LIMITS = {"cpu_ms": 10_000, "wall_ms": 60_000, "processes": 128}
COMPILE_OUTPUT_KB = 64 * 1024
JAVA_MAIN = re.compile(r"\bpublic\s+(?:final\s+)?class\s+Main\b")


class Param(msgspec.Struct, frozen=True):
    name: str
    type: str


class TestCase(msgspec.Struct, frozen=True):
    __test__ = False  # not a pytest class, despite the name
    id: str
    input: str
    expected_output: str
    is_sample: bool = False
    points: int = 1
    group: str | None = None


class HarnessSpec(msgspec.Struct, frozen=True):
    function_name: dict[str, str]
    params: list[Param]
    return_type: str


class ProblemSpec(msgspec.Struct, frozen=True):
    time_limit_ms: int = 2000
    memory_limit_mb: int = 256
    checker: str = "exact"
    float_tolerance: float = 1e-6
    harness: HarnessSpec | None = None
    output_limit_kb: int = 1024


class TestResult(msgspec.Struct):
    __test__ = False
    test_id: str
    status: str
    runtime_ms: int
    memory_kb: int
    is_sample: bool
    points_earned: int
    points: int
    actual_output: str
    stderr: str
    group: str | None


class JudgeResult(msgspec.Struct):
    status: str
    points: int
    tests_passed: int
    tests_total: int
    runtime_ms: int
    memory_kb: int
    compile_output: str
    results: list[TestResult]


class RunOutput(msgspec.Struct):
    stdout: str
    stderr: str
    status: str
    runtime_ms: int
    memory_kb: int
    compile_output: str


class _CompileFailedError(Exception):
    def __init__(self, output: str, status: str = "COMPILATION_ERROR") -> None:
        super().__init__(output)
        self.output = output
        self.status = status


def judge(
    sandbox: Sandbox,
    language_id: str,
    code: str,
    spec: ProblemSpec,
    tests: Sequence[TestCase],
    on_progress: Callable[[int, int], None] | None = None,
) -> JudgeResult:
    """Compile once, run every test in the same box, and score the submission."""
    lang = get_language(language_id)
    try:
        source = _prepare_source(lang, code, spec)
        with sandbox.open_box(lang.id) as box:
            if lang.checked_run_argv is not None and tests:
                compile_output, results = _checked_tests(
                    box, lang, source, spec, tests, on_progress
                )
            else:
                compile_output = _compile(box, lang, source)
                results = _run_tests(box, lang, spec, tests, on_progress)
    except _CompileFailedError as failed:
        return _failed_compile(failed, len(tests))
    return summarise(results, compile_output)


def run_custom(
    sandbox: Sandbox, language_id: str, code: str, stdin: str, spec: ProblemSpec
) -> RunOutput:
    """Run the learner's code once on their own input; nothing is checked."""
    lang = get_language(language_id)
    try:
        source = _prepare_source(lang, code, spec)
        with sandbox.open_box(lang.id) as box:
            compile_output = _compile(box, lang, source)
            run = _execute(box, lang, spec, stdin)
    except _CompileFailedError as failed:
        return RunOutput("", "", failed.status, 0, 0, failed.output)
    return RunOutput(
        stdout=_text(run.stdout, 16 * KEEP_CHARS),
        stderr=_tail(run.stderr),
        status=_run_status(run, lang) if run.status != RunStatus.OK else "OK",
        runtime_ms=round(run.cpu_ms),
        memory_kb=run.memory_kb,
        compile_output=compile_output,
    )


def _prepare_source(lang: Language, code: str, spec: ProblemSpec) -> dict[str, str]:
    if spec.harness is not None:
        return wrap_source(lang.id, code, spec.harness)
    if lang.id == "java17" and not JAVA_MAIN.search(code):
        raise _CompileFailedError("Main.java: a Java program must declare `public class Main`.")
    return {lang.source_file: code}


def _compile(box: Box, lang: Language, files: dict[str, str]) -> str:
    _write_sources(box, lang, files)
    return _compile_run(box, lang)


def _write_sources(box: Box, lang: Language, files: dict[str, str]) -> None:
    if not lang.available:
        raise _CompileFailedError(f"{lang.display_name} is not available on this judge.", "ERROR")
    for name, text in files.items():
        box.write_file(name, text.encode())


def _compile_run(box: Box, lang: Language) -> str:
    argv = lang.compile_command(lang.compile_memory_mb)
    if argv is None:
        return ""
    limits = Limits(
        memory_kb=lang.compile_memory_mb * 1024,
        output_kb=COMPILE_OUTPUT_KB,
        tmp_kb=64 * 1024,
        stack_kb=64 * 1024,
        **COMPILE_LIMITS,
    )
    run = box.run(argv, limits, env=lang.env, writable=True)
    output = _tail(run.stdout + run.stderr)
    if run.status == RunStatus.INTERNAL:
        raise _CompileFailedError(f"internal sandbox error: {run.detail}", "ERROR")
    if run.status != RunStatus.OK:
        raise _CompileFailedError(output or _compile_limit_message(run.status))
    return output


def _compile_limit_message(status: RunStatus) -> str:
    return {
        RunStatus.TIME_LIMIT: "Compilation took too long.",
        RunStatus.WALL_TIME_LIMIT: "Compilation took too long.",
        RunStatus.MEMORY_LIMIT: "Compilation used too much memory.",
        RunStatus.OUTPUT_LIMIT: "Compilation produced too much output.",
    }.get(status, "Compilation failed.")


def run_limits(lang: Language, spec: ProblemSpec) -> Limits:
    cpu_ms = math.ceil(spec.time_limit_ms * lang.time_multiplier)
    return Limits(
        cpu_ms=cpu_ms,
        wall_ms=2 * cpu_ms + 1000,
        memory_kb=(spec.memory_limit_mb + lang.memory_extra_mb) * 1024,
        output_kb=spec.output_limit_kb,
        stack_kb=spec.memory_limit_mb * 1024,
    )


def _execute(
    box: Box, lang: Language, spec: ProblemSpec, stdin: str, mode: str | None = None
) -> RunResult:
    argv = lang.checked_run_command(mode) if mode else None
    argv = argv or lang.run_command(spec.memory_limit_mb)
    return box.run(argv, run_limits(lang, spec), stdin=stdin.encode(), env=lang.env)


def _checked_tests(
    box: Box,
    lang: Language,
    files: dict[str, str],
    spec: ProblemSpec,
    tests: Sequence[TestCase],
    on_progress: Callable[[int, int], None] | None,
) -> tuple[str, list[tuple[TestCase, RunResult, str]]]:
    """The first test's run checks the sources too; the compile step runs only when that run
    did not mark a clean check (an error, a warning, a limit hit while checking, or a program
    that wiped its stderr): then the compile step decides, and every test runs after it."""
    _write_sources(box, lang, files)
    first = _execute(box, lang, spec, tests[0].input, "check")
    if first.stderr.startswith(CHECKED):
        checked = dataclasses.replace(first, stderr=first.stderr[len(CHECKED) :])
        return "", _run_tests(box, lang, spec, tests, on_progress, [checked], "run")
    compile_output = _compile_run(box, lang)
    return compile_output, _run_tests(box, lang, spec, tests, on_progress, [], "run")


def _run_tests(
    box: Box,
    lang: Language,
    spec: ProblemSpec,
    tests: Sequence[TestCase],
    on_progress: Callable[[int, int], None] | None,
    ran: Sequence[RunResult] = (),
    mode: str | None = None,
) -> list[tuple[TestCase, RunResult, str]]:
    """Run every test (the first `ran` already ran) and decide its status."""
    results = []
    for done, test in enumerate(tests, start=1):
        run = ran[done - 1] if done <= len(ran) else _execute(box, lang, spec, test.input, mode)
        results.append((test, run, _test_status(run, lang, spec, test)))
        if on_progress is not None:
            on_progress(done, len(tests))
    return results


def _test_status(run: RunResult, lang: Language, spec: ProblemSpec, test: TestCase) -> str:
    if run.status != RunStatus.OK:
        return _run_status(run, lang)
    actual = run.stdout.decode(errors="replace")
    return "PASSED" if check(spec, actual, test.expected_output) else "FAILED"


def _run_status(run: RunResult, lang: Language) -> str:
    if run.status == RunStatus.RUNTIME_ERROR:
        stderr = run.stderr.decode(errors="replace")
        return "MEMORY_LIMIT" if any(m in stderr for m in lang.oom_markers) else "ERROR"
    return {
        RunStatus.MEMORY_LIMIT: "MEMORY_LIMIT",
        RunStatus.TIME_LIMIT: "TIMEOUT",
        RunStatus.WALL_TIME_LIMIT: "TIMEOUT",
        RunStatus.OUTPUT_LIMIT: "OUTPUT_LIMIT",
    }.get(run.status, "ERROR")


def check(spec: ProblemSpec, actual: str, expected: str) -> bool:
    """Compare with the problem's checker; harness problems compare JSON values."""
    if spec.harness is not None:
        unordered = spec.checker == "unordered"
        return json_lines_equal(actual, expected, spec.float_tolerance, unordered)
    if spec.checker == "float":
        return float_equal(actual, expected, spec.float_tolerance)
    if spec.checker == "unordered":
        return sorted(normalise_lines(actual)) == sorted(normalise_lines(expected))
    return normalise_lines(actual) == normalise_lines(expected)


def normalise_lines(text: str) -> list[str]:
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def float_equal(actual: str, expected: str, tolerance: float) -> bool:
    got, want = actual.split(), expected.split()
    return len(got) == len(want) and all(
        _token_equal(a, b, tolerance) for a, b in zip(got, want, strict=True)
    )


def _token_equal(actual: str, expected: str, tolerance: float) -> bool:
    try:
        a, b = float(actual), float(expected)
    except ValueError:
        return actual == expected
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return math.isclose(a, b, rel_tol=tolerance, abs_tol=tolerance)


_OVERALL = {"FAILED": "FAILED", "TIMEOUT": "TIMEOUT"}


def overall_status(statuses: Sequence[str]) -> str:
    """ACCEPTED when all pass; else decided by the first test that did not pass."""
    for status in statuses:
        if status != "PASSED":
            return _OVERALL.get(status, "ERROR")
    return "ACCEPTED"


def earned_points(tests: Sequence[TestCase], statuses: Sequence[str]) -> list[int]:
    """A test earns its points when it passes and, in a subtask, when its whole group passes."""
    group_ok: dict[str, bool] = {}
    for test, status in zip(tests, statuses, strict=True):
        if test.group is not None:
            group_ok[test.group] = group_ok.get(test.group, True) and status == "PASSED"
    return [
        test.points if status == "PASSED" and group_ok.get(test.group or "", True) else 0
        for test, status in zip(tests, statuses, strict=True)
    ]


def score(tests: Sequence[TestCase], statuses: Sequence[str]) -> int:
    if statuses and all(s == "PASSED" for s in statuses):
        return 100
    total = sum(t.points for t in tests)
    return 100 * sum(earned_points(tests, statuses)) // total if total > 0 else 0


def summarise(results: list[tuple[TestCase, RunResult, str]], compile_output: str) -> JudgeResult:
    tests = [t for t, _, _ in results]
    statuses = [s for _, _, s in results]
    earned = earned_points(tests, statuses)
    rows = [_test_result(t, r, s, e) for (t, r, s), e in zip(results, earned, strict=True)]
    return JudgeResult(
        status=overall_status(statuses),
        points=score(tests, statuses),
        tests_passed=statuses.count("PASSED"),
        tests_total=len(results),
        runtime_ms=max((row.runtime_ms for row in rows), default=0),
        memory_kb=max((row.memory_kb for row in rows), default=0),
        compile_output=compile_output,
        results=rows,
    )


def _test_result(test: TestCase, run: RunResult, status: str, earned: int) -> TestResult:
    return TestResult(
        test_id=test.id,
        status=status,
        runtime_ms=round(run.cpu_ms),
        memory_kb=run.memory_kb,
        is_sample=test.is_sample,
        points_earned=earned,
        points=test.points,
        actual_output=_text(run.stdout, KEEP_CHARS),
        stderr=_tail(run.stderr),
        group=test.group,
    )


def _failed_compile(failed: _CompileFailedError, total: int) -> JudgeResult:
    return JudgeResult(failed.status, 0, 0, total, 0, 0, failed.output, [])


def _text(data: bytes, limit: int) -> str:
    text = data.decode(errors="replace")
    return text if len(text) <= limit else text[:limit] + "\n…[truncated]"


def _tail(data: bytes) -> str:
    text = data.decode(errors="replace")
    return text if len(text) <= KEEP_CHARS else "[truncated]…\n" + text[-KEEP_CHARS:]
