"""``newsbrowse reset`` and ``newsbrowse recover``: the two commands that start again.

Reset says first how many imported articles it removes and asks (``--yes`` agrees);
both run under the home's lock after damaged store files were set aside.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from newsbrowse.store.errors import BadInput, NewsbrowseError
from newsbrowse.store.library import Library
from newsbrowse.tui.cli_output import PROG, console, print_json
from rich.text import Text


def confirm_reset(home: Path, args: argparse.Namespace) -> bool:
    """Whether the user agreed to replace the store, told first how many imported articles
    go with it (``--yes`` agrees without asking)."""
    if args.yes:
        return True
    count, why = _imported(home)
    if sys.stdin is None or not sys.stdin.isatty():
        raise BadInput(
            f"reset replaces the store with the fixtures, removing {_removed_phrase(count)}; "
            "run `newsbrowse reset --yes` to do it (or `newsbrowse reanalyse` to keep them "
            "and only analyse them again)"
        )
    what = f"{_removed_phrase(count)} are removed" if count != 0 else "it holds no imported ones"
    uncounted = f" (they cannot be counted: {why})" if count is None else ""
    question = Text(
        f"Rebuild the store in {home} from the fixtures? {what[0].upper()}{what[1:]}{uncounted}; "
        "importing their files again restores them. (To keep them and only analyse them "
        "again, answer no and run `newsbrowse reanalyse`.)"
    )
    from rich.prompt import Confirm

    if Confirm.ask(question, console=console(stderr=True), default=False):
        return True
    console(stderr=True).print("Nothing changed.")
    return False


def _imported(home: Path) -> tuple[int | None, str]:
    """How many imported articles a reset of ``home`` would remove (read without the
    lock), or None and why they cannot be counted."""
    try:
        lib = Library.open(home, bootstrap=False, read_only=True, command=f"{PROG} reset")
        try:
            return lib.imported_count(), ""
        finally:
            lib.close()
    except NewsbrowseError as exc:
        return None, str(exc)


def _removed_phrase(count: int | None) -> str:
    if count is None:
        return "every imported article"
    return f"its {count} imported article{'' if count == 1 else 's'}"


def cmd_reset(lib: Library, args: argparse.Namespace) -> int:
    removed = lib.imported_count()
    results = lib.reset()
    if args.json:
        print_json([r.to_dict() for r in results])
        return 0
    count = sum(r.id is not None for r in results)
    gone = (
        f"; {removed} imported article{'' if removed == 1 else 's'} were removed "
        "(importing their files again restores them)"
        if removed
        else ""
    )
    console().print(Text(f"The store in {lib.home} now holds the {count} fixture articles{gone}."))
    return 0


def cmd_recover(lib: Library, args: argparse.Namespace) -> int:
    """What ``recover_home`` repaired (run before the store opened), then what is left."""
    report: list[str] = args.repaired
    state = {"articles": lib.article_count(), "selected": len(lib.selected_ids())}
    if args.json:
        print_json({"repaired": report, **state})
        return 0
    out = console()
    for line in report or ["no damaged store files"]:
        out.print(Text(line))
    out.print(Text(f"The store holds {state['articles']} articles, {state['selected']} selected."))
    return 0
