"""The app's selection view (``l``): the selected quotes in a dialog, one opened at its
quote. A mixin of :class:`~newsbrowse.tui.app.NewsbrowseApp`, kept apart from app.py."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from newsbrowse.store.errors import NewsbrowseError
from newsbrowse.store.model import Quote
from newsbrowse.tui.screens.selection import SelectionEdit, SelectionScreen
from newsbrowse.tui.screens.sets import SetEdit, SetsScreen
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
        rows = [(q, titles.get(q.article_id)) for q in quotes]
        named = self.library.current_set() if len(self.library.selection_sets()) > 1 else ""
        screen = SelectionScreen(rows, missing, self.library.codebook.sides, named)
        app.push_screen(screen, self._open_selected)

    def on_selection_edit(self, event: SelectionEdit) -> None:
        """Move a quote in the selection's order, or take it out; then show the new rows."""
        app: Any = self
        try:
            if event.step:
                self.library.move_selected(event.quote_id, event.step)
            else:
                self.library.unselect(event.quote_id)
            quotes = self.library.selected_quotes()
            titles = self.library.summaries(q.article_id for q in quotes)
        except NewsbrowseError as exc:
            app.notify(str(exc), severity="error", markup=False)
            return
        if isinstance(app.screen, SelectionScreen):
            app.screen.show_rows([(q, titles.get(q.article_id)) for q in quotes], event.quote_id)
        app.query_one(Reader).show_selection(self.library.selected_ids())
        app.update_selection_count()

    def action_show_sets(self) -> None:
        app: Any = self
        app.push_screen(SetsScreen(self.library.selection_sets(), self.library.current_set()))

    def on_set_edit(self, event: SetEdit) -> None:
        """Make, switch, rename or delete a selection set; then every view shows the current."""
        app: Any = self
        lib = self.library
        try:
            if event.what == "use":
                done = f"Current set: {lib.use_set(event.name)}"
            elif event.what == "new":
                done = f"New current set: {lib.create_set(event.new_name)}"
            elif event.what == "rename":
                done = f"Renamed to {lib.rename_set(event.name, event.new_name)}"
            else:
                done = f"Deleted the set {lib.delete_set(event.name)}"
        except NewsbrowseError as exc:
            app.notify(str(exc), severity="error", markup=False)
            return
        if isinstance(app.screen, SetsScreen):
            app.screen.show_sets(lib.selection_sets(), lib.current_set())
        app.query_one(Reader).show_selection(lib.selected_ids())
        app.update_selection_count()
        app.notify(done, markup=False)

    def _open_selected(self, quote: Quote | None) -> None:
        app: Any = self
        if quote is not None:
            app.open_article(quote.article_id, (quote.start, quote.end))
            app.query_one(Reader).focus()
