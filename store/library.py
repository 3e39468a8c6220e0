"""The one door to the data: what the CLI and the app ask, and nothing about screens.

A :class:`Library` owns the corpus (TinyDB), the user's state (TinyDB) and the derived
SQLite index, behind one thread lock, so that app workers in threads never touch the
store at the same time; and, when it may write, the home's process lock
(:mod:`newsbrowse.store.lock`), so that two processes never write one home.
"""

from __future__ import annotations

import contextlib
import hashlib
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from newsbrowse.store import queries
from newsbrowse.store import search as search_mod
from newsbrowse.store.corpus import Corpus
from newsbrowse.store.errors import NotFound, StoreWriteFailed
from newsbrowse.store.files import remove_stale_temporaries
from newsbrowse.store.index import Index
from newsbrowse.store.lock import HomeLock, IndexLock, thread_lock
from newsbrowse.store.migrate import migrate, needs_migration, remove_leftovers
from newsbrowse.store.model import (
    Article,
    ArticleMeta,
    ArticleSummary,
    Link,
    Quote,
    check_side,
    sides_of,
)
from newsbrowse.store.paths import default_home, ensure_home
from newsbrowse.store.private_index import PrivateIndex, reason
from newsbrowse.store.rules import ReadingRules, load_codebook, load_rules
from newsbrowse.store.staleness import import_stamp, stamp_of
from newsbrowse.store.text import decode_bytes, strip_controls
from newsbrowse.store.user_state import UserState

if TYPE_CHECKING:  # imported when first needed: the app's first screen analyses nothing
    from newsbrowse.store.ingest.codebook import Codebook
    from newsbrowse.store.parallel import Job
    from newsbrowse.store.reanalysis import Outcome
    from newsbrowse.store.rules import Rules

# A news article is tens of kilobytes. The pipeline takes about 1.3-1.5 s on 1 MB and
# 7.7 s on 5.25 MB (CPU, the seeds repeated), so larger files are refused with a reason.
MAX_FILE_BYTES = 1024 * 1024
TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
BATCH = 1000
_SQL_VARIABLES = 900  # rowids per IN (...): under SQLite's 999 on old builds
CATCH_UP_COMMIT = 10
"""Chunks an index catch-up commits at a time (about BATCH articles, as an import does)."""


@dataclass(frozen=True)
class ImportResult:
    """One file's fate: imported as ``id``, or ``skipped`` with the reason."""

    path: str
    id: str | None = None
    skipped: str | None = None
    title: str | None = None

    def to_dict(self) -> dict[str, Any]:
        if self.id is not None:
            return {"path": self.path, "id": self.id}
        return {"path": self.path, "skipped": self.skipped}


ProgressFn = Callable[[int, int], None]
_T = TypeVar("_T")


