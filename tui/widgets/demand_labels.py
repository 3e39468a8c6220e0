"""How the demands panel words its rows: a demand with its counts, a side's group, an item
of evidence, and the lines that say a group is empty.

The sides are the codebook's, by role: the demanding side "said", the answering side
"replied" (with a stance), so another negotiation's codebook words the panel without a
change here. Every label is plain ``Text`` whose spans name a role of the panel
(``demands-panel--count``), styled when the line is drawn.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from newsbrowse.store.citations import quotation
from newsbrowse.store.labels import (
    NamedSide,
    date_label,
    side_abbreviation,
    side_label,
    side_with_role,
)
from newsbrowse.store.model import ArticleSummary, Link, Quote
from newsbrowse.tui.widgets.display import display_text
from rich.text import Text

EXCERPT = 60
"""Characters of evidence shown in one item (one line)."""

SHORT_TITLE = 28

NOTHING = "nothing in the corpus touches this demand"

OPENING_MARKS = "“\"«‘'„"
CLOSING_MARKS = "”\"»’'"
"""An excerpt that already starts or ends with a quotation mark gets no second one."""

ROLE = "demands-panel--"
"""The prefix of the panel's component classes, which the spans of a label name."""

COUNTS_BREAK = "  "
"""Between a demand's title and its counts (the counts are the last such part)."""


@dataclass(frozen=True)
class DemandItem:
    slug: str


@dataclass(frozen=True)
class GroupItem:
    slug: str
    side: str


@dataclass(frozen=True)
class EvidenceItem:
    link: Link


@dataclass(frozen=True)
class MoreItem:
    slug: str
    side: str


NodeData = DemandItem | GroupItem | EvidenceItem | MoreItem | None


class SideWords:
    """The panel's words for the codebook's sides: who demands, who answers, the rest."""

    def __init__(self, sides: Sequence[NamedSide]) -> None:
        self.sides = tuple(sides)
        demanding = side_with_role("demanding", self.sides)
        answering = side_with_role("answering", self.sides)
        self.demanding = demanding.slug if demanding else ""
        self.answering = answering.slug if answering else ""
        self._short = {s.slug: side_abbreviation(s.label) for s in self.sides}

    @property
    def groups(self) -> tuple[str, str]:
        """The two groups every demand shows, even empty: the demand, then the replies."""
        return self.demanding, self.answering

    @property
    def legend(self) -> str:
        """What the counts beside a demand mean (``R Russia said · US replies``)."""
        said = f"{self.short(self.demanding)} {self.label(self.demanding)} said"
        return f"{said} · {self.short(self.answering)} replies"

    def short(self, slug: str) -> str:
        return self._short.get(slug, "?")

    def label(self, slug: str) -> str:
        return side_label(slug, self.sides)

    def counts(self, said: int, replied: int) -> str:
        """A demand's counts: ``R 10 · US 2``."""
        return f"{self.short(self.demanding)} {said} · {self.short(self.answering)} {replied}"

    def group_title(self, slug: str) -> str:
        verb = "replied" if slug == self.answering else "said"
        label = self.label(slug)
        return f"{label[:1].upper()}{label[1:]} {verb}"

    def empty(self, slug: str) -> str:
        """The line a group without items shows."""
        if slug == self.answering:
            return f"no {self.label(slug)} reply in the corpus"
        return f"no statement of this demand by {self.label(slug)} in the corpus"


def excerpt(text: str, width: int = EXCERPT) -> str:
    """One line of at most ``width`` characters, cut at a word and marked with an ellipsis."""
    line = " ".join(text.split())
    if len(line) <= width:
        return line
    cut = line[: width - 1]
    space = cut.rfind(" ")
    if line[len(cut)] != " " and space > width // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:") + "…"


def quoted(text: str) -> str:
    """``text`` between quotation marks, unless it already holds its own."""
    opening = "" if text[:1] in OPENING_MARKS else "“"
    closing = "" if text[-1:] in CLOSING_MARKS else "”"
    return f"{opening}{text}{closing}"


def is_direct(link: Link, quote: Quote | None) -> bool:
    """Whether the evidence is the quote's own words, marks aside (shown between marks),
    not a sentence of the article that holds or reports them (shown as it is)."""
    return quote is not None and quote.start - 1 <= link.start and link.end <= quote.end + 1


def spoken(words: str) -> str:
    """A direct quote's words without their own marks and the reporting clause's trailing
    comma or colon, ready for :func:`quoted`."""
    return quotation(words.strip().strip(OPENING_MARKS + CLOSING_MARKS).strip())


def article_label(summary: ArticleSummary | None, *, date_first: bool = False) -> str:
    """A short name for an article: its title shortened, and its date (``~`` if inferred).

    ``date_first`` puts the date before the title (the subtitle, where the end is cut).
    """
    if summary is None:
        return "unknown article"
    if date_first:
        name = display_text(summary.title) or "untitled"
    else:
        name = excerpt(display_text(summary.title), SHORT_TITLE) if summary.title else "untitled"
    if not summary.date:
        return name
    date = date_label(summary.date, summary.date_basis)
    return f"{date} · {name}" if date_first else f"{name} · {date}"


def fit(label: Text, width: int, *, counts: bool) -> Text:
    """``label`` cut to ``width`` with an ellipsis; a demand's counts stay at the right edge.

    The counts are drawn short (``R 10 · US 2`` -> ``R10 US2``; the subtitle explains).
    """
    title, sep, tail = label.plain.rpartition(COUNTS_BREAK)
    if not (counts and sep):
        return label if len(label) <= width else label[: width - 1] + Text("…")
    head = label[: len(title)]
    count = Text(" " + " ".join(part.replace(" ", "") for part in tail.split(" · ")))
    count.stylize(label.spans[-1].style if label.spans else "")
    room = width - len(count)
    if len(head) > room:
        head = head[: max(1, room - 1)] + Text("…")
    return head + Text(" " * (width - len(head) - len(count))) + count


def line(*parts: tuple[str, str]) -> Text:
    """A label from (text, role) parts: plain text, so web text is never read as markup."""
    text = Text(no_wrap=True, overflow="ellipsis")
    for content, role in parts:
        text.append(content, f"{ROLE}{role}" if role else "")
    return text
