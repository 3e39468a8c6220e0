"""Errors a user can act on: each carries a one-line message saying what is wrong and what to do."""

from __future__ import annotations

import errno

DISK_ERRORS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EFBIG})
"""What a disk answers when it cannot take a write: a failed write (exit 6), where other
refusals (permissions, a read-only or missing folder) are bad input (exit 2)."""


class NewsbrowseError(Exception):
    """Base of every error newsbrowse reports to a user (never with a traceback)."""

    exit_code = 1


class NotFound(NewsbrowseError):
    """An article, quote or demand id that the store does not hold."""

    exit_code = 3


class BadInput(NewsbrowseError):
    """A file or argument that cannot be used as given."""

    exit_code = 2


class StoreDamaged(NewsbrowseError):
    """A store file that cannot be read; it is never replaced silently."""

    exit_code = 4


class StoreLocked(NewsbrowseError):
    """Another newsbrowse process is writing to the same home. ``in_use`` says where and
    by whom, without advice; ``by_app`` whether the holder is the app, so that a command
    can say how to do its work there instead."""

    exit_code = 5

    def __init__(self, message: str, *, in_use: str = "", by_app: bool = False) -> None:
        super().__init__(message)
        self.in_use = in_use or message
        self.by_app = by_app


class StoreWriteFailed(NewsbrowseError):
    """A write that the disk refused (full, read-only, I/O error); the store is unchanged."""

    exit_code = 6


class StoreUnreadable(NewsbrowseError):
    """A store file or folder that the system refuses to read (permissions, I/O error): it
    is not damaged, and nothing is set aside or rewritten because of it."""

    exit_code = 6
