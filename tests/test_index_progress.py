"""A missing or lagging index is brought up to the store with progress, not in silence."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from newsbrowse.store.library import Library
from newsbrowse.tui import cli

NEW_TEXT = "Envoys met in Vienna.\n\n\u201cWe are ready to talk tomorrow,\u201d he said.\n"


def test_a_missing_index_is_rebuilt_with_progress(seeded_home: Path) -> None:
    (seeded_home / "index.sqlite").unlink()
    lib = Library.open(seeded_home)
    try:
        assert lib.index_lag() == 5  # every article: a rebuild
        calls: list[tuple[int, int]] = []
        lib.update_index(lambda done, total: calls.append((done, total)))
        assert calls and calls[-1] == (5, 5)
        assert lib.index_lag() == 0 and lib.article_count() == 5
    finally:
        lib.close()


def test_a_lagging_index_catches_up_chunk_by_chunk_with_progress(
    seeded_home: Path, tmp_path: Path
) -> None:
    saved = tmp_path / "index-before.sqlite"
    shutil.copy(seeded_home / "index.sqlite", saved)
    (tmp_path / "new.txt").write_text(NEW_TEXT, encoding="utf-8")
    lib = Library.open(seeded_home)
    try:
        lib.import_paths([tmp_path / "new.txt"])
    finally:
        lib.close()
    shutil.copy(saved, seeded_home / "index.sqlite")  # the index as before the import
    lib = Library.open(seeded_home)
    try:
        assert lib.index_lag() == 1  # only the new chunk's article
        calls: list[tuple[int, int]] = []
        lib.update_index(lambda done, total: calls.append((done, total)))
        assert calls == [(1, 1)]
        assert lib.index_lag() == 0 and lib.article_count() == 6
    finally:
        lib.close()


def test_the_command_line_says_it_is_indexing_before_it_answers(
    seeded_home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli, "INDEX_NOTICE_ARTICLES", 2)
    (seeded_home / "index.sqlite").unlink()
    assert cli.main(["--home", str(seeded_home), "list", "--json"]) == 0
    out, err = capsys.readouterr()
    assert err == "newsbrowse: indexing 5 articles for search first; this takes a while\n"
    assert out.startswith("[")
    assert cli.main(["--home", str(seeded_home), "list", "--json"]) == 0
    assert capsys.readouterr().err == ""  # up to date: nothing said
