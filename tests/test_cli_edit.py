"""``newsbrowse edit`` (issue 18): an article's metadata set by the user, shown by list
and show (table and JSON), listed by corrections, undone by undo; bad input is one line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from newsbrowse.store.model import Article
from newsbrowse.tui import cli

from tests.test_safety_concurrent import _holder, _run


def _json(nb, *args: str) -> Any:
    code, out, err = nb(*args, "--json")
    assert code == 0, err
    return json.loads(out)


def test_edit_shows_in_list_and_show_and_undo_reverts_it(nb, sample: Article) -> None:
    code, out, _ = nb(
        "edit", sample.id[:6], "--title", "Edited title", "--source", "Edited Wire",
        "--url", "https://example.org/edited", "--date", "2022-01-05",
    )  # fmt: skip
    assert code == 0 and out.startswith(f"c1 {sample.id}: title Edited title")
    made = _json(nb, "edit", sample.id, "--clear-author")
    assert (made["kind"], made["author"]) == ("meta", "")

    listed = next(s for s in _json(nb, "list") if s["id"] == sample.id)
    assert (listed["title"], listed["source"], listed["date"], listed["date_basis"]) == (
        "Edited title",
        "Edited Wire",
        "2022-01-05",
        "stated",
    )
    assert listed["edited"] == ["title", "source", "url", "date", "author"]
    shown = _json(nb, "show", sample.id)
    assert (shown["url"], shown["author"]) == ("https://example.org/edited", None)
    assert shown["edited"] == ["title", "source", "url", "date", "author"]
    code, out, _ = nb("list")
    assert "Edited title ✎" in out and "Edited Wire ✎" in out and "2022-01-05 ✎" in out
    code, out, _ = nb("show", sample.id)
    assert "Edited title ✎" in out and "date stated by you" in out
    code, out, _ = nb("corrections")
    assert "title Edited title" in out and "author cleared" in out and "applied" in out

    assert nb("undo", "c1")[0] == 0 and nb("undo", "c2")[0] == 0
    shown = _json(nb, "show", sample.id)
    assert (shown["title"], shown["source"], shown["edited"]) == (
        sample.title,
        sample.source,
        [],
    )
    assert _json(nb, "corrections") == []


@pytest.mark.parametrize(
    "args",
    [
        ("edit", "{a}", "--url", "ftp://example.org/x"),
        ("edit", "{a}", "--date", "2022-02-30"),
        ("edit", "{a}", "--title", ""),
        ("edit", "{a}", "--title", "Fine", "--date", "soon"),
        ("edit", "{a}", "--url", "https://e.org", "--clear-url"),
        ("edit", "{a}"),
        ("edit", "nosuchid", "--title", "A title"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_nothing_stored(
    nb, sample: Article, seeded_home: Path, args: tuple[str, ...]
) -> None:
    user = seeded_home / "user.json"
    before = user.read_bytes() if user.exists() else None
    code, _, err = nb(*(a.format(a=sample.id) for a in args))
    assert code == 2, err
    assert err.count("\n") == 1 and err.startswith("newsbrowse: error: "), err
    assert (user.read_bytes() if user.exists() else None) == before


def test_export_citations_carry_the_edited_values(nb, sample: Article, tmp_path: Path) -> None:
    nb("edit", sample.id, "--title", "Edited title", "--source", "Edited Wire")
    for fmt in ("md", "csv", "json"):
        path = tmp_path / f"out.{fmt}"
        args = ("--quote", sample.quotes[0].id, "--format", fmt, "--output", str(path))
        code, _, err = nb("export", *args)
        assert code == 0, err
        text = path.read_text(encoding="utf-8")
        assert "Edited title" in text and "Edited Wire" in text and sample.title not in text


@pytest.mark.slow
def test_edit_takes_the_homes_write_lock(seeded_home: Path) -> None:
    assert "edit" in cli.WRITE_COMMANDS
    article = json.loads(_run("--home", str(seeded_home), "list", "--json").stdout)[0]["id"]
    holder = _holder(seeded_home)  # another process, as the app holds it
    try:
        run = _run("--home", str(seeded_home), "edit", article, "--title", "Locked out")
        assert run.returncode == 5 and "in use by newsbrowse (the app, pid" in run.stderr
    finally:
        holder.kill()
        holder.wait()
    user = seeded_home / "user.json"
    assert not user.exists() or "Locked out" not in user.read_text(encoding="utf-8")
