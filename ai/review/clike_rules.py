"""Anti-pattern findings for C++, Java and JavaScript, matched on the token stream."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from ai.review.clike_structure import Structure
from ai.review.findings import Finding

LONG_FUNCTION_LINES = 40
MAX_NESTING = 4
_ALLOWED_NUMBERS = {"0", "1", "2", "10", "100"}
_CONST_WORDS = {"const", "final", "constexpr", "static", "define", "enum"}
_UNSAFE_C = {"gets", "strcpy", "strcat", "sprintf"}

RuleCheck = Callable[[Structure], Iterator[Finding]]


def _at(
    rule: str, structure: Structure, index: int, message: str, fix: str | None = None
) -> Finding:
    line = structure.tokens[index].line
    return Finding(rule, message, line, line, fix)


def _calls(structure: Structure, name: str) -> Iterator[int]:
    for index, token in enumerate(structure.tokens):
        if token.text == name and token.kind == "id" and structure.text(index + 1) == "(":
            yield index


def check_cpp_headers(structure: Structure) -> Iterator[Finding]:
    tokens = structure.tokens
    bits = next((i for i, t in enumerate(tokens) if "bits/stdc++" in t.text), -1)
    using = next((i for i, t in enumerate(tokens) if _is_using_std(structure, i)), -1)
    both = " Together with `<bits/stdc++.h>` it pulls every std name into the global scope."
    if bits >= 0:
        yield _at(
            "bits_stdcpp",
            structure,
            bits,
            "`<bits/stdc++.h>` is a GCC-only header that "
            "slows compilation; include what you use (`<vector>`, `<iostream>`)",
        )
    if using >= 0:
        message = "`using namespace std` invites name clashes (`count`, `distance`)."
        yield _at("using_namespace_std", structure, using, message + (both if bits >= 0 else ""))


def _is_using_std(structure: Structure, index: int) -> bool:
    words = (structure.text(index), structure.text(index + 1), structure.text(index + 2))
    return words == ("using", "namespace", "std")


def check_raw_new(structure: Structure) -> Iterator[Finding]:
    texts = {t.text for t in structure.tokens if t.kind == "id"}
    if "new" in texts and "delete" not in texts:
        first = next(i for i, t in enumerate(structure.tokens) if t.text == "new")
        yield _at(
            "raw_new",
            structure,
            first,
            "memory from `new` is never `delete`d; use `std::vector` or `std::unique_ptr`",
            "std::vector<int> values(n);",
        )


def check_unsafe_c(structure: Structure) -> Iterator[Finding]:
    for name in sorted(_UNSAFE_C):
        for index in _calls(structure, name):
            yield _at(
                "unsafe_c_string",
                structure,
                index,
                f"`{name}` has no bounds check and "
                "can overflow the buffer; use `std::string` or a bounded variant",
            )
    for index in _calls(structure, "scanf"):
        if "%s" in structure.text(index + 2):
            yield _at(
                "unsafe_c_string",
                structure,
                index,
                '`scanf("%s")` without a width can overflow; read into `std::string` with `cin`',
            )


def check_shell(structure: Structure) -> Iterator[Finding]:
    for name in ("system", "popen", "exec", "execSync", "spawn"):
        for index in _calls(structure, name):
            yield _at(
                "shell_command",
                structure,
                index,
                f"`{name}()` runs a shell command; a judged solution never needs one",
            )
    for index, token in enumerate(structure.tokens):
        if token.kind == "str" and "child_process" in token.text:
            yield _at(
                "shell_command",
                structure,
                index,
                "`child_process` lets the code run shell commands",
            )
        elif token.text in ("ProcessBuilder", "ObjectInputStream"):
            rule = "shell_command" if token.text == "ProcessBuilder" else "unsafe_deserialization"
            yield _at(
                rule,
                structure,
                index,
                f"`{token.text}` is not needed by a solution and widens the attack surface",
            )


def check_empty_catch(structure: Structure) -> Iterator[Finding]:
    for index, token in enumerate(structure.tokens):
        if token.text != "catch":
            continue
        has_clause = structure.text(index + 1) == "("
        brace = structure.pairs.get(index + 1, index) + 1 if has_clause else index + 1
        if structure.text(brace) == "{" and structure.text(brace + 1) == "}":
            yield _at(
                "empty_catch",
                structure,
                index,
                "empty `catch` block hides the error; handle it or let it propagate",
            )
        if structure.text(index + 2) in ("Exception", "Throwable", "RuntimeException"):
            yield _at(
                "generic_catch",
                structure,
                index,
                f"catching `{structure.text(index + 2)}` "
                "also hides bugs; catch the specific exception",
            )


def check_endl_in_loop(structure: Structure) -> Iterator[Finding]:
    for index, token in enumerate(structure.tokens):
        if token.text == "endl" and structure.in_loop(index):
            yield _at(
                "endl_in_loop",
                structure,
                index,
                "`endl` flushes the stream on every iteration; write `'\\n'` instead",
                "cout << value << '\\n';",
            )
            return


def check_system_exit(structure: Structure) -> Iterator[Finding]:
    for index in _calls(structure, "exit"):
        if structure.text(index - 2) == "System":
            yield _at(
                "system_exit",
                structure,
                index,
                "`System.exit` kills the JVM; return from `main` instead",
            )


def check_string_concat(structure: Structure) -> Iterator[Finding]:
    tokens = structure.tokens
    strings = {
        tokens[i + 1].text
        for i, t in enumerate(tokens[:-1])
        if t.text == "String" and tokens[i + 1].kind == "id"
    }
    reported: set[str] = set()
    for index, token in enumerate(tokens):
        if token.text not in strings or token.text in reported or not structure.in_loop(index):
            continue
        after = structure.text(index + 1)
        self_plus = after == "=" and structure.text(index + 2) == token.text
        if after == "+=" or (self_plus and structure.text(index + 3) == "+"):
            reported.add(token.text)
            yield _at(
                "string_concat_in_loop",
                structure,
                index,
                f"`{token.text} +=` in a loop "
                "copies the string every time (O(n^2)); use a `StringBuilder`",
                "StringBuilder sb = new StringBuilder();\nsb.append(part);",
            )


def check_string_identity(structure: Structure) -> Iterator[Finding]:
    for index, token in enumerate(structure.tokens):
        neighbours = structure.text(index - 1)[:1] + structure.text(index + 1)[:1]
        if token.text in ("==", "!=") and '"' in neighbours:
            yield _at(
                "string_identity_eq",
                structure,
                index,
                "`==` compares String references, not contents; use `.equals()`",
                'if (word.equals("yes")) {',
            )


def check_loose_equality(structure: Structure) -> Iterator[Finding]:
    found = [
        i
        for i, t in enumerate(structure.tokens)
        if t.text in ("==", "!=") and "null" not in (structure.text(i - 1), structure.text(i + 1))
    ]
    if found:
        where = ", ".join(str(structure.tokens[i].line) for i in found[:4])
        yield _at(
            "loose_equality",
            structure,
            found[0],
            f"`==`/`!=` coerce types (lines {where}); use `===`/`!==`",
            "if (a === b) {",
        )


def check_var(structure: Structure) -> Iterator[Finding]:
    found = [i for i, t in enumerate(structure.tokens) if t.text == "var" and t.kind == "id"]
    if found:
        yield _at(
            "var_declaration",
            structure,
            found[0],
            f"`var` is function-scoped ({len(found)} "
            "uses); prefer `const`, or `let` when reassigned",
            "const total = 0;",
        )


def check_js_eval(structure: Structure) -> Iterator[Finding]:
    for index in _calls(structure, "eval"):
        yield _at(
            "eval_exec",
            structure,
            index,
            "`eval()` runs arbitrary code; parse input with `Number()` or `JSON.parse`",
        )
    for index in _calls(structure, "Function"):
        if structure.text(index - 1) == "new":
            yield _at("eval_exec", structure, index, "`new Function()` is `eval` in disguise")


def check_functions(structure: Structure) -> Iterator[Finding]:
    for function in structure.functions:
        length = function.line_end - function.line_start + 1
        if length > LONG_FUNCTION_LINES:
            yield Finding(
                "long_function",
                f"`{function.name}` is {length} lines long; split it "
                f"into helpers of at most {LONG_FUNCTION_LINES} lines",
                function.line_start,
                function.line_end,
            )
        depth, deepest, line = 0, 0, function.line_start
        for index in range(function.body_start + 1, function.body_end):
            text = structure.text(index)
            depth += (text == "{") - (text == "}")
            if depth > deepest:
                deepest, line = depth, structure.tokens[index].line
        if deepest > MAX_NESTING:
            yield Finding(
                "deep_nesting",
                f"blocks in `{function.name}` nest {deepest} levels deep "
                f"(line {line}); use early returns or a helper",
                line,
                line,
            )


def check_magic_numbers(structure: Structure) -> Iterator[Finding]:
    magic: dict[str, int] = {}
    for function in structure.functions:
        statement_start = function.body_start
        for index in range(function.body_start + 1, function.body_end):
            token = structure.tokens[index]
            if token.text in (";", "{", "}"):
                statement_start = index
            elif token.kind == "num" and token.text not in _ALLOWED_NUMBERS:
                words = {t.text for t in structure.tokens[statement_start:index]}
                if not words & _CONST_WORDS and structure.text(index - 1) != "[":
                    magic.setdefault(token.text, token.line)
    if magic:
        shown = sorted(magic.items(), key=lambda kv: kv[1])[:4]
        values = ", ".join(f"{value} (line {line})" for value, line in shown)
        yield Finding(
            "magic_number",
            f"magic numbers {values}: name them, e.g. `const int MOD = 1e9 + 7;`",
            shown[0][1],
            shown[0][1],
        )


COMMON: tuple[RuleCheck, ...] = (check_empty_catch, check_functions, check_magic_numbers)
BY_LANGUAGE: dict[str, tuple[RuleCheck, ...]] = {
    "cpp": (check_cpp_headers, check_raw_new, check_unsafe_c, check_shell, check_endl_in_loop),
    "java": (check_system_exit, check_string_concat, check_string_identity, check_shell),
    "javascript": (check_loose_equality, check_var, check_js_eval, check_shell),
}


def lint_clike(structure: Structure, language: str) -> list[Finding]:
    """Every finding for the language, in source order."""
    checks = COMMON + BY_LANGUAGE.get(language, ())
    findings = [finding for check in checks for finding in check(structure)]
    return sorted(findings, key=lambda f: (f.line_start, f.rule))
