"""The reads: the SQL that lists, counts, pages and finds articles, quotes and links, as
functions over a connection to the index and the codebook.

Every filter a user gives is checked here, against the codebook (a demand, a side) or
the speakers' names, so that a wrong one is one line naming what is known. Nothing here
locks or brings the index up to the corpus: :class:`newsbrowse.store.library.Library`
does that, then calls these. The full-text search is :mod:`newsbrowse.store.search`.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from newsbrowse.store import fts
from newsbrowse.store.errors import BadInput, NotFound
from newsbrowse.store.index_tables import LIST_ORDER
from newsbrowse.store.model import ArticleSummary, Link, Quote, check_side, sides_of

if TYPE_CHECKING:
    from newsbrowse.store.ingest.actors import ActorIndex
    from newsbrowse.store.ingest.codebook import Codebook

SUMMARY_COLUMNS = "id, title, source, url, date, date_basis, words, quote_count, link_count"
_SQL_VARIABLES = 900  # rowids per IN (...): under SQLite's 999 on old builds
_NO_ARTICLE = "no article {!r}; `newsbrowse list` shows the ids"


# the article list ---------------------------------------------------------------------
def _listing(codebook: Codebook, demand: str | None) -> tuple[str, str, list[Any]]:
    """The table that holds the list in its order (all articles, or one demand's),
    its WHERE clause and arguments: both are indexed on the list order."""
    if demand is None:
        return "articles", "1", []
    return "article_demands", "demand = ?", [codebook.check_demand(demand)]


def articles(conn: sqlite3.Connection) -> list[ArticleSummary]:
    """Every article, oldest first (undated ones last), without bodies."""
    rows = conn.execute(f"SELECT {SUMMARY_COLUMNS} FROM articles ORDER BY {LIST_ORDER}")
    return [ArticleSummary.from_dict(dict(r)) for r in rows.fetchall()]


def article_count(conn: sqlite3.Connection, codebook: Codebook, demand: str | None = None) -> int:
    """How many articles the list shows (those linked to ``demand``, if given)."""
    table, where, args = _listing(codebook, demand)
    return int(conn.execute(f"SELECT count(*) FROM {table} WHERE {where}", args).fetchone()[0])


def article_page(
    conn: sqlite3.Connection, codebook: Codebook, offset: int, limit: int, demand: str | None
) -> list[ArticleSummary]:
    """``limit`` summaries from position ``offset`` of the list (oldest first, undated
    last), only those linked to ``demand`` if given: what a screenful of rows needs."""
    table, where, args = _listing(codebook, demand)
    cols = ", ".join(f"a.{c.strip()}" for c in SUMMARY_COLUMNS.split(","))
    # The skipped rows are walked in the order index alone; only the page's rows are
    # then read from the table.
    sql = (
        f"WITH page AS (SELECT id FROM {table} WHERE {where} ORDER BY {LIST_ORDER} "
        f"LIMIT ? OFFSET ?) SELECT {cols} FROM page JOIN articles a ON a.id = page.id "
        f"ORDER BY a.undated, a.sort_date, a.title, a.id"
    )
    rows = conn.execute(sql, [*args, max(0, limit), max(0, offset)]).fetchall()
    return [ArticleSummary.from_dict(dict(r)) for r in rows]


def article_position(
    conn: sqlite3.Connection, codebook: Codebook, article_id: str, demand: str | None
) -> int | None:
    """Where ``article_id`` stands in the list (with ``demand``'s filter), or None:
    the number of rows before its key, counted on the order index."""
    table, where, args = _listing(codebook, demand)
    key = conn.execute(
        f"SELECT undated, sort_date, title, id FROM {table} WHERE {where} AND id = ?",
        [*args, article_id],
    ).fetchone()
    if key is None:
        return None
    row = conn.execute(
        f"SELECT count(*) FROM {table} WHERE {where} AND ({LIST_ORDER}) < (?, ?, ?, ?)",
        [*args, *key],
    ).fetchone()
    return int(row[0])


def summaries(conn: sqlite3.Connection, ids: Iterable[str]) -> dict[str, ArticleSummary]:
    """The summaries of ``ids`` the store holds, by primary key (a page's, not all)."""
    wanted = list(dict.fromkeys(ids))
    out: dict[str, ArticleSummary] = {}
    for at in range(0, len(wanted), 500):
        chunk = wanted[at : at + 500]
        rows = conn.execute(
            f"SELECT {SUMMARY_COLUMNS} FROM articles WHERE id IN ({','.join('?' * len(chunk))})",
            chunk,
        ).fetchall()
        out.update((r["id"], ArticleSummary.from_dict(dict(r))) for r in rows)
    return out


# one article ----------------------------------------------------------------------------
def resolve_article_id(conn: sqlite3.Connection, article_id: str) -> str:
    """Accept a full id or an unambiguous prefix of at least four characters."""
    # The fresh index lists exactly the corpus's articles, by primary key: no scan.
    if conn.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone():
        return article_id
    if len(article_id) >= 4:
        rows = conn.execute(
            "SELECT id FROM articles WHERE id LIKE ? || '%' LIMIT 2",
            (article_id.replace("%", "").replace("_", ""),),
        ).fetchall()
        if len(rows) == 1:
            return str(rows[0]["id"])
    raise NotFound(_NO_ARTICLE.format(article_id))


def article_place(
    conn: sqlite3.Connection, article_id: str
) -> tuple[str | None, tuple[int, int, int] | None]:
    """The chunk that holds ``article_id`` and, when known, its file size and the record's
    byte span in it (so that the record alone is parsed); (None, None) if not indexed."""
    row = conn.execute(
        "SELECT a.chunk, c.size, a.rec_start, a.rec_end FROM articles a "
        "LEFT JOIN chunks c ON c.name = a.chunk WHERE a.id = ?",
        (article_id,),
    ).fetchone()
    if row is None:
        return None, None
    if None in (row["size"], row["rec_start"], row["rec_end"]):
        return row["chunk"], None
    return row["chunk"], (row["size"], row["rec_start"], row["rec_end"])


def has_article(conn: sqlite3.Connection, article_id: str) -> bool:
    """Whether the index holds ``article_id`` (an import's duplicate by id)."""
    return conn.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone() is not None


def source_article(conn: sqlite3.Connection, sha: str) -> str | None:
    """The article imported from a file of these exact bytes (SHA-256), if any."""
    row = conn.execute("SELECT article_id FROM sources WHERE sha256 = ?", (sha,)).fetchone()
    return row[0] if row is not None else None


def imported_count(conn: sqlite3.Connection, seed_ids: list[str]) -> int:
    """How many stored articles are not among ``seed_ids`` (those a reset drops)."""
    total = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    kept = conn.execute(
        f"SELECT count(*) FROM articles WHERE id IN ({','.join('?' * len(seed_ids))})", seed_ids
    ).fetchone()[0]
    return int(total - kept)


# quotes -----------------------------------------------------------------------------------
_QUOTE_COLUMNS = 'q.id, q.article_id, q.text, q.speaker, q.side, q.cue, q.start, q."end"'


def quote(conn: sqlite3.Connection, quote_id: str) -> Quote:
    """One quote by id, or :class:`NotFound`."""
    row = conn.execute(f"SELECT {_QUOTE_COLUMNS} FROM quotes q WHERE id = ?", (quote_id,))
    found = row.fetchone()
    if found is None:
        raise NotFound(f"no quote {quote_id!r}; `newsbrowse quotes` shows the ids")
    return Quote.from_dict(dict(found))


def quotes_by_id(conn: sqlite3.Connection, ids: Iterable[str]) -> list[Quote]:
    """The quotes of ``ids`` the store holds, in the order of ``ids`` (a selection's)."""
    wanted = list(dict.fromkeys(ids))
    found: dict[str, Quote] = {}
    for at in range(0, len(wanted), _SQL_VARIABLES):
        part = wanted[at : at + _SQL_VARIABLES]
        sql = f"SELECT {_QUOTE_COLUMNS} FROM quotes q WHERE id IN ({','.join('?' * len(part))})"
        found.update((r["id"], Quote.from_dict(dict(r))) for r in conn.execute(sql, part))
    return [found[qid] for qid in wanted if qid in found]


def quotes(
    conn: sqlite3.Connection,
    codebook: Codebook,
    *,
    article: str | None = None,
    speakers: list[str] | None = None,
    side: str | None = None,
    demand: str | None = None,
) -> list[Quote]:
    """Quotes in article order (by date, then position), filtered: ``article`` an id or
    prefix, ``speakers`` canonical names (:func:`speaker_names`), ``side`` and ``demand``
    checked against the codebook."""
    where: list[str] = []
    args: list[Any] = []
    if article:
        # An article's quotes are the rows of its rowid range (no index on article_id).
        where.append(
            "q.row BETWEEN (SELECT doc_first FROM articles WHERE id = ?) "
            "AND (SELECT doc_last FROM articles WHERE id = ?)"
        )
        args += [resolve_article_id(conn, article)] * 2
    if side:
        where.append("q.side = ?")
        args.append(check_side(side, sides_of(codebook.side_slugs)))
    if demand:
        where.append(
            "q.id IN (SELECT quote_id FROM links WHERE demand = ? AND quote_id IS NOT NULL)"
        )
        args.append(codebook.check_demand(demand))
    if speakers is not None:
        where.append(f"q.speaker IN ({','.join('?' * len(speakers))})")
        args += speakers
    sql = f"SELECT {_QUOTE_COLUMNS} FROM quotes q JOIN articles a ON a.id = q.article_id"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY a.date IS NULL, a.date, a.id, q.start"
    return [Quote.from_dict(dict(r)) for r in conn.execute(sql, args).fetchall()]


_QUOTED = "SELECT 1 FROM doc_tags WHERE tag = ? LIMIT 1"
_WORD = re.compile(r"\w+")


def speaker_names(conn: sqlite3.Connection, actors: ActorIndex, value: str) -> list[str]:
    """The speakers a user means by ``value``, for ``quotes --speaker`` and ``speaker:``.

    An alias actors.json lists names its actor alone (``putin`` -> Vladimir Putin).
    Otherwise every speaker, of actors.json or quoted in the store, whose name or an alias
    holds the words of ``value`` as whole words in a row, case aside: ``lavrov``,
    ``sergei lavrov``, ``us official`` (US official (unnamed)), never ``lav`` nor
    ``ergei`` (part of a word names nobody: a filter that matched inside words would
    take one speaker for another). None is a :class:`BadInput`.
    """
    actor = actors.lookup(value)
    if actor is not None:
        return [actor.name]
    words = _WORD.findall(value.lower())
    names = {a.name for a in actors.actors for n in (a.name, *a.aliases) if holds_words(n, words)}
    stored = [r[0] for r in conn.execute("SELECT name FROM speakers")]
    # A name stays in ``speakers`` after its last quote is removed: keep those still quoted.
    names |= {
        n
        for n in stored
        if holds_words(n, words) and conn.execute(_QUOTED, (fts.tag("speaker", n),)).fetchone()
    }
    if not names:
        raise BadInput(f"no speaker matching {value!r}; `newsbrowse quotes` shows the speakers")
    return sorted(names)


def speaker_list(conn: sqlite3.Connection) -> list[str]:
    """Every speaker's name the index has held, by name (an input's suggestions)."""
    return [r[0] for r in conn.execute("SELECT name FROM speakers ORDER BY name")]


def holds_words(name: str, words: list[str]) -> bool:
    """Whether ``words`` (lower case) are whole words of ``name``, in a row."""
    if not words:
        return False
    have = _WORD.findall(name.lower())
    span = len(words)
    return any(have[i : i + span] == words for i in range(len(have) - span + 1))


# links ------------------------------------------------------------------------------------
_STANCE = "COALESCE(NULLIF(l.stance, ''), 'neutral')"
"""A link's stance, a reply without one being ``neutral`` (as :func:`link_counts` counts)."""
_LINK_COLUMNS = (
    "SELECT l.row, l.id, l.article_id, l.demand, l.side, l.stance, l.evidence, "
    'l.start, l."end", l.quote_id FROM links l'
)


def links(
    conn: sqlite3.Connection,
    codebook: Codebook,
    demand: str | None = None,
    side: str | None = None,
    offset: int = 0,
    limit: int | None = None,
    stance: str | None = None,
) -> list[Link]:
    """Links in codebook order, the demanding side's first, then by article date, then
    article by article in indexing order, by position; ``stance`` keeps the replies of
    that stance (``neutral``: those with none).

    ``offset``/``limit`` page through them (the sort is SQLite's, on an index when
    ``demand`` and ``side`` are given, so a page costs the same at any corpus size).
    """
    where, args = [], []
    if stance:
        where.append(f"{_STANCE} = ?")
        args.append(stance)
    if demand:
        where.append("l.demand = ?")
        args.append(codebook.check_demand(demand))
    if side:
        where.append("l.side = ?")
        args.append(check_side(side, sides_of(codebook.side_slugs)))
    order, order_args = _link_order(codebook, demand, side)
    offset, backwards = max(0, offset), False
    if demand and side and offset:
        window = _from_the_end(conn, (demand, side, stance), offset, limit)
        if window is None:
            return []
        backwards, offset, limit = window
        if backwards:
            order = [f"{key} DESC" for key in order]
    tail = (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY " + ", ".join(order)
    args += order_args
    if limit is not None or offset:
        tail += " LIMIT ? OFFSET ?"
        args += [-1 if limit is None else max(0, limit), offset]
    found = _links_by_row(conn, tail, args) if offset else _links_whole(conn, tail, args)
    return found[::-1] if backwards else found


def _link_order(
    codebook: Codebook, demand: str | None, side: str | None
) -> tuple[list[str], list[Any]]:
    """The ORDER BY keys of :func:`links` and their arguments. Within a date, links in
    the order they were indexed (an article's consecutively, by position): the order of
    ``links_page``, so that a page of one demand and side is an index walk."""
    order: list[str] = ["l.sort_date", "l.row"]
    args: list[Any] = []
    if not side:
        order.insert(0, "l.side != ?")
        args.append(codebook.demanding)
    if not demand:
        slugs = codebook.slugs
        cases = " ".join("WHEN ? THEN ?" for _ in slugs)
        order.insert(0, f"CASE l.demand {cases} ELSE {len(slugs)} END" if slugs else "0")
        args[:0] = [x for i, slug in enumerate(slugs) for x in (slug, i)]
    return order, args


def _from_the_end(
    conn: sqlite3.Connection,
    group: tuple[str, str, str | None],
    offset: int,
    limit: int | None,
) -> tuple[bool, int, int | None] | None:
    """(backwards, offset, limit) of a page of one demand and side (and stance), read from
    the group's end when nearer it: an offset walks every entry it skips (SQLite counts
    no B-tree), so the last page of 100,000 links costs what the first does. None: the
    page is empty."""
    demand, side, stance = group
    sql = "SELECT COALESCE(SUM(n), 0) FROM link_counts l WHERE demand = ? AND side = ?"
    if stance:
        sql += f" AND {_STANCE} = ?"
    total = conn.execute(sql, (demand, side, *([stance] if stance else []))).fetchone()[0]
    stop = total if limit is None else min(total, offset + max(0, limit))
    if offset >= stop:
        return None
    if total - stop < offset:
        return True, total - stop, stop - offset
    return False, offset, limit


def _links_whole(conn: sqlite3.Connection, tail: str, args: list[Any]) -> list[Link]:
    return [Link.from_dict(dict(r)) for r in conn.execute(_LINK_COLUMNS + tail, args)]


def _links_by_row(conn: sqlite3.Connection, tail: str, args: list[Any]) -> list[Link]:
    """Past an offset: the page's rowids first, from ``links_page`` alone, then its links
    by rowid. Selected whole, every skipped link's row was read, evidence and all (the
    last page of 100,731 links, cold: 42 -> 10 ms)."""
    page = [r[0] for r in conn.execute("SELECT l.row FROM links l" + tail, args)]
    by_row: dict[int, Any] = {}
    for start in range(0, len(page), _SQL_VARIABLES):
        part = page[start : start + _SQL_VARIABLES]
        marks = ",".join("?" * len(part))
        for r in conn.execute(f"{_LINK_COLUMNS} WHERE l.row IN ({marks})", part):
            by_row[r["row"]] = r
    return [Link.from_dict(dict(by_row[row])) for row in page]


def link_counts(conn: sqlite3.Connection, codebook: Codebook) -> dict[str, dict[str, int]]:
    """Per demand: its links per side, and the answering side's replies per stance.

    A reply without a stance counts as ``neutral``; a demand without links is absent.
    Read from a table of counts the index keeps up to date at every insert (a few dozen
    rows, whatever the corpus size), so no link is loaded.
    """
    rows = conn.execute("SELECT demand, side, stance, n FROM link_counts").fetchall()
    counts: dict[str, dict[str, int]] = {}
    answering = codebook.answering
    for r in rows:
        tally = counts.setdefault(r["demand"], {})
        tally[r["side"]] = tally.get(r["side"], 0) + r["n"]
        if r["side"] == answering:
            stance = r["stance"] or "neutral"
            tally[stance] = tally.get(stance, 0) + r["n"]
    return counts
