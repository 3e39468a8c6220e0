"""The small dialogs of a correction: who said the quote, and on which side.

Like the export dialog they only collect a choice; the app stores the correction
(:mod:`newsbrowse.tui.correcting`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from newsbrowse.store.labels import NamedSide
from newsbrowse.tui.screens.dialog import dialog_css
from newsbrowse.tui.widgets.display import display_text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option


def correction_css(name: str) -> str:
    """The correction dialogs' look: the shared dialog box (``screens/dialog.py``), 64
    wide, with a short list of choices."""
    return dialog_css(name, width=64) + f"{name} OptionList {{ height: auto; max-height: 10; }}\n"


class SpeakerScreen(ModalScreen[str | None]):
    """A name for the quote's speaker: the store's speakers are suggested as one types
    (right arrow takes the suggestion); any other name is taken as typed."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", tooltip="Close without correcting"),
    ]
    DEFAULT_CSS = correction_css("SpeakerScreen")

    def __init__(self, current: str | None, speakers: Sequence[str], quote_text: str) -> None:
        super().__init__()
        self.current = current or ""
        self.speakers = list(speakers)
        self.quote_text = quote_text

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Who said it?", classes="title")
            yield Static(display_text(excerpt(self.quote_text, 80)), markup=False)
            suggester = SuggestFromList(self.speakers, case_sensitive=False)
            yield Input(self.current, placeholder="a name", suggester=suggester, id="speaker")
            yield Static(
                "enter: save · →: take the suggestion · escape: cancel",
                classes="keys",
                markup=False,
            )

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        name = " ".join(event.value.split())
        if name:
            self.dismiss(name)
        else:
            self.notify("Type a name, or escape to leave it.", severity="warning", markup=False)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ChoiceScreen(ModalScreen[str | None]):
    """One of a few (id, label) choices, the current one highlighted; its id is returned."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", tooltip="Close without correcting"),
    ]
    DEFAULT_CSS = correction_css("ChoiceScreen")

    def __init__(
        self, title: str, choices: Sequence[tuple[str, str]], current: str | None, about: str = ""
    ) -> None:
        """``about``: the words the choice is about (a link's evidence), shown under the title."""
        super().__init__()
        self.title_text = title
        self.choices = list(choices)
        self.current = current
        self.about = about

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, classes="title", markup=False)
            if self.about:
                yield Static(display_text(excerpt(self.about)), markup=False)
            yield OptionList(*(Option(label, id=key) for key, label in self.choices))
            yield Static("enter: choose · escape: cancel", classes="keys", markup=False)

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        keys = [key for key, _ in self.choices]
        options.highlighted = keys.index(self.current) if self.current in keys else 0
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class SideScreen(ChoiceScreen):
    """One of the codebook's sides (or unknown) for the quote."""

    def __init__(self, current: str, sides: Sequence[tuple[str, str]]) -> None:
        """``sides``: (slug, label) of every side a quote may have."""
        super().__init__("Whose side is the speaker on?", sides, current)
        self.sides = list(sides)


def side_choices(slugs: Sequence[str], sides: Sequence[NamedSide]) -> list[tuple[str, str]]:
    """(slug, label) for each of ``slugs``, labelled as the codebook names them."""
    from newsbrowse.store.labels import side_label

    return [(slug, side_label(slug, sides)) for slug in slugs]


def excerpt(words: str, room: int = 120) -> str:
    """``words`` in quotation marks, cut to ``room`` characters."""
    return f"“{words}”" if len(words) <= room else f"“{words[: room - 1]}…”"
