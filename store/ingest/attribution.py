"""Who said each quote: a sieve of small deciders, the most precise first.

Each sieve looks at one kind of evidence and either decides (a speaker, or "nobody the
text names") or leaves the quote to the next; what no sieve decides stays unknown, for a
wrong name is worse than none (Muzny et al., "A Two-stage Sieve Approach for Quote
Attribution", EACL 2017). A sieve finds the attribution's words (a speech verb and its
subject); :mod:`mentions` has already resolved what each name, title and pronoun means.

The sieves, in order (``EXPLICIT`` then ``CONTEXT``):

1. ``tail``: right after the closing mark: '," he said', '," said Putin', '" the
   document says'.
2. ``final_clause``: the sentence ends with its reporting clause: '... "will react
   decisively" if Russia invades, Psaki said after the call.'
3. ``reported``: a speech verb before the quote in its sentence: 'Putin said the West was
   "..."', 'X told reporters: "..."', '..., adding: "..."' (the subject of the main
   clause), 'according to X, "..."'.
4. ``speech_noun``: no verb, but 'a call by NATO for Russia to "..."'.
5. ``passive_after``: 'This was stated by X.' after the quote's sentence.
6. ``introduced``: a quoted paragraph after one that ends 'X said:'.
7. ``same_paragraph``: another quote of its paragraph has a speaker and nobody else is
   named between them.
8. ``continued``: a quoted paragraph after one whose last quote has a speaker.
9. ``sentence_before``: the sentence before names the speaker, a person ('Ryabkov was
   blunt. "We need ..."'; a paragraph of reported speech by one person).

The sieves themselves are in :mod:`sieves`; this module holds what they share: the
subject of a speech verb, whose a document is, who speaks in a sentence.
"""

from __future__ import annotations

import bisect
import itertools
import re

from newsbrowse.store.ingest.actors import Actor
from newsbrowse.store.ingest.frame import TERMINATOR, WORD, Frame
from newsbrowse.store.ingest.mentions import Ref
from newsbrowse.store.ingest.quotes import (
    QuoteSpan,
)
from newsbrowse.store.ingest.sieves import Attribution, Sieve

_MAX_GAP_WORDS = 6
_MAX_INSERTION_WORDS = 25
_NEARBY = 20  # quotes looked at around one: attribution never needs more
_DOCUMENT_REACH = 2000  # characters before a paragraph where "the statement" may be named
_DOCUMENT_SENTENCES = 3  # sentences back where a statement's issuer may be named
_WINDOW = 400  # characters before a verb where its subject may stand
_TITLE_JOINERS = frozenset({"of", "the", "for", "and"})
_COORDINATORS = frozenset({"and", "but", "then", "or"})
_NOT_BEFORE_SPEAKER = frozenset({"that", "if", "to", "when", "as", "because", "whether"})
_BE = frozenset({"is", "was", "were", "are", "be", "been", "being"})
_CLAUSE_VERBS = _BE | {"has", "have", "had", "will", "would", "can", "could", "may", "might"}


def _participle(verb: str) -> bool:
    """ "adding", "saying": a verb whose subject is the main clause's."""
    return verb.split()[0].lower().endswith("ing")


