"""The ``newsbrowse`` command: the app when bare, a scriptable CLI with subcommands.

Subcommands never import Textual (they stay fast); every error a user can cause ends as
one line on stderr and a non-zero exit status, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from newsbrowse.store.errors import BadInput, NewsbrowseError, StoreWriteFailed
from newsbrowse.store.export import FORMATS, export_text, write_export
from newsbrowse.store.library import ImportResult, Library
from newsbrowse.store.lock import HomeLock
from newsbrowse.store.model import SIDES, STANCE_SYMBOLS, Article, ArticleSummary, Link, Quote
from newsbrowse.store.paths import default_home, ensure_home, home_path
from newsbrowse.store.recover import recover_home
from newsbrowse.store.staleness import STALE_NOTE, is_stale
from rich.console import Console
from rich.text import Text

if TYPE_CHECKING:
    from rich.table import Table

PROG = "newsbrowse"
SIDE_STYLES = {"russia": "red", "us_nato": "blue", "other": "green", "unknown": "dim"}
STANCE_MARKS = {stance: f"{symbol} {stance}" for stance, symbol in STANCE_SYMBOLS.items()}
DEMAND_MARK = "▶ demands"
PROGRESS_MIN_FILES = 4
# An index this many articles behind the store is brought up to it with a progress bar.
INDEX_NOTICE_ARTICLES = 1000
# An import of more files prints counts by outcome, not a table row per file.
IMPORT_TABLE_ROWS = 50
PIPE_WIDTH = 160
# What to do about a file the import skipped, by the start of its reason (last: fallback).
IMPORT_HINTS: tuple[tuple[str, str], ...] = (
    ("no such file", "; check the path"),
    ("empty file", "; it holds no text, leave it out"),
    ("folder holds no text files", "; import a folder of .txt or .md files"),
    ("too large", "; split it into articles"),
    ("", "; import UTF-8 plain-text files or folders of them"),
)
# Commands that write the store hold the home's lock; the others read without it (every
# store file is replaced atomically), so they work while the app is open.
WRITE_COMMANDS = frozenset({"import", "reset", "recover", "reanalyse"})
# Commands that first set damaged store files aside and restore their last good copies.
REPAIR_COMMANDS = frozenset({"reset", "recover"})
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141
# Characters that would break a one-line message (or act on a terminal): shown escaped.
_LINE_BREAKERS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def one_line(text: str) -> str:
    """``text`` on one line: a newline or control character in a file name is shown as
    its escape (``\\n``), so that every message stays the single line a script expects."""
    return _LINE_BREAKERS.sub(lambda m: repr(m.group())[1:-1], text)


class OutputFailed(NewsbrowseError):
    """Standard output refused the command's output (a full disk, /dev/full, I/O error)."""

    exit_code = StoreWriteFailed.exit_code


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version  # only for --version

    try:
        return version("newsbrowse")
    except PackageNotFoundError:
        return "unknown"


