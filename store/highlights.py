"""Where a hit's words are in its text, and the one-line snippet around the first of them:
what the reader highlights and the search results show, found again in Python after
FTS5 has matched (FTS5 returns rows, not offsets).
"""

from __future__ import annotations

import re

SNIPPET_BEFORE = 60
SNIPPET_AFTER = 110

Span = tuple[int, int]


def is_prefix(term: tuple[str, ...]) -> bool:
    """A word matches as a prefix, but not a phrase nor a one-letter word: "n" would match
    most rows, where BM25 gives it no weight (and ranking them all costs most)."""
    return len(term) == 1 and len(term[0]) > 1


_TOKEN_CHAR = re.compile(r"[^\W_]")


class Finder:
    """Finds in a text what the FTS expression matched: a term at the start of a token.

    The regex starts with the term's letters and the token start is checked after a
    match (a lookbehind tried at every position costs 5-10 times more), in the lowered
    text whenever lowering keeps every offset (else case-insensitively)."""

    def __init__(self, terms: list[tuple[str, ...]]) -> None:
        alts = []
        for term in terms:
            body = r"[\W_]+".join(re.escape(t) for t in term)
            alts.append(body + (r"[^\W_]*" if is_prefix(term) else r"(?![^\W_])"))
        self._lowered = re.compile("|".join(alts))
        self._any_case = re.compile("|".join(alts), re.IGNORECASE)

    def find(self, text: str, lo: int = 0, hi: int | None = None) -> list[Span]:
        """Spans of the matches inside ``text[lo:hi]``."""
        hi = len(text) if hi is None else hi
        lowered = text.lower()
        pattern = self._lowered
        if len(lowered) != len(text):
            lowered, pattern = text, self._any_case
        spans: list[Span] = []
        pos = lo
        while (m := pattern.search(lowered, pos, hi)) is not None:
            start = m.start()
            if start > 0 and _TOKEN_CHAR.match(lowered, start - 1):
                pos = start + 1  # inside a token: not a match, but one may start later
                continue
            spans.append(m.span())
            pos = max(m.end(), start + 1)
        return spans


def snippet_around(body: str, matches: list[Span], lo: int, hi: int) -> tuple[str, list[Span]]:
    """A one-line window of ``body[lo:hi]`` around the first match, and matches inside it."""
    first = matches[0][0]
    a = max(lo, first - SNIPPET_BEFORE)
    b = min(hi, max(matches[0][1], first) + SNIPPET_AFTER)
    if a > lo:
        space = body.find(" ", a, first)
        a = space + 1 if space != -1 else a
    if b < hi:
        space = body.rfind(" ", matches[0][1], b)
        b = space if space != -1 else b
    prefix = "…" if a > lo else ""
    suffix = "…" if b < hi else ""
    text = prefix + body[a:b].replace("\n", " ") + suffix
    shift = len(prefix) - a
    inside = [(s + shift, e + shift) for s, e in matches if s >= a and e <= b and e > s]
    return text, inside
