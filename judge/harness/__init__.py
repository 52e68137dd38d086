"""Function-signature harnesses: wrap a learner's function in a generated JSON main."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from judge.grading import HarnessSpec

BASE_TYPES = ("int", "long", "double", "bool", "string")


class HarnessError(ValueError):
    """The problem's harness declares a type or language the harness cannot generate."""


def parse_type(name: str) -> tuple[str, int]:
    """`int[][]` → (`int`, 2); only base types and up to two array dimensions."""
    base = name.strip().removesuffix("[]").removesuffix("[]")
    depth = (len(name.strip()) - len(base)) // 2
    if base not in BASE_TYPES or name.strip() != base + "[]" * depth:
        raise HarnessError(f"unsupported harness type {name!r}")
    return base, depth


def function_name(harness: HarnessSpec, language_id: str) -> str:
    try:
        return harness.function_name[language_id]
    except KeyError:
        raise HarnessError(f"no function name for {language_id}") from None


def wrap_source(language_id: str, code: str, harness: HarnessSpec) -> dict[str, str]:
    """Files to write into the box: the learner's code and a main calling it per input line."""
    from judge.harness import cpp, java, javascript, python

    wrappers = {
        "python3.10": python.wrap,
        "cpp17": cpp.wrap,
        "java17": java.wrap,
        "javascript": javascript.wrap,
    }
    if language_id not in wrappers:
        raise HarnessError(f"no harness for {language_id}")
    for param in harness.params:
        parse_type(param.type)
    return wrappers[language_id](code, harness)
