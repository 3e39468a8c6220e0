"""Who states a clause: the side of a demand link.

A sieve, most certain first; what a step cannot decide goes to the next:

1. a quote in the clause whose speaker's side is known: that side;
2. the clause's subject (outside quotation marks): an actor of actors.json, a group of the
   codebook ("the U.S. delegation", "Russia's draft"), a pronoun that takes the side of the
   person it stands for, or a name nobody knows (then: nobody, no link);
3. a quote of the sentence whose side is known;
4. the sentence's first subject, as in 2;
5. a clause inside a quote nobody is known to have said: nobody, no link;
6. else the demanding side: a journalist's background sentence restating the demands.

The words come from the codebook (``linking.subject``); the sides from its ``sides``.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from newsbrowse.store.ingest.actors import ActorIndex
from newsbrowse.store.ingest.codebook import Codebook, LinkCues
from newsbrowse.store.ingest.literals import lowered
from newsbrowse.store.ingest.mentions import Ref
from newsbrowse.store.ingest.quotes import QuoteFinding

_POSSESSIVE = re.compile(r"\s?['\u2019\u2018]s\b|(?<=s)['\u2019](?!\w)")
_LOOK_BACK = 3  # sentences a pronoun may reach back for the person it stands for
_BEFORE = 48  # characters before a subject that its cues ("according to", "from") may span
NOBODY = ""  # a subject whose side nothing shows: the clause makes no link
_BODY = "n"  # the "gender" of a pronoun ("it") that stands for a body, a country, a group


@dataclass(frozen=True)
class _Candidate:
    """A word or phrase that may be a clause's subject, with offsets in its sentence."""

    start: int
    end: int
    side: str | None  # None: a pronoun (side of its antecedent) or an unknown name
    person: bool
    gender: str | None = None
    pronoun: bool = False
    possessive: bool = False
    subject: bool = False  # attribution found it the subject of its clause


