"""Search hits with the user's corrections applied (:mod:`newsbrowse.store.corrected`).

The full-text index holds the analysis's speakers and sides as filter tokens, so the
hits it gives are corrected here: a struck-out quote or removed link is no hit, a
corrected one shows its corrected speaker and side (and is dropped if the query's filter
no longer takes it), and the corrected quotes a ``speaker:`` or ``side:`` filter now
takes in are added. ``note:WORDS`` keeps the hits whose note holds the words.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from newsbrowse.store.corrected import Fixes, article_of
from newsbrowse.store.corrected_reads import articles_of
from newsbrowse.store.errors import BadInput
from newsbrowse.store.model import Article, Link, Quote
from newsbrowse.store.queries import holds_words
from newsbrowse.store.search import SearchHit

if TYPE_CHECKING:
    from newsbrowse.store.library import Library

_NOTE = re.compile(r'(?:^|\s)note:(?:"([^"]*)"?|(\S*))')


def note_filter(query: str) -> tuple[str, str | None]:
    """The query without its ``note:WORDS`` filter, and those words (lower case)."""
    found = _NOTE.search(query)
    if found is None:
        return query, None
    words = (found[1] if found[1] is not None else found[2]).strip().lower()
    rest = (query[: found.start()] + " " + query[found.end() :]).strip()
    return rest, words or None


def hits(
    lib: Library, fixes: Fixes, found: list[SearchHit], query: str, note: str | None
) -> list[SearchHit]:
    """Search hits as corrected: a struck-out quote or removed link is no hit; a hit
    whose corrected speaker or side no longer passes the query's filter is dropped. With
    ``note:`` (``query`` is the rest), only hits whose note holds its words, or every
    noted quote and link if the query is nothing else."""
    if not fixes:
        return [] if note else found
    touched = {a for a in (article_of(t) for t in fixes.by_target) if a} | set(fixes.added)
    arts = articles_of(lib, touched)
    if note is not None and not query.strip():
        return _noted_hits(arts.values(), note)
    marks: dict[str, Quote | Link] = {m.id: m for a in arts.values() for m in (*a.quotes, *a.links)}
    struck = {t for t in fixes.by_target if article_of(t) in arts and t not in marks}
    out = []
    for hit in found:
        mark_id = (hit.link_id if hit.kind == "link" else hit.quote_id) or ""
        mark = marks.get(mark_id)
        if mark_id in struck or (mark is None and note is not None):
            continue
        if mark is not None:
            fixed = _fixed_hit(hit, mark, query)
            if fixed is None or (note is not None and note not in (mark.note or "").lower()):
                continue
            hit = fixed
        out.append(hit)
    return out


def _fixed_hit(hit: SearchHit, mark: Quote | Link, query: str) -> SearchHit | None:
    speaker = mark.speaker if isinstance(mark, Quote) else hit.speaker
    moved_speaker = "speaker:" in query and speaker != hit.speaker
    if moved_speaker or ("side:" in query and mark.side != hit.side):
        return None  # taken in again by taken_in() if the filter takes the new values
    demand = mark.demand if isinstance(mark, Link) else hit.demand
    return replace(hit, speaker=speaker, side=mark.side, demand=demand, corrected=mark.corrected)


def _noted_hits(arts: Iterable[Article], note: str) -> list[SearchHit]:
    """Every quote and link whose note holds ``note``: the hits of a bare ``note:``."""
    arts = list(arts)
    titles = _titles(arts)
    marks = (m for art in arts for m in (*art.quotes, *art.links))
    return [_hit_on(m, titles) for m in marks if note in (m.note or "").lower()]


def _titles(arts: Iterable[Article]) -> dict[str, str]:
    return {art.id: art.title for art in arts}


def _hit_on(m: Quote | Link, titles: dict[str, str]) -> SearchHit:
    """A hit on a whole quote or link (one the index cannot find as corrected)."""
    is_quote = isinstance(m, Quote)
    return SearchHit(
        kind="quote" if is_quote else "link",
        article_id=m.article_id,
        quote_id=m.id if isinstance(m, Quote) else m.quote_id,
        title=titles.get(m.article_id, ""),
        snippet=m.text if isinstance(m, Quote) else m.evidence,
        start=m.start,
        end=m.end,
        speaker=m.speaker if isinstance(m, Quote) else None,
        score=0.0,
        side=m.side,
        link_id=None if is_quote else m.id,
        demand=m.demand if isinstance(m, Link) else None,
        corrected=m.corrected,
    )


# the corrected quotes a filter now takes in ------------------------------------------------
_FILTER = re.compile(r'(?:^|(?<=\s))(speaker|side|demand):(?:"([^"]*)"?|(\S*))', re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+")


def _filters(query: str) -> dict[str, str]:
    return {k.lower(): (q if q else v) for k, q, v in _FILTER.findall(query)}


def _names_a_given_speaker(fixes: Fixes, query: str) -> bool:
    """Whether the query's ``speaker:`` names only a speaker the user gave (the index
    knows nobody by that name, and says so)."""
    value = _filters(query).get("speaker")
    words = _WORD.findall((value or "").lower())
    given = [c.speaker for cs in fixes.by_target.values() for c in cs if c.speaker]
    given += [c.speaker for cs in fixes.added.values() for c in cs if c.speaker]
    return bool(words) and any(holds_words(name, words) for name in given)


def taken_in(lib: Library, fixes: Fixes, query: str) -> list[SearchHit]:
    """The corrected quotes (added ones too) that the query's ``speaker:`` or ``side:``
    filter takes in, with every word of the query starting a word of the quote or its
    speaker: the index still files them under their old speaker and side."""
    filters = _filters(query)
    if not {"speaker", "side"} & filters.keys():
        return []
    names = set(lib.speaker_names(filters["speaker"])) if "speaker" in filters else None
    side, demand = filters.get("side"), filters.get("demand")
    words = _WORD.findall(_FILTER.sub(" ", query).lower())
    arts = articles_of(lib, {c.article_id for cs in fixes.by_target.values() for c in cs})
    arts.update(articles_of(lib, set(fixes.added)))
    out = []
    for art in arts.values():
        for q in art.quotes:
            if not q.corrected or (names is not None and q.speaker not in names):
                continue
            if (side and q.side != side) or (
                demand and not any(lk.quote_id == q.id and lk.demand == demand for lk in art.links)
            ):
                continue
            have = _WORD.findall(f"{q.text} {q.speaker or ''}".lower())
            if all(any(h.startswith(w) for h in have) for w in words):
                out.append(_hit_on(q, _titles([art])))
    return out


def search(
    lib: Library, query: str, limit: int, run: Callable[[str], list[SearchHit]]
) -> list[SearchHit]:
    """The index's search (``run``) of ``query`` as corrected: see the module's docstring."""
    fixes = lib.fixes()
    rest, note = note_filter(query)
    try:
        found = run(rest)
    except BadInput:
        if not _names_a_given_speaker(fixes, rest):
            raise
        found = []
    out = hits(lib, fixes, found, rest, note)
    if note is None and fixes:
        seen = {h.quote_id for h in out}
        out += [h for h in taken_in(lib, fixes, rest) if h.quote_id not in seen]
    return out[:limit]
