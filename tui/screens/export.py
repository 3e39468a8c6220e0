"""The export dialog: it collects a format and a path; the app writes the file.

The dialog never writes anything itself (``newsbrowse.store.export`` does, after the
dialog returns), but it asks before an existing file is replaced.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from newsbrowse.store.export import EXTENSIONS, FORMATS, default_export_name
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Input, Label, RadioButton, RadioSet, Static

FORMAT_NAMES: dict[str, str] = {
    "md": "Markdown",
    "csv": "CSV",
    "json": "JSON",
    "csl-json": "CSL-JSON",
    "ris": "RIS",
    "bibtex": "BibTeX",
}
FORMAT_KEYS: dict[str, str] = {
    "md": "m",
    "csv": "c",
    "json": "j",
    "csl-json": "l",
    "ris": "r",
    "bibtex": "b",
}
BURST_END = 0.15  # seconds without a key after which a typed or pasted path is done
SMALL = 80  # columns: below this (or 24 rows) the dialog drops its padding


@dataclass(frozen=True)
class ExportRequest:
    """What the user chose: the app exports the selected quotes as ``fmt`` to ``path``."""

    fmt: str
    path: Path
    overwrite: bool = False


class FormatChoice(RadioSet):
    """A radio set where the arrows choose at once, so that no extra key is needed, and
    enter exports (as the dialog's own key, in turn after the keys typed before it)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "screen.confirm", "Export", show=False),
    ]

    def action_next_button(self) -> None:
        self._step(1)

    def action_previous_button(self) -> None:
        self._step(-1)

    def _step(self, delta: int) -> None:
        buttons = list(self.query(RadioButton))
        if buttons:
            buttons[(self.pressed_index + delta) % len(buttons)].value = True


def with_ending(path: Path, fmt: str) -> Path:
    """``path`` with the file ending of ``fmt`` instead of any export format's ending."""
    name = path.name
    for ending in sorted({EXTENSIONS.get(f, f) for f in FORMATS}, key=len, reverse=True):
        if name.endswith(f".{ending}"):
            name = name[: -len(ending) - 1]
            break
    return path.with_name(f"{name}.{EXTENSIONS.get(fmt, fmt)}")


def count_line(count: int) -> str:
    if count == 0:
        return "No quotes are selected: escape, then press space on a quote to select it."
    return f"{count} selected quote{'' if count == 1 else 's'} will be exported."


