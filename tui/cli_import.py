"""``newsbrowse import``: its arguments checked before the store opens, a progress bar,
then a table of its files (or counts by outcome for a large import), and each file
that needs attention named on stderr.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from typing import Any

from newsbrowse.store.errors import BadInput, StoreLocked
from newsbrowse.store.library import ImportResult, Library
from newsbrowse.store.meta_fields import check_date, check_url, tidy_field
from newsbrowse.store.model import ArticleMeta
from newsbrowse.tui.cli_output import (
    PROG,
    console,
    id_column,
    one_line,
    plain,
    print_json,
    progress_reporter,
    table,
)
from rich.text import Text

IMPORT_TABLE_ROWS = 50
"""An import of more files prints counts by outcome, not a table row per file."""

# What to do about a file the import skipped, by the start of its reason (last: fallback).
IMPORT_HINTS: tuple[tuple[str, str], ...] = (
    ("no such file", "; check the path"),
    ("empty file", "; it holds no text, leave it out"),
    ("folder holds no files", "; import a folder of .txt, .md or .html files"),
    ("too large", "; split it into articles"),
    ("no article text found", "; is it an article's page?"),
    ("cannot fetch it", "; check the address, or save the page and import the file"),
    ("not an RSS or Atom feed", "; import the feed's pages instead"),
    ("", "; import UTF-8 text files, saved web pages, or folders of them"),
)
NOT_PROBLEMS = ("duplicate", "unsupported type")
"""Skips that need nothing done: a file stored already, a file of another kind that a
folder holds beside the articles (each is still named in the table and its title)."""
SHORT_KINDS: tuple[tuple[str, str], ...] = (
    ("duplicate", "duplicate"),
    ("unsupported type", "unsupported"),
    ("empty", "empty"),
    ("binary", "binary"),
    ("too large", "too large"),
    ("not valid", "not UTF-8"),
    ("not UTF-8", "not UTF-8"),
    ("looks like UTF-16", "not UTF-8"),
    ("no article text", "no article text"),
    ("cannot fetch it", "not fetched"),
)
NAMED_IN_TITLE = 3
"""Files of one kind of skip named in the title line; more are counted."""
IMPORT_KEY = "i"
"""The app's key for an import: the app holds the store while open, so an import is
made there, and the CLI refused says so."""


def add_import_parser(sub: Any, common: list[argparse.ArgumentParser]) -> None:
    """``newsbrowse import``'s arguments, beside the command they are for."""
    imp = sub.add_parser(
        "import", parents=common, help="import text files, saved pages, feeds, folders, URLs"
    )
    imp.add_argument(
        "paths", nargs="+", metavar="PATH", help="a text file (.txt, .md), a saved page "
        "(.html, .htm), a feed (.xml, .rss), a folder, or an http(s) address"
    )  # fmt: skip
    imp.add_argument(
        "--jobs",
        type=int,
        metavar="N",
        help="processes that analyse the files (default: one per core; 1: this one only)",
    )
    imp.add_argument("--source", metavar="NAME", help="the article's source (one file only)")
    imp.add_argument("--url", metavar="URL", help="the article's URL (one file only)")
    imp.add_argument("--date", metavar="YYYY-MM-DD", help="its publication date (one file only)")


def check_import(args: argparse.Namespace) -> None:
    """Refuse an import's bad arguments before the store is opened; ``args.meta`` is the
    metadata given for a single file."""
    from newsbrowse.store.parallel import available_cores

    args.meta = import_meta(args)
    if "" in args.paths:
        raise BadInput("cannot import '': an empty path names no file; give a file or folder")
    cores = available_cores()
    if args.jobs is not None and not 1 <= args.jobs <= cores:
        raise BadInput(
            f"--jobs must be between 1 and {cores} (the cores this process may use), "
            f"not {args.jobs}"
        )


def held_by_app(exc: StoreLocked, command: str | None) -> StoreLocked:
    """An import refused because the app holds the store is pointed to the app's key."""
    if not exc.by_app or command != "import":
        return exc
    advice = f"import from the app with `{IMPORT_KEY}`, or close it and try again"
    return StoreLocked(f"{exc.in_use}; {advice}", in_use=exc.in_use, by_app=True)


