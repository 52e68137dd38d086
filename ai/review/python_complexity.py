"""Time and space estimates for Python code from its ast: loops, scans, sorts and recursion."""

from __future__ import annotations

import ast

from ai.review.complexity import (
    CONSTANT,
    LINEAR,
    LOG,
    N_LOG_N,
    Construct,
    Cost,
    Estimate,
    finish,
    recursion_cost,
)

_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
_LINEAR_METHODS = {"index", "count", "remove"}
_FRONT_METHODS = {"insert", "pop"}
_HASH_FACTORIES = {"dict", "set", "defaultdict", "Counter", "OrderedDict", "frozenset"}
_LIST_FACTORIES = {"list", "deque", "bytearray", "array", "sorted", "tuple"}
_GROW_METHODS = {"append", "add", "extend", "appendleft", "insert", "setdefault", "update", "push"}
_MEMO_HINTS = ("memo", "cache", "dp", "seen", "visited")


def all_nodes(tree: ast.AST) -> list[ast.AST]:
    """Every node under tree, walked once and cached on the tree (the checks share it)."""
    cached: list[ast.AST] | None = getattr(tree, "_codequest_nodes", None)
    if cached is None:
        cached = list(ast.walk(tree))
        tree._codequest_nodes = cached  # type: ignore[attr-defined]
    return cached


def kind_of(cost: Cost) -> str:
    """The HINTS key that describes a loop nest of this cost."""
    if cost.exponential:
        return "exponential"
    if cost.degree >= 2:
        return "nested_loops"
    return "linear" if cost.degree == 1 else ("log" if cost.log_power else "constant")


def describe(cost: Cost) -> str:
    if cost.degree >= 2:
        return f"{cost.degree} nested loops over the input"
    if cost.degree == 1 and cost.log_power:
        return "a loop with a halving loop inside"
    return "a single pass over the input" if cost.degree == 1 else "a halving loop"


def lines(first: int, last: int) -> str:
    return f"line {first}" if first == last else f"lines {first}-{last}"


def _is_constant_iterable(node: ast.expr) -> bool:
    if isinstance(node, ast.Constant | ast.List | ast.Tuple | ast.Set):
        return all(isinstance(e, ast.Constant) for e in getattr(node, "elts", []))
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "range":
        return all(isinstance(a, ast.Constant) for a in node.args)
    return False


def _halves(node: ast.AST) -> bool:
    for sub in ast.walk(node):
        if isinstance(sub, ast.AugAssign | ast.BinOp) and isinstance(sub.op, _HALVING_OPS):
            value = sub.value if isinstance(sub, ast.AugAssign) else sub.right
            if isinstance(value, ast.Constant) and value.value in (1, 2):
                return True
    return False


_HALVING_OPS = (ast.FloorDiv, ast.Div, ast.RShift, ast.Mult, ast.LShift)


def loop_factor(node: ast.For | ast.AsyncFor | ast.While | ast.comprehension) -> Cost:
    if isinstance(node, ast.While):
        return LOG if _halves(node) else LINEAR
    return CONSTANT if _is_constant_iterable(node.iter) else LINEAR


def is_worklist(node: ast.AST) -> bool:
    """`while queue:` that pops from queue: a BFS/DFS frontier, each node handled once."""
    if not isinstance(node, ast.While) or not isinstance(node.test, ast.Name):
        return False
    name = node.test.id
    for sub in ast.walk(node):
        if isinstance(sub, ast.Call) and _call_name(sub) in ("popleft", "pop", "heappop"):
            target = sub.func.value if isinstance(sub.func, ast.Attribute) else None
            args = [a for a in sub.args if isinstance(a, ast.Name)]
            if (isinstance(target, ast.Name) and target.id == name) or any(
                a.id == name for a in args
            ):
                return True
    return False


def _call_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else ""


