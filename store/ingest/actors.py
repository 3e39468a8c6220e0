"""Who speaks: canonical actors, their names, roles and sides, and how the press attributes words.

Actors come from ``fixtures/actors.json``; the attribution lexicon (speech verbs, document
nouns, pronouns...) from ``fixtures/speech.json``. Both are data a user can extend.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

# Apostrophes as scraped text spells them: "Russia's", "Russia’s", "Russia ‘s".
_APOSTROPHE = "['\u2019\u2018]"
SPEAKER_SIDES = ("russia", "us_nato", "other")
_POSSESSIVE = re.compile(r"\s?['\u2019\u2018]s\b|(?<=s)['\u2019](?!\w)")


@dataclass(frozen=True)
class Actor:
    """A person or body with one canonical name and a side."""

    name: str
    side: str
    kind: str
    aliases: tuple[str, ...]
    gender: str | None = None
    roles: tuple[str, ...] = ()

    @property
    def is_person(self) -> bool:
        return self.kind == "person"


@dataclass(frozen=True)
class Mention:
    """A name or role phrase in the text; a role names every actor that holds it."""

    start: int
    end: int
    actors: tuple[Actor, ...]
    by_role: bool
    possessive: bool


def _words(data: dict[str, Any], key: str) -> tuple[str, ...]:
    """The words under ``key`` (``{"words": [...]}`` or a bare list); ValueError if malformed."""
    entry = data.get(key, {})
    words = entry.get("words", []) if isinstance(entry, dict) else entry
    if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
        raise ValueError(f"'{key}' must be a list of words")
    return tuple(words)


_WORD_BEFORE = r"(?<![\w-])"
_WORD_AFTER = r"(?![\w-])"


def _escaped_phrase(phrase: str) -> str:
    """``phrase`` as a regex: any apostrophe, any run of spaces."""
    escaped = re.escape(phrase).replace("'", _APOSTROPHE).replace(r"\ ", r"\s+")
    return escaped.replace(" ", r"\s+")


def phrase_pattern(phrases: tuple[str, ...] | list[str]) -> str:
    """One regex alternation of ``phrases``, longest first, whole words, any apostrophe."""
    parts = [_escaped_phrase(p) for p in sorted(set(phrases), key=len, reverse=True)]
    if not parts:
        return r"(?!x)x"
    return _WORD_BEFORE + "(?:" + "|".join(parts) + ")" + _WORD_AFTER


@dataclass(frozen=True)
class SpeechRules:
    """The attribution lexicon of ``speech.json`` as compiled patterns."""

    verbs: re.Pattern[str]
    speaker_follows: re.Pattern[str]
    passive: re.Pattern[str]
    document_nouns: re.Pattern[str]
    spokes_nouns: re.Pattern[str]
    unnamed_nouns: re.Pattern[str]
    commitment_nouns: re.Pattern[str]
    label_determiners: frozenset[str]
    pronouns: dict[str, str]
    relatives: frozenset[str]
    object_markers: frozenset[str]
    clause_openers: frozenset[str]
    abbreviations: frozenset[str] = field(default_factory=frozenset)
    verb_words: tuple[str, ...] = ()

    @cached_property
    def verb_finder(self) -> PhraseFinder:
        """``verbs.finditer`` that tries only where a verb's first word stands."""
        return PhraseFinder(
            self.verbs, list(self.verb_words), ignore_case=True, build=phrase_pattern
        )

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SpeechRules:
        passive = data.get("passive_attribution", {})
        if not isinstance(passive, dict):
            raise ValueError("'passive_attribution' must be an object")
        flags = re.IGNORECASE
        passive_re = (
            r"\s*(?:"
            + phrase_pattern(_words(passive, "openers"))
            + r")\s+(?:"
            + phrase_pattern(_words(passive, "auxiliaries"))
            + r")\s+(?:"
            + phrase_pattern(_words(passive, "participles"))
            + r")\s+by\s+"
        )
        pronouns = data.get("pronouns", {})
        pronoun_map = pronouns.get("words", {}) if isinstance(pronouns, dict) else None
        if not isinstance(pronoun_map, dict) or not all(
            isinstance(k, str) and v in ("m", "f", "body") for k, v in pronoun_map.items()
        ):
            raise ValueError("'pronouns' must map each pronoun to 'm', 'f' or 'body'")
        return cls(
            verbs=re.compile(phrase_pattern(_words(data, "speech_verbs")), flags),
            speaker_follows=re.compile(phrase_pattern(_words(data, "speaker_follows")), flags),
            passive=re.compile(passive_re, flags),
            document_nouns=re.compile(phrase_pattern(_words(data, "document_nouns")), flags),
            spokes_nouns=re.compile(phrase_pattern(_words(data, "spokes_nouns")), flags),
            unnamed_nouns=re.compile(phrase_pattern(_words(data, "unnamed_speaker_nouns")), flags),
            commitment_nouns=re.compile(phrase_pattern(_words(data, "commitment_nouns")), flags),
            label_determiners=frozenset(w.lower() for w in _words(data, "label_determiners")),
            pronouns={k.lower(): v for k, v in pronoun_map.items()},
            relatives=frozenset(w.lower() for w in _words(data, "relatives")),
            object_markers=frozenset(w.lower() for w in _words(data, "object_markers")),
            clause_openers=frozenset(w.lower() for w in _words(data, "clause_openers")),
            abbreviations=frozenset(_words(data, "abbreviations")),
            verb_words=_words(data, "speech_verbs"),
        )


