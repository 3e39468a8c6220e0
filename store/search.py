"""Search over article text, titles, quotes and demand evidence, ranked by FTS5's BM25.

A query is words (each matched as a prefix, so results follow typing), "quoted phrases",
and filters ``speaker:NAME``, ``side:SIDE``, ``demand:SLUG``. Every word reaches SQLite
quoted, so no input can make an FTS syntax error; a query of filters alone lists the
matching quotes. Hits carry exact offsets into the article body for highlighting.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from newsbrowse.store import fts
from newsbrowse.store.errors import BadInput
from newsbrowse.store.index import Index

if TYPE_CHECKING:
    from newsbrowse.store.library import Library

FILTERS = ("speaker", "side", "demand")
SNIPPET_BEFORE = 60
SNIPPET_AFTER = 110
# Title matches weigh most, then speakers, then text (bm25 column weights).
_WEIGHTS = "5.0, 1.0, 3.0"
# What FTS5's unicode61 tokenizer calls a token: letters and digits (not "_").
_TOKEN = re.compile(r"[^\W_]+")
_PART = re.compile(
    r'(?P<key>\w+):(?:"(?P<qval>[^"]*)"?|(?P<val>\S*))|"(?P<phrase>[^"]*)"?|(?P<word>[^\s"]+)'
)

Span = tuple[int, int]


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


def parse_query(library: Library, text: str) -> ParsedQuery:
    """Split ``text`` into terms and filters; unknown filter values are a one-line error."""
    query = ParsedQuery()
    for m in _PART.finditer(text):
        key = (m.group("key") or "").lower()
        if key in FILTERS:
            value = (m.group("qval") if m.group("qval") is not None else m.group("val")).strip()
            if not value:
                raise BadInput(f"{key}: needs a value, e.g. {key}:{_EXAMPLES[key]}")
            _apply_filter(library, query, key, value)
            continue
        raw = m.group("phrase") if m.group("phrase") is not None else m.group(0)
        tokens = tuple(t.lower() for t in _TOKEN.findall(raw))
        if m.group("phrase") is not None:
            if tokens:
                query.terms.append(tokens)
        else:
            query.terms.extend((t,) for t in tokens)
    return query


_EXAMPLES = {"speaker": "putin", "side": "us_nato", "demand": "hotline"}


def _apply_filter(library: Library, query: ParsedQuery, key: str, value: str) -> None:
    if key == "side":
        query.side = library.check_side(value.lower())
    elif key == "demand":
        query.demand = library.check_demand(value.lower())
    else:
        query.speakers = speaker_names(library, value)


def speaker_names(library: Library, value: str) -> list[str]:
    """Canonical speakers that ``value`` names: an alias, or a word of a name or alias."""
    actor = library.rules.actors.lookup(value)
    if actor is not None:
        return [actor.name]
    want = value.strip().lower()
    names = {
        a.name
        for a in library.rules.actors.actors
        for n in (a.name, *a.aliases)
        if want in n.lower().split()
    }
    stored = library.index.conn.execute(
        "SELECT DISTINCT speaker FROM quotes WHERE speaker IS NOT NULL"
    ).fetchall()
    names |= {r[0] for r in stored if want == r[0].lower() or want in r[0].lower().split()}
    if not names:
        raise BadInput(f"no speaker matching {value!r}; `newsbrowse quotes` shows the speakers")
    return sorted(names)


def _fts_expression(terms: list[tuple[str, ...]]) -> str:
    """Every token double-quoted (tokens hold only letters and digits); words match prefixes."""
    parts = []
    for term in terms:
        if len(term) == 1:
            parts.append(f'"{term[0]}"*')
        else:
            parts.append('"' + " ".join(term) + '"')
    return " AND ".join(parts)


def _term_pattern(terms: list[tuple[str, ...]]) -> re.Pattern[str]:
    """A Python regex that finds in the body what the FTS expression matched."""
    alts = []
    for term in terms:
        body = r"[\W_]+".join(re.escape(t) for t in term)
        alts.append(rf"(?<![^\W_]){body}" + (r"[^\W_]*" if len(term) == 1 else r"(?![^\W_])"))
    return re.compile("|".join(alts), re.IGNORECASE)


def _filter_sql(query: ParsedQuery) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    args: list[Any] = []
    if query.demand:
        where.append(
            "((docs.kind = 'quote' AND docs.ref IN "
            "(SELECT quote_id FROM links WHERE demand = ? AND quote_id IS NOT NULL)) "
            "OR (docs.kind = 'link' AND l.demand = ?))"
        )
        args += [query.demand, query.demand]
    else:
        where.append("docs.kind IN ('article', 'quote')")
    if query.speakers is not None:
        marks = ",".join("?" * len(query.speakers))
        where.append(f"(q.speaker IN ({marks}) OR lq.speaker IN ({marks}))")
        args += query.speakers * 2
    if query.side:
        where.append("(q.side = ? OR l.side = ?)")
        args += [query.side, query.side]
    return where, args


_SELECT = (
    "SELECT docs.kind AS kind, docs.ref AS ref, docs.article_id AS article_id, "
    'docs.start AS start, docs."end" AS "end", a.title AS title, a.doc_first AS doc_first, '
    "coalesce(q.speaker, lq.speaker) AS speaker, coalesce(q.side, l.side) AS side, "
    "l.demand AS demand, l.quote_id AS link_quote, {score} AS score "
    "FROM docs JOIN articles a ON a.id = docs.article_id "
    "LEFT JOIN quotes q ON docs.kind = 'quote' AND q.id = docs.ref "
    "LEFT JOIN links l ON docs.kind = 'link' AND l.id = docs.ref "
    "LEFT JOIN quotes lq ON lq.id = l.quote_id "
)


def search(library: Library, index: Index, query: str, limit: int = 50) -> list[SearchHit]:
    """Ranked hits for ``query`` (see the module docstring), at most ``limit``."""
    parsed = parse_query(library, query)
    if not parsed.terms and not parsed.has_filters:
        return []
    where, args = _filter_sql(parsed)
    if parsed.terms:
        where.insert(0, "docs MATCH ?")
        args.insert(0, _fts_expression(parsed.terms))
        sql = _SELECT.format(score=f"bm25(docs, {_WEIGHTS})")
        order = "score, docs.article_id, docs.start"
    else:
        sql = _SELECT.format(score="0.0")
        where.append("(docs.kind != 'link' OR l.quote_id IS NULL)")
        order = "a.date IS NULL, a.date, docs.article_id, docs.start"
    sql += " WHERE " + " AND ".join(where) + f" ORDER BY {order} LIMIT ?"
    rows = index.conn.execute(sql, [*args, limit]).fetchall()
    pattern = _term_pattern(parsed.terms) if parsed.terms else None
    bodies: dict[str, str] = {}
    hits = []
    seen_quotes: set[str] = set()
    for r in rows:
        quote_id = r["ref"] if r["kind"] == "quote" else r["link_quote"]
        if r["kind"] == "link" and quote_id in seen_quotes:
            continue
        if quote_id:
            seen_quotes.add(quote_id)
        body = bodies.get(r["article_id"])
        if body is None:
            body = bodies[r["article_id"]] = _body(index, r["doc_first"])
        hits.append(_hit(r, body, pattern, quote_id))
    return hits


def _body(index: Index, doc_first: int | None) -> str:
    """An article's body from its first FTS row (by rowid), never from the corpus files."""
    return fts.body(index.conn, doc_first)


