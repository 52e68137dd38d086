"""Every test of a box runs from the same launcher and cgroup: each run's figures are its own."""

from __future__ import annotations

import os
import signal
import subprocess

from judge.sandbox.base import Limits, RunStatus
from judge.sandbox.process import ProcessSandbox

PY = "/usr/bin/python3"
LIMITS = Limits(cpu_ms=2000, memory_kb=128 * 1024)


def py(code: str) -> list[str]:
    return [PY, "-I", "-B", "-c", code]


def test_memory_peak_and_oom_are_per_run(process_sandbox: ProcessSandbox) -> None:
    with process_sandbox.open_box("python3") as box:
        big = box.run(py("x = bytearray(80 << 20)"), LIMITS)
        small = box.run(py("pass"), LIMITS)
        oom = box.run(py("x = bytearray(300 << 20)"), LIMITS)
        after = box.run(py("x = bytearray(20 << 20)"), LIMITS)
    assert big.status == small.status == after.status == RunStatus.OK
    assert 80 * 1024 <= big.memory_kb < 100 * 1024
    assert small.memory_kb < 16 * 1024
    assert oom.status == RunStatus.MEMORY_LIMIT
    assert 20 * 1024 <= after.memory_kb < 40 * 1024


def test_cpu_time_is_per_run(process_sandbox: ProcessSandbox) -> None:
    spin = "import time\nt = time.process_time()\nwhile time.process_time() - t < 0.3: pass"
    with process_sandbox.open_box("python3") as box:
        runs = [box.run(py(spin), LIMITS) for _ in range(3)]
        tle = box.run(
            py("while True: pass"), Limits(cpu_ms=200, memory_kb=64 << 10, wall_ms=30_000)
        )
        quick = box.run(py("pass"), LIMITS)
    assert all(r.status == RunStatus.OK and 300 <= r.cpu_ms < 450 for r in runs), runs
    assert tle.status == RunStatus.TIME_LIMIT and tle.detail == "cpu"
    assert 200 <= tle.cpu_ms < 400
    assert quick.cpu_ms < 150


def test_nothing_outlives_a_run(process_sandbox: ProcessSandbox) -> None:
    daemon = (
        "import os, time\nif os.fork() == 0:\n    os.setsid()\n    if os.fork() == 0:\n"
        "        time.sleep(60)\n    os._exit(0)\nprint(os.getpid())"
    )
    count = "import os\nprint(len([p for p in os.listdir('/proc') if p.isdigit()]))"
    with process_sandbox.open_box("python3") as box:
        assert box.run(py(daemon), LIMITS).status == RunStatus.OK
        assert box.run(py(count), LIMITS).stdout == b"2\n"  # mini-init and this program
        group = box._group
        assert group is not None and box._zygote is not None
        assert group.pids() == [box._zygote.pid]


def test_a_dead_launcher_is_replaced(process_sandbox: ProcessSandbox) -> None:
    with process_sandbox.open_box("python3") as box:
        assert box.run(py("print(1)"), LIMITS).stdout == b"1\n"
        assert box._zygote is not None
        os.kill(box._zygote.pid, signal.SIGKILL)
        lost = box.run(py("print(2)"), LIMITS)
        again = box.run(py("print(3)"), LIMITS)
    assert lost.status == RunStatus.INTERNAL and "launcher" in lost.detail
    assert again.status == RunStatus.OK and again.stdout == b"3\n"


def test_spawned_runs_give_the_same_figures(process_sandbox: ProcessSandbox) -> None:
    code = py("x = bytearray(40 << 20)")
    with process_sandbox.open_box("python3") as box:
        forked = box.run(code, LIMITS)
        process_sandbox.test_runs = "spawn"
        try:
            spawned = box.run(code, LIMITS)
        finally:
            process_sandbox.test_runs = "zygote"
    assert forked.status == spawned.status == RunStatus.OK
    assert abs(forked.memory_kb - spawned.memory_kb) < 4 * 1024


def test_cgroups_of_dead_judges_are_swept(process_sandbox: ProcessSandbox) -> None:
    cgroups = process_sandbox.cgroups
    assert cgroups is not None
    dead = _finished_pid()
    names = {f"s9-box-p{dead}-0123456789ab": False, f"s9-box-p{os.getpid()}-0123456789ab": True}
    for name in names:
        for base in cgroups.bases.values():
            (base / name).mkdir()
    try:
        cgroups.sweep()
        for name, kept in names.items():
            assert all((base / name).exists() == kept for base in cgroups.bases.values())
    finally:
        for name in names:
            for base in cgroups.bases.values():
                if (base / name).exists():
                    os.rmdir(base / name)


def _finished_pid() -> int:
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid
