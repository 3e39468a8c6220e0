"""The store under attack: a second writer, stale temporaries, damaged and newer files,
migration, threads, and writes that fail (monkeypatched, and a real full disk)."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from newsbrowse.store import files, json_files
from newsbrowse.store.errors import (
    NewsbrowseError,
    StoreDamaged,
    StoreLocked,
    StoreWriteFailed,
)
from newsbrowse.store.index import Index
from newsbrowse.store.json_files import SCHEMA_VERSION, read_store_file
from newsbrowse.store.library import Library
from newsbrowse.tui.cli import main

ARTICLE = (
    "Officials met in Vienna on Monday.\n\n"
    "\u201cWe will keep talking for as long as it takes,\u201d Lavrov said after the meeting.\n"
)


def _state(home: Path) -> dict[str, object]:
    """What a user would lose: the parsed corpus and user files (not the derived index)."""
    files = sorted(home.glob("corpus/**/*.json")) + [home / "user.json"]
    return {str(p.relative_to(home)): read_store_file(p) for p in files if p.exists()}


def _holder(home: Path, command: str = "newsbrowse app") -> subprocess.Popen[str]:
    """Another process holding the home's write lock, as the app does."""
    code = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from newsbrowse.store.library import Library\n"
        f"lib = Library.open(Path({str(home)!r}), command={command!r})\n"
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


# one writer ------------------------------------------------------------------------------
def test_a_second_writer_is_told_which_process_holds_the_home(
    seeded_home: Path, held: subprocess.Popen[str], tmp_path: Path, capsys
) -> None:
    before = _state(seeded_home)
    app = f"in use by newsbrowse \\(the app, pid {held.pid}\\); close it and try again$"
    with pytest.raises(StoreLocked, match=app):
        Library.open(seeded_home)
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    assert main(["--home", str(seeded_home), "import", str(article)]) == StoreLocked.exit_code
    err = capsys.readouterr().err
    assert err == (
        f"newsbrowse: error: the store in {seeded_home} is in use by newsbrowse (the app, "
        f"pid {held.pid}); import from the app with `i`, or close it and try again\n"
    )
    assert main(["--home", str(seeded_home), "reset", "--yes"]) == StoreLocked.exit_code
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.endswith(
        f"in use by newsbrowse (the app, pid {held.pid}); close it and try again\n"
    )
    assert _state(seeded_home) == before


def test_a_writer_other_than_the_app_is_named_by_its_command(
    seeded_home: Path, tmp_path: Path, capsys
) -> None:
    proc = _holder(seeded_home, "newsbrowse import")
    try:
        article = tmp_path / "a.txt"
        article.write_text(ARTICLE, encoding="utf-8")
        assert main(["--home", str(seeded_home), "import", str(article)]) == StoreLocked.exit_code
    finally:
        proc.kill()
        proc.wait()
    err = capsys.readouterr().err
    assert err.endswith(
        f"in use by process {proc.pid} (newsbrowse import); close that newsbrowse and try again\n"
    )


