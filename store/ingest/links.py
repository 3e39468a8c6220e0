"""Linking sentences to demands, with side and stance.

A sentence is linked to every demand whose term patterns one of its clauses matches (two
demands, two links). Who states it: the side of the quote it holds, else the actor that is its
subject, else Russia, for a journalist's background sentence restating the demands.
A sentence stated by a third party (Ukraine, a mediator, an analyst) is no link.
A US/NATO link takes the stance whose cue sits in the clause that names the demand.
All patterns come from the codebook's data; this module only applies them.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from newsbrowse.store.ingest.actors import ActorIndex, Mention
from newsbrowse.store.ingest.codebook import Codebook, Demand, LinkCues
from newsbrowse.store.ingest.literals import lowered
from newsbrowse.store.ingest.quotes import QuoteFinding

ACTING_SIDES = ("russia", "us_nato")
KNOWN_SIDES = (*ACTING_SIDES, "other")
DEFAULT_SIDE = "russia"
NEUTRAL = "neutral"


@dataclass(frozen=True)
class LinkFinding:
    """Evidence ``body[start:end]`` ties the article to ``demand``."""

    demand: str
    side: str
    stance: str | None
    start: int
    end: int


def find_links(
    body: str,
    sentences: list[tuple[int, int]],
    quotes: list[QuoteFinding],
    codebook: Codebook,
    actors: ActorIndex,
) -> list[LinkFinding]:
    """Links of every sentence that states or answers a demand."""
    found: list[LinkFinding] = []
    quotes = sorted(quotes, key=lambda q: q.start)  # quoted spans never overlap
    quote_ends = [q.end for q in quotes]
    quote_starts = [q.start for q in quotes]
    plan = _candidate_terms(body, sentences, codebook)
    demands = codebook.demands
    for (start, end), candidates in zip(sentences, plan, strict=True):
        if not candidates:
            continue
        text = body[start:end]
        clauses = _clauses(text, codebook.cues)
        pieces = [text] if len(clauses) == 1 else [text[lo:hi] for lo, hi in clauses]
        # The demands the sentence names, in the codebook's order, each with the first
        # clause that names it; most sentences with a candidate name none and stop here.
        named: list[tuple[Demand, int, int]] = []
        for index in sorted(candidates):
            demand, terms = demands[index], candidates[index]
            for (lo, hi), piece in zip(clauses, pieces, strict=True):
                if _names(demand, terms, piece):
                    named.append((demand, lo, hi))
                    break
        if not named:
            continue
        first = bisect.bisect_right(quote_ends, start)
        last = bisect.bisect_left(quote_starts, end)
        held = [q for q in quotes[first:last] if q.end > start and q.side in KNOWN_SIDES]
        mentions = _Mentions(actors, text)
        for demand, lo, hi in named:
            side = _side(text, lo, hi, start, held, codebook.cues, mentions)
            if side not in ACTING_SIDES:
                continue
            stance = _stance(text[lo:hi], codebook.cues) if side == "us_nato" else None
            found.append(LinkFinding(demand.slug, side, stance, start, end))
    return found


# For each sentence: the demands it may name, each with the terms worth trying (None: all).
_Candidates = dict[int, "set[int] | None"]


def _candidate_terms(
    body: str, sentences: list[tuple[int, int]], codebook: Codebook
) -> list[_Candidates]:
    """Per sentence, the terms whose required words occur in it: the only ones that can
    match one of its clauses (see ``literals.py``). Every term everywhere when the text
    cannot be searched in lower case or the sentences are not in order."""
    every: _Candidates = dict.fromkeys(range(len(codebook.demands)))
    low = lowered(body)
    ordered = all(
        0 <= s <= e <= n_s
        for (s, e), (n_s, _) in zip(sentences, [*sentences[1:], (len(body), 0)], strict=True)
    )
    if low is None or not ordered:
        return [every for _ in sentences]
    index = codebook.term_literals
    plan: list[_Candidates] = []
    for _ in sentences:
        candidates: _Candidates = {}
        for d, t in index.always:
            candidates.setdefault(d, set()).add(t)  # type: ignore[union-attr]
        plan.append(candidates)
    starts = [s for s, _ in sentences]
    for pos, tags in index.occurrences(low):
        k = bisect.bisect_right(starts, pos) - 1
        if k < 0 or pos >= sentences[k][1]:
            continue
        candidates = plan[k]
        for d, t in tags:
            candidates.setdefault(d, set()).add(t)  # type: ignore[union-attr]
    return plan


def _names(demand: Demand, terms: set[int] | None, clause: str) -> bool:
    """Whether the clause names ``demand`` (trying only ``terms``, when given)."""
    if terms is None:
        return demand.is_named_in(clause)
    return any(demand.terms[t].search(clause) for t in terms)


class _Mentions:
    """The actors named in a sentence, found the first time a link asks (a clause holding
    a quote takes the quote's side and needs none)."""

    def __init__(self, actors: ActorIndex, text: str) -> None:
        self.actors = actors
        self.text = text
        self.found: list[Mention] | None = None

    def all(self) -> list[Mention]:
        if self.found is None:
            self.found = self.actors.mentions(self.text)
        return self.found


def _clauses(text: str, cues: LinkCues) -> list[tuple[int, int]]:
    """Spans of the sentence's clauses, cut where a contrast ("but", ";") begins."""
    if cues.clause_break is None:
        return [(0, len(text))]
    spans, lo = [], 0
    for brk in cues.clause_break.finditer(text):
        spans.append((lo, brk.start()))
        lo = brk.start()
    spans.append((lo, len(text)))
    return spans


def _side(
    text: str,
    lo: int,
    hi: int,
    offset: int,
    held: list[QuoteFinding],
    cues: LinkCues,
    mentions: _Mentions,
) -> str:
    """Who states the clause ``text[lo:hi]``: its quote, its subject, the sentence's, or Russia."""
    in_clause = [q for q in held if q.start < offset + hi and q.end > offset + lo]
    if in_clause:
        return in_clause[0].side
    subject = _subject_side(text, lo, hi, cues, mentions.all())
    if subject:
        return subject
    if held:
        return held[0].side
    return _subject_side(text, 0, len(text), cues, mentions.all()) or DEFAULT_SIDE


def _subject_side(
    text: str, lo: int, hi: int, cues: LinkCues, mentions: list[Mention]
) -> str | None:
    """The side of the first actor that is a subject within ``text[lo:hi]``."""
    for mention in mentions:
        if not lo <= mention.start < hi:
            continue
        sides = {actor.side for actor in mention.actors}
        if len(sides) != 1 or not sides <= set(KNOWN_SIDES):
            continue
        before = text[: mention.start]
        if cues.speaker_before is not None and cues.speaker_before.search(before):
            return sides.pop()
        if mention.possessive:
            continue
        if cues.not_subject_before is not None and cues.not_subject_before.search(before):
            continue
        if cues.subject_verbs is not None and cues.subject_verbs.match(text, mention.end):
            return sides.pop()
    return None


def _stance(clause: str, cues: LinkCues) -> str:
    """The first stance, in the codebook's order, that has a cue in ``clause``."""
    for name, patterns in cues.stance_scans:
        if any(p.search(clause) for p in patterns):
            return name
    return NEUTRAL
