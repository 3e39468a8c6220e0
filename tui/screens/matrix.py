"""The demand matrix on screen: a row per demand, the demanding side's statements and the
answering side's replies by stance (``newsbrowse matrix`` as a table to move in).

Enter on a cell opens its items in the demand view (:class:`.demand.DemandScreen`): a
stance's cell the replies of that stance, the demanding side's cell (or the demand's
title) its statements, the total every reply. An item chosen there comes back through
this screen to the app, which opens its article at the evidence.
"""

from __future__ import annotations

from typing import ClassVar

from newsbrowse.store.labels import stance_label
from newsbrowse.store.matrix import DemandMatrix, demand_matrix
from newsbrowse.store.model import Link
from newsbrowse.tui.screens.demand import DemandScreen
from newsbrowse.tui.widgets.demand_items import ItemsLibrary
from newsbrowse.tui.widgets.display import display_text
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

TITLE_COLUMN = "demand"
DEMANDED_COLUMN = "demanded"
REPLIED_COLUMN = "replied"


def _count(n: int) -> Text:
    return Text(str(n), justify="right", style="" if n else "dim")


class MatrixScreen(Screen[Link | None]):
    """Every demand's counts; a cell opens its items."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back", id="matrix.close",
                tooltip="Back to the articles, reader and demands panel."),
        Binding("q", "app.quit", "Quit", id="matrix.quit"),
    ]  # fmt: skip

    APP_ACTIONS: ClassVar[frozenset[str]] = frozenset({"quit"})
    """The app's own keys that act here (the others act on the panes this screen hides)."""

    DEFAULT_CSS = """
    MatrixScreen #matrix-title { padding: 0 1; background: $panel; text-style: bold; }
    MatrixScreen #matrix-help { padding: 0 1; color: $text-muted; }
    MatrixScreen DataTable { height: 1fr; }
    """

    def __init__(self, library: ItemsLibrary) -> None:
        super().__init__()
        self.library = library
        self.matrix: DemandMatrix = demand_matrix(library.codebook, library.link_counts())

    def compose(self) -> ComposeResult:
        m = self.matrix
        yield Static(
            Text(f"What {m.demanding_label} asked, how {m.answering_label} answered"),
            id="matrix-title",
        )
        yield Static(
            Text("enter on a count: its items · counts of linked sentences"), id="matrix-help"
        )
        yield DataTable(cursor_type="cell", zebra_stripes=True, id="matrix")
        yield Footer()

    def on_mount(self) -> None:
        m = self.matrix
        table = self.query_one(DataTable)
        table.add_column(TITLE_COLUMN, key=TITLE_COLUMN)
        table.add_column(Text(m.demanding_label, justify="right"), key=DEMANDED_COLUMN)
        for stance in m.stances:
            table.add_column(Text(stance_label(stance), justify="right"), key=stance)
        table.add_column(Text(f"{m.answering_label} replies", justify="right"), key=REPLIED_COLUMN)
        for row in m.rows:
            table.add_row(
                Text(display_text(row.title)),
                _count(row.demanded),
                *(_count(row.replies[s]) for s in m.stances),
                _count(row.replied),
                key=row.slug,
            )
        table.move_cursor(column=1)
        table.focus()

    def action_close(self) -> None:
        self.dismiss(None)

    @on(DataTable.CellSelected)
    def _open_cell(self, event: DataTable.CellSelected) -> None:
        """The cell's items in the demand view; an item chosen there comes back here."""
        event.stop()
        slug = str(event.cell_key.row_key.value)
        column = str(event.cell_key.column_key.value)
        stance = column if column in self.matrix.stances else None
        view = DemandScreen(
            self.library,
            slug,
            stance=stance,
            replies_first=column not in (TITLE_COLUMN, DEMANDED_COLUMN),
        )
        self.app.push_screen(view, self._item_chosen)

    def _item_chosen(self, link: Link | None) -> None:
        if link is not None:
            self.dismiss(link)
