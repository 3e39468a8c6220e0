"""The full-text part of the derived index: its tables, and how an article's rows are
written, removed and read back. :mod:`newsbrowse.store.index_tables` calls these; the
queries over them live in :mod:`newsbrowse.store.search` (and the speakers' names in
:mod:`newsbrowse.store.queries`).

Every searchable row of an article (its title and body, each quote, each link's
evidence) gets a consecutive rowid, so that an article's rows are found and removed by a
rowid range recorded with the article, never by a scan of the FTS table. The index's
``quotes`` and ``links`` tables key their rows by the same rowids.

``docs`` holds articles and quotes (what a plain search ranks); the links' evidence,
searched only under ``demand:``, has a table per demand (:func:`evidence_table`), so that
BM25's pass over a word's rows for its IDF covers one demand's evidence. Filters are
tokens of a ``tags`` column that ranking ignores (weight 0), so that FTS5 itself
intersects words with filters instead of ranking every match. ``doc_rows`` describes
each rowid, and ``doc_tags`` lists the rows of each filter value in date order (then
rowid order: an import appends to each date's run), for queries made of filters alone.
"""

from __future__ import annotations

import functools
import hashlib
import sqlite3

from newsbrowse.store.model import Article

VERSION = 5
"""Raised whenever ``SCHEMA`` or the rows :class:`Batch` writes change: the index is rebuilt.
2: articles and quotes apart from link evidence; filter tags; prefix indexes; row and
filter tables. 3: no one-letter prefix index; a row's tags are derived, not stored.
4: a table of evidence per demand. 5: ``doc_tags`` keyed by (tag, date, rowid), a link
listed under its demand only."""

PREFIX_INDEXED = 3
"""Prefixes of 2 to this many letters have an index of their own (one doclist to walk, no
merge of every token they begin). A one-letter word is searched as a word, not a prefix."""
_FTS_OPTIONS = "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'"
AUTOMERGE = 8
"""Segments of one size FTS5 lets gather before it merges them, a little at each write
(its default: 4). Writing the text of 100,000 articles, one commit per 1,000: 0.314 ms an
article with 4, 0.255 with 8, the same peak memory (124 MB). Not 16: FTS5 merges a level
at once when it holds ``crisismerge`` (16) segments, so every merge became one commit
holding the merged pages in memory: 747 MB."""

SCHEMA = f"""
CREATE VIRTUAL TABLE docs USING fts5(title, text, speaker, tags, {_FTS_OPTIONS});
CREATE TABLE doc_rows (
    rowid INTEGER PRIMARY KEY, kind TEXT, ref TEXT, article_id TEXT, start INTEGER,
    "end" INTEGER, quote_id TEXT, speaker TEXT, side TEXT, demand TEXT, sort_date TEXT
);
CREATE TABLE doc_tags (
    tag TEXT, sort_date TEXT, row INTEGER, PRIMARY KEY (tag, sort_date, row)
) WITHOUT ROWID;
CREATE TABLE speakers (name TEXT PRIMARY KEY) WITHOUT ROWID;
INSERT INTO docs(docs, rank) VALUES ('automerge', {AUTOMERGE});
"""

UNDATED = "9999"
"""The sort date of an undated article's rows: after every dated one."""

TAG_START = "x"
"""The first letter of every tag token."""

_TAG_KEYS = {"speaker": "p", "side": "s", "demand": "d"}


@functools.lru_cache(maxsize=4096)
def tag(key: str, value: str) -> str:
    """The filter ``key:value`` as one FTS token (hex digits after a letter: never a word
    a user types, and the same however the value is spelled or accented)."""
    return f"{TAG_START}{_TAG_KEYS[key]}{hashlib.sha1(value.encode()).hexdigest()[:16]}"


# A row of ``doc_rows``: rowid, kind, ref, article_id, start, end, quote_id, speaker, side,
# demand (a link's), sort_date.
Row = tuple[int, str, str, str, int, int, str | None, str | None, str | None, str | None, str]


def next_rowid(conn: sqlite3.Connection) -> int:
    """The first free rowid of the FTS rows."""
    last_row = conn.execute("SELECT max(rowid) FROM doc_rows").fetchone()
    return last_row[0] + 1 if last_row and last_row[0] is not None else 1


class Batch:
    """The searchable rows of many articles, written with one ``executemany`` per table
    (one per article and table cost about 0.1 ms an article in calls alone)."""

    def __init__(self) -> None:
        self.clear()

    def clear(self) -> None:
        self.docs: list[tuple[int, str, str, str | None, str]] = []
        self.evidence: dict[str, list[tuple[int, str, str]]] = {}
        self.rows: list[Row] = []
        self.listed: list[tuple[str, str, int]] = []
        self.speakers: set[str] = set()

    def add(self, art: Article, first: int) -> int:
        """Gather ``art``'s rows from rowid ``first`` (the article, its quotes, then its
        links); return the last rowid used. Their tags come from :func:`_tags`, as
        :func:`delete` derives them again."""
        sort_date = art.date or UNDATED
        speakers = {q.id: q.speaker for q in art.quotes if q.speaker}
        rows: list[Row] = [
            (first, "article", art.id, art.id, 0, len(art.body), None, None, None, None, sort_date)
        ]
        row = first
        for q in art.quotes:
            row += 1
            rows.append(
                (row, "quote", q.id, art.id, q.start, q.end, q.id, q.speaker, q.side)
                + (None, sort_date)
            )
        for lk in art.links:
            row += 1
            speaker = speakers.get(lk.quote_id) if lk.quote_id else None
            rows.append(
                (row, "link", lk.id, art.id, lk.start, lk.end, lk.quote_id, speaker, lk.side)
                + (lk.demand, sort_date)
            )
        tags = _tags(rows)
        self.docs.append((first, art.title, art.body, None, ""))
        quote_rows = rows[1 : 1 + len(art.quotes)]
        for q, r in zip(art.quotes, quote_rows, strict=True):
            self.docs.append((r[0], "", q.text, q.speaker, " ".join(tags[r[0]])))
        for lk, r in zip(art.links, rows[1 + len(art.quotes) :], strict=True):
            evidence = self.evidence.setdefault(lk.demand, [])
            evidence.append((r[0], lk.evidence, " ".join(tags[r[0]])))
        self.rows += rows
        self.listed += _listed(rows, tags)
        self.speakers.update(speakers.values())
        return row

    def flush(self, conn: sqlite3.Connection) -> None:
        conn.executemany(
            "INSERT INTO docs(rowid, title, text, speaker, tags) VALUES (?,?,?,?,?)", self.docs
        )
        for demand, values in self.evidence.items():
            _insert_evidence(conn, evidence_table(demand), values)
        conn.executemany("INSERT INTO doc_rows VALUES (?,?,?,?,?,?,?,?,?,?,?)", self.rows)
        conn.executemany("INSERT INTO doc_tags VALUES (?,?,?)", self.listed)
        conn.executemany("INSERT OR IGNORE INTO speakers VALUES (?)", [(s,) for s in self.speakers])
        self.clear()


