"""The full-text part of the derived index: its tables, and how an article's rows are
written, removed and read back. :mod:`newsbrowse.store.index` calls these; the queries
over them live in :mod:`newsbrowse.store.search`.

Every searchable row of an article (its title and body, each quote, each link's
evidence) gets a consecutive rowid, so that an article's rows are found and removed by a
rowid range recorded with the article, never by a scan of the FTS table.

``docs`` holds articles and quotes (what a plain search ranks), ``evidence`` the links'
evidence (searched only under ``demand:``). Filters are tokens of a ``tags`` column that
ranking ignores (weight 0), so that FTS5 itself intersects words with filters instead of
ranking every match. ``doc_rows`` describes each rowid, and ``doc_tags`` lists the rows
of each filter value in date order, for queries made of filters alone.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable

from newsbrowse.store.model import Article

VERSION = 2
"""Raised whenever ``SCHEMA`` or the rows ``insert`` writes change: the index is rebuilt.
2: articles and quotes apart from link evidence; filter tags; prefix indexes; row and
filter tables."""

PREFIX_INDEXED = 3
"""Prefixes up to this length have an index of their own (one doclist, no token merge)."""
_FTS_OPTIONS = "tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3'"

SCHEMA = f"""
CREATE VIRTUAL TABLE docs USING fts5(title, text, speaker, tags, {_FTS_OPTIONS});
CREATE VIRTUAL TABLE evidence USING fts5(text, tags, {_FTS_OPTIONS});
CREATE TABLE doc_rows (
    rowid INTEGER PRIMARY KEY, kind TEXT, ref TEXT, article_id TEXT, start INTEGER,
    "end" INTEGER, quote_id TEXT, speaker TEXT, side TEXT, demand TEXT, sort_date TEXT,
    tags TEXT
);
CREATE TABLE doc_tags (
    tag TEXT, sort_date TEXT, article_id TEXT, start INTEGER, row INTEGER,
    PRIMARY KEY (tag, sort_date, article_id, start, row)
) WITHOUT ROWID;
CREATE TABLE speakers (name TEXT PRIMARY KEY) WITHOUT ROWID;
"""

UNDATED = "9999"
"""The sort date of an undated article's rows: after every dated one."""


TAG_START = "x"
"""The first letter of every tag token."""


def tag(key: str, value: str) -> str:
    """The filter ``key:value`` as one FTS token (hex digits after a letter: never a word
    a user types, and the same however the value is spelled or accented)."""
    return f"{TAG_START}{_TAG_KEYS[key]}{hashlib.sha1(value.encode()).hexdigest()[:16]}"


_TAG_KEYS = {"speaker": "p", "side": "s", "demand": "d"}


def next_rowid(conn: sqlite3.Connection) -> int:
    """The first free rowid of the FTS rows."""
    last_row = conn.execute("SELECT max(rowid) FROM doc_rows").fetchone()
    return last_row[0] + 1 if last_row and last_row[0] is not None else 1


def insert(conn: sqlite3.Connection, art: Article, first: int) -> int:
    """Write ``art``'s searchable rows from rowid ``first``; return the last rowid used."""
    sort_date = art.date or UNDATED
    speakers = {q.id: q.speaker for q in art.quotes}
    demands: dict[str, set[str]] = {}
    for lk in art.links:
        if lk.quote_id:
            demands.setdefault(lk.quote_id, set()).add(lk.demand)
    docs = [(first, art.title, art.body, None, "")]
    meta = [(first, "article", art.id, art.id, 0, len(art.body), None, None, None, None, "")]
    evidence = []
    rowid = first
    for q in art.quotes:
        rowid += 1
        filters = [("side", q.side), *(("demand", d) for d in sorted(demands.get(q.id, ())))]
        if q.speaker:
            filters.append(("speaker", q.speaker))
        tags = " ".join(tag(k, v) for k, v in filters)
        docs.append((rowid, "", q.text, q.speaker, tags))
        meta.append(
            (rowid, "quote", q.id, art.id, q.start, q.end, q.id, q.speaker, q.side, None, tags)
        )
    for lk in art.links:
        rowid += 1
        speaker = speakers.get(lk.quote_id) if lk.quote_id else None
        filters = [("side", lk.side), ("demand", lk.demand)]
        if speaker:
            filters.append(("speaker", speaker))
        tags = " ".join(tag(k, v) for k, v in filters)
        evidence.append((rowid, lk.evidence, tags))
        # Only a link without a quote is listed by filters alone (its quote stands for it).
        listed = "" if lk.quote_id else tags
        meta.append(
            (rowid, "link", lk.id, art.id, lk.start, lk.end, lk.quote_id, speaker, lk.side)
            + (lk.demand, listed)
        )
    conn.executemany("INSERT INTO docs(rowid, title, text, speaker, tags) VALUES (?,?,?,?,?)", docs)
    conn.executemany("INSERT INTO evidence(rowid, text, tags) VALUES (?,?,?)", evidence)
    conn.executemany(
        "INSERT INTO doc_rows VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        [(*m[:10], sort_date, m[10]) for m in meta],
    )
    conn.executemany("INSERT INTO doc_tags VALUES (?,?,?,?,?)", _tag_rows(meta, sort_date))
    conn.executemany(
        "INSERT OR IGNORE INTO speakers VALUES (?)",
        [(s,) for s in {q.speaker for q in art.quotes if q.speaker}],
    )
    return rowid


def _tag_rows(meta: Iterable[tuple], sort_date: str) -> list[tuple[str, str, str, int, int]]:
    return [
        (t, sort_date, m[3], m[4], m[0]) for m in meta for t in (m[-1].split() if m[-1] else ())
    ]


def delete(conn: sqlite3.Connection, first: int, last: int) -> None:
    """Remove the rows ``insert`` wrote from ``first`` to ``last``."""
    rows = conn.execute(
        "SELECT rowid, article_id, start, sort_date, tags FROM doc_rows "
        "WHERE rowid BETWEEN ? AND ?",
        (first, last),
    ).fetchall()
    conn.executemany(
        "DELETE FROM doc_tags WHERE tag = ? AND sort_date = ? AND article_id = ? AND start = ? "
        "AND row = ?",
        [(t, r[3], r[1], r[2], r[0]) for r in rows for t in (r[4] or "").split()],
    )
    for table in ("docs", "evidence", "doc_rows"):
        conn.execute(f"DELETE FROM {table} WHERE rowid BETWEEN ? AND ?", (first, last))


def body(conn: sqlite3.Connection, first: int | None) -> str:
    """An article's body, from the first of its rows."""
    row = conn.execute("SELECT text FROM docs WHERE rowid = ?", (first,)).fetchone()
    return row[0] if row is not None else ""
