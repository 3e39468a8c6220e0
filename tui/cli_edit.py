"""``newsbrowse edit``: an article's title, source, URL, date or author set by the user.

The edit is a correction in ``user.json`` (:mod:`newsbrowse.store.meta_edits`), written
under the home's lock like every other correction; every check is the store's (the
import's ``--url`` and ``--date`` checks), so a bad value is one line, exit 2, and
nothing is written. ``corrections`` lists it and ``undo`` reverts it.
"""

from __future__ import annotations

import argparse
from typing import Any

from newsbrowse.store.errors import BadInput
from newsbrowse.store.library import Library
from newsbrowse.store.meta_edits import CLEARABLE, FIELDS, describe
from newsbrowse.tui.cli_output import console, plain, print_json

COMMAND = "edit"
_HELP = {
    "title": "the article's title",
    "source": "who published it",
    "url": "the web address to cite (http or https)",
    "date": "the day it was published, YYYY-MM-DD (its basis: stated)",
    "author": "who wrote it",
}


def add_parser(sub: Any, common: list[argparse.ArgumentParser]) -> None:
    """The ``edit`` subcommand's parser: one option per field, ``--clear-FIELD`` to clear."""
    edit = sub.add_parser(
        COMMAND,
        parents=common,
        help="edit an article's title, source, URL, date or author",
        description="Set an article's title, source, URL, date or author where the file "
        "had it wrong or missing. Kept in user.json (the corpus keeps what the file said), "
        "shown in the list, the reader and every export; an empty value or --clear-FIELD "
        "clears a field; `newsbrowse undo` reverts the edit.",
    )
    edit.add_argument("article_id", metavar="ARTICLE_ID", help="an id or its first characters")
    for name in FIELDS:
        edit.add_argument(f"--{name}", metavar=name.upper(), help=_HELP[name])
    for name in FIELDS:
        if name in CLEARABLE:
            edit.add_argument(f"--clear-{name}", action="store_true", help=f"clear the {name}")


def cmd_edit(lib: Library, args: argparse.Namespace) -> int:
    given: dict[str, str | None] = {name: getattr(args, name) for name in FIELDS}
    for name in CLEARABLE:
        if getattr(args, f"clear_{name}"):
            if given[name] is not None:
                raise BadInput(f"give --{name} or --clear-{name}, not both")
            given[name] = ""
    c = lib.edit_meta(args.article_id, **given)
    if args.json:
        print_json(c.to_dict())
    else:
        console().print(plain(f"{c.id} {c.target}: {describe(c)}"))
    return 0
