"""How the press attributes words: the lexicon of ``speech.json`` as compiled patterns.

Speech verbs, document and spokesperson nouns, pronouns, the words that make a name an
object rather than a subject: data a user extends, compiled once per rules load.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from newsbrowse.store.ingest.phrases import PhraseFinder, phrase_pattern


def lexicon_words(data: dict[str, Any], key: str) -> tuple[str, ...]:
    """The words under ``key`` (``{"words": [...]}`` or a bare list); ValueError if malformed."""
    entry = data.get(key, {})
    words = entry.get("words", []) if isinstance(entry, dict) else entry
    if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
        raise ValueError(f"'{key}' must be a list of words")
    return tuple(words)


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
    speech_nouns: re.Pattern[str]
    label_determiners: frozenset[str]
    pronouns: dict[str, str]
    relatives: frozenset[str]
    object_markers: frozenset[str]
    clause_openers: frozenset[str]
    abbreviations: frozenset[str] = field(default_factory=frozenset)
    unnamed_words: frozenset[str] = field(default_factory=frozenset)
    document_words: frozenset[str] = field(default_factory=frozenset)
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
            + phrase_pattern(lexicon_words(passive, "openers"))
            + r")\s+(?:"
            + phrase_pattern(lexicon_words(passive, "auxiliaries"))
            + r")\s+(?:"
            + phrase_pattern(lexicon_words(passive, "participles"))
            + r")\s+by\s+"
        )
        pronouns = data.get("pronouns", {})
        pronoun_map = pronouns.get("words", {}) if isinstance(pronouns, dict) else None
        if not isinstance(pronoun_map, dict) or not all(
            isinstance(k, str) and v in ("m", "f", "body") for k, v in pronoun_map.items()
        ):
            raise ValueError("'pronouns' must map each pronoun to 'm', 'f' or 'body'")
        return cls(
            verbs=re.compile(phrase_pattern(lexicon_words(data, "speech_verbs")), flags),
            speaker_follows=re.compile(
                phrase_pattern(lexicon_words(data, "speaker_follows")), flags
            ),
            passive=re.compile(passive_re, flags),
            document_nouns=re.compile(phrase_pattern(lexicon_words(data, "document_nouns")), flags),
            spokes_nouns=re.compile(phrase_pattern(lexicon_words(data, "spokes_nouns")), flags),
            unnamed_nouns=re.compile(
                phrase_pattern(lexicon_words(data, "unnamed_speaker_nouns")), flags
            ),
            commitment_nouns=re.compile(
                phrase_pattern(lexicon_words(data, "commitment_nouns")), flags
            ),
            speech_nouns=re.compile(phrase_pattern(lexicon_words(data, "speech_nouns")), flags),
            label_determiners=frozenset(
                w.lower() for w in lexicon_words(data, "label_determiners")
            ),
            pronouns={k.lower(): v for k, v in pronoun_map.items()},
            relatives=frozenset(w.lower() for w in lexicon_words(data, "relatives")),
            object_markers=frozenset(w.lower() for w in lexicon_words(data, "object_markers")),
            clause_openers=frozenset(w.lower() for w in lexicon_words(data, "clause_openers")),
            abbreviations=frozenset(lexicon_words(data, "abbreviations")),
            document_words=frozenset(
                w.lower()
                for key in ("document_nouns", "document_heads")
                for w in lexicon_words(data, key)
            ),
            unnamed_words=frozenset(
                w.lower() for w in lexicon_words(data, "unnamed_speaker_nouns")
            ),
            verb_words=lexicon_words(data, "speech_verbs"),
        )
