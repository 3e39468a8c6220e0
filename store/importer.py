"""The import: files and folders walked, each file read, refused with a reason or analysed
(here, or by worker processes for a large import: :mod:`newsbrowse.store.parallel`),
duplicates dropped, and the articles handed on in batches to be committed.

Nothing here writes the store: the caller's ``commit`` does, a batch of :data:`BATCH`
articles at a time, so that an import stopped half-way keeps what it committed and,
run again, skips those files by their bytes before analysing them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from newsbrowse.store import queries
from newsbrowse.store.file_kinds import PAGE, SNIFF_BYTES, decode_page, kind_of
from newsbrowse.store.model import Article
from newsbrowse.store.sources import ImportResult, Item, gather, in_order
from newsbrowse.store.text import decode_bytes, strip_controls

__all__ = ["BATCH", "ImportResult", "Item", "Seen", "gather", "import_items", "in_order"]

if TYPE_CHECKING:  # the analysis is imported when a file is analysed, not before
    from newsbrowse.store.index import Index
    from newsbrowse.store.parallel import Job
    from newsbrowse.store.rules import Rules

# A news article is tens of kilobytes. The pipeline takes about 1.3-1.5 s on 1 MB and
# 7.7 s on 5.25 MB (CPU, the seeds repeated), so larger files are refused with a reason.
MAX_FILE_BYTES = 1024 * 1024
MAX_PAGE_BYTES = 5 * 1024 * 1024
"""A saved page holds its scripts and styles too (a news page is often 0.5-2 MB); only
its article, far smaller, is analysed."""
BATCH = 1000
"""Articles committed at a time: what an interrupted import keeps, at most, of its work."""

ProgressFn = Callable[[int, int], None]
Analysed = tuple["ImportResult", Article | None, str | None]
"""A file's result, its article if it is to be stored, and the SHA-256 of its bytes."""


@dataclass
class Seen:
    """What an import already holds: ids and source hashes of this run, then the index's."""

    ids: set[str] = field(default_factory=set)
    sources: dict[str, str] = field(default_factory=dict)
    index: Index | None = None

    def has(self, article_id: str) -> bool:
        """Whether an article of this id is stored, or stored by this run."""
        if article_id in self.ids:
            return True
        return self.index is not None and queries.has_article(self.index.conn, article_id)

    def source(self, sha: str) -> str | None:
        """The article imported from a file of these exact bytes, if any."""
        if sha in self.sources:
            return self.sources[sha]
        return queries.source_article(self.index.conn, sha) if self.index is not None else None


def import_items(
    items: list[Item],
    rules: Rules,
    seen: Seen,
    commit: Callable[[list[tuple[Article, str | None]]], None],
    progress: ProgressFn | None = None,
    jobs: int | None = None,
) -> list[ImportResult]:
    """Analyse ``items`` in order and hand the new articles (with their source hashes) to
    ``commit``, :data:`BATCH` at a time and once at the end; report each file's result."""
    results: list[ImportResult] = []
    pending: list[tuple[Article, str | None]] = []
    for done, (result, art, sha) in enumerate(analysed(items, rules, seen, jobs), 1):
        results.append(result)
        if art is not None:
            seen.ids.add(art.id)
            if sha:
                seen.sources[sha] = art.id
            pending.append((art, sha))
        if len(pending) >= BATCH:
            commit(pending)
            pending = []
        if progress:
            progress(done, len(items))
    commit(pending)
    return results


def analysed(items: list[Item], rules: Rules, seen: Seen, jobs: int | None) -> Iterator[Analysed]:
    """Each file's result, in order: analysed here, or by workers on the other cores
    for a large import (:mod:`newsbrowse.store.parallel`)."""
    from newsbrowse.store import parallel  # not at the app's start

    workers = parallel.available_cores() if jobs is None else jobs
    if workers <= 1 or len(items) < parallel.MIN_FILES:
        for item in items:
            yield analyse_file(item, seen, rules)
        return
    # Files are read ahead of the results. A copy of a file still in analysis is
    # analysed too, and then found a duplicate by its id, as on one core.
    reads: dict[int, ImportResult | tuple[Job, str]] = {}

    def jobs_of() -> Iterator[tuple[int, Job | None]]:
        for n, item in enumerate(items):
            reads[n] = read = read_file(item, seen)
            yield n, None if isinstance(read, ImportResult) else read[0]

    with parallel.Analysts[int](rules, workers) as analysts:
        for n, outcome in analysts.analysed(jobs_of()):
            read = reads.pop(n)
            if isinstance(read, ImportResult):
                yield read, None, None
            else:
                assert outcome is not None, "a file read whole is analysed"
                label = strip_controls(items[n].label)
                yield (*accepted(label, outcome, seen), read[1])