class ExportScreen(ModalScreen[ExportRequest | None]):
    """Choose a format (Markdown, CSV, JSON; CSL-JSON, RIS, BibTeX for reference
    managers) and a file path for the selected quotes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", tooltip="Close without exporting"),
        # Not a priority binding: a priority key runs before the keys typed ahead of it
        # have reached the dialog (a pasted path, then enter, exported to the old path).
        Binding("enter", "confirm", "Export", tooltip="Export to the path shown"),
        *(
            Binding(key, f"choose('{fmt}')", FORMAT_NAMES[fmt], show=False)
            for fmt, key in FORMAT_KEYS.items()
        ),
    ]

    DEFAULT_CSS = """
    ExportScreen { align: center middle; }
    ExportScreen > #export-dialog {
        width: 72;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: thick $primary 80%;
        background: $surface;
        padding: 1 2;
    }
    ExportScreen.-small > #export-dialog { padding: 0 1; }
    ExportScreen #export-title { text-style: bold; margin-bottom: 1; }
    ExportScreen FormatChoice {
        width: 100%; layout: grid; grid-size: 3; grid-rows: 1; height: auto;
    }
    ExportScreen FormatChoice > RadioButton { width: auto; margin-right: 2; }
    ExportScreen #export-path { margin-top: 1; }
    ExportScreen #export-count { margin-top: 1; }
    ExportScreen #export-count.-none { color: $warning; }
    ExportScreen #export-message { color: $warning; height: auto; }
    ExportScreen #export-message.-error { color: $error; }
    ExportScreen #export-keys { color: $text-muted; margin-top: 1; }
    """

    def __init__(self, count: int, default_dir: Path | None = None) -> None:
        super().__init__()
        self.count = count
        self.default_dir = default_dir or Path.cwd()
        self.fmt = FORMATS[0]
        self._auto_path = str(self.default_dir / default_export_name(self.fmt))
        self._confirming: Path | None = None
        self._typing = False  # a path is arriving on the format row, before the focus moved
        self._focus_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="export-dialog"):
            yield Label("Export the selected quotes", id="export-title")
            with FormatChoice(id="export-format"):
                for fmt in FORMATS:
                    name = FORMAT_NAMES.get(fmt, fmt)
                    key = FORMAT_KEYS.get(fmt)
                    label = f"{name} ({key})" if key else name
                    yield RadioButton(label, value=fmt == self.fmt, id=f"format-{fmt}")
            yield Input(self._auto_path, placeholder="file path", id="export-path")
            yield Static(count_line(self.count), id="export-count", markup=False)
            yield Static("", id="export-message", markup=False)
            yield Static(
                "enter: export · escape: cancel · ←/→ or m c j l r b: format · tab: path",
                id="export-keys",
                markup=False,
            )

    def on_mount(self) -> None:
        self.query_one("#export-count").set_class(self.count == 0, "-none")
        self.set_class(self.app.size.width < SMALL or self.app.size.height < 24, "-small")
        self.query_one(FormatChoice).focus()

    # choosing ----------------------------------------------------------------------------
    def action_choose(self, fmt: str) -> None:
        self.query_one(f"#format-{fmt}", RadioButton).value = True

    @on(RadioSet.Changed, "#export-format")
    def _format_changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        self.fmt = FORMATS[event.index]
        field = self.query_one("#export-path", Input)
        if field.value == self._auto_path:
            self._auto_path = str(with_ending(Path(self._auto_path), self.fmt))
            field.value = self._auto_path
        self._say("")

    # a path pasted or typed while the format has the focus ------------------------------
    def on_paste(self, event: events.Paste) -> None:
        """A paste lands whole in the path field, whatever has the focus (the format row
        ignored it, and the Enter after it exported to the old path)."""
        event.stop()
        self._to_path(" ".join(event.text.split("\n")).strip())
        self.query_one("#export-path", Input).focus()  # one event: no burst to wait for

    def on_key(self, event: events.Key) -> None:
        """A character that is no format key, typed on the format row, starts a new path:
        so a path that arrives as a burst of keys (a terminal without bracketed paste)
        lands whole in the field, never on the main screen after the dialog closed."""
        field = self.query_one("#export-path", Input)
        if self.focused is field or not event.is_printable or event.character is None:
            return
        if not self._typing and (event.character in FORMAT_KEYS.values() or event.character == " "):
            return  # a format key, or space on a radio button
        event.stop()
        event.prevent_default()
        self._to_path(event.character, append=self._typing)

    def _to_path(self, text: str, *, append: bool = False) -> None:
        """Put ``text`` in the path field, after what the burst put there already. The
        focus moves to the field once the burst is over: moved sooner, the rest of the
        burst would reach the field by another queue, and could come after the enter."""
        field = self.query_one("#export-path", Input)
        field.select_on_focus = False  # selected, the text would be replaced by the next key
        field.value = field.value + text if append else text
        field.cursor_position = len(field.value)
        self._typing = True
        if self._focus_timer is not None:
            self._focus_timer.stop()
        self._focus_timer = self.set_timer(BURST_END, field.focus)

    @on(events.DescendantFocus)
    def _focus_moved(self) -> None:
        """Once the path field has the focus, its keys go to it: the format row's keys
        are format keys again."""
        self._typing = False

    @on(Input.Changed, "#export-path")
    def _path_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._confirming is not None:
            self._confirming = None
            self._say("")

    # confirming ----------------------------------------------------------------------------
    def action_confirm(self) -> None:
        """Enter: confirmed after the keys still on their way to the dialog (a path
        pasted as a burst of keys, then enter, goes whole into the field first)."""
        self.call_later(self._confirm)

    @on(Input.Submitted, "#export-path")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.call_later(self._confirm)

    def _confirm(self) -> None:
        """Return the request; ask first if there is nothing to export or the file exists."""
        if self.count == 0:
            self._say("Nothing to export: no quote is selected.", error=True)
            return
        raw = self.query_one("#export-path", Input).value.strip()
        if not raw:
            self._say("Give a file path to export to.", error=True)
            return
        path = Path(raw).expanduser()
        if path.is_dir():
            self._say(f"{path} is a folder: add a file name.", error=True)
            return
        if not path.parent.is_dir():
            self._say(f"Folder {path.parent} does not exist: choose another path.", error=True)
            return
        if path.exists() or path.is_symlink():
            if self._confirming != path:
                self._confirming = path
                self._say(f"{path.name} exists: enter again to replace it, or change the path.")
                return
            self.dismiss(ExportRequest(self.fmt, path, overwrite=True))
            return
        self.dismiss(ExportRequest(self.fmt, path))

    def action_cancel(self) -> None:
        self.dismiss(None)

    def _say(self, text: str, *, error: bool = False) -> None:
        message = self.query_one("#export-message", Static)
        message.update(text)
        message.set_class(error, "-error")
