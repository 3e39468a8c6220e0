"""TinyDB access: the corpus (a catalog of summaries plus sharded article records) and
the user's state, each in files of their own, every write atomic.

Layout under the home folder::

    corpus/catalog.json      summaries of every article (what the list needs) + schema
    corpus/shards/NN.json    full article records (body, quotes, links), by id prefix
    user.json                selected quotes and read marks: never shares a file with the corpus

The catalog is the commit point of an import: shards are written first, then the
catalog, so an article is in the corpus exactly when the catalog lists it.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import time
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from newsbrowse.store.errors import NewsbrowseError, StoreDamaged
from newsbrowse.store.model import Article, ArticleSummary
from tinydb import Query, TinyDB
from tinydb.storages import Storage

SCHEMA_VERSION = 1
SHARD_COUNT = 64


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that the file is wholly old or wholly new."""
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(folder)


class AtomicJSONStorage(Storage):
    """TinyDB storage that replaces the file atomically and caches what it read.

    TinyDB's JSONStorage rewrites in place (a crash leaves a torn file) and re-parses the
    file on every query; this one writes a temporary file, fsyncs, renames, and keeps the
    parsed data until the file on disk changes.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._cache: dict[str, Any] | None = None
        self._stamp: tuple[int, int, int] | None = None

    def _disk_stamp(self) -> tuple[int, int, int] | None:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return None
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def read(self) -> dict[str, Any] | None:
        stamp = self._disk_stamp()
        if stamp is None:
            self._cache, self._stamp = None, None
            return None
        if self._cache is not None and stamp == self._stamp:
            return self._cache
        try:
            raw = self.path.read_bytes()
        except OSError as exc:
            raise StoreDamaged(f"cannot read store file {self.path}: {exc.strerror}") from None
        if not raw.strip():
            data: Any = {}
        else:
            try:
                data = json.loads(raw)
            except (ValueError, RecursionError):
                raise StoreDamaged(
                    f"store file {self.path} is not valid JSON; run `newsbrowse reset`"
                ) from None
        if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
            raise StoreDamaged(
                f"store file {self.path} does not hold TinyDB tables; run `newsbrowse reset`"
            )
        self._cache, self._stamp = data, stamp
        return data

    def write(self, data: dict[str, Any]) -> None:
        payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        atomic_write_bytes(self.path, payload)
        self._cache, self._stamp = data, self._disk_stamp()

    def close(self) -> None:
        self._cache = None


def open_tinydb(path: Path) -> TinyDB:
    return TinyDB(path, storage=AtomicJSONStorage)


def shard_of(article_id: str) -> str:
    """Shards are picked by the id's first hex digits, so one article is one small file."""
    try:
        return f"{int(article_id[:4], 16) % SHARD_COUNT:02d}"
    except ValueError:
        return f"{sum(article_id.encode()) % SHARD_COUNT:02d}"


