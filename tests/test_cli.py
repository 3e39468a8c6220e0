"""The ``newsbrowse`` command line, in-process through ``main(argv)`` and once for real."""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import shutil
import stat
import subprocess
import sys
import types
from pathlib import Path

import pytest
from newsbrowse.store.library import Library
from newsbrowse.store.model import Article
from newsbrowse.tui import cli, cli_import

ARTICLE_FIELDS = {
    "id",
    "title",
    "source",
    "url",
    "date",
    "date_basis",
    "words",
    "quote_count",
    "link_count",
}
QUOTE_FIELDS = {"id", "article_id", "text", "speaker", "side", "cue", "start", "end"}
LINK_FIELDS = {"id", "article_id", "demand", "side", "stance", "evidence", "start", "end"}
LINK_FIELDS |= {"quote_id"}
QUOTE_FIELDS |= {"corrected", "checked", "note"}  # the user's corrections (issue 16)
ARTICLE_FIELDS |= {"edited"}  # the metadata fields the user edited (issue 18)
LINK_FIELDS |= {"corrected", "checked", "note"}
NEW_TEXT = (
    "Envoys met in Vienna.\n\n\u201cWe are ready to talk tomorrow in Geneva,\u201d he said.\n"
)


@pytest.fixture
def nb(seeded_home: Path, capsys: pytest.CaptureFixture[str]):
    """Run ``newsbrowse --home HOME ARGS``; give back (exit status, stdout, stderr)."""

    def run(*args: str, home_first: bool = True) -> tuple[int, str, str]:
        home = str(seeded_home)
        argv = ["--home", home, *args] if home_first else [*args, "--home", home]
        code = cli.main(argv)
        out, err = capsys.readouterr()
        assert "Traceback" not in out + err
        return code, out, err

    return run


def _json(nb, *args: str):
    code, out, err = nb(*args, "--json")
    assert code == 0, err
    return json.loads(out)


def _one_line_error(result: tuple[int, str, str], code: int, *words: str) -> None:
    status, out, err = result
    assert status == code, (status, err)
    assert err.count("\n") == 1 and err.startswith("newsbrowse: "), err
    for word in words:
        assert word in err


# reading -------------------------------------------------------------------------------
def test_list_json_fields(nb) -> None:
    articles = _json(nb, "list")
    assert len(articles) == 5
    assert all(set(a) == ARTICLE_FIELDS for a in articles)


def test_list_table_shows_full_ids_and_date_basis(nb) -> None:
    code, out, _ = nb("list")
    assert code == 0
    for article in _json(nb, "list"):
        assert article["id"] in out
    assert "inferred" in out and "2022-02-21" in out


def test_home_before_or_after_the_subcommand(nb, tmp_path: Path) -> None:
    path = tmp_path / "vienna.txt"
    path.write_text(NEW_TEXT, encoding="utf-8")
    code, out, _ = nb("import", str(path), "--json", home_first=False)
    assert code == 0 and "id" in json.loads(out)[0]
    assert len(_json(nb, "list")) == 6
    assert json.loads(nb("list", "--json", home_first=False)[1]) == _json(nb, "list")


