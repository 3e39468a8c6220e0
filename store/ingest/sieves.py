"""The sieves of :mod:`attribution`, one small function each, in the order they run.

Each takes the attributor and a quote and returns an
:class:`Attribution` (a speaker, or ``None`` for "the text says nobody it can name") or
``None`` when it cannot tell and the next sieve should look.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from newsbrowse.store.ingest.actors import Actor
from newsbrowse.store.ingest.frame import TERMINATOR, WORD, word_count
from newsbrowse.store.ingest.quotes import MAX_LABEL_WORDS, QuoteSpan

if TYPE_CHECKING:  # the attributor runs the sieves and hands itself to each
    from newsbrowse.store.ingest.attribution import Attributor


@dataclass(frozen=True)
class Attribution:
    """Who a quote's words belong to (``speaker`` None: nobody the text can name);
    ``explicit`` when the quote's own attribution says so; ``end`` where its words end."""

    speaker: Actor | None
    cue: str | None
    end: int
    explicit: bool = True


Sieve = Callable[["Attributor", QuoteSpan], "Attribution | None"]

_MAX_PREFIX_WORDS = 6
_MAX_ADJUNCT_WORDS = 10
_SUBORDINATORS = frozenset(
    {"because", "as", "since", "after", "when", "although", "though", "while", "if", "whereas"}
)  # a reporting clause after one of these is no sentence-final attribution


def _limit(a: Attributor, q: QuoteSpan) -> int:
    """Where the text that may attribute ``q`` after it ends: the next quote or the
    paragraph's end."""
    following = a.quotes_between(q.close, q.para[1])
    return following[0].open if following else q.para[1]


def tail(a: Attributor, q: QuoteSpan) -> Attribution | None:
    """Attribution right after the closing mark: '," he said', '," said Putin', '?" -
    added.'"""
    if not q.closed:
        return None
    start = q.close + 1
    limit = _limit(a, q)
    region_end = min(limit, a.frame.sentence_end(start))
    verbs = a.frame.verbs_between(start, region_end)
    if not verbs:
        return None
    verb = verbs[0]
    prefix = a.masked[start : verb.start()]
    if word_count(prefix) > _MAX_PREFIX_WORDS or a.participle(verb):
        return None  # '“...”, warning that ...': the main clause's, found elsewhere
    first = WORD.search(prefix)
    if first and first.group().lower() in a.speech.clause_openers:
        return None  # '“...” and Lavrov added': a new clause, not this quote's attribution
    if TERMINATOR.match(a.body, q.end - 1) and not _ends_sentence(a, verb.end(), region_end):
        return None  # '... guarantees.” Wendy Sherman replied that ...': a new sentence
    return a.speaker_of(verb, start, limit)


def _ends_sentence(a: Attributor, pos: int, end: int) -> bool:
    """Whether only a short adjunct follows ``pos`` to the end of its sentence."""
    rest = a.masked[pos:end]
    words = [w.lower() for w in WORD.findall(rest)]
    return len(words) <= _MAX_ADJUNCT_WORDS and "that" not in words


def final_clause(a: Attributor, q: QuoteSpan) -> Attribution | None:
    """The sentence ends with its reporting clause: '..., White House press secretary Jen
    Psaki said after the call.' (Looked for once per sentence.)"""
    if not q.closed:
        return None
    end = a.frame.sentence_end(q.close)
    if end not in a.final_clauses:
        a.final_clauses[end] = _final_clause(a, q.close + 1, end)
    return a.final_clauses[end]


def _final_clause(a: Attributor, start: int, end: int) -> Attribution | None:
    later = a.quotes_between(start, end, last=1)
    if later:
        start = later[0].close + 1
    verbs = a.frame.verbs_between(max(start, end - 200), end)
    if not verbs:
        return None
    verb = verbs[-1]
    if verb.start() < start or not _ends_sentence(a, verb.end(), end):
        return None
    if a.speech.speaker_follows.fullmatch(verb.group()):
        return None
    window = max(start, verb.start() - 120)
    attribution = a.subject_before(verb, window)
    if attribution is None or attribution.speaker is None:
        return None
    refs = a.refs_between(window, verb.start())
    if not refs or word_count(a.masked[refs[-1].end : verb.start()]) > 2:
        return None
    before = WORD.findall(a.masked, max(start, refs[-1].start - 60), refs[-1].start)
    if before and before[-1].lower() in _SUBORDINATORS | {"that"}:
        return None
    return attribution