def _actor(entry: dict[str, Any]) -> Actor:
    """One actors.json entry; ValueError naming the actor if a field is wrong."""
    name = entry["name"]
    aliases, roles = entry.get("aliases", []), entry.get("roles", [])
    if entry["side"] not in SPEAKER_SIDES:
        raise ValueError(f"actor {name!r}: side must be one of {', '.join(SPEAKER_SIDES)}")
    if entry.get("gender") not in (None, "m", "f"):
        raise ValueError(f"actor {name!r}: gender must be 'm' or 'f'")
    for field_name, words in (("aliases", aliases), ("roles", roles)):
        if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
            raise ValueError(f"actor {name!r}: {field_name} must be a list of names")
    return Actor(
        name=name,
        side=entry["side"],
        kind=entry.get("kind", "person"),
        aliases=tuple(aliases),
        gender=entry.get("gender"),
        roles=tuple(roles),
    )


_WORD_START = re.compile(r"(?<![\w-])\w+")
_LEADING_WORD = re.compile(r"\w+")
_MAX_REMEMBERED = 200_000


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
            i = text.find(word)
            while i >= 0:
                # A whole word, as ``_WORD_START`` finds it: the same word starts there.
                if (i == 0 or not (text[i - 1].isalnum() or text[i - 1] in "_-")) and (
                    i + n == size or not (text[i + n].isalnum() or text[i + n] == "_")
                ):
                    starts.append((i, pattern))
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
        if len(self._leading) + len(self._not_leading) >= _MAX_REMEMBERED:
            self._leading.clear()
            self._not_leading.clear()
        if pattern is None:
            self._not_leading.add(word)
        else:
            self._leading[word] = pattern
        return pattern

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
    """The distinct words of ``text`` that start a word (``_WORD_START``)."""
    return set(_WORD_START.findall(text))


def _names_pattern(aliases: list[str]) -> str:
    """Aliases in the given order, matched with case, except that a leading "the" may be
    capitalised. The check before a name is written once, outside the alternation: ``re``
    then skips an alias at a glance when its first letter differs (6.7 -> 0.2 ms a text).
    """
    parts = []
    for alias in aliases:
        escaped = _escaped_phrase(alias)
        if alias.startswith("the "):
            escaped = "[Tt]he" + escaped[3:]
        parts.append(f"(?:{escaped}){_WORD_AFTER}")
    if not parts:
        return r"(?!x)x"
    return _WORD_BEFORE + "(?:" + "|".join(parts) + ")"


