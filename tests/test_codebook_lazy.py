"""The shipped codebook compiles its patterns on first use; a user's copy at once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from newsbrowse.store.errors import BadInput
from newsbrowse.store.ingest.pipeline import analyse
from newsbrowse.store.rules import load_codebook, load_rules, read_json_rules


def _compiled(codebook) -> bool:
    return "cues" in vars(codebook) or any("terms" in vars(d) for d in codebook.demands)


def test_the_shipped_codebook_compiles_when_linking_first_needs_it() -> None:
    codebook = load_codebook(None)
    assert not _compiled(codebook)  # what the app's first screen loads: titles only
    assert codebook.slugs and all(d.title for d in codebook.demands)
    rules = load_rules(None, codebook=codebook)
    article = analyse("Moscow demands a hotline to Brussels.\n", rules)
    assert [link.demand for link in article.links] == ["hotline"]
    assert _compiled(codebook)
    data = read_json_rules("codebook.json")
    assert [t.pattern for t in codebook.demands[0].terms] == data["demands"][0]["terms"]


def test_a_users_codebook_is_checked_at_load(tmp_path: Path) -> None:
    data = read_json_rules("codebook.json")
    data["linking"]["stances"]["open"].append("(?<=a+)open")  # fails only when compiled
    (tmp_path / "codebook.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(BadInput, match="stance open") as caught:
        load_codebook(tmp_path)
    assert "\n" not in str(caught.value)
    data["linking"]["stances"]["open"].pop()
    (tmp_path / "codebook.json").write_text(json.dumps(data), encoding="utf-8")
    assert _compiled(load_codebook(tmp_path))
