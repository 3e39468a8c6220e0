"""The article list: every article by date, with its counts, read marks and a filter.

A virtual list (Textual's line API: a ``ScrollView`` with ``render_line``): its virtual
height is two lines per article, and it asks the library only for the rows on screen,
a page at a time (``article_page``), keeping a few pages around the viewport. Nothing it
does costs in proportion to the corpus (see MEASURED.md for what an OptionList of every
article costs at 10,000 and 100,000). It turns keys and clicks into
:class:`ArticleList.Highlighted` (the reader previews it) and
:class:`ArticleList.ArticleChosen` (the reader takes the focus).
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Protocol

from newsbrowse.store.model import ArticleSummary
from newsbrowse.tui.widgets.display import display_text
from newsbrowse.tui.widgets.reader import date_label
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.visual import visualize

EMPTY_STORE = "The store holds no articles. Import some with: newsbrowse import PATH"
CURRENT_MARK = "▶ "
UNREAD_MARK = "● "
READ_MARK = "  "
LEGEND_WORDS = "~ date inferred"
LEGEND_SHORT = "~inferred q:quotes l:links"
ROW_HEIGHT = 2  # title; date, counts and source
PAGE = 64  # rows fetched at once
KEPT_PAGES = 8  # pages cached around the viewport
STRIPS_KEPT = 256  # rendered rows kept (a screen is ~20)


class ArticleSource(Protocol):
    """What the list asks of the library: counts, pages and positions, never every row."""

    def article_count(self, demand: str | None = None) -> int: ...

    def article_page(
        self, offset: int, limit: int, demand: str | None = None
    ) -> list[ArticleSummary]: ...

    def article_position(self, article_id: str, demand: str | None = None) -> int | None: ...


def counts_label(summary: ArticleSummary, *, words: bool) -> str:
    """``8 quotes · 10 links`` where there is room, else ``8q 10l`` (the border explains)."""
    if not words:
        return f"{summary.quote_count}q {summary.link_count}l"
    quotes = f"{summary.quote_count} quote{'' if summary.quote_count == 1 else 's'}"
    links = f"{summary.link_count} link{'' if summary.link_count == 1 else 's'}"
    return f"{quotes} · {links}"


def detail_line(summary: ArticleSummary, *, words: bool) -> str:
    """The second line of a row without its source: indent, date and counts."""
    date = date_label(summary.date, summary.date_basis)
    return f"  {date} · {counts_label(summary, words=words)}"


def article_prompt(
    summary: ArticleSummary, *, current: bool, read: bool, words: bool = True
) -> Text:
    """Two plain-text lines: the title, then date, counts and source (cut to fit by CSS)."""
    prompt = Text()
    mark = CURRENT_MARK if current else (READ_MARK if read else UNREAD_MARK)
    prompt.append(mark, "bold" if current else "")
    prompt.append(display_text(summary.title), "dim" if read and not current else "bold")
    prompt.append("\n  ")
    prompt.append(
        date_label(summary.date, summary.date_basis),
        "dim italic" if summary.date_basis != "stated" else "",
    )
    prompt.append(f" · {counts_label(summary, words=words)}", "dim")
    if summary.source:
        prompt.append(f" · {display_text(summary.source)}", "dim")
    return prompt


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
        self._pages: OrderedDict[int, list[ArticleSummary]] = OrderedDict()
        self._hover: int | None = None
        self._strips: dict[tuple[object, ...], list[Strip]] = {}

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
        """The summary at list position ``index`` (its page is fetched if not cached)."""
        if self.source is None or not 0 <= index < self.count:
            return None
        number = index // PAGE
        page = self._pages.get(number)
        if page is None:
            page = self.source.article_page(number * PAGE, PAGE, self.filter_demand)
            self._pages[number] = page
            while len(self._pages) > KEPT_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(number)
        at = index - number * PAGE
        return page[at] if at < len(page) else None

    def move_cursor(self, index: int) -> None:
        """Put the cursor on row ``index`` (clamped), scroll it into view, preview it."""
        if not self.count:
            return
        index = max(0, min(index, self.count - 1))
        changed = index != self.cursor
        self.cursor = index
        self._scroll_to_cursor()
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
            lines = self._message_lines(width)
            if line < len(lines):
                return lines[line]
            return Strip.blank(width, base.rich_style)
        index, part = divmod(line, ROW_HEIGHT)
        summary = self.summary_at(index)
        if summary is None:
            return Strip.blank(width, base.rich_style)
        kind = "cursor" if index == self.cursor else "hover" if index == self._hover else ""
        style = self.get_visual_style(f"article-list--{kind}") if kind else base
        key = (
            summary.id,
            kind,
            summary.id == self.current,
            summary.id in self.read,
            self.words,
            width,
            self.has_focus,
            self.app.theme,
        )
        strips = self._strips.get(key)
        if strips is None:  # both lines are drawn at once; the second call finds them here
            visual = visualize(self, self._prompt(summary), markup=False)
            strips = [
                s.extend_cell_length(width, style.rich_style).crop(0, width)
                for s in visual.to_strips(self, visual, width, None, style)
            ]
            self._strips[key] = strips
            if len(self._strips) > STRIPS_KEPT:
                del self._strips[next(iter(self._strips))]
        if part >= len(strips):
            return Strip.blank(width, style.rich_style)
        return strips[part]

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

    def _message_lines(self, width: int) -> list[Strip]:
        message = self.message() or ""
        style = self.get_visual_style("article-list--message")
        text = Text(message)
        text.no_wrap = False
        visual = visualize(self, text, markup=False)
        strips = visual.to_strips(self, visual, width, None, style)
        return [s.extend_cell_length(width, style.rich_style).crop(0, width) for s in strips]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return max(1, self.count * ROW_HEIGHT)

    # internals -----------------------------------------------------------------------------
    def _reload(self, *, keep: str | None) -> None:
        """Recount and refetch (store or filter changed); keep the cursor on ``keep``."""
        self._pages.clear()
        self._strips.clear()
        if self.source is None:
            return
        self.total = self.source.article_count()
        if self.filter_demand is None:
            self.count = self.total
        else:
            self.count = self.source.article_count(self.filter_demand)
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
        height = self.count * ROW_HEIGHT if self.count else len(self._message_lines(width))
        self.virtual_size = Size(width, height)

    def _rows_per_screen(self) -> int:
        return max(1, self.scrollable_content_region.height // ROW_HEIGHT)

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
        shown = [s for s in rows if s is not None]
        return bool(shown) and all(len(detail_line(s, words=True)) <= width for s in shown)

    def _update_titles(self) -> None:
        if self.filter_demand is None:
            self.border_title = Text(f"Articles ({self.total})")
        else:
            label = display_text(self.filter_label or "")
            self.border_title = Text(f"Articles ({self.count} of {self.total}) · {label}")
        self.border_subtitle = Text(LEGEND_WORDS if self.words else LEGEND_SHORT)
