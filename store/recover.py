"""Finding and repairing damaged store files, never by silently starting empty.

``newsbrowse recover`` reads every store file first (one it cannot read stops it before
any change), then sets every damaged file aside under a new name
(``meta.json.damaged-YYYYMMDD-HHMMSS``), then restores what it can: ``user.json`` from its
last good copy (``NAME.bak``, the version before the last write); ``meta.json`` from the
chunk files present (each chunk is self-contained, so nothing is lost); a damaged chunk
leaves the corpus, and the message says how many articles it held and that importing
their files again restores them. The derived index is removed, to be rebuilt from the
repaired files. A home of an older layout (catalog and shards) is repaired in its own
terms, then migrated on opening.
"""

from __future__ import annotations

import contextlib
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsbrowse.store.chunks import chunk_files
from newsbrowse.store.corpus import Corpus
from newsbrowse.store.errors import StoreDamaged
from newsbrowse.store.files import BACKUP_SUFFIX, atomic_write_bytes
from newsbrowse.store.json_files import NEWER, check_version, read_store_file
from newsbrowse.store.model import Article
from newsbrowse.store.pending import read_pending
from newsbrowse.store.records import chunk_problem, meta_problem, user_problem


@dataclass(frozen=True)
class Damage:
    """One store file that cannot be used, and why."""

    path: Path
    reason: str


def file_problem(path: Path, kind: str) -> str | None:
    """Why ``path`` (a ``meta``, ``chunk``, ``user``, or an older home's ``catalog`` or
    ``shard`` file) cannot be used, or None. A file the system will not read is no
    damage: :class:`StoreUnreadable` stops the caller before it changes anything."""
    try:
        read_store_file(path, _CHECKS.get(kind))
    except StoreDamaged as exc:
        return str(exc)
    return None


def _catalog_problem(data: dict[str, dict[str, Any]]) -> str | None:
    if not all(isinstance(d.get("id"), str) for d in data.get("articles", {}).values()):
        return "holds a catalog entry without an id"
    return None


_CHECKS = {
    "meta": meta_problem,
    "chunk": chunk_problem,
    "shard": chunk_problem,
    "catalog": _catalog_problem,
    "user": user_problem,
}


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
    backup = _good_backup(path, kind)
    if backup is None:
        return False
    atomic_write_bytes(path, backup)
    return True


def recover_home(home: Path) -> list[str]:
    """Repair ``home`` (its lock held) and say, one line per file, what was done.

    Every store file is read before anything is written: a file or folder the system
    will not read stops it with :class:`StoreUnreadable` and the home as it was."""
    damage = find_damage(home)
    kinds = dict(store_files(home))
    if any(kinds.get(d.path) in ("catalog", "shard") for d in damage):
        return _recover_legacy(home, damage, kinds)
    plan = _plan(home, damage, kinds)
    report = []
    for item in damage:
        kept = set_aside(item.path)
        report.append(f"{item.path.name}: set aside as {kept.name}; {plan.outcome[item.path]}")
        if item.path in plan.restore:
            atomic_write_bytes(item.path, plan.restore[item.path])
    report += plan.notes
    if plan.counts is not None and report:
        corpus = Corpus(home)
        try:
            corpus.commit(plan.counts)
        finally:
            corpus.close()
    _drop_index(home)
    return report


def _drop_index(home: Path) -> None:
    """Remove the derived index: it is rebuilt from the repaired store when next read
    (it may be out of step with a store file changed behind newsbrowse's back)."""
    for name in ("index.sqlite", "index.sqlite.writing"):
        with contextlib.suppress(FileNotFoundError):
            (home / name).unlink()


@dataclass
class _Plan:
    """What recovering a home will do, worked out before it changes anything."""

    outcome: dict[Path, str] = field(default_factory=dict)  # per damaged file
    restore: dict[Path, bytes] = field(default_factory=dict)  # last good copies to put back
    notes: list[str] = field(default_factory=list)  # lines about files that are gone
    counts: dict[str, int] | None = None  # the chunks meta.json is to list, if rewritten


def _plan(home: Path, damage: list[Damage], kinds: dict[Path, str]) -> _Plan:
    plan = _Plan()
    damaged = {d.path for d in damage}
    meta_path = home / "corpus" / "meta.json"
    present = {p.stem: p for p in chunk_files(home / "corpus" / "chunks")}
    good = {name: path for name, path in present.items() if path not in damaged}
    listed: dict[str, int] | None = None
    if meta_path.exists() and meta_path not in damaged:
        listed = dict((read_store_file(meta_path, meta_problem) or {})["meta"]["1"]["chunks"])
    for path in damaged:
        kind = kinds.get(path, "chunk")
        if kind == "meta":
            plan.outcome[path] = f"its list of chunks was rebuilt from the {len(good)} chunk files"
        elif kind == "user":
            backup = _good_backup(path, kind)
            if backup is not None:
                plan.restore[path] = backup
                plan.outcome[path] = "restored the last good copy"
            else:
                plan.outcome[path] = "no good copy, the selection and read marks start empty"
        elif listed is not None and path.stem not in listed:
            plan.outcome[path] = "it was not part of the corpus (an import that did not finish)"
        else:
            held = (listed or {}).get(path.stem)
            what = f"its {held} articles" if held is not None else "its articles"
            plan.outcome[path] = f"{what} left the corpus: import their files again to restore them"
    if listed is not None:
        for name, held in listed.items():
            if name not in present:
                plan.notes.append(
                    f"chunk {name}.json is missing: its {held} articles left the corpus: "
                    "import their files again to restore them"
                )
        counts = {name: held for name, held in listed.items() if name in good}
        # An intact chunk no commit lists, that no writer left pending nor a reset
        # retired, holds committed articles meta.json lost (edited, or an old copy).
        meta = (read_store_file(meta_path, meta_problem) or {})["meta"]["1"]
        skip = read_pending(meta_path.parent) | set(meta.get("retired", ()))
        for name, path in good.items():
            if name not in listed and name not in skip:
                held = len((read_store_file(path, chunk_problem) or {}).get("articles", {}))
                counts[name] = held
                plan.notes.append(
                    f"chunk {name}.json: present but not listed in meta.json; its {held} "
                    "articles are listed again"
                )
        plan.counts = dict(sorted(counts.items()))
    elif good or meta_path in damaged:
        # Each chunk is self-contained: the list is rebuilt from those present and whole.
        if meta_path not in damaged:
            plan.notes.append(
                f"meta.json: missing; its list of chunks was rebuilt from the {len(good)} "
                "chunk files"
            )
        plan.counts = {
            name: len((read_store_file(path, chunk_problem) or {}).get("articles", {}))
            for name, path in sorted(good.items())
        }
    return plan


def _good_backup(path: Path, kind: str) -> bytes | None:
    """The bytes of ``path``'s last good copy (``NAME.bak``), if it has one."""
    backup = path.with_name(path.name + BACKUP_SUFFIX)
    if not backup.is_file() or file_problem(backup, kind):
        return None
    try:
        return backup.read_bytes()
    except OSError:
        return None


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
