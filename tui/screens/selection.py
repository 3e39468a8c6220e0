"""The selection view: the selected quotes in the order an export gives them (the
order selected, unless moved), as corrected, each opening its article at the quote.

Like the other dialogs it writes nothing: enter returns the quote to open; a move or a
removal is a message (:class:`SelectionEdit`) the app stores before it gives the screen
the new rows (:meth:`SelectionScreen.show_rows`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from newsbrowse.store.labels import (
    NamedSide,
    correction_marks,
    date_label,
    side_label,
    speaker_label,
)
from newsbrowse.store.model import ArticleSummary, Quote
from newsbrowse.tui.widgets.display import display_text
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

EXCERPT = 70


def selection_row(quote: Quote, article: ArticleSummary | None, sides: Sequence[NamedSide]) -> Text:
    """One selected quote: who (marked if corrected or checked) and the words; under them
    the article, its date and the analyst's note."""
    words = display_text(quote.text)
    words = words if len(words) <= EXCERPT else words[: EXCERPT - 1] + "…"
    marks = correction_marks(quote.corrected, quote.checked)
    row = Text(no_wrap=True, overflow="ellipsis")
    row.append(display_text(speaker_label(quote.speaker)), "bold")
    row.append(f" ({display_text(side_label(quote.side, sides))})")
    if marks:
        row.append(f" {marks}", "bold magenta")
    row.append(f"  “{words}”")
    title = display_text(article.title) if article else "article no longer stored"
    date = date_label(article.date, article.date_basis) if article else ""
    row.append(f"\n    {title} · {date}", "dim")
    if quote.note:
        row.append(f" · note: {display_text(quote.note)}", "italic")
    return row


class SelectionEdit(Message):
    """The user asked to move a selected quote (``step`` places) or, with ``step`` 0,
    to take it out of the selection."""

    def __init__(self, quote_id: str, step: int) -> None:
        super().__init__()
        self.quote_id = quote_id
        self.step = step


class SelectionScreen(ModalScreen[Quote | None]):
    """The selected quotes; enter opens one's article at the quote."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Close", tooltip="Close the selection"),
        Binding("shift+up,K", "move(-1)", "Move up", tooltip="Move the quote up the order"),
        Binding("shift+down,J", "move(1)", "Move down", tooltip="Move the quote down"),
        Binding("delete,x", "move(0)", "Remove", tooltip="Take the quote out of the selection"),
    ]
    DEFAULT_CSS = """
    SelectionScreen { align: center middle; }
    SelectionScreen > Vertical {
        width: 100; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary 80%; background: $surface; padding: 0 1;
    }
    SelectionScreen #selection-title { text-style: bold; margin-bottom: 1; }
    SelectionScreen OptionList { height: auto; max-height: 24; }
    SelectionScreen #selection-keys { color: $text-muted; }
    """

    def __init__(
        self,
        quotes: Sequence[tuple[Quote, ArticleSummary | None]],
        missing: int,
        sides: Sequence[NamedSide],
        set_name: str = "",
    ) -> None:
        """``quotes``: each selected quote with its article, in the selection's order."""
        super().__init__()
        self.quotes = list(quotes)
        self.missing = missing
        self.sides = tuple(sides)
        self.set_name = set_name

    def _title(self) -> str:
        count = len(self.quotes)
        title = f"{count} selected quote{'' if count == 1 else 's'}"
        if self.set_name:
            title += f" in {display_text(self.set_name)}"
        if self.missing:
            title += f" ({self.missing} no longer found by the analysis, left out)"
        return title

    def _options(self) -> list[Option]:
        return [Option(selection_row(q, a, self.sides), id=q.id) for q, a in self.quotes]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self._title(), id="selection-title", markup=False)
            yield OptionList(*self._options(), id="selection")
            yield Static(
                "Nothing selected: space on a quote in the reader selects it.", id="selection-empty"
            )
            yield Static(
                "enter: open at the quote · shift+↑/↓ (K/J): move · delete (x): remove · "
                "escape: close",
                id="selection-keys",
                markup=False,
            )

    def show_rows(self, quotes: Sequence[tuple[Quote, ArticleSummary | None]], at: str) -> None:
        """The selection as stored after a move or removal, the cursor on ``at`` if kept."""
        self.quotes = list(quotes)
        options = self.query_one(OptionList)
        old = options.highlighted or 0
        options.clear_options()
        options.add_options(self._options())
        ids = [q.id for q, _ in self.quotes]
        if ids:
            options.highlighted = ids.index(at) if at in ids else min(old, len(ids) - 1)
        self.query_one("#selection-title", Label).update(self._title())
        self._show_empty()

    def _show_empty(self) -> None:
        self.query_one(OptionList).display = bool(self.quotes)
        self.query_one("#selection-empty").display = not self.quotes

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is None or not self.quotes:
            return
        self.post_message(SelectionEdit(self.quotes[options.highlighted][0].id, step))

    def on_mount(self) -> None:
        self._show_empty()
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.quotes[event.option_index][0])

    def action_cancel(self) -> None:
        self.dismiss(None)
