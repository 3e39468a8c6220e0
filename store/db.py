"""TinyDB access: the corpus (a small meta file and append-only chunks of article records)
and the user's state, each in files of their own, every write atomic.

Layout under the home folder::

    corpus/meta.json           schema, generation, the committed chunks (name -> records)
    corpus/chunks/NNNNNN.json  full article records (body, quotes, links, source hash),
                               at most ~100 per file, written once and never rewritten
    user.json                  selected quotes and read marks: never shares a file with the corpus

``meta.json`` is the commit point: an import writes its new chunks first, then
``meta.json`` listing them, so an article is in the corpus exactly when a listed chunk
holds it. Opening the store reads only ``meta.json``; the derived index says which chunk
holds an article. Each write replaces its file atomically and keeps the replaced version as
``NAME.bak``, the last good copy that ``newsbrowse recover`` restores
(see :mod:`newsbrowse.store.recover`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import json
import operator
import os
import re
import tempfile
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from newsbrowse.store.errors import (
    DISK_ERRORS,
    BadInput,
    StoreDamaged,
    StoreUnreadable,
    StoreWriteFailed,
)
from newsbrowse.store.model import Article
from newsbrowse.store.pending import read_pending, settle_pending, write_pending
from newsbrowse.store.records import article_problem, chunk_problem, meta_problem, user_problem
from newsbrowse.store.text import parse_json
from tinydb import Query, TinyDB
from tinydb.storages import Storage

# 1: wave one. 2: user.json carries its own schema stamp; stored file names hold no
# control characters. 3: meta.json + append-only chunks replace catalog.json + 64 hash
# shards (each import rewrote them all). :mod:`newsbrowse.store.migrate` brings older homes up.
SCHEMA_VERSION = 3
BACKUP_SUFFIX = ".bak"
NEWER = "newer than this newsbrowse"
# What ``atomic_write_bytes`` and the index leave behind when killed mid-write.
_STALE = re.compile(r"^\..+\.[A-Za-z0-9_]+\.tmp$|^index\.sqlite.*\.building$")


def fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@functools.cache
def default_file_mode() -> int:
    """The mode ``open()`` gives a new file: 0o666 less the umask (read once per process)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def atomic_write_bytes(
    path: Path, data: bytes, *, mode: int | None = None, keep_backup: bool = False
) -> None:
    """Write ``data`` to ``path`` so that the file is wholly old or wholly new.

    ``mode`` sets the new file's permissions (mkstemp makes 0o600); ``keep_backup``
    keeps the replaced file as ``path.bak`` (a hard link: no copy is written).
    """
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            if mode is not None:
                os.fchmod(handle.fileno(), mode)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if keep_backup and path.is_file() and not path.is_symlink():
            _link_backup(path)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    fsync_dir(folder)


def _link_backup(path: Path) -> None:
    """Make ``path.bak`` another name of the current file, atomically."""
    backup = path.with_name(path.name + BACKUP_SUFFIX)
    link = path.with_name(f".{backup.name}.{uuid.uuid4().hex[:8]}.tmp")
    os.link(path, link)
    try:
        os.replace(link, backup)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(link)
        raise


def unreadable(path: Path, exc: OSError) -> StoreUnreadable:
    """The one line about a store file or folder the system will not read: it is not
    damage, so nothing is set aside; the user fixes the permissions or the disk."""
    return StoreUnreadable(
        f"cannot read {path}: {exc.strerror or exc}; nothing was changed "
        "(fix its permissions or the disk, then try again)"
    )


def folder_names(folder: Path) -> list[str]:
    """The names in ``folder`` ([] if it does not exist); an unreadable folder is
    :class:`StoreUnreadable`, never taken for an empty one."""
    try:
        return os.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return []
    except OSError as exc:
        raise unreadable(folder, exc) from None


