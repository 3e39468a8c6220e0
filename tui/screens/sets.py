"""The named selection sets: the current one marked; enter makes the highlighted one
current, n makes a new one, r renames, delete deletes.

Like the other dialogs it writes nothing: each change is a :class:`SetEdit` message that
the app stores before it gives the screen the sets as stored (:meth:`SetsScreen.show_sets`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from newsbrowse.tui.widgets.display import display_text
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option


class SetEdit(Message):
    """``what`` is ``use``, ``new``, ``rename`` or ``delete``; ``name`` the set's,
    ``new_name`` the name asked for (new, rename)."""

    def __init__(self, what: str, name: str, new_name: str = "") -> None:
        super().__init__()
        self.what = what
        self.name = name
        self.new_name = new_name


class SetsScreen(ModalScreen[None]):
    """Every selection set with its count of quotes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Close", tooltip="Close (or leave the name field)"),
        Binding("n", "ask('new')", "New", tooltip="Make a new, empty set (it becomes current)"),
        Binding("r", "ask('rename')", "Rename", tooltip="Rename the highlighted set"),
        Binding("delete,x", "delete", "Delete", tooltip="Delete the highlighted set"),
    ]
    DEFAULT_CSS = """
    SetsScreen { align: center middle; }
    SetsScreen > Vertical {
        width: 72; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary 80%; background: $surface; padding: 0 1;
    }
    SetsScreen #sets-title { text-style: bold; margin-bottom: 1; }
    SetsScreen OptionList { height: auto; max-height: 16; }
    SetsScreen Input { display: none; }
    SetsScreen Input.-asking { display: block; }
    SetsScreen #sets-keys { color: $text-muted; }
    """

    def __init__(self, sets: Sequence[tuple[str, int]], current: str) -> None:
        super().__init__()
        self.sets = list(sets)
        self.current = current
        self.asking = ""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Selection sets", id="sets-title")
            yield OptionList(*self._options())
            yield Input(placeholder="a name, e.g. Lavrov on the open door", id="set-name")
            yield Static(
                "enter: make current · n: new · r: rename · delete (x): delete · escape: close",
                id="sets-keys",
                markup=False,
            )

    def _options(self) -> list[Option]:
        return [Option(_row(n, c, n == self.current), id=n) for n, c in self.sets]

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        names = [n for n, _ in self.sets]
        options.highlighted = names.index(self.current) if self.current in names else 0
        options.focus()

    def show_sets(self, sets: Sequence[tuple[str, int]], current: str) -> None:
        """The sets as stored after a change, the cursor on the current one."""
        self.sets, self.current = list(sets), current
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options(self._options())
        self.on_mount()

    def _highlighted(self) -> str | None:
        at = self.query_one(OptionList).highlighted
        return self.sets[at][0] if at is not None and at < len(self.sets) else None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(SetEdit("use", str(event.option.id)))

    def action_ask(self, what: str) -> None:
        field = self.query_one(Input)
        self.asking = what
        field.value = (self._highlighted() or "") if what == "rename" else ""
        field.add_class("-asking")
        field.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value.strip():
            self.post_message(SetEdit(self.asking, self._highlighted() or "", event.value))
        self._stop_asking()

    def _stop_asking(self) -> None:
        self.query_one(Input).remove_class("-asking")
        self.asking = ""
        self.query_one(OptionList).focus()

    def action_delete(self) -> None:
        name = self._highlighted()
        if name is not None:
            self.post_message(SetEdit("delete", name))

    def action_cancel(self) -> None:
        if self.asking:
            self._stop_asking()
        else:
            self.dismiss(None)


def _row(name: str, count: int, current: bool) -> Text:
    row = Text(no_wrap=True, overflow="ellipsis")
    row.append("● " if current else "  ", "bold")
    row.append(display_text(name), "bold" if current else "")
    row.append(f"  {count} quote{'' if count == 1 else 's'}", "dim")
    return row
