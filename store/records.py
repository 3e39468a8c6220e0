"""The shape of every record newsbrowse reads from its store files, checked once where it
is read; and an article written as a record.

A store file can be edited, truncated by a disk or written by a newer or buggy program;
its JSON may parse and still hold a quote whose side is a number or a title that is a
list. Such a record would crash whatever uses it later (a highlighter, a table, the
index). Each checker returns why a record is malformed, in a few words, or None: the
caller names the file and reports it as damage (exit 4), and ``newsbrowse recover``
sets the file aside.
"""

from __future__ import annotations

import dataclasses
import functools
import operator
from collections.abc import Callable
from pathlib import Path
from typing import Any

from newsbrowse.store.corrections import correction_problem
from newsbrowse.store.errors import StoreDamaged
from newsbrowse.store.json_files import damage_message
from newsbrowse.store.model import DATE_BASES, STANCES, USER_FIELDS, Article


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_count(value: object) -> bool:
    return _is_int(value) and value >= 0  # type: ignore[operator]


def _text_or_none(value: object) -> bool:
    return value is None or isinstance(value, str)


def _is_side(value: object) -> bool:
    """A side's slug: a text, not empty. Which sides there are is the codebook's to say,
    and a home's codebook may change: a record of a side it no longer names is stale
    (``reanalyse``), not damaged, and must not be set aside by ``recover``."""
    return isinstance(value, str) and value != ""


_SIDE = "one of the codebook's side slugs, or unknown"


# (field, test, what it must be): the fields each kind of mark holds, as written by the
# pipeline; offsets are checked against the article's body apart.
_QUOTE: tuple[tuple[str, Any, str], ...] = (
    ("id", lambda v: isinstance(v, str) and v, "a text"),
    ("article_id", lambda v: isinstance(v, str), "a text"),
    ("text", lambda v: isinstance(v, str), "a text"),
    ("speaker", _text_or_none, "a text or null"),
    ("side", _is_side, _SIDE),
    ("cue", _text_or_none, "a text or null"),
)
_LINK: tuple[tuple[str, Any, str], ...] = (
    ("id", lambda v: isinstance(v, str) and v, "a text"),
    ("article_id", lambda v: isinstance(v, str), "a text"),
    ("demand", lambda v: isinstance(v, str) and v, "a text"),
    ("side", _is_side, _SIDE),
    ("stance", lambda v: v is None or v in STANCES, f"null or one of {', '.join(STANCES)}"),
    ("evidence", lambda v: isinstance(v, str), "a text"),
    ("quote_id", _text_or_none, "a text or null"),
)
_SCARE: tuple[tuple[str, Any, str], ...] = (("text", lambda v: isinstance(v, str), "a text"),)
_MARKS = (("quotes", "quote", _QUOTE), ("links", "link", _LINK), ("scare_quotes", "mark", _SCARE))

# Fields an article record must hold, and those it may lack (records of older releases).
_REQUIRED: tuple[tuple[str, Any, str], ...] = (
    ("id", lambda v: isinstance(v, str) and v, "a text"),
    ("title", lambda v: isinstance(v, str), "a text"),
    ("body", lambda v: isinstance(v, str), "a text"),
)
_OPTIONAL: tuple[tuple[str, Any, str], ...] = (
    ("source", _text_or_none, "a text or null"),
    ("url", _text_or_none, "a text or null"),
    ("date", _text_or_none, "a text or null"),
    ("date_basis", lambda v: v is None or v in DATE_BASES, f"one of {', '.join(DATE_BASES)}"),
    ("words", _is_count, "a count"),
    ("quote_count", _is_count, "a count"),
    ("link_count", _is_count, "a count"),
    ("origin", _text_or_none, "a text or null"),
    ("source_sha256", _text_or_none, "a text or null"),
    ("author", _text_or_none, "a text or null"),
)


def _field_problem(doc: dict[str, Any], fields: tuple[tuple[str, Any, str], ...]) -> str | None:
    for name, test, must in fields:
        if not test(doc.get(name)):
            return f"{name} is {_shown(doc.get(name))} (must be {must})"
    return None


