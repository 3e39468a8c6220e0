"""What a new analysis changed in an article: quotes added, removed or re-attributed,
links added or removed. Pure comparison of two versions of one article; ``reanalyse``
prints the totals and names what a user's selection lost.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from newsbrowse.store.model import Article, Quote


@dataclass
class Changes:
    """Counts of what changed, summed over articles; the quotes removed kept by id."""

    articles: int = 0
    quotes_added: int = 0
    quotes_removed: int = 0
    reattributed: int = 0
    links_added: int = 0
    links_removed: int = 0
    removed_quotes: dict[str, Quote] = field(default_factory=dict)

    def add(self, old: Article, new: Article) -> None:
        """Count what ``new`` (the same article analysed again) changed from ``old``."""
        before = {q.id: q for q in old.quotes}
        after = {q.id: q for q in new.quotes}
        self.articles += 1
        self.quotes_added += len(after.keys() - before.keys())
        gone = before.keys() - after.keys()
        self.quotes_removed += len(gone)
        self.removed_quotes.update((qid, before[qid]) for qid in gone)
        self.reattributed += sum(
            1
            for qid in before.keys() & after.keys()
            if (before[qid].speaker, before[qid].side) != (after[qid].speaker, after[qid].side)
        )
        links_before = {lk.id for lk in old.links}
        links_after = {lk.id for lk in new.links}
        self.links_added += len(links_after - links_before)
        self.links_removed += len(links_before - links_after)

    @property
    def any(self) -> bool:
        return bool(
            self.quotes_added
            or self.quotes_removed
            or self.reattributed
            or self.links_added
            or self.links_removed
        )

    def summary(self) -> str:
        """One line: "12 articles: 3 quotes added, 1 removed, 9 re-attributed; ..."."""
        return (
            f"{_count(self.articles, 'article')} analysed again: "
            f"{_count(self.quotes_added, 'quote')} added, {self.quotes_removed} removed, "
            f"{self.reattributed} re-attributed; "
            f"{_count(self.links_added, 'link')} added, {self.links_removed} removed"
        )


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" + ("" if n == 1 else "s")
