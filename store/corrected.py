"""The user's corrections applied to what the analysis found, at read time.

The corpus and its index stay what the analysis made (they are derived, and a
re-analysis rewrites them); every read through the :class:`Library` passes its quotes and
links through :class:`Fixes`, so the app, the CLI and exports all show the corrected
value, marked ``corrected``. A correction applies only to the span it was made on, with
the same words: if the analysis now gives that span other words, the correction is not
applied (its status says it needs review), never moved onto other words.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from newsbrowse.store.corrections import Correction
from newsbrowse.store.model import Article, Link, Quote

QUOTE_ID = re.compile(r"^(?P<article>.+)-q(?P<start>\d+)$")
LINK_ID = re.compile(r"^(?P<article>.+)-l(?P<start>\d+)-(?P<demand>.+)$")

ADDED = ("added_quote", "added_link")
APPLIED = "applied"
TEXT_CHANGED = "needs review: the text of its span changed"
NOT_FOUND = "needs review: the analysis no longer finds it"
ARTICLE_GONE = "needs review: the article is no longer stored"


def article_of(mark_id: str) -> str | None:
    """The article id inside a quote's or link's id (``ARTICLE-qSTART``,
    ``ARTICLE-lSTART-DEMAND``), or None if ``mark_id`` is neither."""
    found = LINK_ID.match(mark_id) or QUOTE_ID.match(mark_id)
    return found["article"] if found else None


def quote_id_of(article_id: str, start: int) -> str:
    """The id the analysis gives a quote starting at ``start`` (an added one takes it too)."""
    return f"{article_id}-q{start}"


def _same_span(c: Correction, text: str, start: int, end: int) -> bool:
    return c.start == start and c.end == end and c.text == text


@dataclass
class Fixes:
    """The corrections in force, by the quote or link they apply to."""

    by_target: dict[str, list[Correction]] = field(default_factory=dict)
    added: dict[str, list[Correction]] = field(default_factory=dict)  # by article id

    @classmethod
    def of(cls, corrections: Iterable[Correction]) -> Fixes:
        fixes = cls()
        for c in corrections:
            if c.kind == "meta":
                continue  # an article's metadata: newsbrowse.store.meta_edits applies it
            if c.kind in ADDED:
                fixes.added.setdefault(c.article_id, []).append(c)
            else:
                fixes.by_target.setdefault(c.target, []).append(c)
        return fixes

    def __bool__(self) -> bool:
        return bool(self.by_target or self.added)

    def touches(self, mark_id: str) -> bool:
        """Whether a correction may change the quote or link ``mark_id``."""
        if mark_id in self.by_target:
            return True
        article = article_of(mark_id)
        return any(c.target == mark_id for c in self.added.get(article or "", ()))

    def articles(self) -> set[str]:
        """The articles some correction touches."""
        return {c.article_id for cs in self.by_target.values() for c in cs} | set(self.added)

    # one mark ------------------------------------------------------------------------
    def quote(self, q: Quote) -> Quote | None:
        """``q`` as the user corrected it; None if they said it is not a quote."""
        values = {"speaker": q.speaker, "side": q.side}
        flags = {"corrected": q.corrected, "checked": q.checked, "note": q.note}
        for c in self.by_target.get(q.id, ()):
            if not _same_span(c, q.text, q.start, q.end):
                continue  # drift: the words changed, the correction waits for review
            if c.kind == "not_quote":
                return None
            if c.kind == "attribution":
                values["speaker"] = c.speaker if c.speaker is not None else values["speaker"]
                values["side"] = c.side or values["side"]
                flags["corrected"] = True
            _flag(c, flags)
        return dataclasses.replace(q, **values, **flags)

    def link(self, lk: Link) -> Link | None:
        """``lk`` as the user corrected it; None if they removed it."""
        values = {"demand": lk.demand, "side": lk.side, "stance": lk.stance}
        flags = {"corrected": lk.corrected, "checked": lk.checked, "note": lk.note}
        for c in self.by_target.get(lk.id, ()):
            if not _same_span(c, lk.evidence, lk.start, lk.end):
                continue
            if c.kind == "link_removed":
                return None
            if c.kind == "link":
                for key in values:
                    if getattr(c, key) is not None:
                        values[key] = getattr(c, key)
                flags["corrected"] = True
            _flag(c, flags)
        return dataclasses.replace(lk, **values, **flags)

    def added_quotes(self, article_id: str, body: str) -> list[Quote]:
        """The quotes the user added to this article whose span still holds their words."""
        return [
            Quote(
                id=c.target,
                article_id=article_id,
                text=c.text,
                speaker=c.speaker,
                side=c.side or "",
                cue=None,
                start=c.start,
                end=c.end,
                corrected=True,
            )
            for c in self.added.get(article_id, ())
            if c.kind == "added_quote" and body[c.start : c.end] == c.text
        ]

    def added_links(self, art: Article) -> list[Link]:
        """The links the user added to this article whose span still holds their words
        (tied to the first quote that starts inside it, as the analysis ties a link)."""
        return [
            Link(
                id=c.target,
                article_id=art.id,
                demand=c.demand or "",
                side=c.side or "",
                stance=c.stance,
                evidence=c.text,
                start=c.start,
                end=c.end,
                quote_id=next((q.id for q in art.quotes if c.start <= q.start < c.end), None),
                corrected=True,
            )
            for c in self.added.get(art.id, ())
            if c.kind == "added_link" and art.body[c.start : c.end] == c.text
        ]

    # a whole article --------------------------------------------------------------------
    def article(self, art: Article, keep_dropped: bool = False) -> Article:
        """``art`` with its quotes and links corrected, the added quotes in place; with
        ``keep_dropped``, the quotes and links the user struck out stay (as analysed)."""
        if art.id not in self.articles():
            return art
        quotes = {q.id: q for q in art.quotes}
        quotes.update((q.id, q) for q in self.added_quotes(art.id, art.body))
        fixed_quotes = [
            fixed
            for q in sorted(quotes.values(), key=lambda q: (q.start, q.end))
            if (fixed := self.quote(q) or (q if keep_dropped else None)) is not None
        ]
        links = {lk.id: lk for lk in art.links}
        for lk in self.added_links(art):
            links.setdefault(lk.id, lk)  # one the analysis now finds too is the analysis's
        fixed_links = [
            fixed
            for lk in sorted(links.values(), key=lambda lk: (lk.start, lk.end))
            if (fixed := self.link(lk) or (lk if keep_dropped else None)) is not None
        ]
        return dataclasses.replace(art, quotes=fixed_quotes, links=fixed_links)

    def status(self, c: Correction, art: Article | None) -> str:
        """Whether ``c`` applies to ``art`` as stored, or why it needs review."""
        if art is None:
            return ARTICLE_GONE
        if c.kind in ADDED:
            return APPLIED if art.body[c.start : c.end] == c.text else TEXT_CHANGED
        marks: list[Quote | Link] = [*art.quotes, *art.links]
        marks += self.added_quotes(art.id, art.body)
        found = next((m for m in marks if m.id == c.target), None)
        if found is None:
            return NOT_FOUND
        text = found.text if isinstance(found, Quote) else found.evidence
        return APPLIED if _same_span(c, text, found.start, found.end) else TEXT_CHANGED


def _flag(c: Correction, flags: dict[str, object]) -> None:
    if c.kind == "checked":
        flags["checked"] = True
    elif c.kind == "note":
        flags["note"] = c.note
