"""A chunk file (``corpus/chunks/NNNNNN.json``): its name, its bytes, and where each of its
records lies in them, so that opening one article parses that record alone.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from newsbrowse.store.files import folder_names
from newsbrowse.store.json_files import encode

Spans = dict[str, tuple[int, int]]
"""Each record's byte span in its chunk file, by article id."""


def chunk_name(number: int) -> str:
    """The stem of chunk ``number``'s file (``42`` -> ``000042``)."""
    return f"{number:06d}"


def chunk_number(name: str) -> int | None:
    """The number of a chunk file's stem (``000042`` -> 42), None for any other name."""
    return int(name) if len(name) == 6 and name.isdigit() else None


def chunk_files(folder: Path) -> list[Path]:
    """The chunk files present in ``folder`` (listed or not), in name order; an unreadable
    folder is :class:`StoreUnreadable` (taken for empty, its chunks would be lost)."""
    return sorted(
        folder / n
        for n in folder_names(folder)
        if n.endswith(".json") and chunk_number(n[: -len(".json")]) is not None
    )


def chunk_bytes(docs: list[dict[str, Any]]) -> tuple[bytes, Spans]:
    """A chunk file's bytes (a TinyDB ``articles`` table, as :func:`encode` would write
    it) and each record's byte span in them."""
    parts = [b'{"articles":{']
    size = len(parts[0])
    spans: Spans = {}
    for i, doc in enumerate(docs, 1):
        key = (b"," if i > 1 else b"") + f'"{i}":'.encode()
        piece = encode(doc)
        spans[doc["id"]] = (size + len(key), size + len(key) + len(piece))
        parts += (key, piece)
        size += len(key) + len(piece)
    parts.append(b"}}")
    return b"".join(parts), spans


def find_spans(raw: bytes, records: list[dict[str, Any]]) -> Spans:
    """Each record's byte span in a chunk file's ``raw`` bytes, found again by encoding it
    as the writer did; a record not found has no span (it is read by parsing the file)."""
    spans: Spans = {}
    at = 0
    for doc in records:
        piece = encode(doc)
        found = raw.find(piece, at)
        if found >= 0 and isinstance(doc.get("id"), str):
            spans[doc["id"]] = (found, found + len(piece))
            at = found + len(piece)
    return spans
