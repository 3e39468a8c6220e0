"""The derived SQLite index of the corpus, as a file: opened, written in commits a marker
guards, flushed, rebuilt beside the old one and swapped in.

It is never the only copy of anything: it records which corpus chunks it holds, catches
up on the chunks committed since (an import, or one killed before indexing), and is
rebuilt from the TinyDB corpus when it is missing, unreadable, of another version, or holds
a chunk the corpus no longer lists (:mod:`newsbrowse.store.index_keeper` decides which).
Its tables are :mod:`newsbrowse.store.index_tables` and :mod:`newsbrowse.store.fts`; the
queries over them are :mod:`newsbrowse.store.queries` and :mod:`newsbrowse.store.search`.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import os
import sqlite3
import tempfile
from collections.abc import Iterable
from pathlib import Path

from newsbrowse.store import fts
from newsbrowse.store.files import fsync_dir
from newsbrowse.store.index_tables import CACHE_KIB, add_articles, fill, index_version
from newsbrowse.store.model import Article

_ENDED = "ended"


@functools.cache
def _boot_id() -> str | None:
    """This boot's id (Linux), to tell a writer that died from a machine that went down."""
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip() or None
    except OSError:
        return None


def _tune_connection(conn: sqlite3.Connection) -> None:
    # Room for the B-tree pages an import touches (the default 2,000 pages thrash at
    # 100,000 articles); memory is taken only as pages are read.
    conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    # A derived file: no journal on disk and no fsync per commit (90,000 articles: 2.9 ->
    # 1.5 ms per article indexed). Rollback still works (the journal is in memory); the
    # file changes only inside ``commit`` (no spill of a batch's pages before it), which
    # the marker records, so a writer killed there is detected and the index rebuilt,
    # and one killed anywhere else leaves it whole.
    conn.execute("PRAGMA journal_mode = MEMORY")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_spill = OFF")


def _write_state(fd: int, state: str) -> None:
    os.ftruncate(fd, 0)
    os.pwrite(fd, state.encode(), 0)


