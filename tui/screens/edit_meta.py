"""The dialog that edits an article's metadata: one field each for the title, source,
URL, date and author, filled with what is shown now.

Like the correction dialogs it only collects the change: the fields the user changed
("" for one emptied), checked as the store checks them so that a bad URL or date is said
here and can be fixed; the app stores the edit (:mod:`newsbrowse.tui.meta_editing`).
"""

from __future__ import annotations

from typing import ClassVar

from newsbrowse.store.errors import BadInput
from newsbrowse.store.meta_edits import FIELDS, checked_fields
from newsbrowse.store.model import Article
from newsbrowse.tui.screens.correct import correction_css  # the correction dialogs' look
from newsbrowse.tui.widgets.display import display_text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

PLACEHOLDERS = {
    "title": "the article's title",
    "source": "who published it (empty: unknown)",
    "url": "https://… (empty: none)",
    "date": "YYYY-MM-DD (empty: undated)",
    "author": "who wrote it (empty: unknown)",
}
KEYS = "tab: next field · enter: save · escape: cancel"


class EditMetaScreen(ModalScreen[dict[str, str] | None]):
    """The fields of one article's metadata; dismissed with the changed ones, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", tooltip="Close without editing"),
    ]
    DEFAULT_CSS = (
        correction_css("EditMetaScreen")
        + """
    EditMetaScreen > Vertical { width: 72; }
    EditMetaScreen .edit-label { color: $text-muted; margin-top: 1; }
    EditMetaScreen #edit-error { color: $error; }
    """
    )

    def __init__(self, article: Article) -> None:
        super().__init__()
        self.article = article
        self.current = {name: getattr(article, name) or "" for name in FIELDS}

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Edit the article's metadata", classes="title")
            for name in FIELDS:
                yield Label(name, classes="edit-label", markup=False)
                yield Input(
                    display_text(self.current[name]),
                    placeholder=PLACEHOLDERS[name],
                    id=f"edit-{name}",
                    compact=True,  # one line each: the dialog fits a 24-line terminal
                )
            yield Static("", id="edit-error", markup=False)
            yield Static(KEYS, classes="keys", markup=False)

    def on_mount(self) -> None:
        self.query_one("#edit-title", Input).focus()

    def changes(self) -> dict[str, str]:
        """The fields whose value the user changed, as typed ("" for one emptied)."""
        out = {}
        for name in FIELDS:
            value = self.query_one(f"#edit-{name}", Input).value.strip()
            if value != display_text(self.current[name]).strip():
                out[name] = value
        return out

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        changed = self.changes()
        if not changed:
            self.dismiss(None)
            return
        try:
            checked_fields(dict(changed), flag="")
        except BadInput as exc:
            self.query_one("#edit-error", Static).update(str(exc))
            return
        self.dismiss(changed)

    def action_cancel(self) -> None:
        self.dismiss(None)
