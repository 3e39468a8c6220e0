"""The app's half of a correction: the reader asks (:class:`CorrectionAsked`), the app
asks for the name or side in a dialog, stores the correction through the Library, and
shows the corrected article where the reader was.

A mixin of :class:`~newsbrowse.tui.app.NewsbrowseApp`, which owns every write the app
makes; kept apart so that app.py stays the composition.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from newsbrowse.store.errors import NewsbrowseError
from newsbrowse.store.model import Quote
from newsbrowse.tui.screens.correct import SideScreen, SpeakerScreen, side_choices
from newsbrowse.tui.widgets.correction_keys import CorrectionAsked
from newsbrowse.tui.widgets.reader import Reader

if TYPE_CHECKING:
    from newsbrowse.store.library import Library

DONE = {
    "speaker": "Speaker corrected",
    "side": "Side corrected",
    "not_quote": "Marked not a quote",
    "checked": "Marked checked",
}


class CorrectionActions:
    """Answers the reader's :class:`CorrectionAsked` (mixed into the app)."""

    library: Library

    @property
    def _app(self) -> Any:
        """This object as the Textual app it is mixed into (for push_screen, notify...)."""
        return self

    def on_correction_asked(self, event: CorrectionAsked) -> None:
        quote, app = event.quote, self._app
        done = partial(self.correct_quote, quote, event.what)
        if event.what == "speaker":
            app.push_screen(SpeakerScreen(quote.speaker, self.library.speakers(), quote.text), done)
        elif event.what == "side":
            sides = side_choices(self.library.sides, self.library.codebook.sides)
            app.push_screen(SideScreen(quote.side, sides), done)
        else:
            done(True)

    def correct_quote(self, quote: Quote, what: str, value: str | bool | None) -> None:
        """Store the correction (nothing if the dialog was cancelled), then redraw."""
        app = self._app
        if value is None:
            return
        try:
            made = self.library.correct_quote(quote.id, **{what: value})
            article = self.library.article(quote.article_id)
        except NewsbrowseError as exc:
            app.notify(str(exc), severity="error", markup=False)
            return
        reader = app.query_one(Reader)
        if reader.article is not None and reader.article.id == quote.article_id:
            reader.show_corrected(article, quote.id)
        app.update_selection_count()
        app.notify(
            f"{DONE[what]} ({made.id}); `newsbrowse undo {made.id}` reverts it.", markup=False
        )
