from __future__ import annotations

import pytest

from judge.grading import (
    ProblemSpec,
    TestCase,
    check,
    earned_points,
    float_equal,
    normalise_lines,
    overall_status,
    run_limits,
    score,
)
from judge.languages import UnknownLanguageError, get_language, list_languages


def test_exact_checker_normalises_trailing_whitespace_and_blank_lines() -> None:
    assert normalise_lines("a  \r\nb\t\n\n\n") == ["a", "b"]
    assert check(ProblemSpec(), "1 2 \n3\n\n", "1 2\n3")
    assert not check(ProblemSpec(), " 1 2\n3", "1 2\n3")
    assert not check(ProblemSpec(), "1  2\n3", "1 2\n3")


@pytest.mark.parametrize(
    ("actual", "expected", "ok"),
    [
        ("0.1000001 2", "0.1 2", True),
        ("1000000.5", "1000000.0", True),
        ("0.2", "0.1", False),
        ("1 2", "1 2 3", False),
        ("nan yes", "nan yes", True),
        ("1.0 no", "1.0 yes", False),
    ],
)
def test_float_checker_compares_tokens_with_abs_or_rel_tolerance(
    actual: str, expected: str, ok: bool
) -> None:
    assert float_equal(actual, expected, 1e-6) is ok


def test_unordered_checker_compares_lines_as_a_multiset() -> None:
    spec = ProblemSpec(checker="unordered")
    assert check(spec, "b\na\na\n", "a\na\nb")
    assert not check(spec, "b\na\n", "a\na\nb")


TESTS = [
    TestCase(id="1", input="", expected_output="", points=10),
    TestCase(id="2", input="", expected_output="", points=20, group="g"),
    TestCase(id="3", input="", expected_output="", points=30, group="g"),
    TestCase(id="4", input="", expected_output="", points=40),
]


def test_group_scores_only_when_all_of_its_tests_pass() -> None:
    statuses = ["PASSED", "PASSED", "FAILED", "PASSED"]
    assert earned_points(TESTS, statuses) == [10, 0, 0, 40]
    assert score(TESTS, statuses) == 50


def test_accepted_scores_100_even_without_points() -> None:
    zero = [TestCase(id="1", input="", expected_output="", points=0)]
    assert score(zero, ["PASSED"]) == 100
    assert score(zero, ["FAILED"]) == 0
    assert score([], []) == 0


@pytest.mark.parametrize(
    ("statuses", "overall"),
    [
        (["PASSED", "PASSED"], "ACCEPTED"),
        (["PASSED", "FAILED", "TIMEOUT"], "FAILED"),
        (["TIMEOUT", "FAILED"], "TIMEOUT"),
        (["PASSED", "MEMORY_LIMIT", "FAILED"], "ERROR"),
        (["OUTPUT_LIMIT"], "ERROR"),
        (["ERROR"], "ERROR"),
    ],
)
def test_overall_status_comes_from_the_first_failing_test(
    statuses: list[str], overall: str
) -> None:
    assert overall_status(statuses) == overall


def test_language_limits_scale_time_and_add_runtime_memory() -> None:
    spec = ProblemSpec(time_limit_ms=1000, memory_limit_mb=256)
    java = run_limits(get_language("java17"), spec)
    assert (java.cpu_ms, java.wall_ms, java.memory_kb) == (2000, 5000, 384 * 1024)
    assert "-Xmx256m" in get_language("java17").run_command(256)
    assert "--max-old-space-size=256" in get_language("javascript").run_command(256)


def test_language_table_has_design_ids_and_alias() -> None:
    assert [lang.id for lang in list_languages()] == ["python3.10", "cpp17", "java17", "javascript"]
    assert get_language("python3") is get_language("python3.10")
    assert get_language("java17").source_file == "Main.java"
    assert get_language("cpp17").compile_command(512) is not None
    with pytest.raises(UnknownLanguageError):
        get_language("cobol")
