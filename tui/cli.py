"""The ``newsbrowse`` command: the app when bare, a scriptable CLI with subcommands.

This module is the parser and the dispatch: which command runs, with which lock, and how
a failure ends. The commands themselves print from ``cli_tables`` (reading),
``cli_import``, ``cli_export``, ``cli_reset`` (reset and recover) and ``cli_reanalyse``.
Subcommands never import Textual (they stay fast); every error a user can cause ends as
one line on stderr and a non-zero exit status, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from newsbrowse.store.errors import NewsbrowseError, StoreLocked, StoreWriteFailed
from newsbrowse.store.export import FORMATS
from newsbrowse.store.ingest.codebook import shipped_sides
from newsbrowse.store.labels import side_slugs
from newsbrowse.store.library import Library
from newsbrowse.store.lock import APP_COMMAND, HomeLock
from newsbrowse.store.paths import default_home, ensure_home, home_path
from newsbrowse.store.recover import recover_home
from newsbrowse.store.staleness import STALE_NOTE, is_stale
from newsbrowse.tui import cli_correct, cli_edit, cli_output, cli_selection
from newsbrowse.tui.cli_export import cmd_export
from newsbrowse.tui.cli_import import add_import_parser, check_import, cmd_import, held_by_app
from newsbrowse.tui.cli_matrix import cmd_matrix
from newsbrowse.tui.cli_output import PROG, OutputFailed, note, one_line, update_index
from newsbrowse.tui.cli_reset import cmd_recover, cmd_reset, confirm_reset
from newsbrowse.tui.cli_serve import add_serve_parser, cmd_serve, in_browser
from newsbrowse.tui.cli_tables import cmd_links, cmd_list, cmd_quotes, cmd_search, cmd_show

INDEX_NOTICE_ARTICLES = cli_output.INDEX_NOTICE_ARTICLES
"""An index this many articles behind the store is brought up to it with a progress bar."""
# Commands that write the store hold the home's lock; the others read without it (every
# store file is replaced atomically), so they work while the app is open.
WRITE_COMMANDS = frozenset(
    {
        "import",
        "reset",
        "recover",
        "reanalyse",
        cli_edit.COMMAND,
        *cli_correct.WRITING,
        *cli_selection.WRITING,
    }
)
# Commands that first set damaged store files aside and restore their last good copies.
REPAIR_COMMANDS = frozenset({"reset", "recover"})
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141

Command = Callable[[Library, argparse.Namespace], int]
Subparsers = Any  # argparse's _SubParsersAction, private by name
Parents = list[argparse.ArgumentParser]


# the parser ------------------------------------------------------------------------------
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
    _reading_parsers(sub, common)
    add_import_parser(sub, common)
    _export_parser(sub, common)
    _reanalyse_parser(sub, common)
    _reset_parsers(sub, common)
    add_serve_parser(sub, common)
    cli_correct.add_parsers(sub, common, _side_help())
    cli_selection.add_parsers(sub, common)
    cli_edit.add_parser(sub, common)
    return parser


def _side_help() -> str:
    """The sides ``--side`` takes: the shipped codebook's (a home's own codebook may name
    others; the store checks against the home's) and ``unknown``."""
    return f"a side of the codebook: {', '.join(side_slugs(shipped_sides()))}"


def _reading_parsers(sub: Subparsers, common: Parents) -> None:
    sub.add_parser("list", parents=common, help="the articles, oldest first")
    show = sub.add_parser("show", parents=common, help="one article: body, quotes, links")
    show.add_argument("id", metavar="ID", help="an article id (or a unique prefix of 4+ chars)")

    quotes = sub.add_parser("quotes", parents=common, help="quotes with speakers and offsets")
    quotes.add_argument("--article", metavar="ID", help="only this article's quotes")
    quotes.add_argument("--speaker", metavar="NAME", help="a name or alias, e.g. putin")
    quotes.add_argument("--side", metavar="SIDE", help=_side_help())
    quotes.add_argument("--demand", metavar="SLUG", help="quotes linked to this demand")

    links = sub.add_parser("links", parents=common, help="demand links grouped by demand")
    links.add_argument("--demand", metavar="SLUG", help="only this demand")
    links.add_argument("--side", metavar="SIDE", help=_side_help())

    search = sub.add_parser("search", parents=common, help="ranked search over text and quotes")
    search.add_argument(
        "query",
        nargs="+",
        metavar="QUERY",
        help='words (prefixes match), "a phrase", speaker:NAME, side:SIDE, demand:SLUG',
    )
    search.add_argument("--limit", type=int, default=50, help="at most this many hits")
    sub.add_parser(
        "matrix",
        parents=common,
        help="each demand: how often it was stated, and the replies by stance",
    )


