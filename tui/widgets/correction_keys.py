"""The reader's keys for the analyst's last word on the quote under the cursor: its
speaker, its side, not a quote, checked.

The reader writes nothing: a key posts :class:`CorrectionAsked` and the app asks for the
name or side, stores the correction, and gives the reader the corrected article
(:meth:`CorrectionKeys.show_corrected`), which keeps the cursor on the same quote.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding, BindingType
from textual.message import Message

if TYPE_CHECKING:
    from newsbrowse.store.model import Article, Quote

WHATS: tuple[str, ...] = ("speaker", "side", "not_quote", "checked")


class CorrectionAsked(Message):
    """The user asked to correct ``quote``: ``what`` is one of :data:`WHATS`."""

    def __init__(self, quote: Quote, what: str) -> None:
        super().__init__()
        self.quote = quote
        self.what = what


CORRECTION_BINDINGS: list[BindingType] = [
    Binding("w", "correct('speaker')", "Speaker", show=False, id="reader.correct_speaker",
            tooltip="Who said the quote under the cursor: type a name (the store's "
            "speakers are suggested; a new one is allowed)."),
    Binding("s", "correct('side')", "Side", show=False, id="reader.correct_side",
            tooltip="Choose the side of the quote under the cursor."),
    Binding("x", "correct('not_quote')", "Not a quote", show=False, id="reader.not_quote",
            tooltip="The span under the cursor is no quote: it leaves lists, search and "
            "exports (newsbrowse undo reverts it)."),
    Binding("v", "correct('checked')", "Checked", show=False, id="reader.checked",
            tooltip="Mark the quote under the cursor as checked against the source."),
]  # fmt: skip
"""The keys, in the Reader's BINDINGS (Textual merges bindings of widget classes only)."""


class CorrectionKeys:
    """Mixed into the :class:`~newsbrowse.tui.widgets.reader.Reader`: its correction keys'
    actions, and the corrected article drawn where the reader was."""

    article: Article | None
    cursor: int
    if TYPE_CHECKING:
        current_quote: Quote | None

    def action_correct(self, what: str) -> None:
        quote = self.current_quote
        if quote is None:
            self.notify("Move to a quote with ] first.", severity="warning", markup=False)  # type: ignore[attr-defined]
            return
        self.post_message(CorrectionAsked(quote, what))  # type: ignore[attr-defined]

    def show_corrected(self, article: Article, quote_id: str | None) -> None:
        """Redraw ``article`` (as corrected) where it was, the cursor on ``quote_id`` if it
        is still a quote, else on the quote that now stands at its place."""
        old = self.cursor
        self.article = article
        ids = [q.id for q in article.quotes]
        if quote_id in ids:
            self.cursor = ids.index(quote_id)
        else:
            self.cursor = min(old, len(ids) - 1)
        self._draw()  # type: ignore[attr-defined]
        self._announce()  # type: ignore[attr-defined]
