"""What one quote's citation holds, whatever the format: who said it on which side (the
codebook's word for it), the quotation as it is cited, the article's title, source, URL
and date (an inferred date marked the same way in every format), the paragraph it is
in, the demands its links tie it to, with their stance, and whose attribution it is
(the analysis's or the user's correction, checked or not) with the user's note.

Every export format (:mod:`newsbrowse.store.export`, :mod:`newsbrowse.store.references`)
writes these fields, so a Markdown block and a RIS record never disagree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from newsbrowse.store.errors import NotFound
from newsbrowse.store.labels import attribution_label, side_label, side_role, stance_parts
from newsbrowse.store.model import Article, ArticleSummary, Link, Quote

if TYPE_CHECKING:
    from newsbrowse.store.ingest.codebook import Codebook

UNKNOWN_SPEAKER = "Unknown speaker"
UNDATED = "undated"
DEMAND_STATED = "demands"
"""The stance word of a link of the demanding side: it states the demand, it answers nothing."""

_TRAILING = re.compile(r"[\s,:]+$")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
# A title is cited between double marks, so the marks inside it become single ones.
_SINGLE_MARKS = str.maketrans({"\u201c": "\u2018", "\u201d": "\u2019", "\u201e": "\u201a",
                               '"': "'", "\u00ab": "\u2039", "\u00bb": "\u203a"})  # fmt: skip


class CitingLibrary(Protocol):
    """What a citation reads of a :class:`~newsbrowse.store.library.Library`."""

    @property
    def codebook(self) -> Codebook: ...

    def summaries(self, ids: Iterable[str]) -> dict[str, ArticleSummary]: ...

    def article(self, article_id: str) -> Article: ...


@dataclass(frozen=True)
class DemandRef:
    """A demand a quote's link ties it to, and how: ``demands`` or a reply's stance."""

    slug: str
    title: str
    stance: str

    def __str__(self) -> str:
        return f"{self.title} ({self.stance})"


@dataclass(frozen=True)
class Cited:
    """One quote with everything any format cites."""

    quote: Quote
    summary: ArticleSummary
    side: str
    quotation: str
    title: str
    date: str
    paragraph: int | None
    demands: tuple[DemandRef, ...]

    @property
    def speaker(self) -> str:
        return self.quote.speaker or UNKNOWN_SPEAKER

    @property
    def demands_text(self) -> str:
        """``Moscow-NATO hotline (demands); Limits on exercises (open)``, or empty."""
        return "; ".join(str(d) for d in self.demands)

    def line(self) -> str:
        """One plain line: who said it, on which side, where and when it was published."""
        parts = [f"{self.speaker} ({self.side})", f"\u201c{self.title}\u201d"]
        if self.summary.source:
            parts.append(self.summary.source)
        parts.append(self.date)
        if self.paragraph is not None:
            parts.append(f"para. {self.paragraph}")
        return ", ".join(parts)

    @property
    def attribution(self) -> str:
        """``automatic``, ``corrected``, ``checked`` or ``corrected, checked``: whose the
        quote's attribution is (the analysis's or the user's), as every format states it."""
        return attribution_label(self.quote.corrected, self.quote.checked)

    def citation(self) -> str:
        """:meth:`line` with the URL where a reader checks it (the records' ``citation``)."""
        url = self.summary.url
        return f"{self.line()}, {url}" if url else self.line()

    def note_lines(self) -> list[str]:
        """The quotation and its attribution (whose it is, and the user's note on it) as a
        reference manager's note shows them."""
        lines = [
            f"\u201c{one_line(self.quotation)}\u201d",
            f"\u2014 {self.line()} (attribution {self.attribution})",
        ]
        if self.demands:
            lines.append(f"Demands: {self.demands_text}")
        if self.quote.note:
            lines.append(f"Note: {self.quote.note}")
        if self.summary.url:
            lines.append(self.summary.url)
        return lines


def one_line(text: str) -> str:
    """``text`` with every run of whitespace (a quote across lines) made one space."""
    return " ".join(text.split())


def quotation(text: str) -> str:
    """The quote as cited: a trailing comma or colon (the reporting clause's) dropped.

    The exact span stays in the JSON and CSV records (``text``, ``start``, ``end``)."""
    return _TRAILING.sub("", text)


def cited_title(title: str) -> str:
    """The title as cited between double marks: its own double marks made single."""
    return title.translate(_SINGLE_MARKS)


def cited_date(summary: ArticleSummary) -> str:
    """The date every format writes: ``2022-02-21``, ``2022-02-10 (inferred)`` when the
    text does not state it, ``undated`` when there is none."""
    if not summary.date:
        return UNDATED
    if summary.date_basis == "stated":
        return summary.date
    return f"{summary.date} ({summary.date_basis})"


def paragraph_of(body: str, offset: int) -> int:
    """The number (from 1) of the paragraph of ``body`` holding ``offset``: paragraphs are
    separated by blank lines, as the cleaned text keeps them."""
    return len(_PARAGRAPH_BREAK.findall(body, 0, offset)) + 1


def demand_refs(links: Sequence[Link], codebook: Codebook) -> tuple[DemandRef, ...]:
    """Each demand of ``links`` once, in codebook order, with its stance."""
    order = {slug: i for i, slug in enumerate(codebook.slugs)}
    seen: dict[tuple[str, str], DemandRef] = {}
    for link in sorted(links, key=lambda lk: (order.get(lk.demand, len(order)), lk.start)):
        if side_role(link.side, codebook.sides) == "demanding":
            stance = DEMAND_STATED
        else:
            stance = stance_parts(link.stance)[1]
        demand = codebook.demand(link.demand)
        ref = DemandRef(link.demand, demand.title if demand else link.demand, stance)
        seen.setdefault((ref.slug, ref.stance), ref)
    return tuple(seen.values())


def cite(quotes: Sequence[Quote], library: CitingLibrary) -> list[Cited]:
    """``quotes`` with their citations, in the order given; a quote whose article the
    store no longer holds is left out. Each article's record is read once (for its
    paragraphs and links), only for the quotes asked for."""
    summaries = library.summaries(q.article_id for q in quotes)
    articles: dict[str, Article | None] = {}
    codebook = library.codebook
    out: list[Cited] = []
    for q in quotes:
        summary = summaries.get(q.article_id)
        if summary is None:
            continue
        if q.article_id not in articles:
            articles[q.article_id] = _article(library, q.article_id)
        art = articles[q.article_id]
        links = [lk for lk in art.links if lk.quote_id == q.id] if art else []
        out.append(
            Cited(
                quote=q,
                summary=summary,
                side=side_label(q.side, codebook.sides),
                quotation=quotation(q.text),
                title=cited_title(summary.title),
                date=cited_date(summary),
                paragraph=paragraph_of(art.body, q.start) if art else None,
                demands=demand_refs(links, codebook),
            )
        )
    return out


def _article(library: CitingLibrary, article_id: str) -> Article | None:
    try:
        return library.article(article_id)
    except NotFound:  # removed since its summary was read: cite it without
        return None
