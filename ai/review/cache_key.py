"""Review cache keys: identical code up to comments and whitespace shares one review."""

from __future__ import annotations

import hashlib
import io
import re
import tokenize as pytokenize

from ai.review.analysis import family
from ai.review.tokens import tokenize

KEY_VERSION = "v1"
_SKIPPED = {pytokenize.COMMENT, pytokenize.NL, pytokenize.ENCODING, pytokenize.ENDMARKER}
_MARKERS = {pytokenize.INDENT: "<indent>", pytokenize.DEDENT: "<dedent>", pytokenize.NEWLINE: ";"}


def normalize_code(language: str, code: str) -> str:
    """Code with comments dropped and whitespace collapsed, keeping strings and Python blocks."""
    if family(language) == "python":
        return _normalize_python(code)
    tokens = tokenize(code, javascript=family(language) == "javascript")
    return " ".join(token.text for token in tokens)


def _normalize_python(code: str) -> str:
    try:
        tokens = list(pytokenize.generate_tokens(io.StringIO(code).readline))
    except (pytokenize.TokenError, IndentationError, SyntaxError):
        stripped = (re.sub(r"#[^\n]*", "", line).rstrip() for line in code.splitlines())
        return "\n".join(re.sub(r"(?<=\S)[ \t]+", " ", ln) for ln in stripped if ln.strip())
    parts = [_MARKERS.get(t.type, t.string) for t in tokens if t.type not in _SKIPPED]
    return " ".join(parts)


def review_cache_key(problem_id: str, language: str, code: str) -> str:
    """sha256 over the problem, the language and the normalised code."""
    material = "\0".join(
        (KEY_VERSION, problem_id, language.lower(), normalize_code(language, code))
    )
    return hashlib.sha256(material.encode("utf-8")).hexdigest()
