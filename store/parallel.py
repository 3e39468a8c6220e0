"""An import's analysis on every core: worker processes analyse, the importer stores.

Analysis is a pure function of a file's text and the rules, and most of an import's time
(about 2 ms an article of the 3 to 4). Workers run it; the importing process keeps what
must stay in one place: reading files, the duplicate checks, the home's lock and every
write. Results come back in file order, so an import on many cores stores the same
articles, in the same order, with the same report, as one on a single core.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterator
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

from newsbrowse.store.errors import NewsbrowseError

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

    from newsbrowse.store.model import Article, ArticleMeta
    from newsbrowse.store.rules import Rules

MIN_FILES = 50
"""Fewer files are analysed in the importing process. Forked workers start in
milliseconds, but for a few files that is all they would save (measured on 2 cores: 50
files took 173-204 ms alone and 144-181 ms with workers; 200 files 618-666 and 482-516)."""
CHUNK = 16
"""Articles sent to a worker at once (one round trip each, not one per article)."""
AHEAD = 32
"""Chunks queued per worker: with two workers, about a batch of the importer's (1,000
articles, some 10 MB), so that workers go on analysing while it stores one."""

K = TypeVar("K")


@dataclass(frozen=True, slots=True)
class Job:
    """What one article's analysis needs besides the rules."""

    text: str
    meta: ArticleMeta | None
    origin: str
    kind: str = "text"  # or "page" (a saved web page): see store/file_kinds.py
    fallback: ArticleMeta | None = None  # what a feed or a fetch says of a page


def available_cores() -> int:
    """The cores this process may run on: ``taskset`` and cpusets count, a CPU quota not."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def analyse_job(job: Job, rules: Rules) -> Article | str:
    """Analyse one text; a refusal (a text that is not an article) is its reason."""
    from newsbrowse.store.ingest.pipeline import analyse_document

    try:
        return analyse_document(job.text, job.kind, rules, job.meta, job.origin, job.fallback)
    except NewsbrowseError as exc:
        return str(exc)


_worker_rules: Rules | None = None


def _start_worker(rules: Rules) -> None:
    import signal
    import threading

    # Ctrl-C reaches the whole process group: the importer stops the workers itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # The importer first when both want a core: it alone stores, and at 100,000 articles
    # storing takes as long as analysing (2,000 files there: 262 -> 312 articles/s).
    os.nice(10)
    global _worker_rules
    _worker_rules = rules
    threading.Thread(target=_exit_with, args=(os.getppid(),), daemon=True).start()


def _exit_with(parent: int) -> None:
    """End this worker when the importer is gone (killed, it cannot tell the worker)."""
    import time

    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(1)


def worker_rules() -> Rules:
    """The rules a worker was started with (in a worker process only)."""
    assert _worker_rules is not None, "a worker is started with the rules"
    return _worker_rules


def _analyse_chunk(jobs: list[Job]) -> list[Article | str]:
    rules = worker_rules()
    return [analyse_job(job, rules) for job in jobs]


class Analysts(Generic[K]):
    """Worker processes that analyse jobs in order, a bounded number ahead of the caller.

    ``analysed(items)`` takes ``(key, job)`` pairs (``job`` None: nothing to analyse) and
    gives back ``(key, outcome)`` in the same order, the outcome None where the job was.
    Items are read from ``items`` only as workers have room, so a caller that decides an
    item's fate from earlier results (a duplicate) sees every earlier item handed out.
    A subclass gives workers other work: ``WORK`` takes a list of jobs and gives one
    outcome per job (a module-level function, sent to the workers by name).
    """

    WORK = staticmethod(_analyse_chunk)

    def __init__(self, rules: Rules, workers: int) -> None:
        import multiprocessing  # here: 11 ms the app's start does not need
        from concurrent.futures import ProcessPoolExecutor

        # "fork" where there is one: a worker starts in a millisecond with the rules in
        # memory, and never runs the caller's main module again (as "spawn" does).
        # The pool starts before the importer shows progress: no other thread runs yet.
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        self.workers = workers
        self._pool: ProcessPoolExecutor = ProcessPoolExecutor(
            workers, mp_context=context, initializer=_start_worker, initargs=(rules,)
        )

    def __enter__(self) -> Analysts[K]:
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        # Interrupted: drop what is queued; a worker ends with its chunk (some 30 ms).
        self._pool.shutdown(wait=exc_type is None, cancel_futures=True)

    def analysed(
        self, items: Iterator[tuple[K, Job | None]]
    ) -> Iterator[tuple[K, Article | str | None]]:
        try:
            yield from self._in_order(items)
        except BrokenProcessPool:
            raise NewsbrowseError(
                "an analysing process stopped unexpectedly (out of memory?); the files "
                "imported so far are kept: run the import again with --jobs 1"
            ) from None

    def _in_order(
        self, items: Iterator[tuple[K, Job | None]]
    ) -> Iterator[tuple[K, Article | str | None]]:
        queue: deque[tuple[list[K], Future[list[Article | str]] | None]] = deque()
        keys: list[K] = []
        jobs: list[Job] = []
        sent = 0
        limit = self.workers * AHEAD

        def send() -> None:
            nonlocal keys, jobs, sent
            if jobs:
                queue.append((keys, self._pool.submit(self.WORK, jobs)))
                sent += 1
            keys, jobs = [], []

        for key, job in items:
            if job is None:
                send()  # keep the order: what came before goes first
                queue.append(([key], None))
            else:
                keys.append(key)
                jobs.append(job)
                if len(jobs) >= CHUNK:
                    send()
            while sent >= limit:
                yield from self._take(queue)
                sent -= 1
        send()
        while queue:
            yield from self._take(queue)

    @staticmethod
    def _take(
        queue: deque[tuple[list[K], Future[list[Article | str]] | None]],
    ) -> Iterator[tuple[K, Article | str | None]]:
        """The oldest entry's results; entries with nothing to analyse before it too."""
        while queue:
            keys, pending = queue.popleft()
            if pending is None:
                yield keys[0], None
                continue
            yield from zip(keys, pending.result(), strict=True)
            return
