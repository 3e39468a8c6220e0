"""The article list: every article by date, with its counts, read marks and a filter.

An ``OptionList`` (one cheap row per article, fast to 1,000s; see MEASURED.md) that
turns its own events into :class:`ArticleList.Highlighted` (the reader previews it) and
:class:`ArticleList.ArticleChosen` (the reader takes the focus).
"""

from __future__ import annotations

from newsbrowse.store.model import ArticleSummary
from newsbrowse.tui.widgets.display import display_text
from newsbrowse.tui.widgets.reader import date_label
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

EMPTY_STORE = "The store holds no articles. Import some with: newsbrowse import PATH"
CURRENT_MARK = "▶ "
UNREAD_MARK = "● "
READ_MARK = "  "
LEGEND_WORDS = "~ date inferred"
LEGEND_SHORT = "~inferred q:quotes l:links"


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


class ArticleList(OptionList):
    """Articles oldest first; the highlighted one is previewed, ``enter`` reads it."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="articles.down"),
        Binding("k", "cursor_up", "Up", show=False, id="articles.up"),
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
        self.summaries: list[ArticleSummary] = []
        self.read: set[str] = set()
        self.current: str | None = None
        self.filter_ids: set[str] | None = None
        self.filter_label: str | None = None
        self.words = False

    def load(self, summaries: list[ArticleSummary], read: set[str]) -> None:
        """Replace the list (already sorted by date by the store)."""
        self.summaries = summaries
        self.read = set(read)
        self._rebuild()

    def set_filter(self, ids: set[str] | None, label: str | None = None) -> None:
        """Show only ``ids`` (``None``: every article); ``label`` names the filter."""
        self.filter_ids = None if ids is None else set(ids)
        self.filter_label = label if ids is not None else None
        self._rebuild()

    def set_current(self, article_id: str, *, read: bool = True) -> None:
        """Mark ``article_id`` as the one in the reader (and as read, unless a preview)."""
        previous, self.current = self.current, article_id
        if read:
            self.read.add(article_id)
        for changed in {previous, article_id} - {None}:
            self._redraw(changed)

    def highlight_article(self, article_id: str) -> None:
        """Move the cursor to ``article_id`` if the list shows it (opened from elsewhere)."""
        ids = [s.id for s in self._shown()]
        if article_id in ids:
            self.highlighted = ids.index(article_id)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clear_filter":
            return self.filter_ids is not None
        return True

    def action_clear_filter(self) -> None:
        self.set_filter(None)
        self.post_message(self.FilterCleared())

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.ArticleChosen(event.option.id))

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.Highlighted(event.option.id))

    def on_resize(self, _: events.Resize) -> None:
        """Counts in words where every row has room for them, else the short form."""
        if self._fits_words() != self.words:
            self._rebuild()

    def _fits_words(self) -> bool:
        width = self.scrollable_content_region.width
        shown = self._shown()
        return bool(shown) and all(len(detail_line(s, words=True)) <= width for s in shown)

    def _shown(self) -> list[ArticleSummary]:
        if self.filter_ids is None:
            return self.summaries
        return [s for s in self.summaries if s.id in self.filter_ids]

    def _rebuild(self) -> None:
        highlighted = self.highlighted_option.id if self.highlighted_option else self.current
        shown = self._shown()
        self.words = self._fits_words()
        self.clear_options()
        if not self.summaries:
            self.add_option(Option(Text(EMPTY_STORE), disabled=True))
        elif not shown:
            label = self.filter_label or "this filter"
            message = f"No article has links to {label}. Press escape to show all."
            self.add_option(Option(Text(message), disabled=True))
        else:
            self.add_options(
                Option(
                    article_prompt(
                        s, current=s.id == self.current, read=s.id in self.read, words=self.words
                    ),
                    id=s.id,
                )
                for s in shown
            )
        ids = [s.id for s in shown]
        if highlighted in ids:
            self.highlighted = ids.index(highlighted)
        elif ids:
            self.highlighted = 0
        self._update_titles(len(shown))
        self.refresh_bindings()

    def _redraw(self, article_id: str) -> None:
        summary = next((s for s in self.summaries if s.id == article_id), None)
        if summary is None or (self.filter_ids is not None and article_id not in self.filter_ids):
            return
        prompt = article_prompt(
            summary,
            current=article_id == self.current,
            read=article_id in self.read,
            words=self.words,
        )
        self.replace_option_prompt(article_id, prompt)

    def _update_titles(self, shown: int) -> None:
        total = len(self.summaries)
        if self.filter_ids is None:
            self.border_title = Text(f"Articles ({total})")
        else:
            label = display_text(self.filter_label or "")
            self.border_title = Text(f"Articles ({shown} of {total}) · {label}")
        self.border_subtitle = Text(LEGEND_WORDS if self.words else LEGEND_SHORT)
