"""Loops, functions and complexity for C++, Java and JavaScript, read from the token stream."""

from __future__ import annotations

import itertools

import msgspec

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
from ai.review.python_complexity import describe, kind_of, lines
from ai.review.tokens import Token, match_brackets

_CONTROL = {"if", "for", "while", "switch", "catch", "synchronized", "return", "sizeof", "do"}
_QUALIFIERS = {"const", "noexcept", "override", "final", "mutable"}
_SEARCH_VARS = {"mid", "m", "middle", "lo", "hi", "low", "high", "left", "right", "l", "r"}
_SCANS = {"indexOf", "lastIndexOf", "includes", "shift", "unshift", "splice", "substring", "substr"}
_FREE_SCANS = {"find", "count"}
_CONTAINER_NAMES = (
    "vector unordered_map unordered_set map set multiset deque queue priority_queue stack "
    "HashMap HashSet TreeMap TreeSet ArrayList LinkedList ArrayDeque Map Set Array"
)
_CONTAINERS = set(_CONTAINER_NAMES.split())
_MEMO_HINTS = ("memo", "cache", "dp", "seen", "visited")


class Loop(msgspec.Struct):
    """A loop's token span (header keyword to end of body), its lines and its own factor."""

    start: int
    end: int
    line_start: int
    line_end: int
    factor: Cost
    cost: Cost = CONSTANT
    nest_line: int = 0


class Function(msgspec.Struct):
    """A function or method: name, body token span and lines."""

    name: str
    body_start: int
    body_end: int
    line_start: int
    line_end: int


class Structure(msgspec.Struct):
    """Everything the C-like rules need: tokens, bracket pairs, loops and functions."""

    tokens: list[Token]
    pairs: dict[int, int]
    loops: list[Loop]
    functions: list[Function]

    def in_loop(self, index: int) -> bool:
        return any(loop.start <= index <= loop.end for loop in self.loops)

    def text(self, index: int) -> str:
        return self.tokens[index].text if 0 <= index < len(self.tokens) else ""


def build_structure(tokens: list[Token]) -> Structure:
    """Find loops and functions, and give each loop the cost of its nest."""
    pairs = match_brackets(tokens)
    loops = _find_loops(tokens, pairs)
    _nest_costs(loops)
    return Structure(tokens, pairs, loops, _find_functions(tokens, pairs))


def _statement_end(tokens: list[Token], pairs: dict[int, int], start: int) -> int:
    index = start
    while index < len(tokens):
        text = tokens[index].text
        if text == ";" or (text == "}" and tokens[index].kind == "op"):
            return index
        if text == "{" and index in pairs:
            return pairs[index]
        index = pairs.get(index, index) + 1 if text in "([" else index + 1
    return len(tokens) - 1


def _body_end(tokens: list[Token], pairs: dict[int, int], start: int) -> int:
    if start >= len(tokens):
        return len(tokens) - 1
    if tokens[start].text == "{":
        return pairs.get(start, len(tokens) - 1)
    if tokens[start].text in ("for", "while") and start + 1 in pairs:
        return _body_end(tokens, pairs, pairs[start + 1] + 1)
    return _statement_end(tokens, pairs, start)


def _find_loops(tokens: list[Token], pairs: dict[int, int]) -> list[Loop]:
    loops: list[Loop] = []
    do_tails: set[int] = set()
    for index, token in enumerate(tokens):
        if token.kind != "id" or index in do_tails:
            continue
        if token.text == "do":
            end = _body_end(tokens, pairs, index + 1)
            if end + 1 < len(tokens) and tokens[end + 1].text == "while":
                do_tails.add(end + 1)
            loops.append(_loop(tokens, index, end, index + 1, end))
        elif token.text in ("for", "while") and index + 1 in pairs:
            close = pairs[index + 1]
            end = _body_end(tokens, pairs, close + 1)
            loops.append(_loop(tokens, index, end, index + 1, close))
    return loops


def _loop(tokens: list[Token], start: int, end: int, head: int, head_end: int) -> Loop:
    header = tokens[head : head_end + 1]
    body = tokens[start : end + 1]
    factor = _loop_factor(tokens[start].text, header, body)
    last = tokens[min(end, len(tokens) - 1)].line
    return Loop(start, end, tokens[start].line, last, factor)


def _loop_factor(keyword: str, header: list[Token], body: list[Token]) -> Cost:
    if _halves(header):
        return LOG
    if keyword == "for":
        return CONSTANT if _constant_bound(header) else LINEAR
    names = {t.text for t in header if t.kind == "id"}
    return LOG if names & _SEARCH_VARS and _halves_midpoint(body) else LINEAR


def _halves(tokens: list[Token]) -> bool:
    for first, second in itertools.pairwise(tokens):
        if first.text in ("/=", "*=") and second.text == "2":
            return True
        if first.text in (">>=", "<<=", ">>>=") and second.text == "1":
            return True
    return False


def _halves_midpoint(tokens: list[Token]) -> bool:
    pairs = itertools.pairwise(tokens)
    return any((a.text, b.text) in (("/", "2"), (">>", "1"), (">>>", "1")) for a, b in pairs)


def _constant_bound(header: list[Token]) -> bool:
    semis = [i for i, t in enumerate(header) if t.text == ";"]
    if len(semis) < 2:
        return False
    condition = header[semis[0] + 1 : semis[1]]
    comparison = [i for i, t in enumerate(condition) if t.text in ("<", "<=", ">", ">=", "!=")]
    return bool(comparison) and all(t.kind != "id" for t in condition[comparison[0] + 1 :])


def _nest_costs(loops: list[Loop]) -> None:
    stack: list[Loop] = []
    for loop in sorted(loops, key=lambda item: item.start):
        while stack and stack[-1].end < loop.start:
            stack.pop()
        outer = stack[-1].cost if stack else CONSTANT
        loop.cost = outer.times(loop.factor)
        loop.nest_line = stack[0].line_start if stack else loop.line_start
        stack.append(loop)


def _find_functions(tokens: list[Token], pairs: dict[int, int]) -> list[Function]:
    functions = []
    for index, token in enumerate(tokens):
        if token.text == "{" and index in pairs:
            name = _function_name(tokens, pairs, index)
            if name:
                end = pairs[index]
                functions.append(Function(name, index, end, token.line, tokens[end].line))
    return functions


def _function_name(tokens: list[Token], pairs: dict[int, int], brace: int) -> str:
    j = brace - 1
    while j > 0 and (tokens[j].text in _QUALIFIERS or _in_throws(tokens, j)):
        j -= 1
    if j > 0 and tokens[j].text == "=>":
        before = pairs.get(j - 1, j - 1) - 1 if tokens[j - 1].text == ")" else j - 2
        return tokens[before - 1].text if tokens[before].text == "=" and before > 0 else ""
    if j <= 0 or tokens[j].text != ")" or j not in pairs:
        return ""
    opener = pairs[j]
    name = tokens[opener - 1] if opener > 0 else None
    if name is None or name.kind != "id" or name.text in _CONTROL:
        return ""
    if name.text == "function":
        return tokens[opener - 3].text if opener >= 3 and tokens[opener - 2].text in "=:" else ""
    return "" if opener >= 2 and tokens[opener - 2].text == "new" else name.text


def _in_throws(tokens: list[Token], index: int) -> bool:
    j = index
    while j > 0 and (tokens[j].kind == "id" or tokens[j].text in (",", ".")):
        if tokens[j].text == "throws":
            return True
        j -= 1
    return False


def estimate_clike(structure: Structure) -> Estimate:
    """Estimate time from loop nests, scans, sorts and recursion; space from containers."""
    constructs = [_loop_construct(loop) for loop in structure.loops if loop.cost != CONSTANT]
    constructs += _call_constructs(structure)
    space, notes = _container_space(structure)
    for function in structure.functions:
        found = _recursion(structure, function)
        if found:
            constructs.append(found[0])
            space = max(space, found[1])
            notes.append(f"call stack of `{function.name}` ({found[1].label()})")
    return finish(constructs, space, notes)


def _loop_construct(loop: Loop) -> Construct:
    note = f"{describe(loop.cost)} ({lines(loop.nest_line, loop.line_end)})"
    return Construct(kind_of(loop.cost), loop.cost, loop.nest_line, loop.line_end, note)


def _cost_at(structure: Structure, index: int) -> Cost:
    inside = [loop.cost for loop in structure.loops if loop.start < index <= loop.end]
    return max(inside, default=CONSTANT)


