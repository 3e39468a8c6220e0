"""The codebook of Russian demands, loaded from ``fixtures/codebook.json``.

Besides the demands themselves the file holds, as data, everything the linker needs to
know about the domain: the sides (which one demands, which one answers), each demand's
term patterns, the cues that make an actor the subject of a sentence, and the cues of each
stance of a reply. The linker is a general engine over these patterns; another negotiation
needs another codebook, not new code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any

from newsbrowse.store.errors import BadInput, NotFound
from newsbrowse.store.ingest.literals import LiteralIndex, alternation, required_sets
from newsbrowse.store.rule_files import read_json_rules

STANCE_ORDER_DEFAULT: tuple[str, ...] = ("conditional", "rejects", "open")
SIDE_ROLES: tuple[str, ...] = ("demanding", "answering", "other")


@dataclass(frozen=True)
class Side:
    """One side of the negotiation: the demanding one, the answering one, or a third party."""

    slug: str
    label: str
    role: str


@dataclass(frozen=True)
class Demand:
    slug: str
    title: str
    description: str
    patterns: tuple[object, ...] = ()  # as the codebook writes them (checked when compiled)
    reply_patterns: tuple[object, ...] = ()  # terms that name the demand only in a reply

    @cached_property
    def terms(self) -> tuple[re.Pattern[str], ...]:
        """The term patterns, compiled the first time they are needed."""
        return tuple(_compile(p, f"demand {self.slug}") for p in self.patterns)  # type: ignore[arg-type]

    @cached_property
    def reply_terms(self) -> tuple[re.Pattern[str], ...]:
        """Terms that name the demand only in a clause the answering side states
        ("arms control", "transparency measures"): compiled on first use."""
        where = f"demand {self.slug} reply_terms"
        return tuple(_compile(p, where) for p in self.reply_patterns)  # type: ignore[arg-type]

    @cached_property
    def all_terms(self) -> tuple[re.Pattern[str], ...]:
        """``terms`` then ``reply_terms``: an index below ``len(terms)`` is a plain term."""
        return self.terms + self.reply_terms

    def is_named_in(self, text: str) -> bool:
        """Whether any of the demand's (plain) terms occurs in ``text``."""
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
    # the collective and document subjects ("the U.S. delegation"): (key, phrase), the key
    # a side slug, or another word for a phrase of no one side ("the two sides")
    groups: tuple[tuple[str, re.Pattern[str]], ...] = ()
    # pronoun (lower case) -> the gender of the person it stands for ("n": a body, for "it")
    pronouns: dict[str, str] | None = None
    pronoun_subject: re.Pattern[str] | None = None  # a pronoun, then a subject's verb
    pronoun_skip: re.Pattern[str] | None = None  # "it is", "it would": no one's words
    # after a person's name, the verb of any sentence ("met"): that person is the subject a
    # later pronoun may stand for, even where the verb is not one of ``subject_verbs``
    any_verb: re.Pattern[str] | None = None
    # a capitalised word (not "It", "The", "Meanwhile") followed by ``name_verbs``: the name
    # of someone actors.json does not know, as a subject
    name_subject: re.Pattern[str] | None = None
    not_names: frozenset[str] = frozenset()
    name_verbs: re.Pattern[str] | None = None
    # between two subjects that share a verb ("Washington and its allies")
    joined_by: re.Pattern[str] | None = None
    # a demand noun whose content follows ("Russia's demands that ...", "the proposals,
    # which include ..."): a demand named after it, in a reply with no stance, is restated
    restated: re.Pattern[str] | None = None
    # a possessive's "'s" and what it owns ("Biden's adviser"), then a verb: from the end
    # of a name, the name's owner is the subject
    possessed_verbs: re.Pattern[str] | None = None

    @cached_property
    def group_literals(self) -> LiteralIndex:
        """Where each group phrase may match: its tag is its index in ``groups``."""
        return LiteralIndex((pattern, i) for i, (_, pattern) in enumerate(self.groups))

    @cached_property
    def break_needs(self) -> tuple[frozenset[str], ...]:
        """Sets of lower-case strings a clause break needs one of each (see
        ``literals.required_sets``)."""
        return required_sets(self.clause_break) if self.clause_break is not None else ()

    def may_break(self, low: str) -> bool:
        """Whether ``low``, a sentence in lower case, may hold a clause break."""
        return all(any(s in low for s in needs) for needs in self.break_needs)

    @cached_property
    def stance_literals(self) -> LiteralIndex:
        """Where each stance cue may match: its tag is (stance index, cue index)."""
        return LiteralIndex(
            (cue, (i, j)) for i, (_, cues) in enumerate(self.stances) for j, cue in enumerate(cues)
        )

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
    sides: tuple[Side, ...] = ()

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, compile_now: bool = True) -> Codebook:
        """Build the codebook; a malformed pattern is a one-line error naming it.

        Without ``compile_now`` the patterns compile when linking first needs them (the
        app's screen needs only the demands' titles: 95 patterns cost about 17 ms of its
        start): only for a codebook already known to compile, the shipped one. A codebook
        that names no sides takes the shipped codebook's.
        """
        demands = tuple(
            Demand(
                slug=d["slug"],
                title=d["title"],
                description=d.get("description", ""),
                patterns=tuple(d.get("terms", [])),
                reply_patterns=tuple(d.get("reply_terms", [])),
            )
            for d in data.get("demands", [])
        )
        slugs = [d.slug for d in demands]
        if len(set(slugs)) != len(slugs):
            raise BadInput("codebook.json names a demand slug twice; give each demand its own")
        sides = _sides(data["sides"]) if "sides" in data else shipped_sides()
        codebook = cls(demands=demands, data=data, sides=sides)
        if compile_now:
            codebook.compile()
        return codebook

    def compile(self) -> None:
        """Compile every pattern now: a malformed one raises its one-line error here."""
        for demand in self.demands:
            demand.terms  # noqa: B018 - compiled and kept
            demand.reply_terms  # noqa: B018
        self.cues  # noqa: B018

    @cached_property
    def cues(self) -> LinkCues:
        """The linking cues (clause breaks, subjects, stances), compiled on first use."""
        return _cues(self.data.get("linking", {}))

    @cached_property
    def term_literals(self) -> LiteralIndex:
        """Where each term may match: its tags are ``(demand index, term index)``, the
        index running on from ``terms`` into ``reply_terms``."""
        return LiteralIndex(
            (term, (d, t))
            for d, demand in enumerate(self.demands)
            for t, term in enumerate(demand.all_terms)
        )

    def demand(self, slug: str) -> Demand | None:
        return next((d for d in self.demands if d.slug == slug), None)

    def check_demand(self, slug: str) -> str:
        """``slug`` if it names a demand; else the one-line error that lists them."""
        if self.demand(slug) is None:
            known = ", ".join(self.slugs)
            raise NotFound(f"no demand {slug!r} in the codebook; known demands: {known}")
        return slug

    @property
    def slugs(self) -> tuple[str, ...]:
        return tuple(d.slug for d in self.demands)

    @property
    def demanding(self) -> str:
        """The slug of the side that makes the demands."""
        return next(s.slug for s in self.sides if s.role == "demanding")

    @property
    def answering(self) -> str:
        """The slug of the side that answers them (the one a link gives a stance)."""
        return next(s.slug for s in self.sides if s.role == "answering")

    @property
    def side_slugs(self) -> tuple[str, ...]:
        return tuple(s.slug for s in self.sides)

    def side_label(self, slug: str) -> str:
        return next((s.label for s in self.sides if s.slug == slug), slug)


