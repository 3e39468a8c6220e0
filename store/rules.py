"""The domain rules as data: cleaning patterns, actors, codebook.

Each comes from ``fixtures/`` unless the user's home holds a file of the same name,
which then replaces it: a user extends the rules without touching code.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsbrowse.store.errors import BadInput
from newsbrowse.store.rule_files import FIXTURES_DIR, fixture_path, read_json_rules

__all__ = [
    "FIXTURES_DIR",
    "RULE_FILES",
    "ReadingRules",
    "Rules",
    "fixture_path",
    "load_codebook",
    "load_rules",
    "read_json_rules",
]

if TYPE_CHECKING:  # the analysis modules are imported when rules are loaded, not before
    from newsbrowse.store.ingest.actors import ActorIndex
    from newsbrowse.store.ingest.clean import CleaningRules
    from newsbrowse.store.ingest.codebook import Codebook

RULE_FILES = ("cleaning.json", "actors.json", "speech.json", "roles.json", "codebook.json")


@dataclass(frozen=True)
class Rules:
    """Everything the pipeline needs to know about the domain."""

    cleaning: CleaningRules
    actors: ActorIndex
    codebook: Codebook
    digest: str = ""  # of the rule files' contents: a store analysed with others is stale


class ReadingRules:
    """The rules a read checks a user's filters against, each loaded when first asked for:
    the codebook at once (``demand:``, ``side:``), the actors only when a speaker is looked
    up (loading them imports the analysis: about 0.2 s, which a search of words skips)."""

    def __init__(self, codebook: Codebook, load: Callable[[], Rules]) -> None:
        self._codebook = codebook
        self._load = load

    @property
    def codebook(self) -> Codebook:
        return self._codebook

    @property
    def actors(self) -> ActorIndex:
        return self._load().actors


def load_codebook(home: Path | None = None) -> Codebook:
    """The codebook alone (what the app shows before anything is analysed)."""
    from newsbrowse.store.ingest.codebook import Codebook

    own = home is not None and (home / "codebook.json").is_file()
    try:
        # The user's copy compiles now, so that a bad pattern is one error before the
        # app's screen or an import's first file; the shipped one, which the tests compile,
        # when linking first needs it.
        return Codebook.from_dict(read_json_rules("codebook.json", home), compile_now=own)
    except (KeyError, TypeError, ValueError) as exc:
        raise BadInput(f"a rules file is malformed ({exc}); fix or delete it") from None


def load_rules(home: Path | None = None, codebook: Codebook | None = None) -> Rules:
    """Load the rules, preferring the user's copies in ``home`` (``codebook``: one already
    loaded from there)."""
    from newsbrowse.store.ingest.actors import ActorIndex
    from newsbrowse.store.ingest.clean import CleaningRules

    try:
        data = {name: read_json_rules(name, home) for name in RULE_FILES}
        digest = _digest(data)
        if digest in _LOADED:
            cached = _LOADED[digest]
            if codebook is None or codebook is cached.codebook:
                return cached
            return dataclasses.replace(cached, codebook=codebook)  # the caller's, as asked
        codebook = codebook or load_codebook(home)
        rules = Rules(
            cleaning=CleaningRules.from_dict(data["cleaning.json"]),
            actors=ActorIndex.from_dict(
                data["actors.json"], data["speech.json"], data["roles.json"], codebook.side_slugs
            ),
            codebook=codebook,
            digest=digest,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise BadInput(f"a rules file is malformed ({exc}); fix or delete it") from None
    if len(_LOADED) >= _KEEP_LOADED:
        _LOADED.pop(next(iter(_LOADED)))
    _LOADED[digest] = rules
    return rules


# Rules loaded in this process, by the digest of their files' contents: a process that
# opens a home again (the app after a reset, a forked writer, the tests) reuses the
# compiled patterns instead of compiling them again (some hundred milliseconds).
_LOADED: dict[str, Rules] = {}
_KEEP_LOADED = 4


def rules_digest(home: Path | None = None) -> str:
    """The digest :func:`load_rules` gives the rules, from their files alone (nothing is
    compiled: a command learns in milliseconds whether its store was analysed by them)."""
    return _digest({name: read_json_rules(name, home) for name in RULE_FILES})


def _digest(data: dict[str, Any]) -> str:
    """A short fingerprint of the rules' contents (key order and spacing aside)."""
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]
