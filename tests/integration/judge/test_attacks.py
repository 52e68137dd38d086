from __future__ import annotations

import os
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from judge.grading import ProblemSpec, TestCase, judge
from judge.sandbox import Sandbox

SPEC = ProblemSpec(time_limit_ms=300, memory_limit_mb=64, output_limit_kb=1024)
HOST_CANARIES = [Path("/tmp/cq_pwn"), Path("/cq_pwn"), Path("/usr/cq_pwn"), Path("/etc/cq_pwn")]


@dataclass(frozen=True)
class Attack:
    name: str
    language: str
    code: str
    statuses: tuple[str, ...]
    expected: str = ""
    overall: tuple[str, ...] = ()


PY_PROBE = """import os, sys
def probe(fn):
    try:
        fn()
        return "open"
    except OSError:
        return "denied"
"""

ATTACKS = [
    Attack(
        "fork_bomb",
        "python3",
        "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n",
        ("TIMEOUT", "ERROR", "MEMORY_LIMIT"),
    ),
    Attack(
        "memory_bomb",
        "python3",
        "x = []\nwhile True:\n    x.append(b'x' * (1 << 20))\n",
        ("MEMORY_LIMIT",),
    ),
    Attack(
        "infinite_loop", "cpp17", "int main() { volatile int x = 0; for (;;) x++; }\n", ("TIMEOUT",)
    ),
    Attack("sleep", "python3", "import time\ntime.sleep(30)\n", ("TIMEOUT",)),
    Attack(
        "gigabyte_of_output",
        "cpp17",
        "#include <cstdio>\nint main() { static char b[1 << 20]; for (int i = 0; i < 1024; i++)"
        " fwrite(b, 1, sizeof b, stdout); }\n",
        ("OUTPUT_LIMIT",),
    ),
    Attack(
        "read_shadow",
        "python3",
        PY_PROBE + "print(probe(lambda: open('/etc/shadow').read()))\n",
        ("PASSED",),
        "denied",
    ),
    Attack(
        "read_service_files",
        "python3",
        PY_PROBE + "print(probe(lambda: open('/work/main/pyproject.toml').read()),"
        " probe(lambda: os.listdir('/work')), probe(lambda: os.listdir('/root')))\n",
        ("PASSED",),
        "denied denied denied",
    ),
    Attack(
        "host_environ_via_proc",
        "python3",
        PY_PROBE + "print(probe(lambda: open('/proc/1/environ').read()),"
        " ' '.join(sorted(os.environ)))\n",
        ("PASSED",),
        "denied HOME LANG PATH TMPDIR",
    ),
    Attack(
        "write_outside_box",
        "python3",
        PY_PROBE + "print(*[probe(lambda p=p: open(p + '/cq_pwn', 'w').write('x'))"
        " for p in ('/', '/usr', '/etc', '/box', '/proc', '/dev')])\n",
        ("PASSED",),
        "denied denied denied denied denied denied",
    ),
    Attack(
        "only_loopback_interface",
        "python3",
        "import socket\nprint(' '.join(n for _, n in socket.if_nameindex()))\n",
        ("PASSED",),
        "lo",
    ),
    Attack(
        "ptrace_init",
        "python3",
        "import ctypes\nlibc = ctypes.CDLL(None, use_errno=True)\n"
        "print('attached' if libc.ptrace(16, 1, 0, 0) == 0 else 'denied')\n",
        ("PASSED",),
        "denied",
    ),
    Attack(
        "kill_everything", "python3", "import os\nos.kill(-1, 9)\nprint('survived')\n", ("ERROR",)
    ),
    Attack(
        "kill_parent_and_neighbours",
        "python3",
        PY_PROBE + "import signal\nprint(probe(lambda: os.kill(os.getppid(), 9)),"
        " sum(probe(lambda p=p: os.kill(p, 9)) == 'open' for p in range(1, 3000)"
        " if p != os.getpid()))\n",
        ("PASSED",),
        "denied 0",
    ),
    Attack(
        "stop_itself",
        "python3",
        "import os, signal\nos.kill(os.getpid(), signal.SIGSTOP)\n",
        ("TIMEOUT",),
    ),
    Attack(
        "segfault", "cpp17", "int main() { volatile int* p = nullptr; return *p; }\n", ("ERROR",)
    ),
    Attack(
        "deep_recursion",
        "cpp17",
        "int f(int n) { volatile char pad[256]; pad[0] = n; return f(n + 1) + pad[0]; }\n"
        "int main() { return f(0); }\n",
        ("ERROR", "MEMORY_LIMIT"),
    ),
    Attack(
        "thread_bomb",
        "python3",
        "import threading, time\nwhile True:\n"
        "    threading.Thread(target=time.sleep, args=(60,), daemon=True).start()\n",
        ("ERROR", "MEMORY_LIMIT"),
    ),
    Attack(
        "fill_tmp",
        "python3",
        "import os\nbefore = len(os.listdir('/tmp'))\ntry:\n"
        "    with open('/tmp/fill', 'wb') as f:\n        while True:\n"
        "            f.write(b'x' * (1 << 20))\n            f.flush()\nexcept OSError:\n"
        "    print(before, 'full')\n",
        ("PASSED",),
        "0 full",
    ),
    Attack(
        "symlink_tricks",
        "python3",
        PY_PROBE + "os.symlink('/etc/shadow', '/tmp/s')\nos.symlink('/proc/1/root/', '/tmp/r')\n"
        "print(probe(lambda: open('/tmp/s').read()), probe(lambda: os.listdir('/tmp/r')),"
        " probe(lambda: os.symlink('/etc/passwd', '/box/x')))\n",
        ("PASSED",),
        "denied denied denied",
    ),
    Attack(
        "become_root",
        "python3",
        PY_PROBE + "print(probe(lambda: os.setuid(0)), probe(lambda: os.chroot('/tmp')),"
        " os.listdir('/dev') == sorted(os.listdir('/dev')) or sorted(os.listdir('/dev')))\n",
        ("PASSED",),
        "denied denied ['fd', 'null', 'random', 'stderr', 'stdin', 'stdout', 'urandom', 'zero']",
    ),
    Attack(
        "template_recursion_bomb",
        "cpp17",
        "template <int N> struct F { enum { v = F<N + 1>::v }; };\n"
        "int main() { return F<0>::v; }\n",
        (),
        overall=("COMPILATION_ERROR",),
    ),
    Attack(
        "include_dev_random",
        "cpp17",
        "#include </dev/random>\nint main() {}\n",
        (),
        overall=("COMPILATION_ERROR",),
    ),
    Attack(
        "java_huge_heap",
        "java17",
        "public class Main { public static void main(String[] a) {\n"
        "  long[][] x = new long[1000][]; for (int i = 0; i < 1000; i++) x[i] = new long[1 << 20];"
        "\n} }\n",
        ("MEMORY_LIMIT",),
    ),
    Attack(
        "java_system_exit",
        "java17",
        "public class Main { public static void main(String[] a) { System.exit(3); } }\n",
        ("ERROR",),
    ),
    Attack(
        "java_thread_bomb",
        "java17",
        "public class Main { public static void main(String[] a) { while (true) {\n"
        "  Thread t = new Thread(() -> { try { Thread.sleep(60000); } catch (Exception e) {} });"
        "\n  t.setDaemon(true); t.start(); } } }\n",
        ("ERROR", "MEMORY_LIMIT"),
    ),
    Attack(
        "node_infinite_promise_loop",
        "javascript",
        "(async () => { for (;;) await null; })();\n",
        ("TIMEOUT",),
    ),
    Attack(
        "node_huge_array",
        "javascript",
        "const a = [];\nfor (;;) a.push(new Array(1e6).fill(1.5));\n",
        ("MEMORY_LIMIT",),
    ),
]


