import pytest

from ai.review import FailedTest, JudgeFacts, OfflineReviewer, ReviewRequest
from ai.review.analysis import analyze

NESTED = """\
def two_sum(nums, target):
    for i in range(len(nums)):
        for j in range(i + 1, len(nums)):
            if nums[i] + nums[j] == target:
                return [i, j]
    return []
"""

HASHED = """\
def two_sum(nums: list[int], target: int) -> list[int]:
    seen = {}
    for i, x in enumerate(nums):
        if target - x in seen:
            return [seen[target - x], i]
        seen[x] = i
    return []
"""

FIB = """\
def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)
"""

MEMO_FIB = """\
from functools import cache


@cache
def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)
"""


def review(code, judge=None, **kwargs):
    return OfflineReviewer().review(ReviewRequest("python3.10", code, judge=judge, **kwargs))


def rules(code):
    return {f.rule for f in analyze("python3.10", code).findings}


def test_nested_loops_score_lower_on_efficiency_than_a_hash_lookup():
    slow, fast = review(NESTED), review(HASHED)
    assert slow.complexity_analysis.time == "O(n^2)"
    assert slow.complexity_analysis.space == "O(1)"
    assert fast.complexity_analysis.time == "O(n)"
    assert fast.complexity_analysis.space == "O(n)"
    assert slow.scores.efficiency < fast.scores.efficiency
    assert slow.overall_score < fast.overall_score
    assert "lines 2-5" in slow.complexity_analysis.explanation
    assert any("`seen`" in s for s in fast.strengths)


def test_nested_loop_suggestion_points_at_the_loop_lines():
    suggestion = next(s for s in review(NESTED).code_suggestions if s.category == "efficiency")
    assert (suggestion.line_start, suggestion.line_end) == (2, 5)
    assert "dict/set" in suggestion.message


def test_exponential_recursion_is_flagged_and_memoisation_clears_it():
    plain, memo = review(FIB), review(MEMO_FIB)
    assert plain.complexity_analysis.time == "O(2^n)"
    assert memo.complexity_analysis.time == "O(n)"
    assert any("memoise" in i for i in plain.improvements)
    assert plain.scores.efficiency <= 65 < memo.scores.efficiency


def test_sort_is_n_log_n_and_binary_search_is_log_n():
    sort_code = "def f(a):\n    a.sort()\n    return a[0]\n"
    search = (
        "def find(a, t):\n    lo, hi = 0, len(a) - 1\n    while lo <= hi:\n"
        "        mid = (lo + hi) // 2\n        if a[mid] < t:\n            lo = mid + 1\n"
        "        else:\n            hi = mid - 1\n    return lo\n"
    )
    assert review(sort_code).complexity_analysis.time == "O(n log n)"
    assert review(search).complexity_analysis.time == "O(log n)"


def test_membership_in_a_list_inside_a_loop_is_a_hidden_quadratic():
    code = (
        "def dedupe(a):\n    out = []\n    for x in a:\n        if x not in out:\n"
        "            out.append(x)\n    return out\n"
    )
    result = review(code)
    assert result.complexity_analysis.time == "O(n^2)"
    assert any("`in out`" in i for i in result.improvements)


@pytest.mark.parametrize(
    ("code", "rule"),
    [
        ("import os\nprint(1)\n", "unused_import"),
        ("def f():\n    x = 1\n    return 2\n", "unused_variable"),
        ("list = [1, 2]\nprint(list)\n", "shadowed_builtin"),
        ("try:\n    pass\nexcept:\n    print('x')\n", "bare_except"),
        ("try:\n    pass\nexcept ValueError:\n    pass\n", "swallowed_exception"),
        ("def f(items=[]):\n    return items\n", "mutable_default"),
        ("def f():\n" + "    print(1)\n" * 45, "long_function"),
        ("count = 0\ndef f():\n    global count\n    count += 1\n", "global_statement"),
        ("x = eval(input())\nprint(x)\n", "eval_exec"),
        ("import os\nos.system('ls')\n", "shell_command"),
        ("import subprocess\nsubprocess.run('ls', shell=True)\n", "shell_command"),
        ("import pickle\npickle.loads(b'')\n", "unsafe_deserialization"),
        ("def f(n):\n    return n * 86400\n", "magic_number"),
        ("x = None\nif x == None:\n    print(x)\n", "none_comparison"),
        ("x = 1\nif type(x) == int:\n    print(x)\n", "type_comparison"),
        ("a = [1]\nfor i in range(len(a)):\n    print(a[i])\n", "range_len"),
        ("f = open('x')\nprint(f.read())\n", "open_without_with"),
        ("from math import *\nprint(pi)\n", "wildcard_import"),
        (
            "def f(a):\n    if a:\n        if a:\n            if a:\n                if a:\n"
            "                    if a:\n                        return 1\n",
            "deep_nesting",
        ),
    ],
)
def test_each_python_finding_is_detected(code, rule):
    assert rule in rules(code)


