"""TinyDB access: the corpus (a catalog of summaries plus sharded article records) and
the user's state, each in files of their own, every write atomic.

Layout under the home folder::

    corpus/catalog.json      summaries of every article (what the list needs) + schema
    corpus/shards/NN.json    full article records (body, quotes, links), by id prefix
    user.json                selected quotes and read marks: never shares a file with the corpus

The catalog is the commit point of an import: shards are written first, then the
catalog, so an article is in the corpus exactly when the catalog lists it. Each write
replaces its file atomically and keeps the replaced version as ``NAME.bak``, the last
good copy that ``newsbrowse recover`` restores (see :mod:`newsbrowse.store.recover`).
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import tempfile
import time
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from newsbrowse.store.errors import NewsbrowseError, StoreDamaged, StoreWriteFailed
from newsbrowse.store.model import Article, ArticleSummary
from newsbrowse.store.text import parse_json
from tinydb import Query, TinyDB
from tinydb.storages import Storage

# 1: wave one. 2: user.json carries its own schema stamp; stored file names hold no
# control characters. :mod:`newsbrowse.store.migrate` moves a version-1 home to 2.
SCHEMA_VERSION = 2
SHARD_COUNT = 64
BACKUP_SUFFIX = ".bak"
NEWER = "newer than this newsbrowse"
# What ``atomic_write_bytes`` and the index leave behind when killed mid-write.
_STALE = re.compile(r"^\..+\.[A-Za-z0-9_]+\.tmp$|^index\.sqlite.*\.building$")


def _fsync_dir(folder: Path) -> None:
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
    _fsync_dir(folder)


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


def remove_stale_temporaries(home: Path) -> list[Path]:
    """Delete the temporary files a killed writer left; call only while holding the lock."""
    removed = []
    for folder in (home, home / "corpus", home / "corpus" / "shards"):
        if not folder.is_dir():
            continue
        for path in folder.iterdir():
            if _STALE.match(path.name) and path.is_file():
                with contextlib.suppress(OSError):
                    path.unlink()
                    removed.append(path)
    return removed


def read_store_file(path: Path) -> dict[str, dict[str, Any]] | None:
    """The tables in ``path`` (None if it does not exist), or :class:`StoreDamaged`.

    An empty file is damage, not an empty store: replacing it would drop every record.
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StoreDamaged(f"cannot read store file {path}: {exc.strerror}") from None
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
    return data


def damage_message(path: Path, reason: str) -> str:
    """The one line a user reads about a damaged file, with the two ways out."""
    return (
        f"store file {path} {reason}; it was left as it is. Run `newsbrowse recover` to "
        "set it aside and restore the last good copy, or `newsbrowse reset`"
    )


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
        data = read_store_file(self.path)
        self._cache, self._stamp = data, stamp
        return data

    def write(self, data: dict[str, Any]) -> None:
        try:
            payload = json.dumps(
                data, ensure_ascii=False, allow_nan=False, separators=(",", ":")
            ).encode("utf-8")
            atomic_write_bytes(self.path, payload, keep_backup=True)
        except (OSError, ValueError) as exc:
            # TinyDB changed the cached tables in place before calling us: forget them so
            # the next read shows what is on disk, which is still the old state.
            self._cache, self._stamp = None, None
            reason = getattr(exc, "strerror", None) or str(exc)
            raise StoreWriteFailed(
                f"cannot write {self.path}: {reason}; the store is unchanged "
                "(free some disk space or fix the folder, then try again)"
            ) from None
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


def catalog_entry(article: Article) -> dict[str, Any]:
    """An article's catalog entry: its summary and the file it came from."""
    return dict(article.summary().to_dict(), origin=article.origin)


def _article(doc: dict[str, Any], path: Path) -> Article:
    """A stored record as an Article; a record of another shape is damage, named by file."""
    try:
        return Article.from_dict(doc)
    except (KeyError, TypeError, ValueError, AttributeError):
        raise StoreDamaged(damage_message(path, "holds a malformed article record")) from None


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

    def schema(self) -> int | None:
        """The catalog's schema version (None for a home with no catalog yet)."""
        if not self.exists():
            return None
        return check_version(self.catalog_path, self.meta().get("schema"))

    @property
    def generation(self) -> str:
        return str(self.meta().get("generation", ""))

    def catalog_entries(self) -> list[dict[str, Any]]:
        """The catalog's raw entries (summaries plus each article's origin)."""
        return [dict(d) for d in self._catalog.table("articles").all()]

    def summaries(self) -> list[ArticleSummary]:
        return [ArticleSummary.from_dict(d) for d in self.catalog_entries()]

    def ids(self) -> set[str]:
        return {d["id"] for d in self._catalog.table("articles").all()}

    def has(self, article_id: str) -> bool:
        return bool(self._catalog.table("articles").search(Query().id == article_id))

    def article(self, article_id: str) -> Article | None:
        if not self.has(article_id):
            return None
        shard = shard_of(article_id)
        path = self.folder / "shards" / f"{shard}.json"
        docs = self.shard_db(shard).table("articles").search(Query().id == article_id)
        if not docs:
            raise StoreDamaged(damage_message(path, f"lacks article {article_id} of the catalog"))
        return _article(docs[0], path)

    def articles(self) -> Iterable[Article]:
        """Every full record, shard by shard (for rebuilding derived indexes)."""
        listed = self.ids()
        shard_dir = self.folder / "shards"
        for path in sorted(shard_dir.glob("*.json")) if shard_dir.exists() else []:
            for doc in self.shard_db(path.stem).table("articles").all():
                if doc.get("id") in listed:
                    yield _article(doc, path)

    # writing -----------------------------------------------------------------------
    def add(self, articles: list[Article]) -> None:
        """Add or replace ``articles`` in one batch: each touched shard is written once."""
        if not articles:
            return
        self._write_records(articles)
        new_ids = {a.id for a in articles}
        keep = [d for d in self.catalog_entries() if d.get("id") not in new_ids]
        self.commit(keep + [catalog_entry(a) for a in articles])

    def replace_all(self, articles: list[Article]) -> None:
        """Make ``articles`` the whole corpus with one catalog write (reset's commit point),
        then drop the records no longer listed."""
        self._write_records(articles)
        self.commit([catalog_entry(a) for a in articles])
        listed = {a.id for a in articles}
        shard_dir = self.folder / "shards"
        for path in sorted(shard_dir.glob("*.json")) if shard_dir.exists() else []:
            db = self.shard_db(path.stem)
            docs = db.table("articles").all()
            if any(d.get("id") not in listed for d in docs):
                self._write_table(db, "articles", [d for d in docs if d.get("id") in listed])

    def _write_records(self, articles: list[Article]) -> None:
        by_shard: dict[str, list[Article]] = {}
        for art in articles:
            by_shard.setdefault(shard_of(art.id), []).append(art)
        for shard, arts in by_shard.items():
            table = self.shard_db(shard).table("articles")
            ids = {a.id for a in arts}
            keep = [d for d in table.all() if d.get("id") not in ids]
            self._write_table(self.shard_db(shard), "articles", keep + [a.to_dict() for a in arts])

    def commit(self, summaries: list[dict[str, Any]]) -> None:
        """Write the catalog: the one step that makes articles part of the corpus."""
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

    def shard_db(self, shard: str) -> TinyDB:
        """The TinyDB of shard ``shard`` (two digits), opened once."""
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
    try:
        home.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise NewsbrowseError(
            f"cannot create the newsbrowse home {home}: {exc.strerror}; "
            "choose another with --home or NEWSBROWSE_HOME"
        ) from None
