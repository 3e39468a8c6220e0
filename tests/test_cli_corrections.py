"""``newsbrowse correct``, ``correct-link``, ``add-quote``, ``note``, ``corrections`` and
``undo``: they write user.json under the home's lock, every JSON view says ``corrected``
and ``checked``, and a wrong id, side, demand or span is one line, exit 2, nothing
written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from newsbrowse.store.model import Article
from newsbrowse.tui import cli

from tests.test_cli import _json
from tests.test_safety_concurrent import _holder, _run


def test_the_commands_write_and_every_view_shows_the_corrected_value(nb, sample: Article) -> None:
    lavrov, psaki, unknown = sample.quotes
    made = _json(nb, "correct", lavrov.id, "--speaker", "Maria Zakharova", "--side", "other")
    assert made["id"] == "c1" and made["kind"] == "attribution"
    assert _json(nb, "correct", psaki.id, "--checked")["kind"] == "checked"
    code, out, _ = nb("correct", unknown.id, "--not-quote")
    assert code == 0 and out.startswith("c3 ") and "not a quote" in out

    quotes = {q["id"]: q for q in _json(nb, "quotes", "--article", sample.id)}
    assert quotes[lavrov.id]["speaker"] == "Maria Zakharova"
    assert (quotes[lavrov.id]["corrected"], quotes[lavrov.id]["checked"]) == (True, False)
    assert (quotes[psaki.id]["corrected"], quotes[psaki.id]["checked"]) == (False, True)
    assert unknown.id not in quotes
    shown = _json(nb, "show", sample.id)
    assert {q["id"] for q in shown["quotes"]} == {lavrov.id, psaki.id}
    assert all({"corrected", "checked"} <= set(lk) for lk in _json(nb, "links"))
    exported = _json(nb, "export", "--format", "json", "--quote", lavrov.id, psaki.id)
    assert [(r["attribution"], r["corrected"], r["checked"]) for r in exported] == [
        ("corrected", True, False),
        ("checked", False, True),
    ]
    code, out, _ = nb("quotes", "--article", sample.id)
    assert "Maria Zakharova ✎" in out and "✓" in out


def test_links_added_quotes_notes_the_table_and_undo(nb, sample: Article) -> None:
    link = next(lk for lk in sample.links if lk.demand == "exercises")
    made = _json(nb, "correct-link", link.id, "--demand", "talks", "--stance", "conditional")
    assert made["demand"] == "talks"
    assert link.id in {lk["id"] for lk in _json(nb, "links", "--demand", "talks")}
    start = sample.body.index("Moscow wants")
    added = _json(nb, "add-quote", sample.id, str(start), str(start + 12), "--side", "russia")
    assert added["text"] == "Moscow wants" and added["speaker"] is None
    assert _json(nb, "note", added["target"], "only", "a", "fragment")["note"] == (
        "only a fragment"
    )
    rows = _json(nb, "corrections")
    assert [(r["id"], r["kind"], r["status"]) for r in rows] == [
        ("c1", "link", "applied"),
        ("c2", "added_quote", "applied"),
        ("c3", "note", "applied"),
    ]
    code, out, _ = nb("corrections")
    assert code == 0 and "3 corrections" in out and "note: only a fragment" in out
    hits = _json(nb, "search", "note:fragment")
    assert [h["quote_id"] for h in hits] == [added["target"]]

    assert nb("undo", "c2")[0] == 0
    assert added["target"] not in {q["id"] for q in _json(nb, "quotes")}
    assert [r["id"] for r in _json(nb, "corrections")] == ["c1", "c3"]


@pytest.mark.parametrize(
    "args",
    [
        ("correct", "nosuch-q1", "--side", "other"),
        ("correct", "{q}", "--side", "moon"),
        ("correct", "{q}"),
        ("correct", "{q}", "--not-quote", "--checked"),
        ("correct-link", "{l}", "--demand", "no-such"),
        ("correct-link", "{l}", "--stance", "angry"),
        ("correct-link", "{q}", "--remove"),
        ("add-quote", "{a}", "0", "999999", "--side", "other"),
        ("add-quote", "{a}", "ten", "20", "--side", "other"),
        ("add-quote", "{a}", "0", "20"),
        ("note", "nosuch", "text"),
        ("undo", "c42"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_nothing_stored(
    nb, sample: Article, seeded_home: Path, args: tuple[str, ...]
) -> None:
    user = seeded_home / "user.json"
    before = user.read_bytes() if user.exists() else None
    ids = {"q": sample.quotes[0].id, "l": sample.links[0].id, "a": sample.id}
    code, out, err = nb(*(a.format(**ids) for a in args))
    assert code == 2, err
    assert err.count("\n") == 1 and err.startswith("newsbrowse: error: "), err
    assert (user.read_bytes() if user.exists() else None) == before


def test_corrections_take_the_write_lock_and_corrections_reads_without(
    seeded_home: Path,
) -> None:
    assert {"correct", "correct-link", "add-quote", "note", "undo"} <= cli.WRITE_COMMANDS
    assert "corrections" not in cli.WRITE_COMMANDS
    holder = _holder(seeded_home)  # another process, as the app holds it
    try:
        quote = cli_quote(seeded_home)
        run = _run("--home", str(seeded_home), "correct", quote, "--checked")
        assert run.returncode == 5 and "in use by newsbrowse (the app, pid" in run.stderr
        assert _run("--home", str(seeded_home), "corrections").returncode == 0
    finally:
        holder.kill()
        holder.wait()
    assert not (seeded_home / "user.json").exists() or "corrections" not in (
        seeded_home / "user.json"
    ).read_text(encoding="utf-8")


def cli_quote(home: Path) -> str:
    run = _run("--home", str(home), "quotes", "--json")
    return json.loads(run.stdout)[0]["id"]


def test_selection_lists_the_selected_quotes_as_corrected_in_order(
    nb, library, sample: Article
) -> None:
    lavrov, psaki, unknown = sample.quotes
    for quote in (psaki, lavrov, unknown):
        library.select(quote.id)
    library.user.select(f"{sample.id}-q9999")  # a quote an analysis no longer finds
    library.correct_quote(lavrov.id, speaker="Maria Zakharova")
    library.correct_quote(unknown.id, not_quote=True)
    shown = _json(nb, "selection")
    assert [q["id"] for q in shown["selected"]] == [psaki.id, lavrov.id]
    assert shown["selected"][1]["speaker"] == "Maria Zakharova"
    assert shown["selected"][1]["corrected"] is True
    assert shown["missing"] == [f"{sample.id}-q9999"]
    code, out, err = nb("selection")
    assert code == 0 and "2 selected quotes" in out and "Maria Zakharova ✎" in out
    assert "q9999" in err and err.count("\n") == 1


def test_reanalyse_keeps_corrections_and_names_those_that_need_review(nb, library) -> None:
    quote = library.quotes(speaker="psaki")[0]
    kept = library.correct_quote(quote.id, speaker="Ned Price")
    span = {"target": quote.id, "article_id": quote.article_id, "start": quote.start}
    drifted = library.user.corrections.add(
        kind="checked", end=quote.end, text="words an older analysis gave", **span
    )
    code, out, err = nb("reanalyse", "--yes")
    assert code == 0, err
    assert "1 of your corrections needs review" in err and drifted.id in err
    assert kept.id not in err.split("needs review")[1]
    shown = {q["id"]: q for q in _json(nb, "quotes")}[quote.id]
    assert (shown["speaker"], shown["corrected"], shown["checked"]) == ("Ned Price", True, False)
