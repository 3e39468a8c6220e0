"""From marks to cited quotes: where the quotes are (:mod:`quotes`), which are scare
quotes, and who said the others (:mod:`attribution`, :mod:`sieves`).
"""

from __future__ import annotations

from newsbrowse.store.ingest.actors import ActorIndex
from newsbrowse.store.ingest.attribution import Attributor
from newsbrowse.store.ingest.frame import WORD, Frame, word_count
from newsbrowse.store.ingest.mentions import Ref, find_refs
from newsbrowse.store.ingest.quotes import (
    MAX_LABEL_WORDS,
    MIN_QUOTE_WORDS,
    QuoteFinding,
    QuoteSpan,
    find_spans,
    paragraphs,
)
from newsbrowse.store.ingest.sieves import CONTEXT, EXPLICIT, Attribution


def find_quotes(
    body: str, sentences: list[tuple[int, int]], actors: ActorIndex
) -> list[QuoteFinding]:
    """Every quoted span of ``body``, attributed where the text names a speaker.

    ``sentences`` is the pipeline's split; attribution reads quote-aware sentences of its
    own (:class:`Frame`), since a quotation often runs over several of the splitter's.
    """
    return quotes_and_refs(body, actors)[0]


def quotes_and_refs(body: str, actors: ActorIndex) -> tuple[list[QuoteFinding], list[Ref]]:
    """The quotes of ``body`` and the references to speakers attribution resolved on the
    way (names, the article's own people, titles, pronouns), which linking reuses."""
    paras = paragraphs(body)
    spans = find_spans(body, actors.speech, paras)
    frame = Frame(body, spans, actors.speech, paras)
    attributor = Attributor(frame, find_refs(frame, actors), [])
    cited = [s for s in spans if not _scare(attributor, s, None)]
    attributor = Attributor(frame, attributor.refs, cited)
    found = attributor.attribute(EXPLICIT, CONTEXT)
    return [_finding(attributor, s, found.get(s.open)) for s in spans], attributor.refs


def _scare(a: Attributor, span: QuoteSpan, attribution: Attribution | None) -> bool:
    """One or two words; a label of three words ('its ‘open door policy’'); a label of
    four that nobody is said to say."""
    words = word_count(a.body[span.start : span.end])
    if words < MIN_QUOTE_WORDS:
        return True
    label = words <= MAX_LABEL_WORDS and _is_label(a, span)
    return label and (attribution is None or words < MAX_LABEL_WORDS)


def _finding(a: Attributor, span: QuoteSpan, attribution: Attribution | None) -> QuoteFinding:
    text = a.body[span.start : span.end]
    scare = _scare(a, span, attribution)
    speaker = None if scare or attribution is None else attribution.speaker
    return QuoteFinding(
        start=span.start,
        end=span.end,
        text=text,
        speaker=speaker.name if speaker else None,
        side=speaker.side if speaker else "unknown",
        cue=None if scare or attribution is None else attribution.cue,
        scare=scare,
    )


def _is_label(a: Attributor, span: QuoteSpan) -> bool:
    """A phrase nobody says, right after "its", "the", "NATO's"...: 'amend its ‘open door
    policy’' (of three words, a label even when the sentence has a speaker)."""
    start = max(a.frame.lead_start(span.open), span.para[0])
    if not WORD.search(a.masked, start, max(span.open, start)):
        return False  # a quote that stands alone is said by someone
    words = WORD.findall(a.masked, max(span.para[0], span.open - 40), max(span.open, span.para[0]))
    if not words:
        return False
    last = words[-1].lower().replace("\u2019", "'")
    return last in a.speech.label_determiners or last.endswith("'s")