def _shown(value: object) -> str:
    """A value as a message shows it: short, on one line."""
    text = repr(value)
    return text if len(text) <= 30 else text[:27] + "..."


def article_problem(doc: object) -> str | None:
    """Why ``doc`` is not an article record (an article of a chunk, or an older home's
    shard), or None. Offsets must lie inside the body, start before end."""
    if not isinstance(doc, dict):
        return "an article record that is not an object"
    problem = _field_problem(doc, _REQUIRED)
    if problem is not None:
        return f"an article record whose {problem}"
    problem = _field_problem(doc, tuple(f for f in _OPTIONAL if f[0] in doc))
    if problem is not None:
        return f"article {doc['id']} whose {problem}"
    removed = doc.get("removed")
    if removed is not None and not (
        isinstance(removed, list) and all(isinstance(line, str) for line in removed)
    ):
        return f"article {doc['id']} whose removed lines are not a list of texts"
    size = len(doc["body"])
    for key, kind, fields in _MARKS:
        marks = doc.get(key)
        if marks is None:
            continue
        if not isinstance(marks, list):
            return f"article {doc['id']} whose {key} are not a list"
        whole = _WHOLE[key]
        for mark in marks:
            if whole(mark, size):
                continue
            problem = _mark_problem(mark, fields, size)
            if problem is not None:
                return f"article {doc['id']} with a {kind} whose {problem}"
    return None


# The usual case in one expression per mark (a chunk of 100 articles holds thousands of
# marks: checking each field by the tables above cost a sixth of parsing the file); a
# mark that fails it is looked at field by field, for the message.
def _whole_quote(q: Any, size: int) -> bool:
    try:
        start, end, speaker, cue = q["start"], q["end"], q["speaker"], q["cue"]
        return (
            type(start) is int
            and type(end) is int
            and 0 <= start <= end <= size
            and type(q["id"]) is str
            and q["id"] != ""
            and type(q["article_id"]) is str
            and type(q["text"]) is str
            and type(q["side"]) is str
            and q["side"] != ""
            and (speaker is None or type(speaker) is str)
            and (cue is None or type(cue) is str)
        )
    except (KeyError, TypeError):  # a field missing (or not a record): the slow path says
        return False


def _whole_link(lk: Any, size: int) -> bool:
    try:
        start, end, stance, quote_id = lk["start"], lk["end"], lk["stance"], lk["quote_id"]
        return (
            type(start) is int
            and type(end) is int
            and 0 <= start <= end <= size
            and type(lk["id"]) is str
            and lk["id"] != ""
            and type(lk["article_id"]) is str
            and type(lk["demand"]) is str
            and lk["demand"] != ""
            and type(lk["side"]) is str
            and lk["side"] != ""
            and (stance is None or stance in _STANCES)
            and type(lk["evidence"]) is str
            and (quote_id is None or type(quote_id) is str)
        )
    except (KeyError, TypeError):
        return False


def _whole_scare(sq: Any, size: int) -> bool:
    try:
        start, end = sq["start"], sq["end"]
        return (
            type(start) is int
            and type(end) is int
            and 0 <= start <= end <= size
            and (type(sq["text"]) is str)
        )
    except (KeyError, TypeError):
        return False


_STANCES = frozenset(STANCES)
_WHOLE = {"quotes": _whole_quote, "links": _whole_link, "scare_quotes": _whole_scare}


def _mark_problem(mark: object, fields: tuple[tuple[str, Any, str], ...], size: int) -> str | None:
    if not isinstance(mark, dict):
        return "record is not an object"
    start, end = mark.get("start"), mark.get("end")
    if not (_is_int(start) and _is_int(end) and 0 <= start <= end <= size):
        return f"offsets {_shown(start)}-{_shown(end)} are not inside the text"
    return _field_problem(mark, fields)


