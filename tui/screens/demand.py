"""The demand view: one demand of the codebook on the whole screen, what the demanding side
said on the left and every reply of the answering side on the right, each in date order.

It collects a choice and returns it: enter on an item dismisses the screen with its link
(the app opens the article at the evidence), escape with nothing. The sides are the
codebook's, by role; the items are read a page at a time (:mod:`..widgets.demand_items`).
"""

from __future__ import annotations

from typing import ClassVar

from newsbrowse.store.labels import side_label, stance_label
from newsbrowse.store.matrix import DemandMatrix, MatrixRow, demand_matrix
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

    def __init__(
        self,
        library: ItemsLibrary,
        slug: str,
        *,
        stance: str | None = None,
        replies_first: bool = False,
    ) -> None:
        """``stance``: the replies of that stance only (a cell of the matrix);
        ``replies_first``: the cursor starts in the replies."""
        super().__init__()
        self.library = library
        self.slug = slug
        self.stance = stance
        self.replies_first = replies_first

    def compose(self) -> ComposeResult:
        codebook = self.library.codebook
        matrix = demand_matrix(codebook, self.library.link_counts())
        row = next(r for r in matrix.rows if r.slug == self.slug)
        demand = codebook.demand(self.slug)
        yield Static(Text(display_text(row.title)), id="demand-title")
        about = display_text(demand.description) if demand else ""
        yield Static(Text(about), id="demand-about")
        with Horizontal(id="demand-sides"):
            for side, title, total, stance in self._columns(matrix, row):
                with Vertical(classes="demand-side"):
                    yield Static(Text(title), classes="demand-side-title")
                    group = (self.slug, side, stance)
                    items = DemandItems(self.library, group, total, id=f"items-{side}")
                    items.border_title = side_label(side, codebook.sides)
                    yield items
        yield Footer()

    def _columns(
        self, matrix: DemandMatrix, row: MatrixRow
    ) -> list[tuple[str, str, int, str | None]]:
        """(side, title, count, stance) of the two columns: statements, then replies
        (every reply with the counts by stance, or those of :attr:`stance`)."""
        said = (matrix.demanding, f"{matrix.demanding_label} said ({row.demanded})", row.demanded)
        if self.stance is not None:
            count = row.replies.get(self.stance, 0)
            title = f"{matrix.answering_label} replied {stance_label(self.stance)} ({count})"
            return [(*said, None), (matrix.answering, title, count, self.stance)]
        stances = "  ".join(
            f"{stance_label(s)} {row.replies[s]}" for s in matrix.stances if row.replies[s]
        )
        title = f"{matrix.answering_label} replied ({row.replied})  {stances}".rstrip()
        return [(*said, None), (matrix.answering, title, row.replied, None)]

    def on_mount(self) -> None:
        self.query(DemandItems)[1 if self.replies_first else 0].focus()

    def action_close(self) -> None:
        self.dismiss(None)

    def action_side(self, which: int) -> None:
        """Focus a column at once (not after the keys already read: "→ enter" typed in
        one go opens a reply, not the statement under the old focus)."""
        columns = list(self.query(DemandItems))
        if which < len(columns):
            self.set_focus(columns[which])

    @on(DemandItems.Chosen)
    def _open(self, event: DemandItems.Chosen) -> None:
        event.stop()
        self.dismiss(event.link)
