"""Reading while others write, and reading where nothing can be written.

Reads take no lock and never wait: an import and a recover run while an export is
stuck on a reader that does not read. A reader never writes the index while a writer
holds the home: it reads the index as it is. Where the index cannot be written (a full
disk, a read-only home), reads work from the corpus and say so in one note.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from newsbrowse.store.corpus import Corpus
from newsbrowse.store.fixtures import fixture_articles
from newsbrowse.store.library import Library
from newsbrowse.store.lock import IndexLock

from tests.conftest import build_article

NEW = (
    "Envoys met in Vienna on Monday.\n\n"
    "\u201cWe are ready to talk tomorrow in Geneva for as long as it takes,\u201d Lavrov said.\n"
)


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "newsbrowse.tui.cli", *args]


def _run(*args: str, unprivileged: bool = False) -> subprocess.CompletedProcess[str]:
    """The command; ``unprivileged``: without the right to ignore file permissions."""
    prefix: list[str] = []
    if unprivileged and os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("running as root without setpriv: permissions cannot be enforced")
        prefix = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"]
    return subprocess.run([*prefix, *_cli(*args)], capture_output=True, text=True, timeout=120)


def _holder(home: Path) -> subprocess.Popen[str]:
    """Another process holding the home's write lock, as the app does."""
    code = (
        "import time\n"
        "from pathlib import Path\n"
        "from newsbrowse.store.library import Library\n"
        f"lib = Library.open(Path({str(home)!r}), command='newsbrowse app')\n"
        "print('ready', flush=True)\n"
        "time.sleep(60)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    return proc


@pytest.fixture
def held(seeded_home: Path) -> Iterator[subprocess.Popen[str]]:
    proc = _holder(seeded_home)
    yield proc
    proc.kill()
    proc.wait()


# reads take no lock and never wait ---------------------------------------------------------
@pytest.mark.slow
def test_an_import_and_a_recover_run_while_an_export_is_stuck_on_its_reader(
    seeded_home: Path, tmp_path: Path
) -> None:
    read_end, write_end = os.pipe()
    fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, 4096)  # the export fills it and waits
    export = subprocess.Popen(
        _cli("--home", str(seeded_home), "export", "--format", "json"),
        stdout=write_end,
        stderr=subprocess.PIPE,
        text=True,
    )
    os.close(write_end)
    try:
        time.sleep(2.0)  # well past its start: it is blocked writing
        assert export.poll() is None, "the export is still running, held by its reader"
        article = tmp_path / "vienna.txt"
        article.write_text(NEW, encoding="utf-8")
        imported = _run("--home", str(seeded_home), "import", str(article))
        assert imported.returncode == 0, imported.stderr
        recovered = _run("--home", str(seeded_home), "recover")
        assert recovered.returncode == 0, recovered.stderr
        assert "6 articles" in recovered.stdout
        assert export.poll() is None
    finally:
        with os.fdopen(read_end, "rb") as reader:
            output = reader.read()
        export.wait(timeout=60)
    assert export.returncode == 0, export.stderr.read() if export.stderr else ""
    assert len(json.loads(output)) > 10


# a reader never writes the index while a writer holds the home -------------------------------
def _stamp(path: Path) -> tuple[int, int, int]:
    st = path.stat()
    return st.st_ino, st.st_size, st.st_mtime_ns


def test_a_reader_leaves_the_index_to_the_writer_and_reads_it_as_it_is(
    seeded_home: Path, held: subprocess.Popen[str]
) -> None:
    index = seeded_home / "index.sqlite"
    before = _stamp(index)
    corpus = Corpus(seeded_home)  # the writer's commit, before its index is updated
    corpus.add([build_article(NEW)])
    corpus.close()
    for args in (("list", "--json"), ("search", "nato"), ("quotes", "--json")):
        run = _run("--home", str(seeded_home), *args)
        assert run.returncode == 0 and run.stderr == "", run.stderr
    run = _run("--home", str(seeded_home), "list", "--json")
    assert len(json.loads(run.stdout)) == 5, "the index as the writer last committed it"
    assert _stamp(index) == before, "the reader did not write the index"
    assert not list(seeded_home.glob("index.sqlite*.building"))


