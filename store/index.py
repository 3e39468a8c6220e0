"""A derived SQLite index of the corpus: listing, quote and link queries, full-text search.

It is never the only copy of anything: it is rebuilt from the TinyDB corpus whenever it
is missing, unreadable, or built from another generation of the catalog.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from collections.abc import Iterable
from pathlib import Path

from newsbrowse.store import fts
from newsbrowse.store.model import Article

INDEX_VERSION = 4
"""3: an article's docs rows have a recorded rowid range (deleted by rowid, not by scan);
links carry their article's sort date, indexed for paged queries. 4: links are indexed by
(demand, side, stance) for the demands panel's counts."""

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE articles (
    id TEXT PRIMARY KEY, title TEXT, source TEXT, url TEXT, date TEXT, date_basis TEXT,
    words INTEGER, quote_count INTEGER, link_count INTEGER, origin TEXT,
    doc_first INTEGER, doc_last INTEGER
);
CREATE TABLE quotes (
    id TEXT PRIMARY KEY, article_id TEXT, text TEXT, speaker TEXT, side TEXT, cue TEXT,
    start INTEGER, "end" INTEGER
);
CREATE INDEX quotes_article ON quotes(article_id);
CREATE TABLE links (
    id TEXT PRIMARY KEY, article_id TEXT, demand TEXT, side TEXT, stance TEXT,
    evidence TEXT, start INTEGER, "end" INTEGER, quote_id TEXT, sort_date TEXT
);
CREATE INDEX links_demand ON links(demand, side, sort_date, article_id, start);
CREATE INDEX links_stance ON links(demand, side, stance);
CREATE INDEX links_article ON links(article_id);
"""


def index_version() -> str:
    """The stamp of this code's index layout: its tables' version and the FTS tables'."""
    return f"{INDEX_VERSION}.{fts.VERSION}"


UNDATED = "9999"
"""The sort date of an undated article's links: after every dated one."""


class Index:
    """Read and (re)build the derived index at ``path``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._conn: sqlite3.Connection | None = None

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            self._conn = sqlite3.connect(self.path, check_same_thread=False)
            self._conn.row_factory = sqlite3.Row
        return self._conn

    def generation(self) -> str | None:
        """The catalog generation this index was built from, or None if it is unusable."""
        if not self.path.exists():
            return None
        try:
            rows = self.conn.execute("SELECT key, value FROM meta").fetchall()
        except sqlite3.DatabaseError:
            return None
        meta = {r["key"]: r["value"] for r in rows}
        if meta.get("version") != index_version():
            return None
        return meta.get("generation")

    def rebuild(self, articles: Iterable[Article], generation: str) -> None:
        """Build a fresh index beside the old one, then swap it in."""
        self.close()
        # A name of its own: a reader without the write lock may rebuild at the same time.
        fd, name = tempfile.mkstemp(
            prefix=self.path.name + ".", suffix=".building", dir=self.path.parent
        )
        os.close(fd)
        tmp = Path(name)
        conn = sqlite3.connect(tmp)
        try:
            conn.executescript(_SCHEMA + fts.SCHEMA)
            _insert(conn, articles)
            conn.executemany(
                "INSERT INTO meta VALUES (?, ?)",
                [("version", index_version()), ("generation", generation)],
            )
            conn.commit()
        except BaseException:
            conn.close()
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise
        conn.close()
        tmp.replace(self.path)

    def add(self, articles: list[Article], generation: str) -> None:
        """Add articles to a current index in place (an import), then stamp the generation."""
        conn = self.conn
        # Only articles already indexed have rows to remove; their FTS rows go by rowid
        # range (a ``WHERE article_id`` on the FTS table would scan all of it).
        known = [
            conn.execute(
                "SELECT id, doc_first, doc_last FROM articles WHERE id = ?", (a.id,)
            ).fetchone()
            for a in articles
        ]
        for row in known:
            if row is None:
                continue
            conn.execute("DELETE FROM articles WHERE id = ?", (row["id"],))
            conn.execute("DELETE FROM quotes WHERE article_id = ?", (row["id"],))
            conn.execute("DELETE FROM links WHERE article_id = ?", (row["id"],))
            fts.delete(conn, row["doc_first"], row["doc_last"])
        _insert(conn, articles)
        conn.execute("UPDATE meta SET value = ? WHERE key = 'generation'", (generation,))
        conn.commit()

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def _insert(conn: sqlite3.Connection, articles: Iterable[Article]) -> None:
    """Insert each article's rows; its docs rows get consecutive rowids, recorded with it."""
    next_rowid = fts.next_rowid(conn)
    for art in articles:
        s = art.summary()
        first = next_rowid
        last = fts.insert(conn, art, first)
        next_rowid = last + 1
        conn.execute(
            "INSERT INTO articles VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                s.id,
                s.title,
                s.source,
                s.url,
                s.date,
                s.date_basis,
                s.words,
                s.quote_count,
                s.link_count,
                art.origin,
                first,
                last,
            ),
        )
        conn.executemany(
            "INSERT INTO quotes VALUES (?,?,?,?,?,?,?,?)",
            [
                (q.id, q.article_id, q.text, q.speaker, q.side, q.cue, q.start, q.end)
                for q in art.quotes
            ],
        )
        sort_date = s.date or UNDATED
        conn.executemany(
            "INSERT INTO links VALUES (?,?,?,?,?,?,?,?,?,?)",
            [
                (
                    lk.id,
                    lk.article_id,
                    lk.demand,
                    lk.side,
                    lk.stance,
                    lk.evidence,
                    lk.start,
                    lk.end,
                    lk.quote_id,
                    sort_date,
                )
                for lk in art.links
            ],
        )
