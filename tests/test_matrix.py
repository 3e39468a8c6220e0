"""``newsbrowse matrix``: per demand, the demanding side's statements and the answering
side's replies by stance, counted by the index, with sides and stances from the codebook."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
from newsbrowse.store.ingest.codebook import Codebook
from newsbrowse.store.library import Library
from newsbrowse.store.matrix import demand_matrix, reply_stances
from newsbrowse.store.rule_files import fixture_path
from newsbrowse.tui import cli

RENAMED = {"russia": "east", "us_nato": "west"}


def test_the_matrix_counts_what_the_links_say(library: Library) -> None:
    codebook = library.codebook
    matrix = demand_matrix(codebook, library.link_counts())
    stated = Counter(lk.demand for lk in library.links(side=codebook.demanding))
    replies = Counter(
        (lk.demand, lk.stance or "neutral") for lk in library.links(side=codebook.answering)
    )
    assert [row.slug for row in matrix.rows] == list(codebook.slugs)
    for row in matrix.rows:
        assert row.demanded == stated[row.slug], row.slug
        assert row.replies == {s: replies[(row.slug, s)] for s in matrix.stances}, row.slug
    assert sum(row.demanded for row in matrix.rows) > 0
    assert sum(row.replied for row in matrix.rows) == sum(replies.values()) > 0


def test_the_stances_are_the_codebooks_with_neutral_last() -> None:
    data = json.loads(fixture_path("codebook.json").read_text(encoding="utf-8"))
    codebook = Codebook.from_dict(data, compile_now=False)
    assert reply_stances(codebook) == ("rejects", "open", "conditional", "neutral")
    data["linking"]["stances"] = {"defers": [], "open": []}
    other = replace(codebook, data=data)
    assert reply_stances(other) == ("open", "defers", "neutral")


def test_matrix_json(seeded_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--home", str(seeded_home), "matrix", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["demanding"]["label"] == "Russia" and data["answering"]["label"] == "US/NATO"
    assert data["stances"] == ["rejects", "open", "conditional", "neutral"]
    first = data["demands"][0]
    assert set(first) == {"demand", "title", "demanded", "replied", "replies"}
    assert first["replied"] == sum(first["replies"].values())
    talks = next(row for row in data["demands"] if row["demand"] == "talks")
    assert talks["replies"]["conditional"] >= 1


def test_matrix_table_words_sides_and_stances(
    seeded_home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    assert cli.main(["--home", str(seeded_home), "matrix"]) == 0
    out = capsys.readouterr().out
    for word in ("Russia", "US/NATO", "✗ rejects", "◐ open", "◇ conditional", "· neutral"):
        assert word in out
    assert "Moscow-NATO" in out and "hotline" in out and "us_nato" not in out
    assert max(len(line) for line in out.splitlines()) <= 80


def test_matrix_refuses_an_argument_in_one_line(
    seeded_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["--home", str(seeded_home), "matrix", "hotline"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_a_codebook_with_other_sides_gives_their_matrix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "renamed"
    home.mkdir()
    for name in ("actors.json", "roles.json", "codebook.json"):
        text = fixture_path(name).read_text(encoding="utf-8")
        for old, new in RENAMED.items():
            text = text.replace(f'"{old}"', f'"{new}"')
        (home / name).write_text(text, encoding="utf-8")
    assert cli.main(["--home", str(home), "matrix", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["demanding"]["side"] == "east" and data["answering"]["side"] == "west"
    assert sum(row["replied"] for row in data["demands"]) > 0
