"""Who speaks: canonical actors, their names, roles and sides.

Actors come from ``fixtures/actors.json``, the attribution lexicon from ``speech.json``
(:mod:`speech`) and the titles and side words from ``roles.json`` (:mod:`roles`): data a
user can extend. An article's own people, learnt as it introduces them, are actors too
(:mod:`people`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any

from newsbrowse.store.ingest.codebook import shipped_sides
from newsbrowse.store.ingest.phrases import (
    APOSTROPHE,
    PhraseFinder,
    names_pattern,
    phrase_pattern,
    words_of,
)
from newsbrowse.store.ingest.roles import RoleRules, title_key
from newsbrowse.store.ingest.speech import SpeechRules
from newsbrowse.store.rule_files import read_json_rules

KINDS = ("person", "body", "place-actor", "document", "unnamed")
_POSSESSIVE = re.compile(r"\s?['\u2019\u2018]s\b|(?<=s)['\u2019](?!\w)")


@dataclass(frozen=True)
class Actor:
    """A person, body or document with one canonical name and a side."""

    name: str
    side: str
    kind: str
    aliases: tuple[str, ...]
    gender: str | None = None
    roles: tuple[str, ...] = ()

    @property
    def is_person(self) -> bool:
        return self.kind in ("person", "unnamed")

    @cached_property
    def descriptors(self) -> frozenset[str]:
        """The words of its roles and names, as titles are compared ("minister", "us")."""
        words: set[str] = set()
        for text in (*self.roles, *self.aliases):
            words.update(title_key(text).split())
        return frozenset(words)


@dataclass(frozen=True)
class Mention:
    """A name or role phrase in the text; a role, or a name several actors share
    ("Sullivan"), names every actor that holds it."""

    start: int
    end: int
    actors: tuple[Actor, ...]
    by_role: bool
    possessive: bool


def _actor(entry: dict[str, Any], sides: tuple[str, ...]) -> Actor:
    """One actors.json entry; ValueError naming the actor if a field is wrong."""
    name = entry["name"]
    aliases, roles = entry.get("aliases", []), entry.get("roles", [])
    if entry["side"] not in sides:
        raise ValueError(f"actor {name!r}: side must be one of {', '.join(sides)}")
    if entry.get("gender") not in (None, "m", "f"):
        raise ValueError(f"actor {name!r}: gender must be 'm' or 'f'")
    if entry.get("kind", "person") not in KINDS:
        raise ValueError(f"actor {name!r}: kind must be one of {', '.join(KINDS)}")
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


class ActorIndex:
    """Look actors up by any of their names, and find their names and roles in text."""

    def __init__(
        self,
        actors: list[Actor],
        data: dict[str, Any],
        speech: SpeechRules | None = None,
        roles: RoleRules | None = None,
    ) -> None:
        self.actors = actors
        self.data = data
        self.speech = speech or SpeechRules.from_dict({})
        self.roles = roles or RoleRules.from_dict({})
        self._by_alias: dict[str, list[Actor]] = {}
        self._by_role: dict[str, list[Actor]] = {}
        for actor in actors:
            for alias in (actor.name, *actor.aliases):
                holders = self._by_alias.setdefault(_key(alias), [])
                if actor not in holders:
                    holders.append(actor)
            for role in actor.roles:
                self._by_role.setdefault(_key(role), []).append(actor)
        names = sorted(self._by_alias, key=len, reverse=True)
        originals = {
            _key(alias): alias for actor in actors for alias in (actor.name, *actor.aliases)
        }
        aliases = [originals[n] for n in names]
        self._names = PhraseFinder(re.compile(names_pattern(aliases)), aliases, build=names_pattern)
        roles_text = [role for actor in actors for role in actor.roles]
        self._roles = PhraseFinder(
            re.compile(phrase_pattern(roles_text), re.IGNORECASE),
            roles_text,
            ignore_case=True,
            build=phrase_pattern,
        )

    @classmethod
    def from_dict(
        cls,
        data: dict[str, Any],
        speech: dict[str, Any] | None = None,
        roles: dict[str, Any] | None = None,
        sides: tuple[str, ...] | None = None,
    ) -> ActorIndex:
        """Build the index from actors.json, speech.json and roles.json data; an actor's
        side must be one of ``sides`` (the codebook's).

        Without ``speech``, ``roles`` or ``sides`` the shipped files are used, so that an
        index built from actors alone still attributes quotes.
        """

        if speech is None:
            speech = read_json_rules("speech.json")
        if roles is None:
            roles = read_json_rules("roles.json")
        if sides is None:
            sides = tuple(s.slug for s in shipped_sides())
        actors = [_actor(a, sides) for a in data.get("actors", [])]
        return cls(actors, data, SpeechRules.from_dict(speech), RoleRules.from_dict(roles, sides))

    @cached_property
    def head_finder(self) -> PhraseFinder:
        """Where a noun that may stand for a speaker stands: nominal heads ("diplomat"),
        unnamed speakers' nouns ("official") and documents' nouns ("statement")."""
        heads = set(self.roles.nominal_heads) | self.speech.unnamed_words
        heads |= self.speech.document_words
        phrases = sorted(heads | {h.replace(" ", "-") for h in heads if " " in h})
        # The finder's shortcut reads ASCII words only ("communique" stands for "communiqué").
        phrases = [p for p in phrases if p.isascii()]
        pattern = re.compile(phrase_pattern(phrases), re.IGNORECASE)
        return PhraseFinder(pattern, phrases, ignore_case=True, build=phrase_pattern)

    def lookup(self, name: str) -> Actor | None:
        holders = self._by_alias.get(_key(name))
        return holders[0] if holders else None

    def mentions(self, text: str, words: set[str] | None = None) -> list[Mention]:
        """Every name and role phrase in ``text``, longest first, without overlaps.

        A role right before a name ("Russia's deputy foreign minister Sergei Riabkov") is
        the name's title, not a second mention. ``words``: :func:`words_of` ``text``.
        """
        found: list[Mention] = []
        if words is None:
            words = words_of(text)
        for match in self._names.finditer(text, words):
            holders = tuple(self._by_alias[_key(match.group())])
            found.append(self._mention(text, match, holders, by_role=False))
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
    return " ".join(re.sub(APOSTROPHE, "'", name).lower().split())