class Corpus:
    """The articles: summaries in the catalog, full records in shards."""

    def __init__(self, home: Path) -> None:
        self.folder = home / "corpus"
        self.catalog_path = self.folder / "catalog.json"
        self._catalog = open_tinydb(self.catalog_path)
        self._shards: dict[str, TinyDB] = {}

    # reading -----------------------------------------------------------------------
    def exists(self) -> bool:
        return self.catalog_path.exists()

    def meta(self) -> dict[str, Any]:
        docs = self._catalog.table("meta").all()
        return dict(docs[0]) if docs else {}

    def check_schema(self) -> None:
        version = self.meta().get("schema")
        if version is None:
            return
        if not isinstance(version, int) or version > SCHEMA_VERSION:
            raise StoreDamaged(
                f"store {self.catalog_path} has schema {version!r}, newer than this "
                f"newsbrowse ({SCHEMA_VERSION}); upgrade newsbrowse"
            )

    @property
    def generation(self) -> str:
        return str(self.meta().get("generation", ""))

    def summaries(self) -> list[ArticleSummary]:
        return [ArticleSummary.from_dict(d) for d in self._catalog.table("articles").all()]

    def ids(self) -> set[str]:
        return {d["id"] for d in self._catalog.table("articles").all()}

    def has(self, article_id: str) -> bool:
        return bool(self._catalog.table("articles").search(Query().id == article_id))

    def article(self, article_id: str) -> Article | None:
        if not self.has(article_id):
            return None
        docs = self._shard(shard_of(article_id)).table("articles").search(Query().id == article_id)
        return Article.from_dict(docs[0]) if docs else None

    def articles(self) -> Iterable[Article]:
        """Every full record, shard by shard (for rebuilding derived indexes)."""
        listed = self.ids()
        shard_dir = self.folder / "shards"
        for path in sorted(shard_dir.glob("*.json")) if shard_dir.exists() else []:
            for doc in self._shard(path.stem).table("articles").all():
                if doc.get("id") in listed:
                    yield Article.from_dict(doc)

    # writing -----------------------------------------------------------------------
    def add(self, articles: list[Article]) -> None:
        """Add or replace ``articles`` in one batch: each touched shard is written once."""
        if not articles:
            return
        by_shard: dict[str, list[Article]] = {}
        for art in articles:
            by_shard.setdefault(shard_of(art.id), []).append(art)
        for shard, arts in by_shard.items():
            table = self._shard(shard).table("articles")
            keep = [d for d in table.all() if d.get("id") not in {a.id for a in arts}]
            self._write_table(self._shard(shard), "articles", keep + [a.to_dict() for a in arts])
        catalog = self._catalog.table("articles")
        new_ids = {a.id for a in articles}
        keep = [d for d in catalog.all() if d.get("id") not in new_ids]
        summaries = keep + [dict(a.summary().to_dict(), origin=a.origin) for a in articles]
        self._commit(summaries)

    def clear(self) -> None:
        """Drop every article (used by reset, which then rebuilds from the fixtures)."""
        self._commit([])
        shard_dir = self.folder / "shards"
        if shard_dir.exists():
            for path in shard_dir.glob("*.json"):
                self._shards.pop(path.stem, None)
                path.unlink()

    def _commit(self, summaries: list[dict[str, Any]]) -> None:
        data = {
            "articles": {str(i): d for i, d in enumerate(summaries, start=1)},
            "meta": {
                "1": {
                    "schema": SCHEMA_VERSION,
                    "generation": uuid.uuid4().hex,
                    "written": time.strftime("%Y-%m-%dT%H:%M:%S"),
                }
            },
        }
        self._catalog.storage.write(data)
        self._catalog.clear_cache()

    @staticmethod
    def _write_table(db: TinyDB, name: str, docs: list[dict[str, Any]]) -> None:
        data = dict(db.storage.read() or {})
        data[name] = {str(i): d for i, d in enumerate(docs, start=1)}
        db.storage.write(data)
        db.clear_cache()

    def _shard(self, shard: str) -> TinyDB:
        db = self._shards.get(shard)
        if db is None:
            db = open_tinydb(self.folder / "shards" / f"{shard}.json")
            self._shards[shard] = db
        return db

    def close(self) -> None:
        self._catalog.close()
        for db in self._shards.values():
            db.close()


class UserState:
    """Selected quotes and read marks: a small file of its own, cheap to write."""

    def __init__(self, home: Path) -> None:
        self.path = home / "user.json"
        self._db = open_tinydb(self.path)

    def selected(self) -> list[str]:
        docs = sorted(self._db.table("selected").all(), key=lambda d: d.get("order", 0))
        return [d["quote_id"] for d in docs]

    def is_selected(self, quote_id: str) -> bool:
        return bool(self._db.table("selected").search(Query().quote_id == quote_id))

    def select(self, quote_id: str) -> None:
        if self.is_selected(quote_id):
            return
        self._db.table("selected").insert({"quote_id": quote_id, "order": time.time_ns()})

    def unselect(self, quote_id: str) -> None:
        self._db.table("selected").remove(Query().quote_id == quote_id)

    def clear_selection(self) -> None:
        self._db.drop_table("selected")

    def read_ids(self) -> set[str]:
        return {d["article_id"] for d in self._db.table("read").all()}

    def mark_read(self, article_id: str) -> None:
        if not self._db.table("read").search(Query().article_id == article_id):
            self._db.table("read").insert({"article_id": article_id})

    def close(self) -> None:
        self._db.close()


def ensure_home(home: Path) -> None:
    try:
        home.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise NewsbrowseError(
            f"cannot create the newsbrowse home {home}: {exc.strerror}; "
            "choose another with --home or NEWSBROWSE_HOME"
        ) from None