def test_home_from_environment(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("NEWSBROWSE_HOME", str(tmp_path / "from-env"))
    assert cli.main(["list", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 5
    assert (tmp_path / "from-env" / "corpus" / "meta.json").is_file()


def test_show_json_reproduces_every_quote_and_evidence(nb, sample: Article) -> None:
    for summary in _json(nb, "list"):
        record = _json(nb, "show", summary["id"])
        assert ARTICLE_FIELDS | {"body", "removed", "quotes", "links"} <= set(record)
        body = record["body"]
        for q in record["quotes"]:
            assert set(q) == QUOTE_FIELDS and body[q["start"] : q["end"]] == q["text"]
        for lk in record["links"]:
            assert set(lk) == LINK_FIELDS and body[lk["start"] : lk["end"]] == lk["evidence"]
    assert len(_json(nb, "show", sample.id)["links"]) == 4


def test_show_table(nb, sample: Article) -> None:
    code, out, _ = nb("show", sample.id[:6])
    assert code == 0
    assert "Moscow wants a hotline" in out and "Sergei Lavrov" in out and "✗ rejects" in out


def test_markup_in_titles_and_text_prints_literally(nb, add_article) -> None:
    add_article(
        "He said \u201c[red]not markup[/red] at all, really\u201d and [link=x]more[/link].",
        title="[bold]x[/] [@click=app.quit]y[/]",
        quotes=[("[red]not markup[/red] at all, really", "[i]Anon[/i]", "other")],
    )
    for args in (("list",), ("show", "feedc0ffee00"), ("quotes",), ("search", "markup")):
        code, out, _ = nb(*args)
        assert code == 0
        assert "[bold]x[/]" in out or "[red]not markup[/red]" in out, args
    assert "[i]Anon[/i]" in nb("quotes")[1]


def test_quotes_filters(nb, sample: Article) -> None:
    everything = _json(nb, "quotes")
    assert all(set(q) == QUOTE_FIELDS for q in everything)
    by_article = _json(nb, "quotes", "--article", sample.id)
    assert [q["id"] for q in by_article] == [q.id for q in sample.quotes]
    assert [q["speaker"] for q in _json(nb, "quotes", "--speaker", "lavrov")] == ["Sergei Lavrov"]
    assert {q["side"] for q in _json(nb, "quotes", "--side", "us_nato")} == {"us_nato"}
    linked = _json(nb, "quotes", "--demand", "exercises", "--article", sample.id)
    assert [q["speaker"] for q in linked] == ["Jen Psaki"]


def test_links_flat_json_and_grouped_table(nb, sample: Article) -> None:
    links = _json(nb, "links", "--demand", "hotline")
    assert links and all(set(lk) == LINK_FIELDS and lk["demand"] == "hotline" for lk in links)
    assert {lk["side"] for lk in _json(nb, "links", "--side", "us_nato")} == {"us_nato"}
    code, out, _ = nb("links")
    assert code == 0
    assert "hotline — Moscow-NATO hotline" in out
    assert "✗ rejects" in out and "◐ open" in out and "▶ demands" in out


def test_search(nb, sample: Article) -> None:
    hits = _json(nb, "search", "telephone", "connection")
    assert hits[0]["article_id"] == sample.id
    assert {"kind", "article_id", "quote_id", "snippet", "start", "end", "score"} <= set(hits[0])
    code, out, _ = nb("search", "speaker:psaki")
    assert code == 0 and "Jen Psaki" in out


# importing -----------------------------------------------------------------------------
def test_import_twice_adds_nothing(nb, tmp_path: Path) -> None:
    path = tmp_path / "vienna.txt"
    path.write_text(NEW_TEXT, encoding="utf-8")
    (first,) = _json(nb, "import", str(path))
    assert set(first) == {"path", "id"} and first["path"] == str(path)
    (second,) = _json(nb, "import", str(tmp_path))
    assert second == {"path": str(path), "skipped": f"duplicate of article {first['id']}"}
    assert len(_json(nb, "list")) == 6
    code, out, _ = nb("import", str(path))
    assert code == 0 and "duplicate" in out


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("binary.txt", b"\x00\x01\x02\x03 binary", "binary"),
        ("latin.txt", "d\u00e9j\u00e0 vu, said the man".encode("latin-1"), "UTF-8"),
        ("missing.txt", None, "no such file"),
        ("emptydir", "dir", "folder holds no files"),
    ],
)
def test_import_bad_input(nb, tmp_path: Path, home: Path, name, data, reason) -> None:
    path = tmp_path / name
    if data == "dir":
        path.mkdir()
    elif data is not None:
        path.write_bytes(data)
    before = _json(nb, "list")
    code, out, err = nb("import", str(path), "--json")
    assert code == 2
    assert json.loads(out) == [{"path": str(path), "skipped": json.loads(out)[0]["skipped"]}]
    assert reason in json.loads(out)[0]["skipped"]
    assert err.count("\n") == 1 and str(path) in err and reason in err and ";" in err
    assert _json(nb, "list") == before


# exporting -----------------------------------------------------------------------------
def test_export_markdown_to_stdout(nb, sample: Article) -> None:
    code, out, _ = nb("export", "--format", "md", "--quote", sample.quotes[0].id)
    assert code == 0
    assert out.startswith("> We need a direct telephone connection")
    assert (
        "\u2014 Sergei Lavrov (Russia), *A hand-made article*, Test Wire, 2022-01-26 (inferred)"
        in out
    )


def test_export_csv_and_json_files(nb, sample: Article, tmp_path: Path) -> None:
    ids = [q.id for q in sample.quotes[:2]]
    target = tmp_path / "q.csv"
    code, _, err = nb("export", "--format", "csv", "--quote", *ids, "-o", str(target))
    assert code == 0 and str(target) in err
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert [r["id"] for r in rows] == ids and rows[1]["speaker"] == "Jen Psaki"
    out_json = tmp_path / "q.json"
    result = _json(nb, "export", "--quote", *ids, "-o", str(out_json))
    assert result == {"path": str(out_json), "format": "json", "count": 2}
    records = json.loads(out_json.read_text(encoding="utf-8"))
    assert [r["speaker"] for r in records] == ["Sergei Lavrov", "Jen Psaki"]
    assert records[0]["title"] == "A hand-made article" and records[0]["citation"]


def test_export_selected_and_demand(nb, library: Library, sample: Article) -> None:
    _one_line_error(nb("export", "--selected"), 2, "no quotes are selected")
    library.select(sample.quotes[1].id)
    library.select(sample.quotes[0].id)
    records = _json(nb, "export", "--format", "json", "--selected")
    assert [r["id"] for r in records] == [sample.quotes[1].id, sample.quotes[0].id]
    only = _json(nb, "export", "--format", "json", "--selected", "--demand", "hotline")
    assert [r["id"] for r in only] == [sample.quotes[0].id]


def test_export_refuses_to_overwrite(nb, sample: Article, tmp_path: Path) -> None:
    target = tmp_path / "out.md"
    target.write_text("keep me")
    _one_line_error(nb("export", "-o", str(target)), 2, "already exists", "--force")
    assert target.read_text() == "keep me"
    assert nb("export", "-o", str(target), "--force", "--quote", sample.quotes[0].id)[0] == 0
    assert target.read_text().startswith("> We need")


# errors --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (("show", "nope"), 3, ("'nope'", "newsbrowse list")),
        (("export", "--quote", "nope"), 3, ("'nope'",)),
        (("quotes", "--demand", "world-peace"), 3, ("'world-peace'", "known demands")),
        (("links", "--side", "martians"), 2, ("'martians'", "us_nato")),
        (("quotes", "--article", "zzzzzz"), 3, ("'zzzzzz'",)),
        (("export", "-o", "/no/such/folder/out.md"), 2, ("/no/such/folder", "does not exist")),
        (("export", "--format", "pdf"), 2, ("pdf",)),
        (("search", "side:martians"), 2, ("'martians'",)),
        (("bogus",), 2, ("bogus", "--help")),
        (("reset",), 2, ("--yes",)),
        (("import", ""), 2, ("cannot import ''", "give a file or folder")),
        (("import", "a\nb.txt"), 2, ("cannot import a\\nb.txt: no such file",)),
        (("export", "-o", "/x\n.md"), 2, ("/x\\n.md",)),
        (("search", " ".join(["nato"] * 40)), 2, ("at most 32",)),
    ],
)
def test_errors_are_one_line(nb, args, code, words) -> None:
    _one_line_error(nb(*args), code, *words)


