"""The benchmark's corpus at 1,000 articles, imported for real: correct at that size.

Speed is the full benchmark's business (``tests/bench/run.py``); this asserts that a
thousand generated articles all arrive, are counted right, and can be found.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from generate import generate_article, write_corpus
from newsbrowse.store.library import ImportResult, Library

COUNT = 1000
SEED = 7
PLANTED_AT = 537
PLANTED = "Negotiators met the quartermaster of Zyrvonia at the Okhrana pavilion."


@pytest.fixture(scope="module")
def imported(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Library, list[ImportResult]]]:
    folder = tmp_path_factory.mktemp("corpus")
    write_corpus(folder, COUNT, seed=SEED, plant={PLANTED_AT: PLANTED})
    lib = Library.open(tmp_path_factory.mktemp("bench") / "home", bootstrap=False)
    results = lib.import_paths([folder])
    yield lib, results
    lib.close()


def test_generator_is_deterministic_and_varied() -> None:
    first, again, other = generate_article(3), generate_article(3), generate_article(4)
    assert first.text == again.text
    assert first.text != other.text
    assert 380 <= len(first.text.split()) <= 700
    assert "\u201c" in "".join(generate_article(i).text for i in range(20))
    assert '"' in "".join(generate_article(i).text for i in range(20))


def test_every_article_is_imported_and_listed(imported: tuple[Library, list[ImportResult]]) -> None:
    lib, results = imported
    assert [r.skipped for r in results if r.skipped] == []
    ids = {r.id for r in results}
    assert len(ids) == COUNT
    assert {s.id for s in lib.articles()} == ids


def test_counts_match_the_records(imported: tuple[Library, list[ImportResult]]) -> None:
    lib, _ = imported
    summaries = lib.articles()
    assert sum(s.quote_count for s in summaries) == len(lib.quotes())
    assert sum(s.link_count for s in summaries) == len(lib.links())
    for summary in summaries[::50]:
        art = lib.article(summary.id)
        assert (summary.quote_count, summary.link_count) == (len(art.quotes), len(art.links))
        assert summary.title == art.title


def test_web_junk_is_removed_and_dates_are_in_range(
    imported: tuple[Library, list[ImportResult]],
) -> None:
    lib, _ = imported
    junk = re.compile(r"^(?:Post a Comment|Related Posts|Ok, Go it!|See also|#NATO)", re.M)
    for summary in lib.articles()[::25]:
        assert junk.search(lib.article(summary.id).body) is None
    dates = [s.date for s in lib.articles() if s.date]
    assert dates
    assert all("2021-12-01" <= d <= "2022-02-28" for d in dates)


def test_search_finds_the_planted_phrase_first(
    imported: tuple[Library, list[ImportResult]],
) -> None:
    lib, results = imported
    planted_id = results[PLANTED_AT].id
    hits = lib.search("Zyrvonia quartermaster")
    assert hits
    assert {h.article_id for h in hits} == {planted_id}
    common = lib.search("guarantees")
    assert len(common) == 50


def test_speakers_the_text_names_are_found(
    imported: tuple[Library, list[ImportResult]],
) -> None:
    lib, results = imported
    checked = 0
    for index in range(0, COUNT, 10):
        expected = generate_article(index, SEED).attributed
        art = lib.article(results[index].id)
        found = {(q.text, q.speaker) for q in art.quotes}
        missing = [pair for pair in expected if pair not in found]
        assert missing == [], f"article {index}"
        checked += len(expected)
    assert checked > 100


def test_offsets_reproduce_quotes_and_evidence(
    imported: tuple[Library, list[ImportResult]],
) -> None:
    lib, _ = imported
    for summary in lib.articles()[::20]:
        art = lib.article(summary.id)
        assert art.quotes and art.links
        for quote in art.quotes:
            assert art.body[quote.start : quote.end] == quote.text
            assert quote.speaker is not None
        for link in art.links:
            assert art.body[link.start : link.end] == link.evidence