def analyse_file(item: Item, seen: Seen, rules: Rules) -> Analysed:
    """Analyse one file, unless its bytes were imported before (an interrupted import
    run again skips what it committed without analysing it) or it is refused."""
    from newsbrowse.store import parallel

    read = read_file(item, seen)
    if isinstance(read, ImportResult):
        return read, None, None
    job, sha = read
    outcome = parallel.analyse_job(job, rules)
    return (*accepted(strip_controls(item.label), outcome, seen), sha)


def read_file(item: Item, seen: Seen) -> ImportResult | tuple[Job, str]:
    """A file's analysis job and the SHA-256 of its bytes, or why it is not imported."""
    label = strip_controls(item.label)  # shown to the user: no controls, no broken characters
    if item.data is not None:  # a feed's entry, a fetched page
        data, kind = item.data, item.kind or PAGE
        origin = label
    else:
        assert item.path is not None, "an item is a file, or brings its bytes"
        read = _read_bytes(item.path, item.named)
        if isinstance(read, str):
            return ImportResult(label, skipped=read)
        data, kind = read
        origin = item.path.name
    sha = hashlib.sha256(data).hexdigest()
    known = seen.source(sha)
    if known is not None:
        return ImportResult(label, skipped=f"duplicate of article {known}")
    try:
        text = strip_controls(decode_page(data) if kind == PAGE else decode_bytes(data))
    except ValueError as exc:
        return ImportResult(label, skipped=str(exc))
    if not text.strip():
        return ImportResult(label, skipped="empty file")
    from newsbrowse.store.parallel import Job

    return Job(text, item.meta, strip_controls(origin), kind, item.fallback), sha


def _read_bytes(path: Path, named: bool) -> tuple[bytes, str] | str:
    """A file's bytes and kind (a text or a saved page), or why it is not read: empty,
    of another kind, larger than its kind's limit, unreadable."""
    try:
        size = path.stat().st_size
        if size == 0:
            return "empty file"
        with path.open("rb") as f:
            data = f.read(MAX_PAGE_BYTES if size <= MAX_PAGE_BYTES else SNIFF_BYTES)
    except OSError as exc:
        return f"unreadable: {exc.strerror}"
    kind = kind_of(path, data, named)
    if kind is None:
        return f"unsupported type ({strip_controls(path.suffix.lower()) or 'no suffix'})"
    limit = MAX_PAGE_BYTES if kind == PAGE else MAX_FILE_BYTES
    if size > limit:
        mb = size / 1024 / 1024
        return f"too large for one article ({mb:.1f} MB; limit {limit / 1024 / 1024:g} MB)"
    return data, kind


def accepted(label: str, outcome: Article | str, seen: Seen) -> tuple[ImportResult, Article | None]:
    """The analysed article, unless analysis refused it or its id is already stored."""
    if isinstance(outcome, str):
        return ImportResult(label, skipped=outcome), None
    if seen.has(outcome.id):
        return ImportResult(label, skipped=f"duplicate of article {outcome.id}"), None
    return ImportResult(label, id=outcome.id, title=outcome.title), outcome


def analyse_seeds(rules: Rules) -> tuple[list[ImportResult], list[Article]]:
    """The fixtures analysed with ``rules``, and each one's result: what a reset stores."""
    from newsbrowse.store.fixtures import fixture_articles

    results: list[ImportResult] = []
    articles: list[Article] = []
    seen = Seen()
    for f in fixture_articles():
        result, art, _sha = analyse_file(Item(str(f.path), f.path, f.meta), seen, rules)
        results.append(result)
        if art is not None:
            seen.ids.add(art.id)
            articles.append(art)
    return results, articles


def fixture_items() -> list[Item]:
    """The shipped seeds as files to import (a new home's first articles)."""
    from newsbrowse.store.fixtures import fixture_articles

    return [Item(str(f.path), f.path, f.meta) for f in fixture_articles()]
