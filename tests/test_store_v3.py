"""Schema 3: meta.json + append-only chunks, per-chunk index freshness, the list order on
an index, imports that resume without analysing again, migration from schema 2."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from newsbrowse.store import json_files
from newsbrowse.store.corpus import Corpus
from newsbrowse.store.errors import StoreDamaged
from newsbrowse.store.index import Index
from newsbrowse.store.ingest import pipeline as pipeline_mod
from newsbrowse.store.json_files import read_store_file
from newsbrowse.store.library import Library
from newsbrowse.store.model import Article
from newsbrowse.store.recover import recover_home

from tests.conftest import build_article

BODY = "Talks went on in Geneva.\n\nMoscow wants a hotline to the alliance.\n"


def _many(n: int, **kwargs: object) -> list[Article]:
    """``n`` hand-made articles with distinct ids; some undated, some sharing a date."""
    out = []
    for i in range(n):
        date = None if i % 5 == 0 else f"2022-01-{(i % 3) + 10:02d}"
        links = [("Moscow wants a hotline to the alliance.", "hotline", "russia", None)]
        out.append(
            build_article(
                BODY,
                article_id=f"{i:04x}abcdef01",
                title=f"Title {(i * 7) % 11}",
                date=date,
                links=links if i % 2 else [],
                **kwargs,  # type: ignore[arg-type]
            )
        )
    return out


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Corpus, "CHUNK_SIZE", 3)


def _reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The store files parsed from now on, by name relative to the corpus."""
    seen: list[str] = []
    real = json_files.read_store_file

    def counting(path: Path, check: object = None) -> object:
        seen.append(path.name)
        return real(path, check)  # type: ignore[arg-type]

    monkeypatch.setattr(json_files, "read_store_file", counting)
    return seen


# the list order -------------------------------------------------------------------------
def test_pages_and_positions_follow_the_list_order(library: Library, small_chunks: None) -> None:
    library.corpus.add(_many(23))
    everything = library.articles()
    expected = sorted(everything, key=lambda s: (s.date is None, s.date or "", s.title, s.id))
    assert [s.id for s in everything] == [s.id for s in expected]
    assert library.article_count() == len(expected) == 28
    for offset in (0, 5, 27, 28, 40):
        assert library.article_page(offset, 6) == expected[offset : offset + 6]
    for position, summary in enumerate(expected):
        assert library.article_position(summary.id) == position
    assert library.article_position("nope") is None

    hotline = {lk.article_id for lk in library.links(demand="hotline")}
    filtered = [s for s in expected if s.id in hotline]
    assert library.article_count("hotline") == len(filtered) > 10
    assert library.article_page(0, 100, "hotline") == filtered
    assert library.article_page(4, 3, "hotline") == filtered[4:7]
    for position, summary in enumerate(filtered):
        assert library.article_position(summary.id, "hotline") == position
    outside = next(s.id for s in expected if s.id not in hotline)
    assert library.article_position(outside, "hotline") is None


def test_list_queries_use_the_order_index(library: Library) -> None:
    conn = library._fresh_index().conn
    plan = " ".join(
        r[3]
        for r in conn.execute(
            "EXPLAIN QUERY PLAN SELECT count(*) FROM articles "
            "WHERE (undated, sort_date, title, id) < (0, '2022', 'x', 'y')"
        )
    )
    assert "articles_order" in plan and "SCAN articles " not in plan + " "