@pytest.mark.parametrize(
    ("home", "words"),
    [
        ("~no-such-user-19/x", ("--home starts with ~no-such-user-19", "full path")),
        ("", ("--home is empty",)),
        ("A-FILE", ("is a file, not a folder",)),
        ("/proc/self", ("cannot write in the newsbrowse home /proc/self",)),
    ],
)
def test_a_home_that_cannot_be_one_is_bad_input_in_one_line(
    tmp_path: Path, capsys, monkeypatch, home: str, words: tuple[str, ...]
) -> None:
    afile = tmp_path / "afile"
    afile.write_text("not a folder")
    monkeypatch.chdir(tmp_path)
    home = home.replace("A-FILE", str(afile))
    for args in (["--home", home, "list"], ["--home", home, "import", str(afile)]):
        code = cli.main(args)
        out, err = capsys.readouterr()
        assert code == 2 and out == "" and err.count("\n") == 1, err
        assert all(w in err for w in words), err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile"], "nothing was written"
    monkeypatch.setenv("NEWSBROWSE_HOME", "~no-such-user-19/x")
    assert cli.main(["list"]) == 2
    assert "NEWSBROWSE_HOME starts with ~no-such-user-19" in capsys.readouterr().err


def _unprivileged() -> list[str]:
    """A prefix that runs a command without the right to ignore file permissions."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: permissions cannot be enforced")
    return ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"]


@pytest.mark.slow
def test_a_lock_file_or_a_folder_that_cannot_be_opened_is_not_called_busy(
    seeded_home: Path, tmp_path: Path
) -> None:
    lock = seeded_home / "newsbrowse.lock"
    lock.touch()
    lock.chmod(0)
    closed = tmp_path / "closed"
    closed.mkdir(mode=0o700)
    closed.chmod(0)
    article = tmp_path / "vienna.txt"
    article.write_text(NEW_TEXT, encoding="utf-8")
    cli_ = [sys.executable, "-m", "newsbrowse.tui.cli"]
    try:
        runs = [
            subprocess.run(
                [*_unprivileged(), *cli_, "--home", home, "import", str(article)],
                capture_output=True,
                text=True,
                timeout=60,
            )
            for home in (str(seeded_home), str(closed / "home"))
        ]
    finally:
        lock.chmod(0o644)
        closed.chmod(0o700)
    locked, inside = runs
    assert locked.returncode == 2 and locked.stderr.count("\n") == 1, locked.stderr
    assert "its lock file newsbrowse.lock cannot be opened (Permission denied)" in locked.stderr
    assert "in use" not in locked.stderr
    assert inside.returncode == 2 and inside.stderr.count("\n") == 1, inside.stderr
    assert "cannot create the newsbrowse home" in inside.stderr
    assert "Permission denied" in inside.stderr


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("args", [("export", "--format", "json"), ("list",), ("links", "--json")])
def test_output_to_a_full_device_is_a_failed_write_in_one_line(
    seeded_home: Path, args: tuple[str, ...]
) -> None:
    with open("/dev/full", "w") as full:
        run = subprocess.run(
            [sys.executable, "-m", "newsbrowse.tui.cli", "--home", str(seeded_home), *args],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    assert run.returncode == 6
    assert run.stderr == (
        "newsbrowse: error: cannot write the output: No space left on device; nothing "
        "stored was changed (free some disk space or send the output elsewhere)\n"
    )


def test_export_to_a_full_disk_is_a_failed_write_and_a_fifo_is_never_replaced(
    nb, tmp_path: Path, monkeypatch
) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    _one_line_error(nb("export", "--force", "-o", str(fifo)), 2, "not a regular file")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("newsbrowse.store.export.atomic_write_bytes", full)
    _one_line_error(nb("export", "-o", str(tmp_path / "q.md")), 6, "No space left on device")


def test_damaged_store_is_reported_not_replaced(nb, home: Path) -> None:
    nb("list")
    catalog = home / "corpus" / "meta.json"
    catalog.write_text("{torn")
    _one_line_error(nb("list"), 4, "meta.json", "reset")
    assert catalog.read_text() == "{torn"


def test_reset_with_yes(nb, tmp_path: Path) -> None:
    path = tmp_path / "vienna.txt"
    path.write_text(NEW_TEXT, encoding="utf-8")
    nb("import", str(path))
    assert len(_json(nb, "list")) == 6
    code, out, _ = nb("reset", "--yes")
    out = " ".join(out.split())  # as one line, however wide the table wrapped it
    assert code == 0 and "5 fixture articles" in out
    assert "; 1 imported article were removed (importing their files again" in out
    assert len(_json(nb, "list")) == 5
    code, out, _ = nb("reset", "--yes")
    assert code == 0 and "removed" not in out, "nothing imported, nothing said removed"


def test_reset_says_how_many_imported_articles_it_removes_before_asking(
    nb, tmp_path: Path, monkeypatch, capsys
) -> None:
    for n in range(3):
        path = tmp_path / f"vienna-{n}.txt"
        path.write_text(NEW_TEXT.replace("Vienna", f"Vienna {n}"), encoding="utf-8")
        nb("import", str(path))
    _one_line_error(nb("reset"), 2, "removing its 3 imported articles", "reset --yes")
    asked: list[str] = []

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    def ask(question: object, **kwargs: object) -> bool:
        asked.append(str(question))
        return False

    monkeypatch.setattr(sys, "stdin", Terminal())
    monkeypatch.setattr("rich.prompt.Confirm.ask", ask)
    code, _out, err = nb("reset")
    assert code == 1 and "Nothing changed." in err
    assert len(asked) == 1 and "Its 3 imported articles are removed" in asked[0]
    assert len(_json(nb, "list")) == 8
    assert cli.main(["reset", "--help"]) == 0
    assert "Every imported article is removed" in " ".join(capsys.readouterr().out.split())
    assert cli.main(["--help"]) == 0
    assert "removing every imported article" in " ".join(capsys.readouterr().out.split())


def test_interrupt_and_broken_pipe_exit_cleanly(nb, monkeypatch) -> None:
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "run", interrupted)
    assert nb("list") == (130, "", "newsbrowse: interrupted\n")

    def broken(*args, **kwargs):
        raise BrokenPipeError

    monkeypatch.setattr(cli, "run", broken)
    monkeypatch.setattr(cli, "_quiet_broken_pipe", lambda: None)
    assert nb("list")[0] == 141


def test_version_and_help(capsys) -> None:
    for flag in ("--version", "--help"):
        assert cli.main([flag]) == 0
    out = capsys.readouterr().out
    assert "newsbrowse 0.1.0" in out
    for command in ("list", "show", "quotes", "links", "search", "import", "export", "reset"):
        assert command in out


def test_bare_command_on_a_terminal_runs_the_app(nb, monkeypatch) -> None:
    opened: list[Library] = []
    fake_app = types.SimpleNamespace(run_app=lambda lib: opened.append(lib) or 7)
    monkeypatch.setitem(sys.modules, "newsbrowse.tui.app", fake_app)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert nb() == (7, "", "")
    assert len(opened) == 1


def test_bare_command_lists_articles_until_the_app_exists(nb, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "newsbrowse.tui.app", None)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    code, out, _ = nb()
    assert code == 0 and "5 articles" in out


def test_bare_command_in_a_pipe_or_with_json_lists_articles(nb) -> None:
    assert "5 articles" in nb()[1]
    assert len(_json(nb)) == 5


def test_subcommands_do_not_import_textual(home: Path) -> None:
    code = (
        "import sys; from newsbrowse.tui.cli import main; "
        f"main(['--home', {str(home)!r}, 'list', '--json']); "
        "assert not [m for m in sys.modules if m.split('.')[0] == 'textual'], 'textual'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)


# the installed console script ---------------------------------------------------------
def _script() -> Path:
    return Path(sys.executable).with_name("newsbrowse")


@pytest.mark.slow
def test_console_script_for_real(home: Path, tmp_path: Path) -> None:
    env = {**os.environ, "NEWSBROWSE_HOME": str(home)}

    def run(*args: str, stdin: int | None = subprocess.DEVNULL) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(_script()), *args], env=env, capture_output=True, text=True, stdin=stdin
        )

    listed = run("list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert len(json.loads(listed.stdout)) == 5
    missing = run("show", "doesnotexist")
    assert missing.returncode == 3 and "Traceback" not in missing.stderr
    assert missing.stderr.count("\n") == 1
    reset = run("reset")
    assert reset.returncode == 2 and "--yes" in reset.stderr
    piped = subprocess.run(
        f"'{_script()}' quotes | head -1", shell=True, env=env, capture_output=True, text=True
    )
    assert piped.returncode == 0 and "Traceback" not in piped.stderr


def test_the_app_on_a_held_home_names_the_holder_and_does_not_start(
    nb, seeded_home: Path, monkeypatch
) -> None:
    code = (
        "import time; from pathlib import Path; from newsbrowse.store.library import Library\n"
        f"lib = Library.open(Path({str(seeded_home)!r}), command='newsbrowse app')\n"
        "print('ready', flush=True); time.sleep(60)\n"
    )
    app_proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert app_proc.stdout is not None and app_proc.stdout.readline().strip() == "ready"
        started: list[Library] = []
        fake_app = types.SimpleNamespace(run_app=lambda lib: started.append(lib) or 0)
        monkeypatch.setitem(sys.modules, "newsbrowse.tui.app", fake_app)
        monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
        _one_line_error(nb(), 5, f"newsbrowse (the app, pid {app_proc.pid})", "close it and try")
        assert started == []
        code_ro, out, _ = nb("quotes", "--json")
        assert code_ro == 0 and json.loads(out), "read-only commands run beside the app"
    finally:
        app_proc.kill()
        app_proc.wait()


def test_recover_on_a_healthy_store_changes_nothing(nb, seeded_home: Path) -> None:
    code, out, _ = nb("recover")
    assert code == 0 and "no damaged store files" in out and "5 articles" in out
    assert not list(seeded_home.rglob("*.damaged-*"))


def test_a_large_import_prints_counts_by_outcome_not_a_row_per_file(nb, tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    count = cli_import.IMPORT_TABLE_ROWS + 5
    for i in range(count):
        quote = f"\u201cWe are ready to talk on day {i},\u201d he said."
        text = f"Talks in Vienna, round {i}.\n\n{quote}\n"
        (folder / f"a{i:03d}.txt").write_text(text, encoding="utf-8")
    (folder / "blank.txt").write_text("", encoding="utf-8")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02 not text")
    code, out, err = nb("import", str(folder))
    assert code == 2  # two files need attention: named on stderr, one line each
    assert f"{count} imported, 2 skipped" in out
    assert "1 skipped: empty file" in out and "1 skipped: binary file, not text" in out
    assert "a000.txt" not in out and "--json" in out
    assert len(err.strip().splitlines()) == 2 and "blank.txt" in err and "binary.txt" in err
    code, out, err = nb("import", str(folder / "a000.txt"), str(folder))  # run again
    assert f"0 imported, {count + 3} skipped" in out
    assert f"{count + 1} skipped: duplicate of an article already stored" in out
    code, out, _ = nb("import", str(folder), "--json")  # --json still lists every file
    listed = json.loads(out)
    assert code == 2 and len(listed) == count + 2 and all("skipped" in r for r in listed)