@functools.lru_cache(maxsize=256)
def evidence_table(demand: str) -> str:
    """The name of ``demand``'s evidence table (made by the first insert of its evidence)."""
    return f"evidence_{hashlib.sha1(demand.encode()).hexdigest()[:12]}"


def _insert_evidence(
    conn: sqlite3.Connection, table: str, values: list[tuple[int, str, str]]
) -> None:
    sql = f"INSERT INTO {table}(rowid, text, tags) VALUES (?,?,?)"
    try:
        conn.executemany(sql, values)
    except sqlite3.OperationalError:
        if table_exists(conn, table):
            raise
        conn.execute(f"CREATE VIRTUAL TABLE {table} USING fts5(text, tags, {_FTS_OPTIONS})")
        _set_automerge(conn, table)
        conn.executemany(sql, values)


def tune(conn: sqlite3.Connection) -> None:
    """Give every full-text table of an index made before :data:`AUTOMERGE` its setting
    (a row of each table's config: no rebuild)."""
    tables = conn.execute(
        "SELECT name FROM sqlite_master WHERE (name = 'docs' OR name GLOB 'evidence_*') "
        "AND sql LIKE 'CREATE VIRTUAL TABLE%'"
    ).fetchall()
    for (table,) in tables:
        found = conn.execute(f"SELECT v FROM {table}_config WHERE k = 'automerge'").fetchone()
        if found is None or found[0] != AUTOMERGE:
            _set_automerge(conn, table)


def _set_automerge(conn: sqlite3.Connection, table: str) -> None:
    conn.execute(f"INSERT INTO {table}({table}, rank) VALUES ('automerge', {AUTOMERGE})")


def table_exists(conn: sqlite3.Connection, table: str) -> bool:
    """Whether the index holds ``table`` (a demand's evidence table: once it had a row)."""
    found = conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (table,)).fetchone()
    return found is not None


def _tags(rows: list[Row]) -> dict[int, list[str]]:
    """Each row's filter tags: a quote's speaker, side and every demand it is linked to; a
    link's side, demand and the speaker of its quote. Articles have none."""
    demands: dict[str, set[str]] = {}
    for r in rows:
        if r[1] == "link" and r[6]:
            demands.setdefault(r[6], set()).add(r[9] or "")
    tags: dict[int, list[str]] = {}
    for r in rows:
        if r[1] == "article":
            continue
        found = [tag("side", r[8] or "")]
        found += [
            tag("demand", d)
            for d in sorted(demands.get(r[2], ()) if r[1] == "quote" else [r[9] or ""])
        ]
        if r[7]:
            found.append(tag("speaker", r[7]))
        tags[r[0]] = found
    return tags


def _listed(rows: list[Row], tags: dict[int, list[str]]) -> list[tuple[str, str, int]]:
    """``doc_tags`` entries: what filters alone list, quotes and, under ``demand:``, links
    without a quote (a link's quote stands for it). Keyed by date, then rowid: an import
    adds each entry at the end of its (filter, date) run, not at a random place of a large
    B-tree."""
    listed = []
    for r in rows:
        if r[1] == "quote":
            listed += [(t, r[10], r[0]) for t in tags[r[0]]]
        elif r[1] == "link" and not r[6]:
            listed.append((tag("demand", r[9] or ""), r[10], r[0]))
    return listed


def delete(conn: sqlite3.Connection, first: int, last: int) -> None:
    """Remove the rows :class:`Batch` wrote from ``first`` to ``last``."""
    rows = conn.execute(
        "SELECT * FROM doc_rows WHERE rowid BETWEEN ? AND ? ORDER BY rowid", (first, last)
    ).fetchall()
    rows = [tuple(r) for r in rows]
    conn.executemany(
        "DELETE FROM doc_tags WHERE tag = ? AND sort_date = ? AND row = ?",
        _listed(rows, _tags(rows)),
    )
    tables = ["docs", "doc_rows"] + sorted({evidence_table(r[9]) for r in rows if r[1] == "link"})
    for table in tables:
        conn.execute(f"DELETE FROM {table} WHERE rowid BETWEEN ? AND ?", (first, last))


def body(conn: sqlite3.Connection, first: int | None) -> str:
    """An article's body, from the first of its rows."""
    row = conn.execute("SELECT text FROM docs WHERE rowid = ?", (first,)).fetchone()
    return row[0] if row is not None else ""
