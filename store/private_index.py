"""An index a process reads alone, for when the one on disk cannot be brought up to the
corpus: the disk is full, the home read-only, or another process is writing it.

Reads never fail for want of a writable index. Either the disk index's file is read with
the chunks it lacks added in a transaction that is never committed (an *overlay*: its
journal is in memory and no page is spilled, so the file is not changed), or, when that
file cannot be used (missing, torn, of another version), an index is built in memory
from the corpus (about 1 s per 1,000 articles). :meth:`PrivateIndex.notice` says which
and why, in one line.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path

from newsbrowse.store.errors import DISK_ERRORS
from newsbrowse.store.index import Index
from newsbrowse.store.index_tables import fill
from newsbrowse.store.model import Article


class PrivateIndex(Index):
    """The overlay of the disk index at ``path`` (``overlay``), or an index in memory."""

    def __init__(self, path: Path, *, overlay: bool) -> None:
        super().__init__(path)
        self.overlay = overlay

    def _connect(self) -> sqlite3.Connection:
        if self.overlay:
            return super()._connect()  # journal in memory, no spill: nothing reaches the file
        conn = sqlite3.connect(":memory:", check_same_thread=False)
        conn.row_factory = sqlite3.Row
        return conn

    def _meta(self) -> dict[str, str] | None:
        if self.overlay:
            return super()._meta()
        try:
            rows = self.conn.execute("SELECT key, value FROM meta").fetchall()
        except sqlite3.DatabaseError:
            return None  # not built yet
        return {r["key"]: r["value"] for r in rows}

    def rebuild(
        self,
        items: Iterable[tuple[str, Article, str | None, tuple[int, int] | None]],
        chunks: dict[str, int],
        generation: str,
    ) -> None:
        if self.overlay:
            raise sqlite3.OperationalError("an overlay is only caught up, never rebuilt")
        fill(self.conn, items, chunks, generation)

    def commit(self, generation: str | None = None) -> None:
        if generation is not None:
            self.conn.execute("UPDATE meta SET value = ? WHERE key = 'generation'", (generation,))
        if not self.overlay:
            self.conn.commit()

    def sync(self) -> None:
        return None  # nothing of it is on disk

    def close(self) -> None:
        if self._conn is not None:
            self._conn.rollback()  # an overlay's additions go with it
            self._conn.close()
            self._conn = None

    def notice(self, failure: Exception | None) -> str:
        """The one line saying why this index is read, and what to do (``failure``: why
        the disk index could not be written; None: another process is writing it)."""
        if failure is None:
            why, hint = "is being written by another newsbrowse process", ""
        else:
            why, hint = f"cannot be written ({reason(failure)})", f" ({_hint(failure)})"
        read = "the store and the index" if self.overlay else "the store into memory"
        return f"the search index {self.path} {why}; this command read {read} instead{hint}"


def reason(exc: Exception) -> str:
    """What the system said, in its own words (never a guess at the cause)."""
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__


def _hint(exc: Exception) -> str:
    """What to do about an index that could not be written, by the reason given."""
    said = reason(exc).lower()
    if isinstance(exc, OSError) and exc.errno in DISK_ERRORS or "full" in said:
        return "free some disk space and it is written again"
    if any(word in said for word in ("read-only", "readonly", "permission", "access")):
        return "make the home writable and it is written again"
    if "i/o" in said:
        return "check the disk and its free space; it is written again once it can be"
    return "remove it and it is rebuilt"
