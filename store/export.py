"""Quotes out of newsbrowse, with the attribution a journalist must cite: Markdown, CSV,
JSON, and for reference managers CSL-JSON, RIS and BibTeX (:mod:`.references`).

Used by ``newsbrowse export`` and by the app's export dialog, so both write the same
records and refuse the same bad paths. Every format cites from the same
:class:`~newsbrowse.store.citations.Cited` fields.
"""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import time
from pathlib import Path
from typing import Any

from newsbrowse.store import references
from newsbrowse.store.citations import UNKNOWN_SPEAKER, Cited, CitingLibrary, cite
from newsbrowse.store.errors import DISK_ERRORS, BadInput, StoreWriteFailed
from newsbrowse.store.files import atomic_write_bytes, default_file_mode
from newsbrowse.store.model import Quote

FORMATS: tuple[str, ...] = ("md", "csv", "json", "csl-json", "ris", "bibtex")
EXTENSIONS: dict[str, str] = {"csl-json": "csl.json", "bibtex": "bib"}
"""A format's file name ending where it is not the format's name."""

CSV_COLUMNS: tuple[str, ...] = (
    "id",
    "article_id",
    "text",
    "speaker",
    "side",
    "side_label",
    "cue",
    "quotation",
    "demands",
    "title",
    "source",
    "url",
    "date",
    "date_basis",
    "start",
    "end",
    "paragraph",
    "attribution",
    "corrected",
    "checked",
    "note",
    "citation",
)

__all__ = ["CSV_COLUMNS", "EXTENSIONS", "FORMATS", "UNKNOWN_SPEAKER", "export_text"]
MAX_NAME_BYTES = 255
# Spreadsheets run a cell that starts with one of these as a formula (OWASP CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>#|"})


def check_format(fmt: str) -> str:
    """``fmt`` if it is one of :data:`FORMATS`, else a one-line error naming them."""
    if fmt not in FORMATS:
        raise BadInput(f"unknown export format {fmt!r}; use one of: {', '.join(FORMATS)}")
    return fmt


def default_export_name(fmt: str) -> str:
    """A file name that sorts by time and does not clash with yesterday's export."""
    ending = EXTENSIONS.get(check_format(fmt), fmt)
    return f"newsbrowse-quotes-{time.strftime('%Y%m%d-%H%M%S')}.{ending}"


def quote_record(cited: Cited) -> dict[str, Any]:
    """A quote with everything needed to cite and check it (the JSON and CSV record):
    ``text`` and its offsets exactly as stored, ``quotation`` as it is cited."""
    summary = cited.summary
    record = cited.quote.to_dict()
    record.update(
        side_label=cited.side,
        quotation=cited.quotation,
        demands=[{"demand": d.slug, "title": d.title, "stance": d.stance} for d in cited.demands],
        title=summary.title,
        source=summary.source,
        url=summary.url,
        date=summary.date,
        date_basis=summary.date_basis,
        paragraph=cited.paragraph,
        attribution=cited.attribution,
        citation=cited.citation(),
    )
    return record


def _markdown(cited: Cited) -> str:
    lines = [f"> {line}".rstrip() for line in cited.quotation.split("\n")]
    parts = [
        f"\u2014 {cited.speaker.translate(_MD_SPECIAL)} ({cited.side.translate(_MD_SPECIAL)})",
        f"*{cited.title.translate(_MD_SPECIAL)}*",
    ]
    if cited.summary.source:
        parts.append(cited.summary.source.translate(_MD_SPECIAL))
    parts.append(cited.date)
    if cited.paragraph is not None:
        parts.append(f"para. {cited.paragraph}")
    block = "\n".join(lines) + "\n\n" + ", ".join(parts) + f" (attribution {cited.attribution})"
    if cited.demands:
        block += "\n" + f"Demands: {cited.demands_text}".translate(_MD_SPECIAL)
    if cited.quote.note:
        block += "\n" + f"Note: {cited.quote.note}".translate(_MD_SPECIAL)
    if cited.summary.url:
        block += f"\n<{cited.summary.url}>"
    return block + "\n"


def _neutralise(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _csv(records: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for record in records:
        row = dict(
            record, demands="; ".join(f"{d['title']} ({d['stance']})" for d in record["demands"])
        )
        writer.writerow([_neutralise(row.get(col)) for col in CSV_COLUMNS])
    return out.getvalue()


def export_text(library: CitingLibrary, quotes: list[Quote], fmt: str) -> str:
    """``quotes`` as a document in ``fmt`` (one of :data:`FORMATS`), in the order given."""
    check_format(fmt)
    cited = cite(quotes, library)
    if fmt == "md":
        return "\n".join(_markdown(c) for c in cited)
    if fmt == "csl-json":
        return references.csl_json(cited)
    if fmt == "ris":
        return references.ris(cited)
    if fmt == "bibtex":
        return references.bibtex(cited)
    records = [quote_record(c) for c in cited]
    if fmt == "csv":
        return _csv(records)
    return json.dumps(records, ensure_ascii=False, indent=2) + "\n"


def _file_mode(path: Path) -> int:
    """The mode of the file being replaced, else the one a new file gets (umask applied)."""
    try:
        st = os.lstat(path)
    except OSError:
        return default_file_mode()
    return stat.S_IMODE(st.st_mode) if stat.S_ISREG(st.st_mode) else default_file_mode()


def write_export(path: Path, text: str, *, force: bool = False) -> Path:
    """Write ``text`` to ``path`` atomically; refuse to clobber a file unless ``force``.

    Only a regular file is ever replaced: a symlink, FIFO, device node or socket at
    ``path`` is refused even with ``force`` (replacing ``/dev/full`` as root, or the file
    a planted link points at, is never what a user means). A disk that refuses the write
    is a failed write (exit 6), a path that cannot be written bad input.
    """
    raw = str(path)
    if not raw or "\x00" in raw:
        raise BadInput("the export path is empty or holds a NUL character; choose another")
    path = Path(os.path.abspath(path.expanduser()))
    if len(path.name.encode("utf-8", "surrogateescape")) > MAX_NAME_BYTES:
        short = path.name[:40]
        raise BadInput(f"the export file name is too long ({short}…); choose a shorter one")
    folder = path.parent
    if not folder.is_dir():
        raise BadInput(f"folder {folder} does not exist; create it or choose another path")
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise BadInput(f"cannot use {path}: {exc.strerror}; choose another path") from None
    if st is not None:
        if stat.S_ISDIR(st.st_mode):
            raise BadInput(f"{path} is a folder; give a file name to export to")
        if not stat.S_ISREG(st.st_mode):
            kind = "a symbolic link" if stat.S_ISLNK(st.st_mode) else "not a regular file"
            raise BadInput(
                f"{path} is {kind}; an export replaces regular files only: choose another name"
            )
        if not force:
            raise BadInput(
                f"{path} already exists; choose another name or use --force to replace it"
            )
    try:
        atomic_write_bytes(path, text.encode("utf-8"), mode=_file_mode(path))
    except OSError as exc:
        reason = exc.strerror or str(exc)
        if exc.errno in DISK_ERRORS:
            raise StoreWriteFailed(
                f"cannot write {path}: {reason}; nothing was written "
                "(free some disk space or choose another place)"
            ) from None
        raise BadInput(f"cannot write {path}: {reason}; choose another path") from None
    return path
