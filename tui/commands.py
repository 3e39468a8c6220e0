"""Command palette (ctrl+p): open an article by title, jump to a demand, and the app's actions.

Titles come from the web and codebook titles from a user's file, so every prompt is a
rich ``Text`` (Textual reads a plain ``str`` prompt as markup); help lines are ours.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING

from newsbrowse.store.errors import NewsbrowseError
from newsbrowse.store.model import ArticleSummary
from newsbrowse.tui.widgets.reader import date_label
from rich.text import Text
from textual.app import SystemCommand
from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider

if TYPE_CHECKING:
    from newsbrowse.tui.app import NewsbrowseApp

MATCH_STYLE = "reverse"
OPEN_HELP = "Open this article in the reader"
DEMAND_HELP = "Show only the articles linked to this demand"
FUZZY_ALL = 2_000  # up to this many articles the palette fuzzy-matches every title
FIRST_PAGE = 100  # past it, the list's first articles offered before any query
SEARCHED = 100  # past it, search hits asked for a query (several may share an article)


def highlighted(matcher: Matcher, candidate: str) -> Text:
    """``candidate`` as plain text with the fuzzy-matched letters marked."""
    text = Text(candidate)
    score, offsets = matcher.fuzzy_search.match(matcher.query, candidate)
    if score:
        for offset in offsets:
            if not candidate[offset].isspace():
                text.stylize(MATCH_STYLE, offset, offset + 1)
    return text


class ArticleCommands(Provider):
    """``Open: <title>`` for the store's articles: every one in a small store; in a large
    one, the first page of the list and then the articles the full-text search finds."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.summaries: list[ArticleSummary] = []
        self.large = False

    @property
    def newsbrowse(self) -> NewsbrowseApp:
        return self.app  # type: ignore[return-value]

    async def startup(self) -> None:
        library = self.newsbrowse.library
        self.large = await asyncio.to_thread(library.article_count) > FUZZY_ALL
        if self.large:  # fuzzy-matching 100,000 titles a keystroke would take seconds
            self.summaries = await asyncio.to_thread(library.article_page, 0, FIRST_PAGE)
        else:
            self.summaries = await asyncio.to_thread(library.article_page, 0, FUZZY_ALL + 1)

    async def _found(self, query: str) -> list[ArticleSummary]:
        """Articles whose text or title the search finds for ``query`` ("open:" dropped)."""
        words = query.strip()
        if words.lower().startswith("open:"):
            words = words[5:].strip()
        if len(words) < 2:
            return []
        library = self.newsbrowse.library
        try:
            hits = await asyncio.to_thread(library.search, words, SEARCHED)
        except NewsbrowseError:
            return []
        found = await asyncio.to_thread(library.summaries, [h.article_id for h in hits])
        return list(found.values())

    @staticmethod
    def _candidate(summary: ArticleSummary) -> str:
        return f"Open: {summary.title} ({date_label(summary.date, summary.date_basis)})"

    async def discover(self) -> Hits:
        for summary in self.summaries:
            yield DiscoveryHit(
                Text(self._candidate(summary)),
                partial(self.newsbrowse.open_article, summary.id),
                text=self._candidate(summary),
                help=OPEN_HELP,
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        summaries = self.summaries
        if self.large:
            shown = {s.id for s in summaries}
            summaries = [*summaries, *(s for s in await self._found(query) if s.id not in shown)]
        for summary in summaries:
            candidate = self._candidate(summary)
            score = matcher.match(candidate)
            if score > 0:
                yield Hit(
                    score,
                    highlighted(matcher, candidate),
                    partial(self.newsbrowse.open_article, summary.id),
                    text=candidate,
                    help=OPEN_HELP,
                )


class DemandCommands(Provider):
    """``Demand: <title>`` for every demand of the codebook: filters the article list."""

    @property
    def newsbrowse(self) -> NewsbrowseApp:
        return self.app  # type: ignore[return-value]

    def _candidates(self) -> list[tuple[str, str]]:
        return [(f"Demand: {d.title}", d.slug) for d in self.newsbrowse.library.codebook.demands]

    async def discover(self) -> Hits:
        for candidate, slug in self._candidates():
            yield DiscoveryHit(
                Text(candidate),
                partial(self.newsbrowse.filter_by_demand, slug),
                text=candidate,
                help=DEMAND_HELP,
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for candidate, slug in self._candidates():
            score = max(matcher.match(candidate), matcher.match(slug))
            if score > 0:
                yield Hit(
                    score,
                    highlighted(matcher, candidate),
                    partial(self.newsbrowse.filter_by_demand, slug),
                    text=candidate,
                    help=DEMAND_HELP,
                )


def app_commands(app: NewsbrowseApp) -> Iterable[SystemCommand]:
    """The app's own actions, listed with Textual's system commands (theme, quit, keys)."""
    yield SystemCommand(
        "Export selected quotes", "Write them to Markdown, CSV or JSON", app.action_export
    )
    yield SystemCommand(
        "Copy selected quotes", "Copy them as Markdown to the clipboard", app.action_copy
    )
    yield SystemCommand("Clear selection", "Unselect every selected quote", app.unselect_all)
    yield SystemCommand("Clear article filter", "Show every article", app.action_clear_filter)
    yield SystemCommand(
        "Toggle demands panel", "Show or hide the demands panel", app.action_toggle_demands
    )
    yield SystemCommand("Search", "Search articles, quotes and speakers", app.action_search)
    yield SystemCommand(
        "Switch theme", "Toggle between the dark and the light theme", app.action_switch_theme
    )
