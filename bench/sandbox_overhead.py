"""Sandbox overhead per test over a bare process start of the same command, per language."""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from judge.grading import ProblemSpec, run_limits
from judge.languages import Language, get_language
from judge.sandbox.process import DEFAULT_ENV as ENV
from judge.sandbox.process import ProcessBox, ProcessSandbox

PROGRAMS = {
    "python3.10": "print(sum(map(int, input().split())))\n",
    "cpp17": '#include <cstdio>\nint main(){int a,b;scanf("%d %d",&a,&b);printf("%d\\n",a+b);}\n',
    "java17": (
        "import java.io.*;\npublic class Main { public static void main(String[] x) throws"
        " IOException { String[] p = new BufferedReader(new InputStreamReader(System.in))"
        '.readLine().split(" "); System.out.println(Integer.parseInt(p[0]) +'
        " Integer.parseInt(p[1])); } }\n"
    ),
    "javascript": (
        "const [a, b] = require('fs').readFileSync(0, 'utf8').split(' ').map(Number);\n"
        "console.log(a + b);\n"
    ),
}
SPEC = ProblemSpec(time_limit_ms=2000, memory_limit_mb=256)
STDIN = b"20 22\n"


def _prepare(box: ProcessBox, lang: Language, bare_dir: Path) -> None:
    box.write_file(lang.source_file, PROGRAMS[lang.id].encode())
    (bare_dir / lang.source_file).write_text(PROGRAMS[lang.id])
    argv = lang.compile_command(lang.compile_memory_mb)
    if argv is not None:
        subprocess.run(argv, cwd=bare_dir, check=True, capture_output=True)
        run = box.run(argv, run_limits(lang, SPEC), writable=True)
        assert run.status == "OK", run.stderr


def _bare(argv: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    out = subprocess.run(argv, cwd=cwd, input=STDIN, capture_output=True, check=True, env=ENV)
    elapsed = (time.perf_counter() - started) * 1000
    assert out.stdout.strip() == b"42"
    return elapsed


def _sandboxed(box: ProcessBox, argv: list[str], lang: Language, mode: str) -> float:
    box.sandbox.test_runs = mode
    started = time.perf_counter()
    run = box.run(argv, run_limits(lang, SPEC), stdin=STDIN)
    elapsed = (time.perf_counter() - started) * 1000
    assert run.stdout.strip() == b"42", run
    return elapsed


def measure(
    sandbox: ProcessSandbox, language_id: str, rounds: int, modes: list[str], stat: str = "median"
) -> tuple[float, dict[str, float]]:
    """Bare start and sandboxed run per mode (median or min), the order reshuffled every round."""
    lang = get_language(language_id)
    bare_dir = Path(tempfile.mkdtemp(prefix="bench-bare-"))
    try:
        with sandbox.open_box(lang.id) as box:
            _prepare(box, lang, bare_dir)
            argv = lang.run_command(SPEC.memory_limit_mb)
            bare_argv = [str(bare_dir / "main")] if argv == ["./main"] else argv
            times: dict[str, list[float]] = {m: [] for m in ["bare", *modes]}
            for _ in range(rounds):
                for mode in random.sample(list(times), len(times)):
                    times[mode].append(
                        _bare(bare_argv, bare_dir)
                        if mode == "bare"
                        else _sandboxed(box, argv, lang, mode)
                    )
    finally:
        shutil.rmtree(bare_dir)
    pick = min if stat == "min" else statistics.median
    medians = {m: pick(t) for m, t in times.items()}
    return medians.pop("bare"), medians


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument(
        "--modes",
        default="zygote,spawn",
        help="how test runs start: zygote (forked by the box's launcher inside the box cgroup),"
        " spawn (a helper process and a fresh cgroup per run)",
    )
    parser.add_argument("--stat", choices=["median", "min"], default="median")
    parser.add_argument("languages", nargs="*", default=list(PROGRAMS))
    args = parser.parse_args()
    modes = args.modes.split(",")
    sandbox = ProcessSandbox()
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"process backend ({sandbox.mode}), {args.rounds} interleaved rounds, {args.stat} ms,")
    print(f"loadavg {load}, {os.cpu_count()} CPUs; overhead = sandboxed run - bare start")
    print(f"{'language':<12} {'bare':>8}" + "".join(f" {m:>8} {'overhead':>9}" for m in modes))
    for language_id in args.languages:
        bare, boxed = measure(sandbox, language_id, args.rounds, modes, args.stat)
        cells = "".join(f" {boxed[m]:8.1f} {boxed[m] - bare:+9.1f}" for m in modes)
        print(f"{language_id:<12} {bare:8.1f}{cells}")


if __name__ == "__main__":
    main()
