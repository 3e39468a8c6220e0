"""Re-analysis from the app: asked at start when the store was analysed by an older
pipeline or other rules, run by a worker thread behind a progress bar, then the panes
show the new analysis.

The worker holds the store's lock only for each step that touches it
(:mod:`newsbrowse.store.reanalysis`), so the screen behind the dialog stays drawn; the
app's keys are off until it ends. Quitting meanwhile is safe: the old store stays whole
until the one write that commits the new one. When it is done, the app is told with a
:class:`Reanalysed` message and reads the store again in every pane.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from newsbrowse.store.errors import NewsbrowseError
from newsbrowse.store.reanalysis import Outcome
from newsbrowse.store.staleness import is_stale
from newsbrowse.tui.screens.dialog import dialog_css
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Label, ProgressBar, Static

if TYPE_CHECKING:
    from newsbrowse.store.corpus import Corpus

QUESTION = (
    "This store was analysed by an older version of newsbrowse or other rules files. "
    "Analyse its {count} articles again now? Every article, your selection and read "
    "marks are kept; quotes and links are found anew."
)
LATER = "Not re-analysed: newsbrowse asks again at the next start (or run `newsbrowse reanalyse`)."
LISTED = 5  # lost or re-attributed selected quotes named in a notification

Report = Callable[[int, int], None]


class ReanalysisLibrary(Protocol):
    """What re-analysing from the app needs of a :class:`~newsbrowse.store.library.Library`."""

    home: Path
    corpus: Corpus

    def article_count(self, demand: str | None = None) -> int: ...

    def reanalyse(
        self, progress: Report | None = None, index_progress: Report | None = None, jobs: int = 1
    ) -> Outcome: ...


class Reanalysed(Message):
    """The store was analysed again: every pane reads it again, where it was."""


class ReanalyseQuestion(ModalScreen[bool]):
    """Asks whether to re-analyse the store now: y / enter yes, n / escape not now."""

    BINDINGS = [
        Binding("y,enter", "answer(True)", "Re-analyse now", id="reanalyse.yes"),
        Binding("n,escape", "answer(False)", "Not now", id="reanalyse.no"),
    ]
    DEFAULT_CSS = dialog_css("ReanalyseQuestion")
    APP_ACTIONS = frozenset({"quit"})  # the app's keys but q are off while it asks

    def __init__(self, count: int) -> None:
        super().__init__()
        self.count = count

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("The store's analysis is out of date", classes="title")
            yield Static(QUESTION.format(count=self.count), markup=False)
            yield Static("y / enter: re-analyse now · n / escape: not now", classes="keys")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class ReanalyseProgress(ModalScreen[None]):
    """A progress bar while a worker analyses the store again, then indexes it."""

    DEFAULT_CSS = dialog_css("ReanalyseProgress")
    APP_ACTIONS: frozenset[str] = frozenset()  # the app's keys are off while it works

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Analysing the store again", classes="title")
            yield Static("re-analysing articles", id="reanalyse-phase", markup=False)
            yield ProgressBar(id="reanalyse-bar", show_eta=True)

    def advance(self, phase: str, done: int, total: int) -> None:
        self.query_one("#reanalyse-phase", Static).update(phase)
        self.query_one(ProgressBar).update(total=max(total, 1), progress=done)


def offer(app: App[object], library: ReanalysisLibrary) -> None:
    """At start: if the store is stale, ask; on yes, re-analyse it (nothing is stored of
    a no: the next start asks again)."""
    try:
        if not is_stale(library.corpus, library.home):
            return
        count = library.article_count()
    except NewsbrowseError:
        return  # a damaged store is said when the panes read it

    def answered(yes: bool | None) -> None:
        if yes:
            start(app, library)
        else:
            app.notify(LATER, markup=False)

    app.push_screen(ReanalyseQuestion(count), answered)


def start(app: App[object], library: ReanalysisLibrary) -> None:
    """Re-analyse in a worker thread behind :class:`ReanalyseProgress`."""
    progress = ReanalyseProgress()
    app.push_screen(progress)

    def report(phase: str) -> Report:
        return lambda done, total: app.call_from_thread(progress.advance, phase, done, total)

    def work() -> None:
        try:
            outcome = library.reanalyse(
                report("re-analysing articles"), report("indexing for search"), jobs=1
            )
        except Exception as exc:  # said in one line; the old store stays whole
            why = str(exc) if isinstance(exc, NewsbrowseError) else f"{type(exc).__name__}: {exc}"
            app.call_from_thread(finished, progress, app, None, why)
            return
        app.call_from_thread(finished, progress, app, outcome, None)

    app.run_worker(work, thread=True, exclusive=True, group="reanalyse", exit_on_error=False)


def finished(
    progress: ReanalyseProgress, app: App[object], outcome: Outcome | None, error: str | None
) -> None:
    """Close the progress bar; have every pane show the new analysis; say what changed."""
    progress.dismiss()
    if outcome is None:
        app.notify(f"Not re-analysed: {error}", severity="error", markup=False, timeout=15)
        return
    app.post_message(Reanalysed())
    app.notify(outcome.changes.summary(), markup=False, timeout=10)
    for quotes, what in (
        (outcome.lost, "no longer found (kept in your selection, shown as missing)"),
        (outcome.moved, "now with another speaker or side"),
    ):
        if quotes:
            named = [q.describe() for q in quotes[:LISTED]]
            more = f"; and {len(quotes) - LISTED} more" if len(quotes) > LISTED else ""
            app.notify(
                f"{len(quotes)} selected quotes {what}: " + "; ".join(named) + more,
                severity="warning",
                markup=False,
                timeout=30,
            )
