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
from newsbrowse.store.ingest.codebook import Codebook, LinkCues
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
    for start, end in sentences:
        text = body[start:end]
        clauses = _clauses(text, codebook.cues)
        first = bisect.bisect_right(quote_ends, start)
        last = bisect.bisect_left(quote_starts, end)
        held = [q for q in quotes[first:last] if q.end > start and q.side in KNOWN_SIDES]
        mentions: list[Mention] | None = None
        for demand in codebook.demands:
            named = next(((lo, hi) for lo, hi in clauses if demand.is_named_in(text[lo:hi])), None)
            if named is None:
                continue
            lo, hi = named
            if mentions is None:
                mentions = actors.mentions(text)
            side = _side(text, lo, hi, start, held, codebook.cues, mentions)
            if side not in ACTING_SIDES:
                continue
            stance = _stance(text[lo:hi], codebook.cues) if side == "us_nato" else None
            found.append(LinkFinding(demand.slug, side, stance, start, end))
    return found


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
    mentions: list[Mention],
) -> str:
    """Who states the clause ``text[lo:hi]``: its quote, its subject, the sentence's, or Russia."""
    in_clause = [q for q in held if q.start < offset + hi and q.end > offset + lo]
    if in_clause:
        return in_clause[0].side
    subject = _subject_side(text, lo, hi, cues, mentions)
    if subject:
        return subject
    if held:
        return held[0].side
    return _subject_side(text, 0, len(text), cues, mentions) or DEFAULT_SIDE


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
    for name, patterns in cues.stances:
        if any(p.search(clause) for p in patterns):
            return name
    return NEUTRAL
