"""The articles: a small ``corpus/meta.json`` listing the committed chunks, and the chunks.

Layout under the home folder::

    corpus/meta.json           schema, generation, the committed chunks (name -> records),
                               the stamp of the analysis they hold
    corpus/chunks/NNNNNN.json  full article records (body, quotes, links, source hash),
                               at most ~100 per file, written once and never rewritten
    corpus/pending.json        the chunks a writer is writing and has not committed yet

``meta.json`` is the commit point: an import writes its new chunks first, then
``meta.json`` listing them, so an article is in the corpus exactly when a listed chunk
holds it. Opening the store reads only ``meta.json``; the derived index says which chunk
holds an article. Each write replaces its file atomically and keeps the replaced version as
``NAME.bak``, the last good copy that ``newsbrowse recover`` restores
(see :mod:`newsbrowse.store.recover`).
"""

from __future__ import annotations

import contextlib
import os
import time
import uuid
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from newsbrowse.store.chunks import (
    Spans,
    chunk_bytes,
    chunk_files,
    chunk_name,
    chunk_number,
    find_spans,
)
from newsbrowse.store.errors import StoreDamaged
from newsbrowse.store.files import folder_names
from newsbrowse.store.json_files import (
    SCHEMA_VERSION,
    check_version,
    damage_message,
    open_tinydb,
    read_store_file,
    write_failed,
    write_store_bytes,
)
from newsbrowse.store.model import Article
from newsbrowse.store.pending import read_pending, settle_pending, write_pending
from newsbrowse.store.records import (
    article_from_record,
    article_record,
    chunk_problem,
    meta_problem,
)
from newsbrowse.store.text import parse_json
from tinydb import TinyDB


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
        self._layouts: dict[str, tuple[int, Spans]] = {}

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

    def iter_articles(self, lock: AbstractContextManager[Any]) -> Iterator[Article]:
        """Every current record, newest chunk first, an id stored again given once (from
        its latest chunk); ``lock`` is taken to read each chunk, never across a ``yield``."""
        with lock:
            names = self.chunks() if self.meta_path.exists() else []
        seen: set[str] = set()
        for name in reversed(names):
            with lock:
                batch = [a for a, _ in self.chunk_articles(name)]
            for art in batch:
                if art.id not in seen:
                    seen.add(art.id)
                    yield art

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
            payload, spans = chunk_bytes(docs)
            self._forget(name)
            write_store_bytes(self.chunk_path(name), payload)
            self._layouts[name] = (len(payload), spans)
            written[name] = len(docs)
        return written

    def layout(self, name: str) -> tuple[int, Spans]:
        """Chunk ``name``'s file size and each record's byte span in it, so that opening
        one article parses its record alone (see :func:`find_spans`)."""
        known = self._layouts.pop(name, None)
        if known is not None:
            return known
        records = self.chunk_records(name)  # a missing or damaged chunk is named
        raw = self.chunk_path(name).read_bytes()
        return len(raw), find_spans(raw, records)

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
