"""A derived SQLite index of the corpus: listing, quote and link queries, full-text search.

It is never the only copy of anything: it records which corpus chunks it holds, catches
up on the chunks committed since (an import, or one killed before indexing), and is
rebuilt from the TinyDB corpus when it is missing, unreadable, of another version, or holds
a chunk the corpus no longer lists.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import os
import sqlite3
import tempfile
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from newsbrowse.store import fts
from newsbrowse.store.files import fsync_dir
from newsbrowse.store.model import Article

INDEX_VERSION = 7
"""3: an article's docs rows have a recorded rowid range (deleted by rowid, not by scan);
links carry their article's sort date, indexed for paged queries. 4: links are indexed by
(demand, side, stance) for the demands panel's counts. 5: articles record their chunk and
an indexed list order; the chunks held, source-file hashes, per-demand article lists and
link counts have tables of their own. 6: each article's byte span in its chunk, and each
chunk's file size (an article is opened by parsing its record alone). 7: quotes and links
keyed by their FTS rowid (an article's are found by its rowid range; an import appends
them), links paged by (demand, side, date) then rowid."""

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE chunks (name TEXT PRIMARY KEY, size INTEGER) WITHOUT ROWID;
CREATE TABLE articles (
    id TEXT PRIMARY KEY, title TEXT, source TEXT, url TEXT, date TEXT, date_basis TEXT,
    words INTEGER, quote_count INTEGER, link_count INTEGER, origin TEXT,
    doc_first INTEGER, doc_last INTEGER, chunk TEXT, undated INTEGER, sort_date TEXT,
    rec_start INTEGER, rec_end INTEGER
);
CREATE INDEX articles_order ON articles(undated, sort_date, title, id);
CREATE TABLE sources (sha256 TEXT PRIMARY KEY, article_id TEXT) WITHOUT ROWID;
CREATE TABLE article_demands (
    demand TEXT, undated INTEGER, sort_date TEXT, title TEXT, id TEXT,
    PRIMARY KEY (demand, undated, sort_date, title, id)
) WITHOUT ROWID;
CREATE TABLE link_counts (
    demand TEXT, side TEXT, stance TEXT, n INTEGER, PRIMARY KEY (demand, side, stance)
) WITHOUT ROWID;
CREATE TABLE quotes (
    row INTEGER PRIMARY KEY, id TEXT UNIQUE, article_id TEXT, text TEXT, speaker TEXT,
    side TEXT, cue TEXT, start INTEGER, "end" INTEGER
);
CREATE TABLE links (
    row INTEGER PRIMARY KEY, id TEXT, article_id TEXT, demand TEXT, side TEXT, stance TEXT,
    evidence TEXT, start INTEGER, "end" INTEGER, quote_id TEXT, sort_date TEXT
);
CREATE INDEX links_page ON links(demand, side, sort_date);
"""

CACHE_KIB = 64 * 1024

LIST_ORDER = "undated, sort_date, title, id"
"""The article list's order (oldest first, undated last), served by ``articles_order``."""

UNDATED = "9999"
"""The sort date of an undated article's links: after every dated one."""


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


def index_version() -> str:
    """The stamp of this code's index layout: its tables' version and the FTS tables'."""
    return f"{INDEX_VERSION}.{fts.VERSION}"


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
        counts: Counter[tuple[str, str, str]] = Counter()
        for art, _sha in items:
            _delete(conn, art.id, counts)
        next_rowid = fts.next_rowid(conn)
        rows = _Rows()
        rows.counts = counts
        for art, sha in items:
            next_rowid = _insert(conn, art, chunk, sha, spans.get(art.id), next_rowid, rows)
        rows.flush(conn)
        conn.execute("INSERT OR REPLACE INTO chunks VALUES (?, ?)", (chunk, size))

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


def fill(
    conn: sqlite3.Connection,
    items: Iterable[tuple[str, Article, str | None, tuple[int, int] | None]],
    chunks: dict[str, int],
    generation: str,
) -> None:
    """Create the index's tables in the empty database ``conn`` and fill them."""
    conn.executescript(_SCHEMA + fts.SCHEMA)
    rows = _Rows()
    next_rowid = fts.next_rowid(conn)
    for n, (chunk, art, sha, span) in enumerate(items, 1):
        next_rowid = _insert(conn, art, chunk, sha, span, next_rowid, rows)
        if n % 100 == 0:
            rows.flush(conn)
    rows.flush(conn)
    conn.executemany("INSERT INTO chunks VALUES (?, ?)", list(chunks.items()))
    conn.executemany(
        "INSERT INTO meta VALUES (?, ?)", [("version", index_version()), ("generation", generation)]
    )
    conn.commit()


