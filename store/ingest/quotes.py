"""Quote extraction and attribution, following DOMAIN.md ("What counts as a quote").

Conventions of a :class:`QuoteFinding`:

- ``text`` is the words inside the marks with the surrounding whitespace stripped and the
  inner punctuation kept (“We propose ..., ” gives ``We propose ...,``), and
  ``body[start:end] == text``. A quote nested inside another is part of the outer one.
- ``cue`` is the attribution as the text spells it: ``he said``, ``said Putin``,
  ``the Kremlin statement said``, ``Putin, who stressed``, ``according to the Kremlin``,
  ``This was stated by Russian President Vladimir Putin``. A quote that shares the
  attribution of another quote in its paragraph ("X," he said. "Y.") repeats that cue; a
  quoted paragraph that continues the previous paragraph's speaker has the cue
  ``continuation``; a quote nothing attributes has ``None`` and an unknown speaker.
- ``scare`` is true for quoted fragments of one or two words and for quoted labels
  (a phrase nobody is said to say, right after "its", "the"...); those have no speaker.

Attribution works on its own quote-aware sentences, because a quotation may run over
several sentences of the splitter (one quote, one speaker).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from newsbrowse.store.ingest.actors import Actor, ActorIndex, Mention, words_of

_DOUBLE = '\u201c\u201d\u201e\u201f"\u00ab\u00bb'
_SINGLE_OPEN = "\u2018'\u201b\u2019"
_SINGLE_CLOSE = "\u2019'\u2018"
_DOUBLE_MARK = re.compile(f"[{_DOUBLE}]")
_SINGLE_OPEN_MARK = re.compile(f"[{_SINGLE_OPEN}]")
_SINGLE_CLOSE_MARK = re.compile(f"[{_SINGLE_CLOSE}]")
_OPEN_CONTEXT = "([{\u2014\u2013-/"
# What follows an apostrophe that elides or possesses rather than opens: 's, 't, 're, '90s.
_ELISION = re.compile(r"(?:s|t|re|ll|ve|d|m|n|em|\d\d?s?)(?![\w])", re.IGNORECASE)
_TERMINATOR = re.compile(r"[.!?\u2026]")
_WORD = re.compile(r"[\w][\w'\u2019-]*")
_MIN_QUOTE_WORDS = 3
_MAX_PREFIX_WORDS = 6
_MAX_GAP_WORDS = 6
_LOOKBACK = 200  # characters: far more than any one word
_TAIL_WORD = re.compile(r"[\w'\u2019-]+")
# What may follow a sentence's last mark before the next sentence starts.
_CLOSING = _DOUBLE + "\u2019'"
_OPENING = _DOUBLE + _SINGLE_OPEN
_ARTICLES = frozenset({"a", "an", "the"})
_TITLE_JOINERS = frozenset({"of", "the", "for", "and"})


@dataclass(frozen=True)
class QuoteFinding:
    """A quoted span found in the body; ``scare`` spans are marked but not cited."""

    start: int
    end: int
    text: str
    speaker: str | None
    side: str
    cue: str | None
    scare: bool = False


@dataclass
class _Marked:
    """A pair of quotation marks: ``open`` and ``close`` index the marks themselves."""

    open: int
    close: int
    start: int
    end: int
    closed: bool
    para: tuple[int, int]


@dataclass(frozen=True)
class _Ref:
    """A name, role or pronoun outside quotes, resolved to an actor where possible."""

    start: int
    end: int
    actor: Actor | None
    possessive: bool
    subject: bool


@dataclass(frozen=True)
class _Attribution:
    """Who a quote's words belong to; ``explicit`` when the text itself says so."""

    speaker: Actor | None
    cue: str | None
    end: int
    explicit: bool = True


def find_quotes(
    body: str, sentences: list[tuple[int, int]], actors: ActorIndex
) -> list[QuoteFinding]:
    """Every quoted span of ``body``, attributed where the text names a speaker.

    ``sentences`` is the pipeline's split; attribution uses quote-aware sentences of its
    own, since a quotation often spans several of the splitter's sentences.
    """
    marked = _find_marks(body)
    return _Attributor(body, marked, actors).findings()


