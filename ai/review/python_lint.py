"""Lint and security findings for Python code, read from its ast."""

from __future__ import annotations

import ast
import builtins
from collections.abc import Callable, Iterator

from ai.review.findings import Finding
from ai.review.python_complexity import all_nodes, lines

LONG_FUNCTION_LINES = 40
MAX_NESTING = 4
_ALLOWED_NUMBERS = {0, 1, -1, 2, 10, 100}
_SHADOWABLE_NAMES = (
    "list dict set str int float tuple bool bytes sum max min len id input type map filter range "
    "object iter next all any sorted zip open format hash print pow abs round vars dir"
)
_SHADOWABLE = set(_SHADOWABLE_NAMES.split())
_SHELL_CALLS = {("os", "system"), ("os", "popen")}
_DESERIALIZERS = {("pickle", "loads"), ("pickle", "load"), ("marshal", "loads")}
_BLOCKS = (ast.If, ast.For, ast.While, ast.With, ast.Try, ast.AsyncFor, ast.AsyncWith)
_FUNCS = (ast.FunctionDef, ast.AsyncFunctionDef)

Check = Callable[[ast.Module], Iterator[Finding]]


def _at(rule: str, node: ast.AST, message: str, suggested: str | None = None) -> Finding:
    first = getattr(node, "lineno", 0)
    return Finding(rule, message, first, getattr(node, "end_lineno", first) or first, suggested)


def _dotted(node: ast.expr) -> tuple[str, str]:
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return node.value.id, node.attr
    return ("", node.id) if isinstance(node, ast.Name) else ("", "")


def check_unused_imports(tree: ast.Module) -> Iterator[Finding]:
    used = {n.id for n in all_nodes(tree) if isinstance(n, ast.Name)}
    for node in all_nodes(tree):
        if isinstance(node, ast.Import | ast.ImportFrom) and getattr(node, "module", "") != (
            "__future__"
        ):
            for alias in node.names:
                name = (alias.asname or alias.name).split(".")[0]
                if name != "*" and name not in used:
                    yield _at("unused_import", node, f"`{name}` is imported but never used")


def check_unused_variables(tree: ast.Module) -> Iterator[Finding]:
    for func in (n for n in all_nodes(tree) if isinstance(n, _FUNCS)):
        loaded = {n.id for n in ast.walk(func) if isinstance(n, ast.Name) and _loads(n)}
        nonlocal_names = {
            name
            for n in ast.walk(func)
            if isinstance(n, ast.Global | ast.Nonlocal)
            for name in n.names
        }
        reported: set[str] = set()
        for node in ast.walk(func):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                name = node.id
                if name in loaded or name in nonlocal_names or name.startswith("_"):
                    continue
                if name not in reported:
                    reported.add(name)
                    yield _at(
                        "unused_variable",
                        node,
                        f"`{name}` in `{func.name}` is assigned but "
                        "never read; drop it or name it `_`",
                    )


def _loads(node: ast.Name) -> bool:
    return isinstance(node.ctx, ast.Load | ast.Del)


def check_shadowed_builtins(tree: ast.Module) -> Iterator[Finding]:
    seen: set[str] = set()
    for node in all_nodes(tree):
        names: list[str] = []
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names = [node.id]
        elif isinstance(node, ast.arg):
            names = [node.arg]
        elif isinstance(node, (*_FUNCS, ast.ClassDef)):
            names = [node.name]
        for name in names:
            if name in _SHADOWABLE and name not in seen and hasattr(builtins, name):
                seen.add(name)
                yield _at(
                    "shadowed_builtin",
                    node,
                    f"`{name}` shadows the builtin `{name}()`; pick a descriptive name",
                )


def check_excepts(tree: ast.Module) -> Iterator[Finding]:
    for node in all_nodes(tree):
        if not isinstance(node, ast.ExceptHandler):
            continue
        if node.type is None:
            yield _at(
                "bare_except",
                node,
                "bare `except:` also catches KeyboardInterrupt and "
                "SystemExit; catch the specific exception",
                "except ValueError:",
            )
        if all(isinstance(s, ast.Pass | ast.Continue) or _is_ellipsis(s) for s in node.body):
            yield _at("swallowed_exception", node, "the exception is silently ignored")


def _is_ellipsis(stmt: ast.stmt) -> bool:
    return isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant)


def check_mutable_defaults(tree: ast.Module) -> Iterator[Finding]:
    for func in (n for n in all_nodes(tree) if isinstance(n, _FUNCS)):
        defaults = func.args.defaults + [d for d in func.args.kw_defaults if d is not None]
        for default in defaults:
            mutable = isinstance(default, ast.List | ast.Dict | ast.Set)
            if isinstance(default, ast.Call) and _dotted(default.func)[1] in (
                "list",
                "dict",
                "set",
            ):
                mutable = True
            if mutable:
                yield _at(
                    "mutable_default",
                    default,
                    f"mutable default argument in `{func.name}` is shared between calls",
                    "def f(items=None):\n    items = items or []",
                )


def check_long_functions(tree: ast.Module) -> Iterator[Finding]:
    for func in (n for n in all_nodes(tree) if isinstance(n, _FUNCS)):
        length = (func.end_lineno or func.lineno) - func.lineno + 1
        if length > LONG_FUNCTION_LINES:
            yield _at(
                "long_function",
                func,
                f"`{func.name}` is {length} lines long; split it into "
                f"helpers of at most {LONG_FUNCTION_LINES} lines",
            )


