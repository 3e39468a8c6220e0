"""Quotes of the five seeds and of the invented hard articles against hand-made gold.

The gold (tests/gold/quotes.json, tests/data/hard/*.json) lists texts, not offsets, so that
it survives changes to cleaning; every finding must also reproduce its text from the body.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from newsbrowse.store.fixtures import fixture_articles
from newsbrowse.store.ingest.pipeline import analyse
from newsbrowse.store.model import Article, ArticleMeta
from newsbrowse.store.rules import load_rules

GOLD = json.loads((Path(__file__).parent / "gold" / "quotes.json").read_text(encoding="utf-8"))
HARD = Path(__file__).parent / "data" / "hard"
SEEDS = {fa.path.name: fa for fa in fixture_articles()}


@pytest.fixture(scope="module")
def rules():
    return load_rules()


def _found(article: Article) -> tuple[list[tuple], list[str]]:
    for q in article.quotes:
        assert article.body[q.start : q.end] == q.text
    for s in article.scare_quotes:
        assert article.body[s.start : s.end] == s.text
    quotes = [(q.text, q.speaker, q.side) for q in article.quotes]
    return quotes, [s.text for s in article.scare_quotes]


def _expected(gold: list[dict], body: str) -> tuple[list[tuple], list[str]]:
    # A headline quote counts only where the cleaner kept the headline in the body.
    kept = [g for g in gold if not g.get("headline") or g["headline"] in body]
    quotes = [(g["text"], g["speaker"], g["side"]) for g in kept if not g["scare"]]
    return quotes, [g["text"] for g in kept if g["scare"]]


def test_gold_covers_every_seed():
    assert set(GOLD["articles"]) == set(SEEDS)


@pytest.mark.parametrize("name", sorted(GOLD["articles"]))
def test_seed_quotes_match_gold(name, rules):
    seed = SEEDS[name]
    article = analyse(seed.path.read_text(encoding="utf-8"), rules, seed.meta)
    quotes, scare = _found(article)
    expected_quotes, expected_scare = _expected(GOLD["articles"][name], article.body)
    assert quotes == expected_quotes
    assert scare == expected_scare


def _hard_cases() -> list[Path]:
    return sorted(HARD.glob("*.txt"))


def test_hard_cases_exist():
    assert len(_hard_cases()) >= 8


@pytest.mark.parametrize("path", _hard_cases(), ids=lambda p: p.stem)
def test_hard_article_quotes_match_gold(path, rules):
    gold = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    article = analyse(path.read_text(encoding="utf-8"), rules, ArticleMeta(title=gold["title"]))
    quotes, scare = _found(article)
    expected_quotes, expected_scare = _expected(gold["quotes"], article.body)
    assert quotes == expected_quotes
    assert scare == expected_scare
    cues = {q.text: q.cue for q in article.quotes}
    for g in gold["quotes"]:
        if "cue" in g:
            assert cues[g["text"]] == g["cue"], g["text"]
