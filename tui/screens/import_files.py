"""Import from the app: a path prompt (completing on paths), then the import in a worker
thread behind a progress bar; when it ends, the panes read the store again.

The app holds the home's write lock for its whole life, so while it is open this is the
way to import (the CLI, refused, says so). The worker runs the same import as
``newsbrowse import`` (:meth:`Library.import_paths`) and the end is worded by the CLI's
own summary (:func:`import_title`). Escape while it runs stops it after the file at
hand: what was analysed is committed, and an import run again skips it. An import that
stores nothing and finds a problem (no such file, a page with no article) keeps the
dialog open with the reason on one line, so that the path can be corrected.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import Protocol

from newsbrowse.store.errors import NewsbrowseError
from newsbrowse.store.importer import ImportResult, ImportStopped, ProgressFn
from newsbrowse.tui.cli_import import import_problem, import_title
from newsbrowse.tui.cli_output import PROG, one_line
from newsbrowse.tui.screens.dialog import dialog_css
from newsbrowse.tui.screens.path_suggester import PathSuggester, complete_path
from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Label, ProgressBar, Static

IDLE_KEYS = "enter: import · tab or →: complete the path · escape: close"
BUSY_KEYS = "escape: stop after this file (what is analysed is kept)"
NO_PATH = "give a file, a folder, a feed file or an http(s) address"
_CSS = """
ImportScreen #import-message { color: $error; height: auto; display: none; }
ImportScreen #import-message.-shown { display: block; }
ImportScreen #import-phase { margin-top: 1; }
ImportScreen #import-phase, ImportScreen ProgressBar { display: none; }
ImportScreen.-busy #import-phase, ImportScreen.-busy ProgressBar { display: block; }
"""


class ImportingLibrary(Protocol):
    """What importing from the app needs of a :class:`~newsbrowse.store.library.Library`."""

    def import_paths(
        self, paths: list[str], progress: ProgressFn | None = None, jobs: int | None = None
    ) -> list[ImportResult]: ...


class Imported(Message):
    """Articles were imported: every pane reads the store again, the list's cursor goes to
    ``first_id``, the first article the import stored."""

    def __init__(self, first_id: str) -> None:
        super().__init__()
        self.first_id = first_id


class ImportScreen(ModalScreen[None]):
    """The path prompt, then the progress of the import it started."""

    class Progressed(Message):
        """Files done of the total, posted by the worker: it never waits for the screen
        (it holds the store, which a redraw of the panes behind may want)."""

        def __init__(self, done: int, total: int) -> None:
            super().__init__()
            self.done = done
            self.total = total

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, ImportScreen.Progressed)

    BINDINGS = [
        Binding("escape", "cancel", "Close / stop", id="import.cancel",
                tooltip="Close the dialog; while importing, stop after the file at hand."),
        Binding("tab", "complete", "Complete", show=False, id="import.complete",
                tooltip="Complete the path typed (a folder ends with /)."),
    ]  # fmt: skip
    APP_ACTIONS: frozenset[str] = frozenset()  # the app's keys are off: letters are typed
    DEFAULT_CSS = dialog_css("ImportScreen", width=76) + _CSS

    def __init__(self, start: Callable[[ImportScreen, str], None]) -> None:
        super().__init__()
        self._start = start
        self.stop = threading.Event()
        """Set to stop the running import after the file at hand (escape, or closing)."""

    @property
    def busy(self) -> bool:
        """Whether an import runs: the field is off and escape stops it."""
        return self.has_class("-busy")

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Import articles", classes="title")
            yield Static(
                "A text file, a saved web page, a folder of them, a feed file, or an "
                "http(s) address of a page or a feed.",
                markup=False,
            )
            yield Input(
                placeholder="path or address",
                suggester=PathSuggester(),
                id="import-path",
                select_on_focus=False,
            )
            yield Static("", id="import-message", markup=False)
            yield Static("", id="import-phase", markup=False)
            yield ProgressBar(id="import-bar", show_eta=False)
            yield Static(IDLE_KEYS, id="import-keys", classes="keys", markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        path = event.value.strip()
        if self.busy:
            return
        if not path:
            self.show_error(NO_PATH)
            return
        if path.startswith("~"):
            path = os.path.expanduser(path)
        self.show_error("")
        self.set_class(True, "-busy")
        self.query_one(Input).disabled = True
        self.query_one("#import-keys", Static).update(BUSY_KEYS)
        self.query_one("#import-phase", Static).update(f"reading {one_line(path)}")
        self._start(self, path)

    @on(Progressed)
    def advance(self, event: Progressed) -> None:
        """The worker's progress: files done of the total."""
        if self.busy:
            self.query_one("#import-phase", Static).update(
                f"{event.done} of {event.total} files done"
            )
            self.query_one(ProgressBar).update(total=max(event.total, 1), progress=event.done)

    def show_error(self, text: str) -> None:
        """One line under the path, the dialog ready for another try."""
        self.set_class(False, "-busy")
        message = self.query_one("#import-message", Static)
        message.update(one_line(text) if text else "")
        message.set_class(bool(text), "-shown")
        self.query_one("#import-phase", Static).update("")
        self.query_one("#import-keys", Static).update(IDLE_KEYS)
        field = self.query_one(Input)
        field.disabled = False
        field.focus()

    def action_complete(self) -> None:
        field = self.query_one(Input)
        completed = None if self.busy else complete_path(field.value)
        if completed is not None:
            field.value = completed
            field.cursor_position = len(completed)

    def action_cancel(self) -> None:
        if self.busy:
            self.stop.set()
            self.query_one("#import-phase", Static).update("stopping after this file…")
        else:
            self.dismiss(None)

    def on_unmount(self) -> None:
        self.stop.set()  # the app is quitting: the worker commits what it has and ends


