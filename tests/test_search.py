"""Search: ranking over text, titles and quotes, prefixes, phrases, filters and offsets."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from newsbrowse.store.errors import BadInput, NotFound
from newsbrowse.store.library import Library
from newsbrowse.store.model import Article
from newsbrowse.store.search import MAX_QUERY_WORDS


def _body(library: Library, article_id: str) -> str:
    return library.article(article_id).body


def test_prefix_matches_as_the_user_types(library: Library, sample: Article) -> None:
    hits = library.search("teleph")
    assert hits, "a word prefix finds the word"
    top = hits[0]
    assert top.article_id == sample.id
    assert sample.body[top.start : top.end].lower() == "telephone"


def test_offsets_point_at_every_matched_word(library: Library, sample: Article) -> None:
    for hit in library.search("moscow"):
        body = _body(library, hit.article_id)
        assert hit.matches, hit
        assert (hit.start, hit.end) == hit.matches[0]
        for start, end in hit.matches:
            assert body[start:end].lower().startswith("moscow")
        for start, end in hit.snippet_matches:
            assert hit.snippet[start:end].lower().startswith("moscow")


def test_quote_hits_carry_speaker_and_stay_inside_the_quote(
    library: Library, sample: Article
) -> None:
    hits = library.search("reciprocal")
    quote_hits = [h for h in hits if h.kind == "quote" and h.article_id == sample.id]
    assert len(quote_hits) == 1
    hit = quote_hits[0]
    quote = library.quote(hit.quote_id)
    assert (hit.speaker, hit.side) == ("Jen Psaki", "us_nato")
    assert quote.start <= hit.start < hit.end <= quote.end


def test_phrase_needs_the_words_in_order(library: Library, sample: Article) -> None:
    assert any(h.article_id == sample.id for h in library.search('"telephone connection"'))
    assert not any(h.article_id == sample.id for h in library.search('"connection telephone"'))
    hit = next(h for h in library.search('"direct telephone"') if h.kind == "article")
    assert sample.body[hit.start : hit.end] == "direct telephone"


def test_title_only_match_is_found(library: Library, add_article) -> None:
    art = add_article("Nothing in the body matches.", article_id="00aa11bb22cc", title="Zyzzyva")
    hits = library.search("zyzzyva")
    assert [h.article_id for h in hits] == [art.id]
    assert hits[0].snippet == "Zyzzyva" and hits[0].snippet_matches == [(0, 7)]


def test_seed_articles_are_searchable(library: Library) -> None:
    hits = library.search("guarantees")
    ids = {h.article_id for h in hits}
    assert len(ids) >= 3
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True), "ranked best first"


def test_speaker_filter_matches_alias(library: Library, sample: Article) -> None:
    hits = library.search("speaker:lavrov")
    assert [h.quote_id for h in hits] == [sample.quotes[0].id]
    assert library.search("speaker:lavrov moscow")[0].speaker == "Sergei Lavrov"
    assert library.search("speaker:lavrov exercises") == []


def test_side_filter(library: Library, sample: Article) -> None:
    hits = library.search("side:us_nato")
    assert hits and all(h.side == "us_nato" for h in hits)
    assert sample.quotes[1].id in {h.quote_id for h in hits}
    assert all(h.side == "russia" for h in library.search("side:russia moscow"))


def test_only_filters_list_matching_quotes(library: Library, sample: Article) -> None:
    expected = {q.id for q in library.quotes(side="unknown")}
    hits = library.search("side:unknown")
    assert {h.quote_id for h in hits if h.kind == "quote"} == expected
    assert sample.quotes[2].id in expected


def test_demand_filter_finds_evidence_and_linked_quotes(library: Library, sample: Article) -> None:
    hits = library.search("demand:hotline moscow")
    kinds = {(h.kind, h.quote_id) for h in hits}
    assert ("quote", sample.quotes[0].id) in kinds
    assert ("link", None) in kinds, "evidence without a quote is found too"
    hotline_quotes = {lk.quote_id for lk in library.links(demand="hotline")}
    for hit in hits:
        assert hit.demand == "hotline" if hit.kind == "link" else hit.quote_id in hotline_quotes
    assert not [
        h for h in library.search("demand:exercises telephone") if h.article_id == sample.id
    ]
    listed = [h for h in library.search("demand:ukraine-georgia") if h.article_id == sample.id]
    assert [(h.kind, h.demand) for h in listed] == [("link", "ukraine-georgia")]


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ("side:martians", BadInput),
        ("demand:world-peace", NotFound),
        ("speaker:nobody-at-all", BadInput),
        ("speaker:", BadInput),
    ],
)
def test_unknown_filter_values_are_one_line_errors(
    library: Library, query: str, error: type[Exception]
) -> None:
    with pytest.raises(error) as info:
        library.search(query)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    "query",
    ['"', "NOT", "AND OR", "*", "(", ")", "NEAR(a b)", "a:b", "col:x", "'; DROP TABLE", "-", "^x"],
)
def test_fts_syntax_never_leaks(library: Library, query: str) -> None:
    assert isinstance(library.search(query), list)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=40))
def test_any_input_is_a_list_or_a_user_error(query: str) -> None:
    lib = _shared_library()
    try:
        hits = lib.search(query)
    except (BadInput, NotFound) as exc:
        assert "\n" not in str(exc)
    else:
        assert isinstance(hits, list)


_LIBRARY: list[Library] = []


def _shared_library() -> Library:
    """One seeded library for the property test (hypothesis reruns the body, not fixtures)."""
    if not _LIBRARY:
        import tempfile
        from pathlib import Path

        _LIBRARY.append(Library.open(Path(tempfile.mkdtemp(prefix="nb-search-"))))
    return _LIBRARY[0]


def test_a_query_of_too_many_words_is_refused_at_once_with_the_limit(
    library: Library, sample: Article
) -> None:
    started = time.monotonic()
    for query in (" ".join(["nato"] * 3000), '"' + " ".join(["nato"] * 33) + '"'):
        with pytest.raises(BadInput, match=f"at most {MAX_QUERY_WORDS}") as info:
            library.search(query)
        assert "\n" not in str(info.value) and "keep the words" in str(info.value)
    assert time.monotonic() - started < 5, "refused before any work (it took 35 s)"
    within = " ".join(["telephone"] * (MAX_QUERY_WORDS - 1)) + " speaker:lavrov side:russia"
    assert library.search(within), "the limit counts words, not filters"


def test_empty_query_finds_nothing(library: Library) -> None:
    assert library.search("") == []
    assert library.search("   ...  ") == []


def test_limit(library: Library) -> None:
    assert len(library.search("the", limit=2)) == 2


def test_a_one_letter_word_is_a_word_not_a_prefix(library: Library, add_article) -> None:
    art = add_article("Plan B is on the table, said an official.", article_id="00aa11bb22cc")
    hits = library.search("b")
    assert [h.article_id for h in hits] == [art.id]
    assert [art.body[s:e] for s, e in hits[0].matches] == ["B"]
    assert library.search("plan b")[0].matches == [(0, 4), (5, 6)]


def test_ranking_is_exact_within_the_window_and_bounded_beyond(
    library: Library, add_article, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsbrowse.store import search as search_mod

    for i, body in enumerate(["zyx one.", "zyx zyx zyx two.", "zyx zyx three.", "zyx four."]):
        add_article(body, article_id=f"00aa11bb22c{i}", title=f"T{i}")
    hits = library.search("zyx")
    assert [h.article_id for h in hits][:2] == ["00aa11bb22c1", "00aa11bb22c2"]
    monkeypatch.setattr(search_mod, "WINDOW", 2)
    narrowed = library.search("zyx")
    assert len(narrowed) == 2, "only the newest WINDOW matches are ranked"
    assert {h.article_id for h in narrowed} < {h.article_id for h in hits}
    assert [h.score for h in narrowed] == sorted((h.score for h in narrowed), reverse=True)


def test_a_replaced_article_leaves_no_filter_rows(library: Library, add_article) -> None:
    body = "A zyx hotline was asked for. Zed Quorvath said: \u201cWe want zyx now.\u201d"
    art = add_article(
        body,
        quotes=[("We want zyx now.", "Zed Quorvath", "other")],
        links=[("A zyx hotline was asked for.", "hotline", "russia", None)],
    )
    assert [h.quote_id for h in library.search("speaker:quorvath")] == [art.quotes[0].id]
    assert [h.kind for h in library.search("side:other zyx")] == ["quote"]
    assert [h.link_id for h in library.search("demand:hotline zyx")] == [art.links[0].id]
    assert [h.link_id for h in library.search("demand:hotline") if h.article_id == art.id] == [
        art.links[0].id
    ]
    add_article(body)  # the same id again, now without its quote and link
    assert [h.kind for h in library.search("zyx")] == ["article"]
    assert library.search("side:other zyx") == []
    assert library.search("demand:hotline zyx") == []
    assert not [h for h in library.search("demand:hotline") if h.article_id == art.id]
    with pytest.raises(BadInput):
        library.search("speaker:quorvath")


def test_words_never_match_filter_tags(library: Library, sample: Article) -> None:
    for query in ("xs", "xp", "xd", "x", "side:russia xs"):
        assert [h for h in library.search(query) if h.kind != "article"] == [], query


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet="ab_ -İ\u00e9A", max_size=30),
    st.lists(
        st.lists(st.sampled_from(["a", "ab", "b", "ba", "é"]), min_size=1, max_size=2),
        min_size=1,
        max_size=3,
    ),
)
def test_match_offsets_are_those_of_a_token_start_regex(text: str, terms: list[list[str]]) -> None:
    import re

    from newsbrowse.store.highlights import Finder as _Finder
    from newsbrowse.store.highlights import is_prefix as _is_prefix

    parsed = [tuple(t) for t in terms]
    alts = [
        r"(?<![^\W_])"
        + r"[\W_]+".join(re.escape(t) for t in term)
        + (r"[^\W_]*" if _is_prefix(term) else r"(?![^\W_])")
        for term in parsed
    ]
    reference = re.compile("|".join(alts), re.IGNORECASE)
    assert _Finder(parsed).find(text) == [m.span() for m in reference.finditer(text)]
