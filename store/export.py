"""Quotes out of newsbrowse, with the attribution a journalist must cite: Markdown, CSV, JSON.

Used by ``newsbrowse export`` and by the app's export dialog, so both write the same
records and refuse the same bad paths.
"""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsbrowse.store.errors import DISK_ERRORS, BadInput, StoreWriteFailed
from newsbrowse.store.files import atomic_write_bytes, default_file_mode
from newsbrowse.store.labels import attribution_label
from newsbrowse.store.model import ArticleSummary, Quote

if TYPE_CHECKING:
    from newsbrowse.store.library import Library

FORMATS: tuple[str, ...] = ("md", "csv", "json")

CSV_COLUMNS: tuple[str, ...] = (
    "id",
    "article_id",
    "text",
    "speaker",
    "side",
    "cue",
    "title",
    "source",
    "url",
    "date",
    "date_basis",
    "start",
    "end",
    "attribution",
    "corrected",
    "checked",
    "note",
    "citation",
)

UNKNOWN_SPEAKER = "Unknown speaker"
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
    return f"newsbrowse-quotes-{time.strftime('%Y%m%d-%H%M%S')}.{check_format(fmt)}"


def dated(summary: ArticleSummary) -> str:
    """The article's date with its basis, the way a citation must show it."""
    if not summary.date:
        return "undated"
    if summary.date_basis == "stated":
        return summary.date
    return f"{summary.date} ({summary.date_basis})"


def citation(quote: Quote, summary: ArticleSummary) -> str:
    """One plain line: who said it, on which side, where and when it was published, and
    the URL where a reader checks it."""
    parts = [
        f"{quote.speaker or UNKNOWN_SPEAKER} ({quote.side})",
        f"\u201c{summary.title}\u201d",
    ]
    if summary.source:
        parts.append(summary.source)
    parts.append(dated(summary))
    if summary.url:
        parts.append(summary.url)
    return ", ".join(parts)


def quote_record(quote: Quote, summary: ArticleSummary) -> dict[str, Any]:
    """A quote with everything needed to cite and check it (the JSON and CSV record)."""
    record = quote.to_dict()
    record.update(
        title=summary.title,
        source=summary.source,
        url=summary.url,
        date=summary.date,
        date_basis=summary.date_basis,
        attribution=attribution_label(quote.corrected, quote.checked),
        citation=citation(quote, summary),
    )
    return record


def _markdown(quote: Quote, summary: ArticleSummary) -> str:
    lines = [f"> {line}".rstrip() for line in quote.text.split("\n")]
    date = summary.date or "undated"
    if summary.date and summary.date_basis != "stated":
        date += f" [{summary.date_basis}]"
    parts = [
        f"\u2014 {(quote.speaker or UNKNOWN_SPEAKER).translate(_MD_SPECIAL)} ({quote.side})",
        f"*{summary.title.translate(_MD_SPECIAL)}*",
    ]
    if summary.source:
        parts.append(summary.source.translate(_MD_SPECIAL))
    parts.append(date)
    source_line = f"<{summary.url}>" if summary.url else None
    block = "\n".join(lines) + "\n\n" + ", ".join(parts)
    block += f" (attribution {attribution_label(quote.corrected, quote.checked)})"
    if quote.note:
        block += f"\nNote: {quote.note.translate(_MD_SPECIAL)}"
    return block + (f"\n{source_line}" if source_line else "") + "\n"


def _neutralise(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _csv(records: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for record in records:
        writer.writerow([_neutralise(record.get(col)) for col in CSV_COLUMNS])
    return out.getvalue()


def export_text(library: Library, quotes: list[Quote], fmt: str) -> str:
    """``quotes`` as a document in ``fmt`` (one of :data:`FORMATS`), in the order given."""
    check_format(fmt)
    summaries = library.summaries(q.article_id for q in quotes)
    pairs = [(q, summaries[q.article_id]) for q in quotes if q.article_id in summaries]
    if fmt == "md":
        return "\n".join(_markdown(q, s) for q, s in pairs)
    records = [quote_record(q, s) for q, s in pairs]
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