def _export_parser(sub: Subparsers, common: Parents) -> None:
    export = sub.add_parser(
        "export",
        parents=common,
        help="export quotes with citations",
        description="Export quotes with speaker, side, article, source, date and a citation. "
        "--quote and --selected choose quotes (default: all); --demand keeps those linked "
        "to a demand.",
    )
    export.add_argument(
        "--format",
        choices=FORMATS,
        help="md (default), csv, json; for reference managers csl-json (Zotero), ris, bibtex",
    )
    export.add_argument(
        "--quote", metavar="ID", nargs="+", action="extend", default=[], help="quote ids"
    )
    export.add_argument("--selected", action="store_true", help="the current selection set")
    export.add_argument("--set", metavar="NAME", help="the selection set NAME (see `sets`)")
    export.add_argument("--demand", metavar="SLUG", help="only quotes linked to this demand")
    export.add_argument("-o", "--output", metavar="FILE", type=Path, help="write to FILE")
    export.add_argument("--force", action="store_true", help="replace FILE if it exists")


def _reanalyse_parser(sub: Subparsers, common: Parents) -> None:
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


def _reset_parsers(sub: Subparsers, common: Parents) -> None:
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


# the dispatch ----------------------------------------------------------------------------
def launch_app(lib: Library, args: argparse.Namespace) -> int:
    """The bare command: the terminal app; the article list for --json, a pipe, or no app."""
    if args.json or not (sys.stdout.isatty() or in_browser()):
        return cmd_list(lib, args)
    try:
        from newsbrowse.tui.app import run_app
    except ModuleNotFoundError as exc:
        if exc.name != "newsbrowse.tui.app":
            raise
        return cmd_list(lib, args)
    lib.codebook  # noqa: B018 - a malformed codebook is a one-line error before the screen
    return run_app(lib)


def cmd_reanalyse(lib: Library, args: argparse.Namespace) -> int:
    from newsbrowse.tui.cli_reanalyse import cmd_reanalyse as run_it  # brings the analysis

    return run_it(lib, args)


def _confirm_reanalyse(home: Path, args: argparse.Namespace) -> bool:
    from newsbrowse.tui.cli_reanalyse import confirm

    return confirm(home, args)


COMMANDS: dict[str | None, Command] = {
    None: launch_app,
    "list": cmd_list,
    "show": cmd_show,
    "quotes": cmd_quotes,
    "links": cmd_links,
    "search": cmd_search,
    "matrix": cmd_matrix,
    "import": cmd_import,
    "export": cmd_export,
    "reset": cmd_reset,
    "recover": cmd_recover,
    "reanalyse": cmd_reanalyse,
    "serve": cmd_serve,
    **cli_correct.HANDLERS,
    **cli_selection.HANDLERS,
    cli_edit.COMMAND: cli_edit.cmd_edit,
}


def _writes(args: argparse.Namespace) -> bool:
    """Whether the command may write the store: the app does (selection, read marks)."""
    if args.command is None:  # a browser session takes the lock at its first write
        return not args.json and sys.stdout.isatty()
    return args.command in WRITE_COMMANDS


def _agreed(home: Path, args: argparse.Namespace) -> bool:
    """Check the arguments a command refuses before the store opens; ask before a reset
    or a re-analysis (False: the user said no)."""
    if args.command == "import":
        check_import(args)
    if args.command == "reset":
        return confirm_reset(home, args)
    if args.command == "reanalyse":
        return _confirm_reanalyse(home, args)
    return True


def _open(home: Path, args: argparse.Namespace) -> Library:
    """The library, locked for a writing command; reset and recover first set damaged
    store files aside under the lock (``args.repaired`` says what they did)."""
    label = f"{PROG} {args.command}" if args.command else APP_COMMAND
    lock = HomeLock(home)
    args.repaired = []
    if args.command in REPAIR_COMMANDS:
        ensure_home(home)
        lock.acquire(label)  # held until the library below holds it too
        args.repaired = recover_home(home)
    try:
        return Library.open(home, command=label, read_only=not _writes(args))
    finally:
        lock.release()


def run(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` and run the command; NewsbrowseError passes up to :func:`main`."""
    args = build_parser().parse_args(argv)
    home = home_path(args.home) if args.home is not None else default_home()
    if not _agreed(home, args):
        return 1
    try:
        lib = _open(home, args)
    except StoreLocked as exc:
        raise held_by_app(exc, args.command) from None
    try:
        if args.command not in ("reset", "reanalyse"):  # they replace what it would take in
            update_index(lib, INDEX_NOTICE_ARTICLES)
        code = _dispatch(lib, args)
        if lib.index_notice:
            note(lib.index_notice)
        if not (args.command is None and _writes(args)) and is_stale(lib.corpus, lib.home):
            note(STALE_NOTE)  # the app asks instead
        return code
    finally:
        lib.close()


def _dispatch(lib: Library, args: argparse.Namespace) -> int:
    """Run the command; a write its output could not make is :class:`OutputFailed`."""
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
    return code


# how it ends -----------------------------------------------------------------------------
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