def test_readers_work_while_a_writer_holds_the_home_but_cannot_write(
    seeded_home: Path, held: subprocess.Popen[str], capsys
) -> None:
    assert main(["--home", str(seeded_home), "list", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 5
    reader = Library.open(seeded_home, read_only=True)
    try:
        quote = reader.quotes()[0]
        with pytest.raises(StoreLocked, match=str(held.pid)):
            reader.toggle_selected(quote.id)
    finally:
        reader.close()


def test_the_lock_dies_with_its_holder(seeded_home: Path) -> None:
    proc = _holder(seeded_home)
    proc.kill()
    proc.wait()
    Library.open(seeded_home).close()


def test_one_process_may_open_its_home_twice(library: Library) -> None:
    again = Library.open(library.home)
    again.close()
    quote = library.quotes()[0]
    assert library.toggle_selected(quote.id) is True, "closing the second keeps the first's lock"
    other = subprocess.run(
        [sys.executable, "-m", "newsbrowse.tui.cli", "--home", str(library.home), "reset", "--yes"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert other.returncode == StoreLocked.exit_code
    assert f"in use by process {os.getpid()}" in other.stderr


def test_stale_temporaries_are_removed_only_by_the_writer(
    seeded_home: Path, tmp_path: Path
) -> None:
    stale = [
        seeded_home / "corpus" / ".meta.json.k2j3h4g5.tmp",
        seeded_home / "corpus" / "chunks" / ".000002.json.abcdefgh.tmp",
        seeded_home / ".user.json.bak.1234abcd.tmp",
        seeded_home / "index.sqlite.x8y7z6w5.building",
    ]
    proc = _holder(seeded_home)
    for path in stale:
        path.write_bytes(b'{"half": ')
    try:
        Library.open(seeded_home, read_only=True).close()
        assert all(p.exists() for p in stale), "a reader must not delete a live writer's file"
    finally:
        proc.kill()
        proc.wait()
    Library.open(seeded_home).close()
    assert not any(p.exists() for p in stale)


# damage -----------------------------------------------------------------------------------
def _chunk(home: Path) -> Path:
    return sorted((home / "corpus" / "chunks").glob("*.json"))[0]


TARGETS: dict[str, Callable[[Path], Path]] = {
    "meta": lambda home: home / "corpus" / "meta.json",
    "chunk": _chunk,
    "user": lambda home: home / "user.json",
}
DAMAGE: dict[str, Callable[[bytes], bytes]] = {
    "empty": lambda old: b"",
    "truncated": lambda old: old[: len(old) // 2],
    "not-json": lambda old: b"\x00\x01garbage",
    "list": lambda old: b"[1, 2, 3]",
    "other-shape": lambda old: b'{"articles": {"1": 5}}',
    "nan": lambda old: old.replace(b"}", b',"x":NaN}', 1),
    "deep": lambda old: b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
    "bad-record": lambda old: b'{"articles": {"1": {"id": 7}}, "selected": {"1": {"q": 1}}}',
}


def _select_two(home: Path) -> list[str]:
    """Select two quotes (two writes, so user.json has a last good copy) and read one."""
    lib = Library.open(home)
    try:
        ids = [q.id for q in lib.quotes()[:2]]
        for qid in ids:
            lib.select(qid)
        return ids
    finally:
        lib.close()


def _open_everything(home: Path) -> None:
    lib = Library.open(home)
    try:
        lib.selected_ids()
        lib.read_ids()
        for art in lib.iter_articles():
            assert art.body
    finally:
        lib.close()


@pytest.mark.parametrize("damage", sorted(DAMAGE))
@pytest.mark.parametrize("target", sorted(TARGETS))
def test_damage_is_named_kept_and_recovered_without_losing_the_other_file(
    seeded_home: Path, target: str, damage: str, capsys
) -> None:
    selected = _select_two(seeded_home)
    path = TARGETS[target](seeded_home)
    inside = [d["id"] for d in (read_store_file(path) or {}).get("articles", {}).values()]
    bad = DAMAGE[damage](path.read_bytes())
    path.write_bytes(bad)

    with pytest.raises(StoreDamaged) as info:
        _open_everything(seeded_home)
    message = str(info.value)
    assert str(path) in message and "newsbrowse recover" in message and "\n" not in message
    assert path.read_bytes() == bad, "never replaced silently"
    command = ["show", inside[0]] if target == "chunk" else ["list"]
    assert main(["--home", str(seeded_home), *command]) == StoreDamaged.exit_code

    assert main(["--home", str(seeded_home), "recover"]) == 0
    (kept,) = path.parent.glob(path.name + ".damaged-*")
    assert kept.read_bytes() == bad
    _open_everything(seeded_home)
    lib = Library.open(seeded_home)
    try:
        if target != "chunk":
            assert len(lib.articles()) == 5, "user.json or meta.json damage loses no article"
        else:
            assert lib.articles() == [], "the fixtures' one chunk left the corpus"
        if target == "user":
            assert lib.selected_ids() == selected[:1], "the copy before the last write"
        else:
            assert lib.selected_ids() == selected, "corpus damage loses no selection"
    finally:
        lib.close()
    out = capsys.readouterr().out
    assert "set aside as" in out
    if target == "chunk":
        assert "its 5 articles left the corpus: import their files again" in out


def test_recovering_a_chunk_keeps_the_corpus_consistent(
    seeded_home: Path, tmp_path: Path, capsys
) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    assert main(["--home", str(seeded_home), "import", str(tmp_path / "a.txt")]) == 0
    chunk = _chunk(seeded_home)  # the fixtures' chunk; the import made a second one
    lost = {d["id"] for d in (read_store_file(chunk) or {})["articles"].values()}
    chunk.write_bytes(b"{trunc")
    assert main(["--home", str(seeded_home), "recover"]) == 0
    assert f"{chunk.name}: set aside as" in capsys.readouterr().out
    lib = Library.open(seeded_home)
    try:
        ids = {s.id for s in lib.articles()}
        for article_id in ids:
            lib.article(article_id)  # every listed article is readable
        assert len(ids) == 1 and not ids & lost
    finally:
        lib.close()
    # The fixtures' files imported again (reset) restore what the chunk held.
    assert main(["--home", str(seeded_home), "reset", "--yes"]) == 0
    lib = Library.open(seeded_home)
    try:
        assert lost <= {s.id for s in lib.articles()}
    finally:
        lib.close()


@pytest.mark.parametrize("target", ["meta", "user"])
def test_a_newer_schema_is_refused_and_never_touched(
    seeded_home: Path, target: str, capsys
) -> None:
    _select_two(seeded_home)
    path = TARGETS[target](seeded_home)
    data = read_store_file(path) or {}
    data["meta"] = {"1": dict(data.get("meta", {}).get("1", {}), schema=SCHEMA_VERSION + 1)}
    path.write_text(json.dumps(data), encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(StoreDamaged, match="newer than this newsbrowse"):
        Library.open(seeded_home)
    for command in (["list"], ["recover"], ["reset", "--yes"]):
        assert main(["--home", str(seeded_home), *command]) == StoreDamaged.exit_code
        assert "upgrade newsbrowse" in capsys.readouterr().err
    assert path.read_bytes() == before
    assert not list(path.parent.glob("*.damaged-*"))


def test_reset_sets_damaged_files_aside_and_keeps_the_selection(seeded_home: Path) -> None:
    selected = _select_two(seeded_home)
    meta = seeded_home / "corpus" / "meta.json"
    meta.write_bytes(b"")
    assert main(["--home", str(seeded_home), "reset", "--yes"]) == 0
    assert list(meta.parent.glob("meta.json.damaged-*"))
    lib = Library.open(seeded_home)
    assert len(lib.articles()) == 5 and lib.selected_ids() == selected
    lib.close()


# schema migration -------------------------------------------------------------------------
def test_a_version_1_home_is_migrated_keeping_its_data(home: Path) -> None:
    """A home written by the first release: no stamp in user.json, raw file names."""
    art_id = "a1b2c3d4e5f6"
    start = ARTICLE.index("We will")
    text = "We will keep talking for as long as it takes,"
    quote = {
        "id": f"{art_id}-q{start}",
        "article_id": art_id,
        "text": text,
        "speaker": "Sergei Lavrov",
        "side": "russia",
        "cue": "said",
        "start": start,
        "end": start + len(text),
    }
    summary = {
        "id": art_id,
        "title": "Vienna",
        "source": None,
        "url": None,
        "date": "2022-01-10",
        "date_basis": "inferred",
        "words": 19,
        "quote_count": 1,
        "link_count": 0,
        "origin": "evil\x1b]0;x\x07name.txt",
    }
    record = dict(summary, body=ARTICLE, removed=[], quotes=[quote], links=[], scare_quotes=[])
    (home / "corpus" / "shards").mkdir(parents=True)
    (home / "corpus" / "shards" / "41.json").write_text(
        json.dumps({"articles": {"1": record}}), encoding="utf-8"
    )
    (home / "corpus" / "catalog.json").write_text(
        json.dumps({"articles": {"1": summary}, "meta": {"1": {"schema": 1, "generation": "g1"}}}),
        encoding="utf-8",
    )
    quote_id = quote["id"]
    (home / "user.json").write_text(
        json.dumps({"selected": {"1": {"quote_id": quote_id, "order": 1}}}), encoding="utf-8"
    )

    lib = Library.open(home)
    try:
        assert [s.id for s in lib.articles()] == [art_id]
        assert lib.article(art_id).origin == "evil]0;xname.txt"
        assert lib.article(art_id).body == ARTICLE
        assert lib.selected_ids() == [quote_id]
        assert lib.quote(quote_id).text == text and lib.quote(quote_id).speaker == "Sergei Lavrov"
    finally:
        lib.close()
    assert (read_store_file(home / "corpus" / "meta.json") or {})["meta"]["1"]["schema"] == 3
    user = read_store_file(home / "user.json") or {}
    assert user["meta"]["1"]["schema"] == 3 and len(user["selected"]) == 1
    assert sorted(p.name for p in (home / "corpus").iterdir()) == ["chunks", "meta.json"]


# threads --------------------------------------------------------------------------------
def test_every_public_method_touches_the_store_under_the_lock(
    library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    touched: list[str] = []

    def guard(name: str, real: Callable[..., object]) -> Callable[..., object]:
        def checked(*args: object, **kwargs: object) -> object:
            assert library._lock._is_owned(), f"{name} used outside the library's lock"
            touched.append(name)
            return real(*args, **kwargs)

        return checked

    storage = json_files.AtomicJSONStorage
    monkeypatch.setattr(storage, "read", guard("read", storage.read))
    monkeypatch.setattr(storage, "write", guard("write", storage.write))
    conn = Index.conn.fget
    monkeypatch.setattr(Index, "conn", property(guard("sqlite", conn)))  # type: ignore[arg-type]
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    quote = library.quotes()[0]
    for call in (
        library.articles,
        lambda: library.article(quote.article_id),
        lambda: library.quote(quote.id),
        lambda: library.quotes(speaker="putin", side="russia"),
        lambda: library.links(demand="hotline"),
        lambda: library.search("NATO"),
        lambda: library.import_paths([path]),
        lambda: library.toggle_selected(quote.id),
        library.selected_quotes,
        lambda: library.mark_read(quote.article_id),
        library.read_ids,
        lambda: list(library.iter_articles()),
        library.clear_selection,
        library.reset,
    ):
        call()
    assert {"read", "write", "sqlite"} <= set(touched)


def test_threads_hammering_one_library_keep_it_consistent(library: Library) -> None:
    quotes = library.quotes()
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(30):
                q = quotes[(n + i) % len(quotes)]
                library.toggle_selected(q.id)
                library.search("NATO")
                library.articles()
                library.mark_read(q.article_id)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    selected = library.selected_ids()
    assert len(selected) == len(set(selected))
    reopened = Library.open(library.home)
    assert reopened.selected_ids() == selected
    reopened.close()


# injected faults ------------------------------------------------------------------------
class _Fault:
    """Fails one os function with ENOSPC from its n-th call on (a disk that stays full)."""

    def __init__(self, name: str, fail_at: int) -> None:
        self.real = getattr(os, name)
        self.fail_at = fail_at
        self.calls = 0

    def __call__(self, *args: object, **kwargs: object) -> object:
        self.calls += 1
        if self.calls >= self.fail_at:
            raise OSError(errno.ENOSPC, "No space left on device")
        return self.real(*args, **kwargs)


def _write_fault(fail_at: int) -> Callable[..., object]:
    """``os.fdopen`` whose handles' ``write`` fails from the n-th file opened on."""
    real = os.fdopen
    count = [0]

    def fdopen(fd: int, *args: object, **kwargs: object) -> object:
        handle = real(fd, *args, **kwargs)
        count[0] += 1
        if count[0] >= fail_at:

            def write(data: bytes) -> int:
                raise OSError(errno.ENOSPC, "No space left on device")

            handle.write = write  # type: ignore[method-assign]
        return handle

    return fdopen


def _listed(state: dict[str, object]) -> set[str]:
    """The ids in the chunks that meta.json commits."""
    chunks = state["corpus/meta.json"]["meta"]["1"]["chunks"]  # type: ignore[index]
    return {
        d["id"]
        for name in chunks
        for d in state[f"corpus/chunks/{name}.json"]["articles"].values()  # type: ignore[index]
    }


def _uncommitted(state: dict[str, object]) -> dict[str, object]:
    """The files but the chunks meta.json does not list (written before its commit) and
    the record naming them (deleted by the next writer)."""
    chunks = state["corpus/meta.json"]["meta"]["1"]["chunks"]  # type: ignore[index]
    return {
        k: v
        for k, v in state.items()
        if k != "corpus/pending.json"
        and (not k.startswith("corpus/chunks/") or k[len("corpus/chunks/") : -5] in chunks)
    }


def _selected(state: dict[str, object]) -> list[str]:
    docs = state["user.json"]["selected"].values()  # type: ignore[index]
    return [d["quote_id"] for d in sorted(docs, key=lambda d: d["order"])]


OPERATIONS: dict[str, Callable[[Library, Path], object]] = {
    "import": lambda lib, path: lib.import_paths([path]),
    "select": lambda lib, path: lib.toggle_selected(lib.quotes()[0].id),
    "mark-read": lambda lib, path: lib.mark_read(lib.articles()[-1].id),
    "reset": lambda lib, path: lib.reset(),
}
FAULTS = ("write", "fsync", "replace", "link")


@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_a_failing_write_leaves_the_store_as_it_was_and_says_so(
    seeded_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, operation: str, fault: str
) -> None:
    """Fail each write step of the operation in turn: the store is wholly old each time."""
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    _select_two(seeded_home)
    step = 1
    faults = [0]
    while True:
        before = _state(seeded_home)
        lib = Library.open(seeded_home)
        if fault == "write":
            monkeypatch.setattr(files.os, "fdopen", _write_fault(step))
        else:
            monkeypatch.setattr(files.os, fault, _Fault(fault, step))
        try:
            OPERATIONS[operation](lib, path)
        except NewsbrowseError as exc:
            assert isinstance(exc, StoreWriteFailed) and "\n" not in str(exc)
            assert "No space left on device; the store is unchanged" in str(exc)
            monkeypatch.undo()
            # The same library shows the old state: it kept nothing of the failed write.
            assert {s.id for s in lib.articles()} == _listed(before)
            assert lib.selected_ids() == _selected(before)
            lib.close()
            after = _state(seeded_home)
            # New chunks are written before meta.json commits them; the rest is unchanged.
            assert _uncommitted(after) == before
            faults[0] += 1
            _open_everything(seeded_home)
            step += 1
            continue
        finally:
            monkeypatch.undo()
        lib.close()
        break
    assert faults[0] >= 1, f"{operation} never reached {fault}"


DISK_FULL = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
from newsbrowse.tui.cli import main
sys.exit(main(sys.argv[2:]))
"""


@pytest.mark.slow
def test_a_full_disk_leaves_the_store_untouched_and_says_so(
    seeded_home: Path, tmp_path: Path
) -> None:
    big = tmp_path / "big.txt"
    big.write_text(
        "".join(f"Paragraph {i}: Lavrov said the talks went on.\n\n" for i in range(1500)),
        encoding="utf-8",
    )
    before = _state(seeded_home)
    run = subprocess.run(
        [sys.executable, "-c", DISK_FULL, "40000", "--home", str(seeded_home), "import", str(big)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == StoreWriteFailed.exit_code, run.stderr
    assert run.stderr.count("\n") == 1 and "the store is unchanged" in run.stderr
    assert "File too large" in run.stderr
    assert _state(seeded_home)["corpus/meta.json"] == before["corpus/meta.json"]
    _open_everything(seeded_home)
    lib = Library.open(seeded_home)
    assert len(lib.articles()) == 5
    lib.close()
