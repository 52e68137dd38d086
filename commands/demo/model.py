"""The shapes of the demo curriculum: topics, lessons, problems with tests, quizzes."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import Any

DEMO_NAMESPACE = uuid.UUID("5b3f0c1e-7d4a-5c2e-9a61-0c0de9e57000")
LANGUAGES = ("python3.10", "cpp17", "java17", "javascript")


def demo_id(kind: str, slug: str) -> uuid.UUID:
    """The stable id of a piece of demo content: uuid5 of its kind and slug."""
    return uuid.uuid5(DEMO_NAMESPACE, f"{kind}:{slug}")


@dataclass(frozen=True)
class DemoTopic:
    slug: str
    name: str
    description: str
    parent: str | None = None
    order: int = 0
    icon_url: str | None = None

    @property
    def id(self) -> uuid.UUID:
        return demo_id("topic", self.slug)


@dataclass(frozen=True)
class DemoExample:
    title: str
    code: str
    language: str
    explanation: str


@dataclass(frozen=True)
class DemoLesson:
    slug: str
    title: str
    topic: str
    difficulty: str
    estimated_time_min: int
    order: int
    content_markdown: str
    examples: tuple[DemoExample, ...]
    exercises: tuple[str, ...] = ()

    @property
    def id(self) -> uuid.UUID:
        return demo_id("lesson", self.slug)


@dataclass(frozen=True)
class DemoTest:
    input: str
    expected_output: str
    explanation: str = ""
    points: int = 10


@dataclass(frozen=True)
class Signature:
    """A function-signature harness: the function per language, typed params, return type."""

    function_name: dict[str, str]
    params: tuple[tuple[str, str], ...]
    return_type: str


@dataclass(frozen=True)
class DemoProblem:
    slug: str
    title: str
    difficulty: int
    topics: tuple[str, ...]
    tags: tuple[str, ...]
    statement: str
    constraints: str
    hints: tuple[str, ...]
    samples: tuple[DemoTest, ...]
    hidden: tuple[DemoTest, ...]
    solutions: dict[str, str]
    signature: Signature | None = None
    starter_code: dict[str, str] = field(default_factory=dict)
    input_format: str = ""
    output_format: str = ""
    checker: str = "exact"
    time_limit_ms: int = 2000
    memory_limit_kb: int = 262144

    @property
    def id(self) -> uuid.UUID:
        return demo_id("problem", self.slug)

    @property
    def starters(self) -> dict[str, str]:
        if self.starter_code or self.signature is None:
            return self.starter_code
        return starter_code(self.signature)


@dataclass(frozen=True)
class DemoQuestion:
    text: str
    type: str
    correct: tuple[str, ...]
    explanation: str
    options: tuple[tuple[str, str], ...] = ()
    points: int = 10


@dataclass(frozen=True)
class DemoQuiz:
    slug: str
    title: str
    topic: str
    description: str
    difficulty: str
    time_limit_min: int
    questions: tuple[DemoQuestion, ...]
    passing_score: int = 70

    @property
    def id(self) -> uuid.UUID:
        return demo_id("quiz", self.slug)


def _camel(snake: str) -> str:
    head, *rest = snake.split("_")
    return head + "".join(word.capitalize() for word in rest)


def signature(name: str, params: list[tuple[str, str]], returns: str) -> Signature:
    """Python takes the snake_case name; C++, Java and JavaScript the camelCase one."""
    camel = _camel(name)
    names = {"python3.10": name, "cpp17": camel, "java17": camel, "javascript": camel}
    return Signature(function_name=names, params=tuple(params), return_type=returns)


def _compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def call(args: list[Any], expected: Any, explanation: str = "") -> DemoTest:
    """A harness test: one JSON line of arguments, the JSON of the return value."""
    return DemoTest(_compact(args) + "\n", _compact(expected) + "\n", explanation)


def stdio(stdin: str, stdout: str, explanation: str = "") -> DemoTest:
    return DemoTest(stdin, stdout, explanation)


def choice(
    text: str, options: list[str], correct: str, explanation: str, points: int = 10
) -> DemoQuestion:
    """A multiple_choice question; options get the ids a, b, c, …"""
    return DemoQuestion(text, "multiple_choice", (correct,), explanation, _options(options), points)


def select(
    text: str, options: list[str], correct: list[str], explanation: str, points: int = 10
) -> DemoQuestion:
    return DemoQuestion(
        text, "multiple_select", tuple(correct), explanation, _options(options), points
    )


def short(text: str, answers: list[str], explanation: str, points: int = 10) -> DemoQuestion:
    """A short_answer question; the first answer is canonical, the rest are alternatives."""
    return DemoQuestion(text, "short_answer", tuple(answers), explanation, (), points)


def _options(texts: list[str]) -> tuple[tuple[str, str], ...]:
    return tuple((chr(ord("a") + i), text) for i, text in enumerate(texts))


_PY = {"int": "int", "long": "int", "double": "float", "bool": "bool", "string": "str"}
_CPP = {"int": "int", "long": "long long", "double": "double", "bool": "bool", "string": "string"}
_JAVA = {"int": "int", "long": "long", "double": "double", "bool": "boolean", "string": "String"}
_JAVA_ZERO = {"int": "0", "long": "0L", "double": "0.0", "bool": "false", "string": '""'}


def _split(type_name: str) -> tuple[str, int]:
    base = type_name.removesuffix("[]").removesuffix("[]")
    return base, (len(type_name) - len(base)) // 2


def py_type(type_name: str) -> str:
    base, depth = _split(type_name)
    text = _PY[base]
    for _ in range(depth):
        text = f"list[{text}]"
    return text


def cpp_type(type_name: str) -> str:
    base, depth = _split(type_name)
    text = _CPP[base]
    for _ in range(depth):
        text = f"vector<{text}>"
    return text


def java_type(type_name: str) -> str:
    base, depth = _split(type_name)
    return _JAVA[base] + "[]" * depth


def _java_default(type_name: str) -> str:
    base, depth = _split(type_name)
    if depth == 0:
        return _JAVA_ZERO[base]
    return f"new {_JAVA[base]}[0]" + "[]" * (depth - 1)


def _cpp_param(type_name: str, name: str) -> str:
    _, depth = _split(type_name)
    return f"{cpp_type(type_name)}& {name}" if depth else f"{cpp_type(type_name)} {name}"


def starter_code(sig: Signature) -> dict[str, str]:
    """The function to fill in, per language; it compiles and returns a placeholder."""
    names = [n for n, _ in sig.params]
    fn = sig.function_name
    py_params = ", ".join(f"{n}: {py_type(t)}" for n, t in sig.params)
    cpp_params = ", ".join(_cpp_param(t, n) for n, t in sig.params)
    java_params = ", ".join(f"{java_type(t)} {n}" for n, t in sig.params)
    return {
        "python3.10": (
            f"def {fn['python3.10']}({py_params}) -> {py_type(sig.return_type)}:\n"
            "    # Write your code here\n    pass\n"
        ),
        "cpp17": (
            f"{cpp_type(sig.return_type)} {fn['cpp17']}({cpp_params}) {{\n"
            "    // Write your code here\n    return {};\n}\n"
        ),
        "java17": (
            f"class Solution {{\n    public {java_type(sig.return_type)} {fn['java17']}"
            f"({java_params}) {{\n        // Write your code here\n"
            f"        return {_java_default(sig.return_type)};\n    }}\n}}\n"
        ),
        "javascript": (
            f"function {fn['javascript']}({', '.join(names)}) {{\n  // Write your code here\n}}\n"
        ),
    }
