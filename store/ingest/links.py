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
    cues = codebook.cues
    sides: SideFinder | None = None
    acting = (codebook.demanding, codebook.answering)
    for k, (start, end) in enumerate(sentences):
        text = body[start:end]
        low_text = low[start:end] if low is not None else None
        terms = _candidate_terms(low_text, codebook)
        if terms == []:
            continue  # most sentences: no term has the words it needs
        clauses = _clauses(text, cues, low_text)
        named = _named(text, clauses, terms, codebook)
        if not named:
            continue
        if sides is None:
            sides = SideFinder(body, sentences, quotes, codebook, actors, refs, low)
        side_of: dict[tuple[int, int], str] = {}
        for demand, lo, hi, reply_only in named:
            side = side_of.get((lo, hi))
            if side is None:
                side = side_of[(lo, hi)] = sides.side(k, lo, hi)
            if side not in acting or (reply_only and side != codebook.answering):
                continue
            stance = None
            if side == codebook.answering:
                hi_scope = _stance_scope(clauses, lo, named)
                scope_low = low_text[lo:hi_scope] if low_text is not None else None
                stance = _stance(text[lo:hi_scope], cues, scope_low)
                if stance == NEUTRAL and _restated(demand, text[lo:hi], cues):
                    side, stance = codebook.demanding, None
            found.append(LinkFinding(demand.slug, side, stance, start, end))
    return found


# A sentence's terms worth trying: (demand index, term index) in order; None: every term.
_Terms = list[tuple[int, int]] | None


def _candidate_terms(low_text: str | None, codebook: Codebook) -> _Terms:
    """The terms whose required words occur in the sentence: the only ones that can match
    one of its clauses (see ``literals.py``). Every term when the sentence cannot be
    searched in lower case (``low_text`` None: see ``literals.lowered``)."""
    if low_text is None:
        return None
    return sorted(codebook.term_literals.tags_in(low_text))  # type: ignore[type-var]


def _named(
    text: str,
    clauses: list[tuple[int, int]],
    terms: _Terms,
    codebook: Codebook,
) -> list[tuple[Demand, int, int, bool]]:
    """The demands the sentence names, in the codebook's order, each with the first clause
    that names it and whether only a reply term does (most sentences with a candidate name
    none: each term is tried on the whole sentence first, and only where it matches on its
    clauses)."""
    named: list[tuple[Demand, int, int, bool]] = []
    for index, tried in _by_demand(terms, codebook):
        demand = codebook.demands[index]
        every, n_plain = demand.all_terms, len(demand.terms)
        # plain terms come first: the first term that matches tells whether one does
        hit = next((t for t in tried if every[t].search(text)), None)
        if hit is None:
            continue
        reply_only = hit >= n_plain
        if len(clauses) == 1:
            named.append((demand, 0, len(text), reply_only))
            continue
        use = [every[t] for t in tried if reply_only or t < n_plain]
        for lo, hi in clauses:
            piece = text[lo:hi]
            if any(p.search(piece) for p in use):
                named.append((demand, lo, hi, reply_only))
                break
    return named


def _by_demand(terms: _Terms, codebook: Codebook) -> list[tuple[int, list[int]]]:
    """``terms`` grouped by demand, in order (every term of every demand for None)."""
    if terms is None:
        demands = codebook.demands
        return [(d, list(range(len(demand.all_terms)))) for d, demand in enumerate(demands)]
    grouped: list[tuple[int, list[int]]] = []
    for d, t in terms:
        if grouped and grouped[-1][0] == d:
            grouped[-1][1].append(t)
        else:
            grouped.append((d, [t]))
    return grouped


def _stance_scope(
    clauses: list[tuple[int, int]], lo: int, named: list[tuple[Demand, int, int, bool]]
) -> int:
    """Where the stance of the clause at ``lo`` ends: the clauses after it that name no
    demand are its own ("ready to engage in talks, but any dialogue must be based on
    reciprocity" is one conditional reply)."""
    starts = {n_lo for _, n_lo, _, _ in named}
    hi = next(h for c_lo, h in clauses if c_lo == lo)
    for c_lo, c_hi in clauses:
        if c_lo < hi:
            continue
        if c_lo in starts:
            break
        hi = c_hi
    return hi


def _restated(demand: Demand, clause: str, cues: LinkCues) -> bool:
    """Whether the clause names ``demand`` only as the content of a demand noun ("the US
    delivered its response to Russia's demands that NATO pull back"): a restatement."""
    if cues.restated is None:
        return False
    noun = cues.restated.search(clause)
    return noun is not None and demand.is_named_in(clause[noun.end() :])


def _clauses(text: str, cues: LinkCues, low: str | None = None) -> list[tuple[int, int]]:
    """Spans of the sentence's clauses, cut where a contrast ("but", ";") begins. ``low``:
    ``text`` in lower case (see ``literals.lowered``), to skip one without the words of a
    break."""
    brk = cues.clause_break
    if brk is None or (low is not None and not cues.may_break(low)):
        return [(0, len(text))]
    spans, lo = [], 0
    for found in brk.finditer(text):
        spans.append((lo, found.start()))
        lo = found.start()
    spans.append((lo, len(text)))
    return spans


def _stance(clause: str, cues: LinkCues, low: str | None = None) -> str:
    """The first stance, in the codebook's order, that has a cue in ``clause``: trying
    only the cues whose required words the clause holds (see ``literals.py``). ``low``:
    ``clause`` in lower case, if known."""
    if low is None:
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
