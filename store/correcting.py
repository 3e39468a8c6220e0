"""The user's corrections checked, then stored: the writes behind ``newsbrowse correct``,
``correct-link``, ``add-quote``, ``note`` and ``undo``, and the app's keys.

Everything is checked before anything is written: a wrong id, side, demand, stance or a
span outside the article is one :class:`BadInput` line (exit 2) and ``user.json`` stays
as it was. The quote or link is found in the article as the user sees it (an added quote
can be corrected too), and the correction keeps its span's words (see
:mod:`newsbrowse.store.corrections`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from newsbrowse.store.corrected import Fixes, article_of, quote_id_of
from newsbrowse.store.corrections import Correction
from newsbrowse.store.errors import BadInput, NotFound
from newsbrowse.store.model import STANCES, Article, Link, Quote
from newsbrowse.store.text import strip_controls

if TYPE_CHECKING:
    from newsbrowse.store.library import Library

MAX_NAME = 120
MAX_NOTE = 2000
_IDS = "`newsbrowse quotes` and `newsbrowse links` show the ids"


@dataclass(frozen=True)
class Row:
    """A correction in force and whether it applies (or why it needs review)."""

    correction: Correction
    status: str

    def to_dict(self) -> dict[str, Any]:
        data = self.correction.to_dict()
        del data["undone"]
        data["status"] = self.status
        return data


def rows(lib: Library) -> list[Row]:
    """Every correction in force with its status; reads only (one article per article)."""
    fixes = lib.fixes()
    stored: dict[str, Article | None] = {}
    out = []
    for cs in (*fixes.by_target.values(), *fixes.added.values()):
        for c in cs:
            if c.article_id not in stored:
                stored[c.article_id] = _stored(lib, c.article_id)
            out.append(Row(c, fixes.status(c, stored[c.article_id])))
    return sorted(out, key=lambda r: (r.correction.made, r.correction.id))


def _stored(lib: Library, article_id: str) -> Article | None:
    try:
        return lib.stored_article(article_id)
    except NotFound:
        return None


def _find(lib: Library, mark_id: str, kinds: str) -> tuple[Fixes, Quote | Link]:
    """The quote or link ``mark_id`` as the user sees it, those struck out included."""
    what = {"quote": "quote", "link": "link"}.get(kinds, "quote or link")
    article_id = article_of(mark_id)
    art = _stored(lib, article_id) if article_id else None
    if art is None or art.id != article_id:
        raise BadInput(f"no {what} {mark_id!r}; {_IDS}")
    fixes = lib.fixes()
    shown = fixes.article(art, keep_dropped=True)
    marks: list[Quote | Link] = []
    if kinds in ("quote", "any"):
        marks += shown.quotes
    if kinds in ("link", "any"):
        marks += shown.links
    found = next((m for m in marks if m.id == mark_id), None)
    if found is None:
        raise BadInput(f"no {what} {mark_id!r}; {_IDS}")
    return fixes, found


def _span(mark: Quote | Link) -> dict[str, Any]:
    text = mark.text if isinstance(mark, Quote) else mark.evidence
    return {
        "target": mark.id,
        "article_id": mark.article_id,
        "start": mark.start,
        "end": mark.end,
        "text": text,
    }


def _name(speaker: str | None) -> str | None:
    if speaker is None:
        return None
    name = " ".join(strip_controls(speaker).split())
    if not name or len(name) > MAX_NAME:
        raise BadInput(f"a speaker's name must be 1 to {MAX_NAME} characters")
    return name


def _one_of(options: dict[str, bool], usage: str) -> None:
    if sum(options.values()) != 1:
        raise BadInput(f"give exactly one of: {usage}")


def correct_quote(
    lib: Library,
    quote_id: str,
    *,
    speaker: str | None = None,
    side: str | None = None,
    not_quote: bool = False,
    checked: bool = False,
) -> Correction:
    """Store a quote's new speaker and/or side, or that it is no quote, or checked."""
    who = speaker is not None or side is not None
    _one_of(
        {"who": who, "not": not_quote, "checked": checked},
        "--speaker NAME and/or --side SIDE, --not-quote, --checked",
    )
    name, side = _name(speaker), lib.check_side(side) if side is not None else None
    fixes, quote = _find(lib, quote_id, "quote")
    if fixes.quote(quote) is None:  # type: ignore[arg-type]
        struck = next(c for c in fixes.by_target[quote_id] if c.kind == "not_quote")
        raise BadInput(
            f"{quote_id} is marked not a quote ({struck.id}); `newsbrowse undo {struck.id}` "
            "makes it a quote again"
        )
    kind = "attribution" if who else "not_quote" if not_quote else "checked"
    return lib.user.corrections.add(kind=kind, speaker=name, side=side, **_span(quote))


