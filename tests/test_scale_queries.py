"""Queries that must cost the same at any corpus size: index updates, paged links, counts,
and search that never reads an article record from the corpus."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from newsbrowse.store import queries as queries_module
from newsbrowse.store.errors import NotFound
from newsbrowse.store.library import Library
from newsbrowse.store.model import Article

BODY = (
    "Moscow wants legally binding guarantees from the alliance.\n\n"
    "\u201cWe will not accept a hotline without guarantees,\u201d the minister said.\n"
)


def _contents(library: Library) -> dict[str, object]:
    """What the index answers, through public queries (not the FTS tables' layout)."""
    queries = ("guarantees", "Geneva", '"legally binding"', "demand:hotline", "side:russia")
    return {
        "articles": library.articles(),
        "quotes": library.quotes(),
        "links": library.links(),
        "counts": library.link_counts(),
        "search": {q: sorted(library.search(q, limit=500), key=repr) for q in queries},
    }


def test_adding_an_indexed_article_again_replaces_its_rows_only(
    library: Library, add_article: Callable[..., Article]
) -> None:
    art = add_article(
        BODY,
        quotes=[("We will not accept a hotline without guarantees,", None, "russia")],
        links=[("legally binding guarantees", "legal-guarantees", "russia", None)],
    )

    def other_hits() -> set[tuple[object, ...]]:
        hits = library.search("NATO", limit=500)
        return {(h.kind, h.article_id, h.quote_id, h.start) for h in hits if h.article_id != art.id}

    others = other_hits()
    changed = dataclasses.replace(art, body=BODY.replace("alliance", "zyxwvu bloc"), quotes=[])
    index = library._fresh_index()
    index.add_chunk("000099", 0, [(changed, None)], {})
    index.commit(library.corpus.generation)
    assert {h.article_id for h in library.search("zyxwvu")} == {art.id}
    assert not [h for h in library.search("alliance") if h.article_id == art.id]
    assert library.quotes(article=art.id) == []
    assert [lk.article_id for lk in library.links(demand="legal-guarantees")].count(art.id) == 1
    assert other_hits() == others  # scores move with the corpus's statistics


def test_an_imported_into_index_holds_what_a_rebuild_holds(
    library: Library, tmp_path: Path
) -> None:
    library._fresh_index()
    for name, city in (("a.txt", "Moscow"), ("b.txt", "Geneva")):
        (tmp_path / name).write_text(BODY.replace("Moscow", city), encoding="utf-8")
    imported = library.import_paths([tmp_path])
    assert all(r.id for r in imported)
    assert library.index.generation() == library.corpus.generation  # added, not rebuilt
    updated = _contents(library)
    library.index.rebuild(
        library.corpus.articles(),
        {n: library.corpus.chunk_path(n).stat().st_size for n in library.corpus.chunks()},
        library.corpus.generation,
    )
    assert _contents(library) == updated


def _old_order(library: Library) -> list[str]:
    """The order links() had when it sorted in Python: codebook, Russia first, date, place."""
    order = {slug: i for i, slug in enumerate(library.codebook.slugs)}
    dates = {s.id: s.date or "9999" for s in library.articles()}
    links = library.links()
    links.sort(
        key=lambda lk: (
            order.get(lk.demand, 99),
            lk.side != "russia",
            dates[lk.article_id],
            lk.article_id,
            lk.start,
        )
    )
    return [lk.id for lk in links]


def test_links_keep_their_order_and_page(library: Library) -> None:
    everything = library.links()
    assert len(everything) == 49
    assert [lk.id for lk in everything] == _old_order(library)
    for slug in library.codebook.slugs:
        for side in ("russia", "us_nato"):
            whole = library.links(demand=slug, side=side)
            assert whole == [lk for lk in everything if lk.demand == slug and lk.side == side]
            pages = []
            for offset in range(0, len(whole) + 3, 3):
                pages += library.links(demand=slug, side=side, offset=offset, limit=3)
            assert pages == whole
    assert library.links(limit=0) == []
    assert library.links(offset=len(everything)) == []
    assert library.links(offset=5) == everything[5:]


def test_a_page_past_an_offset_reads_its_links_by_rowid_in_batches(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    everything = library.links()
    monkeypatch.setattr(queries_module, "_SQL_VARIABLES", 4)  # several IN (...) batches
    assert library.links(offset=1) == everything[1:]
    assert library.links(offset=3, limit=10) == everything[3:13]
    slug = everything[-1].demand
    group = [lk for lk in everything if lk.demand == slug and lk.side == "russia"]
    assert library.links(demand=slug, side="russia", offset=2) == group[2:]


def test_link_counts_agree_with_the_links(library: Library) -> None:
    counts = library.link_counts()
    links = library.links()
    sides = Counter((lk.demand, lk.side) for lk in links)
    stances = Counter((lk.demand, lk.stance or "neutral") for lk in links if lk.side == "us_nato")
    assert sum(sides.values()) == 49
    for (demand, side), n in sides.items():
        assert counts[demand][side] == n
    for (demand, stance), n in stances.items():
        assert counts[demand][stance] == n
    assert set(counts) == {lk.demand for lk in links}


def test_search_reads_no_article_record(library: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    queries = ("guarantees", '"legally binding"', "demand:hotline")
    expected = {q: library.search(q) for q in queries}
    bodies = {s.id: library.article(s.id).body for s in library.articles()}

    def refuse(*_args: object) -> None:
        raise AssertionError("search loaded an article record from the corpus")

    monkeypatch.setattr(library.corpus, "article", refuse)
    monkeypatch.setattr(library.corpus, "chunk_records", refuse)
    for query in queries:
        hits = library.search(query)
        assert hits and hits == expected[query]
    for hit in expected["guarantees"]:
        assert all(
            bodies[hit.article_id][s:e].lower().startswith("guarantee") for s, e in hit.matches
        )
    for hit in expected['"legally binding"']:
        assert hit.matches
        for s, e in hit.matches:
            assert bodies[hit.article_id][s:e].lower().split() == ["legally", "binding"]
    for hit in expected["demand:hotline"]:
        assert bodies[hit.article_id][hit.start : hit.end].strip()
        assert hit.snippet.strip("…")[:20] in " ".join(bodies[hit.article_id].split())
    first = library.articles()[0].id
    assert library.resolve_article_id(first) == first
    assert library.resolve_article_id(first[:8]) == first
    with pytest.raises(NotFound):
        library.resolve_article_id("nonexistent-id")


def _page_plan(library: Library) -> str:
    """SQLite's plan for a page deep inside one demand's group of one side."""
    conn = library._fresh_index().conn
    plan = conn.execute(
        "EXPLAIN QUERY PLAN SELECT id FROM links WHERE demand = ? AND side = ? "
        "ORDER BY sort_date, row LIMIT 5 OFFSET 100",
        ("hotline", "russia"),
    ).fetchall()
    return " | ".join(row[3] for row in plan)


def test_a_deep_page_of_a_demand_group_walks_one_index(library: Library) -> None:
    # No temporary B-tree: a page at any offset is a walk of the index, not a sort of
    # every link of the group (100,000 articles: 409 ms -> 10 ms for the last page).
    plan = _page_plan(library)
    assert "links_page" in plan
    assert "TEMP B-TREE" not in plan


def test_a_page_near_a_groups_end_is_read_backwards_from_the_index(library: Library) -> None:
    slug = "no-enlargement"
    whole = library.links(demand=slug, side="russia")
    assert len(whole) >= 6
    executed: list[str] = []
    conn = library._fresh_index().conn
    conn.set_trace_callback(executed.append)
    try:
        last = library.links(demand=slug, side="russia", offset=len(whole) - 2, limit=5)
        first = library.links(demand=slug, side="russia", offset=1, limit=2)
    finally:
        conn.set_trace_callback(None)
    assert last == whole[-2:] and first == whole[1:3]
    pages = [sql for sql in executed if "ORDER BY" in sql]
    assert "DESC" in pages[0] and "OFFSET 0" in pages[0]  # the end walked from the end
    assert "DESC" not in pages[1]
    plan = " | ".join(row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + pages[0]))
    assert "links_page" in plan and "TEMP B-TREE" not in plan


def test_a_stances_replies_page_from_either_end(
    library: Library, add_article: Callable[..., Article]
) -> None:
    """The cells of the demand matrix: one demand's replies of one stance, paged."""
    stances = ("rejects", "open", None)
    body = "".join(f"Reply {i} to the hotline demand.\n\n" for i in range(30))
    specs = [
        (f"Reply {i} to the hotline demand.", "hotline", "us_nato", stances[i % 3])
        for i in range(30)
    ]
    add_article(body, links=specs)
    whole = library.links(demand="hotline", side="us_nato")
    for stance in ("rejects", "open", "neutral"):
        wanted = [lk for lk in whole if (lk.stance or "neutral") == stance]
        assert library.links(demand="hotline", side="us_nato", stance=stance) == wanted
        pages = []
        for offset in range(0, len(wanted) + 4, 4):
            pages += library.links(
                demand="hotline", side="us_nato", offset=offset, limit=4, stance=stance
            )
        assert pages == wanted, stance
        near_end = library.links(
            demand="hotline", side="us_nato", offset=len(wanted) - 2, limit=5, stance=stance
        )
        assert near_end == wanted[-2:]
    assert library.links(demand="hotline", side="us_nato", stance="conditional") == []
