"""``newsbrowse export``: which quotes (by id, the selection, a demand), in which format,
to standard output or a file; the selected quotes a re-analysis lost are named, not
exported.
"""

from __future__ import annotations

import argparse
import sys

from newsbrowse.store.errors import BadInput
from newsbrowse.store.export import EXTENSIONS, FORMATS, export_text, write_export
from newsbrowse.store.library import Library
from newsbrowse.store.model import Quote
from newsbrowse.tui.cli_output import console, note, print_json
from rich.text import Text

SUFFIX_FORMATS: dict[str, str] = {"markdown": "md", "bib": "bibtex"}
"""The format of an output file's suffix where it is not the format's name."""


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
        print_json({"path": str(path), "format": fmt, "count": len(quotes)})
    else:
        console(stderr=True).print(Text(f"exported {len(quotes)} quotes to {path}"))
    return 0


def _export_quotes(lib: Library, args: argparse.Namespace) -> list[Quote]:
    chosen: list[Quote] = [lib.quote(qid) for qid in args.quote]
    if args.selected or args.set:
        selected = lib.selected_quotes(args.set)
        missing = missing_note(lib)
        if not selected and missing:  # one line: the lost ones named in the error
            raise BadInput(
                f"no selected quote is left to export: {missing}; select others in the app "
                "or pass --quote ID"
            )
        if not selected:
            name = args.set or lib.current_set()
            raise BadInput(
                f"no quotes are selected in set {name!r}; select some in the app or pass --quote ID"
            )
        if missing:
            note(missing)
        chosen += selected
    if not args.quote and not args.selected and not args.set:
        chosen = lib.quotes()
    if args.demand:
        linked = {q.id for q in lib.quotes(demand=args.demand)}
        chosen = [q for q in chosen if q.id in linked]
    unique = list({q.id: q for q in chosen}.values())
    if not unique:
        what = f" linked to demand {args.demand}" if args.demand else ""
        raise BadInput(f"no quotes{what} to export; `newsbrowse quotes` lists them")
    return unique


def _export_format(args: argparse.Namespace) -> str:
    if args.format:
        return args.format
    name = args.output.name.lower() if args.output else ""
    if name.endswith(f".{EXTENSIONS['csl-json']}"):
        return "csl-json"
    suffix = args.output.suffix.lstrip(".").lower() if args.output else ""
    return SUFFIX_FORMATS.get(suffix, suffix) if suffix in (*FORMATS, *SUFFIX_FORMATS) else "md"


def missing_note(lib: Library) -> str | None:
    """One line naming the selected quotes the store no longer holds, if any (a
    re-analysis no longer finds them; they stay selected, and are left out)."""
    from newsbrowse.store.reanalysis import missing_selection  # imports the analysis

    missing = missing_selection(lib)
    if not missing:
        return None
    titles = lib.summaries(qid.rsplit("-q", 1)[0] for qid in missing)
    named = []
    for qid in missing:
        summary = titles.get(qid.rsplit("-q", 1)[0])
        named.append(f"{qid} (in “{summary.title}”)" if summary else qid)
    count = len(missing)
    return (
        f"{count} selected quote{'' if count == 1 else 's'} no longer found by the analysis "
        f"(left out; kept in the selection): {', '.join(named)}"
    )