@pytest.fixture
def listener() -> Iterator[int]:
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    server.settimeout(0.1)
    yield server.getsockname()[1]
    server.close()


def _run_attack(sandbox: Sandbox, attack: Attack) -> tuple[list[str], str]:
    tests = [TestCase(id=str(i), input="", expected_output=attack.expected) for i in range(2)]
    result = judge(sandbox, attack.language, attack.code, SPEC, tests)
    return [r.status for r in result.results], result.status


@pytest.mark.parametrize("attack", ATTACKS, ids=[a.name for a in ATTACKS])
def test_attack_ends_in_the_right_verdict(sandbox: Sandbox, attack: Attack) -> None:
    started = time.monotonic()
    statuses, overall = _run_attack(sandbox, attack)
    if attack.overall:
        assert overall in attack.overall
    assert all(s in attack.statuses for s in statuses), statuses
    assert time.monotonic() - started < 30
    assert not any(p.exists() for p in HOST_CANARIES)


def test_network_connect_to_host_loopback_fails(sandbox: Sandbox, listener: int) -> None:
    code = (
        "import socket\ns = socket.socket()\ns.settimeout(1)\ntry:\n"
        f"    s.connect(('127.0.0.1', {listener}))\n    print('connected')\n"
        "except OSError:\n    print('blocked')\n"
    )
    tests = [TestCase(id="net", input="", expected_output="blocked")]
    result = judge(sandbox, "python3", code, SPEC, tests)
    assert result.status == "ACCEPTED", result.results


def test_parent_environment_does_not_leak(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CQ_SECRET_CANARY", "hunter2")
    code = "import os\nprint('hunter2' in repr(os.environ), open('/proc/self/environ').read())\n"
    tests = [TestCase(id="env", input="", expected_output="")]
    result = judge(sandbox, "python3", code, SPEC, tests)
    assert "hunter2" not in result.results[0].actual_output
    assert result.results[0].actual_output.startswith("False")


def test_box_is_usable_after_an_attack_on_the_judge(sandbox: Sandbox) -> None:
    judge(sandbox, "python3", "import os\nos.kill(-1, 9)\n", SPEC, [TestCase("k", "", "")])
    ok = judge(sandbox, "python3", "print(os.getpid() > 0)\nimport os\n", SPEC, [])
    assert ok.status == "ACCEPTED"
    assert os.getpid() > 0
