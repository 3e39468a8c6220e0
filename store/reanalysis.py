"""Re-analysis of a whole store: every stored article analysed again by today's pipeline
and the home's rules, with the user's work kept.

Each article keeps its record (text, id, title, source, date, origin, the hash of the
file it came from, and anything else the record carries); only its quotes, links and
scare quotes are found anew (``pipeline.reanalyse``). The new records go into new chunk
files, each named in ``pending.json`` before it is written; the caller then commits them
with one ``meta.json`` write that retires the old chunks (:meth:`Corpus.replace`).
Killed before that commit, the old corpus is whole and the next writer deletes the new
files; killed after it, the new corpus is, and the next writer deletes the old ones.

``user.json`` is never written. A selected quote whose id (article id and start offset)
is found again stays selected; one that is not is reported by name (:class:`LostQuote`)
and stays in the selection, where the app and the CLI show it as missing.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from newsbrowse.store import parallel
from newsbrowse.store.changes import Changes
from newsbrowse.store.errors import NewsbrowseError
from newsbrowse.store.model import Article, Quote
from newsbrowse.store.records import article_record

if TYPE_CHECKING:
    from newsbrowse.store.corpus import Corpus
    from newsbrowse.store.library import Library
    from newsbrowse.store.rules import Rules

ProgressFn = Callable[[int, int], None]
ANALYSIS_FIELDS = ("quotes", "links", "scare_quotes", "quote_count", "link_count")
"""What re-analysis replaces in a record; every other field is kept as stored."""
FIRST_WORDS = 8
REPORT_EVERY = 20  # articles between two progress reports


def first_words(text: str, count: int = FIRST_WORDS) -> str:
    """The first ``count`` words of a quote, with an ellipsis if it goes on."""
    words = text.split()
    return " ".join(words[:count]) + (" …" if len(words) > count else "")


@dataclass(frozen=True)
class LostQuote:
    """A selected quote that the new analysis no longer finds (its id is gone)."""

    quote_id: str
    article_id: str
    title: str
    speaker: str | None
    side: str
    text: str

    def describe(self) -> str:
        who = self.speaker or "unknown speaker"
        return f"{who}, in “{self.title}”: “{first_words(self.text)}” ({self.quote_id})"

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class MovedQuote:
    """A selected quote found again with another speaker or side."""

    quote_id: str
    title: str
    text: str
    speaker_before: str | None
    side_before: str
    speaker: str | None
    side: str

    def describe(self) -> str:
        before = f"{self.speaker_before or 'unknown speaker'} ({self.side_before})"
        now = f"{self.speaker or 'unknown speaker'} ({self.side})"
        return f"“{first_words(self.text)}” in “{self.title}”: now {now}, was {before}"

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass
class Outcome:
    """What a re-analysis changed, and what it did to the user's selection."""

    stamp: str
    changes: Changes = field(default_factory=Changes)
    lost: list[LostQuote] = field(default_factory=list)
    moved: list[MovedQuote] = field(default_factory=list)
    written: dict[str, int] = field(default_factory=dict)
    """The new chunks (name -> articles), written but not committed yet."""

    def note(self, old: Article, new: Article, selected: Collection[str]) -> None:
        """Count what ``new`` changed from ``old``, and what it did to selected quotes."""
        self.changes.add(old, new)
        after = {q.id: q for q in new.quotes}
        for quote in old.quotes:
            if quote.id not in selected:
                continue
            again = after.get(quote.id)
            if again is None:
                self.lost.append(_lost(old, quote))
            elif (again.speaker, again.side) != (quote.speaker, quote.side):
                self.moved.append(_moved(old, quote, again))

    def to_dict(self) -> dict[str, Any]:
        c = self.changes
        return {
            "articles": c.articles,
            "quotes_added": c.quotes_added,
            "quotes_removed": c.quotes_removed,
            "reattributed": c.reattributed,
            "links_added": c.links_added,
            "links_removed": c.links_removed,
            "analysis": self.stamp,
            "lost_selections": [q.to_dict() for q in self.lost],
            "reattributed_selections": [q.to_dict() for q in self.moved],
        }


def _lost(article: Article, quote: Quote) -> LostQuote:
    return LostQuote(quote.id, article.id, article.title, quote.speaker, quote.side, quote.text)


def _moved(article: Article, before: Quote, after: Quote) -> MovedQuote:
    return MovedQuote(
        before.id, article.title, after.text, before.speaker, before.side, after.speaker, after.side
    )


class ReanalysisFailed(NewsbrowseError):
    """The pipeline failed on a stored article: a bug, reported with the article's id."""


def renewed_record(doc: dict[str, Any], new: Article) -> dict[str, Any]:
    """The stored record ``doc`` with the analysis of ``new`` in place of its own."""
    record = article_record(new)
    renewed = dict(doc)
    for key in ANALYSIS_FIELDS:
        renewed[key] = record[key]
    return renewed