def remove_stale_temporaries(home: Path) -> list[Path]:
    """Delete the temporary files a killed writer left; call only while holding the lock."""
    removed = []
    for folder in (home, home / "corpus", home / "corpus" / "chunks", home / "corpus" / "shards"):
        for name in folder_names(folder):
            path = folder / name
            if _STALE.match(name) and path.is_file():
                with contextlib.suppress(OSError):
                    path.unlink()
                    removed.append(path)
    return removed


Check = Callable[[dict[str, dict[str, Any]]], "str | None"]
"""Why a store file's tables are not what its kind holds (:mod:`newsbrowse.store.records`)."""


def read_store_file(path: Path, check: Check | None = None) -> dict[str, dict[str, Any]] | None:
    """The tables in ``path`` (None if it does not exist), or :class:`StoreDamaged` if
    they are not tables or ``check`` finds a malformed record; :class:`StoreUnreadable`
    if the system refuses to read the file.

    An empty file is damage, not an empty store: replacing it would drop every record.
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise StoreDamaged(damage_message(path, "is a folder, not a file")) from None
    except OSError as exc:
        raise unreadable(path, exc) from None
    if not raw.strip():
        raise StoreDamaged(damage_message(path, "is empty (truncated)"))
    try:
        data = parse_json(raw)
    except ValueError as exc:
        raise StoreDamaged(damage_message(path, str(exc))) from None
    if not isinstance(data, dict) or not all(
        isinstance(table, dict) and all(isinstance(doc, dict) for doc in table.values())
        for table in data.values()
    ):
        raise StoreDamaged(damage_message(path, "does not hold newsbrowse tables"))
    problem = check(data) if check is not None else None
    if problem is not None:
        raise StoreDamaged(damage_message(path, problem))
    return data


def damage_message(path: Path, reason: str) -> str:
    """The one line a user reads about a damaged file, with the two ways out."""
    return (
        f"store file {path} {reason}; it was left as it is. Run `newsbrowse recover` to "
        "set it aside and restore or rebuild what it can, or `newsbrowse reset`"
    )


class AtomicJSONStorage(Storage):
    """TinyDB storage that replaces the file atomically and caches what it read.

    TinyDB's JSONStorage rewrites in place (a crash leaves a torn file) and re-parses the
    file on every query; this one writes a temporary file, fsyncs, renames, and keeps the
    parsed data until the file on disk changes.
    """

    def __init__(self, path: str | os.PathLike[str], check: Check | None = None) -> None:
        self.path = Path(path)
        self._check = check  # every record is checked once, when the file is parsed
        self._cache: dict[str, Any] | None = None
        self._stamp: tuple[int, int, int] | None = None

    def _disk_stamp(self) -> tuple[int, int, int] | None:
        try:
            st = self.path.stat()
        except (FileNotFoundError, NotADirectoryError):
            return None
        except OSError as exc:
            raise unreadable(self.path, exc) from None
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def read(self) -> dict[str, Any] | None:
        stamp = self._disk_stamp()
        if stamp is None:
            self._cache, self._stamp = None, None
            return None
        if self._cache is not None and stamp == self._stamp:
            return self._cache
        data = read_store_file(self.path, self._check)
        self._cache, self._stamp = data, stamp
        return data

    def write(self, data: dict[str, Any]) -> None:
        try:
            write_store_bytes(self.path, encode(data))
        except StoreWriteFailed:
            # TinyDB changed the cached tables in place before calling us: forget them so
            # the next read shows what is on disk, which is still the old state.
            self._cache, self._stamp = None, None
            raise
        self._cache, self._stamp = data, self._disk_stamp()

    def close(self) -> None:
        self._cache = None


def encode(data: Any) -> bytes:
    """JSON as every store file holds it (compact, UTF-8, no NaN)."""
    return json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()


def write_store_bytes(path: Path, payload: bytes) -> None:
    """Replace a store file atomically, keeping the old one as ``.bak``; a refused write
    is a :class:`StoreWriteFailed` whose one line says the store is unchanged."""
    try:
        atomic_write_bytes(path, payload, keep_backup=True)
    except (OSError, ValueError) as exc:
        raise write_failed(path, exc) from None


def write_failed(path: Path, exc: Exception) -> StoreWriteFailed:
    reason = getattr(exc, "strerror", None) or str(exc)
    return StoreWriteFailed(
        f"cannot write {path}: {reason}; the store is unchanged "
        "(free some disk space or fix the folder, then try again)"
    )


def open_tinydb(path: Path, check: Check | None = None) -> TinyDB:
    return TinyDB(path, storage=AtomicJSONStorage, check=check)


def article_from_record(doc: dict[str, Any], path: Path) -> Article:
    """A record read alone from ``path`` as an Article; a malformed one is damage, named
    by its file. (The records of a chunk parsed whole were checked as it was read.)"""
    problem = article_problem(doc)
    if problem is not None:
        raise StoreDamaged(damage_message(path, f"holds {problem}"))
    return Article.from_dict(doc)


@functools.cache
def _fields_of(cls: type) -> tuple[tuple[str, ...], Callable[[Any], tuple[Any, ...]]]:
    names = tuple(f.name for f in dataclasses.fields(cls))
    get = operator.attrgetter(*names)
    return names, (get if len(names) > 1 else lambda obj: (get(obj),))


def _flat(obj: Any) -> dict[str, Any]:
    """A flat dataclass (a quote, link, scare quote) as a dict, as ``asdict`` would make it
    (one C call fetches every field: 4 -> 1 µs a record)."""
    names, get = _fields_of(type(obj))
    return dict(zip(names, get(obj), strict=True))


def article_record(article: Article) -> dict[str, Any]:
    """``article.to_dict()`` without ``dataclasses.asdict``'s deep copies (5x faster)."""
    return {
        "id": article.id,
        "title": article.title,
        "source": article.source,
        "url": article.url,
        "date": article.date,
        "date_basis": article.date_basis,
        "words": article.words,
        "quote_count": len(article.quotes),
        "link_count": len(article.links),
        "body": article.body,
        "removed": list(article.removed),
        "quotes": [_flat(q) for q in article.quotes],
        "links": [_flat(lk) for lk in article.links],
        "scare_quotes": [_flat(sq) for sq in article.scare_quotes],
        "origin": article.origin,
    }


