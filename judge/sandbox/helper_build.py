"""Compiles the C launcher once per source version into a root-owned cache directory."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

from judge.sandbox.base import SandboxUnavailableError
from judge.sandbox.helper_c import SOURCE

_lock = threading.Lock()


def helper_path(cache_dir: Path) -> Path:
    digest = hashlib.sha256(SOURCE.encode()).hexdigest()[:16]
    target = cache_dir / f"sandbox-helper-{digest}"
    with _lock:
        if not target.exists():
            _build(target)
    return target


def _build(target: Path) -> None:
    compiler = shutil.which("gcc") or shutil.which("cc")
    if compiler is None:
        raise SandboxUnavailableError("no C compiler to build the sandbox helper")
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        src = Path(tmp) / "helper.c"
        src.write_text(SOURCE)
        out = Path(tmp) / "helper"
        cmd = [compiler, "-O2", "-Wall", "-o", str(out), str(src)]
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            raise SandboxUnavailableError(f"cannot build sandbox helper: {proc.stderr[-2000:]}")
        os.chmod(out, 0o700)
        os.replace(out, target)