def reported(a: Attributor, q: QuoteSpan) -> Attribution | None:
    """A speech verb before the quote in its sentence: 'Putin said his country was
    “...”', 'X told reporters: “...”', 'according to X, “...”'. Of two, the first when
    the second's clause depends on it ('X said ... because Y said “...”')."""
    window_start = max(a.frame.sentence_start(q.open), q.para[0])
    verbs = a.frame.verbs_between(max(window_start, q.open - 600), q.open)
    if not verbs:
        return None
    verb = verbs[-1]
    if a.speech.commitment_nouns.search(a.masked, verb.end(), q.open):
        return Attribution(None, None, verb.end())
    if len(verbs) > 1 and _depends(a, verbs[0], verb):
        outer = a.explicit_subject(verbs[0], window_start)
        if outer is not None:
            return outer
    return a.speaker_of(verb, window_start, q.open)


def _depends(a: Attributor, first, last) -> bool:  # noqa: ANN001 - two verb matches
    """Whether the clause of ``last`` hangs on ``first`` ('X said ... because Y said',
    'X stated that the response expressed'): no "but", no ", and", no ";" between."""
    text = a.masked[first.end() : last.start()]
    between = [w.lower() for w in WORD.findall(text)]
    return "but" not in between and not re.search(r"[;,]\s+and\b|;", text)


def speech_noun(a: Attributor, q: QuoteSpan) -> Attribution | None:
    """No speech verb, but a noun for something said, with whose it is: 'after a call by
    NATO for Russia to “...”', 'NATO's call for Russia to “...”'."""
    window_start = max(a.frame.sentence_start(q.open), q.para[0], q.open - 300)
    nouns = list(a.speech.speech_nouns.finditer(a.masked, window_start, q.open))
    if not nouns or a.frame.verbs_between(nouns[-1].end(), q.open):
        return None
    noun = nouns[-1]
    before = a.refs_between(max(window_start, noun.start() - 40), noun.start())
    if (
        before
        and before[-1].possessive
        and not a.masked[before[-1].end : noun.start()].strip(" '\u2019s")
    ):
        ref = before[-1]
    else:
        after = a.refs_between(noun.end(), q.open)
        words = (
            [w.lower() for w in WORD.findall(a.masked, noun.end(), after[0].start)] if after else []
        )
        if not after or "by" not in words or len(words) > 5:
            return None
        ref = after[0]
    if ref.actor is None:
        return None
    return Attribution(
        ref.actor, a.body[min(noun.start(), ref.start) : max(noun.end(), ref.end)], ref.end
    )


def passive_after(a: Attributor, q: QuoteSpan) -> Attribution | None:
    """'... “volatile and tense” ... This was stated by Russian President Vladimir Putin.'"""
    start = a.frame.sentence_end(max(q.close - 1, q.open))
    match = a.speech.passive.match(a.masked, start)
    if match is None or start >= q.para[1]:
        return None
    end = a.frame.sentence_end(start)
    refs = a.refs_between(match.end(), end)
    if not refs or word_count(a.masked[match.end() : refs[0].start]) > 3:
        return None
    return Attribution(refs[0].actor, a.body[start : refs[0].end], refs[0].end)


def introduced(a: Attributor, q: QuoteSpan) -> Attribution | None:
    """A quoted paragraph announced by the paragraph before: 'Stoltenberg said:'."""
    if a.masked[q.para[0] : max(q.open, q.para[0])].strip():
        return None
    end = q.para[0]
    while end > 0 and a.masked[end - 1].isspace():
        end -= 1
    if end == 0 or a.masked[end - 1] != ":":
        return None
    start = a.frame.sentence_start(end - 1)
    verbs = a.frame.verbs_between(start, end)
    return a.subject_before(verbs[-1], start) if verbs else None


