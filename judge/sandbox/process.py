"""The process backend: namespaces, a mini-init, one uid per slot, rlimits and cgroup v1."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

from judge.sandbox.base import (
    Limits,
    RawRun,
    RunResult,
    SandboxUnavailableError,
    classify,
)
from judge.sandbox.cgroups import CgroupUsage, CgroupV1, RunCgroup
from judge.sandbox.etc import build_etc
from judge.sandbox.helper_build import helper_path
from judge.sandbox.slots import SlotPool, shared_pool

BASE_UID = 60000
DEFAULT_ENV = {"PATH": "/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8", "TMPDIR": "/tmp"}
STDERR_KEEP = 64 * 1024


def can_isolate(euid: int) -> bool:
    """Root is required for per-slot uids, namespaces and cgroups."""
    return euid == 0


class ProcessSandbox:
    """Runs untrusted code in Linux namespaces on this host; one slot per core."""

    name = "process"

    def __init__(
        self, work_dir: Path | None = None, slots: int | None = None, base_uid: int = BASE_UID
    ) -> None:
        if not can_isolate(os.geteuid()):
            raise SandboxUnavailableError(
                "process sandbox needs root (namespaces, per-slot uids, cgroups); refusing to run"
                " untrusted code unisolated"
            )
        self.work_dir = work_dir or Path("/var/tmp/codequest-judge")
        self.work_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.work_dir.chmod(0o700)
        self.helper = helper_path(self.work_dir / "bin")
        self.cgroups = CgroupV1.detect()
        self.pool: SlotPool = shared_pool(self.work_dir / "slots", slots)
        self.base_uid = base_uid
        self._etc = {
            s: build_etc(self.work_dir / f"etc-{base_uid + s}", base_uid + s) for s in self.slots()
        }

    def slots(self) -> range:
        return range(self.pool.size)

    def uids(self) -> range:
        return range(self.base_uid, self.base_uid + self.pool.size)

    def open_box(self, language_id: str = "") -> ProcessBox:
        slot = self.pool.acquire()
        try:
            return ProcessBox(self, slot)
        except BaseException:
            self.pool.release(slot)
            raise

    def etc_for(self, slot: int) -> Path:
        return self._etc[slot]


class ProcessBox:
    """A scratch directory bound at /box; sources are written here and every test runs here."""

    def __init__(self, sandbox: ProcessSandbox, slot: int) -> None:
        self.sandbox = sandbox
        self.slot = slot
        self.uid = sandbox.base_uid + slot
        self.dir = Path(tempfile.mkdtemp(prefix=f"box{slot}-", dir=sandbox.work_dir))
        self.box = self.dir / "box"
        self.root = self.dir / "root"
        self.io = self.dir / "io"
        for d in (self.box, self.root, self.io):
            d.mkdir(mode=0o700)
        os.chown(self.box, self.uid, self.uid)
        self.box.chmod(0o755)
        self._closed = False

    def __enter__(self) -> ProcessBox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def write_file(self, name: str, data: bytes) -> None:
        path = self.box / name
        path.write_bytes(data)
        os.chown(path, self.uid, self.uid)
        path.chmod(0o644)

    def run(
        self,
        argv: list[str],
        limits: Limits,
        stdin: bytes = b"",
        env: dict[str, str] | None = None,
        writable: bool = False,
    ) -> RunResult:
        (self.io / "stdin").write_bytes(stdin)
        group = self._cgroup(limits)
        try:
            facts = self._launch(argv, limits, {**DEFAULT_ENV, **(env or {})}, writable, group)
            usage = group.usage() if group else None
        finally:
            if group:
                group.remove()
        return self._result(facts, usage, limits)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        shutil.rmtree(self.dir, ignore_errors=True)
        self.sandbox.pool.release(self.slot)

    def _cgroup(self, limits: Limits) -> RunCgroup | None:
        cg = self.sandbox.cgroups
        if cg is None:
            return None
        return cg.create(
            f"s{self.slot}-{uuid.uuid4().hex[:12]}", limits.memory_kb, limits.processes
        )

    def _launch(
        self,
        argv: list[str],
        limits: Limits,
        env: dict[str, str],
        writable: bool,
        group: RunCgroup | None,
    ) -> dict[str, str]:
        cmd = [str(self.sandbox.helper), *self._options(limits, writable, group)]
        cmd += [f"env={k}={v}" for k, v in env.items()]
        cmd += ["--", *argv]
        timeout = limits.effective_wall_ms / 1000 + 10
        proc = subprocess.run(cmd, capture_output=True, env={}, timeout=timeout, check=False)
        if proc.returncode != 0:
            return {"err": f"helper exit {proc.returncode}: {proc.stderr.decode(errors='replace')}"}
        return _parse_helper(proc.stdout.decode(errors="replace"))

    def _options(self, limits: Limits, writable: bool, group: RunCgroup | None) -> list[str]:
        opts = {
            "root": self.root,
            "etc": self.sandbox.etc_for(self.slot),
            "box": self.box,
            "stdin": self.io / "stdin",
            "stdout": self.io / "stdout",
            "stderr": self.io / "stderr",
            "uid": self.uid,
            "gid": self.uid,
            "cpu_ms": limits.cpu_ms,
            "wall_ms": limits.effective_wall_ms,
            "procs": limits.processes,
            "nofile": limits.open_files,
            "box_ro": 0 if writable else 1,
            "tmp_kb": limits.tmp_kb,
            "fsize": limits.output_kb * 1024 + 1,
            "stack_kb": limits.effective_stack_kb,
            "data_kb": 0 if group else limits.memory_kb,
        }
        out = [f"{k}={v}" for k, v in opts.items()]
        if group:
            out += [f"cg={p}" for p in group.procs_files] + [f"cgcpu={group.cpu_file}"]
        return out

    def _result(
        self, facts: dict[str, str], usage: CgroupUsage | None, limits: Limits
    ) -> RunResult:
        stdout, out_size = _read_capped(self.io / "stdout", limits.output_kb * 1024)
        stderr, _ = _read_capped(self.io / "stderr", STDERR_KEEP)
        raw = _raw_run(facts, usage, out_size)
        return RunResult(
            status=classify(raw, limits),
            exit_code=raw.exit_code,
            signal=raw.signal,
            cpu_ms=raw.cpu_ms,
            wall_ms=raw.wall_ms,
            memory_kb=raw.memory_kb,
            stdout=stdout,
            stderr=stderr,
            output_truncated=out_size > len(stdout),
            detail=raw.setup_error or facts.get("killed", ""),
        )


def _parse_helper(text: str) -> dict[str, str]:
    first, _, rest = text.partition("\n")
    facts = dict(item.split("=", 1) for item in first.split() if "=" in item)
    facts["err"] = rest.removeprefix("err=").strip()
    return facts


def _wait_status(status: int) -> tuple[int | None, int | None]:
    if status < 0:
        return None, None
    if os.WIFSIGNALED(status):
        return None, os.WTERMSIG(status)
    return os.WEXITSTATUS(status), None


def _raw_run(facts: dict[str, str], usage: CgroupUsage | None, out_size: int) -> RawRun:
    exit_code, sig = _wait_status(int(facts.get("status", "-1")))
    killed = facts.get("killed", "none")
    if killed != "none" and sig is None:
        sig = 9
    cpu_ms = int(facts.get("cpu_us", "0")) / 1000
    memory_kb = int(facts.get("maxrss_kb", "0"))
    oom = False
    if usage is not None:
        cpu_ms = usage.cpu_ns / 1e6
        memory_kb = usage.peak_bytes // 1024
        oom = usage.oom_kills > 0
    err = facts.get("err", "")
    if not err and "status" not in facts:
        err = "sandbox helper produced no result"
    return RawRun(
        exit_code=exit_code,
        signal=sig,
        cpu_ms=round(cpu_ms, 3),
        wall_ms=int(facts.get("wall_us", "0")) / 1000,
        memory_kb=memory_kb,
        oom_killed=oom,
        killed_for=killed,
        stdout_bytes=out_size,
        setup_error=err,
    )


def _read_capped(path: Path, cap: int) -> tuple[bytes, int]:
    try:
        with path.open("rb") as f:
            size = os.fstat(f.fileno()).st_size
            return f.read(cap), size
    except FileNotFoundError:
        return b"", 0
