"""A small tokenizer for C++, Java and JavaScript: drops comments, keeps strings whole."""

from __future__ import annotations

import re
from typing import NamedTuple

_PATTERNS = [
    ("ws", r"[ \t\r\f\v]+"),
    ("nl", r"\n"),
    ("comment", r"//[^\n]*|/\*[\s\S]*?(?:\*/|\Z)"),
    ("pre", r"#[^\n]*"),
    ("str", r'"(?:\\.|[^"\\\n])*"?|\'(?:\\.|[^\'\\\n])*\'?|`(?:\\[\s\S]|[^`\\])*`?'),
    ("num", r"\d[\w.']*|\.\d[\w]*"),
    ("id", r"[A-Za-z_$][\w$]*"),
    ("op", r">>>=|===|!==|<<=|>>=|>>>|\.\.\.|->|::|=>|\+\+|--|&&|\|\||==|!=|<=|>=|[-+*/%&|^]="),
    ("op", r"<<|>>|[^\s]"),
]
_MASTER = re.compile("|".join(f"(?P<{k}{i}>{p})" for i, (k, p) in enumerate(_PATTERNS)))
_REGEX_LITERAL = re.compile(r"/(?:\\.|\[(?:\\.|[^\]\\\n])*\]|[^/\\\n])+/[a-z]*")
_REGEX_AFTER = set("(,=:[!&|?{};+-*%<>~^") | {"return", "typeof", "case", "=>", "==", "==="}


class Token(NamedTuple):
    """kind is id, num, str, op or pre (a preprocessor line); line is 1-based."""

    kind: str
    text: str
    line: int


def tokenize(code: str, javascript: bool = False) -> list[Token]:
    """Split code into tokens, dropping whitespace and comments."""
    tokens: list[Token] = []
    pos, line = 0, 1
    while pos < len(code):
        if javascript and code[pos] == "/" and _regex_allowed(tokens):
            literal = _REGEX_LITERAL.match(code, pos)
            if literal:
                tokens.append(Token("str", literal.group(), line))
                pos = literal.end()
                continue
        match = _MASTER.match(code, pos)
        if match is None:  # pragma: no cover - the last pattern matches any non-space
            break
        kind = (match.lastgroup or "op").rstrip("0123456789")
        text = match.group()
        end = match.end()
        if kind == "pre" and tokens and tokens[-1].line == line:
            kind, text, end = "op", "#", pos + 1  # only a line-leading # is a directive
        if kind not in ("ws", "nl", "comment"):
            tokens.append(Token(kind, text, line))
        line += text.count("\n")
        pos = end
    return tokens


def _regex_allowed(tokens: list[Token]) -> bool:
    return not tokens or tokens[-1].text in _REGEX_AFTER


def match_brackets(tokens: list[Token]) -> dict[int, int]:
    """Map each opening bracket's index to its closing bracket's index, and back."""
    pairs: dict[int, int] = {}
    stack: list[int] = []
    closers = {")": "(", "]": "[", "}": "{"}
    for index, token in enumerate(tokens):
        if token.kind != "op":
            continue
        if token.text in "([{":
            stack.append(index)
        elif token.text in closers:
            while stack and tokens[stack[-1]].text != closers[token.text]:
                stack.pop()
            if stack:
                opener = stack.pop()
                pairs[opener], pairs[index] = index, opener
    return pairs