def _sides(entries: object) -> tuple[Side, ...]:
    """The codebook's sides: one demanding, one answering, any others; else a one-line error."""
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise BadInput("codebook.json: 'sides' must be a list of {slug, label, role}; fix it")
    sides = []
    for entry in entries:
        slug, role = entry.get("slug"), entry.get("role")
        if not isinstance(slug, str) or not slug or role not in SIDE_ROLES:
            raise BadInput(
                f"codebook.json: side {slug!r} needs a slug and a role "
                f"({', '.join(SIDE_ROLES)}); fix it"
            )
        sides.append(Side(slug, str(entry.get("label") or slug), role))
    slugs = [s.slug for s in sides]
    roles = [s.role for s in sides]
    if (
        len(set(slugs)) != len(slugs)
        or roles.count("demanding") != 1
        or roles.count("answering") != 1
    ):
        raise BadInput(
            "codebook.json: 'sides' needs distinct slugs, one demanding side and one "
            "answering side; fix it"
        )
    return tuple(sides)


@lru_cache(maxsize=1)
def shipped_sides() -> tuple[Side, ...]:
    """The sides of the shipped codebook: those of a codebook that names none."""

    return _sides(read_json_rules("codebook.json").get("sides"))


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
    stance_cues = linking.get("stances", {})
    order = linking.get("stance_order", list(STANCE_ORDER_DEFAULT))
    stances = tuple(
        (name, tuple(_compile(p, f"stance {name}") for p in stance_cues.get(name, [])))
        for name in order
    )
    clause = linking.get("clause_break")
    restated = linking.get("restated")
    return LinkCues(
        clause_break=_compile(clause, "linking.clause_break") if clause else None,
        stances=stances,
        restated=_compile(restated, "linking.restated") if restated else None,
        **_subject_cues(linking.get("subject", {})),
    )


