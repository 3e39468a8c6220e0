"""The app's whole-screen views of the demands: one demand (statements beside replies)
and the matrix of every demand's counts. A mixin of
:class:`~newsbrowse.tui.app.NewsbrowseApp`, kept apart from app.py."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from newsbrowse.tui.widgets.reader import Reader

if TYPE_CHECKING:
    from newsbrowse.store.library import Library
    from newsbrowse.store.model import Link


class DemandViews:
    """``open_demand_view`` and ``action_matrix`` (mixed into the app): an item chosen in
    either opens its article at the evidence, the reader focused."""

    library: Library

    def open_demand_view(self, slug: str) -> None:
        """The demand on the whole screen; an item chosen there opens at its evidence."""
        from newsbrowse.tui.screens.demand import DemandScreen

        app: Any = self
        if self.library.codebook.demand(slug) is None or app.screen is not app.screen_stack[0]:
            return
        app.push_screen(DemandScreen(self.library, slug), self._demand_view_closed)

    def action_matrix(self) -> None:
        """The demand matrix on the whole screen; an item chosen from a cell opens here."""
        from newsbrowse.tui.screens.matrix import MatrixScreen

        app: Any = self
        app.push_screen(MatrixScreen(self.library), self._demand_view_closed)

    def _demand_view_closed(self, link: Link | None) -> None:
        app: Any = self
        if link is not None:
            app.open_article(link.article_id, (link.start, link.end))
            app.query_one(Reader).focus()
