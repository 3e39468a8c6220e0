"""The article list's rows, read from the store a page at a time and kept around the view.

Two ways in, for two kinds of move. Where the cursor goes, its rows are read at once
(:meth:`ArticlePages.summary`, :meth:`ArticlePages.read_now`): a page is an index walk of
a few milliseconds even at the end of 100,000 articles, and a key must show its row and
preview its article in the same frame. Rows scrolled to without the cursor (the wheel,
the scrollbar dragged across thousands of rows) are never read while a line is drawn:
the list asks for their page (:meth:`ArticlePages.want`) and a reading thread reads the
wanted pages nearest the view (:meth:`ArticlePages.read_next`), dropping those scrolled
past. Everything here is guarded by one lock, as the thread shares it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Protocol

from newsbrowse.store.model import ArticleSummary

PAGE = 64  # rows read at once
KEPT_PAGES = 8  # pages kept around the viewport
NEAR = 1  # wanted pages this far beyond the view are still read; farther ones are dropped


class ArticleSource(Protocol):
    """What the list asks of the library: counts, pages and positions, never every row."""

    def article_count(self, demand: str | None = None) -> int: ...

    def article_page(
        self, offset: int, limit: int, demand: str | None = None
    ) -> list[ArticleSummary]: ...

    def article_position(self, article_id: str, demand: str | None = None) -> int | None: ...


class ArticlePages:
    """The pages of one listing (every article, or one demand's) read so far."""

    def __init__(self, source: ArticleSource, demand: str | None, count: int) -> None:
        self.source = source
        self.demand = demand
        self.count = count
        self._lock = threading.Lock()
        self._pages: OrderedDict[int, list[ArticleSummary]] = OrderedDict()
        self._wanted: set[int] = set()  # asked for, not yet taken by the reading thread
        self._reading = False  # a reading thread is at work on this listing
        self._view = (0, 0)  # the first and last page on screen

    def __len__(self) -> int:
        """How many pages are kept."""
        return len(self._pages)

    # the UI thread ------------------------------------------------------------------------
    def cached(self, index: int) -> ArticleSummary | None:
        """The summary at ``index`` if its page was read; never reads."""
        number, at = divmod(index, PAGE)
        with self._lock:
            page = self._pages.get(number)
            if page is not None:
                self._pages.move_to_end(number)
        return page[at] if page is not None and at < len(page) else None

    def summary(self, index: int) -> ArticleSummary | None:
        """The summary at ``index``, its page read now if need be (the cursor's row)."""
        if not 0 <= index < self.count:
            return None
        found = self.cached(index)
        if found is None:
            self.read_now(index // PAGE)
            found = self.cached(index)
        return found

    def read_now(self, first: int, last: int | None = None) -> None:
        """Read pages ``first`` to ``last`` on this thread, but those kept already."""
        for number in range(first, (first if last is None else last) + 1):
            with self._lock:
                if number in self._pages:
                    continue
            self._keep(number, self.source.article_page(number * PAGE, PAGE, self.demand))

    def want(self, number: int, view: tuple[int, int]) -> bool:
        """Ask for page ``number`` to be read off this thread, the view being pages
        ``view``; True when a reading thread must be started for it."""
        with self._lock:
            self._view = view
            if number in self._pages or number in self._wanted:
                return False
            self._wanted.add(number)
            start, self._reading = not self._reading, True
        return start

    # the reading thread -------------------------------------------------------------------
    def read_next(self) -> bool:
        """Read the wanted page nearest the view; False when none is left (the thread
        ends, and the next :meth:`want` starts another)."""
        with self._lock:
            first, last = self._view
            self._wanted = {n for n in self._wanted if first - NEAR <= n <= last + NEAR}
            if not self._wanted:
                self._reading = False
                return False
            centre = (first + last) / 2
            number = min(self._wanted, key=lambda n: abs(n - centre))
        try:
            page = self.source.article_page(number * PAGE, PAGE, self.demand)
        except BaseException:
            self.stop()
            raise
        self._keep(number, page)
        with self._lock:
            self._wanted.discard(number)
        return True

    def stop(self) -> None:
        """Forget what was wanted (the reading thread failed or was cancelled)."""
        with self._lock:
            self._wanted.clear()
            self._reading = False

    def _keep(self, number: int, page: list[ArticleSummary]) -> None:
        with self._lock:
            self._pages[number] = page
            self._pages.move_to_end(number)
            while len(self._pages) > KEPT_PAGES:
                self._pages.popitem(last=False)
