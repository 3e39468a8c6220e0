"""The one door to the data: what the CLI and the app ask, and nothing about screens.

A :class:`Library` owns the corpus (TinyDB), the user's state (TinyDB) and the derived
SQLite index, behind one thread lock, so that app workers in threads never touch the
store at the same time; and, when it may write, the home's process lock
(:mod:`newsbrowse.store.lock`), so that two processes never write one home.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsbrowse.store import search as search_mod
from newsbrowse.store.db import Corpus, UserState, ensure_home, remove_stale_temporaries
from newsbrowse.store.errors import (
    BadInput,
    NewsbrowseError,
    NotFound,
    StoreLocked,
    StoreWriteFailed,
)
from newsbrowse.store.fixtures import fixture_articles
from newsbrowse.store.index import Index
from newsbrowse.store.ingest.codebook import Codebook
from newsbrowse.store.ingest.pipeline import analyse
from newsbrowse.store.lock import HomeLock, thread_lock
from newsbrowse.store.migrate import migrate, needs_migration
from newsbrowse.store.model import SIDES, Article, ArticleMeta, ArticleSummary, Link, Quote
from newsbrowse.store.paths import default_home
from newsbrowse.store.rules import Rules, load_rules
from newsbrowse.store.text import decode_bytes, strip_controls

# A news article is tens of kilobytes. The pipeline takes about 8 s on 1 MB and 75 s on
# 5 MB (measured on the seeds repeated), so larger files are refused with a reason.
MAX_FILE_BYTES = 1024 * 1024
TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
BATCH = 500


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


class Library:
    """A newsbrowse home: corpus, user state and index."""

    def __init__(self, home: Path, rules: Rules | None = None) -> None:
        self.home = home
        ensure_home(home)
        self.rules = rules or load_rules(home)
        self.corpus = Corpus(home)
        self.user = UserState(home)
        self.index = Index(home / "index.sqlite")
        self.home_lock = HomeLock(home)
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
        ``read_only``, a held lock is no error: every store file is replaced atomically, so
        a reader sees a whole committed state; but it may not write (no bootstrap either).
        """
        lib = cls(home or default_home())
        try:
            lib._open(bootstrap, command, read_only)
        except BaseException:
            lib.close()
            raise
        return lib

    def _open(self, bootstrap: bool, command: str, read_only: bool) -> None:
        try:
            self.home_lock.acquire(command)
        except StoreLocked:
            if not read_only:
                raise
        if self.home_lock.held:
            remove_stale_temporaries(self.home)
        if needs_migration(self.corpus, self.user):
            self._require_writer()
            with self._lock:
                migrate(self.corpus, self.user)
        if bootstrap and not self.corpus.exists():
            self._require_writer()
            self.load_fixtures()

    def _require_writer(self) -> None:
        if not self.home_lock.held:
            # Name the holder by trying again: the message says who it is.
            self.home_lock.acquire("newsbrowse")

    @property
    def codebook(self) -> Codebook:
        return self.rules.codebook

    def close(self) -> None:
        with self._lock:
            self.index.close()
            self.corpus.close()
            self.user.close()
        self.home_lock.release()

    # the corpus ---------------------------------------------------------------------
    def _fresh_index(self) -> Index:
        """The index, rebuilt first if it lags the catalog (or is missing or damaged)."""
        generation = self.corpus.generation
        if self.index.generation() != generation:
            try:
                self.index.rebuild(self.corpus.articles(), generation)
            except (OSError, sqlite3.Error) as exc:
                reason = getattr(exc, "strerror", None) or str(exc)
                raise StoreWriteFailed(
                    f"cannot build the search index {self.index.path}: {reason}; the store "
                    "is unchanged (free some disk space or fix the folder, then try again)"
                ) from None
        return self.index

    def articles(self) -> list[ArticleSummary]:
        """Every article, oldest first (undated ones last), without bodies."""
        with self._lock:
            rows = (
                self._fresh_index()
                .conn.execute(
                    "SELECT id, title, source, url, date, date_basis, words, quote_count, "
                    "link_count FROM articles ORDER BY date IS NULL, date, title"
                )
                .fetchall()
            )
        return [ArticleSummary.from_dict(dict(r)) for r in rows]

    _SUMMARY_COLUMNS = "id, title, source, url, date, date_basis, words, quote_count, link_count"
    _LIST_ORDER = "date IS NULL, date, title, id"

    @staticmethod
    def _demand_where(demand: str | None) -> tuple[str, list[Any]]:
        if demand is None:
            return "", []
        return " WHERE id IN (SELECT article_id FROM links WHERE demand = ?)", [demand]

    def article_count(self, demand: str | None = None) -> int:
        """How many articles the list shows (those linked to ``demand``, if given)."""
        if demand is not None:
            self.check_demand(demand)
        where, args = self._demand_where(demand)
        with self._lock:
            row = (
                self._fresh_index()
                .conn.execute(f"SELECT count(*) FROM articles{where}", args)
                .fetchone()
            )
        return int(row[0])

    def article_page(
        self, offset: int, limit: int, demand: str | None = None
    ) -> list[ArticleSummary]:
        """``limit`` summaries from position ``offset`` of the list (oldest first, undated
        last), only those linked to ``demand`` if given: what a screenful of rows needs."""
        if demand is not None:
            self.check_demand(demand)
        where, args = self._demand_where(demand)
        with self._lock:
            rows = (
                self._fresh_index()
                .conn.execute(
                    f"SELECT {self._SUMMARY_COLUMNS} FROM articles{where} "
                    f"ORDER BY {self._LIST_ORDER} LIMIT ? OFFSET ?",
                    [*args, max(0, limit), max(0, offset)],
                )
                .fetchall()
            )
        return [ArticleSummary.from_dict(dict(r)) for r in rows]

    def article_position(self, article_id: str, demand: str | None = None) -> int | None:
        """Where ``article_id`` stands in the list (with ``demand``'s filter), or None."""
        ids = [s.id for s in self.article_page(0, self.article_count(demand), demand)]
        return ids.index(article_id) if article_id in ids else None

    def summaries(self, ids: Iterable[str]) -> dict[str, ArticleSummary]:
        """The summaries of ``ids`` the store holds, by primary key (a page's, not all)."""
        wanted = list(dict.fromkeys(ids))
        out: dict[str, ArticleSummary] = {}
        with self._lock:
            conn = self._fresh_index().conn
            for at in range(0, len(wanted), 500):
                chunk = wanted[at : at + 500]
                rows = conn.execute(
                    "SELECT id, title, source, url, date, date_basis, words, quote_count, "
                    f"link_count FROM articles WHERE id IN ({','.join('?' * len(chunk))})",
                    chunk,
                ).fetchall()
                out.update((r["id"], ArticleSummary.from_dict(dict(r))) for r in rows)
        return out

    def article(self, article_id: str) -> Article:
        with self._lock:
            art = self.corpus.article(self.resolve_article_id(article_id))
        if art is None:
            raise NotFound(f"no article {article_id!r}; `newsbrowse list` shows the ids")
        return art

    def resolve_article_id(self, article_id: str) -> str:
        """Accept a full id or an unambiguous prefix of at least four characters."""
        with self._lock:
            # The fresh index lists exactly the catalog's articles, by primary key: no scan.
            conn = self._fresh_index().conn
            if conn.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone():
                return article_id
            if len(article_id) >= 4:
                rows = conn.execute(
                    "SELECT id FROM articles WHERE id LIKE ? || '%' LIMIT 2",
                    (article_id.replace("%", "").replace("_", ""),),
                ).fetchall()
                if len(rows) == 1:
                    return rows[0]["id"]
        raise NotFound(f"no article {article_id!r}; `newsbrowse list` shows the ids")

    def quote(self, quote_id: str) -> Quote:
        with self._lock:
            row = (
                self._fresh_index()
                .conn.execute(
                    'SELECT id, article_id, text, speaker, side, cue, start, "end" FROM quotes '
                    "WHERE id = ?",
                    (quote_id,),
                )
                .fetchone()
            )
        if row is None:
            raise NotFound(f"no quote {quote_id!r}; `newsbrowse quotes` shows the ids")
        return Quote.from_dict(dict(row))

    def quotes(
        self,
        article: str | None = None,
        speaker: str | None = None,
        side: str | None = None,
        demand: str | None = None,
    ) -> list[Quote]:
        """Quotes, filtered; ``speaker`` matches any part of the canonical name or an alias."""
        where, args = [], []
        if article:
            where.append("q.article_id = ?")
            args.append(self.resolve_article_id(article))
        if side:
            where.append("q.side = ?")
            args.append(self.check_side(side))
        if demand:
            where.append(
                "q.id IN (SELECT quote_id FROM links WHERE demand = ? AND quote_id IS NOT NULL)"
            )
            args.append(self.check_demand(demand))
        if speaker:
            names = self.speaker_names(speaker)
            marks = ",".join("?" * len(names))
            where.append(f"(q.speaker IN ({marks}) OR lower(q.speaker) LIKE ?)")
            args.extend(names)
            args.append(f"%{speaker.lower()}%")
        sql = (
            'SELECT q.id, q.article_id, q.text, q.speaker, q.side, q.cue, q.start, q."end" '
            "FROM quotes q JOIN articles a ON a.id = q.article_id"
        )
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY a.date IS NULL, a.date, a.id, q.start"
        with self._lock:
            rows = self._fresh_index().conn.execute(sql, args).fetchall()
        return [Quote.from_dict(dict(r)) for r in rows]

    def links(
        self,
        demand: str | None = None,
        side: str | None = None,
        offset: int = 0,
        limit: int | None = None,
    ) -> list[Link]:
        """Links in codebook order, Russia first, then by article date and position.

        ``offset``/``limit`` page through them (the sort is SQLite's, on an index when
        ``demand`` and ``side`` are given, so a page costs the same at any corpus size).
        """
        where, args = [], []
        if demand:
            where.append("l.demand = ?")
            args.append(self.check_demand(demand))
        if side:
            where.append("l.side = ?")
            args.append(self.check_side(side))
        sql = (
            "SELECT l.id, l.article_id, l.demand, l.side, l.stance, l.evidence, l.start, "
            'l."end", l.quote_id FROM links l'
        )
        if where:
            sql += " WHERE " + " AND ".join(where)
        order = ["l.sort_date", "l.article_id", "l.start", "l.id"]
        if not side:
            order.insert(0, "l.side != 'russia'")
        if not demand:
            slugs = self.codebook.slugs
            cases = " ".join("WHEN ? THEN ?" for _ in slugs)
            order.insert(0, f"CASE l.demand {cases} ELSE {len(slugs)} END" if slugs else "0")
            args.extend(x for i, slug in enumerate(slugs) for x in (slug, i))
        sql += " ORDER BY " + ", ".join(order)
        if limit is not None or offset:
            sql += " LIMIT ? OFFSET ?"
            args.extend((-1 if limit is None else max(0, limit), max(0, offset)))
        with self._lock:
            rows = self._fresh_index().conn.execute(sql, args).fetchall()
        return [Link.from_dict(dict(r)) for r in rows]

    def link_counts(self) -> dict[str, dict[str, int]]:
        """Per demand: its links per side, and the US/NATO replies per stance.

        A reply without a stance counts as ``neutral``; a demand without links is absent.
        One GROUP BY, so the demands panel gets its summary without loading any link.
        """
        with self._lock:
            rows = (
                self._fresh_index()
                .conn.execute(
                    # Grouped by the raw stance, so that the (demand, side, stance) index
                    # answers alone; a missing stance is folded into "neutral" below.
                    "SELECT demand, side, stance, count(*) AS n FROM links "
                    "GROUP BY demand, side, stance"
                )
                .fetchall()
            )
        counts: dict[str, dict[str, int]] = {}
        for r in rows:
            tally = counts.setdefault(r["demand"], {})
            tally[r["side"]] = tally.get(r["side"], 0) + r["n"]
            if r["side"] == "us_nato":
                stance = r["stance"] or "neutral"
                tally[stance] = tally.get(stance, 0) + r["n"]
        return counts

    def search(self, query: str, limit: int = 50) -> list[search_mod.SearchHit]:
        """Ranked hits over article text and quotes; see :mod:`newsbrowse.store.search`."""
        with self._lock:
            return search_mod.search(self, self._fresh_index(), query, limit=limit)

    # checks ---------------------------------------------------------------------------
    def check_demand(self, slug: str) -> str:
        if self.codebook.demand(slug) is None:
            known = ", ".join(self.codebook.slugs)
            raise NotFound(f"no demand {slug!r} in the codebook; known demands: {known}")
        return slug

    @staticmethod
    def check_side(side: str) -> str:
        if side not in SIDES:
            raise BadInput(f"unknown side {side!r}; use one of: {', '.join(SIDES)}")
        return side

    def speaker_names(self, name: str) -> list[str]:
        """Canonical names a user's spelling may mean (``putin`` -> ``Vladimir Putin``)."""
        actor = self.rules.actors.lookup(name)
        return [actor.name] if actor else []

    # importing --------------------------------------------------------------------------
    def load_fixtures(self) -> list[ImportResult]:
        """Fill the corpus from the shipped seeds, through the same pipeline as any file."""
        items = [(str(f.path), f.path, f.meta) for f in fixture_articles()]
        return self._import(items, progress=None)

    def reset(self) -> list[ImportResult]:
        """Make the corpus the fixtures again (the user's selection stays).

        The fixtures are analysed before anything is written, and one catalog write
        switches the corpus over: a failure leaves the old corpus whole.
        """
        with self._lock:
            self._require_writer()
            results, articles = [], []
            for f in fixture_articles():
                known = {a.id for a in articles}
                result, art = self._analyse_file(str(f.path), f.path, f.meta, known)
                results.append(result)
                if art is not None:
                    articles.append(art)
            self.corpus.replace_all(articles)
            return results

    def import_paths(
        self, paths: Iterable[str | Path], progress: ProgressFn | None = None
    ) -> list[ImportResult]:
        """Import files and folders of plain text; report each file's id or reason."""
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
        results = self._import(items, progress)
        for position in sorted(refused):
            results.insert(position, refused[position])
        return results

    def _import(
        self, items: list[tuple[str, Path, ArticleMeta | None]], progress: ProgressFn | None
    ) -> list[ImportResult]:
        results: list[ImportResult] = []
        with self._lock:
            known = self.corpus.ids()
            pending: list[Article] = []
            for done, (label, path, meta) in enumerate(items, start=1):
                result, art = self._analyse_file(label, path, meta, known)
                results.append(result)
                if art is not None:
                    known.add(art.id)
                    pending.append(art)
                if len(pending) >= BATCH:
                    self._commit(pending)
                    pending = []
                if progress:
                    progress(done, len(items))
            self._commit(pending)
        return results

    def _commit(self, articles: list[Article]) -> None:
        if not articles:
            return
        self._require_writer()
        stale = self.index.generation() != self.corpus.generation
        self.corpus.add(articles)
        try:
            if stale:
                self.index.rebuild(self.corpus.articles(), self.corpus.generation)
            else:
                self.index.add(articles, self.corpus.generation)
        except (OSError, sqlite3.Error):
            # The corpus holds the articles; the index is derived and is rebuilt when
            # its generation lags the catalog's, so drop it rather than fail the import.
            self.index.close()
            self.index.path.unlink(missing_ok=True)

    def _analyse_file(
        self, label: str, path: Path, meta: ArticleMeta | None, known: set[str]
    ) -> tuple[ImportResult, Article | None]:
        label = strip_controls(label)  # shown to the user: no controls, no broken characters
        try:
            size = path.stat().st_size
            if size == 0:
                return ImportResult(label, skipped="empty file"), None
            if size > MAX_FILE_BYTES:
                mb = size / 1024 / 1024
                limit = MAX_FILE_BYTES / 1024 / 1024
                reason = f"too large for one article ({mb:.1f} MB; limit {limit:g} MB)"
                return ImportResult(label, skipped=reason), None
            data = path.read_bytes()
        except OSError as exc:
            return ImportResult(label, skipped=f"unreadable: {exc.strerror}"), None
        try:
            text = strip_controls(decode_bytes(data))
        except ValueError as exc:
            return ImportResult(label, skipped=str(exc)), None
        if not text.strip():
            return ImportResult(label, skipped="empty file"), None
        try:
            art = analyse(text, self.rules, meta, origin=strip_controls(path.name))
        except NewsbrowseError as exc:
            return ImportResult(label, skipped=str(exc)), None
        if art.id in known:
            return ImportResult(label, skipped=f"duplicate of article {art.id}"), None
        return ImportResult(label, id=art.id, title=art.title), art

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

    def summaries_by_id(self) -> dict[str, ArticleSummary]:
        return {s.id: s for s in self.articles()}

    def iter_articles(self) -> Iterator[Article]:
        """Every full record; the lock is held per record, never across a ``yield``."""
        with self._lock:
            ids = sorted(self.corpus.ids())
        for article_id in ids:
            with self._lock:
                art = self.corpus.article(article_id)
            if art is not None:
                yield art
