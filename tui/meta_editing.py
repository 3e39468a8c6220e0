"""The app's half of a metadata edit: the reader asks (:class:`MetaEditAsked`), the app
opens the dialog, stores the edit through the Library, and shows it at once in the
reader's header and the article list.

A mixin of :class:`~newsbrowse.tui.app.NewsbrowseApp`, which owns every write the app
makes; kept apart so that app.py stays the composition.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from newsbrowse.store.errors import NewsbrowseError
from newsbrowse.tui.screens.edit_meta import EditMetaScreen
from newsbrowse.tui.widgets.article_list import ArticleList
from newsbrowse.tui.widgets.meta_keys import MetaEditAsked
from newsbrowse.tui.widgets.reader import Reader

if TYPE_CHECKING:
    from newsbrowse.store.library import Library


class MetaEditActions:
    """Answers the reader's :class:`MetaEditAsked` (mixed into the app)."""

    library: Library

    @property
    def _app(self) -> Any:
        """This object as the Textual app it is mixed into (for push_screen, notify...)."""
        return self

    def on_meta_edit_asked(self, event: MetaEditAsked) -> None:
        article = event.article
        self._app.push_screen(EditMetaScreen(article), partial(self.edit_meta, article.id))

    def edit_meta(self, article_id: str, changes: dict[str, str] | None) -> None:
        """Store the edit (nothing if the dialog was cancelled), then redraw."""
        app = self._app
        if not changes:
            return
        try:
            made = self.library.edit_meta(article_id, **changes)
            article = self.library.article(article_id)
        except NewsbrowseError as exc:
            app.notify(str(exc), severity="error", markup=False)
            return
        reader = app.query_one(Reader)
        if reader.article is not None and reader.article.id == article_id:
            quote = reader.current_quote
            reader.show_corrected(article, quote.id if quote else None)
        articles = app.query_one(ArticleList)
        articles.set_filter(articles.filter_demand, articles.filter_label)
        app.notify(
            f"Metadata edited ({made.id}); `newsbrowse undo {made.id}` reverts it.", markup=False
        )
