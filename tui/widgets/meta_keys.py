"""The reader's keys for the open article's metadata: edit it (title, source, URL, date,
author) where the file had them wrong or missing, and open its URL in a web browser.

The reader writes nothing: the edit key posts :class:`MetaEditAsked` and the app opens the
dialog (:mod:`newsbrowse.tui.screens.edit_meta`), stores the edit and redraws the list
and the reader (:mod:`newsbrowse.tui.meta_editing`). The article the reader holds is the
Library's, edits applied, so ``o`` opens the URL the user gave when they corrected it.
"""

from __future__ import annotations

import webbrowser
from typing import TYPE_CHECKING

from newsbrowse.tui.cli_serve import in_browser
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
    Binding("o", "open_url", "Open URL", show=False, id="reader.open_url",
            tooltip="Open the article's URL (as edited, if it was) in the web browser."),
]  # fmt: skip
"""The keys, in the Reader's BINDINGS."""

NO_URL = "This article has no URL."


class MetaKeys:
    """Mixed into the :class:`~newsbrowse.tui.widgets.reader.Reader`: the key's action."""

    article: Article | None

    def action_edit_meta(self) -> None:
        if self.article is None:
            self.notify("Open an article first.", severity="warning", markup=False)  # type: ignore[attr-defined]
            return
        self.post_message(MetaEditAsked(self.article))  # type: ignore[attr-defined]

    def action_open_url(self) -> None:
        """Open the article's URL off the event loop: ``webbrowser.open`` may start a
        browser process, or wait on one in a text-mode terminal, and the app must not."""
        if self.article is None:
            self.notify("Open an article first.", severity="warning", markup=False)  # type: ignore[attr-defined]
            return
        url = self.article.url
        if not url:
            self.notify(NO_URL, severity="warning", markup=False)  # type: ignore[attr-defined]
            return
        if in_browser():
            # A browser session's app runs on the server, its output the page's stream: a
            # browser started there (or a text one writing to that stream) would be wrong.
            # Textual's web driver asks the page to open a tab instead.
            self.app.open_url(url)  # type: ignore[attr-defined]
            self.notify("Opened URL", markup=False)  # type: ignore[attr-defined]
            return
        self.run_worker(  # type: ignore[attr-defined]
            lambda: self._open_url(url), thread=True, group="open_url", exit_on_error=False
        )

    def _open_url(self, url: str) -> None:
        """In the worker's thread: open ``url``, then say (on the app's loop) how it went."""
        opened = webbrowser.open(url)
        message = "Opened URL" if opened else f"No web browser found to open {url}"
        app = self.app  # type: ignore[attr-defined]
        app.call_from_thread(
            app.notify, message, severity="information" if opened else "warning", markup=False
        )
