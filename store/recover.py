"""Finding and repairing damaged store files, never by silently starting empty.

``newsbrowse recover`` sets every damaged file aside under a new name
(``meta.json.damaged-YYYYMMDD-HHMMSS``), then restores what it can: ``user.json`` from its
last good copy (``NAME.bak``, the version before the last write); ``meta.json`` from the
chunk files present (each chunk is self-contained, so nothing is lost); a damaged chunk
leaves the corpus, and the message says how many articles it held and that importing
their files again restores them. A home of an older layout (catalog and shards) is
repaired in its own terms, then migrated on opening.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsbrowse.store.db import (
    BACKUP_SUFFIX,
    NEWER,
    Corpus,
    atomic_write_bytes,
    check_version,
    chunk_files,
    chunk_number,
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
    """Why ``path`` (a ``meta``, ``chunk``, ``user``, or an older home's ``catalog`` or
    ``shard`` file) cannot be used, or None."""
    try:
        data = read_store_file(path)
    except StoreDamaged as exc:
        return str(exc)
    if data is None:
        return None
    if kind in ("chunk", "shard"):
        for doc in data.get("articles", {}).values():
            problem = _article_problem(doc)
            if problem:
                return f"store file {path} holds {problem}"
    elif kind == "catalog":
        if not all(isinstance(d.get("id"), str) for d in data.get("articles", {}).values()):
            return f"store file {path} holds a catalog entry without an id"
    elif kind == "meta":
        docs = list(data.get("meta", {}).values())
        chunks = docs[0].get("chunks") if docs else None
        if not isinstance(chunks, dict) or not all(
            chunk_number(k) is not None and isinstance(v, int) for k, v in chunks.items()
        ):
            return f"store file {path} holds no valid list of chunks"
    else:
        for table, key in (("selected", "quote_id"), ("read", "article_id")):
            if not all(isinstance(d.get(key), str) for d in data.get(table, {}).values()):
                return f"store file {path} holds a {table} entry without {key}"
    return None


def store_files(home: Path) -> list[tuple[Path, str]]:
    """Every TinyDB file of a home with its kind (an older layout's while not migrated)."""
    corpus = home / "corpus"
    if not (corpus / "meta.json").exists() and (corpus / "catalog.json").exists():
        shards = sorted((corpus / "shards").glob("*.json")) if (corpus / "shards").is_dir() else []
        files = [(corpus / "catalog.json", "catalog"), *((p, "shard") for p in shards)]
    else:
        files = [
            (corpus / "meta.json", "meta"),
            *((p, "chunk") for p in chunk_files(corpus / "chunks")),
        ]
    return [*files, (home / "user.json", "user")]


def find_damage(home: Path) -> list[Damage]:
    """The damaged files of ``home``; a file from a newer newsbrowse stops the search."""
    found = []
    for path, kind in store_files(home):
        problem = file_problem(path, kind)
        if problem is None and kind in ("meta", "catalog", "user"):
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
    damage = find_damage(home)
    kinds = dict(store_files(home))
    if any(kinds.get(d.path) in ("catalog", "shard") for d in damage):
        return _recover_legacy(home, damage, kinds)
    report = []
    corpus = Corpus(home)
    try:
        counts: dict[str, int] | None = None
        if not any(kinds.get(d.path) == "meta" for d in damage) and corpus.meta_path.exists():
            counts = corpus.chunk_counts()
        for item in damage:
            kind = kinds.get(item.path, "chunk")
            kept = set_aside(item.path)
            line = f"{item.path.name}: set aside as {kept.name}"
            if kind == "meta":
                report.append(line + "; its list of chunks was rebuilt from the chunk files")
            elif kind == "user":
                if _restore_backup(item.path, kind):
                    report.append(line + "; restored the last good copy")
                else:
                    report.append(line + "; no good copy, the selection and read marks start empty")
            else:
                held = (counts or {}).get(item.path.stem)
                what = f"its {held} articles" if held is not None else "its articles"
                report.append(
                    line + f"; {what} left the corpus: import their files again to restore them"
                )
        present = {p.stem: p for p in chunk_files(corpus.chunk_dir)}
        if not corpus.meta_path.exists() and present and not report:
            report.append(
                f"meta.json: missing; its list of chunks was rebuilt from the "
                f"{len(present)} chunk files"
            )
        if (
            counts is None
            and (report or corpus.chunk_dir.is_dir())
            and not corpus.meta_path.exists()
        ):
            if present:
                counts = {
                    n: len((read_store_file(p) or {}).get("articles", {}))
                    for n, p in present.items()
                }
        elif counts is not None:
            missing = [n for n in counts if n not in present]
            for name in missing:
                report.append(
                    f"chunk {name}.json is missing: its {counts[name]} articles left the corpus: "
                    "import their files again to restore them"
                )
            counts = {n: c for n, c in counts.items() if n in present}
        if report and counts is not None:
            corpus.commit(counts)
    finally:
        corpus.close()
    return report


def _recover_legacy(home: Path, damage: list[Damage], kinds: dict[Path, str]) -> list[str]:
    """An older home's catalog or shards are damaged: set them aside, restore the shards'
    last good copies, and write a catalog of the records left (migrated on opening)."""
    report = []
    catalog_path = home / "corpus" / "catalog.json"
    for item in damage:
        kind = kinds.get(item.path, "shard")
        kept = set_aside(item.path)
        line = f"{item.path.name}: set aside as {kept.name}"
        if kind == "catalog":
            report.append(line + "; rebuilt from the article records")
        elif _restore_backup(item.path, kind):
            report.append(line + "; restored the last good copy")
        elif kind == "user":
            report.append(line + "; no good copy, the selection and read marks start empty")
        else:
            report.append(line + "; no good copy, its articles leave the corpus")
    records: dict[str, dict[str, Any]] = {}
    for path in sorted((home / "corpus" / "shards").glob("*.json")):
        for doc in (read_store_file(path) or {}).get("articles", {}).values():
            records[doc["id"]] = doc
    listed = list(records)
    if catalog_path.exists():
        catalog = read_store_file(catalog_path) or {}
        listed = [d["id"] for d in catalog.get("articles", {}).values()]
        lost = [i for i in listed if i not in records]
        if lost:
            report.append(f"{len(lost)} articles had no record left and were dropped")
        listed = [i for i in listed if i in records]
    entries = {
        str(n): dict(
            Article.from_dict(records[i]).summary().to_dict(), origin=records[i].get("origin")
        )
        for n, i in enumerate(listed, 1)
    }
    data = {"articles": entries, "meta": {"1": {"schema": 2, "generation": "recovered"}}}
    atomic_write_bytes(catalog_path, json.dumps(data, ensure_ascii=False).encode("utf-8"))
    return report
