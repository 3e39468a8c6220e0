"""Schema migrations: an older home is brought up to :data:`SCHEMA_VERSION`, keeping its data.

Versions 1 and 2 kept a catalog of every summary (``corpus/catalog.json``, the commit
point) and the full records in 64 hash shards (``corpus/shards/NN.json``). Both become
version 3 in one step: the catalog's articles, read from the shards, are written into new
chunks, then ``meta.json`` commits them; only then are the old files removed. A migration
killed half-way runs again from the start on the next open (the chunks it wrote are not
listed, and are removed). Version 1 also stored file names raw: they are cleaned on the way.
"""

from __future__ import annotations

import contextlib
import shutil
from typing import Any

from newsbrowse.store.corpus import Corpus
from newsbrowse.store.errors import StoreDamaged
from newsbrowse.store.json_files import SCHEMA_VERSION, damage_message, read_store_file
from newsbrowse.store.records import article_from_record
from newsbrowse.store.text import strip_controls
from newsbrowse.store.user_state import UserState


def _legacy_records(corpus: Corpus) -> list[dict[str, Any]]:
    """The records of a version 1 or 2 home, in its catalog's order; an article the
    catalog lists but no shard holds is damage (named), never dropped silently."""
    catalog = read_store_file(corpus.legacy_catalog) or {}
    listed = [d.get("id") for d in catalog.get("articles", {}).values()]
    records: dict[str, dict[str, Any]] = {}
    shard_dir = corpus.folder / "shards"
    for path in sorted(shard_dir.glob("*.json")) if shard_dir.is_dir() else []:
        for doc in (read_store_file(path) or {}).get("articles", {}).values():
            if isinstance(doc.get("id"), str):
                article_from_record(doc, path)  # a malformed record is reported by its file
                records[doc["id"]] = doc
    missing = [i for i in listed if i not in records]
    if missing:
        raise StoreDamaged(
            damage_message(corpus.legacy_catalog, f"lists {len(missing)} articles no shard holds")
        )
    out = []
    for article_id in dict.fromkeys(listed):
        doc = dict(records[article_id])  # type: ignore[index]
        if isinstance(doc.get("origin"), str):
            doc["origin"] = strip_controls(doc["origin"])
        out.append(doc)
    return out


def _legacy_to_v3(corpus: Corpus, user: UserState) -> None:
    docs = _legacy_records(corpus)
    if user.path.exists():
        user.check()  # damage is reported, never carried forward
    articles = [article_from_record(d, corpus.legacy_catalog) for d in docs]
    # Chunks present already are a killed migration's, never committed: this one's
    # commit retires them (deleted once it is on disk).
    leftovers = [path.stem for path in corpus.chunk_files()]
    written = corpus.write_chunks(articles, None)
    corpus.commit(written, retired=leftovers)
    if user.path.exists():
        user.stamp()
    remove_leftovers(corpus)


def remove_leftovers(corpus: Corpus) -> None:
    """Once ``meta.json`` is committed, delete what it superseded: chunks it does not
    list (a killed import or reset) and the files of a migrated older layout.
    Call only while holding the lock."""
    if not corpus.meta_path.exists():
        return
    try:
        corpus.remove_unlisted_chunks()
    except StoreDamaged:
        return  # a damaged meta.json deletes nothing; it is reported when read
    for name in ("catalog.json", "catalog.json.bak"):
        with contextlib.suppress(OSError):
            (corpus.folder / name).unlink()
    shutil.rmtree(corpus.folder / "shards", ignore_errors=True)


def migrate(corpus: Corpus, user: UserState) -> list[int]:
    """Bring the corpus and user.json up to this version; return the versions migrated from."""
    version = corpus.schema()
    done = []
    if version is not None and version < SCHEMA_VERSION:
        _legacy_to_v3(corpus, user)
        done.append(version)
    if user.path.exists() and user.schema() != SCHEMA_VERSION:
        user.check()  # damage is reported, never carried forward
        user.stamp()
    return done


def needs_migration(corpus: Corpus, user: UserState) -> bool:
    """Whether opening this home will write (so it needs the lock)."""
    version = corpus.schema()
    user_version = user.schema() if user.path.exists() else SCHEMA_VERSION
    return (version is not None and version < SCHEMA_VERSION) or user_version < SCHEMA_VERSION