# --- Marks -------------------------------------------------------------------------------


def _paragraphs(body: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", body) if m.group().strip()]


def _find_marks(body: str) -> list[_Marked]:
    """Pair the marks of each paragraph: doubles by alternation, then singles outside them."""
    found: list[_Marked] = []
    for para in _paragraphs(body):
        doubles = _pair_doubles(body, para)
        singles = _pair_singles(body, para, doubles)
        found.extend(sorted(doubles + singles, key=lambda m: m.open))
    return found


def _span(body: str, open_: int, close: int, closed: bool, para: tuple[int, int]) -> _Marked:
    start, end = open_ + 1, close
    while start < end and body[start].isspace():
        start += 1
    while end > start and body[end - 1].isspace():
        end -= 1
    return _Marked(open_, close, start, end, closed, para)


def _pair_doubles(body: str, para: tuple[int, int]) -> list[_Marked]:
    """Double marks alternate open/close whatever their glyph: scraped text mixes them up
    (“ ... “). « opens and only » closes it; marks nested inside « » belong to the quote.
    An opener left without a closer runs to the end of its paragraph (a multi-paragraph
    quotation)."""
    pairs: list[_Marked] = []
    opener: int | None = None
    for mark in _DOUBLE_MARK.finditer(body, *para):
        i = mark.start()
        ch = body[i]
        if opener is None:
            if ch == "\u00bb" or (ch == "\u201d" and not _left_flanking(body, i, para)):
                continue
            opener = i
        elif ch == "\u00ab" or (body[opener] == "\u00ab" and ch != "\u00bb"):
            continue
        else:
            if body[opener + 1 : i].strip():
                pairs.append(_span(body, opener, i, True, para))
            opener = None
    if opener is not None and body[opener + 1 : para[1]].strip():
        pairs.append(_span(body, opener, para[1], False, para))
    return pairs


def _left_flanking(body: str, i: int, para: tuple[int, int]) -> bool:
    before = body[i - 1] if i > para[0] else " "
    after = body[i + 1] if i + 1 < para[1] else " "
    return (before.isspace() or before in _OPEN_CONTEXT) and not after.isspace()


def _pair_singles(body: str, para: tuple[int, int], doubles: list[_Marked]) -> list[_Marked]:
    """Single marks are also apostrophes (Russia’s, Russia ‘s, ’90s): a single opens only
    before a word and after a space, and is not an elision; it closes after a word and
    before a non-letter."""
    pairs: list[_Marked] = []
    double_opens = {d.open for d in doubles}
    resume = para[0]
    # Only a single mark can open a quote: visit those, skipping the double-quoted spans.
    for mark in _SINGLE_OPEN_MARK.finditer(body, para[0], para[1]):
        i = mark.start()
        if i < resume:
            continue
        inside = next((d for d in doubles if d.open <= i <= d.close), None)
        if inside is not None:
            resume = inside.close + 1
            continue
        if (
            _left_flanking(body, i, para)
            and body[i + 1].isalnum()
            and not _ELISION.match(body, i + 1)
        ):
            close = _single_closer(body, i + 1, para, double_opens)
            if close is not None:
                pairs.append(_span(body, i, close, True, para))
                resume = close + 1
    return pairs


def _single_closer(body: str, i: int, para: tuple[int, int], double_opens: set[int]) -> int | None:
    for mark in _SINGLE_CLOSE_MARK.finditer(body, i, para[1]):
        j = mark.start()
        if any(i <= o <= j for o in double_opens):
            return None
        after = body[j + 1] if j + 1 < para[1] else " "
        if not body[j - 1].isspace() and not after.isalnum():
            return j
    return None


def _last_char(body: str, m: _Marked) -> str:
    """The last character inside a closed quote ("" for an unclosed one)."""
    return body[m.end - 1 : m.end] if m.closed and m.end > m.start else ""


def _word_before(body: str, end: int) -> str:
    """The non-space run that ends at ``end``."""
    # The run after the last space or newline, unless it holds another kind of space
    # (then walk back a character at a time, as this always did).
    start = max(body.rfind(" ", 0, end), body.rfind("\n", 0, end)) + 1
    word = body[start:end]
    if word and word.split(None, 1) == [word]:
        return word
    start = end
    while start > 0 and not body[start - 1].isspace():
        start -= 1
    return body[start:end]


def _blanked(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with every character of the spans (``start``, ``end``) made a space."""
    parts: list[str] = []
    last = 0
    for start, end in sorted(spans):
        start = max(start, last)
        if end <= start:
            continue
        parts += (text[last:start], " " * (end - start))
        last = end
    parts.append(text[last:])
    return "".join(parts)


def _word_count(text: str) -> int:
    return len(_WORD.findall(text))


# --- Attribution -------------------------------------------------------------------------


class _Attributor:
    """Resolves the speaker of each quote from the text around it (DOMAIN.md rules)."""

    def __init__(self, body: str, marked: list[_Marked], actors: ActorIndex) -> None:
        self.body = body
        self.marked = marked
        self.by_para: dict[tuple[int, int], list[_Marked]] = {}
        for m in marked:
            self.by_para.setdefault(m.para, []).append(m)
        self.speech = actors.speech
        # The body with the words inside quotes blanked out: names and verbs said inside
        # a quote never attribute it.
        self.masked = _blanked(body, [(m.open + 1, m.close) for m in marked])
        words = words_of(self.masked)  # one look at the words for verbs, names and roles
        self.verbs = self.speech.verb_finder.finditer(self.masked, words)
        self.verb_starts = [v.start() for v in self.verbs]
        self.boundaries = self._sentence_boundaries()
        self.refs = self._resolve(actors.mentions(self.masked, words))
        self.ref_starts = [r.start for r in self.refs]
        self.attributions: dict[int, _Attribution] = {}
        self.cited_opens: set[int] = set()
        self.cited_para_ends: list[int] = []

    # Sentences --------------------------------------------------------------------------

    def _sentence_boundaries(self) -> list[int]:
        """Starts of sentences, never inside a quote."""
        starts = {p[0] for p in _paragraphs(self.body)}
        ends = [m.end() for m in _TERMINATOR.finditer(self.masked)]
        # A quotation that ends its own sentence: '... guarantees.” Wendy Sherman replied'.
        ends += [m.close for m in self.marked if _TERMINATOR.search(_last_char(self.body, m))]
        for end in ends:
            i = end
            while i < len(self.body) and self.body[i] in _CLOSING:
                i += 1
            rest = self.body[i : i + 3]
            if not rest[:1].isspace() or not rest.strip():
                continue
            nxt = rest.strip()[0]
            if not (nxt.isupper() or nxt.isdigit() or nxt in _OPENING):
                continue
            if _word_before(self.body, end - 1).lstrip(_DOUBLE) in self.speech.abbreviations:
                continue
            starts.add(i + len(rest) - len(rest.lstrip()))
        return sorted(starts)

    def _sentence_start(self, pos: int) -> int:
        i = bisect.bisect_right(self.boundaries, pos)
        return self.boundaries[i - 1] if i else 0

    def _sentence_end(self, pos: int) -> int:
        """The start of the sentence after the one holding ``pos`` (or the paragraph end)."""
        i = bisect.bisect_right(self.boundaries, pos)
        if i < len(self.boundaries):
            return self.boundaries[i]
        para_end = self.body.find("\n", pos)
        return len(self.body) if para_end < 0 else para_end

    # References -------------------------------------------------------------------------

    def _resolve(self, mentions: list[Mention]) -> list[_Ref]:
        """Resolve names, roles and pronouns in reading order.

        A role ("the Russian president") is the actor of that role mentioned most recently
        (or its only holder); "he"/"she" the person named most recently as a speaker or
        subject; "it" (before a speech verb) the body named most recently.
        """
        items: list[tuple[int, int, Mention | str]] = [(m.start, m.end, m) for m in mentions]
        pronoun_re = re.compile(
            r"\b(" + "|".join(map(re.escape, self.speech.pronouns)) + r")\b", re.IGNORECASE
        )
        if self.speech.pronouns:
            for match in pronoun_re.finditer(self.masked):
                kind = self.speech.pronouns[match.group(1).lower()]
                if kind == "body" and not self._verb_at(match.end(), 1):
                    continue
                items.append((match.start(), match.end(), kind))
        items.sort(key=lambda item: item[0])
        history: list[tuple[Actor, bool]] = []
        refs: list[_Ref] = []
        for start, end, item in items:
            possessive = isinstance(item, Mention) and item.possessive
            subject = not possessive and self._is_subject(start, end, refs)
            if isinstance(item, Mention):
                actor = self._resolve_mention(item, history)
            else:
                actor = self._resolve_pronoun(item, history)
            refs.append(_Ref(start, end, actor, possessive, subject))
            if actor is not None:
                history.append((actor, subject))
        return refs

    @staticmethod
    def _resolve_mention(mention: Mention, history: list[tuple[Actor, bool]]) -> Actor | None:
        if not mention.by_role:
            return mention.actors[0]
        for actor, _ in reversed(history):
            if actor in mention.actors:
                return actor
        return mention.actors[0] if len(mention.actors) == 1 else None

    @staticmethod
    def _resolve_pronoun(kind: str, history: list[tuple[Actor, bool]]) -> Actor | None:
        def fits(actor: Actor) -> bool:
            if kind == "body":
                return not actor.is_person
            return actor.is_person and actor.gender in (kind, None)

        # Only a subject or speaker: "talks between Biden and Putin" leaves "he" unresolved.
        return next((a for a, subject in reversed(history) if subject and fits(a)), None)

    def _verb_at(self, pos: int, max_words: int) -> re.Match[str] | None:
        """The speech verb that follows ``pos`` within ``max_words`` words, if any."""
        i = bisect.bisect_left(self.verb_starts, pos)
        if i == len(self.verbs):
            return None
        verb = self.verbs[i]
        gap = self.masked[pos : verb.start()]
        if "\n" in gap or _TERMINATOR.search(gap):
            return None
        return verb if _word_count(gap) < max_words else None

    def _is_subject(self, start: int, end: int, earlier: list[_Ref]) -> bool:
        """A reference is a subject when a speech verb is next to it ("Putin said", "said
        Putin"), or when it opens its sentence's references; never after a preposition or an
        object-taking verb ("told Macron")."""
        sentence_start = self._sentence_start(start)
        # Only the last word matters; a bounded look-back keeps long sentences linear.
        tail = self.masked[max(sentence_start, start - _LOOKBACK) : start]
        words = _TAIL_WORD.findall(tail)
        if words and words[-1].lower() in self.speech.object_markers:
            return False
        if self._verb_at(end, 3) is not None:
            return True
        # An earlier verb's gap holds a later verb's gap: the nearest verb decides.
        k = bisect.bisect_left(self.verb_starts, start) - 1
        while k >= 0 and self.verb_starts[k] >= sentence_start:
            verb = self.verbs[k]
            k -= 1
            if verb.end() > start:
                continue
            gap = _WORD.findall(self.masked[verb.end() : start])
            if all(w.lower() in _ARTICLES for w in gap):
                return True
            break
        for ref in reversed(earlier):
            if ref.start < sentence_start:
                break
            if not ref.possessive:
                return False
        return True

    def _refs_between(self, start: int, end: int) -> list[_Ref]:
        i = bisect.bisect_left(self.ref_starts, start)
        j = bisect.bisect_left(self.ref_starts, end)
        return [r for r in self.refs[i:j] if r.end <= end]

    def _verbs_between(self, start: int, end: int) -> list[re.Match[str]]:
        i = bisect.bisect_left(self.verb_starts, start)
        j = bisect.bisect_left(self.verb_starts, end)
        return [v for v in self.verbs[i:j] if v.end() <= end]

    # Subjects of a speech verb --------------------------------------------------------

    def _subject_before(self, verb: re.Match[str], window_start: int) -> _Attribution | None:
        """ "Putin said", "the Kremlin statement said", "he insisted", "Putin, who stressed"."""
        refs = self._refs_between(window_start, verb.start())
        if not refs:
            prefix = self.masked[window_start : verb.start()]
            start = window_start + len(prefix) - len(prefix.lstrip(" ,\u2014\u2013"))
            cue = self.body[start : verb.end()]
            if self.speech.document_nouns.search(prefix):
                return _Attribution(self._document_author(window_start), cue, verb.end())
            if self.speech.unnamed_nouns.search(prefix):
                return _Attribution(None, cue, verb.end())
            return None
        ref = refs[-1]
        gap = self.masked[ref.end : verb.start()]
        gap_words = [w for w in _WORD.findall(gap) if w.lower() not in self.speech.relatives]
        if len(gap_words) > _MAX_GAP_WORDS or "\n" in gap:
            return None
        cue = self.body[ref.start : verb.end()]
        actor = self._as_subject(ref, window_start)
        nouns = (self.speech.document_nouns, self.speech.spokes_nouns, self.speech.unnamed_nouns)
        if ref.possessive and not any(n.search(gap) for n in nouns):
            return None  # "Moscow's demands": the verb is a noun
        if actor is not None and self.speech.document_nouns.search(gap):
            return _Attribution(actor, cue, verb.end())
        if actor is not None and self.speech.spokes_nouns.search(gap):
            return _Attribution(None if actor.is_person else actor, cue, verb.end())
        if self.speech.unnamed_nouns.search(gap):
            return _Attribution(None, cue, verb.end())
        return _Attribution(actor, cue, verb.end())

    def _as_subject(self, ref: _Ref, window_start: int) -> Actor | None:
        """The actor a name stands for as a speaker: none when the name is the object of a
        preposition ("a source close to Putin"), except for a body's spokesperson ("a
        spokesman for the Kremlin")."""
        words = _WORD.findall(self.masked[window_start : ref.start])
        if not words or words[-1].lower() not in self.speech.object_markers:
            return ref.actor
        spokes = len(words) > 1 and self.speech.spokes_nouns.fullmatch(words[-2])
        return ref.actor if spokes and ref.actor and not ref.actor.is_person else None

    def _subject_after(self, verb: re.Match[str], limit: int) -> _Attribution:
        """ "said Putin", "according to the Kremlin", "said a White House spokesman. Jen Psaki."."""
        refs = self._refs_between(verb.end(), limit)
        if not refs or _word_count(self.masked[verb.end() : refs[0].start]) > _MAX_GAP_WORDS:
            end = self._sentence_end(verb.start())
            return _Attribution(None, self.body[verb.start() : end].strip(), verb.end())
        ref = refs[0]
        actor, end = self._as_subject(ref, verb.end()), ref.end
        if actor is not None and not actor.is_person:
            # "said a White House spokesman. Jen Psaki", "said US Deputy Secretary of State
            # Wendy Sherman": the body or country is the person's title.
            follow = next((r for r in refs[1:] if r.actor is not None), None)
            if (
                follow is not None
                and follow.actor.is_person
                and self._is_title(self.masked[ref.end : follow.start])
            ):
                actor, end = follow.actor, follow.end
            elif spokes := self.speech.spokes_nouns.match(self.masked, ref.end + 1):
                end = spokes.end()
        return _Attribution(actor, self.body[verb.start() : end], end)

    def _is_title(self, text: str) -> bool:
        """Words between a body and a person that make a title: "Deputy Secretary of State",
        "spokesman.", "press secretary,"."""
        rest = self.speech.spokes_nouns.sub(" ", text)
        if not re.fullmatch(r"[\w\s,.:;\u2013\u2014-]*", rest):
            return False
        words = _WORD.findall(rest)
        return len(words) <= _MAX_GAP_WORDS and all(
            w[0].isupper() or w in _TITLE_JOINERS for w in words
        )

    def _document_author(self, before: int) -> Actor | None:
        """Whose is "the statement": the actor named with the latest document noun before."""
        starts = self.boundaries[
            : bisect.bisect_left(self.boundaries, self._sentence_start(before))
        ]
        for start in reversed(starts):
            end = self._sentence_end(start)
            noun = self.speech.document_nouns.search(self.masked, start, end)
            if noun is None:
                continue
            refs = [r for r in self._refs_between(start, end) if r.actor is not None]
            near = [
                r
                for r in refs
                if abs(r.end - noun.start()) <= 3 or r.start - noun.end() in range(0, 10)
            ]
            chosen = near or [r for r in refs if r.subject] or refs
            return chosen[0].actor if chosen else None
        return None

    # Quotes ---------------------------------------------------------------------------

    def _tail(self, q: _Marked, limit: int) -> _Attribution | None:
        """Attribution right after the closing mark: '," he said' or '," said Putin'."""
        if not q.closed:
            return None
        start = q.close + 1
        after = self.body[start:limit].lstrip()
        if _TERMINATOR.search(self.body[q.end - 1 : q.end]) and after[:1].isupper():
            return None  # '... guarantees.” Wendy Sherman replied': a new sentence
        first_end = _TERMINATOR.search(self.masked, start, limit)
        region_end = first_end.end() if first_end else limit
        verbs = self._verbs_between(start, region_end)
        if not verbs:
            return None
        verb = verbs[0]
        prefix = self.masked[start : verb.start()]
        if _word_count(prefix) > _MAX_PREFIX_WORDS or _TERMINATOR.search(prefix):
            return None
        first = _WORD.search(prefix)
        if first and first.group().lower() in self.speech.clause_openers:
            return None  # '“...” and Lavrov added': a new clause, not this quote's attribution
        if not _WORD.search(prefix) or self.speech.speaker_follows.fullmatch(verb.group()):
            return self._subject_after(verb, limit)
        return self._subject_before(verb, start)

    def _before(self, q: _Marked) -> _Attribution | None:
        """Reported speech leading to a partial quote: 'Putin said his country was “...”'."""
        window_start = max(self._sentence_start(q.open), q.para[0])
        verbs = self._verbs_between(window_start, q.open)
        if not verbs:
            return None
        verb = verbs[-1]
        if self.speech.commitment_nouns.search(self.masked, verb.end(), q.open):
            return _Attribution(None, None, verb.end())
        if self.speech.speaker_follows.fullmatch(verb.group()):
            return self._subject_after(verb, q.open)
        return self._subject_before(verb, window_start)

    def _passive_after(self, q: _Marked) -> _Attribution | None:
        """'... “volatile and tense” ... This was stated by Russian President Vladimir Putin.'"""
        start = self._sentence_end(max(q.close - 1, q.open))
        match = self.speech.passive.match(self.masked, start)
        if match is None or start >= q.para[1]:
            return None
        end = self._sentence_end(start)
        refs = self._refs_between(match.end(), end)
        if not refs or _word_count(self.masked[match.end() : refs[0].start]) > 3:
            return None
        return _Attribution(refs[0].actor, self.body[start : refs[0].end], refs[0].end)

    def _introduced(self, q: _Marked) -> _Attribution | None:
        """A quoted paragraph announced by the paragraph before: 'Stoltenberg said:'."""
        if self.masked[q.para[0] : q.open].strip():
            return None
        end = q.para[0]  # the end of the text before the paragraph, spaces stripped
        while end > 0 and self.masked[end - 1].isspace():
            end -= 1
        if end == 0 or self.masked[end - 1] != ":":
            return None
        start = self._sentence_start(end - 1)
        verbs = self._verbs_between(start, end)
        return self._subject_before(verbs[-1], start) if verbs else None

    def _standalone(self, q: _Marked) -> bool:
        """A quote that is a sentence of its own, not a fragment inside reported speech."""
        start = max(self._sentence_start(q.open), q.para[0])
        lead = self.masked[start : q.open]
        for other in self.by_para[q.para]:
            if start <= other.open < q.open:
                attribution = self.attributions.get(other.open)
                if attribution is not None and attribution.explicit:
                    lead = self.masked[max(attribution.end, other.close + 1) : q.open]
        return not _WORD.search(lead)

    def findings(self) -> list[QuoteFinding]:
        cited = [m for m in self.marked if _word_count(self.body[m.start : m.end]) >= 3]
        # For _inherit, without a pass over every quote per quote (long texts stay linear).
        self.cited_opens = {m.open for m in cited}
        self.cited_para_ends = [m.para[1] for m in cited]
        for q in cited:
            following = [m.open for m in self.by_para[q.para] if m.open > q.close]
            limit = min(following, default=q.para[1])
            attribution = (
                self._tail(q, limit)
                or self._before(q)
                or self._passive_after(q)
                or self._introduced(q)
            )
            if attribution is not None:
                self.attributions[q.open] = attribution
        for q in cited:
            if q.open not in self.attributions and self._standalone(q):
                inherited = self._inherit(q, cited)
                if inherited is not None:
                    self.attributions[q.open] = inherited
        return [self._finding(m) for m in self.marked]

    def _inherit(self, q: _Marked, cited: list[_Marked]) -> _Attribution | None:
        """Share a quote's attribution with the other quotes of its paragraph, or continue
        the speaker of the previous paragraph's last quote."""
        same = [
            m
            for m in self.by_para[q.para]
            if m.open in self.cited_opens and m.open in self.attributions
        ]
        earlier = [m for m in same if m.open < q.open]
        later = [m for m in same if m.open > q.open]
        source = earlier[-1] if earlier else (later[0] if later else None)
        if source is not None:
            base = self.attributions[source.open]
            between = (base.end, q.open) if source.open < q.open else (q.close, source.open)
            if self._someone_else(*between, base.speaker):
                return None
            return _Attribution(base.speaker, base.cue, base.end, explicit=False)
        if self.masked[q.para[0] : q.open].strip():
            return None
        # Quotes come in body order: those of earlier paragraphs are a prefix of ``cited``.
        previous = cited[: bisect.bisect_left(self.cited_para_ends, q.para[0])]
        if not previous:
            return None
        last = previous[-1]
        gap = self.body[last.para[1] : q.para[0]]
        base = self.attributions.get(last.open)
        if gap.strip() or base is None or base.speaker is None:
            return None
        if self._someone_else(max(base.end, last.close), last.para[1], base.speaker):
            return None
        return _Attribution(base.speaker, "continuation", base.end, explicit=False)

    def _someone_else(self, start: int, end: int, speaker: Actor | None) -> bool:
        """Whether another actor is named between a speaker's quote and the next one."""
        return any(r.actor not in (None, speaker) for r in self._refs_between(start, end))

    def _finding(self, m: _Marked) -> QuoteFinding:
        text = self.body[m.start : m.end]
        attribution = self.attributions.get(m.open)
        scare = _word_count(text) < _MIN_QUOTE_WORDS or (attribution is None and self._is_label(m))
        speaker = None if scare or attribution is None else attribution.speaker
        return QuoteFinding(
            start=m.start,
            end=m.end,
            text=text,
            speaker=speaker.name if speaker else None,
            side=speaker.side if speaker else "unknown",
            cue=None if scare or attribution is None else attribution.cue,
            scare=scare,
        )

    def _is_label(self, m: _Marked) -> bool:
        """A phrase nobody says, right after "its", "the"...: 'amend its ‘open door policy’'."""
        if self._standalone(m):
            return False
        words = re.findall(r"[\w'\u2019-]+", self.masked[m.para[0] : m.open])
        return bool(words) and words[-1].lower() in self.speech.label_determiners
