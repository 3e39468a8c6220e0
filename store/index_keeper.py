"""Keeping the derived index up to the corpus: which index a read uses, and what it takes
in first.

The index records the corpus chunks it holds. Before a read it takes in the chunks
committed since (an import of another process, one killed before indexing), or it is
rebuilt when missing, damaged, of another version, or holding a chunk the corpus no
longer lists (a reset, a recover). Only the holder of the index lock writes it; a read
that cannot (a writer is at work, a full disk, a read-only home) reads the index as it
is or a private one, and never fails for want of a writable index.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Concatenate, ParamSpec, TypeVar

from newsbrowse.store.corpus import Corpus
from newsbrowse.store.errors import StoreWriteFailed
from newsbrowse.store.index import Index
from newsbrowse.store.lock import IndexLock
from newsbrowse.store.model import Article
from newsbrowse.store.private_index import PrivateIndex, reason

CATCH_UP_COMMIT = 10
"""Chunks a catch-up commits at a time (about 1,000 articles, as an import's batch)."""

ProgressFn = Callable[[int, int], None]
_P = ParamSpec("_P")
_T = TypeVar("_T")


class IndexKeeper:
    """The index a Library's reads use (:attr:`index`), brought up to its corpus; every
    use of it under the Library's thread lock ``guard`` (SQLite connections are shared by
    the app's worker threads)."""

    def __init__(self, corpus: Corpus, path: Path, lock: IndexLock, guard: threading.RLock) -> None:
        self.corpus = corpus
        self.disk = Index(path)
        self.index: Index = self.disk
        """The disk index, or a private one once the disk's could not be brought up."""
        self.notice: str | None = None
        """Why reads use a private index, not the one on disk (one line), if they do."""
        self._lock = lock
        self._guard = guard

    def read(
        self,
        query: Callable[Concatenate[sqlite3.Connection, _P], _T],
        *args: _P.args,
        **kwargs: _P.kwargs,
    ) -> _T:
        """``query`` (see :mod:`newsbrowse.store.queries`) run on the index, brought up to
        the corpus first, under the thread lock."""
        with self._guard:
            return query(self.fresh().conn, *args, **kwargs)

    def lag(self) -> int:
        """How many articles the index must take in before the next read: 0 when it is
        up to date; every article when it is to be rebuilt."""
        if self.index.generation() == self.corpus.generation:
            return 0
        counts, missing = self._plan(self.index)
        return sum(counts[name] for name in (counts if missing is None else missing))

    def fresh(self, progress: ProgressFn | None = None) -> Index:
        """The index, brought up to the corpus first if it lags it.

        A reader that does not get the index lock at once (a writer is at work) reads the
        index as it is, a commit of that writer behind at most, when it can; whoever
        cannot write it reads a :class:`PrivateIndex`, saying why in :attr:`notice`."""
        generation = self.corpus.generation
        if self.index.generation() == generation:
            return self.index
        if self.index is not self.disk:  # private: it follows the corpus in memory
            self.catch_up(self.index, generation, progress)
            return self.index
        failure: Exception | None = None
        # A writer of this process holds the index lock for every Library object of it
        # (they take turns with the thread lock).
        writer = self._lock.held_in_process()
        try:
            updating = writer or self._lock.try_acquire()
        except OSError as exc:  # the home is not writable: neither is the index
            updating, failure = False, exc
        if updating:
            try:
                if self.index.generation() == generation:  # updated while we waited
                    return self.index
                self.catch_up(self.index, generation, progress)
                return self.index
            except (OSError, sqlite3.Error) as exc:
                self.index.rollback()
                failure = exc
            except BaseException:
                self.index.rollback()  # damage found in a chunk, an interrupt: nothing half
                raise
            finally:
                if not writer:
                    self._lock.release()
        elif failure is None and self._plan(self.index)[1] is not None:
            return self.index  # lags the corpus by what a writer is adding now
        self.index = self._private(generation, failure, progress)
        return self.index

    def _private(
        self, generation: str, failure: Exception | None, progress: ProgressFn | None
    ) -> Index:
        """The disk index's file with what it lacks added but never committed, or, if it
        cannot be used, an index in memory made from the corpus."""
        usable = self._plan(self.disk)[1] is not None
        for overlay in (True, False) if usable else (False,):
            private = PrivateIndex(self.disk.path, overlay=overlay)
            try:
                self.catch_up(private, generation, progress)
            except (OSError, sqlite3.Error) as exc:
                private.close()
                if overlay:
                    continue
                raise StoreWriteFailed(
                    f"cannot build the search index, even in memory: {reason(exc)}"
                ) from None
            self.notice = private.notice(failure)
            return private
        raise AssertionError("unreachable: the in-memory index is the last one tried")

    def _plan(self, index: Index) -> tuple[dict[str, int], list[str] | None]:
        """The committed chunks (name -> articles), and those ``index`` lacks; None for
        the latter when it is to be rebuilt (missing, damaged, of another version, or
        holding a chunk the corpus no longer lists)."""
        counts = self.corpus.chunk_counts() if self.corpus.meta_path.exists() else {}
        held = index.chunks()
        if held is None or not held <= set(counts):
            return counts, None
        return counts, [name for name in counts if name not in held]

    def catch_up(self, index: Index, generation: str, progress: ProgressFn | None = None) -> None:
        """Add the chunks ``index`` lacks, committing as it goes and stamping
        ``generation`` last, or rebuild it; report (articles done, to do) to ``progress``."""
        counts, missing = self._plan(index)
        if missing is None:
            sizes = {n: self.corpus.chunk_size(n) for n in counts}
            items = self.corpus.articles()
            if progress is not None:
                items = _reporting(items, sum(counts.values()), progress)
            index.rebuild(items, sizes, generation)
            return
        total, done = sum(counts[name] for name in missing), 0
        for n, name in enumerate(missing, 1):
            size, spans = self.corpus.layout(name)
            index.add_chunk(name, size, self.corpus.chunk_articles(name), spans)
            if n % CATCH_UP_COMMIT == 0:
                index.commit()  # a batch's pages are held in memory until its commit
            done += counts[name]
            if progress is not None:
                progress(done, total)
        index.commit(generation)

    def store(self, items: list[tuple[Article, str | None]], stamp: str | None) -> None:
        """Commit a batch to the corpus (new chunks, then meta.json: the commit point,
        recording the analysis ``stamp`` if given), then add it to the index."""
        fresh = self.index.generation() == self.corpus.generation
        names = self.corpus.add([a for a, _ in items], [sha for _, sha in items], analysis=stamp)
        try:
            if fresh:
                per = self.corpus.CHUNK_SIZE
                for n, name in enumerate(names):
                    size, spans = self.corpus.layout(name)
                    self.index.add_chunk(name, size, items[n * per : (n + 1) * per], spans)
                self.index.commit(self.corpus.generation)
            else:
                self.catch_up(self.index, self.corpus.generation)
        except (OSError, sqlite3.Error):
            # The corpus holds the articles; the index is derived and catches up on the
            # chunks it lacks at the next read, so roll back rather than fail the import.
            self.index.rollback()

    def close(self) -> None:
        self.index.close()
        self.disk.close()


def _reporting(
    items: Iterable[_T], total: int, progress: ProgressFn, every: int = 100
) -> Iterator[_T]:
    """``items``, calling ``progress(done, total)`` every ``every`` items and at the end."""
    done = 0
    for done, item in enumerate(items, 1):
        yield item
        if done % every == 0:
            progress(done, total)
    progress(done, total)
