"""An import analysed by worker processes stores exactly what one process would.

The mix of files holds what makes order matter: the same bytes twice in a row (the second
is read while the first is still being analysed), a text whose body another file already
gives (same id, different bytes), and files refused before or by the analysis.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from newsbrowse.store import parallel
from newsbrowse.store.errors import NewsbrowseError
from newsbrowse.store.fixtures import fixture_articles
from newsbrowse.store.library import ImportResult, Library
from newsbrowse.store.lock import HomeLock, IndexLock

HOSTILE = Path(__file__).parent / "data" / "hostile"
PAGES = Path(__file__).parent / "data" / "pages"


def _corpus(folder: Path, count: int = 60, pages: bool = False) -> Path:
    """``count`` distinct articles made from the seeds, then the awkward files (with
    ``pages``, saved pages, a text with front matter and a PDF too)."""
    folder.mkdir()
    seeds = [f.path.read_text(encoding="utf-8") for f in fixture_articles()]
    for n in range(count):
        text = f"{seeds[n % len(seeds)]}\n\nCopy {n} of this report was filed at {n} hours.\n"
        (folder / f"a{n:03d}.txt").write_text(text, encoding="utf-8")
        if n == 10:  # the same bytes, next in the folder: read while a010 is in flight
            (folder / f"a{n:03d}b.txt").write_text(text, encoding="utf-8")
        if n == 20:  # the same body (the same id) from different bytes
            (folder / f"a{n:03d}c.txt").write_text(text + "\n\n\n", encoding="utf-8")
    for name in ("empty.txt", "binary.txt", "junk-only.txt", "cp1252.txt"):
        shutil.copy(HOSTILE / name, folder / f"z-{name}")
    if not pages:
        return folder
    for page in sorted(PAGES.iterdir()):  # saved pages, read by trafilatura in the workers
        shutil.copy(page, folder / f"p-{page.name}")
    dated = "Source: Example Daily\nDate: 2022-01-21\n\n" + seeds[0]
    (folder / "p-dated.txt").write_text(dated, encoding="utf-8")
    (folder / "z-scan.pdf").write_bytes(b"%PDF-1.4\n")
    return folder


def _import(home: Path, folder: Path, jobs: int) -> tuple[list[ImportResult], list[dict]]:
    lib = Library.open(home, bootstrap=False)
    try:
        results = lib.import_paths([folder], jobs=jobs)
        stored = [lib.article(s.id).to_dict() for s in lib.articles()]
    finally:
        lib.close()
    return results, stored


@pytest.fixture
def few_files_go_parallel(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "MIN_FILES", 2)
    monkeypatch.setattr(parallel, "CHUNK", 3)  # many chunks, several in flight at once


@pytest.fixture
def workers_used(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The worker counts of the pools an import starts."""
    started: list[int] = []
    real = parallel.Analysts.__init__

    def spy(self: parallel.Analysts, rules: object, workers: int) -> None:
        started.append(workers)
        real(self, rules, workers)  # type: ignore[arg-type]

    monkeypatch.setattr(parallel.Analysts, "__init__", spy)
    return started


def test_workers_store_what_one_process_stores(
    tmp_path: Path, few_files_go_parallel: None, workers_used: list[int]
) -> None:
    folder = _corpus(tmp_path / "corpus", pages=True)
    one, stored_one = _import(tmp_path / "one", folder, jobs=1)
    assert workers_used == []
    three, stored_three = _import(tmp_path / "three", folder, jobs=3)
    assert workers_used == [3]
    assert three == one
    assert stored_three == stored_one
    skipped = {r.path.rsplit("/", 1)[-1]: r.skipped for r in one if r.skipped}
    assert skipped["a010b.txt"].startswith("duplicate of article ")
    assert skipped["a020c.txt"].startswith("duplicate of article ")
    assert skipped["z-empty.txt"] == "empty file"
    assert "binary" in skipped["z-binary.txt"]
    assert "no article text left" in skipped["z-junk-only.txt"]
    assert "UTF-8" in skipped["z-cp1252.txt"]
    assert skipped["z-scan.pdf"] == "unsupported type (.pdf)"
    assert sum(r.id is not None for r in one) == 64 == len(stored_one)
    sources = {a["source"] for a in stored_one}
    assert {"Northern Wire", "Baltic Ledger", "Example Daily"} <= sources


def test_an_import_run_again_skips_everything_on_workers(
    tmp_path: Path, few_files_go_parallel: None
) -> None:
    folder = _corpus(tmp_path / "corpus", count=20)
    home = tmp_path / "home"
    first, _ = _import(home, folder, jobs=2)
    again, stored = _import(home, folder, jobs=2)
    assert len(stored) == 20
    assert all(r.id is None for r in again)
    ids = {r.path: r.id for r in first if r.id}
    for r in again:
        if r.path in ids:
            assert r.skipped == f"duplicate of article {ids[r.path]}"


def test_a_small_import_or_one_core_analyses_in_this_process(
    tmp_path: Path, workers_used: list[int]
) -> None:
    folder = _corpus(tmp_path / "corpus", count=5)
    _import(tmp_path / "a", folder, jobs=2)  # fewer files than parallel.MIN_FILES
    _import(tmp_path / "b", folder, jobs=1)
    assert workers_used == []


def _crash_on_marker(job: parallel.Job, rules: object) -> object:
    if "CRASH-HERE" in job.text:
        os._exit(1)  # a worker dying (killed, out of memory) in the middle of its chunk
    return _real_analyse_job(job, rules)  # type: ignore[arg-type]


_real_analyse_job = parallel.analyse_job