def test_clean_code_has_no_lint_findings():
    assert rules(HASHED) == set()


def test_security_findings_lower_the_security_score_with_the_line():
    result = review("data = input()\nvalue = eval(data)\nprint(value)\n")
    assert result.scores.security == 75
    suggestion = next(s for s in result.code_suggestions if s.category == "security")
    assert suggestion.line_start == 2


def test_syntax_error_scores_zero_correctness_and_quotes_the_line():
    result = review("def f(:\n    return 1\n")
    assert result.scores.correctness == 0
    assert result.complexity_analysis.time == "unknown"
    assert "line 1" in result.improvements[0]


def test_accepted_solution_gets_full_correctness_and_says_so():
    result = review(HASHED, JudgeFacts("ACCEPTED", 15, 15, runtime_ms=40))
    assert result.scores.correctness == 100
    assert result.strengths[0] == "All 15 tests pass in 40 ms"
    assert result.reviewer == "offline"


def test_failed_tests_drive_correctness_from_the_pass_share():
    judge = JudgeFacts(
        "FAILED",
        6,
        10,
        failed_tests=[
            FailedTest(1, "WRONG_ANSWER", True, "2 7 11 15\n9", "0 1", "1 0"),
            FailedTest(7, "WRONG_ANSWER", False),
        ],
    )
    result = review(HASHED, judge)
    assert result.scores.correctness == 60
    assert any("expected `0 1`, got `1 0`" in i for i in result.improvements)
    assert any("hidden test(s) fail: #7" in i for i in result.improvements)


def test_timeout_names_the_complexity_and_a_concrete_hint():
    judge = JudgeFacts("TIMEOUT", 10, 15, failed_tests=[FailedTest(11, "TIMEOUT", False)])
    result = review(NESTED, judge)
    top = result.improvements[0]
    assert "Time limit exceeded" in top and "O(n^2)" in top and "dict/set lookup" in top
    assert result.scores.efficiency < review(NESTED).scores.efficiency


def test_runtime_error_quotes_the_exception_and_hints_at_the_cause():
    trace = (
        'Traceback (most recent call last):\n  File "main.py", line 3, in <module>\n'
        "IndexError: list index out of range\n"
    )
    judge = JudgeFacts(
        "ERROR", 2, 10, compile_output=trace, failed_tests=[FailedTest(3, "RUNTIME_ERROR", False)]
    )
    result = review(HASHED, judge)
    assert "IndexError: list index out of range" in result.improvements[0]
    assert "loop bounds" in result.improvements[0]
    assert result.scores.correctness < 20


def test_focus_areas_put_their_findings_first():
    code = "import os\nx = eval(input())\nprint(x)\n"
    result = review(code, focus_areas=["code_quality"])
    assert "imported but never used" in result.improvements[0]
    assert "Focus requested: code_quality" in result.summary


def test_overall_is_the_documented_weighted_mean():
    s = review(NESTED).scores
    expected = round(
        0.35 * s.correctness
        + 0.25 * s.efficiency
        + 0.15 * s.code_quality
        + 0.15 * s.best_practices
        + 0.10 * s.security
    )
    assert review(NESTED).overall_score == expected


def test_suggestions_never_exceed_the_code_and_carry_no_full_solution():
    for code in (NESTED, FIB, "import os\nos.system('x')\n"):
        total = code.count("\n") + 1
        for s in review(code).code_suggestions:
            assert 1 <= s.line_start <= s.line_end <= total
            assert s.suggested_code is None or len(s.suggested_code.splitlines()) <= 3


def test_breadth_first_search_over_adjacency_lists_is_linear():
    code = (
        "from collections import deque\n\n\ndef bfs(graph, start):\n    dist = {start: 0}\n"
        "    queue = deque([start])\n    while queue:\n        node = queue.popleft()\n"
        "        for nxt in graph[node]:\n            if nxt not in dist:\n"
        "                dist[nxt] = dist[node] + 1\n                queue.append(nxt)\n"
        "    return dist\n"
    )
    assert review(code).complexity_analysis.time == "O(n)"
