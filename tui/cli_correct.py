"""The analyst's last word on the command line: ``correct``, ``correct-link``,
``add-quote``, ``note``, ``corrections`` and ``undo``.

They write ``user.json`` only (never the corpus), under the home's lock like an import;
every check is the store's (:mod:`newsbrowse.store.correcting`), so a wrong id, side,
demand or span is one line, exit 2, and nothing is written.
"""

from __future__ import annotations

import argparse
from typing import Any

from newsbrowse.store import meta_edits
from newsbrowse.store.correcting import Row
from newsbrowse.store.corrections import Correction
from newsbrowse.store.labels import side_label, speaker_label
from newsbrowse.store.library import Library
from newsbrowse.store.model import STANCES
from newsbrowse.tui.cli_output import console, id_column, plain, print_json, table
from rich.text import Text

COMMANDS = ("correct", "correct-link", "add-quote", "add-link", "note", "corrections", "undo")
WRITING = frozenset(COMMANDS) - {"corrections"}


def add_parsers(sub: Any, common: list[argparse.ArgumentParser], side_help: str) -> None:
    """The subcommands' parsers (``side_help``: the sides ``--side`` takes)."""
    correct = sub.add_parser(
        "correct",
        parents=common,
        help="correct a quote: its speaker and/or side, not a quote, or checked",
        description="Correct a quote the analysis found (or one you added): give its "
        "speaker and/or side, or say it is not a quote, or that you checked it against the "
        "source. Kept in user.json, applied wherever the quote is shown; `undo` reverts.",
    )
    correct.add_argument("quote_id", metavar="QUOTE_ID")
    correct.add_argument("--speaker", metavar="NAME", help="who said it (any name)")
    correct.add_argument("--side", metavar="SIDE", help=side_help)
    correct.add_argument("--not-quote", action="store_true", help="it is no quote")
    correct.add_argument("--checked", action="store_true", help="checked against the source")

    link = sub.add_parser("correct-link", parents=common, help="correct or remove a link")
    link.add_argument("link_id", metavar="LINK_ID")
    link.add_argument("--demand", metavar="SLUG", help="the demand it is about")
    link.add_argument("--side", metavar="SIDE", help=side_help)
    link.add_argument("--stance", metavar="STANCE", help=f"one of: {', '.join(STANCES)}")
    link.add_argument("--remove", action="store_true", help="the link is wrong")

    add = sub.add_parser("add-quote", parents=common, help="add a quote the analysis missed")
    add.add_argument("article_id", metavar="ARTICLE_ID")
    add.add_argument("start", type=int, metavar="START", help="offset of its first character")
    add.add_argument("end", type=int, metavar="END", help="offset after its last character")
    add.add_argument("--speaker", metavar="NAME", help="who said it (omit: unknown speaker)")
    add.add_argument("--side", metavar="SIDE", required=True, help=side_help)

    added = sub.add_parser("add-link", parents=common, help="tie a sentence to a demand")
    added.add_argument("article_id", metavar="ARTICLE_ID")
    added.add_argument("start", type=int, metavar="START", help="offset of its first character")
    added.add_argument("end", type=int, metavar="END", help="offset after its last character")
    added.add_argument("--demand", metavar="SLUG", required=True, help="the demand")
    added.add_argument("--side", metavar="SIDE", required=True, help=side_help)
    added.add_argument("--stance", metavar="STANCE", help=f"one of: {', '.join(STANCES)}")

    note = sub.add_parser("note", parents=common, help="note on a quote or link")
    note.add_argument("mark_id", metavar="ID", help="a quote's or a link's id")
    note.add_argument("text", nargs="+", metavar="TEXT")

    sub.add_parser("corrections", parents=common, help="your corrections and their status")
    undo = sub.add_parser("undo", parents=common, help="undo a correction")
    undo.add_argument("correction_id", metavar="CORRECTION_ID", help="e.g. c3")


