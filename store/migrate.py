"""Schema migrations: an older home is brought up to :data:`SCHEMA_VERSION`, keeping its data.

Each step rewrites files atomically and stamps the catalog last, so a migration killed
half-way runs again from the start on the next open (every step is idempotent).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from newsbrowse.store.db import SCHEMA_VERSION, Corpus, UserState, read_store_file
from newsbrowse.store.text import strip_controls


def _clean_origins(table: dict[str, Any]) -> dict[str, Any]:
    for doc in table.values():
        if isinstance(doc.get("origin"), str):
            doc["origin"] = strip_controls(doc["origin"])
    return table


def _v1_to_v2(corpus: Corpus, user: UserState) -> None:
    """Version 1 stored file names raw (control characters included) and left user.json
    unstamped: clean the names in every shard and the catalog, stamp user.json."""
    shard_dir = corpus.folder / "shards"
    for path in sorted(shard_dir.glob("*.json")) if shard_dir.is_dir() else []:
        db = corpus.shard_db(path.stem)
        data = dict(db.storage.read() or {})
        data["articles"] = _clean_origins(dict(data.get("articles", {})))
        db.storage.write(data)
        db.clear_cache()
    if user.path.exists():
        user.check()
        user.stamp()
    catalog = read_store_file(corpus.catalog_path) or {}
    corpus.commit(list(_clean_origins(dict(catalog.get("articles", {}))).values()))


STEPS: dict[int, Callable[[Corpus, UserState], None]] = {1: _v1_to_v2}


def migrate(corpus: Corpus, user: UserState) -> list[int]:
    """Run every step from the catalog's version up; return the versions migrated from."""
    version = corpus.schema()
    done = []
    while version is not None and version < SCHEMA_VERSION:
        STEPS[version](corpus, user)
        done.append(version)
        version = corpus.schema()
    if user.path.exists() and user.schema() != SCHEMA_VERSION:
        user.check()  # damage is reported, never carried forward
        user.stamp()
    return done


def needs_migration(corpus: Corpus, user: UserState) -> bool:
    """Whether opening this home will write (so it needs the lock)."""
    version = corpus.schema()
    user_version = user.schema() if user.path.exists() else SCHEMA_VERSION
    return (version is not None and version < SCHEMA_VERSION) or user_version < SCHEMA_VERSION
