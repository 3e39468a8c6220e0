"""The demand view: one demand of the codebook on the whole screen, what the demanding side
said on the left and every reply of the answering side on the right, each in date order.

It collects a choice and returns it: enter on an item dismisses the screen with its link
(the app opens the article at the evidence), escape with nothing. The sides are the
codebook's, by role; the items are read a page at a time (:mod:`..widgets.demand_items`).
"""

from __future__ import annotations

from typing import ClassVar

from newsbrowse.store.labels import side_label, stance_label
from newsbrowse.store.matrix import demand_matrix
from newsbrowse.store.model import Link
from newsbrowse.tui.widgets.demand_items import DemandItems, ItemsLibrary
from newsbrowse.tui.widgets.display import display_text
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static


class DemandScreen(Screen[Link | None]):
    """One demand: the demanding side's statements beside the answering side's replies."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back", id="demand.close",
                tooltip="Back to the articles, reader and demands panel."),
        Binding("q", "app.quit", "Quit", id="demand.quit"),
    ]  # fmt: skip

    APP_ACTIONS: ClassVar[frozenset[str]] = frozenset({"quit"})
    """The app's own keys that act here (the others act on the panes this screen hides)."""

    DEFAULT_CSS = """
    DemandScreen { background: $background; }
    DemandScreen #demand-title { padding: 0 1; background: $panel; text-style: bold; }
    DemandScreen #demand-about { padding: 0 1; color: $text-muted; }
    DemandScreen #demand-sides { height: 1fr; }
    DemandScreen .demand-side { width: 1fr; height: 1fr; }
    DemandScreen .demand-side-title { padding: 0 1; text-style: bold; }
    DemandScreen DemandItems { height: 1fr; border: round $panel-lighten-2; }
    DemandScreen DemandItems:focus { border: round $primary; }
    """

    def __init__(self, library: ItemsLibrary, slug: str) -> None:
        super().__init__()
        self.library = library
        self.slug = slug

    def compose(self) -> ComposeResult:
        codebook = self.library.codebook
        matrix = demand_matrix(codebook, self.library.link_counts())
        row = next(r for r in matrix.rows if r.slug == self.slug)
        demand = codebook.demand(self.slug)
        yield Static(Text(display_text(row.title)), id="demand-title")
        about = display_text(demand.description) if demand else ""
        yield Static(Text(about), id="demand-about")
        replies = "  ".join(
            f"{stance_label(s)} {row.replies[s]}" for s in matrix.stances if row.replies[s]
        )
        columns = (
            (matrix.demanding, f"{matrix.demanding_label} said ({row.demanded})", row.demanded),
            (matrix.answering, f"{matrix.answering_label} replied ({row.replied})  {replies}",
             row.replied),
        )  # fmt: skip
        with Horizontal(id="demand-sides"):
            for side, title, total in columns:
                with Vertical(classes="demand-side"):
                    yield Static(Text(title.rstrip()), classes="demand-side-title")
                    label = side_label(side, codebook.sides)
                    items = DemandItems(self.library, self.slug, side, total, id=f"items-{side}")
                    items.border_title = label
                    yield items
        yield Footer()

    def on_mount(self) -> None:
        self.query(DemandItems).first().focus()

    def action_close(self) -> None:
        self.dismiss(None)

    def action_side(self, which: int) -> None:
        columns = list(self.query(DemandItems))
        if which < len(columns):
            columns[which].focus()

    @on(DemandItems.Chosen)
    def _open(self, event: DemandItems.Chosen) -> None:
        event.stop()
        self.dismiss(event.link)
