"""The search bar: a docked input whose results update as the user types.

Searching runs in an exclusive thread worker, so that fast typing never queues stale
searches; a result that arrives for a query the input no longer holds is dropped.
The bar posts domain messages and leaves the reader, the focus and the highlights to
the app. It is not docked (a second bottom dock would overlap the footer): compose it
after the panes (height ``1fr``) and before the footer, and it opens above the footer.
"""

from __future__ import annotations

import threading
from typing import Any, ClassVar, Protocol

from newsbrowse.store.errors import NewsbrowseError
from newsbrowse.store.labels import CORRECTED_MARK
from newsbrowse.store.search import SearchHit
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

MAX_RESULTS = 50

KINDS = {"article": "article", "quote": "quote", "link": "evidence"}
"""How each kind of hit is named in the result list (a link hit is a demand's evidence)."""


def placeholder(side: str, demand: str) -> str:
    """The empty field's hint: the filters, with a side and a demand of the codebook."""
    return f"search…  filters: speaker:putin side:{side} demand:{demand}"


class SearchLibrary(Protocol):
    """What the bar needs from a :class:`~newsbrowse.store.library.Library`."""

    def search(self, query: str, limit: int = 50) -> list[SearchHit]: ...


class SearchBar(Vertical):
    """Search over article text, quotes and speakers, with filters in the query."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close search", tooltip="Hide the search bar"),
        Binding("down", "results", "Results", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "search-bar--kind",
        "search-bar--speaker",
        "search-bar--title",
        "search-bar--match",
    }

    DEFAULT_CSS = """
    SearchBar {
        display: none;
        height: auto;
        max-height: 12;
        background: $panel;
        border-top: tall $primary;
        padding: 0 1;
    }
    SearchBar.-visible { display: block; }
    SearchBar > Input { border: none; height: 1; padding: 0 1; background: $surface; }
    SearchBar > Input:focus { border: none; background-tint: $foreground 5%; }
    SearchBar > #search-status { height: 1; color: $text-muted; padding: 0 1; }
    SearchBar > #search-status.-error { color: $error; }
    SearchBar > OptionList {
        height: auto;
        max-height: 8;
        border: none;
        padding: 0;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    SearchBar > OptionList:focus { border: none; }
    SearchBar > OptionList.-empty { display: none; }
    SearchBar > .search-bar--kind { color: $text-muted; }
    SearchBar > .search-bar--speaker { color: $text-accent; text-style: bold; }
    SearchBar > .search-bar--title { color: $text-secondary; text-style: italic; }
    SearchBar > .search-bar--match { text-style: bold reverse; }
    """

    class ResultsChanged(Message):
        """New results for ``query`` (empty when the query is cleared): the app highlights them."""

        def __init__(self, query: str, hits: list[SearchHit]) -> None:
            super().__init__()
            self.query = query
            self.hits = hits

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, SearchBar.ResultsChanged)

    class HitChosen(Message):
        """The user jumped to a hit (enter, a row, ``n`` / ``N``): the app shows it."""

        def __init__(self, hit: SearchHit) -> None:
            super().__init__()
            self.hit = hit

    class Closed(Message):
        """The bar was hidden: the app clears the search highlights."""

    class _Done(Message):
        """A worker's result, delivered on the app's thread."""

        def __init__(self, query: str, hits: list[SearchHit], error: str | None) -> None:
            super().__init__()
            self.query = query
            self.hits = hits
            self.error = error

    def __init__(self, library: SearchLibrary, hint: str = "search…", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.library = library
        self.hint = hint
        self.disabled = True  # hidden: nothing in it takes the focus or a key
        self._hits: list[SearchHit] = []
        self._hits_query = ""
        self._current = -1
        self._jump_when_ready = False
        # One search at a time: a worker that waited for the one before it (the user kept
        # typing) finds itself cancelled and never runs its stale query.
        self._searching = threading.Lock()

    def compose(self) -> ComposeResult:
        yield Input(placeholder=self.hint, id="search-input")
        yield Static("", id="search-status", markup=False)
        yield OptionList(id="search-results", classes="-empty")

    # state ------------------------------------------------------------------------------
    @property
    def query(self) -> str:
        return self.query_one(Input).value.strip()

    @property
    def hits(self) -> list[SearchHit]:
        return list(self._hits)

    @property
    def current_hit(self) -> SearchHit | None:
        if 0 <= self._current < len(self._hits):
            return self._hits[self._current]
        return None

    @property
    def is_open(self) -> bool:
        return self.has_class("-visible")

    # opening and closing ---------------------------------------------------------------------
    def open(self) -> None:
        """Show the bar and put the cursor in the input, its last query selected."""
        self.disabled = False
        self.add_class("-visible")
        field = self.query_one(Input)
        # At once, not after the queued keys: what is typed right after / goes in the field.
        self.screen.set_focus(field)
        field.select_all()

    def close(self) -> None:
        """Hide the bar and forget the current hit; the app clears its highlights."""
        self.remove_class("-visible")
        self.disabled = True
        self._current = -1
        self._jump_when_ready = False
        self.query_one(OptionList).highlighted = None
        self.post_message(self.Closed())

    def action_close(self) -> None:
        self.close()

    def action_results(self) -> None:
        results = self.query_one(OptionList)
        if self._hits:
            results.focus()
            if results.highlighted is None:
                results.highlighted = 0

    # searching ---------------------------------------------------------------------------------
    @on(Input.Changed, "#search-input")
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        query = self.query
        self._jump_when_ready = False
        if not query:
            self.workers.cancel_group(self, "search")
            self._show(query, [], None)
            return
        self._set_status("searching…")
        self._search(query)

    @work(thread=True, exclusive=True, group="search")
    def _search(self, query: str) -> None:
        worker = get_current_worker()
        with self._searching:
            if worker.is_cancelled:
                return
            try:
                hits, error = self.library.search(query, limit=MAX_RESULTS), None
            except NewsbrowseError as exc:
                hits, error = [], str(exc)
        if not worker.is_cancelled:
            self.post_message(self._Done(query, hits[:MAX_RESULTS], error))

    @on(_Done)
    def _searched(self, message: _Done) -> None:
        message.stop()
        if message.query != self.query:
            return
        self._show(message.query, message.hits, message.error)
        if self._jump_when_ready:
            self._jump_when_ready = False
            self._choose(0)

    def _show(self, query: str, hits: list[SearchHit], error: str | None) -> None:
        self._hits, self._hits_query, self._current = hits, query, -1
        results = self.query_one(OptionList)
        results.clear_options()
        results.add_options(Option(self._row(hit)) for hit in hits)
        results.set_class(not hits, "-empty")
        if error:
            self._set_status(error, error=True)
        elif not query:
            self._set_status("")
        elif not hits:
            self._set_status("no matches")
        else:
            count = f"{len(hits)}{'+' if len(hits) >= MAX_RESULTS else ''}"
            word = "match" if len(hits) == 1 else "matches"
            keys = "enter: first · n / N: next / previous · escape: close"
            self._set_status(f"{count} {word}   {keys}")
        self.post_message(self.ResultsChanged(query, list(hits)))

    def _row(self, hit: SearchHit) -> Text:
        """One result line: kind, speaker, title and snippet, the matched words stressed."""
        style = self.get_component_rich_style
        row = Text(no_wrap=True, overflow="ellipsis")
        row.append(f"{KINDS.get(hit.kind, hit.kind):<9}", style("search-bar--kind"))
        mark = f" {CORRECTED_MARK}" if hit.corrected else ""  # the user's speaker or side
        if hit.speaker:
            row.append(hit.speaker + mark, style("search-bar--speaker"))
            row.append("  ")
        elif hit.demand:
            row.append(hit.demand + mark, style("search-bar--speaker"))
            row.append("  ")
        row.append(hit.title or "untitled", style("search-bar--title"))
        row.append("  ")
        at = len(row)
        # Same length as the snippet, so that the store's match offsets still fit.
        row.append("".join(" " if c.isspace() else c for c in hit.snippet))
        match = style("search-bar--match")
        for start, end in hit.snippet_matches:
            row.stylize(match, at + start, at + end)
        return row

    def _set_status(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#search-status", Static)
        status.update(text)
        status.set_class(error, "-error")

    # jumping ------------------------------------------------------------------------------------
    @on(Input.Submitted, "#search-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._hits_query == self.query and self._hits:
            self._choose(0)
        elif self.query and self._hits_query != self.query:
            self._jump_when_ready = True

    @on(OptionList.OptionSelected, "#search-results")
    def _row_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._choose(event.option_index)

    @on(OptionList.OptionHighlighted, "#search-results")
    def _row_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()

    def next_hit(self) -> SearchHit | None:
        """Jump to the next hit, wrapping at the end; ``None`` when there are no hits."""
        if not self._hits:
            return None
        return self._choose((self._current + 1) % len(self._hits))

    def previous_hit(self) -> SearchHit | None:
        """Jump to the previous hit, wrapping at the start; ``None`` when there are no hits."""
        if not self._hits:
            return None
        start = self._current if self._current >= 0 else 0
        return self._choose((start - 1) % len(self._hits))

    def _choose(self, index: int) -> SearchHit:
        self._current = index
        hit = self._hits[index]
        self.query_one(OptionList).highlighted = index
        self.post_message(self.HitChosen(hit))
        return hit
