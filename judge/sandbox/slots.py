"""A pool of judge slots, one per core, shared by the threads and processes of one host."""

from __future__ import annotations

import fcntl
import os
import threading
import time
from pathlib import Path


class SlotPool:
    """Hands out slot numbers; a slot is held by a thread lock and a cross-process flock."""

    def __init__(self, size: int, lock_dir: Path) -> None:
        self.size = size
        self._lock_dir = lock_dir
        self._cond = threading.Condition()
        self._free = list(range(size))
        self._files: dict[int, int] = {}

    def acquire(self) -> int:
        while True:
            slot = self._take_local()
            fd = self._try_flock(slot)
            if fd is not None:
                self._files[slot] = fd
                return slot
            self._give_local(slot)
            time.sleep(0.01)

    def release(self, slot: int) -> None:
        fd = self._files.pop(slot)
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
        self._give_local(slot)

    def _take_local(self) -> int:
        with self._cond:
            while not self._free:
                self._cond.wait()
            return self._free.pop(0)

    def _give_local(self, slot: int) -> None:
        with self._cond:
            self._free.append(slot)
            self._cond.notify()

    def _try_flock(self, slot: int) -> int | None:
        fd = os.open(self._lock_dir / f"slot-{slot}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return None
        return fd


_pools: dict[Path, SlotPool] = {}
_pools_lock = threading.Lock()


def shared_pool(lock_dir: Path, size: int | None = None) -> SlotPool:
    """One pool per lock directory in this process, so two sandboxes never share a uid."""
    with _pools_lock:
        if lock_dir not in _pools:
            lock_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
            _pools[lock_dir] = SlotPool(size or os.cpu_count() or 1, lock_dir)
        return _pools[lock_dir]
