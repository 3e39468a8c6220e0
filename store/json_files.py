"""The store's JSON files (``meta.json``, the chunks, ``user.json``): TinyDB tables, read
whole and checked once, written atomically with the last good copy kept as ``NAME.bak``.

A file that cannot be used is named in one line with the two ways out (``recover``,
``reset``) and never replaced silently; one the system will not read is no damage
(:func:`newsbrowse.store.files.unreadable`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from newsbrowse.store.errors import StoreDamaged, StoreWriteFailed
from newsbrowse.store.files import atomic_write_bytes, unreadable
from newsbrowse.store.text import parse_json
from tinydb import TinyDB
from tinydb.storages import Storage

# 1: wave one. 2: user.json carries its own schema stamp; stored file names hold no
# control characters. 3: meta.json + append-only chunks replace catalog.json + 64 hash
# shards (each import rewrote them all). :mod:`newsbrowse.store.migrate` brings older homes up.
SCHEMA_VERSION = 3
NEWER = "newer than this newsbrowse"

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
    """The one line about a write the system refused: the store is as it was."""
    reason = getattr(exc, "strerror", None) or str(exc)
    return StoreWriteFailed(
        f"cannot write {path}: {reason}; the store is unchanged "
        "(free some disk space or fix the folder, then try again)"
    )


def open_tinydb(path: Path, check: Check | None = None) -> TinyDB:
    """A TinyDB on ``path`` through :class:`AtomicJSONStorage`, ``check`` run on each read."""
    return TinyDB(path, storage=AtomicJSONStorage, check=check)
