from __future__ import annotations

import pytest

from judge.grading import (
    HarnessSpec,
    Param,
    ProblemSpec,
    TestCase,
    judge,
    run_custom,
)
from judge.sandbox.process import ProcessSandbox

SUM = {
    "python3.10": "a, b = map(int, input().split())\nprint(a + b)\n",
    "cpp17": (
        "#include <cstdio>\n"
        'int main() { long long a, b; scanf("%lld %lld", &a, &b); printf("%lld\\n", a + b); }\n'
    ),
    "java17": (
        "import java.util.*;\npublic class Main { public static void main(String[] x) {\n"
        "  Scanner s = new Scanner(System.in); long a = s.nextLong(), b = s.nextLong();\n"
        "  System.out.println(a + b); } }\n"
    ),
    "javascript": (
        "const [a, b] = require('fs').readFileSync(0, 'utf8').trim().split(/\\s+/).map(Number);\n"
        "console.log(a + b);\n"
    ),
}
SUM_TESTS = [
    TestCase(id="1", input="1 2\n", expected_output="3\n", is_sample=True),
    TestCase(id="2", input="-5 5\n", expected_output="0"),
    TestCase(id="3", input="1000000000 1000000000\n", expected_output="2000000000\n"),
]
FAST = ProblemSpec(time_limit_ms=1000, memory_limit_mb=128)


def cases(*pairs: tuple[str, str]) -> list[TestCase]:
    return [TestCase(id=str(i), input=a, expected_output=b) for i, (a, b) in enumerate(pairs)]


@pytest.mark.parametrize("language", list(SUM))
def test_accepts_correct_solution_in_every_language(
    process_sandbox: ProcessSandbox, language: str
) -> None:
    progress: list[tuple[int, int]] = []
    result = judge(
        process_sandbox,
        language,
        SUM[language],
        FAST,
        SUM_TESTS,
        lambda d, t: progress.append((d, t)),
    )
    assert result.status == "ACCEPTED", result
    assert result.points == 100
    assert result.tests_passed == result.tests_total == 3
    assert progress == [(1, 3), (2, 3), (3, 3)]
    assert 0 < result.memory_kb < 128 * 1024
    assert result.results[0].is_sample


def py(sandbox: ProcessSandbox, code: str, tests: list[TestCase], **spec: object) -> object:
    return judge(sandbox, "python3", code, ProblemSpec(**spec), tests)  # type: ignore[arg-type]


def test_wrong_answer_fails_with_partial_points(process_sandbox: ProcessSandbox) -> None:
    code = "a, b = map(int, input().split())\nprint(a + b if a > 0 else 42)\n"
    result = judge(process_sandbox, "python3", code, FAST, SUM_TESTS)
    assert result.status == "FAILED"
    assert [r.status for r in result.results] == ["PASSED", "FAILED", "PASSED"]
    assert result.points == 66
    assert result.results[1].actual_output == "42\n"


def test_runtime_error_is_an_error_with_stderr(process_sandbox: ProcessSandbox) -> None:
    result = judge(process_sandbox, "python3", "raise ValueError('boom')\n", FAST, SUM_TESTS[:1])
    assert result.status == "ERROR"
    assert result.results[0].status == "ERROR"
    assert "ValueError: boom" in result.results[0].stderr


def test_infinite_loop_times_out_on_cpu_time(process_sandbox: ProcessSandbox) -> None:
    code = "int main() { volatile long x = 0; for (;;) x++; }\n"
    spec = ProblemSpec(time_limit_ms=300)
    result = judge(process_sandbox, "cpp17", code, spec, SUM_TESTS[:1])
    assert result.status == "TIMEOUT"
    # Not ">= 300": on a loaded host the wall limit (2 x CPU + 1 s) can strike first; the exact
    # CPU kill is checked with a generous wall limit in test_box_reuse.
    assert result.results[0].runtime_ms < 1000


