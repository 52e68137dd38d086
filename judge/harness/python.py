"""Python harness: exec solution.py, call the function per JSON line, print compact JSON."""

from __future__ import annotations

from typing import TYPE_CHECKING

from judge.harness import function_name

if TYPE_CHECKING:
    from judge.grading import HarnessSpec

MAIN = """import json, sys, typing


def _main():
    ns = {"__name__": "solution", "__builtins__": __builtins__}
    ns.update({k: getattr(typing, k) for k in ("List", "Dict", "Optional", "Tuple", "Set")})
    real_out, sys.stdout = sys.stdout, sys.stderr
    with open("solution.py", encoding="utf-8") as f:
        exec(compile(f.read(), "solution.py", "exec"), ns)
    fn = ns.get(NAME)
    if fn is None and "Solution" in ns:
        fn = getattr(ns["Solution"](), NAME)
    if fn is None:
        raise SystemExit(f"function {NAME} is not defined")
    out = []
    for line in sys.stdin.read().splitlines():
        if line.strip():
            result = fn(*json.loads(line))
            out.append(json.dumps(result, separators=(",", ":"), ensure_ascii=False))
    real_out.write("\\n".join(out) + "\\n")


_main()
"""


def wrap(code: str, harness: HarnessSpec) -> dict[str, str]:
    name = function_name(harness, "python3.10")
    return {"main.py": MAIN.replace("NAME", repr(name)), "solution.py": code}
