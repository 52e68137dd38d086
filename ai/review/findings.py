"""Findings from the analysers, and the rule table giving each its dimension and weight."""

from __future__ import annotations

import msgspec


class Rule(msgspec.Struct, frozen=True):
    """A rule's dimension and the points one occurrence subtracts from that dimension's 100."""

    dimension: str
    penalty: int


class Finding(msgspec.Struct, frozen=True):
    """One observation, anchored to a 1-based inclusive line range (0 means the whole file)."""

    rule: str
    message: str
    line_start: int = 0
    line_end: int = 0
    suggested_code: str | None = None

    @property
    def dimension(self) -> str:
        return RULES[self.rule].dimension

    @property
    def penalty(self) -> int:
        return RULES[self.rule].penalty


# Weights: points subtracted from the dimension's 100 per occurrence. A rule repeated in one
# submission costs at most MAX_REPEATS occurrences, so one bad habit cannot zero a dimension.
MAX_REPEATS = 3
RULES: dict[str, Rule] = {
    # correctness (static; the judge's pass share dominates when present)
    "syntax_error": Rule("correctness", 100),
    "compile_error": Rule("correctness", 100),
    "runtime_error": Rule("correctness", 15),
    "failed_sample": Rule("correctness", 0),
    "failed_hidden": Rule("correctness", 0),
    "mutable_default": Rule("correctness", 8),
    "string_identity_eq": Rule("correctness", 10),
    # efficiency
    "time_limit": Rule("efficiency", 30),
    "exponential_recursion": Rule("efficiency", 35),
    "cubic_or_worse": Rule("efficiency", 25),
    "quadratic": Rule("efficiency", 12),
    "linear_op_in_loop": Rule("efficiency", 8),
    "sort_in_loop": Rule("efficiency", 10),
    "string_concat_in_loop": Rule("efficiency", 10),
    "endl_in_loop": Rule("efficiency", 4),
    # code quality
    "unused_import": Rule("code_quality", 3),
    "unused_variable": Rule("code_quality", 3),
    "long_function": Rule("code_quality", 6),
    "deep_nesting": Rule("code_quality", 5),
    "magic_number": Rule("code_quality", 2),
    "swallowed_exception": Rule("code_quality", 6),
    "empty_catch": Rule("code_quality", 6),
    # best practices
    "bare_except": Rule("best_practices", 6),
    "shadowed_builtin": Rule("best_practices", 4),
    "global_statement": Rule("best_practices", 5),
    "wildcard_import": Rule("best_practices", 4),
    "none_comparison": Rule("best_practices", 3),
    "type_comparison": Rule("best_practices", 3),
    "range_len": Rule("best_practices", 2),
    "open_without_with": Rule("best_practices", 3),
    "bits_stdcpp": Rule("best_practices", 3),
    "using_namespace_std": Rule("best_practices", 3),
    "raw_new": Rule("best_practices", 6),
    "system_exit": Rule("best_practices", 6),
    "generic_catch": Rule("best_practices", 3),
    "loose_equality": Rule("best_practices", 4),
    "var_declaration": Rule("best_practices", 3),
    # security
    "eval_exec": Rule("security", 25),
    "shell_command": Rule("security", 20),
    "unsafe_deserialization": Rule("security", 10),
    "unsafe_c_string": Rule("security", 20),
}
