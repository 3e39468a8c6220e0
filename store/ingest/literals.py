"""Words that every match of a pattern must contain: a cheap scan before the regex runs.

The codebook's terms are case-insensitive alternations that begin with ``\\b``, which
Python's ``re`` cannot skip through quickly: searching every sentence for every demand
cost most of an import. Yet each term needs some plain word ("expansion", "1997"): where
none of its words occurs, the term cannot match, and the regex need not run. The words
are read from the compiled pattern itself, so a user's own terms get them too; a term
without such a word is simply always tried.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable
from functools import lru_cache

try:  # the parser ``re`` compiles with; a Python without it tries every term (no shortcut)
    from re import _constants as _sre
    from re import _parser as _sre_parse
except ImportError:  # pragma: no cover - other Python versions
    _sre = _sre_parse = None  # type: ignore[assignment]

_MAX_ALTERNATIVES = 64
# Characters that ``re`` matches to an ASCII letter under IGNORECASE although ``lower()``
# does not give that letter (ſ, K, ı, İ): text holding one is never scanned in lower case.
_ASCII_LETTER_ANY_CASE = re.compile("[a-z]", re.IGNORECASE)
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_WORD = re.compile(r"\w+")
_MAX_WORDS_REMEMBERED = 50_000
_BACKREFERENCE = re.compile(r"\\[1-9]|\\g<|\(\?P=|\(\?P<")


def required_literals(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Lower-case strings one of which occurs in every match of ``pattern``; None if unknown.

    Only ASCII strings are returned, so a text may be searched for them in ``lower()``
    form (see :func:`lowered`). Inside lookarounds nothing is required.
    """
    if _sre_parse is None:
        return None
    try:
        found = _required(list(_sre_parse.parse(pattern.pattern, pattern.flags)))
    except Exception:  # noqa: BLE001 - a private parser that changed only switches this off
        return None
    if not found or not all(s and s.isascii() for s in found):
        return None
    return frozenset(s.lower() for s in found)


def _better(a: set[str] | None, b: set[str] | None) -> set[str] | None:
    """The more selective requirement: the one whose shortest string is longer."""
    if a is None:
        return b
    if b is None:
        return a
    return a if min(map(len, a)) >= min(map(len, b)) else b


def _exact(item: tuple[object, object]) -> set[str] | None:
    """The strings ``item`` matches, if it matches only a few fixed strings."""
    op, av = item
    if op is _sre.LITERAL:
        return {chr(av)}  # type: ignore[arg-type]
    if op is _sre.SUBPATTERN:
        return _exact_seq(list(av[-1]))  # type: ignore[index]
    if op is _sre.BRANCH:
        out: set[str] = set()
        for alternative in av[1]:  # type: ignore[index]
            strings = _exact_seq(list(alternative))
            if strings is None:
                return None
            out |= strings
        return out if len(out) <= _MAX_ALTERNATIVES else None
    return None


def _exact_seq(items: list[tuple[object, object]]) -> set[str] | None:
    strings = {""}
    for item in items:
        part = _exact(item)
        if part is None:
            return None
        strings = {a + b for a in strings for b in part}
        if len(strings) > _MAX_ALTERNATIVES:
            return None
    return strings


def _required(items: list[tuple[object, object]]) -> set[str] | None:
    """Strings one of which every match of the sequence ``items`` contains."""
    best: set[str] | None = None
    run: set[str] | None = None  # the product of the fixed items in a row
    for item in items:
        fixed = _exact(item)
        if fixed is not None and (run is None or len(run) * len(fixed) <= _MAX_ALTERNATIVES):
            run = fixed if run is None else {a + b for a in run for b in fixed}
            continue
        if run is not None and "" not in run:
            best = _better(best, run)
        run = fixed
        best = _better(best, _required_in(item))
    if run is not None and "" not in run:
        best = _better(best, run)
    return best


def _required_in(item: tuple[object, object]) -> set[str] | None:
    op, av = item
    if op is _sre.SUBPATTERN:
        return _required(list(av[-1]))  # type: ignore[index]
    if op is _sre.ATOMIC_GROUP:
        return _required(list(av))  # type: ignore[arg-type]
    if op is _sre.BRANCH:
        out: set[str] = set()
        for alternative in av[1]:  # type: ignore[index]
            strings = _required(list(alternative))
            if strings is None:
                return None
            out |= strings
        return out
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT):
        low, _high, sub = av  # type: ignore[misc]
        return _required(list(sub)) if low >= 1 else None
    return None