class Index:
    """Read and (re)build the derived index at ``path``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._conn: sqlite3.Connection | None = None
        self._inode: int | None = None  # of the file the connection opened
        self._unsynced = False
        self._tuned = False  # fts.tune has run on this connection

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            self._conn = self._connect()
            with contextlib.suppress(OSError):
                self._inode = os.stat(self.path).st_ino
        return self._conn

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        _tune_connection(conn)
        return conn

    def _reopen_if_replaced(self) -> None:
        """Another process may have swapped a rebuilt index in: a connection to the old
        file would read it for ever."""
        if self._conn is None or self._conn.in_transaction:
            return
        try:
            inode = os.stat(self.path).st_ino
        except OSError:
            return
        if inode != self._inode:
            self._conn.close()
            self._conn = None
            self._tuned = False

    @property
    def marker(self) -> Path:
        """Present from a commit until the file is synced to disk: it names the boot and
        whether the commit ended (see :meth:`commit`)."""
        return self.path.with_name(self.path.name + ".writing")

    def _torn(self) -> bool:
        """Whether the file may be torn: a commit was cut short (the process died in it),
        or the machine went down before the pages of an ended commit reached the disk."""
        try:
            fd = os.open(self.marker, os.O_RDONLY | os.O_CLOEXEC)
        except FileNotFoundError:
            return False
        except OSError:
            return True
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            state = os.read(fd, 200).decode("ascii", "replace")
        except OSError:
            return False  # a live writer is committing; SQLite's locks order us after it
        finally:
            os.close(fd)
        if not state:
            return False  # made by a writer that died before its commit wrote a page
        # A commit that ended in this boot: its pages are in the kernel's cache, whole.
        boot = _boot_id()
        return not (boot is not None and state == f"{boot} {_ENDED}")

    def _meta(self) -> dict[str, str] | None:
        if not self.path.exists() or self._torn():
            return None
        self._reopen_if_replaced()
        try:
            rows = self.conn.execute("SELECT key, value FROM meta").fetchall()
        except sqlite3.DatabaseError:
            return None
        meta = {r["key"]: r["value"] for r in rows}
        if meta.get("version") != index_version():
            return None
        return meta

    def generation(self) -> str | None:
        """The corpus generation this index was last brought up to, or None if unusable."""
        meta = self._meta()
        return meta.get("generation") if meta else None

    def chunks(self) -> set[str] | None:
        """The corpus chunks this index holds, or None if it is unusable (rebuild it)."""
        if self._meta() is None:
            return None
        try:
            return {r[0] for r in self.conn.execute("SELECT name FROM chunks")}
        except sqlite3.DatabaseError:
            return None

    def rebuild(
        self,
        items: Iterable[tuple[str, Article, str | None, tuple[int, int] | None]],
        chunks: dict[str, int],
        generation: str,
    ) -> None:
        """Build a fresh index of ``items`` (chunk, article, source hash, byte span) and
        ``chunks`` (name -> file size) beside the old one, then swap it in."""
        self.close()
        # A name of its own: one left by a process killed while building is never reused.
        fd, name = tempfile.mkstemp(
            prefix=self.path.name + ".", suffix=".building", dir=self.path.parent
        )
        os.close(fd)
        tmp = Path(name)
        conn = sqlite3.connect(tmp)
        conn.row_factory = sqlite3.Row
        try:
            # A new file swapped in only when whole: it needs no journal of its own.
            conn.execute("PRAGMA journal_mode = OFF")
            conn.execute("PRAGMA synchronous = OFF")
            conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
            fill(conn, items, chunks, generation)
        except BaseException:
            conn.close()
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise
        conn.close()
        tmp.replace(self.path)
        with contextlib.suppress(FileNotFoundError):
            self.marker.unlink()  # the torn file it marked is gone

    def add_chunk(
        self,
        chunk: str,
        size: int,
        items: list[tuple[Article, str | None]],
        spans: dict[str, tuple[int, int]],
    ) -> None:
        """Add a chunk's articles in place (uncommitted; :meth:`commit` ends the batch):
        its file ``size``, each article with its source hash and byte span (``spans``).

        An article already indexed (stored again) has its rows replaced; its FTS rows go by
        rowid range (a ``WHERE article_id`` on the FTS table would scan all of it).
        """
        conn = self.conn
        if not self._tuned:
            fts.tune(conn)
            self._tuned = True
        add_articles(conn, chunk, size, items, spans)

    def commit(self, generation: str | None = None) -> None:
        """Commit, stamping the corpus generation the index now matches (if given; without
        it, the index still lags the corpus and catches up on the chunks it lacks).

        The marker says "committing" (on disk before any page is written) while SQLite
        writes, then "ended" with the boot's id; :meth:`sync` flushes the file and removes
        it once per import, not per commit (an fsync of the file cost 0.17 ms an article).
        """
        if generation is not None:
            self.conn.execute("UPDATE meta SET value = ? WHERE key = 'generation'", (generation,))
        if not self.conn.in_transaction:
            return
        created = not self.marker.exists()
        fd = self._lock_marker(create=True)
        assert fd is not None
        try:
            _write_state(fd, "committing")
            os.fsync(fd)
            if created:
                fsync_dir(self.path.parent)
            self.conn.commit()  # if it fails, the marker stays "committing": rebuilt
            self._unsynced = True
            _write_state(fd, f"{_boot_id() or ''} {_ENDED}")
        finally:
            os.close(fd)
        if _boot_id() is None:  # no way to tell a reboot: sync now
            self.sync()

    def sync(self) -> None:
        """Flush this writer's commits to disk, then remove the marker (unless a commit
        failed since: the file may be torn, and the marker has it rebuilt)."""
        if not self._unsynced:
            return
        db = os.open(self.path, os.O_RDONLY | os.O_CLOEXEC)
        try:
            os.fsync(db)
        finally:
            os.close(db)
        fd = self._lock_marker(create=False)
        if fd is not None:
            try:
                if not os.pread(fd, 200, 0).endswith(_ENDED.encode()):
                    return
                self.marker.unlink()
            finally:
                os.close(fd)
        self._unsynced = False

    def _lock_marker(self, create: bool) -> int | None:
        """The marker file, open and locked (flock), the one at its path (not one that
        another process removed meanwhile); None if there is none and ``create`` is off."""
        flags = os.O_RDWR | os.O_CLOEXEC | (os.O_CREAT if create else 0)
        while True:
            try:
                fd = os.open(self.marker, flags, 0o644)
            except FileNotFoundError:
                return None
            fcntl.flock(fd, fcntl.LOCK_EX)
            with contextlib.suppress(FileNotFoundError):
                if os.stat(self.marker).st_ino == os.fstat(fd).st_ino:
                    return fd
            os.close(fd)

    def rollback(self) -> None:
        if self._conn is not None:
            self._conn.rollback()

    def close(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(OSError):
                self.sync()
            self._conn.close()
            self._conn = None
            self._tuned = False
