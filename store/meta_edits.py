"""The user's edits of an article's metadata (title, source, URL, date, author), applied at
read time: the writes behind ``newsbrowse edit`` and the app's edit dialog.

An edit is a ``meta`` correction in ``user.json`` (:mod:`newsbrowse.store.corrections`),
keyed by the article id, which is the hash of the cleaned text: it survives a
re-analysis and a re-import of the same file, and is listed and undone as any other
correction. The corpus and the index keep what the file said; every read of a summary or
an article through the :class:`Library` puts the edited values over it and names the
fields in ``edited``, so the list, the reader, search hits and exports all cite them.
An edited date is the user's own statement: its basis is ``stated``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from newsbrowse.store.corrected import APPLIED, ARTICLE_GONE
from newsbrowse.store.correcting import Row
from newsbrowse.store.corrections import Correction
from newsbrowse.store.errors import BadInput, NotFound
from newsbrowse.store.labels import CORRECTED_MARK, date_basis_label
from newsbrowse.store.meta_fields import MAX_FIELD, check_date, check_url, tidy_field
from newsbrowse.store.model import Article, ArticleSummary

if TYPE_CHECKING:
    from newsbrowse.store.library import Library

KIND = "meta"
FIELDS: tuple[str, ...] = ("title", "source", "url", "date", "author")
"""The fields a user may edit, in the order they are shown."""
CLEARABLE: frozenset[str] = frozenset({"source", "url", "date", "author"})
"""A title is never empty (the list and every citation show it): undo its edit instead."""

EDITED_DATE_BASIS = "date stated by you"

Shown = TypeVar("Shown", Article, ArticleSummary)


@dataclass
class MetaEdits:
    """Per article, the field values the user gave ("" for a field they cleared)."""

    by_article: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def of(cls, corrections: Iterable[Correction]) -> MetaEdits:
        """From the corrections in force, in the order made: a later edit of a field wins."""
        edits = cls()
        for c in corrections:
            if c.kind != KIND:
                continue
            values = edits.by_article.setdefault(c.article_id, {})
            values.update({f: getattr(c, f) for f in FIELDS if getattr(c, f) is not None})
        return edits

    def __bool__(self) -> bool:
        return bool(self.by_article)

    def apply(self, shown: Shown) -> Shown:
        """``shown`` (a summary or an article) with the user's values over the file's."""
        values = self.by_article.get(shown.id)
        if not values:
            return shown
        change: dict[str, Any] = {f: (v or None) for f, v in values.items() if f != "author"}
        if "author" in values and isinstance(shown, Article):
            change["author"] = values["author"] or None
        if "date" in values:
            change["date_basis"] = "stated" if values["date"] else "unknown"
        if not change.get("title", True):
            change.pop("title")
        edited = tuple(f for f in FIELDS if f in values)
        return dataclasses.replace(shown, **change, edited=edited)

    def summaries(self, found: list[ArticleSummary]) -> list[ArticleSummary]:
        return [self.apply(s) for s in found] if self else found

    def title(self, article_id: str, title: str) -> str:
        """An article's title as the user edited it (a search hit's)."""
        return self.by_article.get(article_id, {}).get("title") or title


def marked(shown: Article | ArticleSummary, name: str, text: str) -> str:
    """``text`` followed by the correction mark if the user edited field ``name``."""
    return f"{text} {CORRECTED_MARK}" if name in shown.edited else text


def basis_label(shown: Article | ArticleSummary) -> str:
    """Where the date comes from, in words: the user, if they gave it."""
    if "date" in shown.edited and shown.date:
        return EDITED_DATE_BASIS
    return date_basis_label(shown.date_basis)


def _text(what: str, name: str, value: str) -> str:
    """A title, source or author as the import tidies one; refused if it is no name."""
    text = tidy_field(value)
    if text is None:
        raise BadInput(f"{what} holds no words; give the article's {name}")
    if len(value.strip()) > MAX_FIELD:
        raise BadInput(f"{what} is longer than {MAX_FIELD} characters")
    return text


def checked_fields(given: dict[str, str | None], flag: str = "--") -> dict[str, str]:
    """The edit ``given`` (a field: its new value, "" to clear it, None to leave it) checked
    as the import checks ``--source``, ``--url`` and ``--date``; a bad value is one
    :class:`BadInput` line, naming the field as ``flag`` + its name (the app: no flag)."""
    unknown = set(given) - set(FIELDS)
    if unknown:
        raise BadInput(
            f"cannot edit {', '.join(sorted(unknown))}; edit one of: {', '.join(FIELDS)}"
        )
    out: dict[str, str] = {}
    for name, value in given.items():
        if value is None:
            continue
        value, what = value.strip(), f"{flag}{name}"
        if not value:
            if name not in CLEARABLE:
                raise BadInput(f"a {name} cannot be cleared; `newsbrowse undo` reverts an edit")
            out[name] = ""
        elif name == "url":
            out[name] = check_url(value, what)
        elif name == "date":
            out[name] = check_date(value, what)
        else:
            out[name] = _text(what, name, value)
    if not out:
        raise BadInput("give at least one of: " + ", ".join(f"--{f}" for f in FIELDS))
    return out


def edit(lib: Library, article_id: str, given: dict[str, str | None]) -> Correction:
    """Store the user's edit of an article's metadata; nothing is written if any is bad."""
    values = checked_fields(given)
    try:
        art = lib.stored_article(article_id)
    except NotFound as exc:
        raise BadInput(str(exc)) from None
    span = {"target": art.id, "article_id": art.id, "start": 0, "end": 0, "text": ""}
    return lib.user.corrections.add(kind=KIND, **values, **span)


def rows(lib: Library, corrections: Iterable[Correction]) -> list[Row]:
    """The metadata edits in force, each applied, or waiting for its article to return."""
    edits = [c for c in corrections if c.kind == KIND]
    if not edits:
        return []
    stored = lib.summaries({c.article_id for c in edits})
    return [Row(c, APPLIED if c.article_id in stored else ARTICLE_GONE) for c in edits]


def describe(c: Correction) -> str:
    """What a metadata edit changes, in a few words."""
    parts = []
    for name in FIELDS:
        value = getattr(c, name)
        if value is not None:
            parts.append(f"{name} {value}" if value else f"{name} cleared")
    return ", ".join(parts)
