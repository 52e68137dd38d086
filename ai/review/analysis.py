"""Static analysis entry point: language dispatch, complexity findings and code strengths."""

from __future__ import annotations

import ast

import msgspec

from ai.review.clike_rules import lint_clike
from ai.review.clike_structure import Structure, build_structure, estimate_clike
from ai.review.complexity import HINTS, Estimate, leading
from ai.review.findings import Finding
from ai.review.python_complexity import all_nodes, estimate_python
from ai.review.python_lint import lint_python
from ai.review.tokens import tokenize

_HASH_TYPES = {"unordered_map", "unordered_set", "HashMap", "HashSet", "Map", "Set", "map", "set"}


class Analysis(msgspec.Struct):
    """What static analysis found: findings, the complexity estimate and true positive facts."""

    language: str
    findings: list[Finding]
    estimate: Estimate
    strengths: list[str]
    parsed: bool = True


def family(language: str) -> str:
    """Map a judge language id (python3.10, cpp17, java17, javascript) to an analyser family."""
    lowered = language.lower()
    if lowered.startswith("py"):
        return "python"
    if lowered.startswith(("javascript", "js", "node", "typescript")):
        return "javascript"
    if lowered.startswith("java"):
        return "java"
    return "cpp"


def analyze(language: str, code: str) -> Analysis:
    """Run the analyser for the language's family."""
    kind = family(language)
    return analyze_python(code) if kind == "python" else analyze_clike(code, kind)


def analyze_python(code: str) -> Analysis:
    try:
        tree = ast.parse(code)
    except SyntaxError as exc:
        line = exc.lineno or 1
        finding = Finding("syntax_error", f"SyntaxError: {exc.msg} (line {line})", line, line)
        return Analysis("python", [finding], Estimate(known=False), [], parsed=False)
    estimate, hashes = estimate_python(tree)
    findings = lint_python(tree) + complexity_findings(estimate)
    strengths = efficiency_strengths(estimate) + _python_strengths(tree, hashes)
    strengths += hygiene_strengths(findings)
    return Analysis("python", findings, estimate, strengths)


def analyze_clike(code: str, kind: str) -> Analysis:
    structure = build_structure(tokenize(code, javascript=kind == "javascript"))
    estimate = estimate_clike(structure)
    findings = lint_clike(structure, kind) + complexity_findings(estimate)
    strengths = efficiency_strengths(estimate) + _clike_strengths(structure, kind)
    strengths += hygiene_strengths(findings)
    return Analysis(kind, findings, estimate, strengths)


def complexity_findings(estimate: Estimate) -> list[Finding]:
    """Efficiency findings for the costly constructs, each with a concrete hint."""
    findings = []
    for construct in leading(estimate.constructs):
        cost, hint = construct.cost, HINTS[construct.kind]
        rule = ""
        if cost.exponential:
            rule = "exponential_recursion"
        elif construct.kind in ("linear_op_in_loop", "sort_in_loop"):
            rule = construct.kind
        elif cost.degree >= 3:
            rule = "cubic_or_worse"
        elif cost.degree == 2 and construct.kind == "nested_loops":
            rule = "quadratic"
        if rule:
            message = f"{construct.note} costs {cost.label()}: {hint}"
            findings.append(Finding(rule, message, construct.line_start, construct.line_end))
    return findings


def efficiency_strengths(estimate: Estimate) -> list[str]:
    time = estimate.time
    if estimate.known and not time.exponential and time.degree <= 1 and estimate.constructs:
        return [f"Efficient {time.label()} time: {leading(estimate.constructs)[0].note}"]
    return []


def hygiene_strengths(findings: list[Finding]) -> list[str]:
    dimensions = {f.dimension for f in findings}
    strengths = []
    if "security" not in dimensions:
        strengths.append("No unsafe calls (eval, shell commands, unbounded buffers)")
    if "code_quality" not in dimensions:
        strengths.append("Tidy code: no unused names, long functions or deep nesting")
    return strengths


def _python_strengths(tree: ast.Module, hashes: set[str]) -> list[str]:
    strengths = []
    if hashes:
        names = ", ".join(f"`{name}`" for name in sorted(hashes)[:2])
        strengths.append(f"Uses hash-based containers ({names}) for O(1) lookups")
    functions = [n for n in all_nodes(tree) if isinstance(n, ast.FunctionDef)]
    if functions and all(f.returns is not None for f in functions):
        strengths.append("Type hints on every function signature")
    calls = (n for n in all_nodes(tree) if isinstance(n, ast.Call))
    called = {c.func.id for c in calls if isinstance(c.func, ast.Name)}
    if called & {"enumerate", "zip"}:
        strengths.append("Idiomatic iteration with `enumerate()`/`zip()`")
    return strengths


def _clike_strengths(structure: Structure, kind: str) -> list[str]:
    words = {t.text for t in structure.tokens if t.kind == "id"}
    strengths = []
    hashes = sorted(words & _HASH_TYPES)
    if hashes:
        strengths.append(f"Uses `{hashes[0]}` for fast lookups")
    if kind == "javascript" and "var" not in words and words & {"const", "let"}:
        strengths.append("Block-scoped declarations with `const`/`let`")
    if kind == "cpp" and "sync_with_stdio" in words:
        strengths.append("Fast I/O with `ios::sync_with_stdio(false)`")
    if kind == "java" and words & {"BufferedReader", "StringBuilder"}:
        strengths.append("Buffered I/O / `StringBuilder` for output")
    return strengths
