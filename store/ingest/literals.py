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


def required_sets(pattern: re.Pattern[str]) -> tuple[frozenset[str], ...]:
    """Sets of lower-case strings such that every match of ``pattern`` holds one string of
    each set: the words of each part of a sequence ("ready ... to ... talks"), where
    :func:`required_literals` keeps only the rarest part's. () if none is known."""
    if _sre_parse is None:
        return ()
    try:
        found = _requirements(list(_sre_parse.parse(pattern.pattern, pattern.flags)))
    except Exception:  # noqa: BLE001 - a private parser that changed only switches this off
        return ()
    sets = {frozenset(s.lower() for s in f) for f in found if all(s and s.isascii() for s in f)}
    return tuple(sorted(sets, key=sorted))


def _requirements(items: list[tuple[object, object]]) -> list[set[str]]:
    """Every requirement ``_required`` weighs, kept rather than the best one chosen."""
    out: list[set[str]] = []
    run: set[str] | None = None
    for item in items:
        fixed = _exact(item)
        if fixed is not None and (run is None or len(run) * len(fixed) <= _MAX_ALTERNATIVES):
            run = fixed if run is None else {a + b for a in run for b in fixed}
            continue
        if run is not None and "" not in run:
            out.append(run)
        run = fixed
        op, av = item
        if op is _sre.SUBPATTERN:
            out += _requirements(list(av[-1]))  # type: ignore[index]
        elif op is _sre.ATOMIC_GROUP:
            out += _requirements(list(av))  # type: ignore[arg-type]
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT):
            if av[0] >= 1:  # type: ignore[index]
                out += _requirements(list(av[2]))  # type: ignore[index]
        elif (one := _required_in(item)) is not None:  # a branch: one of its alternatives'
            out.append(one)
    if run is not None and "" not in run:
        out.append(run)
    return out


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
    """Strings one of which every match of the sequence ``items`` contains: the most
    selective of its requirements."""
    best: set[str] | None = None
    for requirement in _requirements(items):
        best = _better(best, requirement)
    return best


def _required_in(item: tuple[object, object]) -> set[str] | None:
    """A branch's requirement: one of each alternative's (None if one has none)."""
    op, av = item
    if op is not _sre.BRANCH:
        return None
    out: set[str] = set()
    for alternative in av[1]:  # type: ignore[index]
        strings = _required(list(alternative))
        if strings is None:
            return None
        out |= strings
    return out


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
    """Which patterns may match a text: those that find each string set they need in it.

    A pattern is filed under the strings of :func:`required_literals`; the other sets of
    :func:`required_sets` are checked only for a pattern filed under a string the text
    holds. What a text holds is read from its whitespace-separated tokens, each looked up
    once (a text's tokens repeat from text to text); strings with a space in them are
    searched for in the whole text.
    """

    def __init__(self, patterns: Iterable[tuple[re.Pattern[str], Hashable]]) -> None:
        self.by_literal: dict[str, set[Hashable]] = {}
        self.always: set[Hashable] = set()  # tags of patterns with no required string
        # tag -> the further sets of strings its pattern needs (a tag given to two patterns
        # has none: what one of them needs, the other may not)
        self.further: dict[Hashable, tuple[frozenset[str], ...]] = {}
        seen: set[Hashable] = set()
        for pattern, tag in patterns:
            literals = required_literals(pattern)
            others = tuple(s for s in required_sets(pattern) if s != literals)
            if tag in seen:
                self.further.pop(tag, None)
            elif others:
                self.further[tag] = others
            seen.add(tag)
            if literals is None:
                self.always.add(tag)
                continue
            for literal in literals:
                self.by_literal.setdefault(literal, set()).add(tag)
        wanted = set(self.by_literal).union(*(s for sets in self.further.values() for s in sets))
        self.literals = sorted(wanted)
        self._spaced = [lit for lit in self.literals if any(c.isspace() for c in lit)]
        unspaced = [lit for lit in self.literals if lit not in self._spaced]
        self._chars = frozenset(lit for lit in unspaced if len(lit) == 1)
        self._by_pair: dict[str, tuple[str, ...]] = {}
        for lit in unspaced:
            if len(lit) > 1:
                self._by_pair[lit[:2]] = (*self._by_pair.get(lit[:2], ()), lit)
        self._by_token: dict[str, frozenset[str]] = {}

    def present(self, low: str) -> set[str]:
        """The literals that occur in ``low`` (a text in lower case)."""
        by_token = self._by_token
        if len(by_token) > _MAX_WORDS_REMEMBERED:
            by_token.clear()
        found: set[str] = set()
        for token in set(low.split()):
            inside = by_token.get(token)
            if inside is None:
                inside = by_token[token] = self._inside(token)
            if inside:
                found |= inside
        for literal in self._spaced:
            if literal in low:
                found.add(literal)
        return found

    def _inside(self, token: str) -> frozenset[str]:
        """The literals without a space in them that occur in ``token``."""
        found = {c for c in self._chars if c in token}
        by_pair = self._by_pair
        for i in range(len(token) - 1):
            for literal in by_pair.get(token[i : i + 2], ()):
                if token.startswith(literal, i):
                    found.add(literal)
        return frozenset(found)

    def tags_in(self, low: str) -> set[Hashable]:
        """The tags of every pattern that may match ``low``: it holds one string of each
        set the pattern needs, or the pattern needs none."""
        present = self.present(low)
        tags: set[Hashable] = set(self.always)
        by_literal = self.by_literal
        for literal in present:
            filed = by_literal.get(literal)
            if filed:
                tags |= filed
        further = self.further
        return {
            tag
            for tag in tags
            if tag not in further or all(not s.isdisjoint(present) for s in further[tag])
        }


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
