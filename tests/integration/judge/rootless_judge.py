"""Judges a few programs with the process sandbox as a non-root user; prints one JSON report."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

from judge.grading import ProblemSpec, TestCase, judge
from judge.sandbox.base import SandboxUnavailableError
from judge.sandbox.process import ProcessSandbox

SPEC = ProblemSpec(time_limit_ms=300, memory_limit_mb=64)


def programs(port: int, canary: Path) -> dict[str, tuple[str, str, str]]:
    """name -> (language, code, expected output)."""
    probe = (
        "def probe(fn):\n    try:\n        fn()\n        return 'open'\n    except OSError:\n"
        "        return 'denied'\n"
    )
    return {
        "sum": ("python3", "a, b = map(int, input().split())\nprint(a + b)\n", "3"),
        "cpp_sum": (
            "cpp17",
            '#include <cstdio>\nint main(){int a,b;scanf("%d %d",&a,&b);printf("%d\\n",a+b);}\n',
            "3",
        ),
        "identity": (  # uid inside, interfaces, processes visible: mini-init and the program
            "python3",
            "import os, socket\nprint(os.getuid(), ' '.join(n for _, n in socket.if_nameindex()),"
            " len([p for p in os.listdir('/proc') if p.isdigit()]))\n",
            "60000 lo 2",
        ),
        "network": (
            "python3",
            "import socket\ns = socket.socket()\ns.settimeout(1)\ntry:\n"
            f"    s.connect(('127.0.0.1', {port}))\n    print('connected')\n"
            "except OSError:\n    print('blocked')\n",
            "blocked",
        ),
        "host_files": (
            "python3",
            probe + f"print(probe(lambda: open({str(canary)!r}).read()),"
            " probe(lambda: open('/etc/shadow').read()),"
            " probe(lambda: open('/usr/cq_pwn', 'w')), probe(lambda: open('/box/x', 'w')))\n",
            "denied denied denied denied",
        ),
        "fork_bomb": (
            "python3",
            "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n"
            "        pass\n",
            "",
        ),
        "memory_bomb": ("python3", "x = []\nwhile True:\n    x.append(b'x' * (1 << 20))\n", ""),
        "infinite_loop": ("cpp17", "int main() { volatile int x = 0; for (;;) x++; }\n", ""),
    }


def main() -> None:
    port = int(sys.argv[1])
    with tempfile.TemporaryDirectory(prefix="cq-rootless-", ignore_cleanup_errors=True) as home:
        run(port, Path(home))


def run(port: int, home: Path) -> None:
    canary = home / "service-secret.txt"
    canary.write_text("secret")
    try:
        sandbox = ProcessSandbox(work_dir=home / "judge", slots=1)
    except SandboxUnavailableError as exc:
        print(json.dumps({"refused": str(exc)}))
        return
    report: dict[str, object] = {"mode": sandbox.mode, "cgroups": sandbox.cgroups is not None}
    for name, (language, code, expected) in programs(port, canary).items():
        tests = [TestCase(id="1", input="1 2\n", expected_output=expected)]
        result = judge(sandbox, language, code, SPEC, tests)
        first = result.results[0] if result.results else None
        report[name] = {
            "status": first.status if first else result.status,
            "output": first.actual_output.strip() if first else result.compile_output,
        }
    report["uid"] = os.getuid()
    print(json.dumps(report))


if __name__ == "__main__":
    main()