# opening reads little ------------------------------------------------------------------
def test_startup_and_opening_an_article_read_only_small_files(
    seeded_home: Path, small_chunks: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    lib = Library.open(seeded_home)
    lib.corpus.add(_many(12))
    lib.articles()  # the index catches up
    target = lib.article_page(7, 1)[0].id
    lib.close()

    reads = _reads(monkeypatch)
    lib = Library.open(seeded_home)
    try:
        lib.article_count()
        lib.article_page(0, 60)
        lib.link_counts()
        lib.read_ids()
        assert set(reads) <= {"meta.json", "user.json"}, reads
        reads.clear()
        # The index knows the record's bytes in its chunk: only those are parsed.
        assert lib.article(target) == next(a for a in lib.iter_articles() if a.id == target)
        reads.clear()
        lib.article(target)
        assert set(reads) <= {"meta.json"}, reads
        # A chunk file that is not as indexed (here: longer) is read whole instead.
        (chunk,) = lib.index.conn.execute("SELECT chunk FROM articles WHERE id = ?", (target,))
        path = lib.corpus.chunk_path(chunk[0])
        path.write_bytes(path.read_bytes() + b" ")
        assert lib.article(target).id == target
        assert f"{chunk[0]}.json" in reads
        path.write_bytes(b"{torn")
        with pytest.raises(StoreDamaged, match=f"{chunk[0]}.json"):
            lib.article(target)
    finally:
        lib.close()


# freshness per chunk --------------------------------------------------------------------
def test_the_index_adds_missing_chunks_and_rebuilds_only_when_one_left(
    library: Library, small_chunks: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    library.articles()
    rebuilds: list[int] = []
    real = Index.rebuild

    def counted(self: Index, *args: object) -> None:
        rebuilds.append(1)
        real(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(Index, "rebuild", counted)
    # Another process commits chunks (here: the corpus alone, the index left behind).
    library.corpus.add(_many(7))
    assert library.article_count() == 12 and rebuilds == []
    assert library.index.chunks() == set(library.corpus.chunks())
    library.reset()  # the old chunks leave the corpus: the index must be rebuilt
    assert library.article_count() == 5 and rebuilds == [1]
    assert library.index.chunks() == set(library.corpus.chunks())


def test_a_failed_index_update_loses_nothing_and_catches_up(
    library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    library.articles()

    def broken(*_args: object) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(Index, "add_chunk", broken)
    (tmp_path / "a.txt").write_text(BODY, encoding="utf-8")
    (result,) = library.import_paths([tmp_path / "a.txt"])
    assert result.id is not None
    monkeypatch.undo()
    assert library.article(result.id).body.startswith("Talks went on")
    assert library.article_count() == 6


def test_an_article_stored_again_replaces_its_rows_and_counts(library: Library) -> None:
    art = _many(2)[1]
    library.corpus.add([art])
    before = library.link_counts()
    assert before["hotline"]["russia"] >= 2
    library.corpus.add([build_article(BODY, article_id=art.id, title="Again", date="2022-02-01")])
    after = library.link_counts()
    assert after["hotline"]["russia"] == before["hotline"]["russia"] - 1
    grouped = library.index.conn.execute(
        "SELECT count(*) FROM links WHERE demand = 'hotline' AND side = 'russia'"
    ).fetchone()[0]
    assert after["hotline"]["russia"] == grouped
    assert library.article(art.id).title == "Again"
    assert art.id not in {s.id for s in library.article_page(0, 100, "hotline")}
    assert [a.title for a in library.iter_articles() if a.id == art.id] == ["Again"]


# imports that resume ------------------------------------------------------------------
def test_an_import_run_again_skips_imported_files_without_analysing_them(
    library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(3):
        (folder / f"{n}.txt").write_text(BODY.replace("Geneva", f"Geneva {n}"), encoding="utf-8")
    first = library.import_paths([folder])
    assert all(r.id for r in first)
    (folder / "3.txt").write_text(BODY.replace("Geneva", "Vienna"), encoding="utf-8")
    analysed: list[str] = []
    real = pipeline_mod.analyse

    def spy(text: str, *args: object, **kwargs: object) -> Article:
        analysed.append(text)
        return real(text, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline_mod, "analyse", spy)
    again = library.import_paths([folder])
    assert [r.skipped for r in again[:3]] == [f"duplicate of article {r.id}" for r in first]
    assert again[3].id is not None and len(analysed) == 1
    assert library.article_count() == 5 + 4
    reopened = Library.open(library.home)  # the hashes are stored with the articles
    try:
        assert reopened.import_paths([folder / "0.txt"])[0].skipped == (
            f"duplicate of article {first[0].id}"
        )
    finally:
        reopened.close()
    records = [d for n in library.corpus.chunks() for d in library.corpus.chunk_records(n)]
    assert sum(1 for d in records if isinstance(d.get("source_sha256"), str)) == 5 + 4


def test_chunks_of_a_killed_import_are_removed_by_the_next_writer(
    library: Library, seeded_home: Path
) -> None:
    before = library.article_count()
    written = library.corpus.write_chunks(_many(2), None)  # killed before the commit
    library.close()
    lib = Library.open(seeded_home)
    try:
        assert lib.article_count() == before
        assert not any(lib.corpus.chunk_path(n).exists() for n in written)
    finally:
        lib.close()


# migration and recovery -----------------------------------------------------------------
def _write_v2_home(home: Path, articles: list[Article], selected: list[str]) -> None:
    corpus = home / "corpus"
    (corpus / "shards").mkdir(parents=True)
    by_shard: dict[str, dict[str, object]] = {}
    for n, art in enumerate(articles):
        shard = by_shard.setdefault(f"{n % 3:02d}", {})
        shard[str(len(shard) + 1)] = art.to_dict()
    for name, docs in by_shard.items():
        (corpus / "shards" / f"{name}.json").write_text(json.dumps({"articles": docs}))
    entries = {
        str(i): dict(a.summary().to_dict(), origin=a.origin) for i, a in enumerate(articles, 1)
    }
    catalog = {"articles": entries, "meta": {"1": {"schema": 2, "generation": "g"}}}
    (corpus / "catalog.json").write_text(json.dumps(catalog))
    (corpus / "catalog.json.bak").write_text(json.dumps(catalog))
    user = {
        "selected": {str(i): {"quote_id": q, "order": i} for i, q in enumerate(selected, 1)},
        "read": {"1": {"article_id": articles[0].id}},
        "meta": {"1": {"schema": 2}},
    }
    (home / "user.json").write_text(json.dumps(user))


def test_a_version_2_home_is_migrated_keeping_every_article_and_mark(
    library: Library, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    articles = list(library.iter_articles()) + _many(7)
    selected = [articles[0].quotes[0].id, articles[1].quotes[0].id]
    v2 = tmp_path / "v2"
    _write_v2_home(v2, articles, selected)
    monkeypatch.setattr(Corpus, "CHUNK_SIZE", 4)
    lib = Library.open(v2)
    try:
        assert sorted(s.id for s in lib.articles()) == sorted(a.id for a in articles)
        for art in articles:
            assert lib.article(art.id) == art
        assert lib.selected_ids() == selected
        assert lib.read_ids() == {articles[0].id}
        assert len(lib.corpus.chunks()) == 3
    finally:
        lib.close()
    assert sorted(p.name for p in (v2 / "corpus").iterdir()) == ["chunks", "meta.json"]
    assert (read_store_file(v2 / "user.json") or {})["meta"]["1"]["schema"] == 3


def test_a_killed_migration_runs_again_without_duplicates(
    library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    articles = list(library.iter_articles())
    v2 = tmp_path / "v2"
    _write_v2_home(v2, articles, [])

    def killed(self: Corpus, chunks: dict[str, int], retired: object = ()) -> None:
        raise KeyboardInterrupt  # the process dies between the chunks and their commit

    monkeypatch.setattr(Corpus, "commit", killed)
    with pytest.raises(KeyboardInterrupt):
        Library.open(v2)
    monkeypatch.undo()
    assert (v2 / "corpus" / "catalog.json").exists() and list((v2 / "corpus" / "chunks").iterdir())
    lib = Library.open(v2)
    try:
        assert sorted(s.id for s in lib.articles()) == sorted(a.id for a in articles)
        assert [p.stem for p in lib.corpus.chunk_dir.iterdir()] == lib.corpus.chunks()
    finally:
        lib.close()


def test_recover_rebuilds_a_damaged_meta_from_the_chunk_files(
    library: Library, small_chunks: None
) -> None:
    library.corpus.add(_many(8))
    count = library.article_count()
    library.close()
    meta = library.home / "corpus" / "meta.json"
    meta.write_bytes(b"{torn")
    report = recover_home(library.home)
    assert len(report) == 1 and "list of chunks was rebuilt" in report[0]
    lib = Library.open(library.home)
    try:
        assert lib.article_count() == count
    finally:
        lib.close()


def test_recover_names_a_missing_chunk_and_what_it_held(
    library: Library, small_chunks: None, add_article: Callable[..., Article]
) -> None:
    library.corpus.add(_many(6))
    last = library.corpus.chunks()[-1]
    library.close()
    library.corpus.chunk_path(last).unlink()
    report = recover_home(library.home)
    assert report == [
        f"chunk {last}.json is missing: its 3 articles left the corpus: "
        "import their files again to restore them"
    ]
    lib = Library.open(library.home)
    try:
        assert lib.article_count() == 5 + 3
    finally:
        lib.close()


def test_a_damaged_version_2_home_is_recovered_then_migrated(
    library: Library, tmp_path: Path
) -> None:
    articles = list(library.iter_articles())
    selected = [articles[0].quotes[0].id]
    v2 = tmp_path / "v2"
    _write_v2_home(v2, articles, selected)
    (v2 / "corpus" / "catalog.json").write_bytes(b"{torn")
    (v2 / "corpus" / "catalog.json.bak").unlink()
    with pytest.raises(StoreDamaged, match="catalog.json"):
        Library.open(v2)
    report = recover_home(v2)
    assert report == [
        f"catalog.json: set aside as {next((v2 / 'corpus').glob('catalog.json.damaged-*')).name}"
        "; rebuilt from the article records"
    ]
    lib = Library.open(v2)
    try:
        assert sorted(s.id for s in lib.articles()) == sorted(a.id for a in articles)
        assert lib.selected_ids() == selected
    finally:
        lib.close()


def test_a_missing_meta_with_chunks_left_is_damage_not_a_new_store(
    library: Library, small_chunks: None
) -> None:
    library.corpus.add(_many(4))
    count = library.article_count()
    library.close()
    meta = library.home / "corpus" / "meta.json"
    meta.unlink()
    chunks = sorted(p.name for p in library.corpus.chunk_dir.iterdir())
    with pytest.raises(StoreDamaged, match="meta.json is missing but 3 chunk files") as info:
        Library.open(library.home)
    assert "\n" not in str(info.value) and "newsbrowse recover" in str(info.value)
    assert sorted(p.name for p in library.corpus.chunk_dir.iterdir()) == chunks
    assert recover_home(library.home) == [
        "meta.json: missing; its list of chunks was rebuilt from the 3 chunk files"
    ]
    lib = Library.open(library.home)
    try:
        assert lib.article_count() == count
    finally:
        lib.close()


def test_a_listed_chunk_that_is_gone_is_named_when_the_index_is_rebuilt(
    library: Library, small_chunks: None
) -> None:
    library.corpus.add(_many(4))
    gone = library.corpus.chunks()[-1]
    library.close()
    library.corpus.chunk_path(gone).unlink()
    (library.home / "index.sqlite").unlink()
    lib = Library.open(library.home)
    try:
        with pytest.raises(StoreDamaged, match=f"{gone}.json is missing but listed") as info:
            lib.article_count()
        assert "newsbrowse recover" in str(info.value) and "\n" not in str(info.value)
    finally:
        lib.close()
