"""What an import is given, as the items it reads: files, folders walked, the entries of
a feed, and pages or feeds fetched from the web.

Everything that can be refused before a file's bytes are analysed is refused here or in
:mod:`newsbrowse.store.importer`, each with its reason; results keep the order the
paths were given.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsbrowse.store.feeds import FEED_SUFFIXES, looks_like_feed
from newsbrowse.store.file_kinds import PAGE
from newsbrowse.store.model import ArticleMeta
from newsbrowse.store.text import strip_controls

WEB = ("http://", "https://")
MAX_FEED_BYTES = 5 * 1024 * 1024
FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/rdf+xml"})
"""Content types of a feed; one served as text/xml is known by its first bytes."""


@dataclass(frozen=True)
class ImportResult:
    """One file's fate: imported as ``id``, or ``skipped`` with the reason."""

    path: str
    id: str | None = None
    skipped: str | None = None
    title: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The file's line of ``import --json``."""
        if self.id is not None:
            return {"path": self.path, "id": self.id}
        return {"path": self.path, "skipped": self.skipped}


@dataclass(frozen=True)
class Item:
    """A file to import: its label (the path as given, shown to the user), its path, the
    metadata given for it, and whether it was named (not found in a folder: see
    :func:`file_kinds.kind_of`). A feed's entry or a fetched page brings its bytes and
    kind, has no path, and may bring a ``fallback``: what the feed or the fetch says of
    it, for what the page does not say itself."""

    label: str
    path: Path | None
    meta: ArticleMeta | None = None
    named: bool = True
    data: bytes | None = None
    kind: str | None = None
    fallback: ArticleMeta | None = None


Gathered = tuple[list[Item], dict[int, ImportResult]]
Found = tuple[list[Item], tuple[str, str] | None]
"""Items to import, and a refusal (label, reason) of what gave none."""


def gather(
    paths: Iterable[str | Path], meta: ArticleMeta | None = None, home: Path | None = None
) -> Gathered:
    """The items to import, folders walked (none hidden, in name order; a file of a kind
    newsbrowse does not read is kept, to be named as skipped), feeds opened and URLs
    fetched; and the paths refused before any is read, by the place each takes among the
    results: results come back in the order the paths were given. ``meta`` goes with a
    file named alone; a folder's walk leaves out the store's ``home``."""
    items: list[Item] = []
    refused: dict[int, ImportResult] = {}

    def refuse(label: str, reason: str) -> None:
        refused[len(items) + len(refused)] = ImportResult(strip_controls(label), skipped=reason)

    def add(found: Found) -> None:
        items.extend(found[0])
        if found[1] is not None:
            refuse(*found[1])

    for raw in paths:
        if isinstance(raw, str) and raw.startswith(WEB):
            add(_from_web(raw, meta))
            continue
        path = Path(raw)
        if path.is_dir():
            files = _walk(path, home)
            if not files:
                refuse(str(path), "folder holds no files")
            for file in files:
                add(_from_file(str(file), file, None, named=False))
        elif path.exists():
            add(_from_file(str(path), path, meta, named=True))
        else:
            refuse(str(path), "no such file")
    return items, refused


def in_order(results: list[ImportResult], refused: dict[int, ImportResult]) -> list[ImportResult]:
    """``results`` with each path :func:`gather` refused back at its place."""
    for position in sorted(refused):
        results.insert(position, refused[position])
    return results


def _walk(folder: Path, home: Path | None) -> list[Path]:
    home = home.resolve() if home is not None else None
    inside = home if home is not None and home.is_relative_to(folder.resolve()) else None
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file()
        and not any(n.startswith(".") for n in p.relative_to(folder).parts)
        and (inside is None or not p.resolve().is_relative_to(inside))
    )


def _from_file(label: str, path: Path, meta: ArticleMeta | None, named: bool) -> Found:
    """A file as one item; a feed (by its suffix, or its first bytes if named) as an item
    an entry. Other files are read, and refused if need be, by the importer."""
    suffix = path.suffix.lower()
    if suffix not in FEED_SUFFIXES and not named:
        return [Item(label, path, meta, named)], None
    try:
        with path.open("rb") as f:
            head = f.read(4096)
            if not looks_like_feed(head):
                return [Item(label, path, meta, named)], None
            if path.stat().st_size > MAX_FEED_BYTES:
                return [], (label, f"feed larger than {MAX_FEED_BYTES // 1024 // 1024} MB")
            data = head + f.read()
    except OSError:
        return [Item(label, path, meta, named)], None  # the importer names why
    return _entries(label, data, meta, online=False)


def _from_web(url: str, meta: ArticleMeta | None, fallback: ArticleMeta | None = None) -> Found:
    """A page fetched as one item (its own metadata first, then ``fallback``'s, then the
    address it was fetched from), a feed fetched as its entries (an entry that carries
    only a summary fetched from its link). An entry's link (``fallback`` given) must be
    a page: a feed there is not followed, so feeds that link to feeds end."""
    from newsbrowse.store.fetch import FetchFailed, fetch

    try:
        got = fetch(url)
    except FetchFailed as exc:
        return [], (url, f"cannot fetch it: {exc}")
    if got.content_type in FEED_TYPES or looks_like_feed(got.data):
        if fallback is not None:
            return [], (url, "the entry's link is a feed, not an article's page")
        return _entries(url, got.data, meta, online=True)
    fetched = (fallback or ArticleMeta()).under(ArticleMeta(url=got.url))
    return [Item(url, None, meta, True, got.page_bytes(), PAGE, fetched)], None


def _entries(label: str, data: bytes, meta: ArticleMeta | None, online: bool) -> Found:
    from newsbrowse.store.feeds import read_feed

    if meta is not None:
        return [], (label, "--source, --url and --date describe one article; a feed holds many")
    try:
        entries = read_feed(data)
    except ValueError as exc:
        return [], (label, str(exc))
    if not entries:
        return [], (label, "feed holds no entries")
    items = []
    for n, entry in enumerate(entries, 1):
        name = f"{label} #{n}"
        if online and entry.summary_only and entry.meta.url:
            found, refusal = _from_web(entry.meta.url, None, entry.meta)
            items.extend(found)
            if refusal is not None:  # its summary, rather than nothing
                items.append(Item(name, None, entry.meta, True, entry.page, PAGE))
            continue
        items.append(Item(name, None, entry.meta, True, entry.page, PAGE))
    return items, None
