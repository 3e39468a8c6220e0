"""The Library over its TinyDB store: bootstrap, import, dedupe, user state, safety."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from newsbrowse.store import files
from newsbrowse.store.errors import NotFound, StoreDamaged, StoreWriteFailed
from newsbrowse.store.fixtures import fixture_articles
from newsbrowse.store.library import Library
from newsbrowse.store.model import Article

NEW_ARTICLE = (
    "Officials met in Vienna on Monday.\n\n"
    "\u201cWe will keep talking for as long as it takes,\u201d the envoy said after the meeting.\n"
)


def _snapshot(home: Path) -> dict[str, bytes]:
    """Every corpus file's bytes, to prove that something did not change."""
    return {
        str(p.relative_to(home)): p.read_bytes() for p in sorted(home.rglob("corpus/**/*.json"))
    }


def test_first_open_builds_the_store_from_the_fixtures(home: Path) -> None:
    assert not home.exists()
    library = Library.open(home)
    summaries = library.articles()
    assert len(summaries) == len(fixture_articles()) == 5
    assert (home / "corpus" / "meta.json").is_file()
    assert [p.name for p in (home / "corpus" / "chunks").iterdir()] == ["000001.json"]
    dates = [s.date for s in summaries]
    assert dates == sorted(dates), "oldest first"
    stated = [s for s in summaries if s.date_basis == "stated"]
    assert [s.date for s in stated] == ["2022-02-21"]
    for s in summaries:
        art = library.article(s.id)
        for q in art.quotes:
            assert art.body[q.start : q.end] == q.text
        for lk in art.links:
            assert art.body[lk.start : lk.end] == lk.evidence
    library.close()


def test_reopen_does_not_import_again(home: Path) -> None:
    Library.open(home).close()
    before = _snapshot(home)
    lib = Library.open(home)
    assert len(lib.articles()) == 5
    lib.close()
    assert _snapshot(home) == before


def test_import_a_new_file_then_the_same_again(library: Library, tmp_path: Path) -> None:
    path = tmp_path / "vienna.txt"
    path.write_text(NEW_ARTICLE, encoding="utf-8")
    first = library.import_paths([path])
    assert len(first) == 1 and first[0].id is not None
    assert library.article(first[0].id).body.startswith("Officials met in Vienna")
    count = len(library.articles())
    again = library.import_paths([path, tmp_path])
    assert [r.skipped for r in again] == [f"duplicate of article {first[0].id}"] * 2
    assert len(library.articles()) == count


def test_import_results_keep_the_order_of_the_paths(library: Library, tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(NEW_ARTICLE, encoding="utf-8")
    empty_dir = tmp_path / "nothing"
    empty_dir.mkdir()
    results = library.import_paths([tmp_path / "missing.txt", good, empty_dir])
    assert [r.path for r in results] == [str(tmp_path / "missing.txt"), str(good), str(empty_dir)]
    assert [r.skipped for r in results] == ["no such file", None, "folder holds no files"]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b"   \n\n  ", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("caf\u00e9 cr\u00e8me and a sentence of text".encode("latin-1"), "not valid UTF-8"),
    ],
)
def test_bad_files_are_skipped_and_change_nothing(
    library: Library, home: Path, tmp_path: Path, data: bytes, reason: str
) -> None:
    before = _snapshot(home)
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    (result,) = library.import_paths([path])
    assert result.id is None and reason in result.skipped
    assert _snapshot(home) == before


def test_user_state_is_written_apart_from_the_corpus(library: Library, home: Path) -> None:
    quote = library.quotes()[0]
    before = _snapshot(home)
    assert library.toggle_selected(quote.id) is True
    library.mark_read(quote.article_id)
    assert _snapshot(home) == before
    assert (home / "user.json").is_file()
    reopened = Library.open(home)
    assert reopened.selected_ids() == [quote.id]
    assert quote.article_id in reopened.read_ids()
    reopened.close()
    assert library.toggle_selected(quote.id) is False


def test_selecting_an_unknown_quote_is_refused(library: Library) -> None:
    with pytest.raises(NotFound, match="no quote 'nope'"):
        library.toggle_selected("nope")
    assert library.selected_ids() == []


def test_atomic_write_keeps_the_old_file_when_writing_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "meta.json"
    target.write_bytes(b'{"old": {}}')

    def broken_fsync(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "fsync", broken_fsync)
    with pytest.raises(OSError):
        files.atomic_write_bytes(target, b'{"new": {}}')
    assert target.read_bytes() == b'{"old": {}}'
    assert [p.name for p in tmp_path.iterdir()] == ["meta.json"], "temp file removed"


def test_failed_import_commit_leaves_the_store_as_it_was(
    library: Library, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _snapshot(home)
    path = tmp_path / "vienna.txt"
    path.write_text(NEW_ARTICLE, encoding="utf-8")
    real_replace = os.replace

    def failing_replace(src: str, dst: str) -> None:
        if str(dst).endswith("meta.json"):
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(files.os, "replace", failing_replace)
    with pytest.raises(StoreWriteFailed, match="No space left on device; the store is unchanged"):
        library.import_paths([path])
    monkeypatch.undo()
    reopened = Library.open(home)
    assert len(reopened.articles()) == 5, "meta.json is the commit point"
    reopened.close()
    assert _snapshot(home) == before, "the uncommitted chunk was removed on reopening"


@pytest.mark.parametrize("damage", [b"{not json", b"[1, 2, 3]", b'{"articles": [1]}'])
def test_damaged_meta_is_an_error_not_an_empty_store(home: Path, damage: bytes) -> None:
    Library.open(home).close()
    (home / "corpus" / "meta.json").write_bytes(damage)
    with pytest.raises(StoreDamaged, match="meta.json") as info:
        Library.open(home).articles()
    assert "\n" not in str(info.value)
    assert (home / "corpus" / "meta.json").read_bytes() == damage, "never replaced silently"


def test_damaged_index_is_rebuilt(library: Library, home: Path) -> None:
    count = len(library.articles())
    library.close()
    (home / "index.sqlite").write_bytes(b"this is not a database")
    reopened = Library.open(home)
    assert len(reopened.articles()) == count
    reopened.close()


def test_reset_rebuilds_from_fixtures_and_keeps_selection(library: Library, tmp_path: Path) -> None:
    path = tmp_path / "vienna.txt"
    path.write_text(NEW_ARTICLE, encoding="utf-8")
    library.import_paths([path])
    quote = library.quotes()[0]
    library.select(quote.id)
    library.reset()
    assert len(library.articles()) == 5
    assert library.selected_ids() == [quote.id]


def test_article_by_prefix_and_unknown_ids(library: Library, sample: Article) -> None:
    assert library.article(sample.id[:6]).id == sample.id
    with pytest.raises(NotFound, match="newsbrowse list"):
        library.article("0000000000000")
    with pytest.raises(NotFound):
        library.article("%%%%")
