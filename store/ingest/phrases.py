"""Finding phrases in text: names, roles, speech verbs, as one alternation each.

Python's ``re`` tries every alternative of a long list at every word; the finder here
tries only where a phrase's first word stands (see :class:`PhraseFinder`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cached_property

# Apostrophes as scraped text spells them: "Russia's", "Russia’s", "Russia ‘s".
APOSTROPHE = "['\u2019\u2018]"

_WORD_BEFORE = r"(?<![\w-])"
_WORD_AFTER = r"(?![\w-])"


def escaped_phrase(phrase: str) -> str:
    """``phrase`` as a regex: any apostrophe, any run of spaces."""
    escaped = re.escape(phrase).replace("'", APOSTROPHE).replace(r"\ ", r"\s+")
    return escaped.replace(" ", r"\s+")


def phrase_pattern(phrases: tuple[str, ...] | list[str]) -> str:
    """One regex alternation of ``phrases``, longest first, whole words, any apostrophe."""
    parts = [escaped_phrase(p) for p in sorted(set(phrases), key=len, reverse=True)]
    if not parts:
        return r"(?!x)x"
    return _WORD_BEFORE + "(?:" + "|".join(parts) + ")" + _WORD_AFTER


_NON_WORD = re.compile(r"\W+")
_LEADING_WORD = re.compile(r"\w+")
_MAX_REMEMBERED = 200_000
_NARROW_GROUP = 6  # a leading word of this many phrases is narrowed by the word after it
_NEXT_WORD = re.compile(r"\s+(\w+)")
_NEVER = re.compile(r"(?!x)x")


class PhraseFinder:
    """``pattern.finditer`` for an alternation of phrases, trying only plausible starts.

    Python's ``re`` tries every alternative of a long list (names, roles, speech verbs) at
    every word; that costs about a millisecond per article. Each phrase starts with a
    whole word, so a match can only start where the text's word equals one of those
    leading words: the finder finds those words (``str.find`` of the text's distinct words
    that lead a phrase) and there runs ``pattern.match``, or, given ``build`` (the function
    that made ``pattern`` from a list of phrases), a pattern of only the phrases with that
    leading word, in their order: the first alternative that matches is the same. Matches
    are those of ``pattern.finditer`` (leftmost, non-overlapping); a phrase that does not
    start with a word character switches the shortcut off.
    """

    def __init__(
        self,
        pattern: re.Pattern[str],
        phrases: list[str],
        ignore_case: bool = False,
        build: Callable[[list[str]], str] | None = None,
    ) -> None:
        self.pattern = pattern
        self.ignore_case = ignore_case
        self.build = build
        groups: dict[str, list[str]] | None = {}
        for phrase in phrases:
            lead = _LEADING_WORD.match(phrase)
            if lead is None:
                groups = None
                break
            word = lead.group()
            if ignore_case and not word.isascii():
                groups = None  # Unicode case rules differ from casefold(): take no shortcut.
                break
            keys = {word.casefold() if ignore_case else word}
            if word.lower() == "the":
                keys.update(("the", "The"))
            for key in keys:
                group = groups.setdefault(key, [])
                if phrase not in group:
                    group.append(phrase)
        self.groups = groups
        self._leading: dict[str, re.Pattern[str]] = {}
        self._not_leading: set[str] = set()

    def finditer(self, text: str, words: set[str] | None = None) -> list[re.Match[str]]:
        """The matches, as ``pattern.finditer`` gives them. ``words`` (the text's words, as
        :func:`words_of` gives them) may be passed when several finders read one text."""
        if self.groups is None:
            return list(self.pattern.finditer(text))
        if words is None:
            words = words_of(text)
        starts: list[tuple[int, re.Pattern[str]]] = []
        size = len(text)
        leading = self._leading
        for word in words - self._not_leading:
            pattern = leading[word] if word in leading else self._pattern_at(word)
            if pattern is None:
                continue
            n = len(word)
            second = self._by_second.get(word)
            i = text.find(word)
            while i >= 0:
                # A whole word, not after a letter, digit, "_" or "-": the word starts there.
                if (i == 0 or not (text[i - 1].isalnum() or text[i - 1] in "_-")) and (
                    i + n == size or not (text[i + n].isalnum() or text[i + n] == "_")
                ):
                    if second is None:
                        starts.append((i, pattern))
                    else:  # "the": only the phrases whose next word follows
                        after = _NEXT_WORD.match(text, i + n)
                        key = after.group(1) if after else ""
                        narrowed = second.get(key.casefold() if self.ignore_case else key)
                        starts.append((i, narrowed if narrowed is not None else second[""]))
                i = text.find(word, i + 1)
        starts.sort(key=lambda start: start[0])
        found: list[re.Match[str]] = []
        resume = 0
        for start, pattern in starts:
            if start < resume:
                continue
            match = pattern.match(text, start)
            if match is not None:
                found.append(match)
                resume = match.end()
        return found

    def _pattern_at(self, word: str) -> re.Pattern[str] | None:
        """The pattern to try where ``word`` starts, None if no phrase can start there
        (remembered: the vocabulary repeats from article to article)."""
        key: str | None = word
        # Under re's case rules a non-ASCII word may equal a lead that casefold() misses.
        if self.ignore_case and word.isascii():
            key = word.casefold()
        elif self.ignore_case:
            key = None
        pattern: re.Pattern[str] | None = self.pattern
        if key is not None:
            group = self.groups.get(key)  # type: ignore[union-attr]
            if group is None:
                pattern = None
            elif self.build is not None:
                pattern = self._group_pattern(key, group)
                if len(group) >= _NARROW_GROUP:
                    self._by_second[word] = self._narrowed(key, group)
        if len(self._leading) + len(self._not_leading) >= _MAX_REMEMBERED:
            self._leading.clear()
            self._not_leading.clear()
        if pattern is None:
            self._not_leading.add(word)
        else:
            self._leading[word] = pattern
        return pattern

    def _narrowed(self, key: str, group: list[str]) -> dict[str, re.Pattern[str]]:
        """The group of a common leading word ("the" leads a hundred roles) split by the
        word after it: a pattern per second word of only the phrases that may match there
        (those of that second word and those whose second word does not stand apart,
        "Russia's ..."), in the group's order; under "" those that need no second word."""
        seconds: dict[str, list[str]] = {}
        for phrase in group:
            after = _NEXT_WORD.match(phrase, len(_LEADING_WORD.match(phrase).group()))  # type: ignore[union-attr]
            second = after.group(1) if after else ""
            second = second.casefold() if self.ignore_case else second
            seconds.setdefault(second, [])
        narrowed: dict[str, re.Pattern[str]] = {}
        for second in seconds:
            keep = []
            for phrase in group:
                after = _NEXT_WORD.match(phrase, len(_LEADING_WORD.match(phrase).group()))  # type: ignore[union-attr]
                own = after.group(1) if after else ""
                own = own.casefold() if self.ignore_case else own
                if own in ("", second):
                    keep.append(phrase)
            narrowed[second] = self._group_pattern(f"{key} {second}", keep)
        if "" not in narrowed:
            loose = [
                p for p in group if _NEXT_WORD.match(p, len(_LEADING_WORD.match(p).group())) is None
            ]  # type: ignore[union-attr]
            narrowed[""] = self._group_pattern(f"{key} ", loose) if loose else _NEVER
        return narrowed

    @cached_property
    def _by_second(self) -> dict[str, dict[str, re.Pattern[str]]]:
        return {}

    def _group_pattern(self, key: str, group: list[str]) -> re.Pattern[str]:
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = re.compile(self.build(group), self.pattern.flags)  # type: ignore[misc]
            self._compiled[key] = compiled
        return compiled

    @cached_property
    def _compiled(self) -> dict[str, re.Pattern[str]]:
        return {}


def words_of(text: str) -> set[str]:
    """The distinct runs of word characters of ``text``: every word that may start a
    phrase, and some that may not ("General" of "Secretary-General"), which the finder's
    own check at each place rules out (splitting costs less than finding words)."""
    words = set(_NON_WORD.split(text))
    words.discard("")
    return words


def names_pattern(aliases: list[str]) -> str:
    """Aliases in the given order, matched with case, except that a leading "the" may be
    capitalised. The check before a name is written once, outside the alternation: ``re``
    then skips an alias at a glance when its first letter differs (6.7 -> 0.2 ms a text).
    """
    parts = []
    for alias in aliases:
        escaped = escaped_phrase(alias)
        if alias.startswith("the "):
            escaped = "[Tt]he" + escaped[3:]
        parts.append(f"(?:{escaped}){_WORD_AFTER}")
    if not parts:
        return r"(?!x)x"
    return _WORD_BEFORE + "(?:" + "|".join(parts) + ")"
