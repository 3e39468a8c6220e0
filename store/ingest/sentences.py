"""Sentence splitting over the cleaned body, with exact offsets.

Quotes and link evidence are cited by these spans, so a span is exactly the sentence:
no surrounding whitespace, never across a paragraph. Quotation marks are not paired
(scraped text mismatches them); a mark after the final period belongs to the sentence.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from newsbrowse.store.rule_files import read_json_rules

# A blank line (spaces allowed on it) separates paragraphs.
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n")
_CLOSERS = "\"'\u201d\u2019\u00bb)\\]"
_OPENERS = "\"'\u201c\u201d\u2018\u2019\u00ab\u00bb\u201e(\\["
# Terminal marks, the closing quotes or brackets that belong to the sentence, the gap.
# A match starts only at the first mark of a run, and no quantifier gives back what it
# took: a run of n marks without a gap after it is one failed attempt of n steps, not n
# attempts of up to n steps each (100 KB of "." took 93 s).
_BOUNDARY = re.compile(
    rf"(?<![.!?\u2026])(?P<mark>[.!?\u2026]++)(?P<close>[{_CLOSERS}]*+)(?P<gap>\s+)"
)
_NEXT_WORD = re.compile(rf"[{_OPENERS}]*(?P<word>[^\W_]+)")
_TOKEN_BEFORE = re.compile(r"(?:[^\W_]+\.)*[^\W_]+$")
_INITIALS = re.compile(r"(?:[^\W\d_]\.)*[^\W\d_]")


@dataclass(frozen=True)
class Abbreviations:
    """Words after which a period does not end a sentence (see ``cleaning.json``)."""

    titles: frozenset[str] = frozenset()
    before_numbers: frozenset[str] = frozenset()
    may_end: frozenset[str] = frozenset()
    sentence_starters: frozenset[str] = frozenset()

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Abbreviations:
        """Read the ``abbreviations`` object of ``cleaning.json`` (lower-case, no final dot)."""

        def words(key: str) -> frozenset[str]:
            return frozenset(str(w).casefold().rstrip(".") for w in data.get(key, []))

        return cls(
            titles=words("titles"),
            before_numbers=words("before_numbers"),
            may_end=words("may_end"),
            sentence_starters=words("sentence_starters"),
        )

    def ends_sentence(self, token: str, next_word: str) -> bool:
        """Whether a period after ``token`` ends the sentence, given the word that follows."""
        word = token.casefold()
        if word in self.titles:
            return False
        if word in self.before_numbers and next_word[:1].isdigit():
            return False
        if word in self.may_end:
            return next_word.casefold() in self.sentence_starters
        # Initials (J. Smith, J.R.R. Tolkien) are single letters with periods.
        return _INITIALS.fullmatch(token) is None or not token[:1].isupper()


@cache
def default_abbreviations() -> Abbreviations:
    """The abbreviations shipped in ``fixtures/cleaning.json``."""

    return Abbreviations.from_dict(read_json_rules("cleaning.json").get("abbreviations", {}))


def paragraph_spans(body: str) -> list[tuple[int, int]]:
    """The (start, end) of each paragraph of ``body``, without surrounding whitespace."""
    spans: list[tuple[int, int]] = []
    start = 0
    for brk in [*_PARAGRAPH_BREAK.finditer(body), None]:
        end = brk.start() if brk else len(body)
        text = body[start:end]
        if text.strip():
            lead = len(text) - len(text.lstrip())
            spans.append((start + lead, start + len(text.rstrip())))
        if brk:
            start = brk.end()
    return spans


def _is_boundary(body: str, match: re.Match[str], end: int, abbr: Abbreviations) -> bool:
    nxt = _NEXT_WORD.match(body, match.end(), end)
    if nxt is None:
        return False
    word = nxt["word"]
    if not (word[0].isupper() or word[0].isdigit()):
        return False
    if match["mark"] != ".":
        return True
    before = _token_before(body, max(0, match.start() - 100), match.start())
    return before is None or abbr.ends_sentence(before, word)


def _token_before(body: str, lo: int, end: int) -> str | None:
    """What ``_TOKEN_BEFORE.search(body, lo, end)`` matches ("U.S", "Jan", "J.R.R"), read
    backwards from ``end``: the regex tries every start in the window, which cost a third
    of the splitting."""
    if end > lo and body[end - 1] == "\n":
        end -= 1  # ``$`` also matches before a final newline
    i = end
    while True:
        while i > lo and body[i - 1].isalnum():  # ``[^\W_]``
            i -= 1
        if i == end or (i < end and not body[i].isalnum()):
            return None
        if i - 2 >= lo and body[i - 1] == "." and body[i - 2].isalnum():
            i -= 1
            continue
        return body[i:end]


def split_sentences(body: str, abbreviations: Abbreviations | None = None) -> list[tuple[int, int]]:
    """Return (start, end) spans of the sentences of ``body``; none crosses a paragraph."""
    abbr = abbreviations if abbreviations is not None else default_abbreviations()
    spans: list[tuple[int, int]] = []
    for p_start, p_end in paragraph_spans(body):
        start = p_start
        for match in _BOUNDARY.finditer(body, p_start, p_end):
            if _is_boundary(body, match, p_end, abbr):
                spans.append((start, match.end("close")))
                start = match.end()
        spans.append((start, p_end))
    return spans