def reanalyse_corpus(
    corpus: Corpus,
    rules: Rules,
    stamp: str,
    *,
    selected: Collection[str],
    lock: AbstractContextManager[Any],
    progress: ProgressFn | None = None,
    jobs: int = 1,
) -> Outcome:
    """Analyse every committed article again and write the new records into new chunks
    (uncommitted: :attr:`Outcome.written`). ``lock`` is taken for each step that
    touches the corpus, never for the analysis, so that the app's screen goes on reading
    the old corpus meanwhile. On any failure the new chunks are deleted again."""
    with lock:
        names = corpus.chunks() if corpus.meta_path.exists() else []
        total = sum(corpus.chunk_counts().values()) if names else 0
    outcome = Outcome(stamp)
    writer = _ChunkWriter(corpus, lock)
    try:
        analysed = _analysed(_records(corpus, names, lock), rules, jobs, total)
        for done, (doc, old, new) in enumerate(analysed, 1):
            outcome.note(old, new, selected)
            writer.add(renewed_record(doc, new))
            if progress is not None and (done % REPORT_EVERY == 0 or done == total):
                progress(done, total)
        outcome.written = writer.flush()
    except BaseException:
        with lock, contextlib.suppress(NewsbrowseError, OSError):
            corpus.remove_unlisted_chunks()  # the chunks this run wrote: pending, unlisted
        raise
    return outcome


def commit(corpus: Corpus, outcome: Outcome) -> None:
    """Make the chunks :func:`reanalyse_corpus` wrote the whole corpus, recording the new
    analysis's stamp, with one meta.json write; then delete the old chunks. A commit
    that fails deletes the new chunks again: the old corpus stays as it was."""
    try:
        corpus.replace(outcome.written, outcome.stamp)
    except BaseException:
        # Deletes what no commit lists: the new chunks if meta.json was not written.
        with contextlib.suppress(NewsbrowseError, OSError):
            corpus.remove_unlisted_chunks()
        raise


class _ChunkWriter:
    """New records, written a full chunk at a time."""

    def __init__(self, corpus: Corpus, lock: AbstractContextManager[Any]) -> None:
        self.corpus = corpus
        self.lock = lock
        self.buffer: list[dict[str, Any]] = []
        self.written: dict[str, int] = {}

    def add(self, doc: dict[str, Any]) -> None:
        self.buffer.append(doc)
        if len(self.buffer) >= self.corpus.CHUNK_SIZE:
            self.flush()

    def flush(self) -> dict[str, int]:
        if self.buffer:
            with self.lock:
                self.written.update(self.corpus.write_records(self.buffer))
            self.buffer = []
        return self.written


def _records(
    corpus: Corpus, names: Iterable[str], lock: AbstractContextManager[Any]
) -> Iterator[dict[str, Any]]:
    """Every record of the chunks ``names``, in order (each checked as its file is read).
    An article stored twice keeps both records, as before: the later one is the one read."""
    for name in names:
        with lock:
            docs = corpus.chunk_records(name)
        yield from docs


def _analysed(
    docs: Iterator[dict[str, Any]], rules: Rules, jobs: int, total: int
) -> Iterator[tuple[dict[str, Any], Article, Article]]:
    """(record, stored article, article analysed again), in order: here, or by worker
    processes on ``jobs`` cores for a large store (as an import does)."""
    if jobs <= 1 or total < parallel.MIN_FILES:
        for doc in docs:
            old = Article.from_dict(doc)
            yield doc, old, _checked(old, _reanalyse_one(old, rules))
        return
    keyed = ((doc, Article.from_dict(doc)) for doc in docs)
    with _Reanalysts(rules, jobs) as workers:
        pairs = ((key, key[1]) for key in keyed)
        for (doc, old), new in workers.analysed(pairs):  # type: ignore[arg-type]
            yield doc, old, _checked(old, new)


def _reanalyse_one(article: Article, rules: Rules) -> Article | str:
    """``article`` analysed again, or why the pipeline failed on it (a bug)."""
    from newsbrowse.store.ingest.pipeline import reanalyse

    try:
        return reanalyse(article, rules)
    except Exception as exc:  # one line naming the article, never a traceback
        return f"{type(exc).__name__}: {exc}"


def _checked(old: Article, new: Article | str | None) -> Article:
    if not isinstance(new, Article):
        raise ReanalysisFailed(
            f"analysing article {old.id} again failed ({new}); nothing was changed. "
            "Please report this as a bug"
        )
    return new


def _reanalyse_chunk(articles: list[Article]) -> list[Article | str]:
    """A worker's share: stored articles analysed again with the worker's rules."""
    rules = parallel.worker_rules()
    return [_reanalyse_one(article, rules) for article in articles]


class _Reanalysts(parallel.Analysts[Any]):
    """Workers that analyse stored articles again instead of files."""

    WORK = staticmethod(_reanalyse_chunk)


def missing_selection(library: Library) -> list[str]:
    """The selected quote ids the store no longer holds (an analysis found them no more),
    in the order selected: they stay in ``user.json`` and come back if found again."""
    found = {quote.id for quote in library.selected_quotes()}
    # A quote the user struck out (not a quote) is left out of exports, but not missing.
    struck = {
        target
        for target, corrections in library.fixes().by_target.items()
        if any(c.kind == "not_quote" for c in corrections)
    }
    return [qid for qid in library.selected_ids() if qid not in found | struck]