class SideFinder:
    """The sides of an article's clauses; sentences' subjects are found once, when asked."""

    def __init__(
        self,
        body: str,
        sentences: list[tuple[int, int]],
        quotes: list[QuoteFinding],
        codebook: Codebook,
        actors: ActorIndex,
        refs: list[Ref] | None = None,
        low: str | None = None,
    ) -> None:
        """``low``: ``body`` in lower case (see ``literals.lowered``), if known."""
        self.body = body
        self.low = low
        self.refs = refs
        self._ref_starts = [r.start for r in refs] if refs is not None else []
        self.sentences = sentences
        self.quotes = sorted(quotes, key=lambda q: q.start)  # quoted spans never overlap
        self._quote_ends = [q.end for q in self.quotes]
        self.cues: LinkCues = codebook.cues
        self.known = frozenset(codebook.side_slugs)
        self.demanding = codebook.demanding
        self.actors = actors
        self._candidates: dict[int, list[_Candidate]] = {}
        self._first: dict[tuple[int, str | None], str | None] = {}
        self._people: dict[str, str] | None = None
        self._subjects: dict[tuple[int, int], bool] = {}

    # -- the sieve ----------------------------------------------------------------------

    def side(self, k: int, lo: int, hi: int) -> str:
        """The side of clause ``[lo, hi)`` (offsets in sentence ``k``); NOBODY: no link."""
        start, end = self.sentences[k]
        held = self._quotes_in(start, end)
        for q in held:
            if q.start < start + hi and q.end > start + lo and q.side in self.known:
                return q.side
        found = self._subject(k, lo, hi)
        if found is not None:
            return found
        for q in held:
            if q.side in self.known:
                return q.side
        if (lo, hi) != (0, end - start):  # else just tried
            found = self._subject(k, 0, end - start)
            if found is not None:
                return found
        quoted = sum(max(0, min(q.end, start + hi) - max(q.start, start + lo)) for q in held)
        if 2 * quoted > hi - lo:
            return NOBODY  # mostly the words of someone nobody knows
        return self.demanding

    def _subject(self, k: int, lo: int, hi: int) -> str | None:
        """The side of the first subject within ``[lo, hi)`` of sentence ``k``: None if
        there is none, NOBODY if its side is unknown or it joins two sides ("the United
        States and Russia are expected to ...")."""
        text = self._text(k)
        previous: _Candidate | None = None
        for c in self._candidates_of(k):
            if lo <= c.start < hi and self._is_subject_at(k, text, c):
                side = self._resolve(k, c)
                if previous is not None and self._joined(text, previous, c):
                    other = self._resolve(k, previous)
                    return side if other == side else NOBODY
                return side
            previous = c
        return None

    def _joined(self, text: str, first: _Candidate, second: _Candidate) -> bool:
        """Whether ``first`` and ``second`` are one subject ("Washington and its allies")."""
        joined_by = self.cues.joined_by
        if joined_by is None or not first.side or first.possessive or first.end > second.start:
            return False
        return joined_by.match(text[first.end : second.start]) is not None

    def _resolve(self, k: int, c: _Candidate) -> str:
        if c.pronoun:
            return self._antecedent(k, c.start, c.gender)
        if c.side is not None:
            return c.side
        return self._known_people().get(self._text(k)[c.start : c.end], NOBODY)

    def _antecedent(self, k: int, pos: int, gender: str | None) -> str:
        """The side of the person a pronoun at ``pos`` of sentence ``k`` stands for: the
        last person before it who is a subject (or an earlier one in its sentence); NOBODY
        when a name nobody knows, or nobody, comes first."""
        text = self._text(k)
        earlier = [c for c in self._candidates_of(k) if c.end <= pos and not c.pronoun]
        for c in reversed(earlier):
            if c.side and _fits(c, gender) and self._leads(text, c):
                return c.side
        for j in range(k - 1, max(-1, k - 1 - _LOOK_BACK), -1):
            first = self._first_person(j, gender)
            if first is not None:
                return first
        return NOBODY

    def _first_person(self, j: int, gender: str | None) -> str | None:
        """The side of sentence ``j``'s first subject, if a person a pronoun of ``gender``
        may stand for (NOBODY for a name nobody knows); None to look further back."""
        key = (j, gender)
        if key in self._first:
            return self._first[key]
        self._first[key] = None  # a pronoun's chain back never loops
        text = self._text(j)
        found: str | None = None
        for c in self._candidates_of(j):
            if not self._leads(text, c):
                continue
            if c.pronoun:
                found = self._antecedent(j, c.start, c.gender) if c.gender == gender else None
            elif c.side is None:
                found = self._known_people().get(text[c.start : c.end], NOBODY)
            elif _fits(c, gender):
                found = c.side
            break
        self._first[key] = found
        return found

    # -- candidates and subjects ----------------------------------------------------------

    def _is_subject_at(self, k: int, text: str, c: _Candidate) -> bool:
        """``_is_subject``, remembered: a clause and then its sentence ask again."""
        key = (k, c.start)
        found = self._subjects.get(key)
        if found is None:
            found = self._subjects[key] = self._is_subject(text, c)
        return found

    def _is_subject(self, text: str, c: _Candidate) -> bool:
        if c.subject and c.person and not c.possessive:
            return True  # "Blinken, referring to the talks ..., reiterated"
        cues = self.cues
        before = text[max(0, c.start - _BEFORE) : c.start]
        if cues.speaker_before is not None and cues.speaker_before.search(before):
            return True
        verbs = cues.subject_verbs if c.side is not None or c.pronoun else cues.name_verbs
        if verbs is None:
            return False
        if c.possessive:
            owned = cues.possessed_verbs
            return owned is not None and owned.match(text, c.end) is not None
        if cues.not_subject_before is not None and cues.not_subject_before.search(before):
            return False
        return verbs.match(text, c.end) is not None

    def _leads(self, text: str, c: _Candidate) -> bool:
        """Whether ``c`` is a subject a later pronoun may stand for: a subject of the
        linking verbs, or a known person followed by a verb of any kind ("Lavrov met")."""
        return self._is_subject(text, c) or self._any_verb_after(text, c)

    def _any_verb_after(self, text: str, c: _Candidate) -> bool:
        pattern = self.cues.any_verb
        if pattern is None or not c.side or not c.person or c.possessive:
            return False
        before = text[max(0, c.start - _BEFORE) : c.start]
        blocked = self.cues.not_subject_before
        if blocked is not None and blocked.search(before):
            return False
        return pattern.match(text, c.end) is not None

    def _candidates_of(self, k: int) -> list[_Candidate]:
        found = self._candidates.get(k)
        if found is None:
            found = self._candidates[k] = self._find_candidates(k)
        return found

    def _find_candidates(self, k: int) -> list[_Candidate]:
        """Actors, groups, pronouns and unknown names of sentence ``k``, outside quotes,
        in order, without overlaps (an actor wins over a group, both over a name)."""
        text = self._text(k)
        cues = self.cues
        named = self._named(k, text) if self.refs is not None else self._mentioned(text)
        for key, g in self._groups_in(k, text):
            side = key if key in self.known else NOBODY  # "the two sides": no one side
            poss = _poss(text, g)
            named.append(_Candidate(g.start(), g.end(), side, False, None, False, poss))
        if cues.pronoun_subject is not None and cues.pronouns:  # those attribution left
            skip = cues.pronoun_skip
            for p in cues.pronoun_subject.finditer(text):
                if skip is not None and skip.match(text, p.start()):
                    continue
                gender = cues.pronouns.get(p.group().lower())
                person = gender != _BODY
                named.append(_Candidate(p.start(), p.end(), None, person, gender, pronoun=True))
        named.sort(key=lambda c: (c.start, c.start - c.end))
        kept = _without_overlaps(named)
        if cues.name_subject is not None:
            for n in cues.name_subject.finditer(text):
                if n.group().lower() in cues.not_names or _overlaps(kept, n.start(), n.end()):
                    continue
                kept.append(_Candidate(n.start(), n.end(), None, True, None, False, _poss(text, n)))
            kept.sort(key=lambda c: c.start)
        offset = self.sentences[k][0]
        return [c for c in kept if not self._in_quote(offset + c.start)]

    def _mentioned(self, text: str) -> list[_Candidate]:
        """The actors of actors.json named in ``text`` (when attribution did not run)."""
        named: list[_Candidate] = []
        for m in self.actors.mentions(text):
            sides = {a.side for a in m.actors}
            if len(sides) != 1:
                continue
            genders = {a.gender for a in m.actors}
            named.append(
                _Candidate(
                    m.start,
                    m.end,
                    sides.pop(),
                    all(a.is_person for a in m.actors),
                    genders.pop() if len(genders) == 1 else None,
                    possessive=m.possessive,
                )
            )
        return named

    def _named(self, k: int, text: str) -> list[_Candidate]:
        """The references attribution resolved in sentence ``k``: actors, the article's
        own people, titles ("the U.S. diplomat") and pronouns it could resolve (one it
        could not, or never looked at, is found again and resolved by this module)."""
        start, end = self.sentences[k]
        i = bisect.bisect_left(self._ref_starts, start)
        j = bisect.bisect_left(self._ref_starts, end)
        named: list[_Candidate] = []
        for ref in self.refs[i:j]:  # type: ignore[index]
            lo, hi = ref.start - start, ref.end - start
            actor = ref.actor
            if actor is None:
                continue  # a pronoun it could not resolve: this module looks back itself
            side = actor.side if actor.side in self.known else NOBODY
            named.append(
                _Candidate(
                    lo,
                    hi,
                    side,
                    actor.is_person,
                    actor.gender,
                    possessive=ref.possessive,
                    subject=ref.subject,
                )
            )
        return named

    def _groups_in(self, k: int, text: str) -> list[tuple[str, re.Match[str]]]:
        """(key, match) of every group phrase in ``text`` (sentence ``k``), searching only
        for the phrases whose required strings the text holds (see ``literals.py``)."""
        groups = self.cues.groups
        if not groups:
            return []
        low = self._low(k, text)
        tried = range(len(groups)) if low is None else sorted(self.cues.group_literals.tags_in(low))
        found = []
        for i in tried:
            key, pattern = groups[i]  # type: ignore[index]
            found.extend((key, m) for m in pattern.finditer(text))
        return found

    def _low(self, k: int, text: str) -> str | None:
        """Sentence ``k`` (``text``) in lower case, if ``re`` agrees with ``lower()`` on it."""
        if self.low is not None:
            start, end = self.sentences[k]
            return self.low[start:end]
        return lowered(text)

    def _known_people(self) -> dict[str, str]:
        """Each word of the name of a quote's speaker whose side is known -> that side: the
        people the article's attribution learnt, for a name not in actors.json."""
        if self._people is None:
            self._people = {}
            for q in self.quotes:
                if q.speaker and q.side in self.known:
                    for word in q.speaker.split():
                        self._people.setdefault(word, q.side)
        return self._people

    # -- quotes ----------------------------------------------------------------------------

    def _quotes_in(self, start: int, end: int) -> list[QuoteFinding]:
        held = []
        for q in self.quotes[bisect.bisect_right(self._quote_ends, start) :]:
            if q.start >= end:
                break
            held.append(q)
        return held

    def _in_quote(self, pos: int) -> bool:
        i = bisect.bisect_right(self._quote_ends, pos)
        return i < len(self.quotes) and self.quotes[i].start <= pos

    def _text(self, k: int) -> str:
        start, end = self.sentences[k]
        return self.body[start:end]


def _fits(c: _Candidate, gender: str | None) -> bool:
    """Whether a pronoun of ``gender`` may stand for ``c``: "it" for a body, "he" for a man."""
    if gender == _BODY:
        return not c.person
    return c.person and c.gender in (None, gender)


def _poss(text: str, match: re.Match[str]) -> bool:
    return _POSSESSIVE.match(text, match.end()) is not None


def _overlaps(kept: list[_Candidate], start: int, end: int) -> bool:
    return any(c.start < end and start < c.end for c in kept)


def _without_overlaps(found: list[_Candidate]) -> list[_Candidate]:
    """Candidates in order, each overlapping none kept before it (the longest at a place
    wins: ``found`` is sorted by start, longest first)."""
    kept: list[_Candidate] = []
    for c in found:
        if kept and c.start < kept[-1].end:
            continue
        kept.append(c)
    return kept
