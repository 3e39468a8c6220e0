"""One writer per home: an ``fcntl`` lock on ``HOME/newsbrowse.lock`` naming its holder;
and one writer of the derived index at a time: a lock on ``HOME/index.lock``.

TinyDB gives no protection against two processes writing one file, so every process
that may write (the app, ``import``, ``reset``, ``recover``) holds the home's lock for
its whole life, and never waits for it. The kernel drops a lock when its holder dies,
even by SIGKILL, so a crash never leaves the home locked; a process forked by a holder
(an import's analysing workers) closes the locks it inherited at once, so that the
locks die with the holder alone. The file's text (pid and command) is only there to
name the holder in the message a second process shows.

Readers take neither lock to read. The index is derived from the corpus and brought up
to it by whoever needs it: a writer holds the index lock for its whole life (waiting,
when it starts, for a reader's update of the index to end), and a reader updates the
index only if it gets the index lock at once, for that update alone. So a reader never
writes the index while a writer lives, and two processes never write it together.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
from pathlib import Path

from newsbrowse.store.errors import DISK_ERRORS, BadInput, StoreLocked, StoreWriteFailed

LOCK_NAME = "newsbrowse.lock"
APP_COMMAND = "newsbrowse app"
"""How the app names itself in the lock file: it holds the lock for its whole life."""
INDEX_LOCK_NAME = "index.lock"

# One process holds a home's flock once, however many Library objects it opens on it
# (tests, a reopen after reset); they share one thread lock, so they never write at once.
_REGISTRY_LOCK = threading.Lock()
_HELD: dict[tuple[str, str], tuple[int, int]] = {}  # (lock file, home) -> (fd, holders)
_TAKING: dict[tuple[str, str], threading.Lock] = {}  # one thread at a time takes a flock
_THREAD_LOCKS: dict[str, threading.RLock] = {}


def thread_lock(home: Path) -> threading.RLock:
    """The one lock every thread takes before touching the store in ``home``."""
    key = os.path.realpath(home)
    with _REGISTRY_LOCK:
        return _THREAD_LOCKS.setdefault(key, threading.RLock())


def _close_inherited() -> None:
    """In a child just forked (one thread): close the locks' descriptors it inherited, so
    that they are held by the parent alone and dropped when the parent dies."""
    global _REGISTRY_LOCK
    _REGISTRY_LOCK = threading.Lock()  # another thread may have held it at the fork
    for fd, _count in _HELD.values():
        with contextlib.suppress(OSError):
            os.close(fd)
    _HELD.clear()
    _TAKING.clear()


os.register_at_fork(after_in_child=_close_inherited)


def _holder(path: Path) -> tuple[str, str]:
    """The holder named from the lock file's text, and its command ("" if unknown)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        text = ""
    pid, _, command = text.partition(" ")
    if not pid.isdigit():
        return "another process", ""
    if command == APP_COMMAND:
        return f"newsbrowse (the app, pid {pid})", command
    return (f"process {pid} ({command})" if command else f"process {pid}"), command


def _open_lock_file(path: Path) -> int:
    """The lock file, opened for writing. A home where it cannot be is named with the
    system's reason (never "in use": nobody holds it): bad input, or a failed write if
    the disk refused it."""
    try:
        return os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        error = StoreWriteFailed if exc.errno in DISK_ERRORS else BadInput
        raise error(
            f"cannot write in the newsbrowse home {path.parent}: its lock file {path.name} "
            f"cannot be opened ({exc.strerror or exc}); fix the folder's permissions or "
            "choose another with --home or NEWSBROWSE_HOME"
        ) from None


class _SharedLock:
    """A lock file's flock, held once per process and shared by its Library objects."""

    NAME = LOCK_NAME

    def __init__(self, home: Path) -> None:
        self.path = home / self.NAME
        self._key = (self.NAME, os.path.realpath(home))
        self.held = False

    def _take(self, command: str) -> int:
        raise NotImplementedError

    def acquire(self, command: str = "newsbrowse") -> None:
        """Take the lock (or share this process's hold of it)."""
        if self.held:
            return
        with _REGISTRY_LOCK:
            taking = _TAKING.setdefault(self._key, threading.Lock())
        with taking:  # a second flock of this process would conflict with the first
            with _REGISTRY_LOCK:
                fd, count = _HELD.get(self._key, (-1, 0))
            if count == 0:
                fd = self._take(command)  # without the registry lock: it may wait
            with _REGISTRY_LOCK:
                _HELD[self._key] = (fd, count + 1)
        self.held = True

    def held_in_process(self) -> bool:
        with _REGISTRY_LOCK:
            return _HELD.get(self._key, (-1, 0))[1] > 0

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
            self._let_go(fd)

    def _let_go(self, fd: int) -> None:
        os.close(fd)  # closing the descriptor drops the flock


class HomeLock(_SharedLock):
    """The write lock of one home; ``acquire`` never waits."""

    NAME = LOCK_NAME

    def _take(self, command: str) -> int:
        """Take the lock or raise :class:`StoreLocked` naming the process that holds it."""
        fd = _open_lock_file(self.path)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            holder, holder_command = _holder(self.path)
            by_app = holder_command == APP_COMMAND
            in_use = f"the store in {self.path.parent} is in use by {holder}"
            advice = "close it and try again" if by_app else "close that newsbrowse and try again"
            raise StoreLocked(f"{in_use}; {advice}", in_use=in_use, by_app=by_app) from None
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()} {command}\n".encode(), 0)
        return fd

    def _let_go(self, fd: int) -> None:
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
        os.close(fd)


class IndexLock(_SharedLock):
    """Who may write the derived index: a writer, with :meth:`acquire`, for its life
    (waiting for a reader's update to end); a reader, with :meth:`try_acquire`, for one
    update, if nobody holds it."""

    NAME = INDEX_LOCK_NAME

    def _take(self, command: str) -> int:
        fd = _open_lock_file(self.path)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)  # a reader's update is bounded: wait for it
        except BaseException:
            os.close(fd)
            raise
        return fd

    def try_acquire(self) -> bool:
        """Take the lock for one update if nobody holds it (a writer, in this process or
        another, or a reader updating); False at once otherwise. OSError if the lock
        file cannot be opened (a read-only home: the index cannot be written either)."""
        if self.held or self.held_in_process():
            return False
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        with _REGISTRY_LOCK:
            _HELD[self._key] = (fd, 1)
        self.held = True
        return True
