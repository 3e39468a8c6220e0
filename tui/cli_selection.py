"""``newsbrowse selection``: the quotes of the current selection set, in its order, as
corrected; those the analysis no longer finds are named (kept selected). ``sets``,
``set-use``, ``set-new``, ``set-rename`` and ``set-delete``: the named sets."""

from __future__ import annotations

import argparse
from typing import Any

from newsbrowse.store.library import Library
from newsbrowse.tui.cli_export import missing_note
from newsbrowse.tui.cli_output import console, note, plain, print_json
from newsbrowse.tui.cli_tables import print_quotes

SETS_COMMANDS = ("set-use", "set-new", "set-rename", "set-delete")
WRITING = frozenset(SETS_COMMANDS)


def add_parsers(sub: Any, common: list[argparse.ArgumentParser]) -> None:
    sub.add_parser("sets", parents=common, help="the named selection sets, the current marked")
    use = sub.add_parser("set-use", parents=common, help="make a selection set the current one")
    use.add_argument("name", metavar="NAME")
    new = sub.add_parser("set-new", parents=common, help="make an empty selection set, current")
    new.add_argument("name", metavar="NAME")
    rename = sub.add_parser("set-rename", parents=common, help="rename a selection set")
    rename.add_argument("old", metavar="NAME")
    rename.add_argument("new", metavar="NEW_NAME")
    delete = sub.add_parser("set-delete", parents=common, help="delete a selection set")
    delete.add_argument("name", metavar="NAME")
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


def cmd_sets(lib: Library, args: argparse.Namespace) -> int:
    current = lib.current_set()
    sets = lib.selection_sets()
    if args.json:
        print_json([{"name": n, "count": c, "current": n == current} for n, c in sets])
        return 0
    for name, count in sets:
        mark = "*" if name == current else " "
        console().print(plain(f"{mark} {name}  ({count} quote{'' if count == 1 else 's'})"))
    return 0


def _said(args: argparse.Namespace, name: str, what: str) -> int:
    if args.json:
        print_json({"name": name})
    else:
        console().print(plain(f"{what} {name!r}"))
    return 0


def cmd_set_use(lib: Library, args: argparse.Namespace) -> int:
    return _said(args, lib.use_set(args.name), "current set:")


def cmd_set_new(lib: Library, args: argparse.Namespace) -> int:
    return _said(args, lib.create_set(args.name), "made the current set:")


def cmd_set_rename(lib: Library, args: argparse.Namespace) -> int:
    return _said(args, lib.rename_set(args.old, args.new), "renamed to")


def cmd_set_delete(lib: Library, args: argparse.Namespace) -> int:
    return _said(args, lib.delete_set(args.name), "deleted the set")


HANDLERS = {
    "selection": cmd_selection,
    "sets": cmd_sets,
    "set-use": cmd_set_use,
    "set-new": cmd_set_new,
    "set-rename": cmd_set_rename,
    "set-delete": cmd_set_delete,
}
