"""What every subcommand prints with: a console, JSON, literal text, tables, a progress bar.

Store strings (titles, quotes, file names) are always printed as literal ``Text``, never
read as markup; messages stay on one line, as a script expects.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from newsbrowse.store.errors import NewsbrowseError, StoreWriteFailed
from rich.console import Console
from rich.text import Text

if TYPE_CHECKING:
    from newsbrowse.store.library import Library
    from rich.table import Table

PROG = "newsbrowse"
PIPE_WIDTH = 160
PROGRESS_MIN_FILES = 4
INDEX_NOTICE_ARTICLES = 1000
"""An index this many articles behind the store is brought up to it with a progress bar."""

# Characters that would break a one-line message (or act on a terminal): shown escaped.
_LINE_BREAKERS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")

Progress = Callable[[int, int], None]


class OutputFailed(NewsbrowseError):
    """Standard output refused the command's output (a full disk, /dev/full, I/O error)."""

    exit_code = StoreWriteFailed.exit_code


def one_line(text: str) -> str:
    """``text`` on one line: a newline or control character in a file name is shown as
    its escape (``\\n``), so that every message stays the single line a script expects."""
    return _LINE_BREAKERS.sub(lambda m: repr(m.group())[1:-1], text)


def note(text: str) -> None:
    """A note on stderr, one line: what the user should know but the output is not."""
    sys.stderr.write(f"{PROG}: note: {one_line(text)}\n")


def console(stderr: bool = False) -> Console:
    """A console that never styles by guesswork; piped output gets room for whole titles."""
    out = Console(stderr=stderr, highlight=False)
    if not out.is_terminal and "COLUMNS" not in os.environ:
        out.width = PIPE_WIDTH
    return out


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    sys.stdout.flush()


def plain(value: object, style: str = "") -> Text:
    """Text from the store, never read as markup (titles like ``[bold]x[/]`` stay literal)."""
    return Text("" if value is None else str(value), style=style)


def table(**options: Any) -> Table:
    """A rich table, titled on the left (rich.table is imported only when one is printed)."""
    from rich.table import Table

    return Table(title_justify="left", **options)


def id_column(into: Table, name: str, width: int) -> None:
    """An id column that is never cut: a script or a user copies ids from it."""
    into.add_column(name, no_wrap=True, min_width=width, style="cyan")


def progress_reporter(
    doing: str = "importing", unit: str = "files", at_least: int = PROGRESS_MIN_FILES
) -> tuple[Progress | None, Callable[[], None]]:
    """A progress callback on a terminal (None elsewhere) and its closer: ``doing``, a
    bar, the count, the rate in ``unit``/s and the time left, for ``at_least`` items."""
    err = console(stderr=True)
    if not err.is_terminal:
        return None, lambda: None
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        Task,
        TextColumn,
        TimeRemainingColumn,
    )

    class _RateColumn(ProgressColumn):
        """Items per second (rich's own speed column counts bytes)."""

        def render(self, task: Task) -> Text:
            speed = task.finished_speed or task.speed
            return Text("" if speed is None else f"{speed:.1f} {unit}/s", style="dim")

    bar = Progress(
        TextColumn(doing),
        BarColumn(),
        MofNCompleteColumn(),
        _RateColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=True,
    )
    task_id: list[Any] = []

    def report(done: int, total: int) -> None:
        if total < at_least:
            return
        if not task_id:
            bar.start()
            task_id.append(bar.add_task(doing, total=total))
        bar.update(task_id[0], completed=done, total=total)

    return report, bar.stop


def update_index(lib: Library, at_least: int = INDEX_NOTICE_ARTICLES) -> None:
    """Bring a missing or lagging search index up to the store before the command or the
    app, saying so: rebuilding 100,000 articles takes minutes, which must not look like a
    hang. A few articles to catch up on are done silently by the first query."""
    lag = lib.index_lag()
    if lag < at_least:
        return
    report, stop = progress_reporter("indexing for search", "articles", at_least)
    if report is None:
        said: list[int] = []

        def say_once(done: int, total: int) -> None:
            # Said once work is under way: a reader that leaves the index to a writer
            # at work indexes nothing, and says nothing.
            if not said:
                said.append(total)
                sys.stderr.write(
                    f"{PROG}: indexing {total} articles for search first; this takes a while\n"
                )

        report = say_once

    try:
        lib.update_index(report)
    finally:
        stop()
