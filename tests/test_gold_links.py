"""The pipeline's demand links against the hand annotation of tests/gold/links.json.

Every seed and every invented article under tests/data/links/ must give exactly the
annotated links: none missing, none extra, each with its demand, side and stance.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from newsbrowse.store.fixtures import fixture_articles
from newsbrowse.store.ingest.pipeline import analyse
from newsbrowse.store.model import Article
from newsbrowse.store.rules import load_rules

TESTS = Path(__file__).parent
GOLD = json.loads((TESTS / "gold" / "links.json").read_text(encoding="utf-8"))
INVENTED = TESTS / "data" / "links"

Key = tuple[str, str, str | None, str]


@pytest.fixture(scope="module")
def rules():
    return load_rules()


def _seed(name: str, rules) -> Article:
    fixture = next(f for f in fixture_articles() if f.path.name == name)
    return analyse(fixture.path.read_text(encoding="utf-8"), rules, fixture.meta)


def _expected(article: Article, gold: dict) -> Counter[Key]:
    """The gold links; a headline entry counts as often as the body still holds its line."""
    expected: Counter[Key] = Counter()
    for entry in gold["links"]:
        key = (entry["demand"], entry["side"], entry["stance"], entry["evidence"])
        if entry.get("headline"):
            expected[key] += article.body.count(entry["evidence"])
        else:
            assert entry["evidence"] in article.body, f"gold evidence not in body: {key}"
            expected[key] += 1
    return expected


def _found(article: Article, gold: dict) -> Counter[Key]:
    """The pipeline's links, each keyed by the gold substring (of its demand) its evidence holds."""
    found: Counter[Key] = Counter()
    for link in article.links:
        assert article.body[link.start : link.end] == link.evidence
        held = sorted(
            {
                e["evidence"]
                for e in gold["links"]
                if e["demand"] == link.demand and e["evidence"] in link.evidence
            }
        )
        label = held[0] if len(held) == 1 else f"<no single gold substring in: {link.evidence}>"
        found[(link.demand, link.side, link.stance, label)] += 1
    return found


def _assert_matches(article: Article, gold: dict) -> None:
    expected, found = _expected(article, gold), _found(article, gold)
    missing, extra = expected - found, found - expected
    assert not missing and not extra, f"missing: {sorted(missing)}\nextra: {sorted(extra)}"
    for entry in gold.get("no_links", []):
        assert entry["evidence"] in article.body, f"no_links evidence not in body: {entry}"


@pytest.mark.parametrize("name", sorted(GOLD["seeds"]))
def test_seed_links_match_gold(name: str, rules) -> None:
    _assert_matches(_seed(name, rules), GOLD["seeds"][name])


@pytest.mark.parametrize("name", sorted(GOLD["invented"]))
def test_invented_links_match_gold(name: str, rules) -> None:
    raw = (INVENTED / name).read_text(encoding="utf-8")
    _assert_matches(analyse(raw, rules), GOLD["invented"][name])


def test_every_invented_article_has_gold() -> None:
    assert sorted(p.name for p in INVENTED.glob("*.txt")) == sorted(GOLD["invented"])


def test_gold_uses_only_codebook_demands_and_valid_stances(rules) -> None:
    slugs = set(rules.codebook.slugs)
    for article in [*GOLD["seeds"].values(), *GOLD["invented"].values()]:
        for entry in article["links"]:
            assert entry["demand"] in slugs
            assert entry["side"] in ("russia", "us_nato")
            if entry["side"] == "russia":
                assert entry["stance"] is None
            else:
                assert entry["stance"] in ("rejects", "open", "conditional", "neutral")
            assert entry["why"].strip()
