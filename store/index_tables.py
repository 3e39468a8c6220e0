"""The index's tables besides the full-text ones: what they hold, and how an article's rows
are written into them and removed. :class:`newsbrowse.store.index.Index` runs these in
its transactions; :mod:`newsbrowse.store.queries` reads the tables.

``articles`` holds a summary per article with its chunk, byte span and list order;
``quotes`` and ``links`` share their rows' ids with the full-text rows
(:mod:`newsbrowse.store.fts`); ``article_demands`` lists each demand's articles in list
order, ``link_counts`` counts links per demand, side and stance (the demands panel), and
``sources`` the hash of the file each article came from (an import's duplicates).
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterable
from typing import Any

from newsbrowse.store import fts
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

CACHE_KIB = 64 * 1024
"""SQLite's page cache for the index, in KiB: room for the B-tree pages an import touches
(the default 2,000 pages thrash at 100,000 articles); memory is taken only as pages are read."""

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

LIST_ORDER = "undated, sort_date, title, id"
"""The article list's order (oldest first, undated last), served by ``articles_order``."""

UNDATED = "9999"
"""The sort date of an undated article's links: after every dated one."""


def index_version() -> str:
    """The stamp of this code's index layout: its tables' version and the FTS tables'."""
    return f"{INDEX_VERSION}.{fts.VERSION}"


def add_articles(
    conn: sqlite3.Connection,
    chunk: str,
    size: int,
    items: list[tuple[Article, str | None]],
    spans: dict[str, tuple[int, int]],
) -> None:
    """Add chunk ``chunk``'s articles (uncommitted): its file ``size``, each article with
    its source hash and byte span (``spans``).

    An article already indexed (stored again) has its rows replaced; its FTS rows go by
    rowid range (a ``WHERE article_id`` on the FTS table would scan all of it).
    """
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
    rows.articles.append(_article_row(art, chunk, span, first, last))
    if sha:
        rows.sources.append((sha, art.id))
    # Quotes and links share their FTS rows' rowids (fts.Batch: the article, its quotes,
    # then its links, consecutively).
    rows.quotes += [
        (row, q.id, q.article_id, q.text, q.speaker, q.side, q.cue, q.start, q.end)
        for row, q in enumerate(art.quotes, first + 1)
    ]
    rows.links += _link_rows(art, first + 1 + len(art.quotes))
    undated, sort_date = _list_key(art)
    rows.demands += [
        (d, undated, sort_date, art.title, art.id) for d in {lk.demand for lk in art.links}
    ]
    rows.counts.update((lk.demand, lk.side, lk.stance or "") for lk in art.links)
    return last + 1


def _list_key(art: Article) -> tuple[int, str]:
    """Where an article stands in the list: dated ones first, by date (``LIST_ORDER``)."""
    return (1 if art.date is None else 0), art.date or ""


def _article_row(
    art: Article, chunk: str, span: tuple[int, int] | None, first: int, last: int
) -> tuple[Any, ...]:
    """The ``articles`` row of ``art``, whose FTS rows run from ``first`` to ``last``."""
    undated, sort_date = _list_key(art)
    rec_start, rec_end = span or (None, None)
    return (
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
        rec_start,
        rec_end,
    )


def _link_rows(art: Article, first: int) -> list[tuple[Any, ...]]:
    """The ``links`` rows of ``art``, keyed from rowid ``first``; an undated article's
    sort after every dated one's."""
    link_date = art.date or UNDATED
    return [
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
        for row, lk in enumerate(art.links, first)
    ]
