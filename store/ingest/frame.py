"""An article as attribution reads it: its words outside quotes, its sentences, its verbs.

Names and verbs said inside a quote never attribute it, so attribution reads ``masked``:
the body with every quoted word blanked out (offsets unchanged). Its sentences never
end inside a quote, since a quotation may run over several sentences of the splitter.
"""

from __future__ import annotations

import bisect
import re

from newsbrowse.store.ingest.phrases import words_of
from newsbrowse.store.ingest.quotes import DOUBLE, QuoteSpan, paragraphs
from newsbrowse.store.ingest.speech import SpeechRules

TERMINATOR = re.compile(r"[.!?\u2026]")
WORD = re.compile(r"[\w][\w'\u2019-]*")
_LONGEST_WORD = 64
_INITIAL = re.compile(r"[A-Z]")
_GLUED = re.compile(r"[.!?](?=[A-Z][a-z])")
_CLOSING = DOUBLE + "\u2019'"
_OPENING = DOUBLE + "\u2018'\u201b\u2019"
_STARTERS = _OPENING + "0123456789"
# A full stop, the marks that close with it, and one or two spaces before a word.
_BOUNDARY = re.compile(rf"[.!?\u2026][{_CLOSING}]*[^\S\n]{{1,2}}(?=[^\s])")
_AFTER_CLOSE = re.compile(rf"[{_CLOSING}]*[^\S\n]{{1,2}}(?=[^\s])")


class Frame:
    """The masked body, its quote-aware sentence starts and its speech verbs."""

    def __init__(
        self,
        body: str,
        spans: list[QuoteSpan],
        speech: SpeechRules,
        paras: list[tuple[int, int]] | None = None,
    ) -> None:
        self.body = body
        self.spans = sorted(spans, key=lambda s: s.open)
        self.span_opens = [s.open for s in self.spans]
        self.speech = speech
        self.masked = blanked(body, [(s.open + 1, s.close) for s in spans])
        self.words = words_of(self.masked)
        self.verbs = [
            v
            for v in speech.verb_finder.finditer(self.masked, self.words)
            if v.group()[:1].islower() or _opens_sentence(self.masked, v.start())
        ]
        self.verb_starts = [v.start() for v in self.verbs]
        self.paragraphs = paras if paras is not None else paragraphs(body)
        self.para_starts = [p[0] for p in self.paragraphs]
        self.boundaries = self._sentence_boundaries()

    def _sentence_boundaries(self) -> list[int]:
        """Starts of sentences, never inside a quote: after a full stop (and the marks
        that close with it), a space or two and a capital, a digit or an opening mark;
        not after an abbreviation or an initial ("U.S. officials", "John J. Sullivan")."""
        masked, body = self.masked, self.body
        starts = set(self.para_starts)
        candidates = [(m.start() + 1, m.end()) for m in _BOUNDARY.finditer(masked)]
        # A quotation that ends its own sentence: '... guarantees.” Wendy Sherman replied'.
        for s in self.spans:
            if s.closed and TERMINATOR.match(body, s.end - 1):
                after = _AFTER_CLOSE.match(masked, s.close)
                if after is not None:
                    candidates.append((s.close, after.end()))
        for end, start in candidates:
            if start >= len(body) or not (body[start].isupper() or body[start] in _STARTERS):
                continue
            before = word_before(body, end - 1).lstrip(DOUBLE)
            if before in self.speech.abbreviations or _INITIAL.fullmatch(before):
                continue
            starts.add(start)
        # A scraper's lost space: 'he added.Sullivan's comments'.
        starts.update(
            m.end() for m in _GLUED.finditer(masked, 1) if masked[m.start() - 1].islower()
        )
        return sorted(starts)

    def sentence_start(self, pos: int) -> int:
        i = bisect.bisect_right(self.boundaries, pos)
        return self.boundaries[i - 1] if i else 0

    def lead_start(self, pos: int) -> int:
        """Where the words leading to the quote that opens at ``pos`` begin: its
        sentence's start, or just after the quote before it in that sentence."""
        start = self.sentence_start(pos)
        i = bisect.bisect_left(self.span_opens, pos) - 1
        if i >= 0 and self.spans[i].close + 1 > start:
            start = min(pos, self.spans[i].close + 1)
        return start

    def sentence_end(self, pos: int) -> int:
        """The start of the sentence after the one holding ``pos`` (or the paragraph end)."""
        i = bisect.bisect_right(self.boundaries, pos)
        para_end = self.paragraph(pos)[1]
        if i < len(self.boundaries) and self.boundaries[i] <= para_end:
            return self.boundaries[i]
        return para_end

    def paragraph(self, pos: int) -> tuple[int, int]:
        """The paragraph holding (or last started before) ``pos``."""
        i = bisect.bisect_right(self.para_starts, pos) - 1
        return self.paragraphs[i] if i >= 0 else (0, 0)

    def previous_sentence(self, pos: int) -> tuple[int, int] | None:
        """The sentence before the one holding ``pos`` (None at the body's start)."""
        start = self.sentence_start(pos)
        i = bisect.bisect_left(self.boundaries, start)
        if i == 0:
            return None
        before = self.boundaries[i - 1]
        return before, start

    def verbs_between(self, start: int, end: int) -> list[re.Match[str]]:
        i = bisect.bisect_left(self.verb_starts, start)
        j = bisect.bisect_left(self.verb_starts, end)
        return [v for v in self.verbs[i:j] if v.end() <= end]

    def verb_at(self, pos: int, max_words: int) -> re.Match[str] | None:
        """The speech verb that follows ``pos`` within ``max_words`` words, if any."""
        i = bisect.bisect_left(self.verb_starts, pos)
        if i == len(self.verbs):
            return None
        verb = self.verbs[i]
        gap = self.masked[pos : verb.start()]
        if "\n" in gap or TERMINATOR.search(gap):
            return None
        return verb if word_count(gap) < max_words else None

    def words_in(self, start: int, end: int) -> list[str]:
        return WORD.findall(self.masked, start, end)


def _opens_sentence(masked: str, pos: int) -> bool:
    """Whether ``pos`` starts a sentence or a line (a capitalised "States" in "United
    States" is no speech verb; "Says" at a line's start may be)."""
    before = masked[max(0, pos - 3) : pos].rstrip(" ")
    return not before or before[-1] in ".!?\n:" + _CLOSING + "\u2014\u2013-"


def word_count(text: str) -> int:
    return len(WORD.findall(text))


def word_before(body: str, end: int) -> str:
    """The non-space run that ends at ``end``."""
    # The run after the last space or newline, unless it holds another kind of space
    # (then walk back a character at a time).
    lo = max(0, end - _LONGEST_WORD)  # a longer run is no abbreviation: a bounded look
    start = max(body.rfind(" ", lo, end), body.rfind("\n", lo, end)) + 1
    word = body[max(start, lo) : end]
    if word and word.split(None, 1) == [word]:
        return word
    start = end
    while start > lo and not body[start - 1].isspace():
        start -= 1
    return body[start:end]


def blanked(text: str, spans: list[tuple[int, int]]) -> str:
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
