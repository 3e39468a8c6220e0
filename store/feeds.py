"""A news feed (RSS or Atom) as the articles it carries.

feedparser reads the feed (its encoding, its dates, its sanitised HTML); each entry gives
a title, link, date, author and the feed's title as its source, and its text: the full
content where the feed carries it, else its summary. An entry of a feed fetched from the
web that carries only a summary is read from its page instead (the caller fetches it).
Each entry becomes a small saved page, so that its text is read, cleaned and analysed
as every page's is.
"""

from __future__ import annotations

import calendar
import datetime
import html
import re
from dataclasses import dataclass

from newsbrowse.store.meta_fields import page_url, tidy_field
from newsbrowse.store.model import ArticleMeta

MAX_ENTRIES = 500
"""Entries taken from one feed: a feed is a news site's latest stories, not its archive."""
FEED_SUFFIXES = frozenset({".xml", ".rss", ".atom"})
_FEED_START = re.compile(
    rb"^(?:\xef\xbb\xbf)?(?:\s|<\?xml[^>]*>|<!--.*?-->|<\?xml-stylesheet[^>]*>)*"
    rb"<(?:rss|feed|rdf:RDF)[\s>]",
    re.DOTALL,
)


@dataclass(frozen=True)
class Entry:
    """One article of a feed: a page of its text, its metadata, and whether the text is
    only the feed's summary of it."""

    page: bytes
    meta: ArticleMeta
    summary_only: bool


def looks_like_feed(head: bytes) -> bool:
    """Whether ``head`` (a file's first bytes) is the start of an RSS or Atom feed."""
    return _FEED_START.match(head[:4096]) is not None


def read_feed(data: bytes) -> list[Entry]:
    """The entries of a feed; ValueError with a short reason if ``data`` is not one."""
    import feedparser

    parsed = feedparser.parse(data)
    if not parsed.get("version"):
        raise ValueError("not an RSS or Atom feed that can be read")
    source = tidy_field(parsed.feed.get("title"))
    return [_entry(e, source) for e in parsed.entries[:MAX_ENTRIES]]


def _entry(entry: dict, source: str | None) -> Entry:
    contents = [c.get("value", "") for c in entry.get("content") or []]
    text = max(contents, key=len, default="")
    summary_only = not text.strip()
    if summary_only:
        text = entry.get("summary", "")
    title = tidy_field(entry.get("title"))
    meta = ArticleMeta(
        title=title,
        source=source,
        url=page_url(entry.get("link")),
        date=_date(entry),
        date_basis="stated" if _date(entry) else None,
        author=tidy_field(entry.get("author")),
    )
    page = (
        '<html><head><meta charset="utf-8"><title>'
        + html.escape(title or "")
        + "</title></head><body><article>"
        + text
        + "</article></body></html>"
    )
    return Entry(page.encode("utf-8", "surrogatepass"), meta, summary_only)


def _date(entry: dict) -> str | None:
    """The day the entry was published (else updated), as the feed states it in UTC."""
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    if not stamp:
        return None
    try:
        moment = datetime.datetime.fromtimestamp(calendar.timegm(stamp), datetime.UTC)
    except (OverflowError, ValueError, OSError):
        return None
    return moment.date().isoformat()
