"""``newsbrowse reanalyse``: a home holding imported articles and selections analysed again
with edited rules keeps every article, source hash, selection and read mark, says what
changed, and names a selected quote the new analysis no longer finds (kept, shown as
missing); the stamp in meta.json makes every command say when a store is stale."""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from newsbrowse.store.json_files import read_store_file
from newsbrowse.store.library import Library
from newsbrowse.store.reanalysis import renewed_record
from newsbrowse.store.rules import fixture_path, load_rules
from newsbrowse.store.staleness import STALE_NOTE, current_stamp
from newsbrowse.tui import cli

from tests.conftest import build_article

# Texts of our own. Ivan Example is nobody the shipped rules know: "Name said" makes him
# a speaker of side "other"; the home's actors.json below makes him Russian.
TEXTS = {
    "vienna.txt": (
        "Envoys meet in Vienna\n\n"
        "\u201cWe expect a written answer, point by point,\u201d Ivan Example said on Tuesday.\n\n"
        "Diplomats said the talks would go on.\n"
    ),
    "geneva.txt": (
        "Geneva talks end without a deal\n\n"
        "Sergei Lavrov told reporters: \u201cWe need legally binding guarantees that NATO "
        "will not move further east.\u201d\n\nThe meeting lasted eight hours.\n"
    ),
    "brussels.txt": (
        "Allies answer in Brussels\n\n"
        "\u201cThe door of the alliance stays open to every European democracy,\u201d "
        "Jens Stoltenberg said after the meeting.\n"
    ),
}
# An article as an older pipeline stored it: it found a quote where today's finds none.
OLD_BODY = "Talks in Warsaw\n\nThe delegates said they would meet again in spring.\n"
OLD_QUOTE = "they would meet again in spring"
OLD_TITLE = "Talks in Warsaw, as an older pipeline read them"


def add_actor(home: Path, name: str, side: str) -> None:
    """Copy the shipped actors.json into ``home`` with one more person (a user's edit)."""
    data = json.loads(fixture_path("actors.json").read_text(encoding="utf-8"))
    data["actors"].append({"name": name, "side": side, "kind": "person", "aliases": []})
    (home / "actors.json").write_text(json.dumps(data), encoding="utf-8")


def chunk_records(home: Path) -> dict[str, dict[str, Any]]:
    """Every committed article record by id, read from the chunk files."""
    meta = read_store_file(home / "corpus" / "meta.json")
    assert meta is not None
    records: dict[str, dict[str, Any]] = {}
    for name in meta["meta"]["1"]["chunks"]:
        data = read_store_file(home / "corpus" / "chunks" / f"{name}.json")
        assert data is not None
        records.update((doc["id"], doc) for doc in data["articles"].values())
    return records


@pytest.fixture
def worked_home(seeded_home: Path, tmp_path: Path) -> dict[str, Any]:
    """The seeds, three imported files and an older pipeline's article; a quote of each
    selected, one article marked read. Returns what a test checks against."""
    folder = tmp_path / "incoming"
    folder.mkdir()
    for name, text in TEXTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    lib = Library.open(seeded_home)
    try:
        results = lib.import_paths([folder])
        assert all(r.id for r in results), results
        old = build_article(
            OLD_BODY,
            article_id="0ld0ld0ld0ld",
            title=OLD_TITLE,
            quotes=[(OLD_QUOTE, None, "unknown")],
        )
        lib.corpus.add([old])
        by_file = {Path(r.path).name: r.id for r in results}
        selected = [lib.quotes(article=by_file[name])[0].id for name in sorted(TEXTS)]
        selected.append(old.quotes[0].id)
        for qid in selected:
            lib.select(qid)
        lib.mark_read(by_file["geneva.txt"])
        ids = {s.id for s in lib.articles()}
    finally:
        lib.close()
    hashes = {by_file[n]: hashlib.sha256(t.encode("utf-8")).hexdigest() for n, t in TEXTS.items()}
    return {"ids": ids, "selected": selected, "by_file": by_file, "hashes": hashes, "old": old}


