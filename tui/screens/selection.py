"""The selection view: the selected quotes in the order they were selected, as an
export will give them (corrected), each opening its article at the quote.

Like the other dialogs it only returns a choice: the app opens the article.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from newsbrowse.store.labels import NamedSide, correction_marks, side_label, speaker_label
from newsbrowse.store.model import Quote
from newsbrowse.tui.widgets.display import display_text
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

EXCERPT = 70


def selection_row(quote: Quote, title: str, sides: Sequence[NamedSide]) -> Text:
    """One selected quote: who (marked if corrected or checked), the words, the article."""
    words = display_text(quote.text)
    words = words if len(words) <= EXCERPT else words[: EXCERPT - 1] + "…"
    marks = correction_marks(quote.corrected, quote.checked)
    row = Text(no_wrap=True, overflow="ellipsis")
    row.append(display_text(speaker_label(quote.speaker)), "bold")
    row.append(f" ({display_text(side_label(quote.side, sides))})")
    if marks:
        row.append(f" {marks}", "bold magenta")
    row.append(f"  “{words}”  ")
    row.append(display_text(title), "dim")
    return row


class SelectionScreen(ModalScreen[Quote | None]):
    """The selected quotes; enter opens one's article at the quote."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Close", tooltip="Close the selection"),
    ]
    DEFAULT_CSS = """
    SelectionScreen { align: center middle; }
    SelectionScreen > Vertical {
        width: 100; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary 80%; background: $surface; padding: 0 1;
    }
    SelectionScreen #selection-title { text-style: bold; margin-bottom: 1; }
    SelectionScreen OptionList { height: auto; max-height: 20; }
    SelectionScreen #selection-keys { color: $text-muted; }
    """

    def __init__(
        self, quotes: Sequence[tuple[Quote, str]], missing: int, sides: Sequence[NamedSide]
    ) -> None:
        """``quotes``: each selected quote with its article's title, in selection order."""
        super().__init__()
        self.quotes = list(quotes)
        self.missing = missing
        self.sides = tuple(sides)

    def compose(self) -> ComposeResult:
        count = len(self.quotes)
        title = f"{count} selected quote{'' if count == 1 else 's'}"
        if self.missing:
            title += f" ({self.missing} no longer found by the analysis, left out)"
        with Vertical():
            yield Label(title, id="selection-title", markup=False)
            rows = [Option(selection_row(q, t, self.sides), id=q.id) for q, t in self.quotes]
            if rows:
                yield OptionList(*rows, id="selection")
            else:
                yield Static("Nothing selected: space on a quote in the reader selects it.")
            yield Static(
                "enter: open at the quote · escape: close", id="selection-keys", markup=False
            )

    def on_mount(self) -> None:
        for options in self.query(OptionList):
            options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.quotes[event.option_index][0])

    def action_cancel(self) -> None:
        self.dismiss(None)
