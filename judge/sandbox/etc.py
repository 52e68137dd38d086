"""Builds the curated read-only /etc of a slot: only the sandbox user, no shadow, no secrets."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

_COPIED = ("ld.so.cache", "ld.so.conf", "localtime", "alternatives", "java-17-openjdk")


def build_etc(target: Path, uid: int) -> Path:
    """Built once, then renamed into place, so a running box never sees a half-written /etc."""
    if target.exists():
        return target
    tmp = Path(tempfile.mkdtemp(prefix=".etc-", dir=target.parent))
    _fill(tmp, uid)
    try:
        tmp.rename(target)
    except OSError:
        shutil.rmtree(tmp)
    return target


def _fill(target: Path, uid: int) -> None:
    for name in _COPIED:
        _copy(Path("/etc") / name, target / name)
    (target / "passwd").write_text(f"sandbox:x:{uid}:{uid}:sandbox:/tmp:/usr/sbin/nologin\n")
    (target / "group").write_text(f"sandbox:x:{uid}:\n")
    (target / "hostname").write_text("sandbox\n")
    (target / "hosts").write_text("127.0.0.1 localhost sandbox\n::1 localhost\n")
    (target / "nsswitch.conf").write_text("passwd: files\ngroup: files\nhosts: files\n")
    target.chmod(0o755)


def _copy(src: Path, dst: Path) -> None:
    if src.is_symlink():
        dst.symlink_to(src.readlink())
    elif src.is_dir():
        shutil.copytree(src, dst, symlinks=True)
    elif src.exists():
        shutil.copy2(src, dst)
