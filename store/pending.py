"""The chunks a writer is writing and has not committed yet: ``corpus/pending.json``.

An import or reset writes its chunk files, then ``meta.json`` listing them (the commit
point). Killed in between, it leaves chunk files that no commit lists. They are deleted
by the next writer, but only if this record names them: a chunk that ``meta.json``
does not list for another reason (a meta.json edited, or restored from an older copy by
hand) holds committed articles, and is never deleted. Written (and fsynced) before the
chunks it names; names leave it as a commit lists them or the next writer deletes them.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable
from pathlib import Path

from newsbrowse.store.files import atomic_write_bytes
from newsbrowse.store.text import parse_json

NAME = "pending.json"


def read_pending(folder: Path) -> set[str]:
    """The chunk names recorded as being written in the corpus ``folder`` (none if the
    record is missing or unreadable: then nothing is taken for uncommitted)."""
    try:
        data = parse_json((folder / NAME).read_bytes())
        names = data["pending"]["1"]["chunks"]
    except (OSError, ValueError, TypeError, KeyError):
        return set()
    if not isinstance(names, list):
        return set()
    return {n for n in names if isinstance(n, str) and len(n) == 6 and n.isdigit()}


def write_pending(folder: Path, names: Iterable[str]) -> None:
    """Record ``names`` as pending, beside those already recorded (an atomic, fsynced
    write: it is on disk before the first of those chunks). Raises OSError."""
    _write(folder, read_pending(folder) | set(names))


def settle_pending(folder: Path, done: Iterable[str]) -> None:
    """Take ``done`` (committed, or deleted) off the record; remove it once empty."""
    left = read_pending(folder) - set(done)
    with contextlib.suppress(OSError):
        if left:
            _write(folder, left)
        else:
            (folder / NAME).unlink()


def _write(folder: Path, names: set[str]) -> None:
    # Shaped like every store file (TinyDB tables), so that any tool reads it alike.
    record = {"pending": {"1": {"chunks": sorted(names)}}}
    atomic_write_bytes(folder / NAME, json.dumps(record).encode())
