"""The one door to the data: what the CLI and the app ask, and nothing about screens.

A :class:`Library` opens a home, owns its corpus, user state and derived index behind
one thread lock (app workers in threads never touch the store at the same time) and,
when it may write, the home's process lock (:mod:`newsbrowse.store.lock`: two processes
never write one home); it keeps the index up to the corpus before every read
(:mod:`newsbrowse.store.index_keeper`), and hands the work on: the read SQL to
:mod:`newsbrowse.store.queries`, search to :mod:`newsbrowse.store.search`, the import to
:mod:`newsbrowse.store.importer`, the re-analysis to :mod:`newsbrowse.store.reanalysis`.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from newsbrowse.store import corrected_reads, corrected_search, importer, queries
from newsbrowse.store import search as search_mod
from newsbrowse.store.corpus import Corpus
from newsbrowse.store.errors import BadInput, NotFound
from newsbrowse.store.files import remove_stale_temporaries
from newsbrowse.store.importer import ImportResult, ProgressFn
from newsbrowse.store.index_keeper import IndexKeeper
from newsbrowse.store.library_user import UserWork
from newsbrowse.store.lock import HomeLock, IndexLock, thread_lock
from newsbrowse.store.migrate import migrate, needs_migration, remove_leftovers
from newsbrowse.store.model import Article, ArticleSummary, Link, Quote, check_side, sides_of
from newsbrowse.store.paths import default_home, ensure_home
from newsbrowse.store.rules import ReadingRules, load_codebook, load_rules
from newsbrowse.store.staleness import import_stamp, stamp_of
from newsbrowse.store.user_state import UserState

if TYPE_CHECKING:  # imported when first needed: the app's first screen analyses nothing
    from newsbrowse.store.index import Index
    from newsbrowse.store.ingest.codebook import Codebook
    from newsbrowse.store.model import ArticleMeta
    from newsbrowse.store.reanalysis import Outcome
    from newsbrowse.store.rules import Rules

__all__ = ["ImportResult", "Library", "ProgressFn"]


class Library(UserWork):
    """A newsbrowse home: corpus, user state and index."""

    def __init__(self, home: Path, rules: Rules | None = None) -> None:
        self.home = home
        ensure_home(home)
        self._rules = rules
        self._codebook = rules.codebook if rules else None
        self.corpus = Corpus(home)
        self.user = UserState(home)
        self.home_lock = HomeLock(home)
        self.index_lock = IndexLock(home)
        self._lock = thread_lock(home)
        self._keeper = IndexKeeper(self.corpus, home / "index.sqlite", self.index_lock, self._lock)
        self._command = "newsbrowse"

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
        but the derived index (see :class:`IndexKeeper`), except on a home's first use:
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
        """Every domain rule (the user's copies in the home first), loaded once when first
        needed (an import, a speaker filter): the first screen needs the codebook alone."""
        if self._rules is None:
            with self._lock:
                if self._rules is None:
                    self._rules = load_rules(self.home, codebook=self._codebook)
        return self._rules

    @property
    def codebook(self) -> Codebook:
        """The demands and sides (the home's codebook.json first), loaded once."""
        if self._codebook is None:
            with self._lock:
                if self._codebook is None:
                    self._codebook = load_codebook(self.home)
        return self._codebook

    def close(self) -> None:
        with self._lock:
            self._keeper.close()
            self.corpus.close()
            self.user.close()
        self.index_lock.release()
        self.home_lock.release()

    # the index ------------------------------------------------------------------------
    @property
    def index(self) -> Index:
        """The index reads use: the one on disk, or a private one (:attr:`index_notice`)."""
        return self._keeper.index

    @property
    def index_notice(self) -> str | None:
        """Why reads use a private index, not the one on disk (one line), if they do."""
        return self._keeper.notice

    def index_lag(self) -> int:
        """How many articles the index must take in before the next read (all: a rebuild)."""
        with self._lock:
            return self._keeper.lag()

    def update_index(self, progress: ProgressFn | None = None) -> None:
        """Bring the index up to the corpus now, reporting (articles done, articles to
        do) to ``progress``: a rebuild of 100,000 articles takes minutes."""
        with self._lock:
            self._keeper.fresh(progress)

    def _fresh_index(self, progress: ProgressFn | None = None) -> Index:
        """The index, brought up to the corpus first if it lags it (:class:`IndexKeeper`)."""
        return self._keeper.fresh(progress)

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        """The thread lock, with the home's lock taken first if this process lacks it."""
        with self._lock:
            self._require_writer()
            yield

    # reading (the SQL is in queries.py) ------------------------------------------------
    def articles(self) -> list[ArticleSummary]:
        """Every article, oldest first (undated ones last), without bodies; the user's
        metadata edits shown (an edited date does not move an article: see README)."""
        return self.meta_edits().summaries(self._keeper.read(queries.articles))

    def article_count(self, demand: str | None = None) -> int:
        """How many articles the list shows (those linked to ``demand``, if given)."""
        return self._keeper.read(queries.article_count, self.codebook, demand)

    def article_page(
        self, offset: int, limit: int, demand: str | None = None
    ) -> list[ArticleSummary]:
        """``limit`` summaries from position ``offset`` of the list (oldest first, undated
        last), only those linked to ``demand`` if given: what a screenful of rows needs."""
        found = self._keeper.read(queries.article_page, self.codebook, offset, limit, demand)
        return self.meta_edits().summaries(found)

    def article_position(self, article_id: str, demand: str | None = None) -> int | None:
        """Where ``article_id`` stands in the list (with ``demand``'s filter), or None."""
        return self._keeper.read(queries.article_position, self.codebook, article_id, demand)

    def summaries(self, ids: Iterable[str]) -> dict[str, ArticleSummary]:
        """The summaries of ``ids`` the store holds, by primary key (a page's, not all)."""
        found = self._keeper.read(queries.summaries, ids)
        edits = self.meta_edits()
        return {key: edits.apply(s) for key, s in found.items()} if edits else found

    def article(self, article_id: str) -> Article:
        """One article as the user corrected it (:mod:`newsbrowse.store.corrected`)."""
        art = self.fixes().article(self.stored_article(article_id))
        return self.meta_edits().apply(art)

    def stored_article(self, article_id: str) -> Article:
        """One full record as analysed, read from the one chunk the index says holds it."""
        with self._lock:
            full_id = self.resolve_article_id(article_id)
            chunk, span = queries.article_place(self.index.conn, full_id)
            art = self.corpus.article(full_id, chunk, span)
        if art is None:
            raise NotFound(f"no article {article_id!r}; `newsbrowse list` shows the ids")
        return art

    def resolve_article_id(self, article_id: str) -> str:
        """Accept a full id or an unambiguous prefix of at least four characters."""
        return self._keeper.read(queries.resolve_article_id, article_id)

    def quote(self, quote_id: str) -> Quote:
        """One quote by id, as corrected, or :class:`NotFound`."""
        if self.fixes().touches(quote_id):
            return corrected_reads.quote(self, quote_id)
        return self._keeper.read(queries.quote, quote_id)

    def quotes(
        self,
        article: str | None = None,
        speaker: str | None = None,
        side: str | None = None,
        demand: str | None = None,
    ) -> list[Quote]:
        """Quotes, filtered; ``speaker`` as :meth:`speaker_names` reads it."""
        names = self.speaker_names(speaker) if speaker else None
        found = self._keeper.read(
            queries.quotes, self.codebook, article=article, speakers=names, side=side, demand=demand
        )
        where = corrected_reads.QuoteFilter(article, names, side, demand)
        return corrected_reads.quotes(self, self.fixes(), found, where)

    def links(
        self,
        demand: str | None = None,
        side: str | None = None,
        offset: int = 0,
        limit: int | None = None,
        stance: str | None = None,
    ) -> list[Link]:
        """Links in codebook order, the demanding side's first, then by article date (of
        ``stance`` only, if given); ``offset``/``limit`` page at one cost at any size."""
        found = self._keeper.read(queries.links, self.codebook, demand, side, offset, limit, stance)
        fixes = self.fixes()
        return corrected_reads.links(self, fixes, found, demand, side, offset == 0, stance)

    def link_counts(self) -> dict[str, dict[str, int]]:
        """Per demand: its links per side, and the answering side's replies per stance."""
        counts = self._keeper.read(queries.link_counts, self.codebook)
        return corrected_reads.link_counts(self, self.fixes(), counts)

    def search(self, query: str, limit: int = 50) -> list[search_mod.SearchHit]:
        """Ranked hits over article text and quotes (:mod:`newsbrowse.store.search`), as
        corrected (:mod:`newsbrowse.store.corrected_search`)."""

        def run(text: str) -> list[search_mod.SearchHit]:
            with self._lock:
                rules = ReadingRules(self.codebook, lambda: self.rules)
                return search_mod.search(self._fresh_index(), rules, text, limit=limit)

        hits = corrected_search.search(self, query, limit, run)
        edits = self.meta_edits()
        return [replace(h, title=edits.title(h.article_id, h.title)) for h in hits]

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
        try:
            names = self._keeper.read(queries.speaker_names, self.rules.actors, name)
        except BadInput:
            names = []
        return corrected_reads.speaker_names(self.fixes(), names, name)

    # importing --------------------------------------------------------------------------
    def load_fixtures(self) -> list[ImportResult]:
        """Fill the corpus from the shipped seeds, through the same pipeline as any file."""
        return self._import(importer.fixture_items(), progress=None)

    def reset(self) -> list[ImportResult]:
        """Make the corpus the fixtures again (the selection stays), dropping every other
        article (:meth:`imported_count`): the fixtures are analysed first, then one
        meta.json write switches the corpus over, so a failure leaves the old one whole."""
        with self._writing():
            results, articles = self._seeds
            self.corpus.replace_all(articles, stamp_of(self.rules))
            return results

    def imported_count(self) -> int:
        """How many stored articles are not the fixtures' (those :meth:`reset` drops)."""
        seeds = [art.id for art in self._seeds[1]]
        return self._keeper.read(queries.imported_count, seeds)

    @functools.cached_property
    def _seeds(self) -> tuple[list[ImportResult], list[Article]]:
        """The fixtures analysed with the current rules, and each one's result (once)."""
        return importer.analyse_seeds(self.rules)

    def import_paths(
        self,
        paths: Iterable[str | Path],
        progress: ProgressFn | None = None,
        jobs: int | None = None,
        meta: ArticleMeta | None = None,
    ) -> list[ImportResult]:
        """Import files and folders of text and saved web pages; report each file's id or
        reason, in the order the paths were given (:mod:`newsbrowse.store.importer`).
        ``jobs``: processes that analyse (default: one per core this process may use);
        ``meta``: the source, URL or date the user gives a single file."""
        items, refused = importer.gather(paths, meta, self.home)
        return importer.in_order(self._import(items, progress, jobs), refused)

    def _import(
        self, items: list[importer.Item], progress: ProgressFn | None, jobs: int | None = None
    ) -> list[ImportResult]:
        if items:
            self.rules  # noqa: B018 - a malformed rules file is one error, not one per file
        with self._lock:
            seen = importer.Seen(index=self._fresh_index() if self.corpus.exists() else None)
            stamp = import_stamp(self.corpus, self.rules) if items else None

            def commit(batch: list[tuple[Article, str | None]]) -> None:
                if batch:
                    self._require_writer()
                    self._keeper.store(batch, stamp)

            results = importer.import_items(items, self.rules, seen, commit, progress, jobs)
            # The index's commits flushed to disk once per import (see Index.commit); if
            # that fails the marker stays, and a reboot before the kernel writes them
            # rebuilds the index.
            with contextlib.suppress(OSError):
                self.index.sync()
        return results

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

        with self._writing():
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

    def iter_articles(self) -> Iterator[Article]:
        """Every full record, a chunk at a time; the lock is never held across a ``yield``."""
        return self.corpus.iter_articles(self._lock)