def _call_constructs(structure: Structure) -> list[Construct]:
    found = []
    for index, token in enumerate(structure.tokens):
        if token.kind != "id" or structure.text(index + 1) != "(":
            continue
        cost, line = _cost_at(structure, index), token.line
        if token.text == "sort":
            in_loop = cost != CONSTANT
            kind = "sort_in_loop" if in_loop else "sort"
            note = f"sorting{' inside a loop' if in_loop else ''} (line {line})"
            found.append(Construct(kind, cost.times(N_LOG_N), line, line, note))
        elif cost != CONSTANT and _is_scan(token.text, structure.text(index - 1)):
            note = f"`{token.text}()` scanning inside a loop (line {line})"
            found.append(Construct("linear_op_in_loop", cost.times(LINEAR), line, line, note))
    return found


def _is_scan(name: str, before: str) -> bool:
    return (name in _SCANS and before == ".") or (name in _FREE_SCANS and before in ("::", "("))


def _container_space(structure: Structure) -> tuple[Cost, list[str]]:
    sizes = [_container_size(structure, index) for index in range(len(structure.tokens))]
    found = sorted((size for size in sizes if size), key=lambda pair: pair[0], reverse=True)
    if not found:
        return CONSTANT, []
    return found[0][0], [note for _, note in found[:2]]


def _container_size(structure: Structure, index: int) -> tuple[Cost, str] | None:
    token, text = structure.tokens[index], structure.text
    if token.kind == "id" and token.text in _CONTAINERS and text(index - 1) != ".":
        nested = any(t.text in _CONTAINERS for t in structure.tokens[index + 1 : index + 4])
        size = Cost(degree=2) if nested else LINEAR
        return size, f"`{token.text}` of {size.label()} items (line {token.line})"
    if token.text == "new" and text(index + 2) == "[":
        close = structure.pairs.get(index + 2, index + 2)
        if close == index + 4 and structure.tokens[index + 3].kind == "num":
            return None
        size = Cost(degree=2) if text(close + 1) == "[" else LINEAR
        return size, f"an array of {size.label()} items (line {token.line})"
    empty = text(index + 1) == "=" and (text(index + 2), text(index + 3)) in (
        ("[", "]"),
        ("{", "}"),
    )
    if token.kind == "id" and empty and _grown_in_loop(structure, token.text):
        return LINEAR, f"`{token.text}` grows inside a loop (line {token.line})"
    return None


def _grown_in_loop(structure: Structure, name: str) -> bool:
    for index, token in enumerate(structure.tokens):
        if token.text != name or not structure.in_loop(index):
            continue
        method = structure.text(index + 2) if structure.text(index + 1) == "." else ""
        if method in ("push", "add", "set", "put", "unshift") or structure.text(index + 1) == "[":
            return True
    return False


def _recursion(structure: Structure, function: Function) -> tuple[Construct, Cost] | None:
    calls = _self_calls(structure, function)
    if not calls:
        return None
    body = structure.tokens[function.body_start : function.body_end + 1]
    memoised = any(h in t.text.lower() for t in body if t.kind == "id" for h in _MEMO_HINTS)
    in_loop = any(structure.in_loop(i) and _cost_at(structure, i) != CONSTANT for i in calls)
    halving = any(_halving_args(structure, i) for i in calls)
    inside = (
        loop for loop in structure.loops if function.body_start < loop.start < function.body_end
    )
    inner = [loop.cost for loop in inside]
    cost, space, note = recursion_cost(
        len(calls) + int(in_loop), memoised, halving, max(inner, default=CONSTANT)
    )
    line = structure.tokens[calls[0]].line
    text = f"{note.format(function.name)} (line {line})"
    return Construct(kind_of(cost), cost, function.line_start, line, text), space


def _self_calls(structure: Structure, function: Function) -> list[int]:
    calls = []
    for index in range(function.body_start + 1, function.body_end):
        token = structure.tokens[index]
        if token.text != function.name or structure.text(index + 1) != "(":
            continue
        before = structure.text(index - 1)
        if before in ("new", "function") or (before == "." and structure.text(index - 2) != "this"):
            continue
        calls.append(index)
    return calls


def _halving_args(structure: Structure, call: int) -> bool:
    close = structure.pairs.get(call + 1, call + 1)
    args = structure.tokens[call + 1 : close + 1]
    return _halves_midpoint(args) or any(t.text == "mid" for t in args)