def _chunk_bytes(docs: list[dict[str, Any]]) -> tuple[bytes, dict[str, tuple[int, int]]]:
    """A chunk file's bytes (a TinyDB ``articles`` table, as :func:`encode` would write
    it) and each record's byte span in them."""
    parts = [b'{"articles":{']
    size = len(parts[0])
    spans: dict[str, tuple[int, int]] = {}
    for i, doc in enumerate(docs, 1):
        key = (b"," if i > 1 else b"") + f'"{i}":'.encode()
        piece = encode(doc)
        spans[doc["id"]] = (size + len(key), size + len(key) + len(piece))
        parts += (key, piece)
        size += len(key) + len(piece)
    parts.append(b"}}")
    return b"".join(parts), spans


def chunk_name(number: int) -> str:
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


class Corpus:
    """The articles: a small ``meta.json`` listing the committed chunks, and the chunks.

    A chunk is written once and never rewritten; ``meta.json`` is the commit point. When
    an id is in two listed chunks (an article stored again), the later chunk holds it.
    """

    # Opening one article parses its chunk: ~100 analysed articles are about 0.9 MB.
    CHUNK_SIZE = 100
    # Parsed chunks kept in memory (walking an article's neighbours parses nothing again).
    CACHED_CHUNKS = 4

    def __init__(self, home: Path) -> None:
        self.folder = home / "corpus"
        self.meta_path = self.folder / "meta.json"
        self.chunk_dir = self.folder / "chunks"
        self._meta = open_tinydb(self.meta_path, check=meta_problem)
        self._chunks: OrderedDict[str, TinyDB] = OrderedDict()
        self._layouts: dict[str, tuple[int, dict[str, tuple[int, int]]]] = {}

    # reading -----------------------------------------------------------------------
    def exists(self) -> bool:
        """Whether the home holds a corpus (of this layout or an older one to migrate)."""
        return self.meta_path.exists() or self.legacy_catalog.exists()

    @property
    def legacy_catalog(self) -> Path:
        """The commit point of schema 1 and 2 homes (migrated to chunks on opening)."""
        return self.folder / "catalog.json"

    def meta(self) -> dict[str, Any]:
        data = self._meta.storage.read() or {}
        docs = list(data.get("meta", {}).values())
        return dict(docs[0]) if docs else {}

    def schema(self) -> int | None:
        """The corpus's schema version (None for a home with no corpus yet)."""
        if self.meta_path.exists():
            return check_version(self.meta_path, self.meta().get("schema"))
        if self.legacy_catalog.exists():
            data = read_store_file(self.legacy_catalog) or {}
            docs = list(data.get("meta", {}).values())
            return check_version(self.legacy_catalog, docs[0].get("schema") if docs else None)
        return None

    @property
    def generation(self) -> str:
        return str(self.meta().get("generation", ""))

    def analysis(self) -> str | None:
        """The stamp of the analysis the committed articles had (None: not recorded)."""
        if not self.meta_path.exists():
            return None
        stamp = self.meta().get("analysis")
        return stamp if isinstance(stamp, str) else None

    def chunk_counts(self) -> dict[str, int]:
        """The committed chunks, in the order written, with how many records each holds
        (none without a meta.json; one without a valid list was reported as damage)."""
        return dict(self.meta().get("chunks", {}))

    def chunks(self) -> list[str]:
        return list(self.chunk_counts())

    def chunk_files(self) -> list[Path]:
        """The chunk files present (listed or not), in name order."""
        return chunk_files(self.chunk_dir)

    def check_listed(self) -> None:
        """A corpus whose meta.json is gone while chunks remain is damage: opening it as a
        new store would start empty (and the next writer would delete the chunks)."""
        if self.meta_path.exists() or self.legacy_catalog.exists():
            return
        files = self.chunk_files()
        if files:
            raise StoreDamaged(
                f"store file {self.meta_path} is missing but {len(files)} chunk files of "
                f"articles remain in {self.chunk_dir}; nothing was changed. Run `newsbrowse "
                "recover` to list them again, or `newsbrowse reset`"
            )

    def chunk_size(self, name: str) -> int:
        """Chunk ``name``'s file size; a listed chunk that is gone is damage, named."""
        try:
            return self.chunk_path(name).stat().st_size
        except FileNotFoundError:
            raise StoreDamaged(
                damage_message(self.chunk_path(name), "is missing but listed in meta.json")
            ) from None

    def chunk_path(self, name: str) -> Path:
        return self.chunk_dir / f"{name}.json"

    def chunk_records(self, name: str) -> list[dict[str, Any]]:
        """The raw records of chunk ``name`` (each an article's dict, plus its source hash)."""
        db = self._chunk_db(name)
        path = self.chunk_path(name)
        data = db.storage.read()
        if data is None:
            raise StoreDamaged(damage_message(path, "is missing but listed in meta.json"))
        return list(data.get("articles", {}).values())

    def chunk_articles(self, name: str) -> list[tuple[Article, str | None]]:
        """Chunk ``name``'s articles with each one's source-file hash (None if unknown)."""
        records = self.chunk_records(name)  # each one checked as the file was read
        return [(Article.from_dict(doc), doc.get("source_sha256")) for doc in records]

    def article(
        self,
        article_id: str,
        chunk: str | None = None,
        span: tuple[int, int, int] | None = None,
    ) -> Article | None:
        """The record of ``article_id`` from ``chunk`` (the index knows it); without a
        chunk, the listed chunks are searched newest first (slow: index-less fallback).

        ``span`` (file size, start, end) lets the record alone be parsed: it is used only
        if the file still has that size and the bytes there are that article's record;
        otherwise the whole chunk is read, and any damage in it reported."""
        if chunk and span:
            art = self._record_at(article_id, chunk, span)
            if art is not None:
                return art
        names = [chunk] if chunk else list(reversed(self.chunks()))
        for name in names:
            for doc in self.chunk_records(name):
                if doc.get("id") == article_id:
                    return Article.from_dict(doc)
        if chunk:
            raise StoreDamaged(
                f"store file {self.chunk_path(chunk)} lacks article {article_id} that the "
                "search index says it holds (the file changed after it was indexed); run "
                "`newsbrowse recover` to check the store and rebuild the index"
            )
        return None

    def _record_at(self, article_id: str, chunk: str, span: tuple[int, int, int]) -> Article | None:
        size, start, end = span
        path = self.chunk_path(chunk)
        try:
            with path.open("rb") as handle:
                if os.fstat(handle.fileno()).st_size != size:
                    return None
                handle.seek(start)
                doc = parse_json(handle.read(end - start))
        except (OSError, ValueError):
            return None
        if not isinstance(doc, dict) or doc.get("id") != article_id:
            return None
        return article_from_record(doc, path)

    def articles(self) -> Iterator[tuple[str, Article, str | None, tuple[int, int] | None]]:
        """Every current record as (chunk, article, source hash, byte span), newest chunk
        first; an id stored again is given once, from its latest chunk (for rebuilding the
        index)."""
        seen: set[str] = set()
        for name in reversed(self.chunks()):
            _size, spans = self.layout(name)
            for art, sha in self.chunk_articles(name):
                if art.id not in seen:
                    seen.add(art.id)
                    yield name, art, sha, spans.get(art.id)
            self._forget(name)

    # writing -----------------------------------------------------------------------
    def add(
        self,
        articles: list[Article],
        sources: list[str | None] | None = None,
        analysis: str | None = None,
    ) -> list[str]:
        """Store ``articles`` in new chunks, then commit them in ``meta.json``; return the
        chunks' names. ``sources`` are the raw-bytes hashes of the files they came from;
        ``analysis``: the stamp to record (see :meth:`commit`)."""
        if not articles:
            return []
        written = self.write_chunks(articles, sources)
        counts = self.chunk_counts() if self.meta_path.exists() else {}
        counts.update(written)
        self.commit(counts, analysis=analysis)
        return list(written)

    def replace_all(self, articles: list[Article], analysis: str | None = None) -> list[str]:
        """Make ``articles`` the whole corpus with one meta write (reset's commit point,
        which names the chunks it retires), then delete the chunks it retired."""
        written = self.write_chunks(articles, None)
        self.replace(written, analysis)
        return list(written)

    def replace(self, written: dict[str, int], analysis: str | None = None) -> None:
        """Commit the chunks ``written`` (not yet committed) as the whole corpus, retiring
        every chunk listed before, then delete those."""
        old = self.chunks() if self.meta_path.exists() else []
        self.commit(written, retired=old, analysis=analysis)
        self._delete_chunks(old)

    def _delete_chunks(self, names: Iterable[str]) -> list[Path]:
        removed = []
        for name in names:
            self._forget(name)
            for path in (self.chunk_path(name), self.chunk_path(name).with_suffix(".json.bak")):
                with contextlib.suppress(OSError):
                    path.unlink()
                    removed.append(path)
        return removed

    def write_chunks(
        self, articles: list[Article], sources: list[str | None] | None
    ) -> dict[str, int]:
        """Write ``articles`` into new chunk files (not yet committed); return their names
        and sizes. Each record's byte span in its file is remembered for :meth:`layout`."""
        shas = sources if sources is not None else [None] * len(articles)
        docs = []
        for art, sha in zip(articles, shas, strict=True):
            doc = article_record(art)
            if sha:
                doc["source_sha256"] = sha
            docs.append(doc)
        return self.write_records(docs)

    def write_records(self, records: list[dict[str, Any]]) -> dict[str, int]:
        """Write article records (as :func:`article_record` makes them, with anything else
        they carry) into new chunk files, not yet committed; return their names and sizes."""
        number = self._next_number()
        count = -(-len(records) // self.CHUNK_SIZE)
        try:  # recorded first: a writer killed before the commit leaves them to delete
            write_pending(self.folder, (chunk_name(number + i) for i in range(count)))
        except OSError as exc:
            raise write_failed(self.folder / "pending.json", exc) from None
        written: dict[str, int] = {}
        for at in range(0, len(records), self.CHUNK_SIZE):
            docs = records[at : at + self.CHUNK_SIZE]
            name = chunk_name(number)
            number += 1
            payload, spans = _chunk_bytes(docs)
            self._forget(name)
            write_store_bytes(self.chunk_path(name), payload)
            self._layouts[name] = (len(payload), spans)
            written[name] = len(docs)
        return written

    def layout(self, name: str) -> tuple[int, dict[str, tuple[int, int]]]:
        """Chunk ``name``'s file size and each record's byte span in it, so that opening
        one article parses its record alone. Found again by encoding each record as the
        writer did; a record not found has no span (it is read by parsing the file)."""
        known = self._layouts.pop(name, None)
        if known is not None:
            return known
        records = self.chunk_records(name)  # a missing or damaged chunk is named
        raw = self.chunk_path(name).read_bytes()
        spans: dict[str, tuple[int, int]] = {}
        at = 0
        for doc in records:
            piece = encode(doc)
            found = raw.find(piece, at)
            if found >= 0 and isinstance(doc.get("id"), str):
                spans[doc["id"]] = (found, found + len(piece))
                at = found + len(piece)
        return len(raw), spans

    def _next_number(self) -> int:
        """One past every chunk listed or present (an uncommitted one is never reused)."""
        used = [chunk_number(n) for n in self.chunks()] if self.meta_path.exists() else []
        used += [chunk_number(name[:6]) for name in folder_names(self.chunk_dir)]
        return max((n for n in used if n is not None), default=0) + 1

    def commit(
        self, chunks: dict[str, int], retired: Iterable[str] = (), analysis: str | None = None
    ) -> None:
        """Write ``meta.json``: the one step that makes chunks part of the corpus.
        ``retired``: the chunks a reset drops (any writer may delete them after).
        ``analysis``: the stamp of the analysis every listed article now has
        (:mod:`newsbrowse.store.staleness`); None keeps the one recorded, if any."""
        record: dict[str, Any] = {
            "schema": SCHEMA_VERSION,
            "generation": uuid.uuid4().hex,
            "written": time.strftime("%Y-%m-%dT%H:%M:%S"),
            "chunks": chunks,
        }
        stamp = analysis if analysis is not None else self.analysis()
        if stamp is not None:
            record["analysis"] = stamp
        retired = [name for name in retired if name not in chunks]
        if retired:
            record["retired"] = retired
        self._meta.storage.write({"meta": {"1": record}})
        self._meta.clear_cache()
        settle_pending(self.folder, chunks)

    def remove_unlisted_chunks(self) -> list[Path]:
        """Delete the chunk files of an import or reset killed before its commit (those
        ``pending.json`` names, :mod:`newsbrowse.store.pending`) and those the last
        commit retired (a reset's old chunks), unless listed. Any other chunk file is kept,
        listed or not: only ``newsbrowse reset`` drops committed articles. Call only while
        holding the lock; a damaged meta.json deletes nothing (it raises StoreDamaged)."""
        if not self.meta_path.exists():
            return []
        listed = set(self.chunks())
        pending = read_pending(self.folder)
        doomed = (pending | set(self.meta().get("retired", ()))) - listed
        removed = self._delete_chunks(sorted(doomed))
        if pending:
            settle_pending(self.folder, pending & (listed | doomed))
        return removed

    def _chunk_db(self, name: str) -> TinyDB:
        db = self._chunks.pop(name, None)
        if db is None:
            db = open_tinydb(self.chunk_path(name), check=chunk_problem)
        self._chunks[name] = db
        while len(self._chunks) > self.CACHED_CHUNKS:
            _, old = self._chunks.popitem(last=False)
            old.close()
        return db

    def _forget(self, name: str) -> None:
        db = self._chunks.pop(name, None)
        if db is not None:
            db.close()

    def close(self) -> None:
        self._meta.close()
        for db in self._chunks.values():
            db.close()
        self._chunks.clear()


class UserState:
    """Selected quotes and read marks: a small file of its own, cheap to write."""

    def __init__(self, home: Path) -> None:
        self.path = home / "user.json"
        self._db = open_tinydb(self.path, check=user_problem)

    def schema(self) -> int | None:
        """The file's schema version: 1 before files carried one, None if there is no file."""
        data = self._db.storage.read()
        if data is None:
            return None
        docs = list(data.get("meta", {}).values())
        return check_version(self.path, docs[0].get("schema") if docs else 1)

    def stamp(self) -> None:
        """Write the current schema version into the file (on creation and migration)."""
        data = dict(self._db.storage.read() or {})
        data["meta"] = {"1": {"schema": SCHEMA_VERSION}}
        self._db.storage.write(data)
        self._db.clear_cache()

    def _column(self, table: str, key: str) -> list[Any]:
        """``key`` of every doc in ``table``, in order; a doc without it is damage."""
        docs = self._db.table(table).all()
        docs.sort(key=lambda d: d.get("order", 0) if isinstance(d.get("order"), int) else 0)
        values = [d.get(key) for d in docs]
        if not all(isinstance(v, str) for v in values):
            raise StoreDamaged(damage_message(self.path, f"holds a {table} entry without {key}"))
        return values

    def selected(self) -> list[str]:
        return self._column("selected", "quote_id")

    def check(self) -> None:
        """Raise :class:`StoreDamaged` if any entry is of another shape (before a rewrite)."""
        self.selected()
        self.read_ids()

    def is_selected(self, quote_id: str) -> bool:
        return bool(self._db.table("selected").search(Query().quote_id == quote_id))

    def _ensure_stamped(self) -> None:
        if not self.path.exists():
            self.stamp()

    def select(self, quote_id: str) -> None:
        if self.is_selected(quote_id):
            return
        self._ensure_stamped()
        self._db.table("selected").insert({"quote_id": quote_id, "order": time.time_ns()})

    def unselect(self, quote_id: str) -> None:
        self._db.table("selected").remove(Query().quote_id == quote_id)

    def clear_selection(self) -> None:
        self._db.drop_table("selected")

    def read_ids(self) -> set[str]:
        return set(self._column("read", "article_id"))

    def mark_read(self, article_id: str) -> None:
        if not self._db.table("read").search(Query().article_id == article_id):
            self._ensure_stamped()
            self._db.table("read").insert({"article_id": article_id})

    def close(self) -> None:
        self._db.close()


def check_version(path: Path, version: Any) -> int:
    """``version`` if this newsbrowse can read it; a newer one is never touched."""
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise StoreDamaged(damage_message(path, f"has an unknown schema version {version!r}"))
    if version > SCHEMA_VERSION:
        raise StoreDamaged(
            f"store file {path} has schema {version}, {NEWER} "
            f"({SCHEMA_VERSION}); upgrade newsbrowse to open it (the file was left as it is)"
        )
    return version


def ensure_home(home: Path) -> None:
    """Make the home folder if it is new; a path that cannot be one is bad input, a disk
    that refuses to make it a failed write."""
    try:
        if home.exists() and not home.is_dir():
            raise BadInput(
                f"the newsbrowse home {home} is a file, not a folder; "
                "choose another with --home or NEWSBROWSE_HOME"
            )
        home.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        error = StoreWriteFailed if exc.errno in DISK_ERRORS else BadInput
        raise error(
            f"cannot create the newsbrowse home {home}: {exc.strerror or exc}; "
            "choose another with --home or NEWSBROWSE_HOME"
        ) from None
