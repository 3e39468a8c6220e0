"""Linking sentences to demands, with side and stance.

A sentence is linked to every demand whose term patterns one of its clauses matches (two
demands, two links); a demand's reply terms ("arms control") name it only in a clause the
answering side states. Who states a clause is decided in ``link_sides.py``: its quote, its
subject, or the demanding side for a journalist's background sentence; a clause stated by
a third party (Ukraine, a mediator, an analyst) or by someone unknown is no link.
A reply takes the stance whose cue sits in the clause that names the demand.
All patterns and side names come from the codebook's data; this module only applies them.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from newsbrowse.store.ingest.actors import ActorIndex
from newsbrowse.store.ingest.codebook import Codebook, Demand, LinkCues
from newsbrowse.store.ingest.link_sides import SideFinder
from newsbrowse.store.ingest.literals import lowered
from newsbrowse.store.ingest.mentions import Ref
from newsbrowse.store.ingest.quotes import QuoteFinding

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
    refs: list[Ref] | None = None,
) -> list[LinkFinding]:
    """Links of every sentence that states or answers a demand. ``refs``: the references
    attribution resolved (names, the article's own people, pronouns), when it ran."""
    found: list[LinkFinding] = []
    low = lowered(body)
    plan = _candidate_terms(body, sentences, codebook, low)
    sides = SideFinder(body, sentences, quotes, codebook, actors, refs)
    acting = (codebook.demanding, codebook.answering)
    for k, ((start, end), candidates) in enumerate(zip(sentences, plan, strict=True)):
        if not candidates:
            continue
        text = body[start:end]
        clauses = _clauses(text, codebook.cues)
        named = _named(text, clauses, candidates, codebook)
        side_of: dict[tuple[int, int], str] = {}
        for demand, lo, hi, reply_only in named:
            side = side_of.get((lo, hi))
            if side is None:
                side = side_of[(lo, hi)] = sides.side(k, lo, hi)
            if side not in acting or (reply_only and side != codebook.answering):
                continue
            stance = None
            if side == codebook.answering:
                stance = _stance(_stance_scope(text, clauses, lo, named), codebook.cues)
                if stance == NEUTRAL and _restated(demand, text[lo:hi], codebook.cues):
                    side, stance = codebook.demanding, None
            found.append(LinkFinding(demand.slug, side, stance, start, end))
    return found


def _named(
    text: str,
    clauses: list[tuple[int, int]],
    candidates: _Candidates,
    codebook: Codebook,
) -> list[tuple[Demand, int, int, bool]]:
    """The demands the sentence names, in the codebook's order, each with the first clause
    that names it and whether only a reply term does (most sentences with a candidate name
    none: each term is tried on the whole sentence first, and only where it matches on its
    clauses)."""
    named: list[tuple[Demand, int, int, bool]] = []
    for index in sorted(candidates):
        demand, terms = codebook.demands[index], candidates[index]
        every, n_plain = demand.all_terms, len(demand.terms)
        reply_only = None
        for t in range(len(every)) if terms is None else terms:
            if every[t].search(text):
                reply_only = t >= n_plain
                if not reply_only:
                    break
        if reply_only is None:
            continue
        if len(clauses) == 1:
            named.append((demand, 0, len(text), reply_only))
            continue
        use = [every[t] for t in (range(len(every)) if terms is None else terms)]
        use = use if reply_only else [p for p in use if p in demand.terms]
        for lo, hi in clauses:
            piece = text[lo:hi]
            if any(p.search(piece) for p in use):
                named.append((demand, lo, hi, reply_only))
                break
    return named


# For each sentence: the demands it may name, each with the terms worth trying (None: all).
_Candidates = dict[int, "set[int] | None"]


def _candidate_terms(
    body: str, sentences: list[tuple[int, int]], codebook: Codebook, low: str | None
) -> list[_Candidates]:
    """Per sentence, the terms whose required words occur in it: the only ones that can
    match one of its clauses (see ``literals.py``). Every term everywhere when the text
    cannot be searched in lower case (``low`` None: ``body`` in lower case, see
    ``literals.lowered``) or the sentences are not in order."""
    every: _Candidates = dict.fromkeys(range(len(codebook.demands)))
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


def _stance_scope(
    text: str,
    clauses: list[tuple[int, int]],
    lo: int,
    named: list[tuple[Demand, int, int, bool]],
) -> str:
    """The clause at ``lo`` and the clauses after it that name no demand: "ready to engage
    in talks, but any dialogue must be based on reciprocity" is one conditional reply."""
    starts = {n_lo for _, n_lo, _, _ in named}
    hi = next(h for c_lo, h in clauses if c_lo == lo)
    for c_lo, c_hi in clauses:
        if c_lo < hi:
            continue
        if c_lo in starts:
            break
        hi = c_hi
    return text[lo:hi]


def _restated(demand: Demand, clause: str, cues: LinkCues) -> bool:
    """Whether the clause names ``demand`` only as the content of a demand noun ("the US
    delivered its response to Russia's demands that NATO pull back"): a restatement."""
    if cues.restated is None:
        return False
    noun = cues.restated.search(clause)
    return noun is not None and demand.is_named_in(clause[noun.end() :])


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


def _stance(clause: str, cues: LinkCues) -> str:
    """The first stance, in the codebook's order, that has a cue in ``clause``: trying
    only the cues whose required words the clause holds (see ``literals.py``)."""
    low = lowered(clause)
    if low is None:
        for name, patterns in cues.stance_scans:
            if any(p.search(clause) for p in patterns):
                return name
        return NEUTRAL
    possible = sorted(cues.stance_literals.tags_in(low))  # type: ignore[type-var]
    for i, j in possible:
        if cues.stances[i][1][j].search(clause):
            return cues.stances[i][0]
    return NEUTRAL
