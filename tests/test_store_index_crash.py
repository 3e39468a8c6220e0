"""The index is written without an on-disk journal and without fsync per commit (it is
derived): a writer killed inside a commit must be detected and the index rebuilt; one
killed anywhere else must leave it whole, to catch up on the chunks it lacks."""

from __future__ import annotations

import fcntl
import os
import signal
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from newsbrowse.store.index import Index
from newsbrowse.store.library import Library

from tests.test_store_v3 import BODY


class _DiesInCommit:
    """An index connection whose commit kills the process (the marker is already there)."""

    def __init__(self, conn: Any) -> None:
        self._conn = conn

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)

    def commit(self) -> None:
        os.kill(os.getpid(), signal.SIGKILL)


def _import_and_die(home: Path, files: list[Path], in_commit: bool) -> None:
    """Fork a writer that imports ``files`` and is killed in (or just before) the index
    commit, after the corpus committed them."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child never returns
        try:
            lib = Library.open(home)
            lib.articles()
            if in_commit:
                lib.index._conn = _DiesInCommit(lib.index.conn)  # type: ignore[assignment]
            else:

                def die(self: Index, generation: str | None = None) -> None:
                    os.kill(os.getpid(), signal.SIGKILL)

                Index.commit = die  # type: ignore[method-assign]
            lib.import_paths(files)
        finally:
            os._exit(1)
    _, status = os.waitpid(pid, 0)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL


def _files(tmp_path: Path, n: int) -> list[Path]:
    files = []
    for i in range(n):
        path = tmp_path / f"in-{i}.txt"
        path.write_text(f"Round {i} of talks.\n\n{BODY}", encoding="utf-8")
        files.append(path)
    return files


def _rebuilds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = Index.rebuild

    def counted(self: Index, *args: Any) -> None:
        calls.append(1)
        real(self, *args)

    monkeypatch.setattr(Index, "rebuild", counted)
    return calls


def test_a_writer_killed_inside_an_index_commit_is_detected_and_rebuilt(
    seeded_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _import_and_die(seeded_home, _files(tmp_path, 3), in_commit=True)
    index = Index(seeded_home / "index.sqlite")
    assert index.marker.exists(), "the killed commit left its marker"
    rebuilds = _rebuilds(monkeypatch)
    lib = Library.open(seeded_home)
    try:
        assert lib.article_count() == 8 and rebuilds == [1]
        assert not lib.index.marker.exists()
        assert {h.article_id for h in lib.search("Round")} == {
            s.id for s in lib.articles() if s.title.startswith("Round")
        }
    finally:
        lib.close()


def test_a_writer_killed_before_the_index_commit_leaves_it_to_catch_up(
    seeded_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _import_and_die(seeded_home, _files(tmp_path, 3), in_commit=False)
    assert not Index(seeded_home / "index.sqlite").marker.exists()
    rebuilds = _rebuilds(monkeypatch)
    lib = Library.open(seeded_home)
    try:
        assert lib.article_count() == 8 and rebuilds == []  # caught up, not rebuilt
        assert len(lib.search("Round")) == 3
    finally:
        lib.close()


def test_a_marker_held_by_a_live_writer_is_not_taken_for_a_torn_index(
    library: Library,
) -> None:
    library.articles()
    index = Index(library.index.path)
    fd = os.open(index.marker, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # another writer, mid-commit
        os.write(fd, b"committing")
        assert index.generation() == library.corpus.generation
    finally:
        os.close(fd)
    # The holder gone, its marker left: the commit it bracketed was cut short.
    assert index.generation() is None
    # A marker still empty: its writer died before its commit began; the file is whole.
    index.marker.write_text("")
    assert index.generation() == library.corpus.generation
    index.close()


def test_a_commit_that_ended_is_trusted_in_its_boot_only(library: Library, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(f"One more round.\n\n{BODY}", encoding="utf-8")
    (result,) = library.import_paths([tmp_path / "a.txt"])
    assert result.id is not None
    assert not library.index.marker.exists(), "an import ends with the index synced"
    index = Index(library.index.path)
    # A writer that died after its commit ended, in this boot: the kernel holds its pages.
    boot = Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    index.marker.write_text(f"{boot} ended")
    assert index.generation() == library.corpus.generation
    # The machine went down before they reached the disk: the file may be torn.
    index.marker.write_text("0123-another-boot ended")
    assert index.generation() is None
    index.marker.write_text(f"{boot} committing")
    assert index.generation() is None
    index.close()


class _FailsInCommit(_DiesInCommit):
    def commit(self) -> None:
        raise sqlite3.OperationalError("disk I/O error")


def test_a_failed_commit_leaves_the_marker_and_the_index_is_rebuilt(
    seeded_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lib = Library.open(seeded_home)
    lib.articles()
    lib.index._conn = _FailsInCommit(lib.index.conn)  # type: ignore[assignment]
    (result,) = lib.import_paths(_files(tmp_path, 1))
    assert result.id is not None  # the corpus holds it; the index failed
    lib.index._conn = lib.index._conn._conn  # type: ignore[union-attr]
    lib.close()
    assert lib.index.marker.read_text().endswith("committing"), "closing kept the marker"
    rebuilds = _rebuilds(monkeypatch)
    lib = Library.open(seeded_home)
    try:
        assert lib.article_count() == 6 and rebuilds == [1]
    finally:
        lib.close()


def test_a_long_catch_up_commits_as_it_goes_and_stamps_the_generation_last(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsbrowse.store import index_keeper
    from newsbrowse.store.corpus import Corpus

    from tests.test_store_v3 import _many

    library.articles()
    monkeypatch.setattr(Corpus, "CHUNK_SIZE", 2)
    monkeypatch.setattr(index_keeper, "CATCH_UP_COMMIT", 1)
    library.corpus.add(_many(5))  # another process's import: three chunks, index left behind
    stamps: list[str | None] = []
    real = Index.commit

    def recorded(self: Index, generation: str | None = None) -> None:
        stamps.append(generation)
        real(self, generation)

    monkeypatch.setattr(Index, "commit", recorded)
    assert library.article_count() == 10
    assert stamps == [None, None, None, library.corpus.generation]
    assert library.index.chunks() == set(library.corpus.chunks())


def test_without_a_boot_id_every_commit_is_flushed_and_leaves_no_marker(
    library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsbrowse.store import index as index_mod

    library.articles()
    monkeypatch.setattr(index_mod, "_boot_id", lambda: None)
    states: list[bool] = []
    real = Index.commit

    def observed(self: Index, generation: str | None = None) -> None:
        real(self, generation)
        states.append(self.marker.exists())

    monkeypatch.setattr(Index, "commit", observed)
    (result,) = library.import_paths(_files(tmp_path, 1))
    assert result.id is not None and states == [False]