def check_nesting(tree: ast.Module) -> Iterator[Finding]:
    def depth_of(node: ast.AST, depth: int) -> Iterator[tuple[ast.AST, int]]:
        for child in ast.iter_child_nodes(node):
            inner = depth + 1 if isinstance(child, _BLOCKS) else depth
            yield child, inner
            yield from depth_of(child, 0 if isinstance(child, _FUNCS) else inner)

    deepest = max(depth_of(tree, 0), key=lambda pair: pair[1], default=None)
    if deepest and deepest[1] > MAX_NESTING:
        node, depth = deepest
        where = lines(getattr(node, "lineno", 0), getattr(node, "lineno", 0))
        message = f"blocks nest {depth} levels deep ({where}); use early returns or a helper"
        yield _at("deep_nesting", node, message)


def check_globals(tree: ast.Module) -> Iterator[Finding]:
    for node in all_nodes(tree):
        if isinstance(node, ast.Global):
            names = ", ".join(node.names)
            yield _at("global_statement", node, f"`global {names}`; pass values in and return them")


def check_security(tree: ast.Module) -> Iterator[Finding]:
    for node in all_nodes(tree):
        if not isinstance(node, ast.Call):
            continue
        owner, name = _dotted(node.func)
        if not owner and name in ("eval", "exec", "__import__"):
            yield _at(
                "eval_exec",
                node,
                f"`{name}()` runs arbitrary code; parse input with "
                "`int()`/`split()` or `ast.literal_eval`",
            )
        elif (owner, name) in _SHELL_CALLS or _is_shell_subprocess(node, owner):
            yield _at(
                "shell_command",
                node,
                "shell command execution; a judge solution never "
                "needs a shell, and shell strings allow injection",
            )
        elif (owner, name) in _DESERIALIZERS:
            yield _at(
                "unsafe_deserialization",
                node,
                f"`{owner}.{name}` can execute code from untrusted data",
            )


def _is_shell_subprocess(node: ast.Call, owner: str) -> bool:
    shell = any(
        k.arg == "shell" and isinstance(k.value, ast.Constant) and k.value.value
        for k in node.keywords
    )
    return owner == "subprocess" and shell


def check_comparisons(tree: ast.Module) -> Iterator[Finding]:
    for node in all_nodes(tree):
        if not isinstance(node, ast.Compare) or not isinstance(node.ops[0], ast.Eq | ast.NotEq):
            continue
        right, left = node.comparators[0], node.left
        if isinstance(right, ast.Constant) and right.value is None:
            yield _at(
                "none_comparison",
                node,
                "compare with None using `is` / `is not`",
                "if value is None:",
            )
        elif isinstance(left, ast.Call) and _dotted(left.func)[1] == "type":
            yield _at("type_comparison", node, "use `isinstance()` rather than `type(x) ==`")


def check_range_len(tree: ast.Module) -> Iterator[Finding]:
    for node in all_nodes(tree):
        if isinstance(node, ast.For) and isinstance(node.iter, ast.Call):
            call = node.iter
            is_range = _dotted(call.func)[1] == "range" and len(call.args) == 1
            arg = call.args[0] if call.args else None
            if is_range and isinstance(arg, ast.Call) and _dotted(arg.func)[1] == "len":
                yield _at(
                    "range_len",
                    node.iter,
                    "`for i in range(len(xs))`: use `for i, x in enumerate(xs)`",
                    "for i, x in enumerate(xs):",
                )


def check_open(tree: ast.Module) -> Iterator[Finding]:
    in_with = {
        id(item.context_expr)
        for n in all_nodes(tree)
        if isinstance(n, ast.With | ast.AsyncWith)
        for item in n.items
    }
    for node in all_nodes(tree):
        is_open = isinstance(node, ast.Call) and _dotted(node.func) == ("", "open")
        if is_open and id(node) not in in_with:
            yield _at("open_without_with", node, "open files in a `with` block so they close")


def check_wildcards(tree: ast.Module) -> Iterator[Finding]:
    for node in all_nodes(tree):
        if isinstance(node, ast.ImportFrom) and any(a.name == "*" for a in node.names):
            yield _at(
                "wildcard_import",
                node,
                f"`from {node.module} import *` hides where names come from",
            )


def check_magic_numbers(tree: ast.Module) -> Iterator[Finding]:
    named = _named_constant_ids(tree)
    magic: dict[object, list[int]] = {}
    constants = (n for n in all_nodes(tree) if isinstance(n, ast.Constant))
    for node in constants:
        is_number = type(node.value) in (int, float)
        if is_number and node.value not in _ALLOWED_NUMBERS and id(node) not in named:
            magic.setdefault(node.value, []).append(node.lineno)
    if magic:
        shown = sorted(magic.items(), key=lambda kv: kv[1][0])[:4]
        first = shown[0][1][0]
        values = ", ".join(f"{value!r} (line {where[0]})" for value, where in shown)
        yield Finding(
            "magic_number",
            f"magic numbers {values}: give them names such as `MOD = 10**9 + 7`",
            first,
            first,
        )


def _named_constant_ids(tree: ast.Module) -> set[int]:
    ids: set[int] = set()
    for node in tree.body:
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if all(isinstance(t, ast.Name) and t.id.isupper() for t in targets):
                ids |= {id(n) for n in ast.walk(node.value)}
    for sub in all_nodes(tree):
        if isinstance(sub, ast.Subscript | ast.arguments):
            ids |= {id(n) for n in ast.walk(sub)}
    return ids


CHECKS: tuple[Check, ...] = (
    *(check_unused_imports, check_unused_variables, check_shadowed_builtins, check_excepts),
    *(check_mutable_defaults, check_long_functions, check_nesting, check_globals),
    *(check_security, check_comparisons, check_range_len, check_open, check_wildcards),
    check_magic_numbers,
)


def lint_python(tree: ast.Module) -> list[Finding]:
    """Every finding from every check, in source order."""
    findings = [finding for check in CHECKS for finding in check(tree)]
    return sorted(findings, key=lambda f: (f.line_start, f.rule))
