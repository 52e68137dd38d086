import pytest

from ai.review import JudgeFacts, OfflineReviewer, ReviewRequest
from ai.review.analysis import analyze

CPP_QUADRATIC = """\
#include <bits/stdc++.h>
using namespace std;
int main() {
    int n; cin >> n;
    vector<int> a(n);
    for (int i = 0; i < n; i++) cin >> a[i];
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++)
            if (a[i] + a[j] == 0) cout << i << " " << j << endl;
}
"""

CPP_LINEAR = """\
#include <iostream>
#include <unordered_map>
#include <vector>
int main() {
    std::ios::sync_with_stdio(false);
    int n;
    std::cin >> n;
    std::vector<int> a(n);
    std::unordered_map<int, int> seen;
    for (int i = 0; i < n; i++) {
        std::cin >> a[i];
        if (seen.count(-a[i])) std::cout << seen[-a[i]] << ' ' << i << '\\n';
        seen[a[i]] = i;
    }
}
"""

JAVA_CONCAT = """\
public class Main {
    public static void main(String[] args) {
        String out = "";
        for (int i = 0; i < args.length; i++) {
            out += args[i];
        }
        try {
            System.out.println(out);
        } catch (Exception e) {
        }
        if (out == "done") System.exit(0);
    }
}
"""

JS_FIB = """\
var memoless = true;
function fib(n) {
  if (n == 0) return 0;
  if (n < 2) return n;
  return fib(n - 1) + fib(n - 2);
}
console.log(eval("fib(10)"));
"""


def review(language, code, judge=None):
    return OfflineReviewer().review(ReviewRequest(language, code, judge=judge))


def rules(language, code):
    return {f.rule for f in analyze(language, code).findings}


def test_cpp_nested_loops_are_quadratic_and_slower_than_a_hash_pass():
    slow, fast = review("cpp17", CPP_QUADRATIC), review("cpp17", CPP_LINEAR)
    assert slow.complexity_analysis.time == "O(n^2)"
    assert fast.complexity_analysis.time == "O(n)"
    assert slow.scores.efficiency < fast.scores.efficiency
    assert slow.scores.best_practices < fast.scores.best_practices
    assert any("unordered_map" in s for s in fast.strengths)
    nest = next(s for s in slow.code_suggestions if "nested loops" in s.message)
    assert (nest.line_start, nest.line_end) == (7, 9)


def test_cpp_anti_patterns_are_detected():
    found = rules("cpp17", CPP_QUADRATIC)
    assert {"bits_stdcpp", "using_namespace_std", "endl_in_loop", "quadratic"} <= found
    message = next(
        f.message
        for f in analyze("cpp17", CPP_QUADRATIC).findings
        if f.rule == "using_namespace_std"
    )
    assert "bits/stdc++.h" in message


@pytest.mark.parametrize(
    ("code", "rule"),
    [
        ("int main() { int* a = new int[10]; return a[0]; }", "raw_new"),
        ('int main() { char b[8]; gets(b); strcpy(b, "x"); }', "unsafe_c_string"),
        ('int main() { char b[8]; scanf("%s", b); }', "unsafe_c_string"),
        ('int main() { system("ls"); }', "shell_command"),
        ("int main() { try { f(); } catch (...) { } }", "empty_catch"),
    ],
)
def test_each_cpp_finding_is_detected(code, rule):
    assert rule in rules("cpp17", code)


def test_new_with_delete_is_not_reported():
    assert "raw_new" not in rules("cpp17", "int main() { int* a = new int[5]; delete[] a; }")


def test_java_findings_and_the_string_concat_hint():
    found = rules("java17", JAVA_CONCAT)
    assert {"string_concat_in_loop", "empty_catch", "generic_catch", "system_exit"} <= found
    assert "string_identity_eq" in found
    result = review("java17", JAVA_CONCAT)
    assert any("StringBuilder" in i for i in result.improvements)


def test_javascript_findings_and_exponential_recursion():
    found = rules("javascript", JS_FIB)
    assert {"loose_equality", "var_declaration", "eval_exec", "exponential_recursion"} <= found
    result = review("javascript", JS_FIB)
    assert result.complexity_analysis.time == "O(2^n)"
    assert result.scores.security == 75


def test_javascript_strict_code_scores_well():
    code = (
        "const twoSum = (nums, target) => {\n  const seen = new Map();\n"
        "  for (let i = 0; i < nums.length; i++) {\n"
        "    if (seen.has(target - nums[i])) return [seen.get(target - nums[i]), i];\n"
        "    seen.set(nums[i], i);\n  }\n  return [];\n};\n"
    )
    result = review("javascript", code)
    assert result.complexity_analysis.time == "O(n)"
    assert result.scores.best_practices == 100
    assert any("const" in s for s in result.strengths)


def test_comments_and_strings_do_not_trigger_findings():
    code = '// for (;;) for (;;) gets(x)\nint main() { const char* s = "system(x) == var"; }\n'
    assert rules("cpp17", code) & {"unsafe_c_string", "shell_command", "quadratic"} == set()


def test_constant_bound_loops_do_not_count_as_input_loops():
    code = "int main() { for (int c = 0; c < 26; c++) { for (int d = 0; d < 10; d++) {} } }"
    assert review("cpp17", code).complexity_analysis.time == "O(1)"


def test_binary_search_while_loop_is_logarithmic():
    code = (
        "int find(int* a, int n, int t) {\n  int lo = 0, hi = n - 1;\n"
        "  while (lo <= hi) {\n    int mid = lo + (hi - lo) / 2;\n"
        "    if (a[mid] < t) lo = mid + 1; else hi = mid - 1;\n  }\n  return lo;\n}\n"
    )
    assert review("cpp17", code).complexity_analysis.time == "O(log n)"


def test_compile_error_quotes_the_first_error_line_and_zeroes_correctness():
    output = (
        "main.cpp: In function 'int main()':\n"
        "main.cpp:5:5: error: 'x' was not declared in this scope\n"
        "main.cpp:6:1: error: expected ';' before '}' token\n"
    )
    judge = JudgeFacts("COMPILATION_ERROR", 0, 10, compile_output=output)
    result = review("cpp17", CPP_LINEAR, judge)
    assert result.scores.correctness == 0
    assert "main.cpp:5:5: error: 'x' was not declared" in result.improvements[0]
    assert any(s.line_start == 5 and s.category == "correctness" for s in result.code_suggestions)


def test_every_language_gets_a_distinct_review():
    reviews = [
        review("python3.10", "def f(a):\n    return sorted(a)\n"),
        review("cpp17", CPP_QUADRATIC),
        review("java17", JAVA_CONCAT),
        review("javascript", JS_FIB),
    ]
    assert len({r.summary for r in reviews}) == 4
    assert len({(r.overall_score, r.complexity_analysis.time) for r in reviews}) == 4