@pytest.mark.slow
def test_reads_during_an_import_all_succeed(seeded_home: Path, tmp_path: Path) -> None:
    folder = tmp_path / "incoming"
    folder.mkdir()
    seeds = [f.path.read_text(encoding="utf-8") for f in fixture_articles()]
    for n in range(300):
        text = f"{seeds[n % len(seeds)]}\n\nCopy {n} of this report was filed at {n} hours.\n"
        (folder / f"a{n:03d}.txt").write_text(text, encoding="utf-8")
    code = (
        "import sys; from newsbrowse.store import importer; importer.BATCH = 10; "
        "from newsbrowse.tui.cli import main; sys.exit(main())"
    )
    writer = subprocess.Popen(
        [sys.executable, "-c", code, "--home", str(seeded_home), "import", "--jobs", "1"]
        + [str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    failures, reads = [], 0
    while writer.poll() is None or reads < 10:
        args = ("list", "--json") if reads % 2 else ("search", "copy report")
        run = _run("--home", str(seeded_home), *args)
        reads += 1
        if run.returncode != 0 or run.stderr:
            failures.append(run.stderr)
    assert writer.wait(timeout=120) == 0, writer.stderr.read() if writer.stderr else ""
    assert failures == [], failures
    assert reads >= 10
    final = _run("--home", str(seeded_home), "list", "--json")
    assert len(json.loads(final.stdout)) == 305


def test_two_readers_never_write_the_index_at_once(seeded_home: Path) -> None:
    """A reader that cannot take the index lock at once (another is updating the index)
    does not wait and does not write: it reads the index as it is."""
    index = seeded_home / "index.sqlite"
    corpus = Corpus(seeded_home)
    corpus.add([build_article(NEW)])
    corpus.close()
    before = _stamp(index)
    other = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, os, sys, time\n"
            f"fd = os.open({str(seeded_home / 'index.lock')!r}, os.O_RDWR | os.O_CREAT)\n"
            "fcntl.flock(fd, fcntl.LOCK_EX)\n"
            "print('ready', flush=True)\n"
            "time.sleep(60)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert other.stdout is not None and other.stdout.readline().strip() == "ready"
        started = time.monotonic()
        run = _run("--home", str(seeded_home), "list", "--json")
        assert run.returncode == 0 and time.monotonic() - started < 30
        assert _stamp(index) == before
    finally:
        other.kill()
        other.wait()
    run = _run("--home", str(seeded_home), "list", "--json")
    assert len(json.loads(run.stdout)) == 6, "once free, the next reader brings it up"
    assert _stamp(index) != before


# reads work from the corpus when the index cannot be written ----------------------------------
FILE_SIZE_LIMIT = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
from newsbrowse.tui.cli import main
sys.exit(main(sys.argv[2:]))
"""


def _limited(limit: int, *args: str) -> subprocess.CompletedProcess[str]:
    """The command on a disk that takes no file past ``limit`` bytes (a nearly full one)."""
    return subprocess.run(
        [sys.executable, "-c", FILE_SIZE_LIMIT, str(limit), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.slow
def test_after_an_import_on_a_nearly_full_disk_every_read_works_from_the_corpus(
    seeded_home: Path, tmp_path: Path
) -> None:
    article = tmp_path / "vienna.txt"
    article.write_text(NEW, encoding="utf-8")
    home = str(seeded_home)
    limit = 60_000  # room for a chunk, none for the index's pages
    imported = _limited(limit, "--home", home, "import", "--json", str(article))
    assert imported.returncode == 0, imported.stderr
    new_id = json.loads(imported.stdout)[0]["id"]
    for args in (("list", "--json"), ("search", "geneva"), ("quotes", "--json")):
        run = _limited(limit, "--home", home, *args)
        assert run.returncode == 0, run.stderr
        assert run.stderr.count("\n") == 1 and run.stderr.startswith("newsbrowse: note: ")
        assert f"the search index {seeded_home / 'index.sqlite'} cannot be written" in run.stderr
        assert "this command read the store into memory instead" in run.stderr
    listed = json.loads(_limited(limit, "--home", home, "list", "--json").stdout)
    assert len(listed) == 6
    shown = _limited(limit, "--home", home, "show", listed[-1]["id"], "--json")
    assert shown.returncode == 0 and json.loads(shown.stdout)["id"] == listed[-1]["id"]
    assert not list(seeded_home.glob("index.sqlite*.building"))
    free = _run("--home", home, "search", "geneva")
    assert free.returncode == 0 and free.stderr == "" and new_id in free.stdout


def test_a_lagging_index_that_cannot_be_written_is_read_with_what_it_lacks(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The index file as it is, with the chunks it lacks added in a transaction that is
    never committed: the file is not changed."""
    home = library.home
    library.close()
    corpus = Corpus(home)
    article = build_article(NEW)
    corpus.add([article])
    corpus.close()
    index = home / "index.sqlite"
    before = index.read_bytes()

    def read_only(self: IndexLock) -> bool:
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(IndexLock, "try_acquire", read_only)
    reader = Library.open(home, read_only=True)
    try:
        assert article.id in {s.id for s in reader.articles()}
        assert reader.search("geneva")[0].article_id == article.id
        assert reader.article(article.id).body == article.body
        assert reader.index_notice is not None
        assert "cannot be written (Read-only file system)" in reader.index_notice
        assert "read the store and the index instead" in reader.index_notice
        assert "make the home writable" in reader.index_notice
    finally:
        reader.close()
    assert index.read_bytes() == before


def test_a_home_copied_read_only_is_read_like_any_other(seeded_home: Path, tmp_path: Path) -> None:
    """No lock file, no index, no way to write either: a reader takes no lock and reads
    from the corpus."""
    copy = tmp_path / "copy"
    shutil.copytree(seeded_home, copy)
    for name in ("newsbrowse.lock", "index.sqlite", "index.lock"):
        (copy / name).unlink(missing_ok=True)
    os.chmod(copy, 0o555)
    try:
        runs = [_run("--home", str(copy), *a, unprivileged=True) for a in (("list", "--json"),
                ("search", "nato"))]  # fmt: skip
    finally:
        os.chmod(copy, 0o755)
    for run in runs:
        assert run.returncode == 0, run.stderr
        assert run.stderr.count("\n") == 1 and "read the store into memory" in run.stderr
    assert len(json.loads(runs[0].stdout)) == 5
    assert sorted(p.name for p in copy.iterdir()) == ["corpus"], "nothing was written"
