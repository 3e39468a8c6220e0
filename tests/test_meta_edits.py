"""An article's metadata edited afterwards (issue 18): kept in user.json as a correction,
keyed by the article id, shown wherever the metadata is read, listed and undone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from newsbrowse.store.corrected import APPLIED, ARTICLE_GONE
from newsbrowse.store.errors import BadInput
from newsbrowse.store.export import export_text
from newsbrowse.store.library import Library
from newsbrowse.store.model import Article


def _corpus_bytes(home: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in sorted((home / "corpus").rglob("*.json"))}


@pytest.mark.parametrize(
    ("field", "value", "shown"),
    [
        ("title", "  Envoys  meet <b>again</b> ", "Envoys meet again"),
        ("source", "The Daily Example", "The Daily Example"),
        ("url", "https://example.org/a/1", "https://example.org/a/1"),
        ("date", "2022-01-21", "2022-01-21"),
        ("author", "Ann Writer", "Ann Writer"),
    ],
)
def test_each_field_is_edited_shown_and_undone(
    library: Library, sample: Article, field: str, value: str, shown: str
) -> None:
    before = _corpus_bytes(library.home)
    made = library.edit_meta(sample.id[:6], **{field: value})
    assert (made.kind, made.target, getattr(made, field)) == ("meta", sample.id, shown)
    assert _corpus_bytes(library.home) == before  # user data only
    art = library.article(sample.id)
    assert (getattr(art, field), art.edited) == (shown, (field,))
    if field == "date":
        assert art.date_basis == "stated"
    if field != "author":  # a summary holds no author
        summary = library.summaries([sample.id])[sample.id]
        assert getattr(summary, field) == shown and summary.edited == (field,)
        listed = next(s for s in library.articles() if s.id == sample.id)
        assert getattr(listed, field) == shown
    assert [r.status for r in library.corrections()] == [APPLIED]
    library.undo_correction(made.id)
    assert library.article(sample.id) == library.stored_article(sample.id)
    assert library.article(sample.id).edited == ()


def test_a_later_edit_wins_a_field_is_cleared_and_undo_reverts_to_the_earlier(
    library: Library, sample: Article
) -> None:
    library.edit_meta(sample.id, title="First title", source="Wire One")
    second = library.edit_meta(sample.id, title="Second title", url="")
    art = library.article(sample.id)
    assert (art.title, art.source, art.url) == ("Second title", "Wire One", None)
    assert art.edited == ("title", "source", "url")
    library.undo_correction(second.id)
    art = library.article(sample.id)
    assert (art.title, art.source, art.url) == ("First title", "Wire One", sample.url)


def test_search_hits_and_every_export_cite_the_edited_values(
    library: Library, sample: Article
) -> None:
    library.edit_meta(
        sample.id, title="Edited title", source="Edited Wire", url="https://e.example/x"
    )
    library.edit_meta(sample.id, date="2021-12-17")
    hits = [h for h in library.search("telephone connection") if h.article_id == sample.id]
    assert hits and all(h.title == "Edited title" for h in hits)
    quotes = library.quotes(article=sample.id)
    for fmt in ("md", "csv", "json"):
        text = export_text(library, quotes, fmt)
        assert "Edited title" in text and "Edited Wire" in text and "https://e.example/x" in text
        assert "2021-12-17" in text and sample.title not in text
    record = json.loads(export_text(library, quotes, "json"))[0]
    assert (record["title"], record["date"], record["date_basis"]) == (
        "Edited title",
        "2021-12-17",
        "stated",
    )
    assert "“Edited title”, Edited Wire, 2021-12-17, para. " in record["citation"]
    assert record["citation"].endswith(", https://e.example/x")


@pytest.mark.parametrize(
    "given",
    [
        {"url": "ftp://example.org/x"},
        {"url": "not a url"},
        {"date": "2022-02-30"},
        {"date": "21 January 2022"},
        {"title": ""},
        {"title": "<b></b>"},
        {"source": "x" * 400},
        {},
        {"title": "Fine", "date": "yesterday"},  # one bad value: nothing stored
    ],
)
def test_bad_input_is_one_line_and_stores_nothing(
    library: Library, sample: Article, given: dict[str, str]
) -> None:
    library.edit_meta(sample.id, author="Someone")  # user.json exists
    path = library.home / "user.json"
    before = path.read_bytes()
    with pytest.raises(BadInput) as caught:
        library.edit_meta(sample.id, **given)
    assert "\n" not in str(caught.value)
    assert path.read_bytes() == before


def test_an_unknown_article_is_bad_input(library: Library) -> None:
    with pytest.raises(BadInput, match="no article"):
        library.edit_meta("nosuchid", title="A title")


def test_an_edit_survives_a_reanalysis(library: Library) -> None:
    first = library.articles()[0]
    library.edit_meta(first.id, title="Kept through reanalysis", date="2022-02-01")
    library.reanalyse()
    art = library.article(first.id)
    assert (art.title, art.date, art.edited) == (
        "Kept through reanalysis",
        "2022-02-01",
        ("title", "date"),
    )
    assert [r.status for r in library.corrections()] == [APPLIED]


def test_an_edit_survives_a_reset_and_reimport_of_the_same_file(
    library: Library, tmp_path: Path
) -> None:
    path = tmp_path / "vienna.txt"
    path.write_text(
        "Envoys meet in Vienna\n\n"
        "\u201cWe expect a written answer, point by point,\u201d Ivan Example said on Tuesday.\n",
        encoding="utf-8",
    )
    article_id = library.import_paths([path])[0].id
    library.edit_meta(article_id, source="Vienna Wire")
    library.reset()
    assert [r.status for r in library.corrections()] == [ARTICLE_GONE]
    assert library.import_paths([path])[0].id == article_id
    assert library.article(article_id).source == "Vienna Wire"
    assert [r.status for r in library.corrections()] == [APPLIED]


def test_reads_never_write_user_json(library: Library, sample: Article) -> None:
    library.edit_meta(sample.id, title="Read only")
    path = library.home / "user.json"
    stamp = path.stat().st_mtime_ns
    reader = Library.open(library.home, read_only=True)
    try:
        assert reader.article(sample.id).title == "Read only"
        reader.articles()
        reader.article_page(0, 10)
        reader.summaries([sample.id])
        reader.search("telephone")
        reader.corrections()
    finally:
        reader.close()
    assert path.stat().st_mtime_ns == stamp


def test_a_reader_sees_an_edit_made_by_another_process_after_it_read(
    library: Library, sample: Article
) -> None:
    reader = Library.open(library.home, read_only=True)
    try:
        assert reader.summaries([sample.id])[sample.id].title == sample.title  # kept
        made = library.edit_meta(sample.id, title="Made elsewhere")
        assert reader.summaries([sample.id])[sample.id].title == "Made elsewhere"
        library.undo_correction(made.id)
        assert reader.article_page(0, 100)[0].edited == ()
        assert reader.summaries([sample.id])[sample.id].title == sample.title
    finally:
        reader.close()