def test_reanalyse_keeps_every_article_hash_and_selection_and_says_what_changed(
    nb, seeded_home: Path, worked_home: dict[str, Any]
) -> None:
    vienna = worked_home["by_file"]["vienna.txt"]
    before = chunk_records(seeded_home)
    assert before[vienna]["quotes"][0]["side"] == "other"
    user_before = (seeded_home / "user.json").read_bytes()
    add_actor(seeded_home, "Ivan Example", "russia")

    code, out, err = nb("reanalyse", "--yes")
    assert code == 0, err
    text = " ".join(out.split())
    assert "1 re-attributed" in text
    assert "1 selected quote is no longer found" in text
    assert f"in “{OLD_TITLE}”: “{OLD_QUOTE}” (0ld0ld0ld0ld-q" in text
    assert "1 selected quote has a new speaker or side" in text
    assert "now Ivan Example (russia), was Ivan Example (other)" in text

    after = chunk_records(seeded_home)
    assert set(after) == worked_home["ids"], "every article is kept"
    for article_id, sha in worked_home["hashes"].items():
        assert after[article_id]["source_sha256"] == sha
    for article_id, doc in before.items():
        kept = {k: v for k, v in after[article_id].items() if k not in ("quotes", "links",
                "scare_quotes", "quote_count", "link_count")}  # fmt: skip
        assert kept == {k: v for k, v in doc.items() if k in kept}, article_id
        assert set(kept) | {"quotes", "links", "scare_quotes", "quote_count", "link_count"} >= set(
            doc
        )
    assert after[vienna]["quotes"][0]["side"] == "russia"
    assert after["0ld0ld0ld0ld"]["quotes"] == []
    assert (seeded_home / "user.json").read_bytes() == user_before, "user.json untouched"

    lib = Library.open(seeded_home, read_only=True)
    try:
        assert lib.selected_ids() == worked_home["selected"], "the lost one stays selected"
        assert [q.id for q in lib.selected_quotes()] == worked_home["selected"][:3]
        assert lib.read_ids() == {worked_home["by_file"]["geneva.txt"]}
        assert lib.quote(lib.quotes(article=vienna)[0].id).side == "russia"  # the index follows
    finally:
        lib.close()


def test_a_selection_whose_quote_is_gone_is_listed_as_missing(
    nb, seeded_home: Path, worked_home: dict[str, Any], tmp_path: Path
) -> None:
    assert nb("reanalyse", "--yes")[0] == 0
    code, out, err = nb("export", "--selected", "-o", str(tmp_path / "q.md"))
    assert code == 0, err
    lost = worked_home["selected"][-1]
    (note,) = [line for line in err.splitlines() if line.startswith("newsbrowse: note:")]
    assert "1 selected quote no longer found by the analysis (left out; kept in the " in note
    assert f"{lost} (in “{OLD_TITLE}”)" in note
    assert "exported 3 quotes" in err
    assert (tmp_path / "q.md").read_text(encoding="utf-8").count("\n> ") >= 2


