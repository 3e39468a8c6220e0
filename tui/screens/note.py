"""The dialog of a note: a line of the analyst's own words on a quote or a link.

Like the other correction dialogs it only collects the words; the app stores them
(:mod:`newsbrowse.tui.correcting_links`).
"""

from __future__ import annotations

from typing import ClassVar

from newsbrowse.tui.screens.correct import correction_css, excerpt
from newsbrowse.tui.widgets.display import display_text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static


class NoteScreen(ModalScreen[str | None]):
    """The analyst's note on a quote or a link, one line (the latest note is shown)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", tooltip="Close without a note"),
    ]
    DEFAULT_CSS = correction_css("NoteScreen")

    def __init__(self, current: str | None, about: str) -> None:
        super().__init__()
        self.current = current or ""
        self.about = about

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Your note", classes="title")
            yield Static(display_text(excerpt(self.about)), markup=False)
            yield Input(self.current, placeholder="a note (search finds it: note:WORD)", id="note")
            yield Static("enter: save · escape: cancel", classes="keys", markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        note = event.value.strip()
        if note:
            self.dismiss(note)
        else:
            self.notify("Type a note, or escape to leave it.", severity="warning", markup=False)

    def action_cancel(self) -> None:
        self.dismiss(None)
