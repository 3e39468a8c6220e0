"""The full-text part of the derived index: its tables, and how an article's rows are
written, removed and read back. :mod:`newsbrowse.store.index` calls these; the queries
over them live in :mod:`newsbrowse.store.search`.

Every searchable row of an article (its title and body, each quote, each link's
evidence) gets a consecutive rowid, so that an article's rows are found and removed by a
rowid range recorded with the article, never by a scan of the FTS table.
"""

from __future__ import annotations

import sqlite3

from newsbrowse.store.model import Article

VERSION = 1
"""Raised whenever ``SCHEMA`` or the rows ``insert`` writes change: the index is rebuilt."""

SCHEMA = """
CREATE VIRTUAL TABLE docs USING fts5(
    title, text, speaker, kind UNINDEXED, ref UNINDEXED, article_id UNINDEXED,
    start UNINDEXED, "end" UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 2'
);
"""


def next_rowid(conn: sqlite3.Connection) -> int:
    """The first free rowid of the FTS rows."""
    last_row = conn.execute("SELECT rowid FROM docs ORDER BY rowid DESC LIMIT 1").fetchone()
    return last_row[0] + 1 if last_row else 1


def insert(conn: sqlite3.Connection, art: Article, first: int) -> int:
    """Write ``art``'s searchable rows from rowid ``first``; return the last rowid used."""
    rows = [(art.title, art.body, None, "article", art.id, art.id, 0, len(art.body))]
    rows += [("", q.text, q.speaker, "quote", q.id, art.id, q.start, q.end) for q in art.quotes]
    # Link evidence is searchable on its own so that ``demand:SLUG`` finds hits inside it.
    rows += [("", lk.evidence, None, "link", lk.id, art.id, lk.start, lk.end) for lk in art.links]
    conn.executemany(
        'INSERT INTO docs(rowid, title, text, speaker, kind, ref, article_id, start, "end") '
        "VALUES (?,?,?,?,?,?,?,?,?)",
        [(first + i, *row) for i, row in enumerate(rows)],
    )
    return first + len(rows) - 1


def delete(conn: sqlite3.Connection, first: int, last: int) -> None:
    """Remove the rows ``insert`` wrote from ``first`` to ``last``."""
    conn.execute("DELETE FROM docs WHERE rowid BETWEEN ? AND ?", (first, last))


def body(conn: sqlite3.Connection, first: int | None) -> str:
    """An article's body, from the first of its rows."""
    row = conn.execute("SELECT text FROM docs WHERE rowid = ?", (first,)).fetchone()
    return row[0] if row is not None else ""