def import_meta(args: argparse.Namespace) -> ArticleMeta | None:
    """``--source``, ``--url`` and ``--date`` checked; refused for more than one file, since
    every article would be cited with one file's source."""
    given = [f"--{name}" for name in ("source", "url", "date") if getattr(args, name, None)]
    if not given:
        return None
    if len(args.paths) > 1 or any(os.path.isdir(p) for p in args.paths):
        verb = "is" if len(given) == 1 else "are"
        raise BadInput(f"{' and '.join(given)} {verb} for one file: import that file alone")
    source = tidy_field(args.source) if args.source else None
    if args.source and source is None:
        raise BadInput("--source is blank; give the article's source")
    return ArticleMeta(
        source=source,
        url=check_url(args.url) if args.url else None,
        date=check_date(args.date) if args.date else None,
        date_basis="stated" if args.date else None,
    )


def cmd_import(lib: Library, args: argparse.Namespace) -> int:
    report, stop = progress_reporter()
    try:
        results = lib.import_paths(
            args.paths, progress=report, jobs=args.jobs, meta=getattr(args, "meta", None)
        )
    finally:
        stop()
    if args.json:
        print_json([r.to_dict() for r in results])
    else:
        print_import_table(results)
    problems = [p for p in map(import_problem, results) if p]
    for line in problems:
        sys.stderr.write(line + "\n")
    return BadInput.exit_code if problems else 0


def import_problem(result: ImportResult) -> str | None:
    """The one-line error for a file that was skipped for a reason other than duplication."""
    reason = result.skipped
    if reason is None or reason.startswith(NOT_PROBLEMS):
        return None
    hint = next((h for start, h in IMPORT_HINTS if reason.startswith(start)), IMPORT_HINTS[-1][1])
    return one_line(f"{PROG}: cannot import {result.path}: {reason}{'' if ';' in reason else hint}")


def import_title(results: list[ImportResult]) -> str:
    """The title line, each kind of skip with the names of its first files: "3 imported,
    2 skipped (1 unsupported: page.pdf; 1 empty: notes.txt)"."""
    imported = sum(r.id is not None for r in results)
    title = f"{imported} imported, {len(results) - imported} skipped"
    names: dict[str, list[str]] = {}
    for r in results:
        if r.skipped is not None:
            names.setdefault(short_kind(r.skipped), []).append(os.path.basename(r.path) or r.path)
    kinds = []
    for kind, files in names.items():
        shown = ", ".join(files[:NAMED_IN_TITLE])
        more = f" and {len(files) - NAMED_IN_TITLE} more" if len(files) > NAMED_IN_TITLE else ""
        kinds.append(f"{len(files)} {kind}: {shown}{more}")
    return title + (f" ({'; '.join(kinds)})" if kinds else "")


def short_kind(reason: str) -> str:
    """A skip reason in a word or two: duplicate, unsupported, empty, binary, too large..."""
    short = (short for start, short in SHORT_KINDS if reason.startswith(start))
    return next(short, skip_kind(reason))


def print_import_table(results: list[ImportResult]) -> None:
    title = import_title(results)
    if len(results) > IMPORT_TABLE_ROWS:
        print_import_summary(results, title)
        return
    shown = table(title=title)
    shown.add_column("file", overflow="fold")
    id_column(shown, "id", 12)
    shown.add_column("title or reason", ratio=1)
    for r in results:
        if r.id is not None:
            shown.add_row(plain(r.path), plain(r.id), plain(r.title))
        else:
            shown.add_row(plain(r.path), "", plain(f"skipped: {r.skipped}", "yellow"))
    console().print(shown)


def print_import_summary(results: list[ImportResult], title: str) -> None:
    """A large import's outcome by kind, not a row per file: 10,000 rows took 3 s to draw
    and scrolled away; files that need attention are also named on stderr, one line each."""
    out = console()
    out.print(Text(title, style="bold"))
    kinds = Counter(skip_kind(r.skipped) for r in results if r.skipped is not None)
    for kind, count in kinds.most_common():
        out.print(Text(f"  {count} skipped: {kind}"))
    out.print(Text("`newsbrowse import --json PATH` lists every file with its id or reason.",
                   style="dim"))  # fmt: skip


def skip_kind(reason: str) -> str:
    """A skip reason without what is particular to its file (an article id, a size)."""
    if reason.startswith("duplicate"):
        return "duplicate of an article already stored"
    for cut in (" (", ";", ":"):
        reason = reason.split(cut, 1)[0]
    return reason