def test_reanalyse_json_gives_the_counts_and_the_lost_selections(
    nb, worked_home: dict[str, Any]
) -> None:
    code, out, err = nb("reanalyse", "--yes", "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["articles"] == len(worked_home["ids"])
    assert report["quotes_removed"] == 1 and report["reattributed"] == 0
    assert set(report) >= {"quotes_added", "links_added", "links_removed", "analysis"}
    (lost,) = report["lost_selections"]
    assert lost == {
        "quote_id": worked_home["selected"][-1],
        "article_id": "0ld0ld0ld0ld",
        "title": OLD_TITLE,
        "speaker": None,
        "side": "unknown",
        "text": OLD_QUOTE,
    }
    assert report["reattributed_selections"] == []


def test_a_stale_store_is_noted_by_every_command_until_reanalysed(
    nb, seeded_home: Path, worked_home: dict[str, Any]
) -> None:
    meta = seeded_home / "corpus" / "meta.json"
    assert nb("list")[2] == "", "a store made by this pipeline and these rules is not stale"
    add_actor(seeded_home, "Ivan Example", "russia")
    before = meta.read_bytes()
    for args in (("list",), ("quotes", "--json"), ("show", worked_home["by_file"]["vienna.txt"])):
        code, _out, err = nb(*args)
        assert code == 0 and err == f"newsbrowse: note: {STALE_NOTE}\n", args
    assert meta.read_bytes() == before, "a read never writes"
    assert nb("reanalyse", "--yes")[0] == 0
    assert nb("list")[2] == ""
    stamp = json.loads(meta.read_text())["meta"]["1"]["analysis"]
    assert stamp == current_stamp(seeded_home)


def test_a_home_without_a_stamp_is_stale_and_imports_keep_it_so(
    nb, seeded_home: Path, tmp_path: Path
) -> None:
    meta = seeded_home / "corpus" / "meta.json"
    data = json.loads(meta.read_text())
    del data["meta"]["1"]["analysis"]  # a home made before stamps
    meta.write_text(json.dumps(data))
    assert STALE_NOTE in nb("list")[2]
    (tmp_path / "vienna.txt").write_text(TEXTS["vienna.txt"], encoding="utf-8")
    code, _out, err = nb("import", str(tmp_path / "vienna.txt"))
    assert code == 0 and STALE_NOTE in err, "its older articles were not analysed again"
    assert nb("reanalyse", "--yes")[0] == 0
    assert STALE_NOTE not in nb("list")[2]


def test_an_import_into_an_empty_home_records_the_stamp(tmp_path: Path) -> None:
    home = tmp_path / "fresh"
    Library.open(home).close()
    data = json.loads((home / "corpus" / "meta.json").read_text())
    assert data["meta"]["1"]["analysis"] == current_stamp(home)
    empty = tmp_path / "empty"
    lib = Library.open(empty, bootstrap=False)
    lib.close()
    assert cli.main(["--home", str(empty), "list"]) == 0  # no articles: nothing stale


def test_without_yes_off_a_terminal_it_refuses_in_one_line(nb, seeded_home: Path) -> None:
    before = (seeded_home / "corpus" / "meta.json").read_bytes()
    code, out, err = nb("reanalyse")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "newsbrowse reanalyse --yes" in err
    assert (seeded_home / "corpus" / "meta.json").read_bytes() == before


def test_on_a_terminal_it_asks_first(nb, seeded_home: Path, monkeypatch) -> None:
    asked: list[str] = []

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    def ask(question: object, **kwargs: object) -> bool:
        asked.append(str(question))
        return False

    monkeypatch.setattr(sys, "stdin", Terminal())
    monkeypatch.setattr("rich.prompt.Confirm.ask", ask)
    before = (seeded_home / "corpus" / "meta.json").read_bytes()
    code, _out, err = nb("reanalyse")
    assert code == 1 and "Nothing changed." in err
    assert len(asked) == 1 and "Analyse the 5 articles" in asked[0]
    assert "selection and the read marks are kept" in asked[0]
    assert (seeded_home / "corpus" / "meta.json").read_bytes() == before


def test_reset_points_to_reanalyse(nb, capsys) -> None:
    code, _out, err = nb("reset")
    assert code == 2 and "newsbrowse reanalyse" in err and err.count("\n") == 1
    assert cli.main(["reset", "--help"]) == 0
    assert "newsbrowse reanalyse" in " ".join(capsys.readouterr().out.split())
    assert cli.main(["--help"]) == 0
    assert "reanalyse" in capsys.readouterr().out


def test_a_pipeline_failure_leaves_the_store_as_it_was(nb, seeded_home: Path, monkeypatch) -> None:
    chunks = sorted((seeded_home / "corpus" / "chunks").iterdir())
    meta = (seeded_home / "corpus" / "meta.json").read_bytes()

    def broken(article: object, rules: object) -> None:
        raise IndexError("list index out of range")

    monkeypatch.setattr("newsbrowse.store.ingest.pipeline.reanalyse", broken)
    code, out, err = nb("reanalyse", "--yes")
    assert code == 1 and err.count("\n") == 1
    assert "failed (IndexError: list index out of range); nothing was changed" in err
    assert (seeded_home / "corpus" / "meta.json").read_bytes() == meta
    assert sorted((seeded_home / "corpus" / "chunks").iterdir()) == chunks
    assert not (seeded_home / "corpus" / "pending.json").exists()


def test_workers_on_many_cores_give_what_one_process_gives(tmp_path: Path, monkeypatch) -> None:
    from newsbrowse.store import reanalysis

    pools: list[int] = []
    start = reanalysis._Reanalysts.__init__

    def counted(self: Any, rules: Any, workers: int) -> None:
        pools.append(workers)
        start(self, rules, workers)

    monkeypatch.setattr(reanalysis._Reanalysts, "__init__", counted)
    folder = tmp_path / "many"
    folder.mkdir()
    for n in range(60):
        (folder / f"{n}.txt").write_text(
            TEXTS["vienna.txt"].replace("point by point", f"point by point, {n} times"),
            encoding="utf-8",
        )
    results = []
    for jobs in (1, 2):
        home = tmp_path / f"home-{jobs}"
        lib = Library.open(home)
        try:
            lib.import_paths([folder], jobs=1)
            add_actor(home, "Ivan Example", "russia")
            lib = _reopened(lib)
            outcome = lib.reanalyse(jobs=jobs)
            results.append((outcome.to_dict(), [q.to_dict() for q in lib.quotes()]))
        finally:
            lib.close()
    assert pools == [2], "the second run analysed on two worker processes"
    assert results[0] == results[1]
    assert results[0][0]["reattributed"] == 60


def _reopened(lib: Library) -> Library:
    """The library opened again (its rules are read once, at first use)."""
    home = lib.home
    lib.close()
    return Library.open(home)


def test_a_record_keeps_every_field_but_the_analysis() -> None:
    rules = load_rules()
    article = build_article(TEXTS["vienna.txt"], quotes=[("point by point", None, "unknown")])
    doc = {**article.to_dict(), "source_sha256": "ab" * 32, "note": "a field of tomorrow"}
    from newsbrowse.store.ingest.pipeline import reanalyse

    renewed = renewed_record(doc, reanalyse(article, rules))
    assert renewed["note"] == "a field of tomorrow" and renewed["source_sha256"] == "ab" * 32
    assert renewed["quotes"][0]["speaker"] == "Ivan Example"
    assert renewed["quote_count"] == 1


def test_the_stamp_is_read_without_importing_the_analysis(tmp_path: Path) -> None:
    from newsbrowse.store.ingest.pipeline import analysis_stamp

    code = (
        "import sys; from pathlib import Path; from newsbrowse.store.staleness import "
        f"current_stamp; current_stamp(Path({str(tmp_path)!r})); "
        "print('newsbrowse.store.ingest.pipeline' in sys.modules)"
    )
    imported = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert imported.stdout.strip() == "False", imported.stderr
    add_actor(tmp_path, "Ivan Example", "russia")
    assert current_stamp(tmp_path) == analysis_stamp(load_rules(tmp_path))
    assert current_stamp(tmp_path) != analysis_stamp(load_rules())