def _delete(
    conn: sqlite3.Connection, article_id: str, counts: Counter[tuple[str, str, str]]
) -> None:
    """Remove an indexed article's rows (if any), counting its links out of ``counts``."""
    row = conn.execute(
        "SELECT doc_first, doc_last, undated, sort_date, title FROM articles WHERE id = ?",
        (article_id,),
    ).fetchone()
    if row is None:
        return
    span = (row["doc_first"], row["doc_last"])
    for link in conn.execute(
        "SELECT demand, side, coalesce(stance, '') FROM links WHERE row BETWEEN ? AND ?", span
    ):
        counts[(link[0], link[1], link[2])] -= 1
        conn.execute(
            "DELETE FROM article_demands WHERE demand = ? AND undated = ? AND sort_date = ? "
            "AND title = ? AND id = ?",
            (link[0], row["undated"], row["sort_date"], row["title"], article_id),
        )
    conn.execute("DELETE FROM articles WHERE id = ?", (article_id,))
    conn.execute("DELETE FROM quotes WHERE row BETWEEN ? AND ?", span)
    conn.execute("DELETE FROM links WHERE row BETWEEN ? AND ?", span)
    fts.delete(conn, row["doc_first"], row["doc_last"])


def _add_counts(conn: sqlite3.Connection, counts: Counter[tuple[str, str, str]]) -> None:
    """Add ``counts`` (per demand, side and raw stance, '' for none) to ``link_counts``."""
    conn.executemany(
        "INSERT INTO link_counts VALUES (?, ?, ?, ?) ON CONFLICT (demand, side, stance) "
        "DO UPDATE SET n = n + excluded.n",
        [(*key, n) for key, n in counts.items() if n],
    )
    conn.execute("DELETE FROM link_counts WHERE n <= 0")


class _Rows:
    """Rows of many articles gathered for one ``executemany`` per table (fewer calls into
    SQLite than one per article), and their link counts."""

    def __init__(self) -> None:
        self.clear()

    def clear(self) -> None:
        self.articles: list[tuple[Any, ...]] = []
        self.sources: list[tuple[str, str]] = []
        self.quotes: list[tuple[Any, ...]] = []
        self.links: list[tuple[Any, ...]] = []
        self.demands: list[tuple[Any, ...]] = []
        self.counts: Counter[tuple[str, str, str]] = Counter()
        self.searchable = fts.Batch()

    def flush(self, conn: sqlite3.Connection) -> None:
        self.searchable.flush(conn)
        conn.executemany(
            "INSERT INTO articles VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", self.articles
        )
        conn.executemany("INSERT OR REPLACE INTO sources VALUES (?, ?)", self.sources)
        conn.executemany("INSERT INTO quotes VALUES (?,?,?,?,?,?,?,?,?)", self.quotes)
        conn.executemany("INSERT INTO links VALUES (?,?,?,?,?,?,?,?,?,?,?)", self.links)
        conn.executemany("INSERT OR IGNORE INTO article_demands VALUES (?,?,?,?,?)", self.demands)
        _add_counts(conn, self.counts)
        self.clear()


def _insert(
    conn: sqlite3.Connection,
    art: Article,
    chunk: str,
    sha: str | None,
    span: tuple[int, int] | None,
    first: int,
    rows: _Rows,
) -> int:
    """Write one article's FTS rows from rowid ``first`` and gather its other rows in
    ``rows``; return the next free rowid."""
    last = rows.searchable.add(art, first)
    undated = 1 if art.date is None else 0
    sort_date = art.date or ""
    rows.articles.append(
        (
            art.id,
            art.title,
            art.source,
            art.url,
            art.date,
            art.date_basis,
            art.words,
            len(art.quotes),
            len(art.links),
            art.origin,
            first,
            last,
            chunk,
            undated,
            sort_date,
            *(span or (None, None)),
        )
    )
    if sha:
        rows.sources.append((sha, art.id))
    # Quotes and links share their FTS rows' rowids (fts.Batch: the article, its quotes,
    # then its links, consecutively).
    rows.quotes += [
        (row, q.id, q.article_id, q.text, q.speaker, q.side, q.cue, q.start, q.end)
        for row, q in enumerate(art.quotes, first + 1)
    ]
    link_date = art.date or UNDATED
    rows.links += [
        (
            row,
            lk.id,
            lk.article_id,
            lk.demand,
            lk.side,
            lk.stance,
            lk.evidence,
            lk.start,
            lk.end,
            lk.quote_id,
            link_date,
        )
        for row, lk in enumerate(art.links, first + 1 + len(art.quotes))
    ]
    rows.demands += [
        (d, undated, sort_date, art.title, art.id) for d in {lk.demand for lk in art.links}
    ]
    rows.counts.update((lk.demand, lk.side, lk.stance or "") for lk in art.links)
    return last + 1
