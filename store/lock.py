"""One writer per home: an ``fcntl`` lock on ``HOME/newsbrowse.lock`` naming its holder.

TinyDB gives no protection against two processes writing one file, so every process
that may write (the app, ``import``, ``reset``, ``recover``) holds this lock for its
whole life. The kernel drops the lock when the holder dies, even by SIGKILL, so a
crash never leaves the home locked. The file's text (pid and command) is only there to
name the holder in the message a second process shows.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
from pathlib import Path

from newsbrowse.store.errors import StoreLocked

LOCK_NAME = "newsbrowse.lock"

# One process holds a home's flock once, however many Library objects it opens on it
# (tests, a reopen after reset); they share one thread lock, so they never write at once.
_REGISTRY_LOCK = threading.Lock()
_HELD: dict[str, tuple[int, int]] = {}
_THREAD_LOCKS: dict[str, threading.RLock] = {}


def thread_lock(home: Path) -> threading.RLock:
    """The one lock every thread takes before touching the store in ``home``."""
    key = os.path.realpath(home)
    with _REGISTRY_LOCK:
        return _THREAD_LOCKS.setdefault(key, threading.RLock())


def _holder(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        text = ""
    pid, _, command = text.partition(" ")
    if not pid.isdigit():
        return "another process"
    return f"process {pid} ({command})" if command else f"process {pid}"


class HomeLock:
    """The write lock of one home; ``acquire`` never waits."""

    def __init__(self, home: Path) -> None:
        self.path = home / LOCK_NAME
        self._key = os.path.realpath(home)
        self.held = False

    def acquire(self, command: str) -> None:
        """Take the lock or raise :class:`StoreLocked` naming the process that holds it."""
        if self.held:
            return
        with _REGISTRY_LOCK:
            fd, count = _HELD.get(self._key, (-1, 0))
            if count == 0:
                fd = self._lock_file(command)
            _HELD[self._key] = (fd, count + 1)
        self.held = True

    def _lock_file(self, command: str) -> int:
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError as exc:
            raise StoreLocked(f"cannot open the lock file {self.path}: {exc.strerror}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise StoreLocked(
                f"the store in {self.path.parent} is in use by {_holder(self.path)}; "
                "close that newsbrowse and try again"
            ) from None
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()} {command}\n".encode(), 0)
        return fd

    def release(self) -> None:
        if not self.held:
            return
        self.held = False
        with _REGISTRY_LOCK:
            fd, count = _HELD.pop(self._key, (-1, 0))
            if count > 1:
                _HELD[self._key] = (fd, count - 1)
                return
        if fd >= 0:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)
            os.close(fd)  # closing the descriptor drops the flock