class _TimeWalker:
    """Walks one scope, carrying the cost of the enclosing loops."""

    def __init__(self, list_names: set[str]) -> None:
        self.list_names = list_names
        self.constructs: list[Construct] = []
        self._worklist = False

    def walk(self, node: ast.AST, cost: Cost, nest_start: int) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, _SCOPES):
                continue
            if isinstance(child, ast.For | ast.AsyncFor | ast.While):
                self._loop(child, cost, nest_start)
                continue
            if isinstance(child, _COMPREHENSIONS):
                self._comprehension(child, cost, nest_start)
                continue
            self._inspect(child, cost)
            self.walk(child, cost, nest_start)

    def _loop(self, node: ast.For | ast.AsyncFor | ast.While, cost: Cost, nest_start: int) -> None:
        factor = loop_factor(node)
        if self._worklist and isinstance(node, ast.For) and isinstance(node.iter, ast.Subscript):
            factor = CONSTANT  # edges of a BFS/DFS node: O(V + E) over the whole worklist loop
        inner = cost.times(factor)
        start = nest_start if cost != CONSTANT else node.lineno
        self._record(inner, start, node.end_lineno or node.lineno)
        self._inspect(node.iter if not isinstance(node, ast.While) else node.test, cost)
        outer, self._worklist = self._worklist, self._worklist or is_worklist(node)
        self.walk(node, inner, start)
        self._worklist = outer

    def _comprehension(self, node: ast.expr, cost: Cost, nest_start: int) -> None:
        inner = cost
        for generator in node.generators:  # type: ignore[attr-defined]
            inner = inner.times(loop_factor(generator))
        start = nest_start if cost != CONSTANT else node.lineno
        self._record(inner, start, node.end_lineno or node.lineno)
        self.walk(node, inner, start)

    def _record(self, cost: Cost, first: int, last: int) -> None:
        if cost != CONSTANT:
            note = f"{describe(cost)} ({lines(first, last)})"
            self.constructs.append(Construct(kind_of(cost), cost, first, last, note))

    def _inspect(self, node: ast.AST, cost: Cost) -> None:
        if isinstance(node, ast.Call) and _call_name(node) in ("sorted", "sort"):
            kind = "sort_in_loop" if cost != CONSTANT else "sort"
            where = "inside a loop" if cost != CONSTANT else ""
            note = f"sorting {where} (line {node.lineno})".replace("  ", " ")
            self.constructs.append(
                Construct(kind, cost.times(N_LOG_N), node.lineno, node.lineno, note)
            )
        elif cost != CONSTANT and (scan := self._hidden_scan(node)):
            line = getattr(node, "lineno", 0)
            note = f"{scan} inside a loop (line {line})"
            self.constructs.append(
                Construct("linear_op_in_loop", cost.times(LINEAR), line, line, note)
            )

    def _hidden_scan(self, node: ast.AST) -> str:
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            name = node.func.attr
            front = node.args and isinstance(node.args[0], ast.Constant) and node.args[0].value == 0
            if name in _LINEAR_METHODS or (name in _FRONT_METHODS and front):
                return f"`.{name}()` scanning the list"
        if isinstance(node, ast.Compare) and isinstance(node.ops[0], ast.In | ast.NotIn):
            right = node.comparators[0]
            if isinstance(right, ast.Name) and right.id in self.list_names:
                return f"`in {right.id}` scanning a list"
        is_slice = isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Slice)
        if is_slice and node.slice.upper is None and node.slice.lower is not None:  # type: ignore[attr-defined]
            return "a slice copy"
        return ""


def _self_calls(func: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.Call]:
    calls = []
    for node in ast.walk(func):
        if not isinstance(node, ast.Call):
            continue
        target = node.func
        by_name = isinstance(target, ast.Name) and target.id == func.name
        by_self = (
            isinstance(target, ast.Attribute)
            and target.attr == func.name
            and isinstance(target.value, ast.Name)
            and target.value.id == "self"
        )
        if by_name or by_self:
            calls.append(node)
    return calls


