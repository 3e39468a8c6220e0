"""Quotes, following DOMAIN.md ("What counts as a quote"): where the marks are, and which
quoted spans are quotes rather than scare quotes. Who said each is :mod:`attribution`'s.

Conventions of a :class:`QuoteFinding`:

- ``text`` is the words inside the marks with the surrounding whitespace stripped and the
  inner punctuation kept (“We propose ..., ” gives ``We propose ...,``), and
  ``body[start:end] == text``. A quote nested inside another is part of the outer one.
- ``cue`` is the attribution as the text spells it (``he said``, ``said Putin``, ``the
  Kremlin statement said``); a quote that takes its speaker from the text around it
  rather than an attribution of its own has the cue ``continuation`` (the previous
  quote's speaker) or the name as the sentence before gives it; a quote nothing
  attributes has ``None`` and an unknown speaker.
- ``scare`` is true for quoted fragments of one or two words and for quoted labels of
  up to four words (a phrase nobody is said to say, right after "its", "the"...); those
  have no speaker.

Scraped text mismatches its marks. Double marks alternate open/close whatever their
glyph; besides that, a paragraph whose first mark can only close ('policy,” she added')
holds a quote from its start (the opening mark was lost), and a quote left open at the
end of a paragraph runs on into the next when that paragraph's first mark closes it.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from newsbrowse.store.ingest.speech import SpeechRules

DOUBLE = '\u201c\u201d\u201e\u201f"\u00ab\u00bb\u2033'
_SINGLE_OPEN = "\u2018'\u201b\u2019"
_SINGLE_CLOSE = "\u2019'\u2018"
_OPENING_GLYPHS = "\u201c\u201e\u00ab"
_DOUBLE_MARK = re.compile(f"[{DOUBLE}]")
_SINGLE_OPEN_MARK = re.compile(f"[{_SINGLE_OPEN}]")
_SINGLE_CLOSE_MARK = re.compile(f"[{_SINGLE_CLOSE}]")
_OPEN_CONTEXT = "([{\u2014\u2013-/"
# What follows an apostrophe that elides or possesses rather than opens: 's, 't, 're, '90s.
_ELISION = re.compile(r"(?:s|t|re|ll|ve|d|m|n|em|\d\d?s?)(?![\w])", re.IGNORECASE)
_WORD = re.compile(r"[\w][\w'\u2019-]*")
_SENTENCE_END = re.compile(r"[.!?\u2026]")
_NEXT_SENTENCE = re.compile(r"[.!?\u2026][\"'\u201d\u2019)\]]*\s+(?=[\"'\u201c\u2018(]?[A-Z0-9])")
MIN_QUOTE_WORDS = 3
MAX_LABEL_WORDS = 4
_ATTRIBUTION_WORDS = 8  # an attribution after a mark is this short ('” the ministry said.')
_ATTRIBUTION_CHARS = 120
_CARRY_PARAGRAPHS = 3  # an open quote may run on over this many paragraphs


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


@dataclass(frozen=True)
class QuoteSpan:
    """A pair of quotation marks: ``open`` and ``close`` index the marks themselves.

    A span whose opening mark was lost (``opened`` false) has ``open`` one before
    ``start``; one whose closing mark was lost (``closed`` false) ends with its
    paragraph. ``para`` runs from the paragraph of the opening mark to the end of the
    paragraph of the closing one.
    """

    open: int
    close: int
    start: int
    end: int
    closed: bool
    para: tuple[int, int]
    opened: bool = True


def paragraphs(body: str) -> list[tuple[int, int]]:
    """The (start, end) of each non-blank line of ``body``: a quote's paragraph."""
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", body) if m.group().strip()]


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


@dataclass
class _Open:
    """A quote left open at the end of ``para``, waiting for a closing mark below."""

    mark: int
    para: tuple[int, int]
    skipped: int = 0


def find_spans(
    body: str, speech: SpeechRules, paras: list[tuple[int, int]] | None = None
) -> list[QuoteSpan]:
    """Every pair of quotation marks of ``body`` in order (see the module's docstring);
    ``paras``: :func:`paragraphs` of ``body``, when the caller has them."""
    found: list[QuoteSpan] = []
    pending: _Open | None = None
    for para in paras if paras is not None else paragraphs(body):
        marks = [m.start() for m in _DOUBLE_MARK.finditer(body, *para)]
        spans: list[QuoteSpan] = []
        if pending is not None:
            if marks and marks[0] > para[0] and _can_close(body, marks[0], para, speech):
                spans.append(_span(body, pending.mark, marks[0], (pending.para[0], para[1])))
                marks = marks[1:]
                pending = None
            elif not marks and pending.skipped < _CARRY_PARAGRAPHS:
                pending.skipped += 1
                continue
            else:
                found.append(_unclosed(body, pending.mark, pending.para))
                pending = None
        if (
            not spans
            and len(marks) % 2
            and marks[0] > para[0]
            and word_count(body[para[0] : marks[0]]) >= MIN_QUOTE_WORDS
            and _can_close(body, marks[0], para, speech)
        ):
            spans.append(_span(body, para[0] - 1, marks[0], para, opened=False))
            marks = marks[1:]
        left_open, stray = _pair_doubles(body, marks, para, spans)
        orphan = stray if stray is not None else left_open
        if orphan is not None and spans and _closer_shaped(body, orphan, para):
            # '“...,” said the diplomat. We will not ... NATO.”': the mark after an
            # attribution closes the sentences after it.
            start = _sentence_after(body, spans[-1].close + 1, orphan)
            if start is not None:
                spans.append(_span(body, start - 1, orphan, para, opened=False))
                left_open = None
        if left_open is not None:
            pending = _Open(left_open, para)
        singles = _pair_singles(body, para, spans)
        found.extend(sorted(spans + singles, key=lambda s: s.open))
    if pending is not None:
        found.append(_unclosed(body, pending.mark, pending.para))
    return [s for s in found if s.end > s.start]


