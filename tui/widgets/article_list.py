"""The article list: every article by date, with its counts, read marks and a filter.

An ``OptionList`` (one cheap row per article, fast to 1,000s; see MEASURED.md) that
turns its own selection events into :class:`ArticleList.ArticleChosen`.
"""

from __future__ import annotations

from newsbrowse.store.model import ArticleSummary
from newsbrowse.tui.widgets.reader import date_label
from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

EMPTY_STORE = "The store holds no articles. Import some with: newsbrowse import PATH"
CURRENT_MARK = "▶ "
UNREAD_MARK = "● "
READ_MARK = "  "


def article_prompt(summary: ArticleSummary, *, current: bool, read: bool) -> Text:
    """Two plain-text lines: the title, then date, counts and source (cut to fit by CSS)."""
    prompt = Text()
    mark = CURRENT_MARK if current else (READ_MARK if read else UNREAD_MARK)
    prompt.append(mark, "bold" if current else "")
    prompt.append(summary.title, "dim" if read and not current else "bold")
    prompt.append("\n  ")
    prompt.append(
        date_label(summary.date, summary.date_basis),
        "dim italic" if summary.date_basis != "stated" else "",
    )
    prompt.append(f" · {summary.quote_count}q {summary.link_count}l", "dim")
    if summary.source:
        prompt.append(f" · {summary.source}", "dim")
    return prompt


class ArticleList(OptionList):
    """Articles oldest first; ``enter`` opens one, a demand filter narrows the list."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="articles.down"),
        Binding("k", "cursor_up", "Up", show=False, id="articles.up"),
        Binding("enter", "select", "Open", id="articles.open",
                tooltip="Open the highlighted article in the reader."),
        Binding("escape", "clear_filter", "Clear filter", id="articles.clear_filter",
                tooltip="Show every article again."),
    ]  # fmt: skip

    class ArticleChosen(Message):
        """The user asked to read ``article_id``."""

        def __init__(self, article_id: str) -> None:
            super().__init__()
            self.article_id = article_id

    class FilterCleared(Message):
        """The demand filter was removed."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.summaries: list[ArticleSummary] = []
        self.read: set[str] = set()
        self.current: str | None = None
        self.filter_ids: set[str] | None = None
        self.filter_label: str | None = None

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

    def set_current(self, article_id: str) -> None:
        """Mark ``article_id`` as the one in the reader, and as read."""
        previous, self.current = self.current, article_id
        self.read.add(article_id)
        for changed in {previous, article_id} - {None}:
            self._redraw(changed)

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

    def _shown(self) -> list[ArticleSummary]:
        if self.filter_ids is None:
            return self.summaries
        return [s for s in self.summaries if s.id in self.filter_ids]

    def _rebuild(self) -> None:
        highlighted = self.highlighted_option.id if self.highlighted_option else self.current
        shown = self._shown()
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
                    article_prompt(s, current=s.id == self.current, read=s.id in self.read),
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
            summary, current=article_id == self.current, read=article_id in self.read
        )
        self.replace_option_prompt(article_id, prompt)

    def _update_titles(self, shown: int) -> None:
        total = len(self.summaries)
        if self.filter_ids is None:
            self.border_title = Text(f"Articles ({total})")
        else:
            self.border_title = Text(f"Articles ({shown} of {total}) · {self.filter_label}")
        self.border_subtitle = Text("~ date inferred")