def meta_problem(data: dict[str, dict[str, Any]]) -> str | None:
    """Why a ``corpus/meta.json``'s tables are not a commit record (schema, generation and
    the committed chunks with their article counts), or None. Its schema version is
    checked apart (a newer one is no damage but a reason to upgrade)."""
    docs = list(data.get("meta", {}).values())
    if not docs:
        return "holds no meta record"
    doc = docs[0]
    chunks = doc.get("chunks")
    if not isinstance(chunks, dict):
        return "holds no list of chunks"
    if not isinstance(doc.get("generation"), str):
        return "holds no generation"
    for name, count in chunks.items():
        if not (_is_chunk_name(name) and _is_count(count)):
            return f"holds a malformed chunk entry {_shown(name)}: {_shown(count)}"
    retired = doc.get("retired", [])
    if not (isinstance(retired, list) and all(_is_chunk_name(n) for n in retired)):
        return f"holds a malformed list of retired chunks {_shown(retired)}"
    return None


def _is_chunk_name(name: object) -> bool:
    return isinstance(name, str) and len(name) == 6 and name.isdigit()


def user_problem(data: dict[str, dict[str, Any]]) -> str | None:
    """Why a ``user.json``'s tables are not selections, read marks and corrections, or None."""
    for table, key in (("selected", "quote_id"), ("read", "article_id")):
        for doc in data.get(table, {}).values():
            if not isinstance(doc.get(key), str):
                return f"holds a {table} entry whose {key} is {_shown(doc.get(key))}"
            if "order" in doc and not _is_int(doc["order"]):
                return f"holds a {table} entry whose order is {_shown(doc['order'])}"
    for doc in data.get("selected", {}).values():
        if not isinstance(doc.get("set", ""), str):
            return f"holds a selected entry whose set is {_shown(doc.get('set'))}"
    for table in ("sets", "current_set"):
        for doc in data.get(table, {}).values():
            if not isinstance(doc.get("name"), str):
                return f"holds a {table} entry whose name is {_shown(doc.get('name'))}"
            if "order" in doc and not _is_int(doc["order"]):
                return f"holds a {table} entry whose order is {_shown(doc['order'])}"
    for doc in data.get("corrections", {}).values():
        problem = correction_problem(doc)
        if problem is not None:
            return problem
    return None


def chunk_problem(data: dict[str, dict[str, Any]]) -> str | None:
    """Why a chunk file's tables are not article records, or None (each record checked)."""
    for doc in data.get("articles", {}).values():
        problem = article_problem(doc)
        if problem is not None:
            return f"holds {problem}"
    return None


def article_from_record(doc: dict[str, Any], path: Path) -> Article:
    """A record read alone from ``path`` as an Article; a malformed one is damage, named
    by its file. (The records of a chunk parsed whole were checked as it was read.)"""
    problem = article_problem(doc)
    if problem is not None:
        raise StoreDamaged(damage_message(path, f"holds {problem}"))
    return Article.from_dict(doc)


@functools.cache
def _fields_of(cls: type) -> tuple[tuple[str, ...], Callable[[Any], tuple[Any, ...]]]:
    # The user's fields (corrections) are never written into the corpus.
    names = tuple(f.name for f in dataclasses.fields(cls) if f.name not in USER_FIELDS)
    get = operator.attrgetter(*names)
    return names, (get if len(names) > 1 else lambda obj: (get(obj),))


def _flat(obj: Any) -> dict[str, Any]:
    """A flat dataclass (a quote, link, scare quote) as a dict, as ``asdict`` would make it
    (one C call fetches every field: 4 -> 1 µs a record)."""
    names, get = _fields_of(type(obj))
    return dict(zip(names, get(obj), strict=True))


def article_record(article: Article) -> dict[str, Any]:
    """``article.to_dict()`` without ``dataclasses.asdict``'s deep copies (5x faster)."""
    return {
        "id": article.id,
        "title": article.title,
        "source": article.source,
        "url": article.url,
        "date": article.date,
        "date_basis": article.date_basis,
        "words": article.words,
        "quote_count": len(article.quotes),
        "link_count": len(article.links),
        "body": article.body,
        "removed": list(article.removed),
        "quotes": [_flat(q) for q in article.quotes],
        "links": [_flat(lk) for lk in article.links],
        "scare_quotes": [_flat(sq) for sq in article.scare_quotes],
        "origin": article.origin,
        "author": article.author,
    }
