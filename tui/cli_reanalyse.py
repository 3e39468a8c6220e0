"""``newsbrowse reanalyse``: asked first (``--yes`` agrees), a progress bar for the
analysis and one for the index, then what changed and the selected quotes lost or
re-attributed, named.

Imported only when the command runs: it brings the analysis with it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from newsbrowse.store.corrected import APPLIED
from newsbrowse.store.errors import BadInput, NewsbrowseError
from newsbrowse.store.library import Library
from newsbrowse.store.reanalysis import LostQuote, MovedQuote, Outcome
from newsbrowse.tui.cli_output import (
    INDEX_NOTICE_ARTICLES,
    console,
    note,
    one_line,
    print_json,
    progress_reporter,
)
from rich.text import Text

KEPT = "every article, the selection and the read marks are kept"


def confirm(home: Path, args: argparse.Namespace) -> bool:
    """Whether the user agreed (``--yes`` agrees; off a terminal, BadInput says to pass it)."""
    if args.yes:
        return True
    if sys.stdin is None or not sys.stdin.isatty():
        raise BadInput(
            f"reanalyse analyses every stored article again ({KEPT}); "
            "run `newsbrowse reanalyse --yes` to do it"
        )
    count = _article_count(home)
    what = "every article" if count is None else f"the {count} articles"
    question = Text(
        f"Analyse {what} in {home} again with the current pipeline and rules? Quotes and "
        f"links are found anew; {KEPT}."
    )
    from rich.prompt import Confirm

    if Confirm.ask(question, console=console(stderr=True), default=False):
        return True
    console(stderr=True).print("Nothing changed.")
    return False


def _article_count(home: Path) -> int | None:
    try:
        lib = Library.open(home, bootstrap=False, read_only=True, command="newsbrowse reanalyse")
        try:
            return lib.article_count()
        finally:
            lib.close()
    except NewsbrowseError:
        return None


def cmd_reanalyse(lib: Library, args: argparse.Namespace) -> int:
    from newsbrowse.store.parallel import available_cores

    report, stop = progress_reporter("re-analysing", "articles")
    indexing, stop_indexing = progress_reporter(
        "indexing for search", "articles", INDEX_NOTICE_ARTICLES
    )

    def index_report(done: int, total: int) -> None:
        stop()  # one bar at a time: the analysis's is done
        if indexing is not None:
            indexing(done, total)

    try:
        outcome = lib.reanalyse(report, index_report, jobs=available_cores())
    finally:
        stop()
        stop_indexing()
    if args.json:
        print_json(outcome.to_dict())
    else:
        print_outcome(outcome)
    review = [r.correction.id for r in lib.corrections() if r.status != APPLIED]
    if review:
        note(
            f"{len(review)} of your corrections need{'s' if len(review) == 1 else ''} review "
            "(their words changed or the "
            f"analysis no longer finds them; not applied): {', '.join(review)}; "
            "`newsbrowse corrections` shows them"
        )
    return 0


def print_outcome(outcome: Outcome) -> None:
    out = console()
    out.print(Text(outcome.changes.summary()))
    _print_quotes(
        outcome.lost,
        "selected quote is no longer found; it stays in your selection, shown as missing",
        "selected quotes are no longer found; they stay in your selection, shown as missing",
    )
    _print_quotes(
        outcome.moved,
        "selected quote has a new speaker or side",
        "selected quotes have a new speaker or side",
    )


def _print_quotes(quotes: list[LostQuote] | list[MovedQuote], one: str, many: str) -> None:
    if not quotes:
        return
    out = console()
    out.print(Text(f"{len(quotes)} {one if len(quotes) == 1 else many}:", style="bold"))
    for quote in quotes:
        out.print(Text(f"  - {one_line(quote.describe())}"))
