"""The import pipeline: raw text in, an analysed :class:`Article` out.

Stages run in one direction: a file's own metadata off (a text's front matter, or a
saved page's article taken from its markup) -> clean -> sentences -> quotes (with
speakers) -> links. Fixtures and the user's own files go through these same functions.
"""

from __future__ import annotations

import bisect
import dataclasses
import hashlib

from newsbrowse.store.errors import BadInput
from newsbrowse.store.file_kinds import PAGE
from newsbrowse.store.ingest.clean import Cleaned, clean_text
from newsbrowse.store.ingest.front_matter import split_front_matter
from newsbrowse.store.ingest.links import find_links
from newsbrowse.store.ingest.quoting import quotes_and_refs
from newsbrowse.store.ingest.sentences import split_sentences
from newsbrowse.store.ingest.version import ANALYSIS_VERSION
from newsbrowse.store.meta_fields import iso_date
from newsbrowse.store.model import Article, ArticleMeta, Link, Quote, ScareQuote
from newsbrowse.store.rules import Rules


def analysis_stamp(rules: Rules) -> str:
    """What a store records of the analysis that filled it: version and rules."""
    return f"{ANALYSIS_VERSION}:{rules.digest}"


def article_id_for(body: str) -> str:
    """A stable id from the cleaned text: the same article imported twice gets one id."""
    canonical = " ".join(body.split()).encode("utf-8", "surrogatepass")
    return hashlib.sha256(canonical).hexdigest()[:12]


def _fallback_title(body: str) -> str:
    first = body.strip().split("\n", 1)[0].strip()
    return first if len(first) <= 90 else first[:89].rstrip() + "…"


def analyse_document(
    raw: str,
    kind: str,
    rules: Rules,
    meta: ArticleMeta | None = None,
    origin: str | None = None,
    fallback: ArticleMeta | None = None,
) -> Article:
    """Analyse a file's decoded text of ``kind`` (:mod:`newsbrowse.store.file_kinds`):
    ``meta`` (the user's or the fixtures') wins over what the file says of itself, which
    wins over ``fallback`` (what a feed or a fetch says of a page)."""
    text, found = read_document(raw, kind, rules)
    merged = (meta or ArticleMeta()).under(found).under(fallback or ArticleMeta())
    return analyse(text, rules, merged, origin)


def read_document(raw: str, kind: str, rules: Rules) -> tuple[str, ArticleMeta]:
    """The article's text and the metadata the file gives: a page's (its markup read by
    trafilatura), or a text's front matter."""
    if kind == PAGE:
        from newsbrowse.store.ingest.page import read_page  # trafilatura: 0.3 s to import

        page = read_page(raw)
        return page.text, page.meta

    def parse_date(written: str) -> str | None:
        return iso_date(written.strip()) or rules.cleaning.dateline(written.strip())

    return split_front_matter(raw, parse_date)


def analyse(
    raw: str, rules: Rules, meta: ArticleMeta | None = None, origin: str | None = None
) -> Article:
    """Clean ``raw``, find its quotes and their speakers, and link it to the codebook."""
    meta = meta or ArticleMeta()
    cleaned = clean_text(raw, rules.cleaning, title_hint=meta.title)
    body = cleaned.body
    if not body.strip():
        raise BadInput("no article text left after removing web junk")
    article_id = article_id_for(body)
    quotes, scare, links = _findings(body, article_id, rules)
    date, basis, source = _dating(meta, cleaned, rules)
    return Article(
        id=article_id,
        title=meta.title or cleaned.title or _fallback_title(body),
        source=source,
        url=meta.url,
        date=date,
        date_basis=basis,
        body=body,
        removed=cleaned.removed,
        quotes=quotes,
        links=links,
        scare_quotes=scare,
        origin=origin,
        author=meta.author,
    )


def _dating(
    meta: ArticleMeta, cleaned: Cleaned, rules: Rules
) -> tuple[str | None, str, str | None]:
    """The date, its basis and the source: the metadata's, else a dateline line's date,
    else what a wire dateline opening the text states ("MOSCOW, Dec 17 (Reuters) -")."""
    lead = None
    if not (meta.date or cleaned.date) or not meta.source:
        lead = rules.cleaning.leads.find(cleaned.body, rules.cleaning.months)
    source = meta.source or (lead.source if lead else None)
    if meta.date:
        return meta.date, meta.date_basis or "inferred", source
    if cleaned.date:
        return cleaned.date, "stated", source
    if lead is not None and lead.date:
        return lead.date, lead.date_basis or "stated", source
    return None, "unknown", source


def reanalyse(article: Article, rules: Rules) -> Article:
    """The stored ``article`` analysed again by today's pipeline and ``rules``: its text,
    id, title, source, date and origin kept as they are, its quotes and links found anew.

    The body is already clean, so cleaning does not run again: a cleaning rule that
    changed applies when the file is imported again (its offsets, and its id, would move).
    """
    quotes, scare, links = _findings(article.body, article.id, rules)
    return dataclasses.replace(article, quotes=quotes, links=links, scare_quotes=scare)


def _findings(
    body: str, article_id: str, rules: Rules
) -> tuple[list[Quote], list[ScareQuote], list[Link]]:
    """The quotes, scare quotes and links of a cleaned ``body``."""
    sentences = split_sentences(body, rules.cleaning.abbreviations)
    findings, refs = quotes_and_refs(body, rules.actors)
    quotes: list[Quote] = []
    scare: list[ScareQuote] = []
    for f in findings:
        if f.scare:
            scare.append(ScareQuote(text=f.text, start=f.start, end=f.end))
        else:
            quotes.append(
                Quote(
                    id=f"{article_id}-q{f.start}",
                    article_id=article_id,
                    text=f.text,
                    speaker=f.speaker,
                    side=f.side,
                    cue=f.cue,
                    start=f.start,
                    end=f.end,
                )
            )
    cited = [f for f in findings if not f.scare]
    quote_ends = [q.end for q in quotes]
    links = [
        Link(
            id=f"{article_id}-l{lf.start}-{lf.demand}",
            article_id=article_id,
            demand=lf.demand,
            side=lf.side,
            stance=lf.stance,
            evidence=body[lf.start : lf.end],
            start=lf.start,
            end=lf.end,
            quote_id=_quote_within(quotes, quote_ends, lf.start, lf.end),
        )
        for lf in find_links(body, sentences, cited, rules.codebook, rules.actors, refs)
    ]
    return quotes, scare, links


def _quote_within(quotes: list[Quote], ends: list[int], start: int, end: int) -> str | None:
    """The quote that the evidence span holds or overlaps most, if any (``ends``: the
    quotes' ends, made once per article).

    Quotes come in body order and never overlap, so only those from the first one ending
    after ``start`` can touch the span: a bisect keeps long articles linear.
    """
    best, best_overlap = None, 0
    for q in quotes[bisect.bisect_right(ends, start) :]:
        if q.start >= end:
            break
        overlap = min(end, q.end) - max(start, q.start)
        if overlap > best_overlap:
            best, best_overlap = q.id, overlap
    return best