def describe(lib: Library, c: Correction) -> str:
    """A correction in a few words: what it changes."""
    sides = lib.codebook.sides
    parts = []
    if c.kind == "added_quote":
        parts.append(f"added quote by {speaker_label(c.speaker)}")
    elif c.kind == "added_link":
        parts.append("added link")
    elif c.speaker is not None:
        parts.append(f"speaker {c.speaker}")
    if c.side is not None:
        parts.append(f"side {side_label(c.side, sides)}")
    if c.demand is not None:
        parts.append(f"demand {c.demand}")
    if c.stance is not None:
        parts.append(f"stance {c.stance}")
    fixed = {"not_quote": "not a quote", "checked": "checked", "link_removed": "link removed"}
    if c.kind in fixed:
        parts.append(fixed[c.kind])
    if c.kind == "note":
        parts.append(f"note: {c.note}")
    if c.kind == "meta":
        parts.append(meta_edits.describe(c))
    return ", ".join(parts)


def _done(lib: Library, args: argparse.Namespace, c: Correction, verb: str = "") -> int:
    if args.json:
        print_json(c.to_dict())
    else:
        console().print(plain(f"{c.id} {verb}{c.target}: {describe(lib, c)}"))
    return 0


def cmd_correct(lib: Library, args: argparse.Namespace) -> int:
    c = lib.correct_quote(
        args.quote_id,
        speaker=args.speaker,
        side=args.side,
        not_quote=args.not_quote,
        checked=args.checked,
    )
    return _done(lib, args, c)


def cmd_correct_link(lib: Library, args: argparse.Namespace) -> int:
    change = {"demand": args.demand, "side": args.side, "stance": args.stance}
    return _done(lib, args, lib.correct_link(args.link_id, remove=args.remove, **change))


def cmd_add_quote(lib: Library, args: argparse.Namespace) -> int:
    c = lib.add_quote(args.article_id, args.start, args.end, speaker=args.speaker, side=args.side)
    return _done(lib, args, c)


def cmd_add_link(lib: Library, args: argparse.Namespace) -> int:
    link = {"demand": args.demand, "side": args.side, "stance": args.stance}
    return _done(lib, args, lib.add_link(args.article_id, args.start, args.end, **link))


def cmd_note(lib: Library, args: argparse.Namespace) -> int:
    return _done(lib, args, lib.add_note(args.mark_id, " ".join(args.text)))


def cmd_undo(lib: Library, args: argparse.Namespace) -> int:
    return _done(lib, args, lib.undo_correction(args.correction_id), "undone, ")


def cmd_corrections(lib: Library, args: argparse.Namespace) -> int:
    rows = lib.corrections()
    if args.json:
        print_json([r.to_dict() for r in rows])
        return 0
    out = console()
    if not rows:
        out.print("No corrections; `newsbrowse correct --help` says how to make one.")
        return 0
    out.print(_table(lib, rows))
    return 0


def _table(lib: Library, rows: list[Row]) -> Any:
    shown = table(title=f"{len(rows)} corrections")
    id_column(shown, "id", max(len(r.correction.id) for r in rows))
    id_column(shown, "on", max(len(r.correction.target) for r in rows))
    shown.add_column("change", ratio=1)
    shown.add_column("words", ratio=1)
    shown.add_column("status")
    for r in rows:
        c = r.correction
        words = c.text if len(c.text) <= 60 else c.text[:59] + "…"
        ok = r.status == "applied"
        shown.add_row(
            plain(c.id),
            plain(c.target),
            plain(describe(lib, c)),
            plain(words, "dim"),
            Text(r.status, style="green" if ok else "bold yellow"),
        )
    return shown


HANDLERS = {
    "correct": cmd_correct,
    "correct-link": cmd_correct_link,
    "add-quote": cmd_add_quote,
    "add-link": cmd_add_link,
    "note": cmd_note,
    "corrections": cmd_corrections,
    "undo": cmd_undo,
}
