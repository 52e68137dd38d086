"""Every demo reference solution is ACCEPTED by the real judge; no starter code is."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from commands.demo.model import LANGUAGES, DemoProblem, DemoTest
from commands.demo.problems import PROBLEMS
from domain.content import MAX_TEST_CASE_BYTES, MAX_TEST_CASES
from judge.grading import HarnessSpec, JudgeResult, Param, ProblemSpec, TestCase, judge
from judge.sandbox import Sandbox, get_sandbox

CASES = [(p, lang) for p in PROBLEMS for lang in LANGUAGES]


@pytest.fixture(scope="module")
def sandbox() -> Sandbox:
    return get_sandbox("process")


def spec_of(problem: DemoProblem) -> ProblemSpec:
    sig = problem.signature
    harness = None
    if sig is not None:
        params = [Param(name, type_name) for name, type_name in sig.params]
        harness = HarnessSpec(dict(sig.function_name), params, sig.return_type)
    return ProblemSpec(
        time_limit_ms=problem.time_limit_ms,
        memory_limit_mb=problem.memory_limit_kb // 1024,
        checker=problem.checker,
        harness=harness,
    )


def cases_of(tests: tuple[DemoTest, ...]) -> list[TestCase]:
    return [
        TestCase(str(i), t.input, t.expected_output, points=t.points) for i, t in enumerate(tests)
    ]


def run(
    sandbox: Sandbox, problem: DemoProblem, lang: str, code: str, tests: list[TestCase]
) -> JudgeResult:
    return judge(sandbox, lang, code, spec_of(problem), tests)


@pytest.mark.parametrize(("problem", "lang"), CASES, ids=[f"{p.slug}-{lang}" for p, lang in CASES])
def test_reference_is_accepted_and_starter_is_not(
    sandbox: Sandbox, problem: DemoProblem, lang: str
) -> None:
    everything = cases_of(problem.samples + problem.hidden)
    with ThreadPoolExecutor(2) as pool:  # one judge slot per core: both compile at once
        reference = pool.submit(run, sandbox, problem, lang, problem.solutions[lang], everything)
        starter = pool.submit(
            run, sandbox, problem, lang, problem.starters[lang], cases_of(problem.samples)
        )
        accepted, attempt = reference.result(), starter.result()
    failed = [r for r in accepted.results if r.status != "PASSED"]
    assert accepted.status == "ACCEPTED", (accepted.compile_output, failed[:2])
    assert accepted.tests_passed == len(everything)
    assert attempt.status != "ACCEPTED"
    assert attempt.status != "COMPILATION_ERROR", attempt.compile_output


def test_every_problem_has_the_curriculum_shape() -> None:
    assert len(PROBLEMS) >= 15
    assert len({p.slug for p in PROBLEMS}) == len(PROBLEMS)
    assert sum(p.signature is None for p in PROBLEMS) >= 2
    for problem in PROBLEMS:
        assert len(problem.samples) >= 2 and len(problem.hidden) >= 5, problem.slug
        assert set(problem.solutions) == set(problem.starters) == set(LANGUAGES), problem.slug
        assert 1 <= problem.difficulty <= 3 and 1 <= len(problem.hints) <= 3, problem.slug
        tests = problem.samples + problem.hidden
        assert len(tests) <= MAX_TEST_CASES, problem.slug
        for test in tests:
            size = len(test.input.encode()) + len(test.expected_output.encode())
            assert size <= MAX_TEST_CASE_BYTES, problem.slug