def same_paragraph(a: Attributor, q: QuoteSpan) -> Attribution | None:
    """Another quote of the paragraph has a speaker, and nobody else is named as a
    subject between them: '“...,” Putin said. “..."' (or '“...” “...,” he said.')."""
    if not _open_to_context(a, q):
        return None
    before, after = a.neighbours(q)
    earlier = [m for m in before if m.open in a.found]
    later = [m for m in after if m.open in a.found]
    source = earlier[-1] if earlier else (later[0] if later else None)
    if source is None:
        return None
    base = a.found[source.open]
    between = (
        (max(base.end, source.close), q.open) if source.open < q.open else (q.close, source.open)
    )
    if _someone_else(a, *between, base.speaker):
        return None
    return Attribution(base.speaker, base.cue, base.end, explicit=False)


def sentence_before(a: Attributor, q: QuoteSpan) -> Attribution | None:
    """The sentence before names who speaks: 'Ryabkov was blunt. “We need ...”'; 'Psaki
    said the talks would go on.\\n\\n“We are ready ...”'."""
    if not _open_to_context(a, q):
        return None
    previous = a.frame.previous_sentence(q.open if q.opened else q.start)
    if previous is None:
        return None
    start, end = previous
    speaker = a.sentence_speaker(start, min(end, q.start))
    if speaker is None or not speaker[0].is_person:
        return None  # a body is quoted by its own attribution, not by being named
    return Attribution(speaker[0], speaker[1], end, explicit=False)


def continued(a: Attributor, q: QuoteSpan) -> Attribution | None:
    """A quoted paragraph after one whose last quote has a speaker, nobody else named
    after it: the same speaker goes on."""
    if a.masked[q.para[0] : max(q.open, q.para[0])].strip():
        return None
    last = a.last_quote_before(q.para[0])
    if last is None:
        return None
    base = a.found.get(last.open)
    if base is None or base.speaker is None or a.body[last.para[1] : q.para[0]].strip():
        return None
    if _someone_else(a, max(base.end, last.close), last.para[1], base.speaker):
        return None
    return Attribution(base.speaker, "continuation", base.end, explicit=False)


def _stands_alone(a: Attributor, q: QuoteSpan) -> bool:
    """Whether the quote is a sentence of its own, not a fragment inside narrative."""
    start = max(a.frame.lead_start(q.open), q.para[0])
    for other in reversed(a.quotes_between(a.frame.sentence_start(q.open), q.open, last=1)):
        attribution = a.found.get(other.open)
        if attribution is not None and attribution.explicit:
            start = max(start, min(attribution.end, q.open))
    return not WORD.search(a.masked, start, max(q.open, start))


def _open_to_context(a: Attributor, q: QuoteSpan) -> bool:
    """Whether a fragment's sentence leaves its speaker to the paragraph: nothing in it is
    named as a subject, it has no speech verb, and the fragment is no label ('its
    “open door policy”')."""
    if _stands_alone(a, q):
        return True
    if word_count(a.body[q.start : q.end]) <= MAX_LABEL_WORDS:
        return False
    start = max(a.frame.sentence_start(q.open), q.para[0])
    end = min(a.frame.sentence_end(q.close), q.close + 400)
    if a.frame.verbs_between(max(start, q.open - 400), end):
        return False
    refs = a.refs_between(max(start, q.open - 400), end)
    return not any(r.subject and r.actor is not None for r in refs)


def _someone_else(a: Attributor, start: int, end: int, speaker) -> bool:  # noqa: ANN001
    """Whether another actor is named as a subject between a speaker's quote and the next."""
    return any(r.subject and r.actor not in (None, speaker) for r in a.refs_between(start, end))


EXPLICIT = (tail, final_clause, reported, speech_noun, passive_after, introduced)
CONTEXT = (same_paragraph, continued, sentence_before)