def test_memory_hog_hits_the_memory_limit(process_sandbox: ProcessSandbox) -> None:
    code = "x = []\nwhile True:\n    x.append(bytearray(1 << 20))\n"
    result = judge(process_sandbox, "python3", code, FAST, SUM_TESTS[:1])
    assert result.status == "ERROR"
    assert result.results[0].status == "MEMORY_LIMIT"
    assert result.results[0].memory_kb >= 128 * 1024 * 0.9


def test_compile_error_is_reported_once(process_sandbox: ProcessSandbox) -> None:
    result = judge(process_sandbox, "cpp17", "int main() { return x; }\n", FAST, SUM_TESTS)
    assert result.status == "COMPILATION_ERROR"
    assert "was not declared" in result.compile_output
    assert result.results == [] and result.tests_total == 3


def test_python_syntax_error_is_a_compilation_error(process_sandbox: ProcessSandbox) -> None:
    result = judge(process_sandbox, "python3.10", "def f(:\n", FAST, SUM_TESTS)
    assert result.status == "COMPILATION_ERROR"
    assert "SyntaxError" in result.compile_output


def test_python_syntax_error_message_names_file_and_line(process_sandbox: ProcessSandbox) -> None:
    result = judge(process_sandbox, "python3.10", "x = 1\nprint(\n", FAST, SUM_TESTS)
    assert result.status == "COMPILATION_ERROR"
    assert 'File "main.py", line 2' in result.compile_output
    assert "SyntaxError: '(' was never closed" in result.compile_output


def test_python_syntax_warning_is_kept_as_compile_output(process_sandbox: ProcessSandbox) -> None:
    code = "a, b = map(int, input().split())\nprint(a + b if a is not 1 else a + b)\n"
    result = judge(process_sandbox, "python3.10", code, FAST, SUM_TESTS)
    assert result.status == "ACCEPTED"
    assert "SyntaxWarning" in result.compile_output and "main.py:2" in result.compile_output


def test_python_harness_syntax_error_in_learner_file(process_sandbox: ProcessSandbox) -> None:
    spec = ProblemSpec(harness=TWO_SUM)
    result = judge(
        process_sandbox, "python3.10", "def two_sum(nums, target)\n", spec, TWO_SUM_TESTS
    )
    assert result.status == "COMPILATION_ERROR"
    assert 'File "solution.py", line 1' in result.compile_output


def test_java_program_must_declare_public_class_main(process_sandbox: ProcessSandbox) -> None:
    code = "public class Solution { public static void main(String[] a) {} }\n"
    result = judge(process_sandbox, "java17", code, FAST, SUM_TESTS)
    assert result.status == "COMPILATION_ERROR"
    assert "public class Main" in result.compile_output


def test_too_much_output_is_an_output_limit(process_sandbox: ProcessSandbox) -> None:
    spec = ProblemSpec(output_limit_kb=64)
    code = "while True:\n    print('y' * 1000)\n"
    result = judge(process_sandbox, "python3", code, spec, SUM_TESTS[:1])
    assert result.results[0].status == "OUTPUT_LIMIT"
    assert result.status == "ERROR"
    assert len(result.results[0].actual_output) < 5000


def test_exact_checker_ignores_trailing_whitespace_only(process_sandbox: ProcessSandbox) -> None:
    tests = cases(("", "a b\nc"), ("", " a b\nc"))
    result = judge(
        process_sandbox, "python3", "print('a b   ')\nprint('c')\n\nprint()\n", FAST, tests
    )
    assert [r.status for r in result.results] == ["PASSED", "FAILED"]


def test_float_checker_accepts_values_within_tolerance(process_sandbox: ProcessSandbox) -> None:
    spec = ProblemSpec(checker="float", float_tolerance=1e-4)
    tests = cases(("", "0.33333 x"), ("", "0.3 x"))
    result = judge(process_sandbox, "python3", "print(1/3, 'x')\n", spec, tests)
    assert [r.status for r in result.results] == ["PASSED", "FAILED"]


def test_unordered_checker_accepts_any_line_order(process_sandbox: ProcessSandbox) -> None:
    spec = ProblemSpec(checker="unordered")
    tests = cases(("", "b\na\nc\n"), ("", "a\nb\n"))
    result = judge(process_sandbox, "python3", "print('a\\nc\\nb')\n", spec, tests)
    assert [r.status for r in result.results] == ["PASSED", "FAILED"]


