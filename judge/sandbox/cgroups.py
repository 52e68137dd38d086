"""Per-run cgroup v1 accounting: memory peak and OOM kills, pids limit, CPU usage."""

from __future__ import annotations

import contextlib
import os
import re
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

CONTROLLERS = ("memory", "pids", "cpuacct")
OWNED = re.compile(r"-p(\d+)-[0-9a-f]{12}$")


def owned_name(prefix: str) -> str:
    """A cgroup name carrying this process's pid, so a later start can sweep it if we die."""
    return f"{prefix}-p{os.getpid()}-{uuid.uuid4().hex[:12]}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass(frozen=True)
class CgroupUsage:
    cpu_ns: int
    peak_bytes: int
    oom_kills: int


def _v1_mounts() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for line in Path("/proc/self/mounts").read_text().splitlines():
        parts = line.split()
        if len(parts) > 3 and parts[2] == "cgroup":
            for opt in parts[3].split(","):
                if opt in CONTROLLERS:
                    found[opt] = Path(parts[1])
    return found


def _own_path(controller: str) -> str:
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        _, names, path = line.split(":", 2)
        if controller in names.split(","):
            return path.lstrip("/")
    return ""


class CgroupV1:
    """Creates one cgroup per run under this process's own cgroup in each v1 controller."""

    def __init__(self, bases: dict[str, Path]) -> None:
        self.bases = bases

    @classmethod
    def detect(cls, name: str = "codequest-judge") -> CgroupV1 | None:
        mounts = _v1_mounts()
        if set(mounts) != set(CONTROLLERS):
            return None
        bases = {c: mounts[c] / _own_path(c) / name for c in CONTROLLERS}
        try:
            for base in bases.values():
                base.mkdir(exist_ok=True)
        except OSError:
            return None
        if not all(os.access(base, os.W_OK | os.X_OK) for base in bases.values()):
            return None  # e.g. made by root, and this service is not root: no delegation
        return cls(bases)

    def sweep(self) -> None:
        """Remove empty cgroups left by judge processes that died (killed mid-run)."""
        for base in self.bases.values():
            for d in base.iterdir():
                match = OWNED.search(d.name)
                if d.is_dir() and match and not _alive(int(match.group(1))):
                    with contextlib.suppress(OSError):
                        if not (d / "cgroup.procs").read_text().strip():
                            os.rmdir(d)

    def create(self, run: str, memory_kb: int, processes: int) -> RunCgroup:
        dirs = {c: base / run for c, base in self.bases.items()}
        for d in dirs.values():
            d.mkdir()
        group = RunCgroup(dirs)
        group.set_limits(memory_kb * 1024, processes)
        return group

    def create_box(self, name: str) -> BoxCgroup:
        dirs = {c: base / name for c, base in self.bases.items()}
        for d in dirs.values():
            d.mkdir()
        return BoxCgroup(dirs)


class RunCgroup:
    """The cgroups of one run; `procs` are joined by the sandbox's init."""

    def __init__(self, dirs: dict[str, Path]) -> None:
        self.dirs = dirs

    @property
    def procs_files(self) -> list[Path]:
        return [d / "cgroup.procs" for d in self.dirs.values()]

    @property
    def cpu_file(self) -> Path:
        return self.dirs["cpuacct"] / "cpuacct.usage"

    def set_limits(self, memory_bytes: int, processes: int) -> None:
        mem = self.dirs["memory"]
        files = [mem / "memory.limit_in_bytes", mem / "memory.memsw.limit_in_bytes"]
        if memory_bytes > int(files[0].read_text()):
            files.reverse()  # v1 keeps memory <= memory+swap at every step
        for path in files:
            with contextlib.suppress(FileNotFoundError):
                path.write_text(str(memory_bytes))
        (self.dirs["pids"] / "pids.max").write_text(str(processes))

    def usage(self) -> CgroupUsage:
        mem = self.dirs["memory"]
        oom = 0
        for line in (mem / "memory.oom_control").read_text().splitlines():
            key, _, value = line.partition(" ")
            if key == "oom_kill":
                oom = int(value)
        return CgroupUsage(
            cpu_ns=int(self.cpu_file.read_text()),
            peak_bytes=int((mem / "memory.max_usage_in_bytes").read_text()),
            oom_kills=oom,
        )

    def remove(self) -> None:
        for d in self.dirs.values():
            _rmdir_retry(d)


@dataclass(frozen=True)
class RunStart:
    base_bytes: int
    oom_kills: int


class BoxCgroup(RunCgroup):
    """One cgroup per box, reused by every test run: counters are reset and read as deltas."""

    _limits: tuple[int, int] | None = None

    def prepare(self, memory_kb: int, processes: int) -> RunStart:
        """Set this run's limits if they changed, reset the peak, note the idle baseline."""
        if self._limits != (memory_kb, processes):
            self.set_limits(memory_kb * 1024, processes)
            self._limits = (memory_kb, processes)
        mem = self.dirs["memory"]
        (mem / "memory.max_usage_in_bytes").write_text("0")
        base = int((mem / "memory.usage_in_bytes").read_text())
        return RunStart(base_bytes=base, oom_kills=self._oom_kills())

    def usage_since(self, start: RunStart) -> CgroupUsage:
        peak = int((self.dirs["memory"] / "memory.max_usage_in_bytes").read_text())
        return CgroupUsage(
            cpu_ns=int(self.cpu_file.read_text()),
            peak_bytes=max(0, peak - start.base_bytes),
            oom_kills=self._oom_kills() - start.oom_kills,
        )

    def pids(self) -> list[int]:
        text = (self.dirs["pids"] / "cgroup.procs").read_text()
        return [int(line) for line in text.split()]

    def _oom_kills(self) -> int:
        for line in (self.dirs["memory"] / "memory.oom_control").read_text().splitlines():
            key, _, value = line.partition(" ")
            if key == "oom_kill":
                return int(value)
        return 0


def _rmdir_retry(d: Path) -> None:
    for _ in range(100):
        try:
            os.rmdir(d)
            return
        except FileNotFoundError:
            return
        except OSError:
            time.sleep(0.005)
    os.rmdir(d)