class Attributor:
    """Attributes the quotes of one article (see the module's docstring)."""

    def __init__(self, frame: Frame, refs: list[Ref], quotes: list[QuoteSpan]) -> None:
        self.frame = frame
        self.quotes = quotes  # in body order, never overlapping
        self.opens = [q.open for q in quotes]
        self.para_ends = [q.para[1] for q in quotes]
        self.by_para: dict[tuple[int, int], list[QuoteSpan]] = {}
        for q in quotes:
            self.by_para.setdefault(q.para, []).append(q)
        self.body = frame.body
        self.masked = frame.masked
        self.speech = frame.speech
        self.refs = refs
        self.ref_starts = [r.start for r in refs]
        self.found: dict[int, Attribution] = {}
        self.final_clauses: dict[int, Attribution | None] = {}

    def attribute(
        self, explicit: tuple[Sieve, ...], context: tuple[Sieve, ...]
    ) -> dict[int, Attribution]:
        """The attribution of each quote that has one, keyed by its opening mark: the
        ``explicit`` sieves over every quote first, then the ``context`` ones over the
        quotes left."""
        for sieves in (explicit, context):
            for q in self.quotes:
                if q.open in self.found:
                    continue
                for sieve in sieves:
                    attribution = sieve(self, q)
                    if attribution is not None:
                        self.found[q.open] = attribution
                        break
        return self.found

    def quotes_between(self, start: int, end: int, last: int = _NEARBY) -> list[QuoteSpan]:
        """The quotes whose opening mark lies in ``start``-``end``, the ``last`` of them at
        most (the nearest are what attribution looks at: long texts stay linear)."""
        i = bisect.bisect_left(self.opens, start)
        j = bisect.bisect_left(self.opens, end)
        return self.quotes[max(i, j - last) : j]

    def neighbours(self, q: QuoteSpan) -> tuple[list[QuoteSpan], list[QuoteSpan]]:
        """The nearest quotes of ``q``'s paragraph before and after it."""
        i = bisect.bisect_left(self.opens, q.open)
        before = [m for m in self.quotes[max(0, i - _NEARBY) : i] if m.para == q.para]
        after = [m for m in self.quotes[i + 1 : i + 1 + _NEARBY] if m.para == q.para]
        return before, after

    def last_quote_before(self, para_start: int) -> QuoteSpan | None:
        """The last quote of the paragraphs before ``para_start``."""
        i = bisect.bisect_left(self.para_ends, para_start)
        return self.quotes[i - 1] if i else None

    def refs_between(self, start: int, end: int) -> list[Ref]:
        i = bisect.bisect_left(self.ref_starts, start)
        j = bisect.bisect_left(self.ref_starts, end)
        return [r for r in self.refs[i:j] if r.end <= end]

    def _object_marked(self, ref: Ref, window_start: int) -> bool:
        """After a preposition or an object-taking verb, except a body's spokesperson's
        ("a spokesman for the Kremlin": the Kremlin speaks)."""
        if not ref.object:
            return False
        words = WORD.findall(self.masked, max(window_start, ref.start - 40), ref.start)
        words = [w for w in words if w.lower() not in ("the", "a", "an")]
        spokes = (
            len(words) > 1
            and words[-1].lower() in ("for", "of")
            and self.speech.spokes_nouns.fullmatch(words[-2]) is not None
        )
        return not (spokes and ref.actor is not None and not ref.actor.is_person)

    # --- The subject of a speech verb ----------------------------------------------------

    def subject_before(self, verb: re.Match[str], window_start: int) -> Attribution | None:
        """ "Putin said", "Putin, in Moscow on Friday, said", "the Kremlin statement said",
        "he insisted"; a verb with no subject of its own ("..., adding") takes the main
        clause's."""
        window_start = max(window_start, verb.start() - _WINDOW)
        before = WORD.findall(self.masked, max(window_start, verb.start() - 40), verb.start())
        last = before[-1].lower() if before else ""
        if last in _BE:
            return None  # "Moscow is urged to ...": a passive names no speaker before it
        if _participle(verb.group()) or last in _COORDINATORS or last == "to":
            return self._subjectless(verb, verb.start())  # "adding", "but added", "to call"
        refs = [
            r
            for r in self.refs_between(window_start, verb.start())
            if not self._object_marked(r, window_start)
        ]
        ref = self._clause_subject(refs, verb)
        if ref is None:
            return self._subjectless(verb, window_start)
        gap = self.masked[ref.end : verb.start()]
        cue = self.body[ref.start : verb.end()]
        nouns = (self.speech.document_nouns, self.speech.spokes_nouns, self.speech.unnamed_nouns)
        if ref.possessive and not any(n.search(gap) for n in nouns):
            return None  # "Moscow's demands": the verb is a noun
        actor = ref.actor
        if "," in gap:
            gap = ""  # "Igor Petrenko, an adviser to Putin, said": the nouns describe him
        if ref.form == "document" and actor is None:
            actor = self.document_author(ref.start)
        elif actor is not None and self.speech.document_nouns.search(gap):
            pass  # "the Kremlin statement said": the body's statement
        elif actor is not None and self.speech.spokes_nouns.search(gap):
            actor = None if actor.is_person else actor  # "a White House spokesman said"
        elif self.speech.unnamed_nouns.search(gap):
            actor = None  # "Putin's aides said"
        return Attribution(actor, cue, verb.end())

    def participle(self, verb: re.Match[str]) -> bool:
        """ "adding", "saying" (not "according to"): a verb of the main clause's subject."""
        return _participle(verb.group()) and not self.speech.speaker_follows.fullmatch(verb.group())

    def explicit_subject(self, verb: re.Match[str], window_start: int) -> Attribution | None:
        """The subject of a finite ``verb`` when the text names one before it ("X said"),
        else None: no participle ("Asked about ..."), no subject borrowed from the main
        clause."""
        if _participle(verb.group()) or self.speech.speaker_follows.fullmatch(verb.group()):
            return None
        window_start = max(window_start, verb.start() - _WINDOW)
        before = WORD.findall(self.masked, max(window_start, verb.start() - 40), verb.start())
        if not before or before[-1].lower() in _BE | _COORDINATORS | {"to"}:
            return None
        if verb.group()[:1].isupper():
            return None  # "Asked about the drafts, the president said ..."
        attribution = self.subject_before(verb, window_start)
        return attribution if attribution is not None and attribution.speaker is not None else None

    def _clause_subject(self, refs: list[Ref], verb: re.Match[str]) -> Ref | None:
        """The subject among ``refs`` (before ``verb``, in its clause): the nearest one with
        only adjuncts between ("Putin on Friday said", "Putin, who said"); past a
        description set off by commas, the one it describes ("Putin, in agreement with
        Macron, who ..., said"; "Sam Greene, of King's College, said")."""
        if not refs:
            return None
        nearest = refs[-1]
        gap = self.masked[nearest.end : verb.start()]
        if "\n" in gap:
            return None
        words = [w for w in WORD.findall(gap) if w.lower() not in self.speech.relatives]
        if any(w.lower() in _CLAUSE_VERBS for w in words[:-2]):
            return None  # "Moscow was aware of the report but added": another clause's
        if "," not in gap or (not words and len(WORD.findall(gap)) == 1):
            return nearest if len(words) <= _MAX_GAP_WORDS else None
        if gap.strip() == ",":
            first = next((r for r in refs if r.subject), refs[0])
            if first is not nearest and self.masked[first.end :].startswith((",", " ,")):
                return first
            return nearest
        inserted = gap.strip()
        if (
            inserted.startswith(",")
            and inserted.endswith(",")
            and len(words) <= _MAX_INSERTION_WORDS
            and not TERMINATOR.search(inserted)
        ):
            return nearest
        return None

    def _subjectless(self, verb: re.Match[str], window_start: int) -> Attribution | None:
        prefix = self.masked[window_start : verb.start()]
        start = window_start + len(prefix) - len(prefix.lstrip(" ,\u2014\u2013-"))
        cue = self.body[start : verb.end()]
        documents = [
            r
            for r in self.refs_between(window_start, verb.start())
            if r.form == "document" and r.actor is not None
        ]
        if documents:  # "the text of the draft agreement states"
            cue = self.body[documents[-1].start : verb.end()]
            return Attribution(documents[-1].actor, cue, verb.end())
        noun = self.speech.document_nouns.search(prefix)
        if noun is not None:
            cue = self.body[window_start + noun.start() : verb.end()]
            return Attribution(self.document_author(verb.start()), cue, verb.end())
        if self.speech.unnamed_nouns.search(prefix):
            return Attribution(None, cue, verb.end())
        words = [w.lower() for w in WORD.findall(prefix)]
        elided = _participle(verb.group()) or bool(words and words[-1] in _COORDINATORS | {"to"})
        if elided or not words:
            sentence = self.frame.sentence_start(verb.start())
            main = self.sentence_speaker(sentence, verb.start())
            previous = self.frame.previous_sentence(verb.start())
            if main is None and previous is not None and not words:
                main = self.sentence_speaker(*previous)  # '“...?” – added.'
            if main is not None:
                return Attribution(main[0], cue, verb.end())
        return None

    def subject_after(self, verb: re.Match[str], limit: int) -> Attribution | None:
        """ "said Putin", "according to the Kremlin", "said a White House spokesman. Jen
        Psaki.", "concluded the U.S. ambassador to Russia"."""
        refs = self.refs_between(verb.end(), limit)
        gap = WORD.findall(self.masked, verb.end(), refs[0].start) if refs else []
        # The words before a title ("said US Ambassador to Russia X" has no "to" before it).
        lead = [w.lower() for w in itertools.takewhile(lambda w: not w[0].isupper(), gap)]
        if self.participle(verb) or any(w in _NOT_BEFORE_SPEAKER for w in lead):
            refs = []  # "adding that if Russia ...": Russia is no speaker
        if not refs or len(gap) > _MAX_GAP_WORDS:
            end = self.frame.sentence_end(verb.start())
            if not WORD.search(self.masked, verb.end(), end):
                return None
            # "according to a source in the delegation": an attribution naming nobody
            return Attribution(None, self.body[verb.start() : end].strip(), verb.end())
        ref = refs[0]
        actor, end = ref.actor, ref.end
        if ref.form == "document" and actor is None:
            actor = self.document_author(ref.start)
        if actor is not None and not actor.is_person:
            # "said a White House spokesman. Jen Psaki", "said US Deputy Secretary of State
            # Wendy Sherman": the body or country is the person's title.
            follow = next((r for r in refs[1:] if r.actor is not None), None)
            if (
                follow is not None
                and follow.actor is not None
                and follow.actor.is_person
                and self._is_title(self.masked[ref.end : follow.start])
            ):
                actor, end = follow.actor, follow.end
            elif spokes := self.speech.spokes_nouns.match(self.masked, ref.end + 1):
                end = spokes.end()
        return Attribution(actor, self.body[verb.start() : end], end)

    def _is_title(self, text: str) -> bool:
        """Words between a body and a person that make a title: "Deputy Secretary of State",
        "spokesman.", "press secretary,"."""
        rest = self.speech.spokes_nouns.sub(" ", text)
        if not re.fullmatch(r"[\w\s,.:;\u2013\u2014-]*", rest):
            return False
        words = WORD.findall(rest)
        return len(words) <= _MAX_GAP_WORDS and all(
            w[0].isupper() or w in _TITLE_JOINERS for w in words
        )

    def speaker_of(self, verb: re.Match[str], window_start: int, limit: int) -> Attribution | None:
        """The subject of ``verb``, wherever the verb's kind puts it: after "according to"
        and after a verb nothing precedes ('," said Putin'), else before it."""
        if self.speech.speaker_follows.fullmatch(verb.group()):
            return self.subject_after(verb, limit)
        if not WORD.search(self.masked, window_start, verb.start()) and not _participle(
            verb.group()
        ):
            after = self.subject_after(verb, limit)
            if after is not None:
                return after
        return self.subject_before(verb, window_start)

    # --- Whose is a document; who speaks in a sentence ------------------------------------

    def document_author(self, before: int) -> Actor | None:
        """Whose is "the statement": the document named most recently; else the actor
        named with a document noun in the last sentences ("the Kremlin statement", "In a
        statement, Putin ..."); else the body last named as a subject or speaker."""
        floor = max(0, self.frame.paragraph(before)[0] - _DOCUMENT_REACH)
        refs = self.refs_between(floor, before)
        for ref in reversed(refs):
            if ref.form == "document" and ref.actor is not None:
                return ref.actor
        frame = self.frame
        starts = frame.boundaries[
            : bisect.bisect_left(frame.boundaries, frame.sentence_start(before))
        ]
        for start in reversed(starts[-_DOCUMENT_SENTENCES:]):
            end = frame.sentence_end(start)
            noun = self.speech.document_nouns.search(self.masked, start, end)
            if noun is None:
                continue
            named = [r for r in self.refs_between(start, end) if r.actor is not None]
            near = [
                r
                for r in named
                if abs(r.end - noun.start()) <= 3 or r.start - noun.end() in range(0, 10)
            ]
            chosen = near or [r for r in named if r.subject]
            if chosen and chosen[0].actor is not None:
                return chosen[0].actor
        for ref in reversed(refs):
            if ref.subject and ref.actor is not None and ref.actor.kind == "body":
                return ref.actor
        return None

    def sentence_speaker(self, start: int, end: int) -> tuple[Actor, str] | None:
        """Who speaks in the text ``start``-``end`` (a sentence or its beginning): the
        speaker of a quote in it, else the subject of its first speech verb, else its first
        subject that is a person or body."""
        for q in reversed(self.quotes_between(start, end)):
            attribution = self.found.get(q.open)
            if attribution is not None and attribution.speaker is not None:
                return attribution.speaker, attribution.cue or ""
        for verb in self.frame.verbs_between(start, end)[:_NEARBY]:
            if self.speech.speaker_follows.fullmatch(verb.group()):
                continue
            lo = max(start, verb.start() - _WINDOW)
            refs = [
                r for r in self.refs_between(lo, verb.start()) if not self._object_marked(r, lo)
            ]
            ref = self._clause_subject(refs, verb)
            if ref is not None and ref.actor is not None and not ref.possessive:
                return ref.actor, self.body[ref.start : ref.end]
        for ref in self.refs_between(start, min(end, start + _WINDOW)):
            if ref.subject and ref.actor is not None and ref.actor.kind != "place-actor":
                return ref.actor, self.body[ref.start : ref.end]
        return None