@lru_cache(maxsize=4096)
def _folds_safely(char: str) -> bool:
    return len(char.lower()) == 1 and _ASCII_LETTER_ANY_CASE.fullmatch(char) is None


def lowered(text: str) -> str | None:
    """``text.lower()`` with the same offsets, if ``re``'s case rules agree with it for
    ASCII words; None when the text holds a character where they differ."""
    if not text.isascii() and not all(map(_folds_safely, set(_NON_ASCII.findall(text)))):
        return None
    return text.lower()


class LiteralIndex:
    """Finds which patterns may match where: every occurrence of their required strings."""

    def __init__(self, patterns: Iterable[tuple[re.Pattern[str], Hashable]]) -> None:
        self.by_literal: dict[str, set[Hashable]] = {}
        self.always: set[Hashable] = set()  # tags of patterns with no required string
        for pattern, tag in patterns:
            literals = required_literals(pattern)
            if literals is None:
                self.always.add(tag)
                continue
            for literal in literals:
                self.by_literal.setdefault(literal, set()).add(tag)
        self.literals = sorted(self.by_literal)
        # Literals of letters and digits lie inside one word of a text wherever they occur:
        # only those inside one of its words are searched for (115 scans of a whole text
        # were most of the cost; its words are one scan, and repeat from text to text).
        self._in_words = [lit for lit in self.literals if lit.isalnum()]
        self._elsewhere = [lit for lit in self.literals if not lit.isalnum()]
        self._by_word: dict[str, tuple[str, ...]] = {}

    def occurrences(self, low: str) -> list[tuple[int, set[Hashable]]]:
        """(position, tags) of every occurrence of a required string in ``low``, in order."""
        found: list[tuple[int, set[Hashable]]] = []
        find = low.find
        for literal in self._present(low):
            i = find(literal)
            while i >= 0:
                found.append((i, self.by_literal[literal]))
                i = find(literal, i + 1)
        found.sort(key=lambda hit: hit[0])
        return found

    def tags_in(self, low: str) -> set[Hashable]:
        """The tags of every pattern that may match ``low``: one of its required strings
        occurs in it, or it has none."""
        tags: set[Hashable] = set(self.always)
        for literal in self._present(low):
            if literal in low:
                tags |= self.by_literal[literal]
        return tags

    def _present(self, low: str) -> list[str]:
        """The literals that may occur in ``low``: those inside one of its words, and every
        literal that is not a word (always searched)."""
        by_word = self._by_word
        if len(by_word) > _MAX_WORDS_REMEMBERED:
            by_word.clear()
        present: set[str] = set()
        for word in set(_WORD.findall(low)):
            inside = by_word.get(word)
            if inside is None:
                inside = by_word[word] = tuple(lit for lit in self._in_words if lit in word)
            if inside:
                present.update(inside)
        return [*self._elsewhere, *present]


def alternation(patterns: tuple[re.Pattern[str], ...]) -> re.Pattern[str] | None:
    """The patterns as one alternation: one scan of a text instead of one per pattern.

    A match of the alternation is a match of some pattern and the other way round, so
    "does any match" has the same answer; patterns it could change (numbered or named
    back-references, different flags, inline global flags that fail to compile) give None
    and keep their own scans.
    """
    if len(patterns) < 2 or len({t.flags for t in patterns}) != 1:
        return None
    if any(_BACKREFERENCE.search(t.pattern) for t in patterns):
        return None
    try:
        return re.compile("|".join(f"(?:{t.pattern})" for t in patterns), patterns[0].flags)
    except re.error:
        return None


def anchored_at_start(pattern: re.Pattern[str]) -> bool:
    """Whether ``pattern`` can match only at the start of a string of one line: it begins
    with ``^`` outside any alternation (a top-level ``|`` is one branch node), without
    MULTILINE. Then ``search`` and ``match`` give the same answer on a line."""
    if _sre_parse is None or pattern.flags & re.MULTILINE:
        return False
    try:
        items = list(_sre_parse.parse(pattern.pattern, pattern.flags))
    except Exception:  # noqa: BLE001 - a private parser that changed only switches this off
        return False
    return bool(items) and items[0] == (_sre.AT, _sre.AT_BEGINNING)
