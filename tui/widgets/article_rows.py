"""How the article list writes a row (a title line, then date, counts and source), and
draws it as strips, keeping the rows last drawn.

The words are pure functions of a summary and the row's state (current, read), so that
the tests read them without a screen.
"""

from __future__ import annotations

from newsbrowse.store.labels import DATE_LEGEND, date_label
from newsbrowse.store.meta_edits import marked
from newsbrowse.store.model import ArticleSummary
from newsbrowse.tui.labels import INFERRED_STYLE
from newsbrowse.tui.widgets.display import display_text
from rich.segment import Segment
from rich.text import Text
from textual.strip import Strip
from textual.style import Style
from textual.visual import visualize
from textual.widget import Widget

CURRENT_MARK = "▶ "
UNREAD_MARK = "● "
READ_MARK = "  "
NOT_READ_YET = "  …"
"""A row whose page is being read (scrolled to, not reached by the cursor)."""
LEGEND_WORDS = DATE_LEGEND
LEGEND_SHORT = "~inferred q:quotes l:links"
STRIPS_KEPT = 256  # rows drawn and kept (a screen is ~20)


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
    title = marked(summary, "title", display_text(summary.title))
    prompt.append(title, "dim" if read and not current else "bold")
    prompt.append("\n  ")
    prompt.append(
        marked(summary, "date", date_label(summary.date, summary.date_basis)),
        INFERRED_STYLE if summary.date_basis != "stated" else "",
    )
    prompt.append(f" · {counts_label(summary, words=words)}", "dim")
    if summary.source:
        prompt.append(f" · {marked(summary, 'source', display_text(summary.source))}", "dim")
    return prompt


def fits_words(shown: list[ArticleSummary], width: int) -> bool:
    """Whether every row shown has room for its counts in words."""
    return bool(shown) and all(len(detail_line(s, words=True)) <= width for s in shown)


class RowPainter:
    """Draws the list's rows and messages as strips of ``width`` cells; a row's strips are
    kept by what they show (``key``), since both its lines are drawn at once."""

    def __init__(self, widget: Widget) -> None:
        self.widget = widget
        self._strips: dict[tuple[object, ...], list[Strip]] = {}

    def clear(self) -> None:
        self._strips.clear()

    def row(self, key: tuple[object, ...], prompt: Text, width: int, style: Style) -> list[Strip]:
        strips = self._strips.get(key)
        if strips is None:
            strips = self.lines(prompt, width, style)
            self._strips[key] = strips
            if len(self._strips) > STRIPS_KEPT:
                del self._strips[next(iter(self._strips))]
        return strips

    def lines(self, text: Text, width: int, style: Style) -> list[Strip]:
        visual = visualize(self.widget, text, markup=False)
        strips = visual.to_strips(self.widget, visual, width, None, style)
        return [s.extend_cell_length(width, style.rich_style).crop(0, width) for s in strips]

    @staticmethod
    def not_read_yet(part: int, width: int, style: Style) -> Strip:
        """A row whose page is being read: ``…``, then a blank line."""
        if part:
            return Strip.blank(width, style.rich_style)
        strip = Strip([Segment(NOT_READ_YET, style.rich_style)])
        return strip.extend_cell_length(width, style.rich_style).crop(0, width)