def test_a_worker_that_dies_is_one_clear_error_and_keeps_what_was_stored(
    tmp_path: Path, few_files_go_parallel: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("newsbrowse.store.importer.BATCH", 5)  # commit every 5 articles
    folder = _corpus(tmp_path / "corpus", count=40)
    (folder / "a035.txt").write_text("CRASH-HERE " * 50, encoding="utf-8")
    monkeypatch.setattr(parallel, "analyse_job", _crash_on_marker)  # workers are forked
    home = tmp_path / "home"
    lib = Library.open(home, bootstrap=False)
    with pytest.raises(NewsbrowseError, match=r"analysing process stopped.*--jobs 1"):
        lib.import_paths([folder], jobs=2)
    kept = len(lib.articles())
    lib.close()
    assert 5 <= kept <= 35, "the batches committed before the crash are kept"
    _wait_for_no_workers()
    monkeypatch.setattr(parallel, "analyse_job", _real_analyse_job)
    (folder / "a035.txt").unlink()
    results, stored = _import(home, folder, jobs=2)
    assert len(stored) == 39, "run again, the import completes without duplicates"


def test_an_interrupted_import_leaves_no_worker_behind(
    tmp_path: Path, few_files_go_parallel: None
) -> None:
    folder = _corpus(tmp_path / "corpus", count=40)
    lib = Library.open(tmp_path / "home", bootstrap=False)

    def interrupt(done: int, total: int) -> None:
        if done == 12:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        lib.import_paths([folder], progress=interrupt, jobs=2)
    lib.close()
    _wait_for_no_workers()


def _wait_for_no_workers() -> None:
    deadline = time.monotonic() + 10
    while multiprocessing.active_children():
        assert time.monotonic() < deadline, "workers still running after the import ended"
        time.sleep(0.05)


@pytest.mark.parametrize("jobs", [0, -1, parallel.available_cores() + 1, 100_000])
def test_cli_refuses_a_job_count_outside_the_cores_before_anything_starts(
    seeded_home: Path, tmp_path: Path, jobs: int, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    from newsbrowse.tui import cli

    workers_used: list[int] = []

    def refuse(self: parallel.Analysts, rules: object, workers: int) -> None:
        workers_used.append(workers)  # never forks: 100,000 workers took the machine down
        raise RuntimeError(f"a pool of {workers} workers was started")

    monkeypatch.setattr(parallel.Analysts, "__init__", refuse)

    folder = _corpus(tmp_path / "corpus")
    before = sorted(p.name for p in (seeded_home / "corpus" / "chunks").iterdir())
    code = cli.main(["--home", str(seeded_home), "import", "--jobs", str(jobs), str(folder)])
    out, err = capsys.readouterr()
    assert code == 2
    cores = parallel.available_cores()
    assert err == (
        f"newsbrowse: error: --jobs must be between 1 and {cores} (the cores this process "
        f"may use), not {jobs}\n"
    )
    assert workers_used == [], "no analysing process was started"
    assert sorted(p.name for p in (seeded_home / "corpus" / "chunks").iterdir()) == before


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads /proc")
def test_ctrl_c_during_a_parallel_import_prints_one_line(tmp_path: Path) -> None:
    """Ctrl-C reaches the importer and its workers (one process group): one line, exit
    130, no worker's traceback, no process left, and what was committed is kept."""
    folder = _corpus(tmp_path / "corpus", count=3000)
    home = tmp_path / "home"
    code = "import sys; from newsbrowse.tui.cli import main; sys.exit(main())"
    argv = [sys.executable, "-c", code, "--home", str(home), "import", "--jobs", "2"]
    proc = subprocess.Popen(
        [*argv, str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
    deadline = time.monotonic() + 60
    while not (children.exists() and children.read_text().split()):
        assert proc.poll() is None and time.monotonic() < deadline, "workers started"
        time.sleep(0.05)
    time.sleep(0.5)
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert err == "newsbrowse: interrupted\n"
    time.sleep(1.5)
    with pytest.raises(ProcessLookupError):
        os.killpg(proc.pid, 0)  # no worker left in the group
    lib = Library.open(home, bootstrap=False)
    ids = [s.id for s in lib.articles()]
    lib.close()
    assert len(ids) == len(set(ids)) < 3000


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads /proc")
@pytest.mark.skipif(parallel.available_cores() < 2, reason="needs two cores for two workers")
def test_an_importer_killed_leaves_the_home_unlocked_at_once_workers_and_all(
    tmp_path: Path,
) -> None:
    """Forked workers close the locks they inherit: the kernel drops them with the
    importer, not a second later with the last worker (the message named the dead pid)."""
    folder = _corpus(tmp_path / "corpus", count=3000)
    home = tmp_path / "home"
    Library.open(home).close()
    code = "import sys; from newsbrowse.tui.cli import main; sys.exit(main())"
    argv = [sys.executable, "-c", code, "--home", str(home), "import", "--jobs", "2"]
    proc = subprocess.Popen([*argv, str(folder)], stdout=subprocess.DEVNULL)
    children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
    deadline = time.monotonic() + 60
    while not (children.exists() and len(children.read_text().split()) >= 2):
        assert proc.poll() is None and time.monotonic() < deadline, "workers started"
        time.sleep(0.02)
    workers = [int(pid) for pid in children.read_text().split()]
    time.sleep(0.3)
    proc.kill()
    proc.wait()
    lock = HomeLock(home)
    lock.acquire("test")  # at once: no worker holds it
    index_lock = IndexLock(home)
    try:
        assert any(Path(f"/proc/{pid}").exists() for pid in workers), "workers outlive it"
        assert index_lock.try_acquire()
    finally:
        index_lock.release()
        lock.release()
    deadline = time.monotonic() + 10
    while any(Path(f"/proc/{pid}").exists() for pid in workers):
        assert time.monotonic() < deadline, "the workers end too"
        time.sleep(0.05)
