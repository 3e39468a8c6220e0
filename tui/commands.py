"""Command palette (ctrl+p): open an article by title, jump to a demand, and the app's actions.

Titles come from the web and codebook titles from a user's file, so every prompt is a
rich ``Text`` (Textual reads a plain ``str`` prompt as markup); help lines are ours.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING

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
    """``Open: <title>`` for every article in the store."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.summaries: list[ArticleSummary] = []

    @property
    def newsbrowse(self) -> NewsbrowseApp:
        return self.app  # type: ignore[return-value]

    async def startup(self) -> None:
        self.summaries = await asyncio.to_thread(self.newsbrowse.library.articles)

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
        for summary in self.summaries:
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