class Library:
    """A newsbrowse home: corpus, user state and index."""

    def __init__(self, home: Path, rules: Rules | None = None) -> None:
        self.home = home
        ensure_home(home)
        # Loaded when first needed: the codebook for the demands panel, the rest (actors,
        # cleaning, speech) for an import or a speaker: search, not for the first screen.
        self._rules = rules
        self._codebook = rules.codebook if rules else None
        self.corpus = Corpus(home)
        self.user = UserState(home)
        self.index = self._disk_index = Index(home / "index.sqlite")
        self.home_lock = HomeLock(home)
        self.index_lock = IndexLock(home)
        self.index_notice: str | None = None
        """Why queries read a private index, not the one on disk (see :meth:`_fresh_index`)."""
        self._command = "newsbrowse"
        self._seeded: tuple[list[ImportResult], list[Article]] | None = None
        self._lock = thread_lock(home)

    @classmethod
    def open(
        cls,
        home: Path | None = None,
        *,
        bootstrap: bool = True,
        command: str = "newsbrowse",
        read_only: bool = False,
    ) -> Library:
        """Open the home (default: the user data folder); fill it from the fixtures if new.

        Takes the home's write lock, or raises :class:`StoreLocked` naming its holder. With
        ``read_only``, no lock is taken and nothing waits: every store file is replaced
        atomically, so a reader sees a whole committed state. A reader writes nothing
        but the derived index (see :meth:`_fresh_index`), except on a home's first use:
        a store yet to be made from the fixtures, or of an older release to migrate,
        is written first, under the lock, as a writer would.
        """
        lib = cls(home or default_home())
        try:
            lib._open(bootstrap, command, read_only)
        except BaseException:
            lib.close()
            raise
        return lib

    def _open(self, bootstrap: bool, command: str, read_only: bool) -> None:
        self._command = command
        if not read_only:
            self._require_writer()
        if self.home_lock.held:
            remove_stale_temporaries(self.home)
        self.corpus.check_listed()
        if needs_migration(self.corpus, self.user):
            self._require_writer()
            with self._lock:
                migrate(self.corpus, self.user)
        if self.home_lock.held:
            with self._lock:
                remove_leftovers(self.corpus)
        if bootstrap and not self.corpus.exists():
            self._require_writer()
            self.load_fixtures()

    def _require_writer(self) -> None:
        """Take the home's lock (or raise :class:`StoreLocked` naming its holder), then
        the index's (waiting for a reader's update of it to end)."""
        if not self.home_lock.held:
            self.home_lock.acquire(self._command)
        self.index_lock.acquire()

    @property
    def rules(self) -> Rules:
        """Every domain rule (the user's copies in the home first), loaded once."""
        if self._rules is None:
            with self._lock:
                if self._rules is None:
                    self._rules = load_rules(self.home, codebook=self._codebook)
        return self._rules

    @property
    def codebook(self) -> Codebook:
        if self._codebook is None:
            with self._lock:
                if self._codebook is None:
                    self._codebook = load_codebook(self.home)
        return self._codebook

    def close(self) -> None:
        with self._lock:
            self.index.close()
            self._disk_index.close()
            self.corpus.close()
            self.user.close()
        self.index_lock.release()
        self.home_lock.release()

    # the corpus ---------------------------------------------------------------------
    def index_lag(self) -> int:
        """How many articles the index must take in before the next query: 0 when it is
        up to date; every article when it is to be rebuilt (see :meth:`_fresh_index`)."""
        with self._lock:
            if self.index.generation() == self.corpus.generation:
                return 0
            counts, missing = self._index_plan(self.index)
            return sum(counts[name] for name in (counts if missing is None else missing))

    def update_index(self, progress: ProgressFn | None = None) -> None:
        """Bring the index up to the corpus now, reporting (articles done, articles to
        do) to ``progress``: a rebuild of 100,000 articles takes minutes."""
        with self._lock:
            self._fresh_index(progress)

    def _fresh_index(self, progress: ProgressFn | None = None) -> Index:
        """The index, brought up to the corpus first if it lags it: the chunks committed
        since it was built are added; it is rebuilt if missing, damaged or of another
        version, or if it holds a chunk the corpus no longer lists (a reset, a recover).

        Only the holder of the index lock writes it: a writer, or a reader that gets the
        lock at once. A reader that does not (a writer is at work) reads the index as
        it is, a commit of that writer behind at most, when it can; and whoever cannot
        write it (a full disk, a read-only home) reads a private index from the corpus
        (:class:`PrivateIndex`), saying why in :attr:`index_notice`: reads never fail
        for want of a writable index."""
        generation = self.corpus.generation
        if self.index.generation() == generation:
            return self.index
        if self.index is not self._disk_index:  # private: it follows the corpus in memory
            self._catch_up(self.index, generation, progress)
            return self.index
        failure: Exception | None = None
        # A writer of this process holds the index lock for every Library object of it
        # (they take turns with the thread lock).
        writer = self.index_lock.held_in_process()
        try:
            updating = writer or self.index_lock.try_acquire()
        except OSError as exc:  # the home is not writable: neither is the index
            updating, failure = False, exc
        if updating:
            try:
                if self.index.generation() == generation:  # updated while we waited
                    return self.index
                self._catch_up(self.index, generation, progress)
                return self.index
            except (OSError, sqlite3.Error) as exc:
                self.index.rollback()
                failure = exc
            except BaseException:
                self.index.rollback()  # damage found in a chunk, an interrupt: nothing half
                raise
            finally:
                if not writer:
                    self.index_lock.release()
        elif failure is None and self._index_plan(self.index)[1] is not None:
            return self.index  # lags the corpus by what a writer is adding now
        self.index = self._private_index(generation, failure, progress)
        return self.index

    def _private_index(
        self, generation: str, failure: Exception | None, progress: ProgressFn | None
    ) -> Index:
        """The disk index's file with what it lacks added but never committed, or, if it
        cannot be used, an index in memory made from the corpus."""
        usable = self._index_plan(self._disk_index)[1] is not None
        for overlay in (True, False) if usable else (False,):
            private = PrivateIndex(self._disk_index.path, overlay=overlay)
            try:
                self._catch_up(private, generation, progress)
            except (OSError, sqlite3.Error) as exc:
                private.close()
                if overlay:
                    continue
                raise StoreWriteFailed(
                    f"cannot build the search index, even in memory: {reason(exc)}"
                ) from None
            self.index_notice = private.notice(failure)
            return private
        raise AssertionError("unreachable: the in-memory index is the last one tried")

    def _index_plan(self, index: Index) -> tuple[dict[str, int], list[str] | None]:
        """The committed chunks (name -> articles), and those ``index`` lacks; None for
        the latter when it is to be rebuilt (missing, damaged, of another version, or
        holding a chunk the corpus no longer lists)."""
        counts = self.corpus.chunk_counts() if self.corpus.meta_path.exists() else {}
        held = index.chunks()
        if held is None or not held <= set(counts):
            return counts, None
        return counts, [name for name in counts if name not in held]

    def _catch_up(self, index: Index, generation: str, progress: ProgressFn | None = None) -> None:
        counts, missing = self._index_plan(index)
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

    # reading (the SQL is in queries.py) ------------------------------------------------
    def articles(self) -> list[ArticleSummary]:
        """Every article, oldest first (undated ones last), without bodies."""
        with self._lock:
            return queries.articles(self._fresh_index().conn)

    def article_count(self, demand: str | None = None) -> int:
        """How many articles the list shows (those linked to ``demand``, if given)."""
        with self._lock:
            return queries.article_count(self._fresh_index().conn, self.codebook, demand)

    def article_page(
        self, offset: int, limit: int, demand: str | None = None
    ) -> list[ArticleSummary]:
        """``limit`` summaries from position ``offset`` of the list (oldest first, undated
        last), only those linked to ``demand`` if given: what a screenful of rows needs."""
        with self._lock:
            conn = self._fresh_index().conn
            return queries.article_page(conn, self.codebook, offset, limit, demand)

    def article_position(self, article_id: str, demand: str | None = None) -> int | None:
        """Where ``article_id`` stands in the list (with ``demand``'s filter), or None."""
        with self._lock:
            conn = self._fresh_index().conn
            return queries.article_position(conn, self.codebook, article_id, demand)

    def summaries(self, ids: Iterable[str]) -> dict[str, ArticleSummary]:
        """The summaries of ``ids`` the store holds, by primary key (a page's, not all)."""
        with self._lock:
            return queries.summaries(self._fresh_index().conn, ids)

    def article(self, article_id: str) -> Article:
        """One full record, read from the one chunk the index says holds it."""
        with self._lock:
            full_id = self.resolve_article_id(article_id)
            chunk, span = queries.article_place(self.index.conn, full_id)
            art = self.corpus.article(full_id, chunk, span)
        if art is None:
            raise NotFound(f"no article {article_id!r}; `newsbrowse list` shows the ids")
        return art

    def resolve_article_id(self, article_id: str) -> str:
        """Accept a full id or an unambiguous prefix of at least four characters."""
        with self._lock:
            return queries.resolve_article_id(self._fresh_index().conn, article_id)

    def quote(self, quote_id: str) -> Quote:
        """One quote by id, or :class:`NotFound`."""
        with self._lock:
            return queries.quote(self._fresh_index().conn, quote_id)

    def quotes(
        self,
        article: str | None = None,
        speaker: str | None = None,
        side: str | None = None,
        demand: str | None = None,
    ) -> list[Quote]:
        """Quotes, filtered; ``speaker`` as :meth:`speaker_names` reads it."""
        with self._lock:
            conn = self._fresh_index().conn
            names = queries.speaker_names(conn, self.rules.actors, speaker) if speaker else None
            return queries.quotes(
                conn, self.codebook, article=article, speakers=names, side=side, demand=demand
            )

    def links(
        self,
        demand: str | None = None,
        side: str | None = None,
        offset: int = 0,
        limit: int | None = None,
    ) -> list[Link]:
        """Links in codebook order, the demanding side's first, then by article date;
        ``offset``/``limit`` page through them at the same cost at any corpus size."""
        with self._lock:
            conn = self._fresh_index().conn
            return queries.links(conn, self.codebook, demand, side, offset, limit)

    def link_counts(self) -> dict[str, dict[str, int]]:
        """Per demand: its links per side, and the answering side's replies per stance."""
        with self._lock:
            return queries.link_counts(self._fresh_index().conn, self.codebook)

    def search(self, query: str, limit: int = 50) -> list[search_mod.SearchHit]:
        """Ranked hits over article text and quotes; see :mod:`newsbrowse.store.search`."""
        with self._lock:
            rules = ReadingRules(self.codebook, lambda: self.rules)
            return search_mod.search(self._fresh_index(), rules, query, limit=limit)

    # checks ---------------------------------------------------------------------------
    @property
    def sides(self) -> tuple[str, ...]:
        """Every side a quote or link may have: the codebook's, then ``unknown``."""
        return sides_of(self.codebook.side_slugs)

    def check_demand(self, slug: str) -> str:
        """``slug`` if the codebook has that demand; else a one-line :class:`NotFound`."""
        return self.codebook.check_demand(slug)

    def check_side(self, side: str) -> str:
        """``side`` if it is one of :attr:`sides`; else a one-line :class:`BadInput`."""
        return check_side(side, self.sides)

    def speaker_names(self, name: str) -> list[str]:
        """The speakers a user means by ``name`` (see :func:`queries.speaker_names`):
        ``putin`` -> Vladimir Putin; a name of no speaker is a :class:`BadInput`."""
        with self._lock:
            return queries.speaker_names(self._fresh_index().conn, self.rules.actors, name)

    # importing --------------------------------------------------------------------------
    def load_fixtures(self) -> list[ImportResult]:
        """Fill the corpus from the shipped seeds, through the same pipeline as any file."""
        from newsbrowse.store.fixtures import fixture_articles

        items = [(str(f.path), f.path, f.meta) for f in fixture_articles()]
        return self._import(items, progress=None)

    def reset(self) -> list[ImportResult]:
        """Make the corpus the fixtures again (the user's selection stays); every other
        article is dropped (:meth:`imported_count` says how many).

        The fixtures are analysed before anything is written, and one meta.json write
        switches the corpus over: a failure leaves the old corpus whole.
        """
        with self._lock:
            self._require_writer()
            results, articles = self._seeds()
            self.corpus.replace_all(articles, stamp_of(self.rules))
            return results

    def imported_count(self) -> int:
        """How many stored articles are not the fixtures' (those :meth:`reset` drops)."""
        seeds = [art.id for art in self._seeds()[1]]
        with self._lock:
            return queries.imported_count(self._fresh_index().conn, seeds)

    def _seeds(self) -> tuple[list[ImportResult], list[Article]]:
        """The fixtures analysed with the current rules, and each one's result (once)."""
        if self._seeded is not None:
            return self._seeded
        from newsbrowse.store.fixtures import fixture_articles

        results: list[ImportResult] = []
        articles: list[Article] = []
        seen = _Seen(set(), {})
        for f in fixture_articles():
            result, art, _sha = self._analyse_file(str(f.path), f.path, f.meta, seen)
            results.append(result)
            if art is not None:
                seen.ids.add(art.id)
                articles.append(art)
        self._seeded = (results, articles)
        return self._seeded

    def import_paths(
        self,
        paths: Iterable[str | Path],
        progress: ProgressFn | None = None,
        jobs: int | None = None,
    ) -> list[ImportResult]:
        """Import files and folders of plain text; report each file's id or reason.
        ``jobs``: processes that analyse (default: one per core this process may use)."""
        items: list[tuple[str, Path, ArticleMeta | None]] = []
        # Results come back in the order the paths were given: a path refused before
        # analysis keeps its place among the analysed files.
        refused: dict[int, ImportResult] = {}
        for raw in paths:
            path = Path(raw)
            if path.is_dir():
                files = sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file()
                    and p.suffix.lower() in TEXT_SUFFIXES
                    and not any(part.startswith(".") for part in p.relative_to(path).parts)
                )
                if not files:
                    refused[len(items) + len(refused)] = ImportResult(
                        strip_controls(str(path)), skipped="folder holds no text files"
                    )
                items.extend((str(p), p, None) for p in files)
            elif path.exists():
                items.append((str(path), path, None))
            else:
                refused[len(items) + len(refused)] = ImportResult(
                    strip_controls(str(path)), skipped="no such file"
                )
        results = self._import(items, progress, jobs)
        for position in sorted(refused):
            results.insert(position, refused[position])
        return results

    def _import(
        self,
        items: list[tuple[str, Path, ArticleMeta | None]],
        progress: ProgressFn | None,
        jobs: int | None = None,
    ) -> list[ImportResult]:
        results: list[ImportResult] = []
        if items:
            self.rules  # noqa: B018 - a malformed rules file is one error, not one per file
        with self._lock:
            seen = _Seen(set(), {})
            if self.corpus.exists():
                seen.index = self._fresh_index()
            stamp = import_stamp(self.corpus, self.rules) if items else None
            pending: list[tuple[Article, str | None]] = []
            for done, (result, art, sha) in enumerate(self._analysed(items, seen, jobs), 1):
                results.append(result)
                if art is not None:
                    seen.ids.add(art.id)
                    if sha:
                        seen.sources[sha] = art.id
                    pending.append((art, sha))
                if len(pending) >= BATCH:
                    self._commit(pending, stamp)
                    pending = []
                if progress:
                    progress(done, len(items))
            self._commit(pending, stamp)
            # The index's commits flushed to disk once per import (see Index.commit); if
            # that fails the marker stays, and a reboot before the kernel writes them
            # rebuilds the index.
            with contextlib.suppress(OSError):
                self.index.sync()
        return results

    def _analysed(
        self, items: list[tuple[str, Path, ArticleMeta | None]], seen: _Seen, jobs: int | None
    ) -> Iterator[tuple[ImportResult, Article | None, str | None]]:
        """Each file's result, in order: analysed here, or by workers on the other cores
        for a large import (:mod:`newsbrowse.store.parallel`)."""
        from newsbrowse.store import parallel  # not at the app's start

        workers = parallel.available_cores() if jobs is None else jobs
        if workers <= 1 or len(items) < parallel.MIN_FILES:
            for label, path, meta in items:
                yield self._analyse_file(label, path, meta, seen)
            return
        # Files are read ahead of the results. A copy of a file still in analysis is
        # analysed too, and then found a duplicate by its id, as on one core.
        reads: dict[int, ImportResult | tuple[parallel.Job, str]] = {}

        def jobs_of() -> Iterator[tuple[int, parallel.Job | None]]:
            for n, (label, path, meta) in enumerate(items):
                reads[n] = read = self._read_file(label, path, meta, seen)
                yield n, None if isinstance(read, ImportResult) else read[0]

        with parallel.Analysts[int](self.rules, workers) as analysts:
            for n, outcome in analysts.analysed(jobs_of()):
                read = reads.pop(n)
                if isinstance(read, ImportResult):
                    yield read, None, None
                else:
                    assert outcome is not None, "a file read whole is analysed"
                    label = strip_controls(items[n][0])
                    yield (*self._accepted(label, outcome, seen), read[1])

    def _commit(self, items: list[tuple[Article, str | None]], stamp: str | None) -> None:
        """Store a batch (new chunks, then meta.json: the commit point, recording the
        analysis ``stamp`` if given), then index it."""
        if not items:
            return
        self._require_writer()
        fresh = self.index.generation() == self.corpus.generation
        articles = [a for a, _ in items]
        names = self.corpus.add(articles, [sha for _, sha in items], analysis=stamp)
        try:
            if fresh:
                per = self.corpus.CHUNK_SIZE
                for n, name in enumerate(names):
                    size, spans = self.corpus.layout(name)
                    self.index.add_chunk(name, size, items[n * per : (n + 1) * per], spans)
                self.index.commit(self.corpus.generation)
            else:
                self._catch_up(self.index, self.corpus.generation)
        except (OSError, sqlite3.Error):
            # The corpus holds the articles; the index is derived and catches up on the
            # chunks it lacks at the next query, so roll back rather than fail the import.
            self.index.rollback()

    def _analyse_file(
        self, label: str, path: Path, meta: ArticleMeta | None, seen: _Seen
    ) -> tuple[ImportResult, Article | None, str | None]:
        """Analyse one file, unless its bytes were imported before (an interrupted import
        run again skips what it committed without analysing it) or it is refused."""
        from newsbrowse.store import parallel

        read = self._read_file(label, path, meta, seen)
        if isinstance(read, ImportResult):
            return read, None, None
        job, sha = read
        outcome = parallel.analyse_job(job, self.rules)
        return (*self._accepted(strip_controls(label), outcome, seen), sha)

    @staticmethod
    def _read_file(
        label: str, path: Path, meta: ArticleMeta | None, seen: _Seen
    ) -> ImportResult | tuple[Job, str]:
        """A file's analysis job and the SHA-256 of its bytes, or why it is not imported."""
        label = strip_controls(label)  # shown to the user: no controls, no broken characters
        try:
            size = path.stat().st_size
            if size == 0:
                return ImportResult(label, skipped="empty file")
            if size > MAX_FILE_BYTES:
                mb = size / 1024 / 1024
                limit = MAX_FILE_BYTES / 1024 / 1024
                reason = f"too large for one article ({mb:.1f} MB; limit {limit:g} MB)"
                return ImportResult(label, skipped=reason)
            data = path.read_bytes()
        except OSError as exc:
            return ImportResult(label, skipped=f"unreadable: {exc.strerror}")
        sha = hashlib.sha256(data).hexdigest()
        known = seen.source(sha)
        if known is not None:
            return ImportResult(label, skipped=f"duplicate of article {known}")
        try:
            text = strip_controls(decode_bytes(data))
        except ValueError as exc:
            return ImportResult(label, skipped=str(exc))
        if not text.strip():
            return ImportResult(label, skipped="empty file")
        from newsbrowse.store.parallel import Job

        return Job(text, meta, strip_controls(path.name)), sha

    @staticmethod
    def _accepted(
        label: str, outcome: Article | str, seen: _Seen
    ) -> tuple[ImportResult, Article | None]:
        """The analysed article, unless analysis refused it or its id is already stored."""
        if isinstance(outcome, str):
            return ImportResult(label, skipped=outcome), None
        if seen.has(outcome.id):
            return ImportResult(label, skipped=f"duplicate of article {outcome.id}"), None
        return ImportResult(label, id=outcome.id, title=outcome.title), outcome

    def reanalyse(
        self,
        progress: ProgressFn | None = None,
        index_progress: ProgressFn | None = None,
        jobs: int = 1,
    ) -> Outcome:
        """Analyse every stored article again with today's pipeline and the home's rules,
        keeping every article and the user's work (:mod:`newsbrowse.store.reanalysis`);
        commit it with one meta.json write, then bring the index up to it."""
        from newsbrowse.store import reanalysis

        with self._lock:
            self._require_writer()
            selected = set(self.user.selected())
        outcome = reanalysis.reanalyse_corpus(
            self.corpus,
            self.rules,
            stamp_of(self.rules),
            selected=selected,
            lock=self._lock,
            progress=progress,
            jobs=jobs,
        )
        with self._lock:
            reanalysis.commit(self.corpus, outcome)
            self._fresh_index(index_progress)
        return outcome

    # user state ---------------------------------------------------------------------------
    def selected_ids(self) -> list[str]:
        with self._lock:
            return self.user.selected()

    def selected_quotes(self) -> list[Quote]:
        """The selected quotes still in the corpus, in the order they were selected."""
        out = []
        for qid in self.selected_ids():
            try:
                out.append(self.quote(qid))
            except NotFound:
                continue
        return out

    def is_selected(self, quote_id: str) -> bool:
        with self._lock:
            return self.user.is_selected(quote_id)

    def toggle_selected(self, quote_id: str) -> bool:
        """Select or unselect; return whether the quote is now selected."""
        with self._lock:
            self._require_writer()
            if self.user.is_selected(quote_id):
                self.user.unselect(quote_id)
                return False
            self.quote(quote_id)
            self.user.select(quote_id)
            return True

    def select(self, quote_id: str) -> None:
        with self._lock:
            self._require_writer()
            self.quote(quote_id)
            self.user.select(quote_id)

    def unselect(self, quote_id: str) -> None:
        with self._lock:
            self._require_writer()
            self.user.unselect(quote_id)

    def clear_selection(self) -> None:
        with self._lock:
            self._require_writer()
            self.user.clear_selection()

    def mark_read(self, article_id: str) -> None:
        with self._lock:
            self._require_writer()
            self.user.mark_read(article_id)

    def read_ids(self) -> set[str]:
        with self._lock:
            return self.user.read_ids()

    def iter_articles(self) -> Iterator[Article]:
        """Every full record, a chunk at a time; the lock is never held across a ``yield``."""
        with self._lock:
            names = self.corpus.chunks() if self.corpus.meta_path.exists() else []
        seen: set[str] = set()
        for name in reversed(names):
            with self._lock:
                batch = [a for a, _ in self.corpus.chunk_articles(name)]
            for art in batch:
                if art.id not in seen:
                    seen.add(art.id)
                    yield art


@dataclass
class _Seen:
    """What an import already holds: ids and source hashes of this run, then the index's."""

    ids: set[str]
    sources: dict[str, str]
    index: Index | None = None

    def has(self, article_id: str) -> bool:
        if article_id in self.ids:
            return True
        if self.index is None:
            return False
        row = self.index.conn.execute(
            "SELECT 1 FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        return row is not None

    def source(self, sha: str) -> str | None:
        """The article imported from a file of these exact bytes, if any."""
        if sha in self.sources:
            return self.sources[sha]
        if self.index is None:
            return None
        row = self.index.conn.execute(
            "SELECT article_id FROM sources WHERE sha256 = ?", (sha,)
        ).fetchone()
        return row[0] if row is not None else None


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