def _hit(row: Any, body: str, pattern: re.Pattern[str] | None, quote_id: str | None) -> SearchHit:
    lo, hi = row["start"], row["end"]
    matches = [m.span() for m in pattern.finditer(body, lo, hi)] if pattern else []
    if matches:
        start, end = matches[0]
        snippet, snippet_matches = _snippet(body, matches, lo, hi)
    elif row["kind"] == "article":
        start = end = 0
        title = row["title"] or ""
        snippet = title
        snippet_matches = [m.span() for m in pattern.finditer(title)] if pattern else []
    else:
        start, end = lo, hi
        snippet, snippet_matches = _snippet(body, [(lo, lo)], lo, hi)
    return SearchHit(
        kind=row["kind"],
        article_id=row["article_id"],
        quote_id=quote_id,
        title=row["title"] or "",
        snippet=snippet,
        start=start,
        end=end,
        speaker=row["speaker"],
        score=-float(row["score"]),
        side=row["side"],
        link_id=row["ref"] if row["kind"] == "link" else None,
        demand=row["demand"],
        matches=matches,
        snippet_matches=snippet_matches,
    )


def _snippet(body: str, matches: list[Span], lo: int, hi: int) -> tuple[str, list[Span]]:
    """A one-line window of ``body[lo:hi]`` around the first match, and matches inside it."""
    first = matches[0][0]
    a = max(lo, first - SNIPPET_BEFORE)
    b = min(hi, max(matches[0][1], first) + SNIPPET_AFTER)
    if a > lo:
        space = body.find(" ", a, first)
        a = space + 1 if space != -1 else a
    if b < hi:
        space = body.rfind(" ", matches[0][1], b)
        b = space if space != -1 else b
    prefix = "…" if a > lo else ""
    suffix = "…" if b < hi else ""
    text = prefix + body[a:b].replace("\n", " ") + suffix
    shift = len(prefix) - a
    inside = [(s + shift, e + shift) for s, e in matches if s >= a and e <= b and e > s]
    return text, inside
