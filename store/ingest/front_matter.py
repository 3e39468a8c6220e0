"""A text file's front matter: what the analyst wrote about the article above its text.

Either ``Title:``, ``Source:``, ``URL:``, ``Date:`` and ``Author:`` lines at the very top
(up to the first blank line), or a YAML block between ``---`` lines. Either becomes the
article's metadata and is taken off the text, so that it is neither the title nor a
paragraph. A date or URL that is not one is refused with the file: the analyst meant it
to be cited.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable

from newsbrowse.store.errors import BadInput
from newsbrowse.store.meta_fields import check_url, tidy_field
from newsbrowse.store.model import ArticleMeta

KEYS = ("title", "source", "url", "date", "author")
_KEY_LINE = re.compile(r"(?i)^(title|source|url|date|author)[ \t]*:[ \t]*(.*)$")
_FENCE = "---"
_YAML_LINES = 60
"""A YAML block ends within this many lines, or the text has none (a rule, not a block)."""
_YAML_CHARS = 8192
"""Nor is a longer block front matter: a few keys are, and parsing is not free."""

DateParser = Callable[[str], "str | None"]


def split_front_matter(text: str, parse_date: DateParser) -> tuple[str, ArticleMeta]:
    """The text without its front matter, and the metadata that front matter gives.

    ``parse_date`` turns a written date into YYYY-MM-DD (the cleaning rules' dateline
    patterns: "2022-01-21", "January 21, 2022", "21 Jan 2022"), or None.
    """
    lines = text.split("\n")
    fields, rest = _yaml_block(lines)
    if fields is None:
        fields, rest = _key_lines(lines)
    if not fields:
        return text, ArticleMeta()
    return "\n".join(lines[rest:]), _meta(fields, parse_date)


def _key_lines(lines: list[str]) -> tuple[dict[str, str], int]:
    """``Key: value`` lines at the top, up to the first blank or other line."""
    fields: dict[str, str] = {}
    n = 0
    for n, line in enumerate(lines):  # noqa: B007 - n is where the text starts
        match = _KEY_LINE.match(line.strip())
        if match is None:
            break
        fields[match[1].lower()] = match[2].strip()
    else:
        n = len(lines)
    return fields, n


def _yaml_block(lines: list[str]) -> tuple[dict[str, str] | None, int]:
    """A YAML mapping between ``---`` lines at the top that names one of :data:`KEYS`."""
    if not lines or lines[0].strip() != _FENCE:
        return None, 0
    end = next(
        (i for i in range(1, min(len(lines), _YAML_LINES)) if lines[i].strip() in {"---", "..."}),
        None,
    )
    if end is None:
        return None, 0
    block = "\n".join(lines[1:end])
    if len(block) > _YAML_CHARS:
        return None, 0
    import yaml

    try:
        data = yaml.safe_load(block)
    except (yaml.YAMLError, RecursionError):  # not YAML, or nested past Python's stack
        return None, 0
    if not isinstance(data, dict) or not any(str(k).lower() in KEYS for k in data):
        return None, 0
    fields = {str(k).lower(): _scalar(v) for k, v in data.items() if str(k).lower() in KEYS}
    return fields, end + 1


def _scalar(value: object) -> str:
    """A YAML value as the text it was written as (YAML reads 2022-01-21 as a date)."""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str | int | float):
        return str(value)
    raise BadInput("front matter holds a list or mapping where a title, source, url, date "
                   "or author is expected; write one value per key")  # fmt: skip


def _meta(fields: dict[str, str], parse_date: DateParser) -> ArticleMeta:
    date = None
    if fields.get("date"):
        date = parse_date(fields["date"])
        if date is None:
            raise BadInput(
                f"front matter date {fields['date'][:40]!r} is not a date; "
                "write it as YYYY-MM-DD (2022-01-21)"
            )
    url = check_url(fields["url"], "front matter url") if fields.get("url") else None
    return ArticleMeta(
        title=tidy_field(fields.get("title")),
        source=tidy_field(fields.get("source")),
        url=url,
        date=date,
        date_basis="stated" if date else None,
        author=tidy_field(fields.get("author")),
    )
