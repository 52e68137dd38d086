"""Compares harness outputs as JSON values, one per line, with a float tolerance."""

from __future__ import annotations

import json
import math
from typing import Any


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.replace("\r\n", "\n").split("\n") if line.strip()]


def json_lines_equal(actual: str, expected: str, tolerance: float, unordered: bool = False) -> bool:
    got, want = _lines(actual), _lines(expected)
    if len(got) != len(want):
        return False
    try:
        pairs = [(json.loads(a), json.loads(b)) for a, b in zip(got, want, strict=True)]
    except ValueError:
        return False
    return all(_values_equal(a, b, tolerance, unordered) for a, b in pairs)


def _values_equal(actual: Any, expected: Any, tolerance: float, unordered: bool) -> bool:
    if unordered and isinstance(actual, list) and isinstance(expected, list):
        actual, expected = _sorted(actual), _sorted(expected)
    return json_equal(actual, expected, tolerance)


def _sorted(values: list[Any]) -> list[Any]:
    return sorted(values, key=lambda v: json.dumps(v, sort_keys=True))


def json_equal(actual: Any, expected: Any, tolerance: float) -> bool:
    """Structural equality; numbers compare with tolerance when either side is a float."""
    if isinstance(actual, bool) or isinstance(expected, bool):
        return type(actual) is type(expected) and actual == expected
    if isinstance(actual, int | float) and isinstance(expected, int | float):
        if isinstance(actual, int) and isinstance(expected, int):
            return actual == expected
        return math.isclose(actual, expected, rel_tol=tolerance, abs_tol=tolerance)
    if isinstance(actual, list) and isinstance(expected, list):
        return len(actual) == len(expected) and all(
            json_equal(a, b, tolerance) for a, b in zip(actual, expected, strict=True)
        )
    if isinstance(actual, dict) and isinstance(expected, dict):
        return actual.keys() == expected.keys() and all(
            json_equal(actual[k], expected[k], tolerance) for k in actual
        )
    return type(actual) is type(expected) and actual == expected
