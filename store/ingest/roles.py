"""Who is who when actors.json does not say: the lexicon of ``fixtures/roles.json``.

Titles make a capitalised name a person's ("Deputy Foreign Minister Alexander Grushko"),
side words say whom a title speaks for ("Russian Ambassador to the United States"), and
nominal heads let "the diplomat" stand for someone already named. All of it is data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from newsbrowse.store.ingest.phrases import PhraseFinder, escaped_phrase, phrase_pattern
from newsbrowse.store.ingest.speech import lexicon_words

ANYONE = "*"  # a nominal head that stands for anyone with a title


@lru_cache(maxsize=8192)  # the same words come up in every article
def title_key(text: str) -> str:
    """A title as the lexicon spells it: lower case, a hyphen or run of spaces one space."""
    return " ".join(text.lower().replace("-", " ").replace("\u2013", " ").split())


def _apostrophes(text: str) -> str:
    return text.replace("\u2019", "'").replace("\u2018", "'")


def _finder(words: tuple[str, ...]) -> PhraseFinder:
    """A case-blind finder of ``words`` that tries only where one of them stands."""
    pattern = re.compile(phrase_pattern(list(words)), re.IGNORECASE)
    return PhraseFinder(pattern, list(words), ignore_case=True, build=phrase_pattern)


def _keys(data: dict[str, Any], key: str) -> frozenset[str]:
    return frozenset(title_key(w) for w in lexicon_words(data, key))


@dataclass(frozen=True)
class RoleRules:
    """The compiled lexicon: see ``fixtures/roles.json`` for what each part means."""

    titles: frozenset[str]
    title_parts: frozenset[str]
    unaligned: frozenset[str]
    unaligned_bodies: frozenset[str]
    female: frozenset[str]
    male: frozenset[str]
    side_words: dict[str, str]
    side_pattern: re.Pattern[str]
    destination_titles: frozenset[str]
    destination_words: frozenset[str]
    employer_words: frozenset[str]
    nominal_heads: dict[str, frozenset[str]]
    media: frozenset[str]
    media_finder: PhraseFinder
    not_names: frozenset[str]

    @classmethod
    def from_dict(cls, data: dict[str, Any], sides: tuple[str, ...] = ()) -> RoleRules:
        """Compile roles.json; ValueError naming the part that is malformed. ``sides``:
        the codebook's side slugs, which the ``sides`` lists must be named by."""
        side_lists = data.get("sides", {})
        if not isinstance(side_lists, dict):
            raise ValueError("'sides' must map each side to a list of words")
        side_words: dict[str, str] = {}
        for side, words in side_lists.items():
            if side == "note":
                continue
            if sides and side not in sides:
                raise ValueError(f"'sides' names {side!r}, which is not a side of the codebook")
            if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
                raise ValueError(f"'sides.{side}' must be a list of words")
            for word in words:
                side_words.setdefault(_apostrophes(word), side)
        heads = data.get("nominal_heads", {})
        if not isinstance(heads, dict):
            raise ValueError("'nominal_heads' must map each noun to a list of title words")
        nominal: dict[str, frozenset[str]] = {}
        for head, fits in heads.items():
            if head == "note":
                continue
            if not isinstance(fits, list) or not all(isinstance(w, str) and w for w in fits):
                raise ValueError(f"'nominal_heads.{head}' must be a list of title words")
            nominal[title_key(head)] = frozenset(title_key(w) for w in fits)
        destinations = data.get("destinations", {})
        if not isinstance(destinations, dict):
            raise ValueError("'destinations' must be an object")
        titles = _keys(data, "titles")
        ordered = sorted(side_words, key=len, reverse=True)
        pattern = "|".join(escaped_phrase(w) for w in ordered) or r"(?!x)x"
        return cls(
            titles=titles,
            title_parts=frozenset(w for t in titles for w in t.split())
            | _keys(data, "title_modifiers"),
            unaligned=_keys(data, "unaligned_titles"),
            unaligned_bodies=_keys(data, "unaligned_bodies"),
            female=_keys(data, "female_titles"),
            male=_keys(data, "male_titles"),
            side_words=side_words,
            side_pattern=re.compile(rf"(?<![\w.-])(?:{pattern})(?![\w-])"),
            destination_titles=_keys(destinations, "titles"),
            destination_words=_keys(destinations, "words"),
            employer_words=_keys(data, "employers"),
            nominal_heads=nominal,
            media=_keys(data, "media"),
            media_finder=_finder(lexicon_words(data, "media")),
            not_names=frozenset(lexicon_words(data, "not_names")),
        )

    def title_words_in(self, text: str) -> list[str]:
        """The titles ``text`` holds, longest first where two overlap ("press secretary")."""
        words = title_key(text).split()
        found: list[str] = []
        i = 0
        while i < len(words):
            for size in (3, 2, 1):
                phrase = " ".join(words[i : i + size])
                if len(phrase.split()) == size and phrase in self.titles:
                    found.append(phrase)
                    i += size
                    break
            else:
                i += 1
        return found

    def side_of(self, description: str) -> str | None:
        """The side a title or description shows, or None when none of its words does."""
        titles = self.title_words_in(description)
        if any(t in self.unaligned for t in titles):
            return "other"
        words = set(title_key(description).split())
        if words & self.unaligned_bodies:
            return "other"  # "director of the Carnegie Moscow Center": a think tank's
        serves = any(t in self.destination_titles for t in titles)
        for match in self.side_pattern.finditer(description):
            if serves and self._after_destination(description, match.start()):
                continue
            return self.side_words[_apostrophes(match.group())]
        return None

    def side_word(self, text: str) -> str | None:
        """The side of the first side word in ``text`` (titles aside)."""
        match = self.side_pattern.search(text)
        return self.side_words[_apostrophes(match.group())] if match else None

    def _after_destination(self, text: str, pos: int) -> bool:
        """Whether the word at ``pos`` follows a destination word ("... to the United States")."""
        before = text[:pos].split()[-3:]
        return any(w.lower() in self.destination_words for w in before)

    def gender_of(self, description: str) -> str | None:
        titles = set(self.title_words_in(description))
        if titles & self.female:
            return "f"
        if titles & self.male:
            return "m"
        return None
