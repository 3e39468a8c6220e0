"""The help screen: every key, grouped by pane, the focused pane first."""

from __future__ import annotations

from newsbrowse.tui.bindings import KeySection
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


def sections_table(sections: list[KeySection]) -> Table:
    """A two-column table of keys; every cell is plain ``Text``."""
    table = Table.grid(padding=(0, 2))
    table.add_column(justify="right", style="bold", no_wrap=True)
    table.add_column()
    for number, section in enumerate(sections):
        if number:
            table.add_row("", "")
        title = section.title + (" (where the focus is)" if section.focused else "")
        table.add_row(Text(""), Text(title, style="bold underline"))
        for line in section.keys:
            what = Text(line.description)
            if line.tooltip:
                what.append(f"  {line.tooltip}", "dim")
            table.add_row(Text(line.key), what)
    return table


class HelpScreen(ModalScreen[None]):
    """Lists the keys; any of escape, q or ? closes it."""

    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close help", id="help.close"),
    ]

    def __init__(self, sections: list[KeySection], legend: Text | None = None) -> None:
        """``legend``: the reader's colours and marks, drawn after the keys."""
        super().__init__()
        self.sections = sections
        self.legend = legend

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body") as body:
            body.border_title = "Keys"
            body.border_subtitle = "escape closes"
            yield Static(sections_table(self.sections), id="help-keys")
            if self.legend is not None:
                yield Static(Text("\nColours and marks in the reader", "bold underline"))
                yield Static(self.legend, id="help-legend")
