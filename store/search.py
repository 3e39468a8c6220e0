"""Search over article text, titles, quotes and demand evidence, ranked by FTS5's BM25.

A query is words (each matched as a prefix, so results follow typing; a one-letter word
only as itself), "quoted phrases", and filters ``speaker:NAME``, ``side:SIDE``,
``demand:SLUG``. Every word reaches SQLite quoted, so no input can make an FTS syntax
error; a query of filters alone lists the matching quotes, oldest article first. Hits
carry exact offsets into the article body for highlighting.

Cost is bounded at any corpus size: filters are FTS tokens (:mod:`newsbrowse.store.fts`),
so FTS5 intersects them with the words; long prefixes become an OR of their tokens; and
BM25 ranks at most the newest ``WINDOW`` matching rows of each table.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from newsbrowse.store import fts
from newsbrowse.store.errors import BadInput
from newsbrowse.store.highlights import Finder, Span, is_prefix, snippet_around
from newsbrowse.store.index import Index
from newsbrowse.store.model import check_side, sides_of
from newsbrowse.store.queries import speaker_names

if TYPE_CHECKING:
    from newsbrowse.store.ingest.actors import ActorIndex
    from newsbrowse.store.ingest.codebook import Codebook

FILTERS = ("speaker", "side", "demand")
MAX_QUERY_WORDS = 32
"""Words (phrases' words included) a query may hold: each is a term FTS5 intersects and
the highlighter looks for, and 3,000 of them took a minute; a search is a few words."""
# Title matches weigh most, then speakers, then text (bm25 column weights).
_WEIGHTS = "5.0, 1.0, 3.0"
# What FTS5's unicode61 tokenizer calls a token: letters and digits (not "_").
_TOKEN = re.compile(r"[^\W_]+")
_PART = re.compile(
    r'(?P<key>\w+):(?:"(?P<qval>[^"]*)"?|(?P<val>\S*))|"(?P<phrase>[^"]*)"?|(?P<word>[^\s"]+)'
)


@dataclass(frozen=True)
class SearchHit:
    """One ranked hit; ``start``/``end`` and ``matches`` are offsets into the article body."""

    kind: str  # "article", "quote" or "link" (demand evidence)
    article_id: str
    quote_id: str | None
    title: str
    snippet: str
    start: int
    end: int
    speaker: str | None
    score: float
    side: str | None = None
    link_id: str | None = None
    demand: str | None = None
    matches: list[Span] = field(default_factory=list)
    snippet_matches: list[Span] = field(default_factory=list)
    corrected: bool = False  # its speaker, side or demand is the user's correction

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ParsedQuery:
    """A parsed query: FTS terms (a phrase is a tuple of tokens) and resolved filters."""

    terms: list[tuple[str, ...]] = field(default_factory=list)
    speakers: list[str] | None = None
    side: str | None = None
    demand: str | None = None

    @property
    def has_filters(self) -> bool:
        return self.speakers is not None or self.side is not None or self.demand is not None


class QueryRules(Protocol):
    """What a query's filters are checked against: the codebook's demands and sides, and
    the actors' names (:class:`newsbrowse.store.rules.Rules` is one; the Library passes
    one that loads the actors only when a ``speaker:`` asks for them)."""

    @property
    def codebook(self) -> Codebook: ...

    @property
    def actors(self) -> ActorIndex: ...


def parse_query(index: Index, rules: QueryRules, text: str) -> ParsedQuery:
    """Split ``text`` into terms and filters; unknown filter values are a one-line error."""
    query = ParsedQuery()
    for m in _PART.finditer(text):
        key = (m.group("key") or "").lower()
        if key in FILTERS:
            value = (m.group("qval") if m.group("qval") is not None else m.group("val")).strip()
            if not value:
                raise BadInput(f"{key}: needs a value, e.g. {key}:{_example(rules, key)}")
            _apply_filter(index, rules, query, key, value)
            continue
        raw = m.group("phrase") if m.group("phrase") is not None else m.group(0)
        tokens = tuple(t.lower() for t in _TOKEN.findall(raw))
        if m.group("phrase") is not None:
            if tokens:
                query.terms.append(tokens)
        else:
            query.terms.extend((t,) for t in tokens)
    words = sum(len(term) for term in query.terms)
    if words > MAX_QUERY_WORDS:
        raise BadInput(
            f"the search has {words} words; it takes at most {MAX_QUERY_WORDS}: "
            "keep the words that matter most"
        )
    return query


def _example(rules: QueryRules, key: str) -> str:
    """A value of filter ``key`` to show in an error: one the rules know."""
    if key == "side":
        return rules.codebook.answering
    if key == "demand":
        return next(iter(rules.codebook.slugs), "SLUG")
    return "SURNAME"


def _apply_filter(
    index: Index, rules: QueryRules, query: ParsedQuery, key: str, value: str
) -> None:
    if key == "side":
        query.side = check_side(value.lower(), sides_of(rules.codebook.side_slugs))
    elif key == "demand":
        query.demand = rules.codebook.check_demand(value.lower())
    else:
        query.speakers = speaker_names(index.conn, rules.actors, value)


def _fts_expression(
    conn: sqlite3.Connection, table: str, terms: list[tuple[str, ...]]
) -> str | None:
    """Every token double-quoted (tokens hold only letters and digits); words match prefixes.
    None when a word is the prefix of no token of ``table``: nothing can match."""
    parts = []
    for term in terms:
        if not is_prefix(term):
            parts.append('"' + " ".join(term) + '"')
            continue
        words = _expand(conn, table, term[0])
        if words == []:
            return None
        parts.append(f'"{term[0]}"*' if words is None else " OR ".join(f'"{w}"' for w in words))
    return " AND ".join(f"({p})" for p in parts)


MAX_EXPANSION = 30
"""A prefix longer than the prefix index's (3) is replaced by the tokens it begins, up to
this many: FTS5 reads the whole doclist of a prefix query before its first row, but walks
an OR of tokens lazily, so a window of the newest matches costs the same at any size."""


def _expand(conn: sqlite3.Connection, table: str, prefix: str) -> list[str] | None:
    """The tokens of ``table`` that begin with ``prefix``; None: let FTS5 expand it (a
    short or accented prefix, or too many tokens)."""
    if len(prefix) <= fts.PREFIX_INDEXED or not prefix.isascii():
        return None
    conn.execute(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{table}_tokens "
        f"USING fts5vocab(main, {table}, instance)"
    )
    # The instance vocabulary seeks to a token without counting its doclist: one row each.
    # No token character sorts before "0", so the token after ``w`` is the first >= w + "0".
    step = f"SELECT term FROM temp.{table}_tokens WHERE term >= ? AND term < ? LIMIT 1"
    end = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    words: list[str] = []
    row = conn.execute(step, (prefix, end)).fetchone()
    while row is not None:
        if len(words) == MAX_EXPANSION:
            return None
        words.append(row[0])
        row = conn.execute(step, (row[0] + "0", end)).fetchone()
    return words


WINDOW = 2000
"""Rows ranked per table at most: the newest ``WINDOW`` matches (by rowid, i.e. the most
recently indexed). A query matching fewer rows is ranked exactly over all of them; one
matching more (a common word) is ranked among those, in a bounded time: BM25 costs about
2 µs a row, on top of one pass over each term's doclist for its IDF (5-15 ms at 100,000
articles for a word in a fifth of the rows)."""


def _filter_tags(query: ParsedQuery) -> list[str]:
    """FTS constraints on the tag tokens, one per filter."""
    found = []
    if query.speakers is not None:
        found.append(" OR ".join(f'"{fts.tag("speaker", n)}"' for n in query.speakers))
    if query.side:
        found.append(f'"{fts.tag("side", query.side)}"')
    if query.demand:
        found.append(f'"{fts.tag("demand", query.demand)}"')
    return [f"({f})" for f in found]  # tag tokens occur in the tags column alone


def _ranked(conn: sqlite3.Connection, query: ParsedQuery, limit: int) -> list[tuple[float, int]]:
    """(bm25, rowid) of the best rows matching words and filters, best first."""
    filters = _filter_tags(query)
    # Words are kept off the tags column only when one could match a tag (every tag starts
    # with "x"): a column filter costs FTS5 about a third more.
    guarded = any(w.startswith(fts.TAG_START) for t in query.terms for w in t)
    found = []
    terms = _fts_expression(conn, "docs", query.terms)
    if terms is not None:
        words = f"{{title text speaker}} : ({terms})" if guarded else terms
        found = _top(conn, "docs", "5.0, 1.0, 3.0, 0.0", " AND ".join([words, *filters]), limit)
    if query.demand:
        # Evidence of the demand's links (each quote linked to it is in ``docs``).
        table = fts.evidence_table(query.demand)
        terms = _fts_expression(conn, table, query.terms) if fts.table_exists(conn, table) else None
        if terms is not None:
            words = f"text : ({terms})" if guarded else terms
            found += _top(conn, table, "1.0, 0.0", " AND ".join([words, *filters]), limit)
            found.sort()
    return found


def _top(
    conn: sqlite3.Connection, table: str, weights: str, expression: str, limit: int
) -> list[tuple[float, int]]:
    rows = conn.execute(
        f"SELECT score, rowid FROM (SELECT rowid, bm25({table}, {weights}) AS score FROM "
        f"{table} WHERE {table} MATCH ? ORDER BY rowid DESC LIMIT ?) ORDER BY score, rowid "
        "LIMIT ?",
        (expression, WINDOW, limit),
    ).fetchall()
    return [(float(r[0]), int(r[1])) for r in rows]


def _listed(conn: sqlite3.Connection, query: ParsedQuery, limit: int) -> list[tuple[float, int]]:
    """Rows matching filters alone, oldest article first: quotes, and under ``demand:`` the
    evidence of links without a quote. One filter walks its date-ordered tag list, the
    others are checked on each row."""
    where, args = [], []
    if query.demand:
        driver = [fts.tag("demand", query.demand)]
    else:
        driver = [fts.tag("speaker", n) for n in query.speakers or ()] or [
            fts.tag("side", query.side or "")
        ]
        where.append("r.kind = 'quote'")
    if query.speakers is not None:
        where.append(f"r.speaker IN ({','.join('?' * len(query.speakers))})")
        args += query.speakers
    if query.side:
        where.append("r.side = ?")
        args.append(query.side)
    sql = (
        "SELECT t.row FROM doc_tags t JOIN doc_rows r ON r.rowid = t.row "
        f"WHERE t.tag IN ({','.join('?' * len(driver))}) AND {' AND '.join(where or ['1'])} "
        "ORDER BY t.sort_date, t.row LIMIT ?"
    )
    return [(0.0, r[0]) for r in conn.execute(sql, [*driver, *args, limit])]


def search(index: Index, rules: QueryRules, query: str, limit: int = 50) -> list[SearchHit]:
    """Ranked hits for ``query`` in ``index`` (see the module docstring), at most
    ``limit``; its filters checked against ``rules``."""
    parsed = parse_query(index, rules, query)
    if not parsed.terms and not parsed.has_filters:
        return []
    conn = index.conn
    found = _ranked(conn, parsed, limit) if parsed.terms else _listed(conn, parsed, limit)
    rows = _describe(conn, [rowid for _, rowid in found])
    finder = Finder(parsed.terms) if parsed.terms else None
    bodies: dict[str, str] = {}
    hits: list[SearchHit] = []
    seen_quotes: set[str] = set()
    for score, rowid in found:
        r = rows.get(rowid)
        if r is None:
            continue
        quote_id = r["quote_id"]
        if r["kind"] == "link" and quote_id in seen_quotes:
            continue
        if quote_id:
            seen_quotes.add(quote_id)
        body = bodies.get(r["article_id"])
        if body is None:
            body = bodies[r["article_id"]] = fts.body(conn, r["doc_first"])
        hits.append(_hit(r, score, body, finder))
        if len(hits) == limit:
            break
    return hits


def _describe(conn: sqlite3.Connection, rowids: list[int]) -> dict[int, sqlite3.Row]:
    """What each row is: its kind, article, offsets, speaker, side, demand and title."""
    if not rowids:
        return {}
    rows = conn.execute(
        "SELECT r.rowid AS rowid, r.kind AS kind, r.ref AS ref, r.article_id AS article_id, "
        'r.start AS start, r."end" AS "end", r.quote_id AS quote_id, r.speaker AS speaker, '
        "r.side AS side, r.demand AS demand, a.title AS title, a.doc_first AS doc_first "
        "FROM doc_rows r JOIN articles a ON a.id = r.article_id "
        f"WHERE r.rowid IN ({','.join('?' * len(rowids))})",
        rowids,
    ).fetchall()
    return {r["rowid"]: r for r in rows}


def _hit(row: sqlite3.Row, score: float, body: str, finder: Finder | None) -> SearchHit:
    lo, hi = row["start"], row["end"]
    matches = finder.find(body, lo, hi) if finder else []
    if matches:
        start, end = matches[0]
        snippet, snippet_matches = snippet_around(body, matches, lo, hi)
    elif row["kind"] == "article":
        start = end = 0
        title = row["title"] or ""
        snippet = title
        snippet_matches = finder.find(title) if finder else []
    else:
        start, end = lo, hi
        snippet, snippet_matches = snippet_around(body, [(lo, lo)], lo, hi)
    return SearchHit(
        kind=row["kind"],
        article_id=row["article_id"],
        quote_id=row["quote_id"],
        title=row["title"] or "",
        snippet=snippet,
        start=start,
        end=end,
        speaker=row["speaker"],
        score=-score,
        side=row["side"],
        link_id=row["ref"] if row["kind"] == "link" else None,
        demand=row["demand"],
        matches=matches,
        snippet_matches=snippet_matches,
    )
