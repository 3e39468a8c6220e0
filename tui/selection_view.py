"""The app's selection view (``l``): the selected quotes in a dialog, one opened at its
quote. A mixin of :class:`~newsbrowse.tui.app.NewsbrowseApp`, kept apart from app.py."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from newsbrowse.store.errors import NewsbrowseError
from newsbrowse.store.model import Quote
from newsbrowse.tui.screens.selection import SelectionScreen
from newsbrowse.tui.widgets.reader import Reader

if TYPE_CHECKING:
    from newsbrowse.store.library import Library


class SelectionView:
    """``action_show_selection`` and what it opens (mixed into the app)."""

    library: Library

    def action_show_selection(self) -> None:
        from newsbrowse.store.reanalysis import missing_selection

        app: Any = self
        try:
            quotes = self.library.selected_quotes()
            titles = self.library.summaries(q.article_id for q in quotes)
            missing = len(missing_selection(self.library))
        except NewsbrowseError as exc:
            app.notify(str(exc), severity="error", markup=False)
            return
        rows = [(q, titles[q.article_id].title if q.article_id in titles else "") for q in quotes]
        screen = SelectionScreen(rows, missing, self.library.codebook.sides)
        app.push_screen(screen, self._open_selected)

    def _open_selected(self, quote: Quote | None) -> None:
        app: Any = self
        if quote is not None:
            app.open_article(quote.article_id, (quote.start, quote.end))
            app.query_one(Reader).focus()
