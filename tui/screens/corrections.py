"""The corrections in force, newest first; enter undoes the highlighted one.

Like the other dialogs it only returns a choice (a correction's id): the app undoes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from newsbrowse.tui.widgets.display import display_text
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option


class CorrectionsScreen(ModalScreen[str | None]):
    """Each correction as (id, what it changes, its words, its status)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Close", tooltip="Close the corrections"),
    ]
    DEFAULT_CSS = """
    CorrectionsScreen { align: center middle; }
    CorrectionsScreen > Vertical {
        width: 100; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary 80%; background: $surface; padding: 0 1;
    }
    CorrectionsScreen #corrections-title { text-style: bold; margin-bottom: 1; }
    CorrectionsScreen OptionList { height: auto; max-height: 20; }
    CorrectionsScreen #corrections-keys { color: $text-muted; }
    """

    def __init__(self, rows: Sequence[tuple[str, str, str, str]]) -> None:
        super().__init__()
        self.rows = list(reversed(rows))

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"{len(self.rows)} corrections", id="corrections-title", markup=False)
            if self.rows:
                yield OptionList(*(Option(_row(*r), id=r[0]) for r in self.rows))
            else:
                yield Static("No corrections yet: w, s, x, v, g, m, a or t in the reader.")
            yield Static(
                "enter: undo the highlighted one · escape: close",
                id="corrections-keys",
                markup=False,
            )

    def on_mount(self) -> None:
        for options in self.query(OptionList):
            options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


def _row(correction_id: str, change: str, words: str, status: str) -> Text:
    words = words if len(words) <= 50 else words[:49] + "…"
    row = Text(no_wrap=True, overflow="ellipsis")
    row.append(f"{correction_id}  ", "bold")
    row.append(display_text(change))
    row.append(f"  “{display_text(words)}”  ", "dim")
    row.append(status, "green" if status == "applied" else "bold yellow")
    return row
