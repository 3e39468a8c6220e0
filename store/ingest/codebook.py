"""The codebook of Russian demands, loaded from ``fixtures/codebook.json``.

Besides the demands themselves the file holds, as data, everything the linker needs to
know about the domain: each demand's term patterns, the cues that make an actor the
subject of a sentence, and the cues of each US/NATO stance. The linker is a general
engine over these patterns; another negotiation needs another codebook, not new code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from newsbrowse.store.errors import BadInput
from newsbrowse.store.ingest.literals import LiteralIndex, alternation

STANCE_ORDER_DEFAULT: tuple[str, ...] = ("conditional", "rejects", "open")


@dataclass(frozen=True)
class Demand:
    slug: str
    title: str
    description: str
    patterns: tuple[object, ...] = ()  # as the codebook writes them (checked when compiled)

    @cached_property
    def terms(self) -> tuple[re.Pattern[str], ...]:
        """The term patterns, compiled the first time they are needed."""
        return tuple(_compile(p, f"demand {self.slug}") for p in self.patterns)  # type: ignore[arg-type]

    def is_named_in(self, text: str) -> bool:
        """Whether any of the demand's terms occurs in ``text``."""
        if self._joined is not None:
            return self._joined.search(text) is not None
        return any(term.search(text) for term in self.terms)

    @cached_property
    def _joined(self) -> re.Pattern[str] | None:
        return alternation(self.terms)


@dataclass(frozen=True)
class LinkCues:
    """Compiled non-demand patterns: clause breaks, subject cues and stance cues."""

    clause_break: re.Pattern[str] | None = None
    subject_verbs: re.Pattern[str] | None = None
    speaker_before: re.Pattern[str] | None = None
    not_subject_before: re.Pattern[str] | None = None
    stances: tuple[tuple[str, tuple[re.Pattern[str], ...]], ...] = ()

    @cached_property
    def stance_scans(self) -> tuple[tuple[str, tuple[re.Pattern[str], ...]], ...]:
        """``stances`` with each stance's cues joined into one pattern where they can be
        (see :func:`alternation`): one search per stance, not one per cue."""
        return tuple(
            (name, (joined,) if (joined := alternation(cues)) is not None else cues)
            for name, cues in self.stances
        )


@dataclass(frozen=True)
class Codebook:
    demands: tuple[Demand, ...]
    data: dict[str, Any]

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, compile_now: bool = True) -> Codebook:
        """Build the codebook; a malformed pattern is a one-line error naming it.

        Without ``compile_now`` the patterns compile when linking first needs them (the
        app's screen needs only the demands' titles: 95 patterns cost about 17 ms of its
        start): only for a codebook already known to compile, the shipped one.
        """
        demands = tuple(
            Demand(
                slug=d["slug"],
                title=d["title"],
                description=d.get("description", ""),
                patterns=tuple(d.get("terms", [])),
            )
            for d in data.get("demands", [])
        )
        slugs = [d.slug for d in demands]
        if len(set(slugs)) != len(slugs):
            raise BadInput("codebook.json names a demand slug twice; give each demand its own")
        codebook = cls(demands=demands, data=data)
        if compile_now:
            codebook.compile()
        return codebook

    def compile(self) -> None:
        """Compile every pattern now: a malformed one raises its one-line error here."""
        for demand in self.demands:
            demand.terms  # noqa: B018 - compiled and kept
        self.cues  # noqa: B018

    @cached_property
    def cues(self) -> LinkCues:
        """The linking cues (clause breaks, subjects, stances), compiled on first use."""
        return _cues(self.data.get("linking", {}))

    @cached_property
    def term_literals(self) -> LiteralIndex:
        """Where each term may match: its tags are ``(demand index, term index)``."""
        return LiteralIndex(
            (term, (d, t))
            for d, demand in enumerate(self.demands)
            for t, term in enumerate(demand.terms)
        )

    def demand(self, slug: str) -> Demand | None:
        return next((d for d in self.demands if d.slug == slug), None)

    @property
    def slugs(self) -> tuple[str, ...]:
        return tuple(d.slug for d in self.demands)


def _compile(pattern: str, where: str, flags: int = re.IGNORECASE) -> re.Pattern[str]:
    if not isinstance(pattern, str):
        raise BadInput(f"codebook.json: a pattern of {where} is not a string; fix it")
    try:
        return re.compile(pattern, flags)
    except re.error as exc:
        raise BadInput(
            f"codebook.json: bad pattern {pattern!r} in {where} ({exc}); fix it"
        ) from None


def _ending_with(words: list[str], where: str) -> re.Pattern[str] | None:
    """A pattern that matches text ending with any of ``words`` (each itself a regex)."""
    if not words:
        return None
    return _compile("(?:" + "|".join(f"(?:{w})" for w in words) + r")\s*$", where)


def _cues(linking: dict[str, Any]) -> LinkCues:
    subject = linking.get("subject", {})
    verbs = subject.get("verbs", [])
    filler = subject.get("filler", r"\s+")
    subject_verbs = (
        _compile(rf"(?:{filler})(?:{'|'.join(verbs)})\b", "linking.subject.verbs")
        if verbs
        else None
    )
    stance_cues = linking.get("stances", {})
    order = linking.get("stance_order", list(STANCE_ORDER_DEFAULT))
    stances = tuple(
        (name, tuple(_compile(p, f"stance {name}") for p in stance_cues.get(name, [])))
        for name in order
    )
    clause = linking.get("clause_break")
    return LinkCues(
        clause_break=_compile(clause, "linking.clause_break") if clause else None,
        subject_verbs=subject_verbs,
        speaker_before=_ending_with(subject.get("speaker_before", []), "speaker_before"),
        not_subject_before=_ending_with(subject.get("not_before", []), "not_before"),
        stances=stances,
    )
