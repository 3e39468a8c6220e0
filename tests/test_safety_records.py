"""Malformed records and damaged store files: every command answers in one line, recover
sets the damage aside, and nothing a read does deletes or rewrites what is stored.

The property test writes a value of a wrong shape into one field of one record (an
article, a quote, a link, a scare quote, meta.json's commit record, user.json's
entries) and runs every command on the home: each ends with exit 0, 3 (an id the edit
changed) or 4 (the damage, named), in one line and never a traceback; ``recover`` then
sets the damaged file aside and the rest of the store reads again.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from newsbrowse.store import records
from newsbrowse.store.corpus import Corpus
from newsbrowse.store.json_files import SCHEMA_VERSION, read_store_file
from newsbrowse.store.library import Library
from newsbrowse.tui.cli import main

from tests.conftest import build_article

IMPORTED = (
    "Envoys met in Vienna on Monday.\n\n"
    "\u201cWe are ready to talk tomorrow in Geneva for as long as it takes,\u201d Lavrov said.\n"
)
ABSENT = object()  # the field is removed from the record

ARTICLE_FIELDS = (
    "id",
    "title",
    "source",
    "url",
    "date",
    "date_basis",
    "words",
    "quote_count",
    "link_count",
    "body",
    "removed",
    "quotes",
    "links",
    "scare_quotes",
    "origin",
    "source_sha256",
)
QUOTE_FIELDS = ("id", "article_id", "text", "speaker", "side", "cue", "start", "end")
LINK_FIELDS = (
    "id",
    "article_id",
    "demand",
    "side",
    "stance",
    "evidence",
    "start",
    "end",
    "quote_id",
)
SCARE_FIELDS = ("text", "start", "end")
META_FIELDS = ("schema", "generation", "written", "chunks", "a chunk's count")
USER_FIELDS = ("selected.quote_id", "selected.order", "read.article_id", "meta.schema")

TARGETS = (
    [("article", f) for f in ARTICLE_FIELDS]
    + [("quote", f) for f in QUOTE_FIELDS]
    + [("link", f) for f in LINK_FIELDS]
    + [("scare quote", f) for f in SCARE_FIELDS]
    + [("meta", f) for f in META_FIELDS]
    + [("user", f) for f in USER_FIELDS]
)

WRONG = st.one_of(
    st.just(ABSENT),
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=8),
    st.sampled_from(["russia", "rejects", "2022-01-01", "000009", "", "\u202e\u0007"]),
    st.lists(st.one_of(st.integers(), st.text(max_size=3), st.none()), max_size=3),
    st.dictionaries(st.text(max_size=3), st.one_of(st.integers(), st.text(max_size=3)), max_size=2),
)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Five seeds (chunk 1), one imported article (chunk 2), two selected quotes and a read
    mark (user.json with a last good copy)."""
    home = tmp_path_factory.mktemp("records") / "home"
    folder = tmp_path_factory.mktemp("incoming")
    (folder / "vienna.txt").write_text(IMPORTED, encoding="utf-8")
    lib = Library.open(home)
    try:
        lib.import_paths([folder])
        quotes = lib.quotes()
        lib.select(quotes[0].id)
        lib.select(quotes[1].id)
        lib.mark_read(quotes[0].article_id)
    finally:
        lib.close()
    return home


