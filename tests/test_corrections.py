"""The analyst's corrections (issue 16): kept in user.json, never in the corpus, applied
wherever a quote or link is read, keyed by article and span so that they survive a
re-analysis and a re-import, and never applied to words that changed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from newsbrowse.store.corrected import APPLIED, ARTICLE_GONE, TEXT_CHANGED
from newsbrowse.store.errors import BadInput, NotFound, StoreDamaged
from newsbrowse.store.export import export_text
from newsbrowse.store.library import Library
from newsbrowse.store.model import Article


def _corpus_bytes(home: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in sorted((home / "corpus").rglob("*.json"))}


def _quote(article: Article, speaker: str | None):
    return next(q for q in article.quotes if q.speaker == speaker)


def test_a_speaker_and_side_correction_is_read_everywhere_and_kept_apart(
    library: Library, sample: Article
) -> None:
    before = _corpus_bytes(library.home)
    lavrov = _quote(sample, "Sergei Lavrov")
    made = library.correct_quote(lavrov.id, speaker="Maria Zakharova", side="other")
    assert made.kind == "attribution" and made.text == lavrov.text
    assert _corpus_bytes(library.home) == before  # the corpus is never written
    assert "Maria Zakharova" in (library.home / "user.json").read_text(encoding="utf-8")

    shown = library.quote(lavrov.id)
    assert (shown.speaker, shown.side, shown.corrected, shown.checked) == (
        "Maria Zakharova",
        "other",
        True,
        False,
    )
    assert library.article(sample.id).quote(lavrov.id) == shown
    assert lavrov.id in {q.id for q in library.quotes(side="other")}
    assert lavrov.id not in {q.id for q in library.quotes(side="russia")}
    assert [q.id for q in library.quotes(speaker="zakharova")] == [lavrov.id]
    assert lavrov.id not in {q.id for q in library.quotes(speaker="lavrov")}
    hits = library.search("telephone connection")
    assert any(h.quote_id == lavrov.id and h.speaker == "Maria Zakharova" for h in hits)
    # the analysis's record is untouched
    assert library.stored_article(sample.id).quote(lavrov.id) == lavrov


def test_a_speaker_alone_keeps_the_side_and_a_later_correction_wins(
    library: Library, sample: Article
) -> None:
    psaki = _quote(sample, "Jen Psaki")
    library.correct_quote(psaki.id, speaker="Ned Price")
    assert (library.quote(psaki.id).speaker, library.quote(psaki.id).side) == (
        "Ned Price",
        "us_nato",
    )
    second = library.correct_quote(psaki.id, speaker="Antony Blinken")
    assert library.quote(psaki.id).speaker == "Antony Blinken"
    library.undo_correction(second.id)
    assert library.quote(psaki.id).speaker == "Ned Price"


def test_not_a_quote_leaves_lists_search_selection_and_exports_until_undone(
    library: Library, sample: Article
) -> None:
    unknown = _quote(sample, None)
    library.select(unknown.id)
    made = library.correct_quote(unknown.id, not_quote=True)
    assert unknown.id not in {q.id for q in library.quotes()}
    assert unknown.id not in {q.id for q in library.article(sample.id).quotes}
    assert not [h for h in library.search("end well anyone") if h.quote_id == unknown.id]
    assert unknown.id not in {q.id for q in library.selected_quotes()}
    with pytest.raises(NotFound, match="marked not a quote"):
        library.quote(unknown.id)
    assert "end well" not in export_text(library, library.quotes(), "md")
    with pytest.raises(BadInput, match="undo"):
        library.correct_quote(unknown.id, not_quote=True)

    library.undo_correction(made.id)
    assert library.quote(unknown.id) == unknown
    assert unknown.id in {q.id for q in library.selected_quotes()}
    with pytest.raises(BadInput, match="already undone"):
        library.undo_correction(made.id)


def test_checked_and_corrected_are_said_per_quote_in_every_export(
    library: Library, sample: Article
) -> None:
    lavrov, psaki, unknown = (_quote(sample, s) for s in ("Sergei Lavrov", "Jen Psaki", None))
    library.correct_quote(lavrov.id, checked=True)
    library.correct_quote(psaki.id, side="other")
    quotes = [library.quote(q.id) for q in (lavrov, psaki, unknown)]
    records = json.loads(export_text(library, quotes, "json"))
    assert [(r["attribution"], r["corrected"], r["checked"]) for r in records] == [
        ("checked", False, True),
        ("corrected", True, False),
        ("automatic", False, False),
    ]
    md = export_text(library, quotes, "md")
    assert md.count("(attribution checked)") == 1 and "(attribution corrected)" in md
    assert "attribution" in export_text(library, quotes, "csv").splitlines()[0]


def test_a_link_correction_moves_it_between_demands_sides_and_counts(
    library: Library, sample: Article
) -> None:
    link = next(lk for lk in sample.links if lk.demand == "ukraine-georgia")
    counts = library.link_counts()
    library.correct_link(link.id, demand="no-enlargement", stance="open")
    fixed = [lk for lk in library.links(demand="no-enlargement") if lk.id == link.id]
    assert fixed and fixed[0].stance == "open" and fixed[0].corrected
    assert link.id not in {lk.id for lk in library.links(demand="ukraine-georgia")}
    assert link.id in {lk.id for lk in library.links(demand="no-enlargement", stance="open")}
    assert link.id not in {lk.id for lk in library.links(stance="rejects")}
    after = library.link_counts()
    assert after["ukraine-georgia"].get("rejects", 0) == counts["ukraine-georgia"]["rejects"] - 1
    assert after["no-enlargement"]["open"] == counts["no-enlargement"].get("open", 0) + 1

    hotline = next(lk for lk in sample.links if lk.demand == "hotline")
    library.correct_link(hotline.id, remove=True)
    assert hotline.id not in {lk.id for lk in library.links()}
    assert hotline.id not in {lk.id for lk in library.article(sample.id).links}
    assert library.link_counts()["hotline"]["russia"] == counts["hotline"]["russia"] - 1


def test_an_added_quote_is_listed_selected_exported_and_corrected_like_any(
    library: Library, sample: Article
) -> None:
    start = sample.body.index("Washington would never")
    end = sample.body.index(" from joining")
    made = library.add_quote(sample.id, start, end, speaker="Jen Psaki", side="us_nato")
    added = library.quote(made.target)
    assert (added.text, added.corrected, added.start) == (sample.body[start:end], True, start)
    assert made.target in [q.id for q in library.quotes(article=sample.id)]
    assert made.target in [q.id for q in library.quotes(speaker="psaki")]
    library.select(made.target)
    assert made.target in [q.id for q in library.selected_quotes()]
    assert "Washington would never agree" in export_text(library, [added], "md")
    library.correct_quote(made.target, speaker="Ned Price")
    assert library.quote(made.target).speaker == "Ned Price"
    quote = _quote(sample, "Jen Psaki")
    with pytest.raises(BadInput, match="overlaps"):
        library.add_quote(sample.id, quote.start + 2, quote.end + 5, speaker=None, side="other")


def test_a_note_is_shown_and_found_by_the_note_filter(library: Library, sample: Article) -> None:
    lavrov = _quote(sample, "Sergei Lavrov")
    link = next(lk for lk in sample.links if lk.demand == "exercises")
    library.add_note(lavrov.id, "Check the TASS wording")
    library.add_note(link.id, "reciprocity, not exercises?")
    assert library.quote(lavrov.id).note == "Check the TASS wording"
    assert [h.quote_id for h in library.search("note:tass")] == [lavrov.id]
    assert [h.link_id for h in library.search("note:reciprocity")] == [link.id]
    assert [h.quote_id for h in library.search("telephone note:tass")] == [lavrov.id]
    assert library.search("telephone note:nothing") == []
    assert "Note: Check the TASS wording" in export_text(library, [library.quote(lavrov.id)], "md")


@pytest.mark.parametrize(
    "call",
    [
        lambda lib, s: lib.correct_quote("nope-q1", side="other"),
        lambda lib, s: lib.correct_quote(s.quotes[0].id, side="moon"),
        lambda lib, s: lib.correct_quote(s.quotes[0].id),
        lambda lib, s: lib.correct_quote(s.quotes[0].id, speaker=" ", side="other"),
        lambda lib, s: lib.correct_quote(s.quotes[0].id, not_quote=True, checked=True),
        lambda lib, s: lib.correct_quote(s.links[0].id, checked=True),
        lambda lib, s: lib.correct_link(s.links[0].id, demand="no-such-demand"),
        lambda lib, s: lib.correct_link(s.links[0].id, stance="furious"),
        lambda lib, s: lib.correct_link(s.links[0].id, side="moon"),
        lambda lib, s: lib.correct_link(s.links[0].id),
        lambda lib, s: lib.correct_link(s.quotes[0].id, remove=True),
        lambda lib, s: lib.add_quote(s.id, 5, 3, speaker=None, side="other"),
        lambda lib, s: lib.add_quote(s.id, 0, len(s.body) + 1, speaker=None, side="other"),
        lambda lib, s: lib.add_quote(s.id, 0, 5, speaker=None, side="moon"),
        lambda lib, s: lib.add_quote("nosuchid", 0, 5, speaker=None, side="other"),
        lambda lib, s: lib.add_note(s.quotes[0].id, "   "),
        lambda lib, s: lib.add_note("nope", "a note"),
        lambda lib, s: lib.undo_correction("c99"),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(library: Library, sample: Article, call) -> None:
    library.correct_quote(sample.quotes[0].id, checked=True)  # user.json exists
    path = library.home / "user.json"
    before = path.read_bytes()
    with pytest.raises(BadInput) as caught:
        call(library, sample)
    assert "\n" not in str(caught.value)
    assert path.read_bytes() == before


def test_a_correction_whose_words_changed_needs_review_and_is_not_applied(
    library: Library, sample: Article
) -> None:
    lavrov = _quote(sample, "Sergei Lavrov")
    span = {"target": lavrov.id, "article_id": sample.id, "start": lavrov.start}
    library.user.corrections.add(
        kind="attribution", speaker="Somebody Else", end=lavrov.end, text="other words", **span
    )
    library.user.corrections.add(kind="checked", end=lavrov.end - 3, text=lavrov.text, **span)
    assert library.quote(lavrov.id) == lavrov
    assert {r.status for r in library.corrections()} == {TEXT_CHANGED}


def test_corrections_survive_a_reanalysis(library: Library) -> None:
    quote = library.quotes(speaker="psaki")[0]
    link = library.links(demand="talks")[0]
    library.correct_quote(quote.id, speaker="Ned Price")
    library.correct_link(link.id, stance="rejects")
    library.reanalyse()
    assert library.quote(quote.id).speaker == "Ned Price"
    assert next(lk for lk in library.links(demand="talks") if lk.id == link.id).stance == "rejects"
    assert {r.status for r in library.corrections()} == {APPLIED}


def test_corrections_survive_a_reset_and_reimport_of_the_same_file(
    library: Library, tmp_path: Path
) -> None:
    path = tmp_path / "vienna.txt"
    path.write_text(
        "Envoys meet in Vienna\n\n"
        "\u201cWe expect a written answer, point by point,\u201d Ivan Example said on Tuesday.\n",
        encoding="utf-8",
    )
    article_id = library.import_paths([path])[0].id
    quote = library.article(article_id).quotes[0]
    library.correct_quote(quote.id, side="russia")
    library.reset()
    assert [r.status for r in library.corrections()] == [ARTICLE_GONE]
    assert library.import_paths([path])[0].id == article_id
    assert library.quote(quote.id).side == "russia"
    assert [r.status for r in library.corrections()] == [APPLIED]


def test_reads_never_write_user_json(library: Library, sample: Article) -> None:
    library.correct_quote(sample.quotes[0].id, speaker="A. Person")
    path = library.home / "user.json"
    stamp = path.stat().st_mtime_ns
    reader = Library.open(library.home, read_only=True)
    try:
        assert reader.quote(sample.quotes[0].id).speaker == "A. Person"
        reader.quotes()
        reader.links()
        reader.link_counts()
        reader.search("note:x")
        reader.corrections()
    finally:
        reader.close()
    assert path.stat().st_mtime_ns == stamp


def test_a_malformed_correction_is_damage(library: Library, sample: Article) -> None:
    library.correct_quote(sample.quotes[0].id, checked=True)
    path = library.home / "user.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["corrections"]["1"]["start"] = "ten"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(StoreDamaged, match="correction"):
        Library.open(library.home, read_only=True).quotes()


def test_the_corpus_records_hold_no_user_field(library: Library, tmp_path: Path) -> None:
    path = tmp_path / "geneva.txt"
    path.write_text(
        "Geneva talks\n\nSergei Lavrov told reporters: \u201cWe need legally binding "
        "guarantees that NATO will not move further east.\u201d\n",
        encoding="utf-8",
    )
    library.import_paths([path])
    library.reanalyse()
    for raw in _corpus_bytes(library.home).values():
        assert b'"corrected"' not in raw and b'"checked"' not in raw and b'"note"' not in raw


def test_search_filters_see_the_corrected_speaker_and_side(
    library: Library, sample: Article
) -> None:
    lavrov = _quote(sample, "Sergei Lavrov")
    library.correct_quote(lavrov.id, speaker="Maria Zakharova", side="other")
    assert [h.quote_id for h in library.search("speaker:zakharova")] == [lavrov.id]
    assert [h.quote_id for h in library.search("speaker:zakharova telephone")] == [lavrov.id]
    assert library.search("speaker:zakharova exercises") == []
    assert lavrov.id in {h.quote_id for h in library.search("side:other telephone")}
    assert lavrov.id not in {h.quote_id for h in library.search("speaker:lavrov telephone")}
    assert lavrov.id not in {h.quote_id for h in library.search("side:russia telephone")}
    hit = next(h for h in library.search("telephone") if h.quote_id == lavrov.id)
    assert (hit.speaker, hit.side, hit.corrected) == ("Maria Zakharova", "other", True)
    with pytest.raises(BadInput):
        library.search("speaker:nobodyatall")


def test_a_struck_selected_quote_is_not_called_missing(library: Library, sample: Article) -> None:
    from newsbrowse.store.reanalysis import missing_selection

    unknown = _quote(sample, None)
    library.select(unknown.id)
    library.correct_quote(unknown.id, not_quote=True)
    assert missing_selection(library) == []
    assert unknown.id in library.selected_ids()  # kept: undo brings it back
