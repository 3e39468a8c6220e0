"""``newsbrowse import``: its arguments checked before the store opens, a progress bar,
then a table of its files (or counts by outcome for a large import), and each file
that needs attention named on stderr.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter

from newsbrowse.store.errors import BadInput
from newsbrowse.store.library import ImportResult, Library
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
    ("folder holds no text files", "; import a folder of .txt or .md files"),
    ("too large", "; split it into articles"),
    ("", "; import UTF-8 plain-text files or folders of them"),
)


def check_import(args: argparse.Namespace) -> None:
    """Refuse an import's bad arguments before the store is opened."""
    from newsbrowse.store.parallel import available_cores

    if "" in args.paths:
        raise BadInput("cannot import '': an empty path names no file; give a file or folder")
    cores = available_cores()
    if args.jobs is not None and not 1 <= args.jobs <= cores:
        raise BadInput(
            f"--jobs must be between 1 and {cores} (the cores this process may use), "
            f"not {args.jobs}"
        )


def cmd_import(lib: Library, args: argparse.Namespace) -> int:
    report, stop = progress_reporter()
    try:
        results = lib.import_paths(args.paths, progress=report, jobs=args.jobs)
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
    if reason is None or reason.startswith("duplicate"):
        return None
    hint = next((h for start, h in IMPORT_HINTS if reason.startswith(start)), IMPORT_HINTS[-1][1])
    return one_line(f"{PROG}: cannot import {result.path}: {reason}{'' if ';' in reason else hint}")


def print_import_table(results: list[ImportResult]) -> None:
    imported = sum(r.id is not None for r in results)
    title = f"{imported} imported, {len(results) - imported} skipped"
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
