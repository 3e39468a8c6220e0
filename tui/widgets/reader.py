"""The reader: one cleaned article, its quotes coloured by side, its links badged.

Everything is drawn as one rich ``Text`` built from the stored offsets (quotes, scare
quotes, links, search hits), so that an article with hundreds of quotes costs one
widget, and no string from an article is ever read as markup.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from newsbrowse.store.ingest.codebook import shipped_sides
from newsbrowse.store.labels import (
    CORRECTED_MARK,
    NamedSide,
    side_role,
    stance_label,
)
from newsbrowse.store.model import Article, Quote
from newsbrowse.tui.labels import side_component, side_rules
from newsbrowse.tui.widgets.correction_keys import CORRECTION_BINDINGS, CorrectionKeys
from newsbrowse.tui.widgets.display import display_body, display_text
from newsbrowse.tui.widgets.link_keys import LINK_BINDINGS, LinkKeys
from newsbrowse.tui.widgets.meta_keys import META_BINDINGS, MetaKeys
from newsbrowse.tui.widgets.reader_header import article_header
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.geometry import Region, Spacing
from textual.message import Message
from textual.widgets import Static

EMPTY_HINT = (
    "Move in the list (up/down or j/k) to read an article here; enter puts the cursor "
    "in it. Press ? for every key."
)
NO_QUOTES = "This article has no direct quotes."
SELECTED_MARK = "✓"


def side_class(side: str, sides: Iterable[NamedSide] | None = None) -> str:
    """The component class that colours a quote of ``side``: one per role in the codebook
    (``sides``; the shipped codebook's if not given), other and unknown sharing one."""
    return side_component(side, shipped_sides() if sides is None else sides)


@dataclass(frozen=True)
class _Insert:
    """Text drawn in the reader that is not part of the body (badges, selection marks)."""

    at: int
    text: str
    style: str


def badge_place(article: Article, end: int) -> int:
    """Where the badges of evidence ending at ``end`` are drawn: at the end of its
    paragraph, past any quote that runs on, so that a badge never cuts a quote's words."""
    body = article.body
    place = _paragraph_end(body, end)
    while inside := [q.end for q in article.quotes if q.start < place < q.end]:
        place = _paragraph_end(body, max(inside))
    return place


def _paragraph_end(body: str, at: int) -> int:
    found = body.find("\n", at)
    return len(body) if found < 0 else found


class ReaderBody(Static):
    """The article text; the parent :class:`Reader` builds what it shows."""


class Reader(CorrectionKeys, LinkKeys, MetaKeys, VerticalScroll, can_focus=True):
    """Shows one article and keeps a cursor on its quotes.

    It reads nothing from the store: the app gives it the article and the selection, and
    does the selecting when the reader asks (:class:`Reader.SelectionToggled`).
    """

    DEFAULT_CSS = side_rules("Reader")

    BINDINGS = [
        Binding("right_square_bracket", "next_quote", "Next", id="reader.next_quote",
                tooltip="Move the quote cursor to the next quote and scroll to it."),
        Binding("left_square_bracket", "previous_quote", "Prev",
                id="reader.previous_quote",
                tooltip="Move the quote cursor to the previous quote."),
        Binding("space", "toggle_selected", "Select", id="reader.toggle_selected",
                tooltip="Select or unselect the quote under the cursor (kept across restarts)."),
        Binding("j", "scroll_down", "Down", show=False, id="reader.down"),
        Binding("k", "scroll_up", "Up", show=False, id="reader.up"),
        *CORRECTION_BINDINGS,
        *META_BINDINGS,
        *LINK_BINDINGS,
    ]  # fmt: skip

    COMPONENT_CLASSES = {
        "reader--title",
        "reader--meta",
        "reader--demanding",
        "reader--answering",
        "reader--other",
        "reader--scare",
        "reader--link",
        "reader--search",
        "reader--evidence",
        "reader--cursor",
        "reader--selected",
        "reader--note",
    }

    class QuoteChanged(Message):
        """The quote under the cursor, or its selection, changed."""

        def __init__(self, quote: Quote | None, selected: bool) -> None:
            super().__init__()
            self.quote = quote
            self.selected = selected

    class SelectionToggled(Message):
        """The user asked to select or unselect ``quote`` (space): the app stores it, then
        gives the reader the new selection (:meth:`Reader.show_selection`)."""

        def __init__(self, quote: Quote) -> None:
            super().__init__()
            self.quote = quote

    def __init__(self, sides: Sequence[NamedSide], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.sides = tuple(sides)
        self.article: Article | None = None
        self.cursor: int = -1
        self.evidence: tuple[int, int] | None = None
        self.search_spans: list[tuple[int, int]] = []
        self._selected: set[str] = set()
        self._inserts: list[_Insert] = []
        self._insert_at: list[int] = []
        self._insert_shift: list[int] = []
        self._header_len = 0
        self._rendered = Text(EMPTY_HINT)
        self._redraw_pending = False

    def compose(self):  # noqa: ANN201 - Textual's ComposeResult
        yield ReaderBody(self._rendered, id="reader-body")

    def notify_style_update(self) -> None:
        """Styles changed (a new theme, say): redraw once, in the new component colours."""
        super().notify_style_update()
        if self.article is not None and not self._redraw_pending:
            self._redraw_pending = True
            self.call_later(self._redraw)

    def _redraw(self) -> None:
        self._redraw_pending = False
        self._draw()

    def on_resize(self) -> None:
        """A new width wraps the text anew (the first size of a real terminal arrives late)."""
        self.query_one(ReaderBody).refresh(layout=True)

    # what the app calls --------------------------------------------------------------
    @property
    def current_quote(self) -> Quote | None:
        if self.article is None or not 0 <= self.cursor < len(self.article.quotes):
            return None
        return self.article.quotes[self.cursor]

    @property
    def text(self) -> Text:
        """What the reader shows now (for tests and snapshots: plain ``Text``, no markup)."""
        return self._rendered

    def locate(self, start: int, end: int) -> tuple[int, int]:
        """Where ``body[start:end]`` lies in :attr:`text`."""
        return self._rendered_pos(start, end=False), self._rendered_pos(end, end=True)

    def show_article(self, article: Article) -> None:
        """Draw ``article`` from its top, with no cursor, evidence or search marks."""
        self.article = article
        self.cursor = -1
        self.evidence = None
        self.search_spans = []
        self._draw()
        self.scroll_home(animate=False)
        self._announce()

    def show_message(self, message: str) -> None:
        """Show a plain sentence instead of an article (an empty store, say)."""
        self.article = None
        self.cursor = -1
        self._rendered = Text(message)
        self.query_one(ReaderBody).update(self._rendered)
        self._announce()

    def go_to_span(self, start: int, end: int) -> None:
        """Highlight ``body[start:end]`` as the current evidence or hit and scroll to it."""
        if self.article is None:
            return
        self.evidence = (start, end)
        inside = [i for i, q in enumerate(self.article.quotes) if q.start < end and start < q.end]
        if inside:
            self.cursor = inside[0]
        self._draw()
        self._reveal(start, end, center=True)
        self._announce()

    def set_search_spans(self, spans: list[tuple[int, int]]) -> None:
        """Mark search matches in the open article (body offsets)."""
        self.search_spans = sorted(spans)
        if self.article is not None:
            self._draw()

    def show_selection(self, selected: Iterable[str]) -> None:
        """The selected quotes' ids (the store's): their marks are redrawn, and the quote
        under the cursor announced again with its new state."""
        self._selected = set(selected)
        if self.article is not None:
            self._draw()
            self._announce()

    # actions -------------------------------------------------------------------------
    def action_next_quote(self) -> None:
        self._move_cursor(+1)

    def action_previous_quote(self) -> None:
        self._move_cursor(-1)

    def action_toggle_selected(self) -> None:
        quote = self.current_quote
        if quote is None:
            self.notify("Move to a quote with ] first.", severity="warning", markup=False)
            return
        self.post_message(self.SelectionToggled(quote))

    def _move_cursor(self, step: int) -> None:
        if self.article is None:
            return
        quotes = self.article.quotes
        if not quotes:
            self.notify(NO_QUOTES, markup=False)
            return
        if self.cursor < 0:
            self.cursor = 0 if step > 0 else len(quotes) - 1
        else:
            self.cursor = max(0, min(len(quotes) - 1, self.cursor + step))
        self.evidence = None
        quote = quotes[self.cursor]
        self._draw()
        self._reveal(quote.start, quote.end, center=False)
        self._announce()

    def _announce(self) -> None:
        quote = self.current_quote
        selected = quote is not None and quote.id in self._selected
        self.post_message(self.QuoteChanged(quote, selected))

    # drawing ---------------------------------------------------------------------------
    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(name, partial=True)

    def _draw(self) -> None:
        article = self.article
        if article is None:
            return
        header = self._header(article)
        self._header_len = len(header)
        self._inserts = self._insertions(article)
        self._insert_at = [ins.at for ins in self._inserts]
        shift, self._insert_shift = 0, []
        for ins in self._inserts:
            shift += len(ins.text)
            self._insert_shift.append(shift)

        source = display_body(article.body)  # offsets still fit: same length
        body = Text()
        pos = 0
        badges: list[tuple[int, int]] = []
        for ins in self._inserts:
            body.append(source[pos : ins.at])
            if ins.style == "reader--link":
                at = self._header_len + len(body)
                badges.append((at, at + len(ins.text)))
            body.append(ins.text, self._style(ins.style))
            pos = ins.at
        body.append(source[pos:])
        text = header + body
        for scare in article.scare_quotes:
            self._paint(text, scare.start, scare.end, "reader--scare")
        for quote in article.quotes:
            self._paint(text, quote.start, quote.end, side_component(quote.side, self.sides))
            if quote.id in self._selected:
                self._paint(text, quote.start, quote.end, "reader--selected")
        for start, end in self.search_spans:
            self._paint(text, start, end, "reader--search")
        if self.current_quote is not None:
            self._paint(text, self.current_quote.start, self.current_quote.end, "reader--cursor")
        if self.evidence is not None:
            self._paint(text, *self.evidence, "reader--evidence")
        quiet = self._style("reader--link") + Style(bgcolor=self.background_colors[1].rich_color)
        for lo, hi in badges:  # a badge inside a quote keeps its own quiet look
            text.stylize(quiet, lo, hi)
        if not article.quotes:
            text.append("\n\n" + NO_QUOTES, self._style("reader--note"))
        self._rendered = text
        self.query_one(ReaderBody).update(text)

    def _header(self, article: Article) -> Text:
        return article_header(article, self._style("reader--title"), self._style("reader--meta"))

    def _insertions(self, article: Article) -> list[_Insert]:
        """Selection and correction marks before quotes; demand badges after the paragraph
        of the linked evidence (:func:`badge_place`)."""
        inserts = [
            _Insert(q.start, SELECTED_MARK, "reader--selected")
            for q in article.quotes
            if q.id in self._selected
        ]
        inserts += [  # the user's speaker or side (the line below says which)
            _Insert(q.start, CORRECTED_MARK, "reader--note") for q in article.quotes if q.corrected
        ]
        badges: dict[int, list[str]] = {}
        for link in article.links:
            label = display_text(link.demand)
            if side_role(link.side, self.sides) != "demanding":  # a reply: its stance
                label = f"{label} {stance_label(link.stance)}"
            if link.corrected:
                label = f"{label} {CORRECTED_MARK}"
            names = badges.setdefault(badge_place(article, link.end), [])
            if label not in names:
                names.append(label)
        inserts.extend(
            _Insert(at, " [" + ", ".join(names) + "]", "reader--link")
            for at, names in badges.items()
        )
        inserts.sort(key=lambda ins: (ins.at, ins.style != "reader--link"))
        return inserts

    def _rendered_pos(self, body_pos: int, *, end: bool) -> int:
        """Where body offset ``body_pos`` lands in the drawn text (header and inserts added)."""
        count = (bisect_left if end else bisect_right)(self._insert_at, body_pos)
        shift = self._insert_shift[count - 1] if count else 0
        return self._header_len + body_pos + shift

    def _paint(self, text: Text, start: int, end: int, name: str) -> None:
        lo, hi = self.locate(start, end)
        if hi > lo:
            text.stylize(self._style(name), lo, hi)

    # scrolling -----------------------------------------------------------------------
    def _reveal(self, start: int, end: int, *, center: bool) -> None:
        self.call_after_refresh(self._reveal_now, start, end, center)

    def _reveal_now(self, start: int, end: int, center: bool) -> None:
        first, last = self.line_of(start), self.line_of(end)
        if first is None or last is None:
            return
        height = min(last - first + 1, max(1, self.size.height))
        region = Region(0, first, self.query_one(ReaderBody).content_region.width, height)
        margin = Spacing(2, 0, 2, 0)
        self.scroll_to_region(region, animate=False, spacing=margin, center=center)

    def line_of(self, body_pos: int) -> int | None:
        """The reader's scroll line that shows body offset ``body_pos`` (None before layout).

        Wraps the drawn text up to that point at the body's width, as Textual will draw it.
        """
        body = self.query_one(ReaderBody)
        width = body.content_region.width
        if width <= 0:
            return None
        prefix = self._rendered[: self._rendered_pos(body_pos, end=False) + 1]
        line = max(0, len(Content.from_rich_text(prefix).wrap(width)) - 1)
        return body.virtual_region.y + body.styles.padding.top + line
