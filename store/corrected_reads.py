"""The Library's list reads with the user's corrections applied (:mod:`corrected`).

The index answers as the analysis left it; the few articles a correction touches are
then read whole, corrected, and their quotes or links put in place of the index's, so a
filter sees the corrected speaker, side or demand (a quote corrected to another side is
listed under that side, and no longer under its old one). With no correction in force
every read returns what the index gave, at the index's cost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from newsbrowse.store.corrected import Fixes, article_of
from newsbrowse.store.errors import BadInput, NotFound
from newsbrowse.store.model import Article, Link, Quote
from newsbrowse.store.queries import holds_words

if TYPE_CHECKING:
    from newsbrowse.store.library import Library


@dataclass(frozen=True)
class QuoteFilter:
    """What :meth:`Library.quotes` was asked for (speakers already resolved to names)."""

    article: str | None
    speakers: list[str] | None
    side: str | None
    demand: str | None

    def keeps(self, q: Quote, art: Article) -> bool:
        if self.side and q.side != self.side:
            return False
        if self.speakers is not None and q.speaker not in self.speakers:
            return False
        if self.demand:
            return any(lk.quote_id == q.id and lk.demand == self.demand for lk in art.links)
        return True


def articles_of(lib: Library, ids: set[str]) -> dict[str, Article]:
    """The corrected articles of ``ids`` that are still stored."""
    out = {}
    for article_id in sorted(ids):
        try:
            out[article_id] = lib.article(article_id)
        except NotFound:
            continue
    return out


def quote(lib: Library, quote_id: str) -> Quote:
    """One quote a correction touches, read from its corrected article."""
    article_id = article_of(quote_id) or ""
    found = articles_of(lib, {article_id}).get(article_id)
    q = found.quote(quote_id) if found else None
    if q is None and found is not None and quote_id in lib.fixes().by_target:
        raise NotFound(
            f"{quote_id} is marked not a quote; `newsbrowse corrections` shows the correction "
            "and `newsbrowse undo ID` reverts it"
        )
    if q is None:
        raise NotFound(f"no quote {quote_id!r}; `newsbrowse quotes` shows the ids")
    return q


def quotes(lib: Library, fixes: Fixes, found: list[Quote], where: QuoteFilter) -> list[Quote]:
    """``found`` with each corrected article's quotes replaced by its corrected ones that
    pass ``where``, in the index's order (by article date, id, then position)."""
    if not fixes:
        return found
    touched = fixes.articles()
    if where.article:
        touched &= {lib.resolve_article_id(where.article)}
    arts = articles_of(lib, touched)
    out = [q for q in found if q.article_id not in arts]
    out += [q for art in arts.values() for q in art.quotes if where.keeps(q, art)]
    dates = lib.summaries({q.article_id for q in out})

    def order(q: Quote) -> tuple[bool, str, str, int]:
        summary = dates.get(q.article_id)
        date = summary.date if summary else None
        return (date is None, date or "", q.article_id, q.start)

    return sorted(out, key=order)


def links(
    lib: Library,
    fixes: Fixes,
    found: list[Link],
    demand: str | None,
    side: str | None,
    first: bool,
    stance: str | None = None,
) -> list[Link]:
    """``found`` corrected: removed links dropped, corrected ones shown as corrected (and
    dropped if they no longer pass the filter, ``stance`` included). On the first page,
    links corrected into the filter are added at the end of their demand and side."""
    if not fixes:
        return found
    corrected_ids = set(fixes.by_target) | added_link_ids(fixes)
    out: list[Link] = []
    for lk in found:
        fixed = fixes.link(lk) if lk.id in corrected_ids else lk
        if fixed is not None and _passes(fixed, demand, side, stance):
            out.append(fixed)
    if first:
        shown = {lk.id for lk in found}
        arts = articles_of(lib, {article_of(i) or "" for i in corrected_ids if "-l" in i})
        out += [
            lk
            for art in arts.values()
            for lk in art.links
            if lk.corrected and lk.id not in shown and _passes(lk, demand, side, stance)
        ]
    book = lib.codebook
    rank = {slug: i for i, slug in enumerate(book.slugs)}
    return sorted(out, key=lambda lk: (rank.get(lk.demand, len(rank)), lk.side != book.demanding))


def added_link_ids(fixes: Fixes) -> set[str]:
    """The ids of the links the user added."""
    return {c.target for cs in fixes.added.values() for c in cs if c.kind == "added_link"}


def _passes(lk: Link, demand: str | None, side: str | None, stance: str | None = None) -> bool:
    return (
        (demand is None or lk.demand == demand)
        and (side is None or lk.side == side)
        and (stance is None or (lk.stance or "neutral") == stance)
    )


def link_counts(
    lib: Library, fixes: Fixes, counts: dict[str, dict[str, int]]
) -> dict[str, dict[str, int]]:
    """The index's counts with each corrected link counted as corrected (or not at all)."""
    touched = {c.article_id for cs in fixes.by_target.values() for c in cs if "-l" in c.target}
    touched |= {article_of(i) or "" for i in added_link_ids(fixes)}
    if not touched:
        return counts
    out = {demand: dict(tally) for demand, tally in counts.items()}
    answering = lib.codebook.answering
    for article_id in sorted(touched):
        try:
            stored = lib.stored_article(article_id)
        except NotFound:
            continue
        known = {lk.id for lk in stored.links}
        for lk in stored.links:
            if lk.id in fixes.by_target:
                _count(out, lk, -1, answering)
                fixed = fixes.link(lk)
                if fixed is not None:
                    _count(out, fixed, 1, answering)
        for lk in fixes.added_links(stored):
            if (fixed := fixes.link(lk)) is not None and lk.id not in known:
                _count(out, fixed, 1, answering)
    return {d: t for d, t in out.items() if any(t.values())}


def _count(counts: dict[str, dict[str, int]], lk: Link, n: int, answering: str) -> None:
    tally = counts.setdefault(lk.demand, {})
    keys = [lk.side] + ([lk.stance or "neutral"] if lk.side == answering else [])
    for key in keys:
        tally[key] = max(0, tally.get(key, 0) + n)
        if not tally[key]:
            del tally[key]


def speaker_names(fixes: Fixes, names: list[str], value: str) -> list[str]:
    """``names`` the index knows for ``value``, with the speakers the user gave that it
    names (a new name is a speaker too); none at all is a :class:`BadInput`."""
    words = re.findall(r"\w+", value.lower())
    given = {
        c.speaker
        for cs in (*fixes.by_target.values(), *fixes.added.values())
        for c in cs
        if c.speaker and holds_words(c.speaker, words)
    }
    found = sorted(set(names) | given)
    if not found:
        raise BadInput(f"no speaker matching {value!r}; `newsbrowse quotes` shows the speakers")
    return found
