"""The docker backend: one locked-down container per submission, one `exec_run` per run."""

from __future__ import annotations

import io
import json
import os
import tarfile
import time
from pathlib import Path
from typing import Any

from judge.sandbox.base import Limits, RawRun, RunResult, SandboxUnavailableError, classify
from judge.sandbox.docker_runner import RUNNER
from judge.sandbox.slots import SlotPool

# infra/docker/judge-runtime.Dockerfile: Debian 12 + python3, g++ 12, OpenJDK 17, node 20
DEFAULT_IMAGE = "codequest/judge-runtime:1"
CONTAINER_MEMORY = "1g"
CONTAINER_PIDS = 256
SANDBOX_UID = 1000  # the image's `sandbox` user
USER = f"{SANDBOX_UID}:{SANDBOX_UID}"
ENV = {"PATH": "/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8", "TMPDIR": "/tmp"}


def docker_engine_available() -> bool:
    try:
        import docker

        return bool(docker.from_env(timeout=2).ping())
    except Exception:
        return False


class DockerSandbox:
    """Runs each submission in its own container; needs a reachable Docker engine."""

    name = "docker"

    def __init__(self, image: str = DEFAULT_IMAGE, slots: int | None = None) -> None:
        import docker

        try:
            self.client = docker.from_env(timeout=10)
            self.client.ping()
        except Exception as exc:
            raise SandboxUnavailableError(f"no Docker engine answers: {exc}") from exc
        self.image = image
        self.pool = SlotPool(slots or os.cpu_count() or 1, _lock_dir())

    def open_box(self, language_id: str = "") -> DockerBox:
        slot = self.pool.acquire()
        try:
            return DockerBox(self, slot)
        except BaseException:
            self.pool.release(slot)
            raise


def _lock_dir() -> Path:
    path = Path("/var/tmp/codequest-judge-docker/slots")
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


class DockerBox:
    """A container started with `sleep infinity`; compile and tests are `exec_run`s inside it."""

    def __init__(self, sandbox: DockerSandbox, slot: int) -> None:
        self.sandbox = sandbox
        self.slot = slot
        self.container = sandbox.client.containers.run(
            sandbox.image,
            ["sleep", "infinity"],
            detach=True,
            network_mode="none",
            read_only=True,
            tmpfs={
                "/box": "rw,exec,nosuid,size=64m,mode=1777",
                "/tmp": "rw,nosuid,size=16m",
                "/io": "rw,nosuid,size=80m,mode=1777",
            },
            mem_limit=CONTAINER_MEMORY,
            memswap_limit=CONTAINER_MEMORY,
            pids_limit=CONTAINER_PIDS,
            nano_cpus=1_000_000_000,
            cpuset_cpus=str(slot % (os.cpu_count() or 1)),
            cap_drop=["ALL"],
            security_opt=["no-new-privileges"],
            user=USER,
            init=True,
            working_dir="/box",
            auto_remove=False,
        )
        self._put("/io", {"runner.py": RUNNER.encode()})

    def __enter__(self) -> DockerBox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def write_file(self, name: str, data: bytes) -> None:
        self._put("/box", {name: data})

    def run(
        self,
        argv: list[str],
        limits: Limits,
        stdin: bytes = b"",
        env: dict[str, str] | None = None,
        writable: bool = False,
    ) -> RunResult:
        self._put("/io", {"stdin": stdin})
        spec = _runner_spec(argv, limits, {**ENV, **(env or {})})
        started = time.monotonic()
        code, out = self.container.exec_run(
            ["/usr/bin/python3", "-I", "/io/runner.py", json.dumps(spec)], user=USER, demux=False
        )
        facts = _parse_runner(out, code, started)
        stdout, size = self._read("/io/stdout", limits.output_kb * 1024)
        stderr, _ = self._read("/io/stderr", 64 * 1024)
        raw = _raw(facts, size, self._oom_killed())
        return RunResult(
            status=classify(raw, limits),
            exit_code=raw.exit_code,
            signal=raw.signal,
            cpu_ms=raw.cpu_ms,
            wall_ms=raw.wall_ms,
            memory_kb=raw.memory_kb,
            stdout=stdout,
            stderr=stderr,
            output_truncated=size > len(stdout),
            detail=raw.setup_error or raw.killed_for,
        )

    def close(self) -> None:
        try:
            self.container.remove(force=True)
        finally:
            self.sandbox.pool.release(self.slot)

    def _put(self, directory: str, files: dict[str, bytes]) -> None:
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode="w") as tar:
            for name, data in files.items():
                info = tarfile.TarInfo(name)
                info.size, info.mode = len(data), 0o644
                info.uid = info.gid = SANDBOX_UID
                tar.addfile(info, io.BytesIO(data))
        self.container.put_archive(directory, buf.getvalue())

    def _read(self, path: str, cap: int) -> tuple[bytes, int]:
        code, out = self.container.exec_run(
            ["/bin/sh", "-c", f"stat -c %s {path}; head -c {cap} {path}"], user=USER
        )
        head, _, body = out.partition(b"\n")
        return (body, int(head)) if code == 0 else (b"", 0)

    def _oom_killed(self) -> bool:
        self.container.reload()
        return bool(self.container.attrs.get("State", {}).get("OOMKilled"))


def _runner_spec(argv: list[str], limits: Limits, env: dict[str, str]) -> dict[str, Any]:
    cpu_s = (limits.cpu_ms + 999) // 1000 + 1
    return {
        "argv": argv,
        "env": env,
        "cwd": "/box",
        "stdin": "/io/stdin",
        "stdout": "/io/stdout",
        "stderr": "/io/stderr",
        "cpu_ms": limits.cpu_ms,
        "wall_ms": limits.effective_wall_ms,
        "rlimits": {
            "RLIMIT_CPU": cpu_s,
            "RLIMIT_FSIZE": limits.output_kb * 1024 + 1,
            "RLIMIT_NOFILE": limits.open_files,
            "RLIMIT_NPROC": limits.processes,
            "RLIMIT_CORE": 0,
            "RLIMIT_STACK": limits.effective_stack_kb * 1024,
            "RLIMIT_DATA": limits.memory_kb * 1024 * 4,
        },
    }


def _parse_runner(out: bytes, code: int, started: float) -> dict[str, Any]:
    try:
        return dict(json.loads(out.decode().strip().splitlines()[-1]))
    except (ValueError, IndexError):
        wall = (time.monotonic() - started) * 1000
        return {"err": f"runner exit {code}: {out[-500:]!r}", "wall_ms": wall}


def _raw(facts: dict[str, Any], out_size: int, container_oom: bool) -> RawRun:
    status = int(facts.get("status", -1))
    exit_code = os.waitstatus_to_exitcode(status) if status >= 0 else None
    sig = -exit_code if exit_code is not None and exit_code < 0 else None
    killed = str(facts.get("killed", "none"))
    oom = container_oom or (sig == 9 and killed == "none")
    return RawRun(
        exit_code=None if sig else exit_code,
        signal=sig,
        cpu_ms=float(facts.get("cpu_ms", 0.0)),
        wall_ms=float(facts.get("wall_ms", 0.0)),
        memory_kb=int(facts.get("maxrss_kb", 0)),
        oom_killed=oom,
        killed_for=killed,
        stdout_bytes=out_size,
        setup_error=str(facts.get("err", "")),
    )
