"""A per-box launcher inside the box's cgroups: every test run is forked from it, not migrated."""

from __future__ import annotations

import os
import re
import select
import subprocess
import time
from pathlib import Path

from judge.sandbox.base import SandboxUnavailableError

DONE = re.compile(rb"(?:^|\n)done=(-?\d+)\n")
START_TIMEOUT_S = 10.0


class ZygoteError(RuntimeError):
    """The launcher died or stopped answering; the box starts a new one for its next run."""


class Zygote:
    """`helper serve`: joins the box's cgroups once, then forks one keeper per run request."""

    def __init__(self, helper: Path, procs_files: list[Path], err_path: Path) -> None:
        self.err_path = err_path
        with err_path.open("ab") as err:
            self.proc = subprocess.Popen(
                [str(helper), "serve", *(f"cg={p}" for p in procs_files)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=err,
                env={},
            )
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self._in = self.proc.stdin.fileno()
        self._out = self.proc.stdout.fileno()
        try:
            self._read_until(b"ready\n", time.monotonic() + START_TIMEOUT_S)
        except ZygoteError as exc:
            self.close()
            raise SandboxUnavailableError(f"sandbox launcher did not start: {exc}") from exc

    @property
    def pid(self) -> int:
        return self.proc.pid

    def run(self, args: list[str], timeout_s: float) -> tuple[int, str]:
        """Send one run; returns the keeper's wait status and its result text."""
        payload = b"".join(a.encode() + b"\0" for a in args)
        try:
            _write_all(self._in, b"%d\n" % len(payload) + payload)
        except OSError as exc:
            raise ZygoteError(f"launcher gone: {exc}") from exc
        buf = self._read_until(b"\ndone=", time.monotonic() + timeout_s, DONE)
        match = DONE.search(buf)
        assert match is not None
        return int(match.group(1)), buf[: match.start()].decode(errors="replace")

    def stderr_tail(self) -> str:
        """What the launcher's keepers wrote to stderr since the last call (then forgotten)."""
        try:
            text = self.err_path.read_bytes()[-2000:].decode(errors="replace")
            os.truncate(self.err_path, 0)
        except FileNotFoundError:
            return ""
        return text

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream is not None:
                stream.close()

    def _read_until(
        self, marker: bytes, deadline: float, pattern: re.Pattern[bytes] | None = None
    ) -> bytes:
        buf = b""
        while not (pattern.search(buf) if pattern else buf.endswith(marker)):
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._out], [], [], left)[0]:
                raise ZygoteError("launcher did not answer in time")
            chunk = os.read(self._out, 65536)
            if not chunk:
                raise ZygoteError(f"launcher exited: {self.stderr_tail().strip()}")
            buf += chunk
        return buf


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
