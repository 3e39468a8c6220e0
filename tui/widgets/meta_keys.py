"""The reader's key for editing the open article's metadata (title, source, URL, date,
author) where the file had them wrong or missing.

The reader writes nothing: the key posts :class:`MetaEditAsked` and the app opens the
dialog (:mod:`newsbrowse.tui.screens.edit_meta`), stores the edit and redraws the list
and the reader (:mod:`newsbrowse.tui.meta_editing`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding, BindingType
from textual.message import Message

if TYPE_CHECKING:
    from newsbrowse.store.model import Article


class MetaEditAsked(Message):
    """The user asked to edit ``article``'s metadata."""

    def __init__(self, article: Article) -> None:
        super().__init__()
        self.article = article


META_BINDINGS: list[BindingType] = [
    Binding("E", "edit_meta", "Edit metadata", show=False, id="reader.edit_meta",
            tooltip="Edit the article's title, source, URL, date or author (kept as your "
            "correction; newsbrowse undo reverts it)."),
]  # fmt: skip
"""The key, in the Reader's BINDINGS."""


class MetaKeys:
    """Mixed into the :class:`~newsbrowse.tui.widgets.reader.Reader`: the key's action."""

    article: Article | None

    def action_edit_meta(self) -> None:
        if self.article is None:
            self.notify("Open an article first.", severity="warning", markup=False)  # type: ignore[attr-defined]
            return
        self.post_message(MetaEditAsked(self.article))  # type: ignore[attr-defined]