def correct_link(
    lib: Library,
    link_id: str,
    *,
    demand: str | None = None,
    side: str | None = None,
    stance: str | None = None,
    remove: bool = False,
) -> Correction:
    """Store a link's new demand, side and/or stance, or that it is wrong (removed)."""
    change = any(v is not None for v in (demand, side, stance))
    _one_of(
        {"change": change, "remove": remove},
        "--demand SLUG, --side SIDE and/or --stance STANCE, or --remove",
    )
    _check_link_values(lib, demand, side, stance)
    fixes, link = _find(lib, link_id, "link")
    if fixes.link(link) is None:  # type: ignore[arg-type]
        raise BadInput(f"link {link_id} was removed; `newsbrowse corrections` shows how to undo")
    kind = "link_removed" if remove else "link"
    fields = {"demand": demand, "side": side, "stance": stance}
    return lib.user.corrections.add(kind=kind, **fields, **_span(link))


def add_quote(
    lib: Library, article_id: str, start: int, end: int, *, speaker: str | None, side: str
) -> Correction:
    """Store a quote the analysis missed: ``body[start:end]`` of the article."""
    name, side = _name(speaker), lib.check_side(side)
    art = _article(lib, article_id)
    text = _words(art, start, end)
    for q in art.quotes:
        if q.start < end and start < q.end:
            raise BadInput(
                f"span {start}-{end} overlaps quote {q.id} ({q.start}-{q.end}); correct that "
                "one, or mark it `--not-quote` first"
            )
    span = {"target": quote_id_of(art.id, start), "article_id": art.id, "start": start}
    return lib.user.corrections.add(
        kind="added_quote", speaker=name, side=side, end=end, text=text, **span
    )


def add_link(
    lib: Library,
    article_id: str,
    start: int,
    end: int,
    *,
    demand: str,
    side: str,
    stance: str | None = None,
) -> Correction:
    """Store a link the analysis missed: ``body[start:end]`` tied to ``demand``."""
    _check_link_values(lib, demand, side, stance)
    art = _article(lib, article_id)
    text = _words(art, start, end)
    link_id = f"{art.id}-l{start}-{demand}"
    if any(lk.id == link_id for lk in lib.fixes().article(art, keep_dropped=True).links):
        raise BadInput(f"{link_id} is a link already; `newsbrowse correct-link` changes it")
    span = {"target": link_id, "article_id": art.id, "start": start, "end": end, "text": text}
    return lib.user.corrections.add(
        kind="added_link", demand=demand, side=side, stance=stance, **span
    )


def _check_link_values(
    lib: Library, demand: str | None, side: str | None, stance: str | None
) -> None:
    if demand is not None:
        try:
            lib.check_demand(demand)
        except NotFound as exc:
            raise BadInput(str(exc)) from None
    if side is not None:
        lib.check_side(side)
    if stance is not None and stance not in STANCES:
        raise BadInput(f"unknown stance {stance!r}; use one of: {', '.join(STANCES)}")


def _article(lib: Library, article_id: str) -> Article:
    try:
        return lib.article(article_id)
    except NotFound as exc:
        raise BadInput(str(exc)) from None


def _words(art: Article, start: int, end: int) -> str:
    """``art.body[start:end]``, checked to be a span of words inside the article."""
    if not 0 <= start < end <= len(art.body):
        raise BadInput(
            f"span {start}-{end} is not inside article {art.id} (0-{len(art.body)}); "
            f"`newsbrowse show {art.id} --json` gives the offsets"
        )
    text = art.body[start:end]
    if not text.strip():
        raise BadInput(f"span {start}-{end} holds no words")
    return text


def add_note(lib: Library, mark_id: str, text: str) -> Correction:
    """Store the user's note on a quote or link (the latest note is the one shown)."""
    note = strip_controls(text).strip()
    if not note or len(note) > MAX_NOTE:
        raise BadInput(f"a note must be 1 to {MAX_NOTE} characters")
    _, mark = _find(lib, mark_id, "any")
    return lib.user.corrections.add(kind="note", note=note, **_span(mark))


def undo(lib: Library, correction_id: str) -> Correction:
    """Mark a correction undone (its id is never reused)."""
    found = lib.user.corrections.get(correction_id)
    if found is None or found.undone:
        state = "was already undone" if found else "does not exist"
        raise BadInput(f"correction {correction_id!r} {state}; `newsbrowse corrections` lists them")
    lib.user.corrections.undo(correction_id)
    return found
