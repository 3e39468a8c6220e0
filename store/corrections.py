"""The analyst's corrections: a table of ``user.json``, beside the selection.

The analysis is automatic and sometimes wrong; the user has the last word. A correction
is user data, never written into the corpus (an import, a reset, a re-analysis never
touch it), and it is keyed by what survives them: the article id and the character span,
with the span's text kept, so that a correction whose words changed is shown as needing
review instead of being applied to other words (:mod:`newsbrowse.store.corrected`).
Undo marks a correction undone rather than deleting it, so an id is never reused.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from typing import Any

from tinydb import Query, TinyDB

KINDS: tuple[str, ...] = (
    "attribution",  # a quote's speaker and/or side
    "not_quote",  # the span is no quote: out of lists, search hits and exports
    "checked",  # the quote or link was checked against the source
    "link",  # a link's demand, side and/or stance
    "link_removed",  # the link is wrong: out of lists and counts
    "added_quote",  # a quote the analysis missed
    "added_link",  # a sentence tied to a demand that the analysis did not tie
    "note",  # the user's words on a quote or link
    "meta",  # an article's title, source, URL, date or author (target: the article id)
)
TABLE = "corrections"


@dataclass(frozen=True, slots=True)
class Correction:
    """One correction of one quote or link (``target``: its id), or one added quote."""

    id: str
    kind: str
    target: str  # the quote's or link's id: the article id and the span's start
    article_id: str
    start: int
    end: int
    text: str  # the span's words when the correction was made: drift shows against them
    speaker: str | None = None
    side: str | None = None
    demand: str | None = None
    stance: str | None = None
    note: str | None = None
    title: str | None = None  # a "meta" correction's fields: None unchanged, "" cleared
    source: str | None = None
    url: str | None = None
    date: str | None = None
    author: str | None = None
    made: int = 0  # time.time_ns() when made: the order corrections apply in
    undone: bool = False

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


_TEXT = ("id", "kind", "target", "article_id", "text")
_OPTIONAL_TEXT = (
    *("speaker", "side", "demand", "stance", "note"),
    *("title", "source", "url", "date", "author"),
)


def correction_problem(doc: dict[str, Any]) -> str | None:
    """Why a stored correction is of another shape (damage), or None."""
    for key in _TEXT:
        if not isinstance(doc.get(key), str):
            return f"holds a correction whose {key} is not a text"
    if doc["kind"] not in KINDS:
        return f"holds a correction of unknown kind {doc['kind'][:20]!r}"
    for key in ("start", "end", "made"):
        value = doc.get(key, 0)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            return f"holds a correction whose {key} is not a count"
    for key in _OPTIONAL_TEXT:
        if not (doc.get(key) is None or isinstance(doc.get(key), str)):
            return f"holds a correction whose {key} is not a text"
    if not isinstance(doc.get("undone", False), bool):
        return "holds a correction whose undone is not true or false"
    return None


def _from_doc(doc: dict[str, Any]) -> Correction:
    names = Correction.__dataclass_fields__
    return Correction(**{k: v for k, v in doc.items() if k in names})


class Corrections:
    """The corrections table of the user's file (its TinyDB is :class:`UserState`'s)."""

    def __init__(self, db: TinyDB, before_write: Any) -> None:
        self._db = db
        self._before_write = before_write  # stamps a new user.json with its schema

    def all(self) -> list[Correction]:
        """Every correction, undone ones too, in the order they were made."""
        docs = [_from_doc(dict(d)) for d in self._db.table(TABLE).all()]
        return sorted(docs, key=lambda c: (c.made, _number(c.id)))

    def active(self) -> list[Correction]:
        """The corrections in force, in the order they were made (a later one wins)."""
        return [c for c in self.all() if not c.undone]

    def get(self, correction_id: str) -> Correction | None:
        return next((c for c in self.all() if c.id == correction_id), None)

    def add(self, **fields: Any) -> Correction:
        """Store a new correction (its id the next number) and return it."""
        known = self.all()
        taken = [_number(c.id) for c in known]
        made = max([time.time_ns(), *(c.made + 1 for c in known)])  # after every other
        correction = Correction(id=f"c{max(taken, default=0) + 1}", made=made, **fields)
        self._before_write()
        self._db.table(TABLE).insert(correction.to_dict())
        return correction

    def undo(self, correction_id: str) -> None:
        """Mark a correction undone: it no longer applies, and its id is not reused."""
        self._db.table(TABLE).update({"undone": True}, Query().id == correction_id)


def _number(correction_id: str) -> int:
    digits = correction_id[1:]
    return int(digits) if digits.isdigit() else 0