def _span(
    body: str, open_: int, close: int, para: tuple[int, int], opened: bool = True
) -> QuoteSpan:
    start, end = open_ + 1, close
    while start < end and body[start].isspace():
        start += 1
    while end > start and body[end - 1].isspace():
        end -= 1
    return QuoteSpan(open_, close, start, end, True, para, opened)


def _unclosed(body: str, open_: int, para: tuple[int, int]) -> QuoteSpan:
    span = _span(body, open_, para[1], para)
    return QuoteSpan(span.open, para[1], span.start, span.end, False, para)


def _closer_shaped(body: str, i: int, para: tuple[int, int]) -> bool:
    """A mark right after a word and before a space or punctuation: 'policy,” she'."""
    after = body[i + 1] if i + 1 < para[1] else " "
    return i > para[0] and not body[i - 1].isspace() and not after.isalnum()


def _can_close(body: str, i: int, para: tuple[int, int], speech: SpeechRules) -> bool:
    """Whether the double mark at ``i`` closes a quote whose opening mark is lost or in an
    earlier paragraph: it is shaped as a closer, or (not being an opening glyph) a short
    attribution follows it ('stability, ”the ministry said.')."""
    if _closer_shaped(body, i, para):
        return True
    if body[i] in _OPENING_GLYPHS:
        return False
    limit = min(para[1], i + 1 + _ATTRIBUTION_CHARS)
    end = _SENTENCE_END.search(body, i + 1, limit)
    limit = end.start() if end else limit
    next_mark = _DOUBLE_MARK.search(body, i + 1, limit)
    after = body[i + 1 : next_mark.start() if next_mark else limit]
    return word_count(after) <= _ATTRIBUTION_WORDS and speech.verbs.search(after) is not None


def _sentence_after(body: str, start: int, end: int) -> int | None:
    """Where the first sentence after ``start`` begins, before ``end`` (None: none does)."""
    match = _NEXT_SENTENCE.search(body, start, end)
    if match is None:
        return None
    begin = match.end()
    return begin if word_count(body[begin:end]) >= MIN_QUOTE_WORDS else None


def _pair_doubles(
    body: str, marks: list[int], para: tuple[int, int], spans: list[QuoteSpan]
) -> tuple[int | None, int | None]:
    """Pair double marks by alternation whatever their glyph (scraped text mixes them
    up: “ ... “), appending to ``spans``. « opens and only » closes it; marks nested
    inside « » belong to the quote; a mark right after an opening one ('""We') doubles
    it. Returns the opening mark left without a closer and the last closing mark left
    without an opener (each None if there is none)."""
    opener: int | None = None
    stray: int | None = None
    for i in marks:
        ch = body[i]
        if opener is None:
            if ch == "\u00bb" or (ch == "\u201d" and not _left_flanking(body, i, para)):
                stray = i
                continue
            opener = i
        elif ch == "\u00ab" or (body[opener] == "\u00ab" and ch != "\u00bb"):
            continue
        elif not body[opener + 1 : i].strip():
            opener = i  # a doubled mark: the quote opens after the second
        else:
            spans.append(_span(body, opener, i, para))
            opener = None
            stray = None
    return opener, stray


def _left_flanking(body: str, i: int, para: tuple[int, int]) -> bool:
    before = body[i - 1] if i > para[0] else " "
    after = body[i + 1] if i + 1 < para[1] else " "
    return (before.isspace() or before in _OPEN_CONTEXT) and not after.isspace()


def _pair_singles(body: str, para: tuple[int, int], doubles: list[QuoteSpan]) -> list[QuoteSpan]:
    """Single marks are also apostrophes (Russia’s, Russia ‘s, ’90s): a single opens only
    before a word and after a space, and is not an elision; it closes after a word and
    before a non-letter, never past a double opening mark. Singles inside a double-quoted
    span belong to it. Each mark is looked at a bounded number of times."""
    pairs: list[QuoteSpan] = []
    if _SINGLE_OPEN_MARK.search(body, *para) is None:
        return pairs
    inside = sorted((d.open, d.close) for d in doubles)
    opens = [o for o, _ in inside if o >= para[0]]
    closers = [
        j
        for j in (m.start() for m in _SINGLE_CLOSE_MARK.finditer(body, *para))
        if j > para[0]
        and not body[j - 1].isspace()
        and not (body[j + 1] if j + 1 < para[1] else " ").isalnum()
    ]
    k = 0
    resume = para[0]
    for mark in _SINGLE_OPEN_MARK.finditer(body, para[0], para[1]):
        i = mark.start()
        if i < resume:
            continue
        while k < len(inside) and inside[k][1] < i:
            k += 1
        if k < len(inside) and inside[k][0] <= i:
            resume = inside[k][1] + 1
            continue
        if (
            _left_flanking(body, i, para)
            and body[i + 1].isalnum()
            and not _ELISION.match(body, i + 1)
        ):
            limit_at = bisect.bisect_left(opens, i)
            limit = opens[limit_at] if limit_at < len(opens) else para[1]
            c = bisect.bisect_left(closers, i + 1)
            if c < len(closers) and closers[c] < limit:
                pairs.append(_span(body, i, closers[c], para))
                resume = closers[c] + 1
    return pairs
