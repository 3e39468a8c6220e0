"""Quotes as references a reference manager imports: CSL-JSON (Zotero, Pandoc), RIS and
BibTeX, one record per quote, each the quote's article as a newspaper article.

RIS is written by ``rispy`` and BibTeX by ``bibtexparser`` (with its LaTeX encoding, so
that ``%``, ``&`` or a brace in a title cannot break the file); CSL-JSON is plain JSON in
the schema's field names. The fields come from :class:`~newsbrowse.store.citations.Cited`:
the quotation (its trailing comma or colon dropped) and its attribution in the note, the
paragraph as the locator, the demands as keywords, the inferred-date mark in the note.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from newsbrowse.store.citations import Cited, one_line

CSL_TYPE = "article-newspaper"
RIS_TYPE = "NEWS"
BIBTEX_TYPE = "article"


def _date_parts(date: str | None) -> list[int]:
    """``2022-02-21`` -> [2022, 2, 21]; a partial date keeps its parts, a bad one none."""
    parts: list[int] = []
    for piece in (date or "").split("-")[:3]:
        if not piece.isdigit():
            break
        parts.append(int(piece))
    return parts


def _inferred(cited: Cited) -> bool:
    return bool(cited.summary.date) and cited.summary.date_basis != "stated"


# CSL-JSON -----------------------------------------------------------------------------------
def csl_item(cited: Cited) -> dict[str, Any]:
    """One CSL-JSON item (schema 1.0.2): the quote in ``note``, its paragraph as
    ``locator``; an inferred date is ``circa`` in ``issued`` and marked in the note."""
    item: dict[str, Any] = {
        "id": cited.quote.id,
        "type": CSL_TYPE,
        "title": cited.title,
        "note": "\n".join(cited.note_lines()),
    }
    if cited.summary.source:
        item["container-title"] = cited.summary.source
    if cited.summary.url:
        item["URL"] = cited.summary.url
    parts = _date_parts(cited.summary.date)
    if parts:
        item["issued"] = {"date-parts": [parts]}
        if _inferred(cited):
            item["issued"]["circa"] = True
    if cited.paragraph is not None:
        item["locator"] = str(cited.paragraph)
        item["label"] = "paragraph"
    if cited.demands:
        item["keyword"] = ", ".join(d.title for d in cited.demands)
    return item


def csl_json(cited: Sequence[Cited]) -> str:
    return json.dumps([csl_item(c) for c in cited], ensure_ascii=False, indent=2) + "\n"


# RIS ----------------------------------------------------------------------------------------
def ris_entry(cited: Cited) -> dict[str, Any]:
    """One RIS record as rispy's fields: ``TY NEWS``; the outlet as ``T2``; the date as
    ``DA`` (``2022/02/10/inferred``: RIS's own place for a date's remark); the quotation,
    attribution and demands as ``N1`` notes, one a line (a RIS value is one line)."""
    entry: dict[str, Any] = {
        "type_of_reference": RIS_TYPE,
        "id": cited.quote.id,
        "title": one_line(cited.title),
        "notes": [one_line(line) for line in cited.note_lines()],
    }
    if cited.summary.source:
        entry["secondary_title"] = one_line(cited.summary.source)
    if cited.summary.url:
        entry["urls"] = [cited.summary.url]
    parts = _date_parts(cited.summary.date)
    if parts:
        entry["year"] = f"{parts[0]:04d}"
        remark = cited.summary.date_basis if _inferred(cited) else ""
        padded = [f"{p:02d}" for p in parts[1:]] + [""] * (2 - len(parts[1:]))
        entry["date"] = "/".join([f"{parts[0]:04d}", *padded, remark])
    if cited.demands:
        entry["keywords"] = [d.title for d in cited.demands]
    if cited.paragraph is not None:
        entry["start_page"] = f"para. {cited.paragraph}"
    return entry


def ris(cited: Sequence[Cited]) -> str:
    """The records, each from ``TY`` to ``ER``, with none of rispy's numbered headers
    (``1.``): a line outside a record that some importers reject."""
    import rispy  # imported only for this format

    class Writer(rispy.RisWriter):
        def set_header(self, count: int) -> str:
            return ""

    return rispy.dumps([ris_entry(c) for c in cited], implementation=Writer)


# BibTeX -------------------------------------------------------------------------------------
def bibtex_fields(cited: Cited) -> dict[str, str]:
    """One BibTeX entry's fields (biblatex reads ``date``; BibTeX ``year`` and ``month``)."""
    fields = {"title": cited.title}
    if cited.summary.source:
        fields["journal"] = cited.summary.source
    parts = _date_parts(cited.summary.date)
    if parts:
        fields["year"] = str(parts[0])
        if len(parts) > 1:
            fields["month"] = str(parts[1])
        fields["date"] = "-".join([f"{parts[0]:04d}", *(f"{p:02d}" for p in parts[1:])])
    if cited.summary.url:
        fields["url"] = cited.summary.url.replace("{", "%7B").replace("}", "%7D")
    fields["note"] = "\n".join(cited.note_lines())
    if cited.demands:
        fields["keywords"] = ", ".join(d.title for d in cited.demands)
    if cited.paragraph is not None:
        fields["pages"] = f"para. {cited.paragraph}"
    return fields


def bibtex(cited: Sequence[Cited]) -> str:
    import bibtexparser  # imported only for this format
    from bibtexparser.middlewares import LatexEncodingMiddleware
    from bibtexparser.model import Entry, Field

    library = bibtexparser.Library()
    urls: dict[str, str] = {}
    for c in cited:
        fields = bibtex_fields(c)
        if "url" in fields:  # verbatim in biblatex: never LaTeX-encoded
            urls[c.quote.id] = fields.pop("url")
        library.add(Entry(BIBTEX_TYPE, c.quote.id, [Field(k, v) for k, v in fields.items()]))
    library = LatexEncodingMiddleware().transform(library)
    for entry in library.entries:
        if entry.key in urls:
            entry.set_field(Field("url", urls[entry.key]))
    return bibtexparser.write_string(library)
