"""An article's metadata fields as a user or a file gives them, checked and made safe.

A source, URL, date or author ends up in a citation a journalist copies: a date that is
no day, a URL that is no web address, or a title holding markup or control characters
would be cited as it is. What the user typed is refused with a one-line error; what a
page says of itself is tidied, or dropped when it is not what it claims to be.
"""

from __future__ import annotations

import datetime
import re
from urllib.parse import urlsplit

from newsbrowse.store.errors import BadInput
from newsbrowse.store.text import strip_controls

MAX_FIELD = 300
"""Characters kept of a title, source or author: a longer one is not a name."""
MAX_URL = 2048
_TAG = re.compile(r"</?[A-Za-z!?][^<>]{0,500}>")  # a tag, not "Russia <-> NATO"
_SPACES = re.compile(r"\s+")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def tidy_field(value: object) -> str | None:
    """A title, source or author as one line of plain text: markup, control characters and
    runs of blanks removed, cut to :data:`MAX_FIELD` characters; None if nothing is left."""
    if not isinstance(value, str):
        return None
    text = _SPACES.sub(" ", strip_controls(_TAG.sub(" ", value))).strip()
    if len(text) > MAX_FIELD:
        text = text[: MAX_FIELD - 1].rstrip() + "…"
    return text or None


def url_problem(value: str) -> str | None:
    """Why ``value`` is not a web address to cite (http or https, a host, no blanks), or None."""
    if len(value) > MAX_URL:
        return f"is longer than {MAX_URL} characters"
    if any(ch.isspace() for ch in value) or strip_controls(value) != value:
        return "holds blanks or control characters"
    try:
        parts = urlsplit(value)
    except ValueError:
        return "is not a web address"
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        return "is not an http:// or https:// address"
    return None


def page_url(value: object) -> str | None:
    """A URL a page gives itself, if it is one to cite; else None (the page is wrong)."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value if value and url_problem(value) is None else None


def check_url(value: str, what: str = "--url") -> str:
    """``value`` if it is a web address to cite; else the one-line error naming ``what``."""
    problem = url_problem(value)
    if problem is not None:
        raise BadInput(f"{what} {strip_controls(value)[:80]!r} {problem}; give the article's URL")
    return value


def iso_date(value: str) -> str | None:
    """``value`` if it is a real day written YYYY-MM-DD, else None."""
    if not _ISO_DATE.fullmatch(value):
        return None
    try:
        return datetime.date.fromisoformat(value).isoformat()
    except ValueError:
        return None


def check_date(value: str, what: str = "--date") -> str:
    """``value`` if it is a real day written YYYY-MM-DD; else the one-line error."""
    date = iso_date(value)
    if date is None:
        shown = strip_controls(value)[:40]
        raise BadInput(f"{what} {shown!r} is not a date; write it as YYYY-MM-DD (2022-01-21)")
    return date