def _run(home: Path, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--home", str(home), *args])
    return code, out.getvalue(), err.getvalue()


def _set(record: dict[str, Any], key: str, value: object) -> None:
    if value is ABSENT:
        record.pop(key, None)
    else:
        record[key] = value


def _damage(home: Path, kind: str, field: str, value: object) -> tuple[Path, str]:
    """Write ``value`` into ``field`` of a record of ``kind``; return the file changed and
    the id of the first seed article (for ``show``)."""
    chunk = home / "corpus" / "chunks" / "000001.json"
    data = json.loads(chunk.read_text(encoding="utf-8"))
    first = data["articles"]["1"]["id"]
    if kind in ("article", "quote", "link", "scare quote"):
        record = next(
            doc
            for doc in data["articles"].values()
            if doc["quotes"] and doc["links"] and doc["scare_quotes"]
        )
        if kind == "article":
            _set(record, field, value)
        else:
            key = {"quote": "quotes", "link": "links", "scare quote": "scare_quotes"}[kind]
            _set(record[key][0], field, value)
        path = chunk
    elif kind == "meta":
        path = home / "corpus" / "meta.json"
        data = json.loads(path.read_text(encoding="utf-8"))
        record = data["meta"]["1"]
        if field == "a chunk's count":
            _set(record["chunks"], "000002", value)
        else:
            _set(record, field, value)
    else:
        path = home / "user.json"
        data = json.loads(path.read_text(encoding="utf-8"))
        table, key = field.split(".")
        _set(next(iter(data[table].values())), key, value)
    path.write_text(json.dumps(data), encoding="utf-8")
    return path, first


def _ids(home: Path) -> tuple[set[str], str]:
    """The seeds' ids (chunk 1) and the imported article's (chunk 2)."""
    chunks = home / "corpus" / "chunks"
    seeds = json.loads((chunks / "000001.json").read_text(encoding="utf-8"))["articles"]
    (imported,) = json.loads((chunks / "000002.json").read_text(encoding="utf-8"))[
        "articles"
    ].values()
    return {doc["id"] for doc in seeds.values()}, imported["id"]


COMMANDS: tuple[tuple[str, ...], ...] = (
    ("list", "--json"),
    ("list",),
    ("show", "FIRST"),
    ("quotes",),
    ("links", "--json"),
    ("search", "nato"),
    ("export", "--format", "csv"),
    ("export", "--selected", "--format", "json"),
)


@pytest.mark.slow
@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(target=st.sampled_from(TARGETS), value=WRONG, keep_index=st.booleans())
@example(target=("meta", "chunks"), value={}, keep_index=False)  # every selected quote gone
def test_a_malformed_field_in_any_record_is_one_line_for_every_command(
    template: Path, target: tuple[str, str], value: object, keep_index: bool
) -> None:
    work = Path(tempfile.mkdtemp(prefix="nb-records-"))
    try:
        home = work / "home"
        shutil.copytree(template, home)
        seeds, imported = _ids(home)
        path, first = _damage(home, *target, value)
        newer = (
            target[1] in ("schema", "meta.schema") and type(value) is int and value > SCHEMA_VERSION
        )
        if not keep_index:
            (home / "index.sqlite").unlink()
        (work / "new.txt").write_text(IMPORTED.replace("Monday", "Tuesday"), encoding="utf-8")
        for args in (*COMMANDS, ("import", str(work / "new.txt"))):
            args = tuple(first if a == "FIRST" else a for a in args)
            code, out, err = _run(home, *args)
            assert "Traceback" not in out + err
            assert code in (0, 2, 3, 4), (args, code, err)  # 2: nothing left to export
            if code:
                assert err.count("\n") == 1 and err.startswith("newsbrowse: error: "), err
            if code == 4:
                assert str(path) in err, err
                assert ("upgrade newsbrowse" if newer else "newsbrowse recover") in err, err
        code, out, err = _run(home, "recover")
        assert "Traceback" not in out + err
        if newer:  # a newer release's file: never set aside, never changed
            assert code == 4 and "upgrade newsbrowse" in err and path.exists()
            return
        assert code == 0, err
        set_aside = f"{path.name}: set aside as {path.name}.damaged-" in out
        code, out, err = _run(home, "list", "--json")
        assert code == 0, err
        listed = {a["id"] for a in json.loads(out)}
        assert imported in listed, "the chunk nobody damaged stays whole"
        if path.name == "000001.json":
            seeds_left = len(listed & seeds)
            assert seeds_left == (0 if set_aside else 5 - (target == ("article", "id"))), out
        else:
            assert seeds <= listed, "a damaged meta.json or user.json loses no article"
    finally:
        shutil.rmtree(work, ignore_errors=True)


# the reproductions of issue 19 ------------------------------------------------------------
def _state(home: Path) -> dict[str, object]:
    files = sorted(home.glob("corpus/**/*.json*")) + [home / "user.json"]
    return {str(p.relative_to(home)): p.read_bytes() for p in files if p.exists()}


def test_a_quote_whose_side_is_a_number_is_damage_and_recover_sets_its_chunk_aside(
    template: Path, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    shutil.copytree(template, home)
    chunk, first = _damage(home, "quote", "side", 5)
    (home / "index.sqlite").unlink()
    for args in (("list",), ("show", first), ("recover",)):
        code, out, err = _run(home, *args)
        if args[0] != "recover":
            assert code == 4 and err.count("\n") == 1, err
            assert f"{chunk} holds article" in err and "side is 5 (must be one of" in err
    assert code == 0 and "000001.json: set aside as 000001.json.damaged-" in out
    assert "its 5 articles left the corpus" in out and out.count("000001") == 2, out
    code, out, _ = _run(home, "list", "--json")
    assert code == 0 and len(json.loads(out)) == 1


@pytest.mark.parametrize(
    ("field", "value", "said"),
    [
        ("date", 12345, "whose date is 12345"),
        ("title", 5, "whose title is 5"),
        ("quotes", "x", "whose quotes are not a list"),
    ],
)
def test_show_and_recover_survive_a_record_of_the_wrong_shape(
    template: Path, tmp_path: Path, field: str, value: object, said: str
) -> None:
    home = tmp_path / "home"
    shutil.copytree(template, home)
    chunk, _first = _damage(home, "article", field, value)
    target = json.loads(chunk.read_text(encoding="utf-8"))["articles"]
    damaged_id = next(doc["id"] for doc in target.values() if doc[field] == value)
    code, _out, err = _run(home, "show", damaged_id)
    assert code == 4 and err.count("\n") == 1 and said in err, err
    code, out, err = _run(home, "recover")
    assert code == 0 and "set aside" in out, err


def test_a_meta_without_its_chunk_list_is_damage_and_a_read_deletes_nothing(
    template: Path, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    shutil.copytree(template, home)
    meta = home / "corpus" / "meta.json"
    meta.write_text('{"meta":{"1":{"schema":3}}}', encoding="utf-8")
    chunks = sorted(p.name for p in (home / "corpus" / "chunks").iterdir())
    for args in (("list", "--json"), ("search", "nato"), ("import", str(home / "none.txt"))):
        code, out, err = _run(home, *args)
        assert code == 4 and out == "" and err.count("\n") == 1, err
        assert f"{meta} holds no list of chunks" in err
        assert sorted(p.name for p in (home / "corpus" / "chunks").iterdir()) == chunks
    code, out, err = _run(home, "recover")
    assert code == 0, err
    assert "its list of chunks was rebuilt from the 2 chunk files" in out
    code, out, err = _run(home, "list", "--json")
    assert code == 0 and len(json.loads(out)) == 6


def test_a_writer_deletes_only_the_chunks_a_killed_import_or_a_reset_left(
    template: Path, tmp_path: Path
) -> None:
    """Chunk files are deleted when pending.json names them (written, never committed)
    or a reset retired them; an unlisted chunk meta.json lost is kept, and listed again
    by recover."""
    home = tmp_path / "home"
    shutil.copytree(template, home)
    chunks = home / "corpus" / "chunks"
    meta = home / "corpus" / "meta.json"
    data = json.loads(meta.read_text(encoding="utf-8"))
    del data["meta"]["1"]["chunks"]["000002"]  # an edited (or older) meta.json
    meta.write_text(json.dumps(data), encoding="utf-8")
    corpus = Corpus(home)
    killed = corpus.write_chunks([build_article(IMPORTED, article_id="0badc0ffee00")], None)
    corpus.close()  # an import killed before its commit
    assert list(killed) == ["000003"] and (home / "corpus" / "pending.json").exists()
    Library.open(home).close()
    assert sorted(p.name for p in chunks.glob("*.json")) == ["000001.json", "000002.json"]
    assert not (home / "corpus" / "pending.json").exists()
    code, out, err = _run(home, "recover")
    assert code == 0, err
    assert "chunk 000002.json: present but not listed in meta.json; its 1 articles are " in out
    code, out, _ = _run(home, "list", "--json")
    assert len(json.loads(out)) == 6
    lib = Library.open(home)
    try:
        lib.reset()
        record = (read_store_file(meta) or {})["meta"]["1"]
        assert record["retired"] == ["000001", "000002"]
    finally:
        lib.close()
    assert [p.stem for p in chunks.glob("*.json")] == list(record["chunks"]), "retired: gone"


# recover reads everything before it writes ----------------------------------------------
def _unprivileged() -> list[str]:
    """A prefix that runs a command without the right to ignore file permissions."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: permissions cannot be enforced")
    return ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"]


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*_unprivileged(), sys.executable, "-m", "newsbrowse.tui.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


@contextlib.contextmanager
def _unreadable(path: Path) -> Iterator[None]:
    mode = path.stat().st_mode
    path.chmod(0)
    try:
        yield
    finally:
        path.chmod(mode)


@pytest.mark.slow
@pytest.mark.parametrize("which", ["chunks folder", "chunk file", "meta.json"])
def test_recover_with_an_unreadable_file_changes_nothing_and_says_unreadable(
    template: Path, tmp_path: Path, which: str
) -> None:
    home = tmp_path / "home"
    shutil.copytree(template, home)
    (home / "corpus" / "meta.json").write_bytes(b"{torn")  # damage to be repaired
    target = {
        "chunks folder": home / "corpus" / "chunks",
        "chunk file": home / "corpus" / "chunks" / "000002.json",
        "meta.json": home / "user.json",
    }[which]
    before = _state(home)
    with _unreadable(target):
        run = _cli("--home", str(home), "recover")
        after = _state(home) if target.is_file() else None
    assert run.returncode == 6, run.stderr
    assert run.stderr.count("\n") == 1 and f"cannot read {target}: Permission denied" in run.stderr
    assert "nothing was changed" in run.stderr and "damaged" not in run.stderr
    assert _state(home) == before and (after is None or after == before)
    run = _cli("--home", str(home), "recover")
    assert run.returncode == 0, run.stderr
    code, out, err = _run(home, "list", "--json")
    assert code == 0 and len(json.loads(out)) == 6, err


def test_recover_names_a_damaged_chunk_once(template: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    shutil.copytree(template, home)
    (home / "corpus" / "chunks" / "000002.json").write_bytes(b"{torn")
    code, out, err = _run(home, "recover")
    assert code == 0, err
    lines = [line for line in out.splitlines() if "000002" in line]
    assert len(lines) == 1 and "its 1 articles left the corpus" in lines[0], out


_MARK_VALUE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 40),
    st.sampled_from(["", "x", "russia", "us_nato", "rejects", "open"]),
    st.lists(st.integers(), max_size=1),
)


@settings(max_examples=400, deadline=None)
@given(
    kind=st.sampled_from(["quotes", "links", "scare_quotes"]),
    mark=st.dictionaries(
        st.sampled_from(sorted(set(QUOTE_FIELDS + LINK_FIELDS + SCARE_FIELDS))), _MARK_VALUE
    ),
)
def test_the_quick_check_of_a_mark_never_passes_what_the_field_check_refuses(
    kind: str, mark: dict[str, object]
) -> None:
    fields = {key: f for key, _kind, f in records._MARKS}[kind]
    quick = records._WHOLE[kind](mark, 30)
    slow = records._mark_problem(mark, fields, 30)
    if quick:
        assert slow is None
    names = {"quotes": QUOTE_FIELDS, "links": LINK_FIELDS, "scare_quotes": SCARE_FIELDS}[kind]
    if slow is None and set(names) <= set(mark):
        assert quick, "a whole mark with every field takes the quick path"
