"""``newsbrowse selection``: the quotes selected in the app, in the order they were
selected, as corrected; those the analysis no longer finds are named (kept selected)."""

from __future__ import annotations

import argparse
from typing import Any

from newsbrowse.store.library import Library
from newsbrowse.tui.cli_export import missing_note
from newsbrowse.tui.cli_output import console, note, print_json
from newsbrowse.tui.cli_tables import print_quotes


def add_parser(sub: Any, common: list[argparse.ArgumentParser]) -> None:
    sub.add_parser(
        "selection",
        parents=common,
        help="the quotes selected in the app, in the order selected",
        description="The selected quotes (space in the app's reader), in the order they were "
        "selected, as `export --selected` exports them; a selected quote the analysis no "
        "longer finds is named on stderr (it stays selected).",
    )


def cmd_selection(lib: Library, args: argparse.Namespace) -> int:
    from newsbrowse.store.reanalysis import missing_selection  # imports the analysis

    quotes = lib.selected_quotes()
    if args.json:
        print_json({"selected": [q.to_dict() for q in quotes], "missing": missing_selection(lib)})
        return 0
    missing = missing_note(lib)
    if missing:
        note(missing)
    if not quotes:
        console().print("No quotes are selected: press space on a quote in the app's reader.")
        return 0
    print_quotes(console(), lib, quotes, f"{len(quotes)} selected quotes")
    return 0
