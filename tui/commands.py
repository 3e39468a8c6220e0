"""Command palette (ctrl+p): open an article by title, jump to a demand, and the app's actions.

The providers know the app only as :class:`PaletteHost` (something with a library): a
chosen article or demand is posted to the app as a message (:class:`OpenArticle`,
:class:`FilterByDemand`), and the app's own commands are named by their actions
(:data:`APP_COMMANDS`), so this module never imports the app.

Titles come from the web and codebook titles from a user's file, so every prompt is a
rich ``Text`` (Textual reads a plain ``str`` prompt as markup); help lines are ours.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from functools import partial
from typing import Protocol, cast

from newsbrowse.store.errors import NewsbrowseError
from newsbrowse.store.ingest.codebook import Codebook
from newsbrowse.store.labels import date_label
from newsbrowse.store.model import ArticleSummary
from newsbrowse.store.search import SearchHit
from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.message import Message

MATCH_STYLE = "reverse"
OPEN_HELP = "Open this article in the reader"
DEMAND_HELP = "Show only the articles linked to this demand"
FUZZY_ALL = 2_000  # up to this many articles the palette fuzzy-matches every title
FIRST_PAGE = 100  # past it, the list's first articles offered before any query
SEARCHED = 100  # past it, search hits asked for a query (several may share an article)

APP_COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("Import files…", "Import files, a folder, a feed or a web address", "import_files"),
    ("Export selected quotes", "Write them to Markdown, CSV or JSON", "export"),
    ("Copy selected quotes", "Copy them as Markdown to the clipboard", "copy"),
    ("Show selection", "List the selected quotes, open one at the quote", "show_selection"),
    ("Clear selection", "Unselect every selected quote", "unselect_all"),
    ("Clear article filter", "Show every article", "clear_filter"),
    ("Toggle demands panel", "Show or hide the demands panel", "toggle_demands"),
    ("Demand matrix", "Every demand's statements and replies by stance", "matrix"),
    ("Search", "Search articles, quotes and speakers", "search"),
    ("Switch theme", "Toggle between the dark and the light theme", "switch_theme"),
)
"""The app's own commands, listed with Textual's (theme, quit, keys): title, help, and
the app's action that runs it."""


class PaletteLibrary(Protocol):
    """What the palette reads of a :class:`~newsbrowse.store.library.Library`."""

    @property
    def codebook(self) -> Codebook: ...

    def article_count(self, demand: str | None = None) -> int: ...

    def article_page(
        self, offset: int, limit: int, demand: str | None = None
    ) -> list[ArticleSummary]: ...

    def search(self, query: str, limit: int = 50) -> list[SearchHit]: ...

    def summaries(self, ids: Iterable[str]) -> dict[str, ArticleSummary]: ...


class PaletteHost(Protocol):
    """The app, as the providers see it: where the library is."""

    @property
    def library(self) -> PaletteLibrary: ...


class OpenArticle(Message):
    """The user chose an article in the palette: the app opens it."""

    def __init__(self, article_id: str) -> None:
        super().__init__()
        self.article_id = article_id


class FilterByDemand(Message):
    """The user chose a demand in the palette: the app filters the list to it."""

    def __init__(self, slug: str) -> None:
        super().__init__()
        self.slug = slug


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
    def library(self) -> PaletteLibrary:
        return cast(PaletteHost, self.app).library

    def _open(self, article_id: str) -> None:
        self.app.post_message(OpenArticle(article_id))

    async def startup(self) -> None:
        library = self.library
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
        library = self.library
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
                partial(self._open, summary.id),
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
                    partial(self._open, summary.id),
                    text=candidate,
                    help=OPEN_HELP,
                )


class DemandCommands(Provider):
    """``Demand: <title>`` for every demand of the codebook: filters the article list."""

    def _candidates(self) -> list[tuple[str, str]]:
        codebook = cast(PaletteHost, self.app).library.codebook
        return [(f"Demand: {d.title}", d.slug) for d in codebook.demands]

    def _choose(self, slug: str) -> None:
        self.app.post_message(FilterByDemand(slug))

    async def discover(self) -> Hits:
        for candidate, slug in self._candidates():
            yield DiscoveryHit(
                Text(candidate),
                partial(self._choose, slug),
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
                    partial(self._choose, slug),
                    text=candidate,
                    help=DEMAND_HELP,
                )