class _VersionAction(argparse.Action):
    """``--version``, looking the version up only when asked (importlib.metadata is slow)."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS,
                 default: str = argparse.SUPPRESS, help: str | None = None) -> None:  # fmt: skip
        super().__init__(option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        sys.stdout.write(f"{PROG} {_version()}\n")
        parser.exit()


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line, like every other newsbrowse error."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{PROG}: error: {one_line(message)}; see `{self.prog} --help`\n")


def _common_options(with_defaults: bool) -> argparse.ArgumentParser:
    """``--home`` and ``--json``, accepted before and after the subcommand.

    The subcommand's copy has no defaults, so it never overwrites a value given before it.
    """
    parent = argparse.ArgumentParser(add_help=False)
    home_default = None if with_defaults else argparse.SUPPRESS
    json_default = False if with_defaults else argparse.SUPPRESS
    parent.add_argument(
        "--home",
        metavar="DIR",
        default=home_default,
        help="the newsbrowse home folder (default: $NEWSBROWSE_HOME or the user data folder)",
    )
    parent.add_argument(
        "--json", action="store_true", default=json_default, help="print JSON for scripts"
    )
    return parent


def build_parser() -> argparse.ArgumentParser:
    """The whole command line; ``newsbrowse --help`` and each ``COMMAND --help`` show it."""
    parser = _Parser(
        prog=PROG,
        description="Read news on Russia's 2021-22 security-guarantee demands and pull "
        "exact, attributed quotes. Without a command, opens the terminal app.",
        parents=[_common_options(True)],
    )
    parser.add_argument(
        "--version", action=_VersionAction, help="show program's version number and exit"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    common = [_common_options(False)]

    sub.add_parser("list", parents=common, help="the articles, oldest first")
    show = sub.add_parser("show", parents=common, help="one article: body, quotes, links")
    show.add_argument("id", metavar="ID", help="an article id (or a unique prefix of 4+ chars)")

    quotes = sub.add_parser("quotes", parents=common, help="quotes with speakers and offsets")
    quotes.add_argument("--article", metavar="ID", help="only this article's quotes")
    quotes.add_argument("--speaker", metavar="NAME", help="a name or alias, e.g. putin")
    quotes.add_argument("--side", metavar="SIDE", help=f"one of {', '.join(SIDES)}")
    quotes.add_argument("--demand", metavar="SLUG", help="quotes linked to this demand")

    links = sub.add_parser("links", parents=common, help="demand links grouped by demand")
    links.add_argument("--demand", metavar="SLUG", help="only this demand")
    links.add_argument("--side", metavar="SIDE", help=f"one of {', '.join(SIDES)}")

    search = sub.add_parser("search", parents=common, help="ranked search over text and quotes")
    search.add_argument(
        "query",
        nargs="+",
        metavar="QUERY",
        help='words (prefixes match), "a phrase", speaker:NAME, side:SIDE, demand:SLUG',
    )
    search.add_argument("--limit", type=int, default=50, help="at most this many hits")

    imp = sub.add_parser("import", parents=common, help="import plain-text files or folders")
    imp.add_argument("paths", nargs="+", metavar="PATH", help="a UTF-8 text file or a folder")
    imp.add_argument(
        "--jobs",
        type=int,
        metavar="N",
        help="processes that analyse the files (default: one per core; 1: this one only)",
    )

    export = sub.add_parser(
        "export",
        parents=common,
        help="export quotes with citations",
        description="Export quotes with speaker, side, article, source, date and a citation. "
        "--quote and --selected choose quotes (default: all); --demand keeps those linked "
        "to a demand.",
    )
    export.add_argument("--format", choices=FORMATS, help="md (default), csv or json")
    export.add_argument(
        "--quote", metavar="ID", nargs="+", action="extend", default=[], help="quote ids"
    )
    export.add_argument("--selected", action="store_true", help="the quotes selected in the app")
    export.add_argument("--demand", metavar="SLUG", help="only quotes linked to this demand")
    export.add_argument("-o", "--output", metavar="FILE", type=Path, help="write to FILE")
    export.add_argument("--force", action="store_true", help="replace FILE if it exists")

    _reanalyse_parser(sub, common)
    reset = sub.add_parser(
        "reset",
        parents=common,
        help="rebuild the store from the fixtures, removing every imported article",
        description="Replace the store with the fixture articles, analysed again with the "
        "current rules. Every imported article is removed (importing its file again "
        "restores it): reset first says how many, and asks unless --yes. The selection "
        "and read marks are kept. To apply a new pipeline or edited rules files while "
        "keeping the imported articles, run `newsbrowse reanalyse` instead.",
    )
    reset.add_argument(
        "--yes", action="store_true", help="do not ask (the imported articles are removed)"
    )
    sub.add_parser(
        "recover",
        parents=common,
        help="repair a damaged store",
        description="Set each damaged store file aside (NAME.damaged-DATE-TIME): user.json "
        "is restored from its last good copy (NAME.bak), meta.json rebuilt from the chunk "
        "files; a damaged chunk leaves the corpus, and the message says how many articles "
        "it held. Every file is read first: one that cannot be read (permissions, I/O "
        "error) stops it before anything is changed.",
    )
    return parser


def _reanalyse_parser(sub: Any, common: list[argparse.ArgumentParser]) -> None:
    reanalyse = sub.add_parser(
        "reanalyse",
        parents=common,
        help="analyse every stored article again, keeping the articles and selection",
        description="Analyse every stored article again (imported ones and the fixtures) "
        "with this newsbrowse's pipeline and the rules files in the home: after an upgrade, "
        "or after editing a rules file. Every article is kept with its text, id and source "
        "hash; the selection and read marks are kept. A selected quote the new analysis no "
        "longer finds is named, and stays in the selection, shown as missing. Says what "
        "changed; asks first unless --yes.",
    )
    reanalyse.add_argument("--yes", action="store_true", help="do not ask")


# output helpers ------------------------------------------------------------------------
def _console(stderr: bool = False) -> Console:
    """A console that never styles by guesswork; piped output gets room for whole titles."""
    console = Console(stderr=stderr, highlight=False)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console.width = PIPE_WIDTH
    return console


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    sys.stdout.flush()


def _plain(value: object, style: str = "") -> Text:
    """Text from the store, never read as markup (titles like ``[bold]x[/]`` stay literal)."""
    return Text("" if value is None else str(value), style=style)


def _date(summary: ArticleSummary | Article) -> Text:
    if not summary.date:
        return Text("undated", style="dim")
    if summary.date_basis == "stated":
        return Text(summary.date)
    return Text.assemble(summary.date, (f" ~{summary.date_basis}", "italic dim"))


def _side(side: str) -> Text:
    return Text(side, style=SIDE_STYLES.get(side, ""))


def _stance(link: Link) -> Text:
    if link.stance is None:
        return Text(DEMAND_MARK, style=SIDE_STYLES.get(link.side, ""))
    return Text(STANCE_MARKS.get(link.stance, link.stance))


def _speaker(quote: Quote) -> Text:
    return Text(quote.speaker) if quote.speaker else Text("unknown speaker", style="italic dim")


def _table(**options: Any) -> Table:
    """A rich table (rich.table is imported only by the commands that print one)."""
    from rich.table import Table

    return Table(**options)


def _id_column(table: Table, name: str, width: int) -> None:
    table.add_column(name, no_wrap=True, min_width=width, style="cyan")


# commands ------------------------------------------------------------------------------
def cmd_list(lib: Library, args: argparse.Namespace) -> int:
    summaries = lib.articles()
    if args.json:
        _print_json([s.to_dict() for s in summaries])
        return 0
    out = _console()
    if not summaries:
        out.print("The store holds no articles; `newsbrowse import PATH` adds some.")
        return 0
    table = _table(title=f"{len(summaries)} articles", title_justify="left")
    _id_column(table, "id", max(len(s.id) for s in summaries))
    table.add_column("date", min_width=10)
    table.add_column("title", ratio=1, min_width=16)
    table.add_column("source")
    for name in ("words", "quotes", "links"):
        table.add_column(name, justify="right", no_wrap=True, min_width=len(name))
    for s in summaries:
        table.add_row(
            _plain(s.id),
            _date(s),
            _plain(s.title),
            _plain(s.source or "—"),
            str(s.words),
            str(s.quote_count),
            str(s.link_count),
        )
    out.print(table)
    return 0


def _highlighted_body(art: Article) -> Text:
    body = Text(art.body)
    for sq in art.scare_quotes:
        body.stylize("italic", sq.start, sq.end)
    for q in art.quotes:
        body.stylize(f"bold {SIDE_STYLES.get(q.side, '')}", q.start, q.end)
    return body


def cmd_show(lib: Library, args: argparse.Namespace) -> int:
    art = lib.article(args.id)
    if args.json:
        _print_json(art.to_dict())
        return 0
    out = _console()
    out.print(Text(art.title, style="bold"))
    meta = Text.assemble(
        ("id ", "dim"), (art.id, "cyan"), ("  ", ""), _date(art), ("  ", ""), (f"{art.words} words")
    )
    if art.source:
        meta.append(f"  {art.source}")
    if art.url:
        meta.append(f"  {art.url}")
    out.print(meta)
    out.print()
    out.print(_highlighted_body(art))
    out.print()
    _print_quotes(out, art.quotes, f"{len(art.quotes)} quotes")
    _print_links(out, lib, art.links)
    if art.removed:
        out.print(Text(f"{len(art.removed)} lines removed as web junk:", style="dim"))
        for line in art.removed:
            out.print(Text(f"  - {line}", style="dim"))
    return 0


def _print_quotes(out: Console, quotes: list[Quote], title: str) -> None:
    if not quotes:
        out.print("No quotes.")
        return
    table = _table(title=title, title_justify="left")
    _id_column(table, "id", max(len(q.id) for q in quotes))
    table.add_column("speaker")
    table.add_column("side", no_wrap=True)
    table.add_column("quote", ratio=1)
    table.add_column("offsets", no_wrap=True, justify="right")
    for q in quotes:
        table.add_row(
            _plain(q.id), _speaker(q), _side(q.side), _plain(q.text), f"{q.start}-{q.end}"
        )
    out.print(table)


def cmd_quotes(lib: Library, args: argparse.Namespace) -> int:
    quotes = lib.quotes(
        article=args.article, speaker=args.speaker, side=args.side, demand=args.demand
    )
    if args.json:
        _print_json([q.to_dict() for q in quotes])
        return 0
    _print_quotes(_console(), quotes, f"{len(quotes)} quotes")
    return 0


def _print_links(out: Console, lib: Library, links: list[Link], only: str | None = None) -> None:
    by_demand: dict[str, list[Link]] = {}
    for link in links:
        by_demand.setdefault(link.demand, []).append(link)
    slugs = [only] if only else [s for s in lib.codebook.slugs if s in by_demand or not links]
    if not links:
        out.print("No links" + (f" for demand {only}." if only else "."))
        return
    for slug in slugs:
        demand = lib.codebook.demand(slug)
        title = Text.assemble((slug, "bold"), " — ", demand.title if demand else "")
        table = _table(title=title, title_justify="left", show_header=True)
        table.add_column("side", no_wrap=True)
        table.add_column("stance", no_wrap=True)
        _id_column(table, "article", 12)
        table.add_column("evidence", ratio=1)
        table.add_column("offsets", no_wrap=True, justify="right")
        for link in by_demand.get(slug, []):
            table.add_row(
                _side(link.side),
                _stance(link),
                _plain(link.article_id),
                _plain(link.evidence),
                f"{link.start}-{link.end}",
            )
        out.print(table)
    silent = [s for s in lib.codebook.slugs if s not in by_demand]
    if silent and not only:
        out.print(Text(f"No links yet for: {', '.join(silent)}", style="dim"))


def cmd_links(lib: Library, args: argparse.Namespace) -> int:
    links = lib.links(demand=args.demand, side=args.side)
    if args.json:
        _print_json([lk.to_dict() for lk in links])
        return 0
    _print_links(_console(), lib, links, only=args.demand)
    return 0


def cmd_search(lib: Library, args: argparse.Namespace) -> int:
    if args.limit < 1:
        raise BadInput(f"--limit must be at least 1, not {args.limit}")
    hits = lib.search(" ".join(args.query), limit=args.limit)
    if args.json:
        _print_json([h.to_dict() for h in hits])
        return 0
    out = _console()
    if not hits:
        out.print("No hits.")
        return 0
    table = _table(title=f"{len(hits)} hits", title_justify="left")
    table.add_column("#", justify="right")
    table.add_column("kind")
    _id_column(table, "article", 12)
    table.add_column("title", ratio=1)
    table.add_column("speaker")
    table.add_column("snippet", ratio=2)
    table.add_column("offsets", no_wrap=True, justify="right")
    for n, hit in enumerate(hits, start=1):
        snippet = Text(hit.snippet)
        for lo, hi in hit.snippet_matches:
            snippet.stylize("bold reverse", lo, hi)
        table.add_row(
            str(n),
            hit.kind,
            _plain(hit.article_id),
            _plain(hit.title),
            _plain(hit.speaker or ""),
            snippet,
            f"{hit.start}-{hit.end}",
        )
    out.print(table)
    return 0


def _progress_reporter(
    doing: str = "importing", unit: str = "files", at_least: int = PROGRESS_MIN_FILES
) -> tuple[Callable[[int, int], None] | None, Callable[[], None]]:
    """A progress callback on a terminal (None elsewhere) and its closer: ``doing``, a
    bar, the count, the rate in ``unit``/s and the time left, for ``at_least`` items."""
    err = _console(stderr=True)
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

    progress = Progress(
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
            progress.start()
            task_id.append(progress.add_task(doing, total=total))
        progress.update(task_id[0], completed=done, total=total)

    return report, progress.stop


def _import_problem(result: ImportResult) -> str | None:
    """The one-line error for a file that was skipped for a reason other than duplication."""
    reason = result.skipped
    if reason is None or reason.startswith("duplicate"):
        return None
    hint = next((h for start, h in IMPORT_HINTS if reason.startswith(start)), IMPORT_HINTS[-1][1])
    return one_line(f"{PROG}: cannot import {result.path}: {reason}{'' if ';' in reason else hint}")


def _check_import(args: argparse.Namespace) -> None:
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
    report, stop = _progress_reporter()
    try:
        results = lib.import_paths(args.paths, progress=report, jobs=args.jobs)
    finally:
        stop()
    if args.json:
        _print_json([r.to_dict() for r in results])
    else:
        _print_import_table(results)
    problems = [p for p in map(_import_problem, results) if p]
    for line in problems:
        sys.stderr.write(line + "\n")
    return BadInput.exit_code if problems else 0


def _print_import_table(results: list[ImportResult]) -> None:
    out = _console()
    imported = sum(r.id is not None for r in results)
    title = f"{imported} imported, {len(results) - imported} skipped"
    if len(results) > IMPORT_TABLE_ROWS:
        _print_import_summary(results, title)
        return
    table = _table(title=title)
    table.title_justify = "left"
    table.add_column("file", overflow="fold")
    _id_column(table, "id", 12)
    table.add_column("title or reason", ratio=1)
    for r in results:
        if r.id is not None:
            table.add_row(_plain(r.path), _plain(r.id), _plain(r.title))
        else:
            table.add_row(_plain(r.path), "", _plain(f"skipped: {r.skipped}", "yellow"))
    out.print(table)


def _print_import_summary(results: list[ImportResult], title: str) -> None:
    """A large import's outcome by kind, not a row per file: 10,000 rows took 3 s to draw
    and scrolled away; files that need attention are also named on stderr, one line each."""
    out = _console()
    out.print(Text(title, style="bold"))
    kinds = Counter(_skip_kind(r.skipped) for r in results if r.skipped is not None)
    for kind, count in kinds.most_common():
        out.print(Text(f"  {count} skipped: {kind}"))
    out.print(Text("`newsbrowse import --json PATH` lists every file with its id or reason.",
                   style="dim"))  # fmt: skip


def _skip_kind(reason: str) -> str:
    """A skip reason without what is particular to its file (an article id, a size)."""
    if reason.startswith("duplicate"):
        return "duplicate of an article already stored"
    for cut in (" (", ";", ":"):
        reason = reason.split(cut, 1)[0]
    return reason


def _export_quotes(lib: Library, args: argparse.Namespace) -> list[Quote]:
    chosen: list[Quote] = [lib.quote(qid) for qid in args.quote]
    if args.selected:
        selected = lib.selected_quotes()
        _note_missing(lib)
        if not selected:
            raise BadInput("no quotes are selected; select some in the app or pass --quote ID")
        chosen += selected
    if not args.quote and not args.selected:
        chosen = lib.quotes()
    if args.demand:
        linked = {q.id for q in lib.quotes(demand=args.demand)}
        chosen = [q for q in chosen if q.id in linked]
    unique = list({q.id: q for q in chosen}.values())
    if not unique:
        what = f" linked to demand {args.demand}" if args.demand else ""
        raise BadInput(f"no quotes{what} to export; `newsbrowse quotes` lists them")
    return unique


def _note_missing(lib: Library) -> None:
    """Name on stderr the selected quotes a re-analysis no longer finds (left out)."""
    from newsbrowse.tui.reanalyse_cli import missing_note

    note = missing_note(lib)
    if note:
        sys.stderr.write(f"{PROG}: note: {one_line(note)}\n")


def _export_format(args: argparse.Namespace) -> str:
    if args.format:
        return args.format
    suffix = args.output.suffix.lstrip(".").lower() if args.output else ""
    return {"markdown": "md"}.get(suffix, suffix) if suffix in (*FORMATS, "markdown") else "md"


def cmd_export(lib: Library, args: argparse.Namespace) -> int:
    quotes = _export_quotes(lib, args)
    fmt = _export_format(args)
    text = export_text(lib, quotes, fmt)
    if args.output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return 0
    path = write_export(args.output, text, force=args.force)
    if args.json:
        _print_json({"path": str(path), "format": fmt, "count": len(quotes)})
    else:
        _console(stderr=True).print(Text(f"exported {len(quotes)} quotes to {path}"))
    return 0


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


def _confirm_reset(home: Path, args: argparse.Namespace) -> bool:
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

    if Confirm.ask(question, console=_console(stderr=True), default=False):
        return True
    _console(stderr=True).print("Nothing changed.")
    return False


def cmd_reset(lib: Library, args: argparse.Namespace) -> int:
    removed = lib.imported_count()
    results = lib.reset()
    if args.json:
        _print_json([r.to_dict() for r in results])
        return 0
    count = sum(r.id is not None for r in results)
    gone = (
        f"; {removed} imported article{'' if removed == 1 else 's'} were removed "
        "(importing their files again restores them)"
        if removed
        else ""
    )
    _console().print(Text(f"The store in {lib.home} now holds the {count} fixture articles{gone}."))
    return 0


def cmd_reanalyse(lib: Library, args: argparse.Namespace) -> int:
    from newsbrowse.tui.reanalyse_cli import cmd_reanalyse as run_it

    return run_it(lib, args)


def cmd_recover(lib: Library, args: argparse.Namespace) -> int:
    report: list[str] = args.repaired
    state = {"articles": lib.article_count(), "selected": len(lib.selected_ids())}
    if args.json:
        _print_json({"repaired": report, **state})
        return 0
    out = _console()
    for line in report or ["no damaged store files"]:
        out.print(Text(line))
    out.print(Text(f"The store holds {state['articles']} articles, {state['selected']} selected."))
    return 0


def launch_app(lib: Library, args: argparse.Namespace) -> int:
    """The bare command: the terminal app; the article list for --json, a pipe, or no app."""
    if args.json or not sys.stdout.isatty():
        return cmd_list(lib, args)
    try:
        from newsbrowse.tui.app import run_app
    except ModuleNotFoundError as exc:
        if exc.name != "newsbrowse.tui.app":
            raise
        return cmd_list(lib, args)
    lib.codebook  # noqa: B018 - a malformed codebook is a one-line error before the screen
    return run_app(lib)


COMMANDS: dict[str | None, Callable[[Library, argparse.Namespace], int]] = {
    None: launch_app,
    "list": cmd_list,
    "show": cmd_show,
    "quotes": cmd_quotes,
    "links": cmd_links,
    "search": cmd_search,
    "import": cmd_import,
    "export": cmd_export,
    "reset": cmd_reset,
    "recover": cmd_recover,
    "reanalyse": cmd_reanalyse,
}


def _writes(args: argparse.Namespace) -> bool:
    """Whether the command may write the store: the app does (selection, read marks)."""
    if args.command is None:
        return not args.json and sys.stdout.isatty()
    return args.command in WRITE_COMMANDS


def run(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` and run the command; NewsbrowseError passes up to :func:`main`."""
    args = build_parser().parse_args(argv)
    home = home_path(args.home) if args.home is not None else default_home()
    label = f"{PROG} {args.command or 'app'}"
    if args.command == "import":
        _check_import(args)
    if args.command == "reset" and not _confirm_reset(home, args):
        return 1
    if args.command == "reanalyse" and not _confirm_reanalyse(home, args):
        return 1
    lock = HomeLock(home)
    args.repaired = []
    if args.command in REPAIR_COMMANDS:
        ensure_home(home)
        lock.acquire(label)  # held until the library below holds it too
        args.repaired = recover_home(home)
    try:
        lib = Library.open(home, command=label, read_only=not _writes(args))
    finally:
        lock.release()
    try:
        if args.command not in ("reset", "reanalyse"):  # they replace what it would take in
            _update_index(lib)
        try:
            code = COMMANDS[args.command](lib, args)
            sys.stdout.flush()
        except OSError as exc:
            # Every store and export write names its file; one that does not is the output.
            if isinstance(exc, BrokenPipeError) or exc.filename is not None:
                raise
            raise OutputFailed(
                f"cannot write the output: {exc.strerror or exc}; nothing stored was changed "
                "(free some disk space or send the output elsewhere)"
            ) from None
        if lib.index_notice:
            sys.stderr.write(f"{PROG}: note: {one_line(lib.index_notice)}\n")
        if not (args.command is None and _writes(args)) and is_stale(lib.corpus, lib.home):
            sys.stderr.write(f"{PROG}: note: {STALE_NOTE}\n")  # the app asks instead
        return code
    finally:
        lib.close()