def open_dialog(app: App[object], library: ImportingLibrary) -> None:
    """Show the prompt; a path given starts :func:`start` on the library."""
    app.push_screen(ImportScreen(lambda screen, path: start(app, library, screen, path)))


def start(app: App[object], library: ImportingLibrary, screen: ImportScreen, path: str) -> None:
    """Import ``path`` in a worker thread, reporting to ``screen``; then :func:`finished`.

    One analysing process (as the app's re-analysis): a fork of the app's threads is not
    safe, and the app stays responsive while the worker analyses.
    """
    stopped: list[bool] = []

    def report(done: int, total: int) -> None:
        if screen.stop.is_set():
            stopped.append(True)
            raise ImportStopped
        screen.post_message(ImportScreen.Progressed(done, total))  # thread-safe, no wait

    def work() -> None:
        try:
            results = library.import_paths([path], progress=report, jobs=1)
        except Exception as exc:  # said in one line; what was committed stays whole
            why = str(exc) if isinstance(exc, NewsbrowseError) else f"{type(exc).__name__}: {exc}"
            app.call_from_thread(screen.show_error, f"cannot import {path}: {why}")
            return
        app.call_from_thread(finished, app, screen, results, bool(stopped))

    app.run_worker(work, thread=True, exclusive=True, group="import", exit_on_error=False)


def finished(
    app: App[object], screen: ImportScreen, results: list[ImportResult], stopped: bool
) -> None:
    """Say the outcome as the CLI's title does; have the panes read the store again."""
    problems = [p for p in map(import_problem, results) if p]
    first = next((r.id for r in results if r.id is not None), None)
    if first is None and problems and not stopped:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        screen.show_error(problems[0].removeprefix(f"{PROG}: ") + more)
        return
    if screen.is_attached:
        screen.dismiss(None)
    if first is not None:
        app.post_message(Imported(first))
    title = import_title(results)
    app.notify(
        f"Import stopped: {title}" if stopped else title,
        severity="warning" if problems or stopped else "information",
        markup=False,
        timeout=10,
    )
