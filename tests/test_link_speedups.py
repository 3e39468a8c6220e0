"""Linking's shortcuts give what the plain patterns give.

A pattern is tried only where a string of each set it needs occurs (``required_sets``):
demand terms, stance cues, group phrases and clause breaks. Each shortcut is checked
against the slow way: every pattern tried on every sentence.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from newsbrowse.store.fixtures import fixture_articles
from newsbrowse.store.ingest import link_sides as link_sides_module
from newsbrowse.store.ingest import links as links_module
from newsbrowse.store.ingest.clean import clean_text
from newsbrowse.store.ingest.literals import LiteralIndex, lowered, required_sets
from newsbrowse.store.ingest.quoting import quotes_and_refs
from newsbrowse.store.ingest.sentences import split_sentences
from newsbrowse.store.rules import load_rules


@pytest.fixture(scope="module")
def rules():
    return load_rules()


def _links(body: str, rules, slow: bool) -> list:
    """The links as the pipeline finds them; ``slow``: no lower-case shortcut anywhere."""
    sentences = split_sentences(body, rules.cleaning.abbreviations)
    found, refs = quotes_and_refs(body, rules.actors)
    cited = [q for q in found if not q.scare]
    with pytest.MonkeyPatch.context() as patch:
        if slow:
            patch.setattr(links_module, "lowered", lambda text: None)
            patch.setattr(link_sides_module, "lowered", lambda text: None)
        return links_module.find_links(body, sentences, cited, rules.codebook, rules.actors, refs)


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"\bready\b[^.]{0,40}?\bto\s+talk", [{"ready"}, {"to"}, {"talk"}]),
        (r"\b(?:stay|keep)\s+out\s+of\b", [{"keep", "stay"}, {"out"}, {"of"}]),
        (r",?\s+but\s+|;\s+", [{"but", ";"}]),
        (r"\bx(?=yz)", [{"x"}]),  # inside a lookahead nothing is required
        (r"(?:ab)+c?", [{"ab"}]),
        (r"a*b?", []),
        (r"Київ\s+talks", [{"talks"}]),  # non-ASCII strings are never searched for
    ],
)
def test_required_sets_are_each_needed(pattern: str, expected: list[set[str]]) -> None:
    assert sorted(map(sorted, required_sets(re.compile(pattern, re.IGNORECASE)))) == sorted(
        map(sorted, expected)
    )


def _codebook_patterns(rules) -> list[re.Pattern[str]]:
    codebook, cues = rules.codebook, rules.codebook.cues
    patterns = [t for d in codebook.demands for t in d.all_terms]
    patterns += [c for _, stance in cues.stances for c in stance]
    patterns += [g for _, g in cues.groups]
    return [*patterns, *(p for p in (cues.clause_break, cues.restated) if p is not None)]


_WORDS = st.sampled_from(
    ["Russia", "NATO", "the", "U.S.", "US", "officials", "said", "ready", "to", "talks",
     "but", ";", ",", ".", "while", "hot", "line", "hotline", "Ukraine", "join", "members",
     "expansion", "east", "stay", "out", "of", "Eastern", "Europe", "troops", "forces",
     "near", "arms", "control", "legally", "binding", "guarantees", "written", "response",
     "reply", "replies", "the-West", "West", "Allies", "allies", "draft", "treaty", "will",
     "not", "rejects", "open", "door", "ex-Soviet", "short-range", "missiles", "KREMLIN",
     "“", "”", "’s", "\n", "would", "meeting", "possible", "willing", "dialogue"]
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.lists(_WORDS, min_size=1, max_size=30), st.sampled_from([" ", "", "  "]))
def test_no_pattern_matches_without_the_strings_it_needs(rules, words, joiner) -> None:
    text = joiner.join(words)
    low = lowered(text)
    assert low is not None
    patterns = _codebook_patterns(rules)
    index = LiteralIndex((p, i) for i, p in enumerate(patterns))
    possible = index.tags_in(low)
    for i, pattern in enumerate(patterns):
        if pattern.search(text):
            assert i in possible, pattern.pattern
            assert all(any(s in low for s in needs) for needs in required_sets(pattern))
    assert rules.codebook.cues.may_break(low) or not rules.codebook.cues.clause_break.search(text)


def test_a_tag_given_to_two_patterns_needs_only_what_both_need() -> None:
    index = LiteralIndex([(re.compile(r"\bready\s+now"), "t"), (re.compile(r"\bready"), "t")])
    assert index.tags_in("ready later") == {"t"}


@settings(max_examples=150, deadline=None)
@given(st.lists(_WORDS, min_size=1, max_size=40))
def test_fast_links_equal_the_slow_links_on_word_salad(rules, words: list[str]) -> None:
    body = " ".join(words)
    assert _links(body, rules, slow=False) == _links(body, rules, slow=True)


def test_fast_links_equal_the_slow_links_on_the_seeds(rules) -> None:
    for seed in fixture_articles():
        raw = seed.path.read_text(encoding="utf-8")
        body = clean_text(raw, rules.cleaning, title_hint=seed.meta.title).body
        assert _links(body, rules, slow=False) == _links(body, rules, slow=True), seed.path
