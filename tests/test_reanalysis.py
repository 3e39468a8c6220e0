"""Analysing a stored article again: its text and id kept, what changed counted."""

from __future__ import annotations

import dataclasses
import json

import pytest
from newsbrowse.store.changes import Changes
from newsbrowse.store.ingest.pipeline import analyse, analysis_stamp, reanalyse
from newsbrowse.store.rules import fixture_path, load_rules

TEXT = (
    "Moscow wants answers\n\n"
    "\u201cWe expect a written answer, point by point,\u201d Ivan Example said.\n\n"
    "Diplomats said the talks would go on.\n"
)


@pytest.fixture(scope="module")
def rules():
    return load_rules()


def test_reanalysis_keeps_the_text_and_id_and_finds_the_quotes_again(rules):
    article = analyse(TEXT, rules)
    again = reanalyse(article, rules)
    assert (again.id, again.body, again.title) == (article.id, article.body, article.title)
    assert again.quotes == article.quotes and again.links == article.links


def test_a_users_new_actor_reattributes_and_is_counted(tmp_path, rules):
    article = analyse(TEXT, rules)
    assert article.quotes[0].speaker == "Ivan Example"  # learnt from "Name said"
    assert article.quotes[0].side == "other"
    data = json.loads(fixture_path("actors.json").read_text(encoding="utf-8"))
    data["actors"].append(
        {"name": "Ivan Example", "side": "russia", "aliases": ["Example"], "gender": "m"}
    )
    (tmp_path / "actors.json").write_text(json.dumps(data), encoding="utf-8")
    mine = load_rules(tmp_path)
    again = reanalyse(article, mine)
    changes = Changes()
    changes.add(article, again)
    assert again.quotes[0].side == "russia"
    assert (changes.reattributed, changes.quotes_added, changes.quotes_removed) == (1, 0, 0)
    assert "1 re-attributed" in changes.summary()


def test_a_quote_that_disappears_is_kept_by_id_for_the_report(rules):
    article = analyse(TEXT, rules)
    fewer = dataclasses.replace(article, quotes=[])
    changes = Changes()
    changes.add(article, fewer)
    assert changes.quotes_removed == 1
    assert list(changes.removed_quotes) == [article.quotes[0].id]
    assert changes.any


def test_the_stamp_follows_the_rules(tmp_path, rules):
    assert analysis_stamp(rules) == analysis_stamp(load_rules())
    data = json.loads(fixture_path("speech.json").read_text(encoding="utf-8"))
    data["speech_verbs"]["words"].append("opined loudly")
    (tmp_path / "speech.json").write_text(json.dumps(data), encoding="utf-8")
    assert analysis_stamp(load_rules(tmp_path)) != analysis_stamp(rules)