def _subject_cues(subject: dict[str, Any]) -> dict[str, Any]:
    """The compiled cues of ``linking.subject``: who is the subject of a clause."""
    filler = subject.get("filler", r"\s+")

    def then(words: list[str] | str, key: str, before: str = "") -> re.Pattern[str] | None:
        """``before`` (if any, as a lookahead), then filler words, then one of ``words``."""
        if not words:
            return None
        verbs = words if isinstance(words, str) else "|".join(words)
        where = f"linking.subject.{key}"
        if before:
            return _compile(rf"{before}(?=(?:{filler})(?:{verbs})\b)", where)
        return _compile(rf"(?:{filler})(?:{verbs})\b", where)

    def one(key: str) -> re.Pattern[str] | None:
        return _compile(subject[key], f"linking.subject.{key}") if subject.get(key) else None

    verbs = subject.get("verbs", [])
    pronouns = {str(k).lower(): str(v) for k, v in subject.get("pronouns", {}).items()}
    named = "|".join(rf"\b{re.escape(p)}\b" for p in pronouns)
    possessed = subject.get("possessed")
    name_verbs = subject.get("name_verbs", [])
    return {
        "subject_verbs": then(verbs, "verbs"),
        "speaker_before": _ending_with(subject.get("speaker_before", []), "speaker_before"),
        "not_subject_before": _ending_with(subject.get("not_before", []), "not_before"),
        "pronouns": pronouns,
        "pronoun_subject": then(verbs, "pronouns", f"(?:{named})") if named else None,
        "pronoun_skip": one("pronoun_skip"),
        "name_subject": then(name_verbs, "name", f"(?-i:{subject['name']})")
        if subject.get("name")
        else None,
        "not_names": frozenset(w.lower() for w in subject.get("not_names", [])),
        "name_verbs": then(name_verbs, "name_verbs"),
        "possessed_verbs": _compile(
            rf"(?:{possessed})(?:{filler})(?:{'|'.join(verbs)})\b", "linking.subject.possessed"
        )
        if possessed and verbs
        else None,
        "joined_by": one("joined_by"),
        "any_verb": then(subject["any_verb"], "any_verb") if subject.get("any_verb") else None,
        "groups": tuple(
            (key, _compile(phrase, f"linking.subject.groups.{key}"))
            for key, phrases in subject.get("groups", {}).items()
            for phrase in phrases
        ),
    }
