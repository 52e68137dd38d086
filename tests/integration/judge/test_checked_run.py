"""Python's first test run stands in for its syntax check: same verdicts, one interpreter fewer."""

from __future__ import annotations

from typing import Any

from judge.grading import ProblemSpec, TestCase, judge, run_custom
from judge.languages import get_language
from judge.sandbox.base import Box, Limits, RunResult
from judge.sandbox.process import ProcessSandbox

FAST = ProblemSpec(time_limit_ms=1000, memory_limit_mb=128)
ECHO = [
    TestCase(id="1", input="a\n", expected_output="a\n", is_sample=True),
    TestCase(id="2", input="b\n", expected_output="b\n"),
    TestCase(id="3", input="c\n", expected_output="c\n"),
]


class CountingBox:
    """A real box that remembers the argv of every run."""

    def __init__(self, box: Box, runs: list[list[str]]) -> None:
        self.box, self.runs = box, runs

    def write_file(self, name: str, data: bytes) -> None:
        self.box.write_file(name, data)

    def run(self, argv: list[str], limits: Limits, **kw: Any) -> RunResult:
        self.runs.append(argv)
        return self.box.run(argv, limits, **kw)

    def close(self) -> None:
        self.box.close()

    def __enter__(self) -> CountingBox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.box.close()


class CountingSandbox:
    name = "process"

    def __init__(self, sandbox: ProcessSandbox) -> None:
        self.sandbox = sandbox
        self.runs: list[list[str]] = []

    def open_box(self, language_id: str) -> CountingBox:
        return CountingBox(self.sandbox.open_box(language_id), self.runs)


def compile_runs(sandbox: CountingSandbox) -> int:
    python = get_language("python3.10")
    return sandbox.runs.count(python.compile_command(python.compile_memory_mb) or [])


def test_clean_python_runs_once_per_test(process_sandbox: ProcessSandbox) -> None:
    sandbox = CountingSandbox(process_sandbox)
    result = judge(sandbox, "python3.10", "print(input())\n", FAST, ECHO)
    assert (result.status, result.points, result.compile_output) == ("ACCEPTED", 100, "")
    assert len(sandbox.runs) == 3 and compile_runs(sandbox) == 0
    assert [r.stderr for r in result.results] == ["", "", ""]


def test_syntax_error_verdict_and_message_are_the_compile_steps(
    process_sandbox: ProcessSandbox,
) -> None:
    sandbox = CountingSandbox(process_sandbox)
    code = "x = 1\nprint(x\n"
    result = judge(sandbox, "python3.10", code, FAST, ECHO)
    alone = run_custom(process_sandbox, "python3.10", code, "", FAST)  # compile step, then run
    assert result.status == "COMPILATION_ERROR" and result.results == []
    assert result.compile_output == alone.compile_output
    assert "SyntaxError: '(' was never closed" in result.compile_output
    assert compile_runs(sandbox) == 1


def test_program_sees_what_a_script_sees(process_sandbox: ProcessSandbox) -> None:
    code = (
        "import sys, __main__\n"
        "print(__name__, __file__, sys.argv, type(__loader__).__name__, __spec__)\n"
        "print(sorted(k for k in vars(__main__) if not k.startswith('__')))\n"
        "print(len(sys.modules), 'warnings' in sys.modules)\n"
    )
    plain = run_custom(process_sandbox, "python3.10", code, "", FAST).stdout
    assert plain.startswith("__main__ /box/main.py ['main.py'] SourceFileLoader None\n['sys']")
    tests = [TestCase(id=str(i), input="", expected_output=plain) for i in range(2)]
    result = judge(process_sandbox, "python3.10", code, FAST, tests)
    assert result.status == "ACCEPTED", [r.actual_output for r in result.results]


def test_traceback_is_the_scripts_own(process_sandbox: ProcessSandbox) -> None:
    code = "def f():\n    return 1 / 0\nprint('before')\nf()\n"
    plain = run_custom(process_sandbox, "python3.10", code, "", FAST)
    tests = [TestCase(id="1", input="", expected_output="before\n")]
    result = judge(process_sandbox, "python3.10", code, FAST, tests)
    assert result.results[0].status == "ERROR"
    assert result.results[0].actual_output == "before\n"
    assert result.results[0].stderr == plain.stderr
    assert 'File "/box/main.py", line 4' in plain.stderr and "<string>" not in plain.stderr


def test_exit_code_after_a_clean_check_is_the_programs(process_sandbox: ProcessSandbox) -> None:
    sandbox = CountingSandbox(process_sandbox)
    code = "import sys\nprint(input())\nsys.exit(3)\n"
    result = judge(sandbox, "python3.10", code, FAST, ECHO[:1])
    assert result.results[0].status == "ERROR" and result.results[0].actual_output == "a\n"
    assert compile_runs(sandbox) == 0


def test_program_that_wipes_the_mark_is_judged_after_the_compile_step(
    process_sandbox: ProcessSandbox,
) -> None:
    sandbox = CountingSandbox(process_sandbox)
    code = "import os\nos.ftruncate(2, 0)\nprint(input())\n"
    result = judge(sandbox, "python3.10", code, FAST, ECHO)
    assert (result.status, result.points) == ("ACCEPTED", 100)
    assert compile_runs(sandbox) == 1 and len(sandbox.runs) == 1 + 1 + 3


def test_limit_hit_in_the_first_test_still_counts(process_sandbox: ProcessSandbox) -> None:
    result = judge(process_sandbox, "python3.10", "while True:\n    pass\n", FAST, ECHO[:2])
    assert result.status == "TIMEOUT" and result.compile_output == ""
    assert [r.status for r in result.results] == ["TIMEOUT", "TIMEOUT"]