class ActorIndex:
    """Look actors up by any of their names, and find their names and roles in text."""

    def __init__(
        self, actors: list[Actor], data: dict[str, Any], speech: SpeechRules | None = None
    ) -> None:
        self.actors = actors
        self.data = data
        self.speech = speech or SpeechRules.from_dict({})
        self._by_alias: dict[str, Actor] = {}
        self._by_role: dict[str, list[Actor]] = {}
        for actor in actors:
            for alias in (actor.name, *actor.aliases):
                self._by_alias[_key(alias)] = actor
            for role in actor.roles:
                self._by_role.setdefault(_key(role), []).append(actor)
        names = sorted(self._by_alias, key=len, reverse=True)
        originals = {
            _key(alias): alias for actor in actors for alias in (actor.name, *actor.aliases)
        }
        aliases = [originals[n] for n in names]
        self._names = PhraseFinder(
            re.compile(_names_pattern(aliases)), aliases, build=_names_pattern
        )
        roles = [role for actor in actors for role in actor.roles]
        self._roles = PhraseFinder(
            re.compile(phrase_pattern(roles), re.IGNORECASE),
            roles,
            ignore_case=True,
            build=phrase_pattern,
        )

    @classmethod
    def from_dict(cls, data: dict[str, Any], speech: dict[str, Any] | None = None) -> ActorIndex:
        """Build the index from actors.json data and speech.json data.

        Without ``speech`` the shipped ``fixtures/speech.json`` is used, so that an index
        built from actors alone still attributes quotes.
        """
        if speech is None:
            from newsbrowse.store.rules import read_json_rules  # rules imports this module

            speech = read_json_rules("speech.json")
        actors = [_actor(a) for a in data.get("actors", [])]
        return cls(actors, data, SpeechRules.from_dict(speech))

    def lookup(self, name: str) -> Actor | None:
        return self._by_alias.get(_key(name))

    def mentions(self, text: str, words: set[str] | None = None) -> list[Mention]:
        """Every name and role phrase in ``text``, longest first, without overlaps.

        A role right before a name ("Russia's deputy foreign minister Sergei Riabkov") is
        the name's title, not a second mention. ``words``: :func:`words_of` ``text``.
        """
        found: list[Mention] = []
        if words is None:
            words = words_of(text)
        for match in self._names.finditer(text, words):
            actor = self._by_alias[_key(match.group())]
            found.append(self._mention(text, match, (actor,), by_role=False))
        for match in self._roles.finditer(text, words):
            holders = tuple(self._by_role.get(_key(match.group()), ()))
            if holders:
                found.append(self._mention(text, match, holders, by_role=True))
        found.sort(key=lambda m: (m.start, m.start - m.end))
        kept: list[Mention] = []
        for mention in found:
            if kept and mention.start < kept[-1].end:
                continue
            kept.append(mention)
        return [
            m
            for i, m in enumerate(kept)
            if not (
                m.by_role
                and i + 1 < len(kept)
                and not kept[i + 1].by_role
                and kept[i + 1].actors[0].is_person
                and re.fullmatch(r"[\s,]*", text[m.end : kept[i + 1].start])
            )
        ]

    @staticmethod
    def _mention(
        text: str, match: re.Match[str], actors: tuple[Actor, ...], by_role: bool
    ) -> Mention:
        possessive = _POSSESSIVE.match(text, match.end()) is not None
        return Mention(match.start(), match.end(), actors, by_role, possessive)


@lru_cache(maxsize=4096)  # names and roles repeat from sentence to sentence
def _key(name: str) -> str:
    return " ".join(re.sub(_APOSTROPHE, "'", name).lower().split())