def _confirm_reanalyse(home: Path, args: argparse.Namespace) -> bool:
    from newsbrowse.tui.reanalyse_cli import confirm

    return confirm(home, args)


def _update_index(lib: Library) -> None:
    """Bring a missing or lagging search index up to the store before the command or the
    app, saying so: rebuilding 100,000 articles takes minutes, which must not look like a
    hang. A few articles to catch up on are done silently by the first query."""
    lag = lib.index_lag()
    if lag < INDEX_NOTICE_ARTICLES:
        return
    report, stop = _progress_reporter("indexing for search", "articles", INDEX_NOTICE_ARTICLES)
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


def _quiet_broken_pipe() -> None:
    """After the reader of our output went away, keep Python's exit flush from failing."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def main(argv: Sequence[str] | None = None) -> int:
    """The console script: every user-facing failure becomes one line and an exit status."""
    try:
        return run(argv)
    except SystemExit as exc:  # argparse: --help, --version and usage errors
        return exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 2
    except NewsbrowseError as exc:
        if isinstance(exc, OutputFailed):
            _quiet_broken_pipe()  # the exit's flush would fail again, with a traceback
        sys.stderr.write(f"{PROG}: error: {one_line(str(exc))}\n")
        return exc.exit_code
    except KeyboardInterrupt:
        sys.stderr.write(f"{PROG}: interrupted\n")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        _quiet_broken_pipe()
        return EXIT_BROKEN_PIPE
    except OSError as exc:  # a disk or folder problem no layer below turned into a message
        where = f"{exc.filename}: " if exc.filename else ""
        sys.stderr.write(f"{PROG}: error: {one_line(f'{where}{exc.strerror or exc}')}\n")
        return StoreWriteFailed.exit_code


if __name__ == "__main__":
    sys.exit(main())
