"""Shared pieces of the widget tests: a host app that records messages, and links on real text.

The widgets are tested alone, in a small app that composes one of them the way the
real app will, so that their messages can be asserted without the rest of the screen.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from newsbrowse.store.ingest.codebook import Codebook
from newsbrowse.store.library import Library
from newsbrowse.store.model import ArticleSummary, Link, Quote
from textual.app import App, ComposeResult
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Footer, Static


class HostApp(App[None]):
    """Composes one widget (and a stand-in reader) and records the messages of given types."""

    CSS = "#reader { height: 1fr; }"

    def __init__(self, make: Callable[[], Widget], record: tuple[type[Message], ...]) -> None:
        super().__init__()
        self.make = make
        self.record = record
        self.posted: list[Message] = []

    def compose(self) -> ComposeResult:
        yield Static("reader", id="reader")
        yield self.make()
        yield Footer()

    def hook(self, message: Message) -> None:
        """``run_test(message_hook=...)``: keep each recorded message once (it bubbles)."""
        if isinstance(message, self.record) and not any(m is message for m in self.posted):
            self.posted.append(message)

    def of(self, kind: type[Message]) -> list[Message]:
        return [m for m in self.posted if isinstance(m, kind)]


class LinkedLibrary:
    """A real library whose links are the ones a test gives (the linker is tested elsewhere)."""

    def __init__(self, library: Library, links: Iterable[Link]) -> None:
        self.library = library
        self._links = list(links)

    @property
    def codebook(self) -> Codebook:
        return self.library.codebook

    def links(
        self,
        demand: str | None = None,
        side: str | None = None,
        offset: int = 0,
        limit: int | None = None,
        stance: str | None = None,
    ) -> list[Link]:
        chosen = [
            lk
            for lk in self._links
            if (demand is None or lk.demand == demand)
            and (side is None or lk.side == side)
            and (stance is None or (lk.stance or "neutral") == stance)
        ]
        return chosen[offset:] if limit is None else chosen[offset : offset + limit]

    def link_counts(self) -> dict[str, dict[str, int]]:
        counts: dict[str, dict[str, int]] = {}
        for lk in self._links:
            tally = counts.setdefault(lk.demand, {})
            tally[lk.side] = tally.get(lk.side, 0) + 1
            if lk.side == "us_nato":
                stance = lk.stance or "neutral"
                tally[stance] = tally.get(stance, 0) + 1
        return counts

    def summaries(self, ids: Iterable[str]) -> dict[str, ArticleSummary]:
        return self.library.summaries(ids)

    def quote(self, quote_id: str) -> Quote:
        return self.library.quote(quote_id)


def link_on(
    library: Library, phrase: str, demand: str, side: str, stance: str | None = None
) -> Link:
    """A link whose evidence is the paragraph of a seed article holding ``phrase``."""
    for summary in library.articles():
        body = library.article(summary.id).body
        at = body.find(phrase)
        if at < 0:
            continue
        start = body.rfind("\n", 0, at) + 1
        end = body.find("\n", at)
        end = len(body) if end < 0 else end
        return Link(
            id=f"{summary.id}-{demand}-{start}",
            article_id=summary.id,
            demand=demand,
            side=side,
            stance=stance,
            evidence=body[start:end],
            start=start,
            end=end,
            quote_id=None,
        )
    raise LookupError(f"no seed article holds {phrase!r}")
