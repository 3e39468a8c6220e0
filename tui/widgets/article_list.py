"""The article list: every article by date, with its counts, read marks and a filter.

A virtual list (Textual's line API: a ``ScrollView`` with ``render_line``): its virtual
height is two lines per article, and it holds only the pages of rows around the view
(:mod:`.article_pages`): the cursor's rows are read at once, rows scrolled to by a
reading thread, so drawing a line never waits on the store. Nothing it does costs in
proportion to the corpus (see MEASURED.md for what an OptionList of every article costs
at 10,000 and 100,000). It turns keys and clicks into :class:`ArticleList.Highlighted`
(the reader previews it) and :class:`ArticleList.ArticleChosen` (the reader takes the
focus). How a row is written: :mod:`.article_rows`.
"""

from __future__ import annotations

from newsbrowse.store.errors import NewsbrowseError
from newsbrowse.store.model import ArticleSummary
from newsbrowse.tui.widgets.article_pages import PAGE, ArticlePages, ArticleSource
from newsbrowse.tui.widgets.article_rows import (
    LEGEND_SHORT,
    LEGEND_WORDS,
    RowPainter,
    article_prompt,
    fits_words,
)
from newsbrowse.tui.widgets.display import display_text
from rich.text import Text
from textual import events, on, work
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style as VisualStyle
from textual.worker import get_current_worker

EMPTY_STORE = "The store holds no articles. Press i to import some."
ROW_HEIGHT = 2  # title; date, counts and source


