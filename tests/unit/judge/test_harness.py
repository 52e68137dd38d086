from __future__ import annotations

import pytest

from judge.grading import HarnessSpec, Param
from judge.harness import HarnessError, parse_type, wrap_source
from judge.harness.compare import json_equal, json_lines_equal
from judge.harness.cpp import cpp_type

SPEC = HarnessSpec(
    function_name={"python3.10": "f", "cpp17": "f", "java17": "f", "javascript": "f"},
    params=[Param("grid", "string[][]"), Param("k", "long")],
    return_type="bool[]",
)


def test_types_parse_to_base_and_depth() -> None:
    assert parse_type("int") == ("int", 0)
    assert parse_type("string[][]") == ("string", 2)
    assert cpp_type("int[][]") == "vector<vector<int>>"
    for bad in ("int[][][]", "float", "int[", "List<int>"):
        with pytest.raises(HarnessError):
            parse_type(bad)


def test_python_harness_keeps_learner_code_in_its_own_file() -> None:
    files = wrap_source("python3.10", "def f(grid, k):\n    return []\n", SPEC)
    assert files["solution.py"] == "def f(grid, k):\n    return []\n"
    assert "'f'" in files["main.py"]


def test_java_harness_keeps_learner_line_numbers() -> None:
    code = (
        "import java.util.List;\npublic class Solution {\n  boolean[] f(String[][] g, long k) {}\n}"
    )
    source = wrap_source("java17", code, SPEC)["Main.java"]
    lines = source.splitlines()
    assert lines[1] == "class Solution {"
    assert "cstringAA(a.get(0)), clong(a.get(1))" in source


def test_cpp_harness_calls_solution_method_or_free_function() -> None:
    method = wrap_source("cpp17", "class Solution { public: vector<bool> f(); };", SPEC)
    free = wrap_source("cpp17", "vector<bool> f(vector<vector<string>> g, long long k);", SPEC)
    assert "Solution().f(a0, a1)" in method["main.cpp"]
    assert "cq::put(cq_res, f(a0, a1))" in free["main.cpp"]
    assert '#line 1 "solution.cpp"' in free["main.cpp"]


def test_harness_rejects_unknown_language() -> None:
    with pytest.raises(HarnessError):
        wrap_source("cobol", "", SPEC)


def test_json_comparison_uses_tolerance_only_for_floats() -> None:
    assert json_equal([1, 2.0000001], [1, 2], 1e-6)
    assert not json_equal([1, 3], [1, 2], 1e-6)
    assert not json_equal(True, 1, 1e-6)
    assert json_lines_equal("[0,1]\n\n", "[0, 1]", 1e-6)
    assert not json_lines_equal("[0,1", "[0,1]", 1e-6)
    assert json_lines_equal("[[2],[1]]", "[[1],[2]]", 1e-6, unordered=True)
