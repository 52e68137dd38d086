"""The process backend: namespaces, a mini-init, one uid per slot, rlimits and cgroup v1."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from judge.sandbox.base import (
    Limits,
    RawRun,
    RunResult,
    SandboxUnavailableError,
    classify,
)
from judge.sandbox.cgroups import BoxCgroup, CgroupUsage, CgroupV1, RunCgroup, owned_name
from judge.sandbox.etc import build_etc
from judge.sandbox.helper_build import helper_path
from judge.sandbox.slots import SlotPool, shared_pool
from judge.sandbox.zygote import Zygote, ZygoteError

BASE_UID = 60000
DEFAULT_ENV = {"PATH": "/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8", "TMPDIR": "/tmp"}
STDERR_KEEP = 64 * 1024
# Processes of a box cgroup besides the run itself: the launcher and the run's keeper.
LAUNCHER_PROCS = 2
USERNS_SYSCTLS = {
    "/proc/sys/kernel/unprivileged_userns_clone": "0",
    "/proc/sys/user/max_user_namespaces": "0",
    "/proc/sys/kernel/apparmor_restrict_unprivileged_userns": "1",
}


def can_isolate(euid: int) -> bool:
    """Root isolates with per-slot uids and cgroups; others need unprivileged user namespaces."""
    return euid == 0 or userns_blocker() == ""


def userns_blocker() -> str:
    """Why this host forbids unprivileged user namespaces, or "" when nothing says it does."""
    for path, blocked in USERNS_SYSCTLS.items():
        try:
            if Path(path).read_text().strip() == blocked:
                return f"{path} is {blocked}"
        except OSError:
            continue
    return ""


class ProcessSandbox:
    """Runs untrusted code in Linux namespaces on this host; one slot per core."""

    name = "process"

    def __init__(
        self, work_dir: Path | None = None, slots: int | None = None, base_uid: int = BASE_UID
    ) -> None:
        self.rootless = os.geteuid() != 0
        if self.rootless and (blocker := userns_blocker()):
            raise _refuse(f"unprivileged user namespaces are disabled: {blocker}")
        self.work_dir = work_dir or _default_work_dir(self.rootless)
        self.work_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.work_dir.chmod(0o700)
        self.helper = helper_path(self.work_dir / "bin")
        self.cgroups = CgroupV1.detect()
        if self.cgroups is not None:
            self.cgroups.sweep()
        self.pool: SlotPool = shared_pool(self.work_dir / "slots", slots)
        self.base_uid = base_uid
        self.test_runs = "zygote"  # or "spawn": one helper process and cgroup per run
        self._etc = {
            s: build_etc(self.work_dir / f"etc-{base_uid + s}", base_uid + s) for s in self.slots()
        }
        if self.rootless:
            self._probe()

    @property
    def mode(self) -> str:
        """`root` (per-slot uids), or `userns` (service uid mapped to the slot uid inside)."""
        return "userns" if self.rootless else "root"

    def _probe(self) -> None:
        """Run `true` in a real box: a host that cannot build the sandbox fails closed here."""
        with self.open_box() as box:
            run = box.run(["/usr/bin/true"], Limits(cpu_ms=1000, memory_kb=64 * 1024))
        if run.status != "OK":
            reason = run.detail or f"probe run ended {run.status}"
            raise _refuse(f"a user-namespace sandbox cannot be built here: {reason}")

    def slots(self) -> range:
        return range(self.pool.size)

    def uids(self) -> range:
        return range(self.base_uid, self.base_uid + self.pool.size)

    def open_box(self, language_id: str = "") -> ProcessBox:
        slot = self.pool.acquire()
        try:
            return ProcessBox(self, slot, _data_extra_kb(language_id))
        except BaseException:
            self.pool.release(slot)
            raise

    def etc_for(self, slot: int) -> Path:
        return self._etc[slot]


def _default_work_dir(rootless: bool) -> Path:
    return Path(
        f"/var/tmp/codequest-judge-{os.geteuid()}" if rootless else "/var/tmp/codequest-judge"
    )


def _data_extra_kb(language_id: str) -> int:
    """RLIMIT_DATA headroom of a language, used only when there is no memory cgroup."""
    from judge.languages import UnknownLanguageError, get_language

    try:
        return get_language(language_id).rlimit_data_extra_mb * 1024 if language_id else 0
    except UnknownLanguageError:
        return 0


def _refuse(reason: str) -> SandboxUnavailableError:
    return SandboxUnavailableError(
        f"process sandbox: not root, and {reason}; refusing to run untrusted code without"
        " isolation (run the judge as root, enable unprivileged user namespaces, or use docker)"
    )


class ProcessBox:
    """A scratch directory bound at /box; sources are written here and every test runs here."""

    def __init__(self, sandbox: ProcessSandbox, slot: int, data_extra_kb: int = 0) -> None:
        self.sandbox = sandbox
        self.slot = slot
        self.data_extra_kb = data_extra_kb
        self.uid = sandbox.base_uid + slot
        self.dir = Path(tempfile.mkdtemp(prefix=f"box{slot}-", dir=sandbox.work_dir))
        self.box = self.dir / "box"
        self.root = self.dir / "root"
        self.io = self.dir / "io"
        for d in (self.box, self.root, self.io):
            d.mkdir(mode=0o700)
        self._chown(self.box)
        self.box.chmod(0o755)
        self._closed = False
        self._group: BoxCgroup | None = None
        self._zygote: Zygote | None = None

    def __enter__(self) -> ProcessBox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def write_file(self, name: str, data: bytes) -> None:
        path = self.box / name
        path.write_bytes(data)
        self._chown(path)
        path.chmod(0o644)

    def _chown(self, path: Path) -> None:
        """Rootless, the service's own uid is the slot uid inside the user namespace."""
        if not self.sandbox.rootless:
            os.chown(path, self.uid, self.uid)

    def run(
        self,
        argv: list[str],
        limits: Limits,
        stdin: bytes = b"",
        env: dict[str, str] | None = None,
        writable: bool = False,
    ) -> RunResult:
        (self.io / "stdin").write_bytes(stdin)
        full_env = {**DEFAULT_ENV, **(env or {})}
        if writable or self.sandbox.test_runs != "zygote":
            return self._spawned(argv, limits, full_env, writable)
        return self._forked(argv, limits, full_env)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            self._stop_zygote()
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.sandbox.pool.release(self.slot)

    def _spawned(
        self, argv: list[str], limits: Limits, env: dict[str, str], writable: bool
    ) -> RunResult:
        """Compiles (they write to /box): a helper process and a fresh cgroup of their own."""
        group = self._cgroup(limits)
        try:
            facts = self._launch(argv, limits, env, writable, group)
            usage = group.usage() if group else None
        finally:
            if group:
                group.remove()
        return self._result(facts, usage, limits)

    def _forked(self, argv: list[str], limits: Limits, env: dict[str, str]) -> RunResult:
        """Tests: forked by the box's launcher, already inside the box's cgroup."""
        zygote = self._zygote or self._start_zygote()
        group = self._group
        start = (
            group.prepare(limits.memory_kb, limits.processes + LAUNCHER_PROCS) if group else None
        )
        cmd = [*self._options(limits, False, group, join=False), *_env_args(env), "--", *argv]
        try:
            status, text = zygote.run(cmd, limits.effective_wall_ms / 1000 + 10)
        except ZygoteError as exc:
            self._stop_zygote()  # kills whatever is left; the next run starts a new launcher
            return self._result({"err": f"sandbox launcher failed: {exc}"}, None, limits)
        facts = _parse_helper(text) if status == 0 else _keeper_failed(status, zygote)
        usage = group.usage_since(start) if group and start else None
        if group:
            self._reap_stragglers(group)
        return self._result(facts, usage, limits)

    def _start_zygote(self) -> Zygote:
        cg = self.sandbox.cgroups
        if cg is not None and self._group is None:
            self._group = cg.create_box(owned_name(f"s{self.slot}-box"))
        procs = self._group.procs_files if self._group else []
        self._zygote = Zygote(self.sandbox.helper, procs, self.io / "launcher.err")
        return self._zygote

    def _stop_zygote(self) -> None:
        if self._zygote is not None:
            self._zygote.close()
            self._zygote = None
        if self._group is not None:
            self._reap_stragglers(self._group, keep=None)
            self._group.remove()
            self._group = None

    def _reap_stragglers(self, group: BoxCgroup, keep: int | None = -1) -> None:
        """Nothing but the launcher may stay in the box cgroup between runs."""
        launcher = self._zygote.pid if self._zygote and keep == -1 else None
        for _ in range(200):
            left = [pid for pid in group.pids() if pid != launcher]
            if not left:
                return
            for pid in left:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            time.sleep(0.005)

    def _cgroup(self, limits: Limits) -> RunCgroup | None:
        cg = self.sandbox.cgroups
        if cg is None:
            return None
        return cg.create(owned_name(f"s{self.slot}"), limits.memory_kb, limits.processes)

    def _launch(
        self,
        argv: list[str],
        limits: Limits,
        env: dict[str, str],
        writable: bool,
        group: RunCgroup | None,
    ) -> dict[str, str]:
        cmd = [str(self.sandbox.helper), *self._options(limits, writable, group)]
        cmd += [*_env_args(env), "--", *argv]
        timeout = limits.effective_wall_ms / 1000 + 10
        proc = subprocess.run(cmd, capture_output=True, env={}, timeout=timeout, check=False)
        if proc.returncode != 0:
            return {"err": f"helper exit {proc.returncode}: {proc.stderr.decode(errors='replace')}"}
        return _parse_helper(proc.stdout.decode(errors="replace"))

    def _options(
        self, limits: Limits, writable: bool, group: RunCgroup | None, join: bool = True
    ) -> list[str]:
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
            "data_kb": 0 if group else limits.memory_kb + self.data_extra_kb,
            "userns": int(self.sandbox.rootless),
        }
        out = [f"{k}={v}" for k, v in opts.items()]
        if group:
            out += [f"cg={p}" for p in group.procs_files] if join else []
            out += [f"cgcpu={group.cpu_file}"]
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


def _env_args(env: dict[str, str]) -> list[str]:
    return [f"env={k}={v}" for k, v in env.items()]


def _keeper_failed(status: int, zygote: Zygote) -> dict[str, str]:
    return {"err": f"helper exit {os.waitstatus_to_exitcode(status)}: {zygote.stderr_tail()}"}


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
        # The keeper's own reading spans exactly the run; a box cgroup has earlier runs in it.
        cg_cpu_ns = int(facts.get("cg_cpu_ns", "-1"))
        cpu_ms = cg_cpu_ns / 1e6 if cg_cpu_ns >= 0 else cpu_ms
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