def test_subtask_scores_only_when_all_its_tests_pass(process_sandbox: ProcessSandbox) -> None:
    code = "n = int(input())\nprint(n * 2 if n < 100 else 0)\n"
    tests = [
        TestCase(id="s1", input="1", expected_output="2", points=20, group="small"),
        TestCase(id="s2", input="2", expected_output="4", points=20, group="small"),
        TestCase(id="b1", input="5", expected_output="10", points=30, group="big"),
        TestCase(id="b2", input="500", expected_output="1000", points=30, group="big"),
    ]
    result = judge(process_sandbox, "python3", code, FAST, tests)
    assert result.status == "FAILED"
    assert result.points == 40
    assert [r.points_earned for r in result.results] == [20, 20, 0, 0]


def test_run_custom_returns_output_of_own_input(process_sandbox: ProcessSandbox) -> None:
    out = run_custom(process_sandbox, "cpp17", SUM["cpp17"], "40 2\n", FAST)
    assert (out.status, out.stdout) == ("OK", "42\n")
    bad = run_custom(process_sandbox, "javascript", "console.log(", "", FAST)
    assert bad.status == "COMPILATION_ERROR" and "SyntaxError" in bad.compile_output


TWO_SUM = HarnessSpec(
    function_name={
        "python3.10": "two_sum",
        "cpp17": "twoSum",
        "java17": "twoSum",
        "javascript": "twoSum",
    },
    params=[Param("nums", "int[]"), Param("target", "int")],
    return_type="int[]",
)
TWO_SUM_TESTS = cases(("[[2,7,11,15], 9]\n", "[0,1]"), ("[[3,2,4],6]\n[[3,3],6]", "[1,2]\n[0,1]\n"))
TWO_SUM_CODE = {
    "python3.10": (
        "def two_sum(nums, target):\n    seen = {}\n    for i, n in enumerate(nums):\n"
        "        if target - n in seen:\n            return [seen[target - n], i]\n"
        "        seen[n] = i\n"
    ),
    "cpp17": (
        "class Solution {\npublic:\n    vector<int> twoSum(vector<int>& nums, int target) {\n"
        "        unordered_map<int, int> seen;\n"
        "        for (int i = 0; i < (int)nums.size(); i++) {\n"
        "            if (seen.count(target - nums[i])) return {seen[target - nums[i]], i};\n"
        "            seen[nums[i]] = i;\n        }\n        return {};\n    }\n};\n"
    ),
    "java17": (
        "class Solution {\n    public int[] twoSum(int[] nums, int target) {\n"
        "        Map<Integer, Integer> seen = new HashMap<>();\n"
        "        for (int i = 0; i < nums.length; i++) {\n"
        "            Integer j = seen.get(target - nums[i]);\n"
        "            if (j != null) return new int[] {j, i};\n            seen.put(nums[i], i);\n"
        "        }\n        return new int[0];\n    }\n}\n"
    ),
    "javascript": (
        "var twoSum = function(nums, target) {\n  const seen = new Map();\n"
        "  for (let i = 0; i < nums.length; i++) {\n"
        "    if (seen.has(target - nums[i])) return [seen.get(target - nums[i]), i];\n"
        "    seen.set(nums[i], i);\n  }\n};\n"
    ),
}
REVERSE = HarnessSpec(
    function_name={
        "python3.10": "reverse_words",
        "cpp17": "reverseWords",
        "java17": "reverseWords",
        "javascript": "reverseWords",
    },
    params=[Param("s", "string")],
    return_type="string",
)
REVERSE_TESTS = cases(('["hello world"]', '"world hello"'), ('["a \\"q\\" é"]', '"é \\"q\\" a"'))
REVERSE_CODE = {
    "python3.10": "def reverse_words(s):\n    return ' '.join(reversed(s.split(' ')))\n",
    "cpp17": (
        "string reverseWords(string s) {\n  vector<string> w; stringstream in(s); string x;\n"
        "  while (in >> x) w.push_back(x);\n  reverse(w.begin(), w.end());\n  string out;\n"
        '  for (size_t i = 0; i < w.size(); i++) out += (i ? " " : "") + w[i];\n  return out;\n}\n'
    ),
    "java17": (
        "public class Solution {\n  public String reverseWords(String s) {\n"
        '    List<String> w = Arrays.asList(s.split(" "));\n    Collections.reverse(w);\n'
        '    return String.join(" ", w);\n  }\n}\n'
    ),
    "javascript": "function reverseWords(s) { return s.split(' ').reverse().join(' '); }\n",
}
TRANSPOSE = HarnessSpec(
    function_name={
        "python3.10": "transpose",
        "cpp17": "transpose",
        "java17": "transpose",
        "javascript": "transpose",
    },
    params=[Param("m", "int[][]"), Param("scale", "double")],
    return_type="double[][]",
)
TRANSPOSE_TESTS = cases(
    ("[[[1,2,3],[4,5,6]], 0.5]", "[[0.5,2.0],[1.0,2.5],[1.5,3.0]]"), ("[[[7]], 1.0]", "[[7.0]]")
)
TRANSPOSE_CODE = {
    "python3.10": (
        "def transpose(m: List[List[int]], scale: float):\n"
        "    return [[x * scale for x in col] for col in zip(*m)]\n"
    ),
    "cpp17": (
        "vector<vector<double>> transpose(const vector<vector<int>>& m, double scale) {\n"
        "  vector<vector<double>> t(m[0].size(), vector<double>(m.size()));\n"
        "  for (size_t i = 0; i < m.size(); i++)\n    for (size_t j = 0; j < m[0].size(); j++)"
        " t[j][i] = m[i][j] * scale;\n  return t;\n}\n"
    ),
    "java17": (
        "class Solution {\n  double[][] transpose(int[][] m, double scale) {\n"
        "    double[][] t = new double[m[0].length][m.length];\n"
        "    for (int i = 0; i < m.length; i++)\n      for (int j = 0; j < m[0].length; j++)"
        " t[j][i] = m[i][j] * scale;\n    return t;\n  }\n}\n"
    ),
    "javascript": "const transpose = (m, s) => m[0].map((_, j) => m.map((row) => row[j] * s));\n",
}
HARNESS_CASES = [
    (TWO_SUM, TWO_SUM_CODE, TWO_SUM_TESTS),
    (REVERSE, REVERSE_CODE, REVERSE_TESTS),
    (TRANSPOSE, TRANSPOSE_CODE, TRANSPOSE_TESTS),
]


@pytest.mark.parametrize("language", list(SUM))
@pytest.mark.parametrize("problem", range(len(HARNESS_CASES)), ids=["two_sum", "string", "matrix"])
def test_function_harness_runs_starter_signature(
    process_sandbox: ProcessSandbox, language: str, problem: int
) -> None:
    harness, code, tests = HARNESS_CASES[problem]
    spec = ProblemSpec(harness=harness, time_limit_ms=2000)
    result = judge(process_sandbox, language, code[language], spec, tests)
    assert result.status == "ACCEPTED", (result.compile_output, result.results)


def test_harness_wrong_return_value_fails(process_sandbox: ProcessSandbox) -> None:
    code = "def two_sum(nums, target):\n    print('debug goes to stderr')\n    return [1, 0]\n"
    spec = ProblemSpec(harness=TWO_SUM)
    result = judge(process_sandbox, "python3.10", code, spec, TWO_SUM_TESTS)
    assert result.status == "FAILED"
    assert result.results[0].actual_output == "[1,0]\n"
    assert "debug goes to stderr" in result.results[0].stderr


def test_harness_compile_error_points_at_learner_line(process_sandbox: ProcessSandbox) -> None:
    code = "vector<int> twoSum(vector<int>& nums, int target) {\n  return nope;\n}\n"
    result = judge(process_sandbox, "cpp17", code, ProblemSpec(harness=TWO_SUM), TWO_SUM_TESTS)
    assert result.status == "COMPILATION_ERROR"
    assert "solution.cpp:2" in result.compile_output