class ArticleList(ScrollView, can_focus=True):
    """Articles oldest first; the highlighted one is previewed, ``enter`` reads it."""

    DEFAULT_CSS = """
    ArticleList {
        background: $surface;
        color: $foreground;
        overflow-x: hidden;
        padding: 0 1;
        & > .article-list--cursor {
            color: $foreground;
            background: $block-cursor-blurred-background;
        }
        &:focus {
            background-tint: $foreground 5%;
            & > .article-list--cursor {
                color: $block-cursor-foreground;
                background: $block-cursor-background;
                text-style: $block-cursor-text-style;
            }
        }
        & > .article-list--hover {
            background: $block-hover-background;
        }
        & > .article-list--message {
            color: $text-disabled;
        }
    }
    """
    COMPONENT_CLASSES = {"article-list--cursor", "article-list--hover", "article-list--message"}

    BINDINGS = [
        Binding("j,down", "cursor_down", "Down", show=False, id="articles.down"),
        Binding("k,up", "cursor_up", "Up", show=False, id="articles.up"),
        Binding("pagedown", "page_down_rows", show=False),
        Binding("pageup", "page_up_rows", show=False),
        Binding("home", "first_row", show=False),
        Binding("end", "last_row", show=False),
        Binding("enter", "select", "Open", id="articles.open",
                tooltip="Open the highlighted article in the reader."),
        Binding("escape", "clear_filter", "Clear filter", id="articles.clear_filter",
                tooltip="Show every article again."),
    ]  # fmt: skip

    class ArticleChosen(Message):
        """The user asked to read ``article_id`` (enter): the reader takes the focus."""

        def __init__(self, article_id: str) -> None:
            super().__init__()
            self.article_id = article_id

    class Highlighted(Message):
        """The cursor rests on ``article_id``: the reader previews it, as lazygit does."""

        def __init__(self, article_id: str) -> None:
            super().__init__()
            self.article_id = article_id

        def can_replace(self, message: Message) -> bool:
            """Holding a key down shows the last article only, not every one passed."""
            return isinstance(message, ArticleList.Highlighted)

    class FilterCleared(Message):
        """The demand filter was removed."""

    class _PagesRead(Message):
        """The reading thread kept a page (or failed: ``error``); a burst draws once."""

        def __init__(self, error: str | None = None) -> None:
            super().__init__()
            self.error = error

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, ArticleList._PagesRead) and message.error is None

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.source: ArticleSource | None = None
        self.read: set[str] = set()
        self.current: str | None = None
        self.filter_demand: str | None = None
        self.filter_label: str | None = None
        self.total = 0  # articles in the store
        self.count = 0  # articles shown (the filter's)
        self.cursor: int | None = None
        self.words = False
        self._pages: ArticlePages | None = None
        self._hover: int | None = None
        self._painter = RowPainter(self)

    # what the app calls --------------------------------------------------------------------
    def load(self, source: ArticleSource, read: set[str]) -> None:
        """Show the library's list (sorted by the store); only its first page is read."""
        self.source = source
        self.read = set(read)
        self._reload(keep=None)

    def set_filter(self, demand: str | None, label: str | None = None) -> None:
        """Show only the articles linked to ``demand`` (``None``: every one); ``label``
        names the filter."""
        self.filter_demand = demand
        self.filter_label = label if demand is not None else None
        self._reload(keep=self.highlighted_id or self.current)

    def set_current(self, article_id: str, *, read: bool = True) -> None:
        """Mark ``article_id`` as the one in the reader (and as read, unless a preview)."""
        self.current = article_id
        if read:
            self.read.add(article_id)
        self.refresh()

    def highlight_article(self, article_id: str) -> None:
        """Move the cursor to ``article_id`` if the list shows it (opened from elsewhere)."""
        if self.source is None or self.highlighted_id == article_id:
            return
        position = self.source.article_position(article_id, self.filter_demand)
        if position is not None:
            self.move_cursor(position)

    @property
    def highlighted_id(self) -> str | None:
        """The id of the article under the cursor."""
        summary = self.summary_at(self.cursor) if self.cursor is not None else None
        return summary.id if summary else None

    def summary_at(self, index: int) -> ArticleSummary | None:
        """The summary at list position ``index``, its page read now if not kept."""
        return None if self._pages is None else self._pages.summary(index)

    def move_cursor(self, index: int) -> None:
        """Put the cursor on row ``index`` (clamped), scroll it into view, preview it."""
        if not self.count:
            return
        index = max(0, min(index, self.count - 1))
        changed = index != self.cursor
        self.cursor = index
        self._scroll_to_cursor()
        if self._pages is not None:  # the rows the cursor brought on screen: no key shows …
            self._pages.read_now(*self._view_pages())
        self.refresh()
        if changed and (summary := self.summary_at(index)) is not None:
            self.post_message(self.Highlighted(summary.id))

    # actions -------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clear_filter":
            return self.filter_demand is not None
        return True

    def action_cursor_down(self) -> None:
        self.move_cursor(0 if self.cursor is None else self.cursor + 1)

    def action_cursor_up(self) -> None:
        self.move_cursor(0 if self.cursor is None else self.cursor - 1)

    def action_page_down_rows(self) -> None:
        self.move_cursor((self.cursor or 0) + self._rows_per_screen())

    def action_page_up_rows(self) -> None:
        self.move_cursor((self.cursor or 0) - self._rows_per_screen())

    def action_first_row(self) -> None:
        self.move_cursor(0)

    def action_last_row(self) -> None:
        self.move_cursor(self.count - 1)

    def action_select(self) -> None:
        if (article_id := self.highlighted_id) is not None:
            self.post_message(self.ArticleChosen(article_id))

    def action_clear_filter(self) -> None:
        self.set_filter(None)
        self.post_message(self.FilterCleared())

    # mouse ---------------------------------------------------------------------------------
    def _row_under(self, event: events.MouseEvent) -> int | None:
        offset = event.get_content_offset(self)
        if offset is None or not self.count:
            return None
        index = (offset.y + round(self.scroll_offset.y)) // ROW_HEIGHT
        return index if 0 <= index < self.count else None

    async def _on_click(self, event: events.Click) -> None:
        index = self._row_under(event)
        if index is None:
            return
        event.stop()
        if index == self.cursor and event.chain >= 2:
            self.action_select()
        else:
            self.move_cursor(index)

    def _on_mouse_move(self, event: events.MouseMove) -> None:
        index = self._row_under(event)
        if index != self._hover:
            self._hover = index
            self.refresh()

    def _on_leave(self, _: events.Leave) -> None:
        if self._hover is not None:
            self._hover = None
            self.refresh()

    def on_resize(self, _: events.Resize) -> None:
        """Counts in words where every row on screen has room for them, else short."""
        self._update_virtual_size()
        words = self._fits_words()
        if words != self.words:
            self.words = words
            self._update_titles()
        self.refresh()

    # rendering -----------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        line = y + round(self.scroll_offset.y)
        base = self.get_visual_style()
        if not self.count:
            lines = self._painter.lines(self._message_text(), width, self._message_style())
            return lines[line] if line < len(lines) else Strip.blank(width, base.rich_style)
        index, part = divmod(line, ROW_HEIGHT)
        if self._pages is None or index >= self.count:
            return Strip.blank(width, base.rich_style)
        summary = self._pages.cached(index)
        if summary is None:  # scrolled to: read off this thread, drawn when it arrives
            if self._pages.want(index // PAGE, self._view_pages()):
                self._read_wanted(self._pages)
            return self._painter.not_read_yet(part, width, self._message_style())
        kind = "cursor" if index == self.cursor else "hover" if index == self._hover else ""
        style = self.get_visual_style(f"article-list--{kind}") if kind else base
        current, read = summary.id == self.current, summary.id in self.read
        key = (summary.id, kind, current, read, self.words, width, self.has_focus, self.app.theme)
        strips = self._painter.row(key, self._prompt(summary), width, style)
        return strips[part] if part < len(strips) else Strip.blank(width, style.rich_style)

    def row_prompt(self, index: int) -> Text | None:
        """The two lines row ``index`` shows (marks and all), or None past the end."""
        summary = self.summary_at(index)
        return None if summary is None else self._prompt(summary)

    def message(self) -> str | None:
        """What the list says instead of rows (empty store, filter matching nothing)."""
        if self.count:
            return None
        if self.total == 0:
            return EMPTY_STORE
        label = self.filter_label or "this filter"
        return f"No article has links to {label}. Press escape to show all."

    def _prompt(self, summary: ArticleSummary) -> Text:
        return article_prompt(
            summary,
            current=summary.id == self.current,
            read=summary.id in self.read,
            words=self.words,
        )

    def _message_text(self) -> Text:
        text = Text(self.message() or "")
        text.no_wrap = False
        return text

    def _message_style(self) -> VisualStyle:
        return self.get_visual_style("article-list--message")

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return max(1, self.count * ROW_HEIGHT)

    # internals -----------------------------------------------------------------------------
    def _reload(self, *, keep: str | None) -> None:
        """Recount and read again (store or filter changed); keep the cursor on ``keep``.

        On this thread: the counts size the scrollbar and the kept article's position
        places the cursor, both needed for the frame that follows (an index count, a few
        milliseconds at 10,000 articles)."""
        self._painter.clear()
        if self.source is None:
            return
        self.total = self.source.article_count()
        if self.filter_demand is None:
            self.count = self.total
        else:
            self.count = self.source.article_count(self.filter_demand)
        self._pages = ArticlePages(self.source, self.filter_demand, self.count)
        self._update_virtual_size()
        self.cursor = None
        position = None
        if keep is not None and self.count:
            position = self.source.article_position(keep, self.filter_demand)
        self.words = self._fits_words(position or 0)
        self._update_titles()
        self.scroll_to(y=0, animate=False, force=True, immediate=True)
        if self.count:
            self.move_cursor(position or 0)
        self.refresh()
        self.refresh_bindings()

    def _update_virtual_size(self) -> None:
        width = self.scrollable_content_region.width
        if self.count:
            height = self.count * ROW_HEIGHT
        else:
            height = len(self._painter.lines(self._message_text(), width, self._message_style()))
        self.virtual_size = Size(width, height)

    def _rows_per_screen(self) -> int:
        return max(1, self.scrollable_content_region.height // ROW_HEIGHT)

    def _view_pages(self) -> tuple[int, int]:
        """The first and last page with a row on screen."""
        first = round(self.scroll_offset.y) // ROW_HEIGHT
        last = first + self._rows_per_screen()
        return first // PAGE, min(last, max(0, self.count - 1)) // PAGE

    @work(thread=True, exclusive=True, group="article-pages", exit_on_error=False)
    def _read_wanted(self, pages: ArticlePages) -> None:
        """Read the pages scrolled to, nearest the view first, until none is wanted."""
        worker = get_current_worker()
        try:
            while not worker.is_cancelled and pages.read_next():
                self.post_message(self._PagesRead())
        except NewsbrowseError as exc:
            self.post_message(self._PagesRead(str(exc)))

    @on(_PagesRead)
    def _pages_read(self, message: _PagesRead) -> None:
        message.stop()
        if message.error is not None:
            self.notify(message.error, severity="error", markup=False)
        self.refresh()

    def _scroll_to_cursor(self) -> None:
        if self.cursor is None or not self.is_mounted:
            return
        region = Region(0, self.cursor * ROW_HEIGHT, self.scrollable_content_region.width, 2)
        self.scroll_to_region(region, animate=False, force=True, immediate=True)

    def _fits_words(self, around: int | None = None) -> bool:
        """Whether the rows on screen (or a screenful from ``around``) fit the word form."""
        width = self.scrollable_content_region.width
        if not self.count or width <= 0:
            return False
        if around is None:
            first = round(self.scroll_offset.y) // ROW_HEIGHT
        else:
            first = max(0, around - self._rows_per_screen() // 2)
        rows = (self.summary_at(i) for i in range(first, first + self._rows_per_screen() + 1))
        return fits_words([s for s in rows if s is not None], width)

    def _update_titles(self) -> None:
        if self.filter_demand is None:
            self.border_title = Text(f"Articles ({self.total})")
        else:
            label = display_text(self.filter_label or "")
            self.border_title = Text(f"Articles ({self.count} of {self.total}) · {label}")
        self.border_subtitle = Text(LEGEND_WORDS if self.words else LEGEND_SHORT)