def _is_memoised(func: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    for decorator in func.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
        if name in ("cache", "lru_cache", "cached"):
            return True
    names = {n.id.lower() for n in ast.walk(func) if isinstance(n, ast.Name)}
    return any(hint in name for name in names for hint in _MEMO_HINTS)


def _calls_in_loop(func: ast.AST, calls: list[ast.Call]) -> bool:
    call_ids = {id(c) for c in calls}
    for loop in ast.walk(func):
        is_loop = isinstance(loop, ast.For | ast.While | ast.AsyncFor)
        if is_loop and any(id(n) in call_ids for n in ast.walk(loop)):
            return True
    return False


def recursion_construct(
    func: ast.FunctionDef | ast.AsyncFunctionDef, body: Cost
) -> tuple[Construct, Cost] | None:
    """The cost of a function that calls itself, and the stack space it needs."""
    calls = _self_calls(func)
    if not calls:
        return None
    branches = len(calls) + (1 if _calls_in_loop(func, calls) else 0)
    halving = any(_halves(arg) or isinstance(arg, ast.Subscript) for c in calls for arg in c.args)
    cost, space, note = recursion_cost(branches, _is_memoised(func), halving, body)
    line = calls[0].lineno
    note = note.format(func.name)
    kind = kind_of(cost)
    return Construct(kind, cost, func.lineno, line, f"{note} (line {line})"), space


def _collect_names(tree: ast.AST) -> tuple[set[str], set[str]]:
    """Names bound to lists and names bound to hash containers anywhere in the module."""
    lists: set[str] = set()
    hashes: set[str] = set()
    for node in all_nodes(tree):
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = {t.id for t in targets if isinstance(t, ast.Name)}
            if _is_list_value(node.value):
                lists |= names
            elif _is_hash_value(node.value):
                hashes |= names
    return lists, hashes


def _is_list_value(value: ast.expr) -> bool:
    if isinstance(value, ast.List | ast.ListComp):
        return True
    if isinstance(value, ast.BinOp) and isinstance(value.left, ast.List):
        return True
    return isinstance(value, ast.Call) and _call_name(value) in _LIST_FACTORIES


def _is_hash_value(value: ast.expr) -> bool:
    if isinstance(value, ast.Dict | ast.Set | ast.DictComp | ast.SetComp):
        return True
    return isinstance(value, ast.Call) and _call_name(value) in _HASH_FACTORIES


def estimate_python(tree: ast.Module) -> tuple[Estimate, set[str]]:
    """Estimate time and space; also return the names of hash containers the code builds."""
    lists, hashes = _collect_names(tree)
    constructs: list[Construct] = []
    space, space_notes = _space(tree, lists | hashes)
    walker = _TimeWalker(lists)
    walker.walk(tree, CONSTANT, 0)
    constructs.extend(walker.constructs)
    for func in all_nodes(tree):
        if isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
            inner = _TimeWalker(lists)
            inner.walk(func, CONSTANT, 0)
            constructs.extend(inner.constructs)
            body = max((c.cost for c in inner.constructs), default=CONSTANT)
            found = recursion_construct(func, body)
            if found:
                constructs.append(found[0])
                space = max(space, found[1])
                space_notes.append(f"call stack of `{func.name}` ({found[1].label()})")
    return finish(constructs, space, space_notes), hashes


def _space(tree: ast.Module, containers: set[str]) -> tuple[Cost, list[str]]:
    grown = _grown_in_loops(tree)
    cost, notes = CONSTANT, []
    for node in all_nodes(tree):
        if not isinstance(node, ast.Assign | ast.AnnAssign) or node.value is None:
            continue
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for target in targets:
            if isinstance(target, ast.Name) and target.id in containers:
                size = _container_size(node.value, target.id in grown)
                if size != CONSTANT:
                    cost = max(cost, size)
                    notes.append(f"`{target.id}` holds {size.label()} items (line {node.lineno})")
    return cost, notes


def _container_size(value: ast.expr, grown: bool) -> Cost:
    if isinstance(value, ast.ListComp) and _is_list_value(value.elt):
        return Cost(degree=2)
    if isinstance(value, _COMPREHENSIONS):
        factors = [loop_factor(g) for g in value.generators]
        return max(factors, default=CONSTANT)
    if isinstance(value, ast.BinOp) and not isinstance(value.right, ast.Constant):
        return LINEAR
    if isinstance(value, ast.Call) and value.args:
        return LINEAR
    return LINEAR if grown else CONSTANT


def _grown_in_loops(tree: ast.Module) -> set[str]:
    grown: set[str] = set()
    for loop in all_nodes(tree):
        if not isinstance(loop, ast.For | ast.While | ast.AsyncFor):
            continue
        for node in ast.walk(loop):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                if node.func.attr in _GROW_METHODS and isinstance(node.func.value, ast.Name):
                    grown.add(node.func.value.id)
            elif isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Store):
                grown.add(node.value.id if isinstance(node.value, ast.Name) else "")
    return grown
