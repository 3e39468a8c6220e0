"""Finding and repairing damaged store files, never by silently starting empty.

``newsbrowse recover`` sets every damaged file aside under a new name
(``catalog.json.damaged-YYYYMMDD-HHMMSS``), then restores what it can: a shard or
``user.json`` from its last good copy (``NAME.bak``, the version before the last write),
the catalog from the shards (which hold every full record, so nothing is lost).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsbrowse.store.db import (
    BACKUP_SUFFIX,
    NEWER,
    Corpus,
    atomic_write_bytes,
    catalog_entry,
    check_version,
    read_store_file,
)
from newsbrowse.store.errors import StoreDamaged
from newsbrowse.store.model import Article


@dataclass(frozen=True)
class Damage:
    """One store file that cannot be used, and why."""

    path: Path
    reason: str


def _article_problem(doc: dict[str, Any]) -> str | None:
    body = doc.get("body")
    if not all(isinstance(doc.get(k), str) for k in ("id", "title", "body")):
        return "an article record without id, title or body"
    for mark in (doc.get("quotes") or []) + (doc.get("links") or []):
        if not isinstance(mark, dict):
            return "a quote or link that is not a record"
        start, end = mark.get("start"), mark.get("end")
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end):
            return "a quote or link without valid offsets"
        if end > len(body):  # type: ignore[arg-type]
            return "a quote or link beyond the article text"
    return None


def file_problem(path: Path, kind: str) -> str | None:
    """Why ``path`` (a ``catalog``, ``shard`` or ``user`` file) cannot be used, or None."""
    try:
        data = read_store_file(path)
    except StoreDamaged as exc:
        return str(exc)
    if data is None:
        return None
    if kind == "shard":
        for doc in data.get("articles", {}).values():
            problem = _article_problem(doc)
            if problem:
                return f"store file {path} holds {problem}"
    elif kind == "catalog":
        if not all(isinstance(d.get("id"), str) for d in data.get("articles", {}).values()):
            return f"store file {path} holds a catalog entry without an id"
    else:
        for table, key in (("selected", "quote_id"), ("read", "article_id")):
            if not all(isinstance(d.get(key), str) for d in data.get(table, {}).values()):
                return f"store file {path} holds a {table} entry without {key}"
    return None


def store_files(home: Path) -> list[tuple[Path, str]]:
    """Every TinyDB file of a home with its kind."""
    corpus = home / "corpus"
    shards = sorted((corpus / "shards").glob("*.json")) if (corpus / "shards").is_dir() else []
    return [
        (corpus / "catalog.json", "catalog"),
        *((p, "shard") for p in shards),
        (home / "user.json", "user"),
    ]


def find_damage(home: Path) -> list[Damage]:
    """The damaged files of ``home``; a file from a newer newsbrowse stops the search."""
    found = []
    for path, kind in store_files(home):
        problem = file_problem(path, kind)
        if problem is None and kind != "shard":
            problem = _version_problem(path)
        if problem and NEWER in problem:
            raise StoreDamaged(problem)
        if problem:
            found.append(Damage(path, problem))
    return found


def _version_problem(path: Path) -> str | None:
    data = read_store_file(path) or {}
    docs = list(data.get("meta", {}).values())
    try:
        check_version(path, docs[0].get("schema") if docs else 1)
    except StoreDamaged as exc:
        return str(exc)
    return None


def set_aside(path: Path) -> Path:
    """Rename ``path`` to ``NAME.damaged-YYYYMMDD-HHMMSS`` (never over another file)."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    kept = path.with_name(f"{path.name}.damaged-{stamp}")
    n = 1
    while kept.exists():
        n += 1
        kept = path.with_name(f"{path.name}.damaged-{stamp}-{n}")
    path.rename(kept)
    return kept


def _restore_backup(path: Path, kind: str) -> bool:
    backup = path.with_name(path.name + BACKUP_SUFFIX)
    if not backup.is_file() or file_problem(backup, kind):
        return False
    atomic_write_bytes(path, backup.read_bytes())
    return True


def recover_home(home: Path) -> list[str]:
    """Repair ``home`` (its lock held) and say, one line per file, what was done."""
    report = []
    damage = find_damage(home)
    catalog_damaged = False
    for item in damage:
        kind = dict(store_files(home)).get(item.path, "shard")
        kept = set_aside(item.path)
        line = f"{item.path.name}: set aside as {kept.name}"
        if kind == "catalog":
            catalog_damaged = True
            report.append(line + "; rebuilt from the article records")
        elif _restore_backup(item.path, kind):
            report.append(line + "; restored the last good copy")
        elif kind == "user":
            report.append(line + "; no good copy, the selection and read marks start empty")
        else:
            report.append(line + "; no good copy, its articles leave the corpus")
    corpus = Corpus(home)
    try:
        records = {a.id: a for a in _shard_articles(corpus)}
        listed = list(records)
        if not catalog_damaged:
            listed = [d["id"] for d in corpus.catalog_entries()]
            lost = [i for i in listed if i not in records]
            if lost:
                report.append(f"{len(lost)} articles had no record left and were dropped")
            listed = [i for i in listed if i in records]
        if report:
            corpus.commit([catalog_entry(records[i]) for i in listed])
    finally:
        corpus.close()
    return report


def _shard_articles(corpus: Corpus) -> list[Article]:
    out = []
    shard_dir = corpus.folder / "shards"
    for path in sorted(shard_dir.glob("*.json")) if shard_dir.is_dir() else []:
        data = read_store_file(path) or {}
        out.extend(Article.from_dict(d) for d in data.get("articles", {}).values())
    return out
