"""The pipeline's shortcuts give what the plain patterns give, on rules a user extends too.

Links try a term only where the words its pattern needs occur (``literals.py``); the
phrase finder tries names, roles and verbs only at their leading words; junk rules skip
lines without their words. Each shortcut is checked against the slow way it replaces.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from newsbrowse.store import text as text_module
from newsbrowse.store.fixtures import fixture_articles
from newsbrowse.store.ingest import frame as frame_module
from newsbrowse.store.ingest import links as links_module
from newsbrowse.store.ingest.clean import JunkRule
from newsbrowse.store.ingest.literals import LiteralIndex, lowered, required_literals
from newsbrowse.store.ingest.phrases import PhraseFinder, phrase_pattern
from newsbrowse.store.ingest.pipeline import analyse
from newsbrowse.store.ingest.sentences import split_sentences
from newsbrowse.store.rules import load_rules, read_json_rules
from newsbrowse.store.text import strip_controls


@pytest.fixture(scope="module")
def rules():
    return load_rules()


def _slow_links(body: str, rules, monkeypatch: pytest.MonkeyPatch) -> list:
    """The links with the word shortcut off: every term of every demand in every clause."""
    with monkeypatch.context() as patch:
        patch.setattr(links_module, "lowered", lambda text: None)
        return links_module.find_links(
            body, split_sentences(body), [], rules.codebook, rules.actors
        )


def _fast_links(body: str, rules) -> list:
    return links_module.find_links(body, split_sentences(body), [], rules.codebook, rules.actors)


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"\bhot\s?line\b", {"line"}),  # the longer of the two words
        (r"\b1997\b", {"1997"}),
        (r"\b(?:expansion|enlargement)\s+of\s+NATO\b", {"expansion", "enlargement"}),
        (r"\blegal(?:ly)?[- ]binding\b", {"binding"}),
        (r"(?=hotline)\w+", None),  # inside a lookahead nothing is required
        (r"\w+ly", {"ly"}),
        (r"(?:x|\w)+", None),
        (r"a*b?", None),
        (r"Kyiv|Kiev", {"kyiv", "kiev"}),
        (r"Київ", None),  # non-ASCII words are never scanned for in lower case
    ],
)
def test_required_literals_are_needed_by_every_match(pattern: str, expected) -> None:
    assert required_literals(re.compile(pattern, re.IGNORECASE)) == expected


@pytest.mark.parametrize("char", ["\u017f", "\u212a", "\u0131", "\u0130"])
def test_text_whose_case_rules_differ_from_lower_is_not_scanned(char: str) -> None:
    # re matches these to an ASCII letter (ſ~s, K~k, ı~i, İ~i) where lower() does not.
    assert re.search("s|k|i", char, re.IGNORECASE)
    assert lowered(f"A line with {char} in it") is None
    assert lowered("“Quotes”, dashes — and é keep the shortcut") is not None


def test_kelvin_sign_spelling_still_links_through_the_slow_path(rules, monkeypatch) -> None:
    body = "Moscow wants an emergency \u212aremlin-NATO hot line, Peskov said."
    fast = _fast_links(body, rules)
    assert {f.demand for f in fast} == {"hotline"}
    assert fast == _slow_links(body, rules, monkeypatch)


@pytest.mark.parametrize(
    "body",
    [
        # A term as the last word of a sentence, and as the first of the next one.
        "Russia asked for a hotline. Hotline talks were held in Geneva.",
        # A term cut by a clause break ("but"): only its clause decides the stance.
        "Washington rejected the demand, but it is open to a hotline with Moscow.",
        # Overlapping words of two demands: "eastern" holds "east", "expansion" both.
        "Lavrov said NATO's eastward expansion into eastern Europe must stop.",
        # A term's required word outside the sentence that matches the rest of it.
        "Hot. Line managers met.",
        # Terms of two demands in one clause.
        "Moscow demands legally binding guarantees and a hotline.",
    ],
)
def test_fast_links_equal_the_slow_links(rules, monkeypatch, body: str) -> None:
    assert _fast_links(body, rules) == _slow_links(body, rules, monkeypatch)


def test_fast_links_equal_the_slow_links_on_the_seeds(rules, monkeypatch) -> None:
    for seed in fixture_articles():
        body = analyse(seed.path.read_text(encoding="utf-8"), rules, seed.meta).body
        assert _fast_links(body, rules) == _slow_links(body, rules, monkeypatch), seed.path


_WORDS = st.sampled_from(
    [
        "Russia",
        "NATO",
        "Putin",
        "Lavrov",
        "Biden",
        "Kremlin",
        "hotline",
        "hot",
        "line",
        "1997",
        "legally",
        "binding",
        "guarantees",
        "east",
        "eastward",
        "expansion",
        "enlargement",
        "Ukraine",
        "Georgia",
        "join",
        "members",
        "said",
        "told",
        "the",
        "a",
        "of",
        "and",
        "but",
        ";",
        ",",
        ".",
        "“",
        "”",
        "'",
        "’",
        "K",
        "ſ",
        "Ukraine’s",
        "exercises",
        "drills",
        "talks",
        "venue",
        "written",
        "answer",
        "missiles",
        "near",
        "borders",
        "Stoltenberg",
        "Blinken",
        "Sherman",
        "the-Kremlin",
        "foreign",
        "minister",
        "spokesman",
        "president",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_WORDS, min_size=1, max_size=40))
def test_fast_links_equal_the_slow_links_on_word_salad(rules, words: list[str]) -> None:
    body = " ".join(words)
    with pytest.MonkeyPatch.context() as monkeypatch:
        assert _fast_links(body, rules) == _slow_links(body, rules, monkeypatch)


@settings(max_examples=150, deadline=None)
@given(st.lists(_WORDS, min_size=1, max_size=40))
def test_phrase_finders_equal_their_patterns(rules, words: list[str]) -> None:
    text = " ".join(words)
    actors = rules.actors
    finders = [actors._names, actors._roles, actors.speech.verb_finder]
    for finder in finders:
        fast = [(m.start(), m.end()) for m in finder.finditer(text)]
        assert fast == [(m.start(), m.end()) for m in finder.pattern.finditer(text)]


def test_phrase_finder_groups_keep_the_first_alternative_that_matches() -> None:
    phrases = ["the foreign minister", "the foreign", "foreign minister", "The Hague"]
    pattern = re.compile(phrase_pattern(phrases), re.IGNORECASE)
    finder = PhraseFinder(pattern, phrases, ignore_case=True, build=phrase_pattern)
    text = "The Foreign Minister went to the Hague; the foreign ministers; THE FOREIGN"
    assert [m.group() for m in finder.finditer(text)] == [m.group() for m in pattern.finditer(text)]


def test_junk_rule_skips_only_lines_it_cannot_match() -> None:
    rule = JunkRule.from_dict({"name": "inbox", "pattern": r"\bto your inbox\b"})
    assert rule.literals == {"to your inbox"}
    for line in ["Get the news delivered TO YOUR INBOX", "Putin said no", "inbox to your"]:
        assert rule.matches(line, low=lowered(line)) == bool(rule.pattern.search(line))
    # A rule that counts its matches gives the same count (zero) without running.
    counted = JunkRule.from_dict({"name": "n", "pattern": "x", "min_matches": 0, "min_share": 0.5})
    for line in ["no letter here", "x x y", "xx"]:
        assert counted.matches(line, low=lowered(line)) == counted.matches(line)


def _home_with(tmp_path: Path, name: str, change) -> Path:
    data = read_json_rules(name)
    change(data)
    (tmp_path / name).write_text(json.dumps(data), encoding="utf-8")
    return tmp_path


def test_term_added_to_a_home_codebook_is_honoured(tmp_path: Path) -> None:
    def add(data: dict) -> None:
        hotline = next(d for d in data["demands"] if d["slug"] == "hotline")
        hotline["terms"].append(r"\bred\s+telephone\b")
        hotline["terms"].append(r"(?<!no )\bdeconfliction\b")  # lookbehind: always tried

    rules = load_rules(_home_with(tmp_path, "codebook.json", add))
    body = "Moscow wants a red\ntelephone to Brussels. It also wants deconfliction."
    article = analyse(body, rules)
    assert [(link.demand, link.evidence) for link in article.links] == [
        ("hotline", "Moscow wants a red telephone to Brussels."),
        ("hotline", "It also wants deconfliction."),
    ]


def test_actor_and_verb_added_to_home_files_are_honoured(tmp_path: Path) -> None:
    def add_actor(data: dict) -> None:
        data["actors"].append(
            {
                "name": "Example Envoy",
                "side": "us_nato",
                "aliases": ["Envoy Example", "Ex-Envoy"],
                "roles": ["the special envoy"],
                "gender": "f",
            }
        )

    def add_verb(data: dict) -> None:
        data["speech_verbs"]["words"].append("quipped")

    home = _home_with(tmp_path, "actors.json", add_actor)
    home = _home_with(home, "speech.json", add_verb)
    rules = load_rules(home)
    body = (
        "“We will not close the door to new members,” Envoy Example quipped.\n\n"
        "“A hotline is worth discussing,” the special envoy said."
    )
    article = analyse(body, rules)
    assert [(q.speaker, q.cue) for q in article.quotes] == [
        ("Example Envoy", "Envoy Example quipped"),
        ("Example Envoy", "the special envoy said"),
    ]
    assert {(link.demand, link.side) for link in article.links} == {
        ("no-enlargement", "us_nato"),
        ("hotline", "us_nato"),
    }


def _slow_junk_reason(cleaning, line: str) -> str | None:
    """The first rule, in the file's order, whose own pattern and guards take the line."""
    words = len(line.split())
    return next((r.name for r in cleaning.junk if r.matches(line, words)), None)


def test_joined_junk_rules_give_the_first_rule_in_order(tmp_path: Path) -> None:
    def add(data: dict) -> None:
        # Before the shipped rules: an anchored rule a user adds, one that only counts,
        # and an unanchored one; the shipped "comment-prompt" also matches "comments".
        data["junk"][:0] = [
            {"name": "mine-anchored", "pattern": r"^comments?\s+closed$"},
            {"name": "mine-unanchored", "pattern": r"\bpaywall\b", "max_words": 6},
        ]
        data["junk"].append({"name": "mine-last", "pattern": r"^zzz\b"})

    cleaning = load_rules(_home_with(tmp_path, "cleaning.json", add)).cleaning
    screen, others = cleaning._screen
    assert screen is not None
    assert [r.name for r in others] == ["mine-unanchored", "share-icons", "newsletter-signup"]
    lines = [
        "Comments closed",  # both mine-anchored and comment-prompt-like: the first wins
        "Comments",
        "Hit the paywall now",
        "A long sentence that mentions a paywall in passing, as prose does.",
        "zzz sleep",
        "Sign up for our newsletter",
        "Get it delivered to your inbox every day",
        "Accept all cookies",
        "We use cookies to improve your experience on our site",
        "Putin said NATO must not expand.",
        "  ",
        "",
    ]
    for line in lines:
        assert cleaning.junk_reason(line) == _slow_junk_reason(cleaning, line), line
    assert cleaning.junk_reason("Comments closed") == "mine-anchored"
    assert cleaning.junk_reason("zzz sleep") == "mine-last"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(
    ["comments", "comment", "closed", "by", "|", "ok", "got", "it", "accept", "all",
     "cookies", "subscribe", "to", "your", "inbox", "newsletter", "read", "more", ":",
     "#tag", "icon", "Putin", "said", "related", "posts", "we", "don't", "spam", "!"]
), max_size=9))  # fmt: skip
def test_joined_junk_rules_equal_the_rules_one_by_one(rules, words: list[str]) -> None:
    for line in (" ".join(words), "".join(words), " ".join(words).upper()):
        assert rules.cleaning.junk_reason(line) == _slow_junk_reason(rules.cleaning, line)


def test_joined_stance_cues_keep_the_stance_order(tmp_path: Path) -> None:
    def add(data: dict) -> None:
        data["linking"]["stances"]["open"].append(r"\bhappy\s+to\s+chat\b")

    codebook = load_rules(_home_with(tmp_path, "codebook.json", add)).codebook
    assert all(len(cues) == 1 for _, cues in codebook.cues.stance_scans)  # joined
    for clause in [
        "Washington is happy to chat about a hotline",
        "Washington rejects a veto but is happy to chat",
        "nothing of the kind",
    ]:
        slow = next(
            (n for n, cues in codebook.cues.stances if any(c.search(clause) for c in cues)),
            "neutral",
        )
        assert links_module._stance(clause, codebook.cues) == slow, clause
    assert links_module._stance("We are happy to chat.", codebook.cues) == "open"


def _slow_strip_controls(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text_module._CONTROL.sub("", text_module._SURROGATE.sub("\ufffd", text))


def test_strip_controls_shortcut_equals_the_substitutions() -> None:
    # Every code point of the first planes, alone and amid text, tab and newline.
    for cp in [*range(0x3000), *range(0xD7F0, 0xE010), *range(0xFDD0, 0x10000), 0x10FFFF]:
        char = chr(cp)
        for text in (char, f"a{char}b\n", f"\t{char}", f"\u201c{char}\u201d"):
            assert strip_controls(text) == _slow_strip_controls(text), hex(cp)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_strip_controls_shortcut_equals_the_substitutions_on_any_text(text: str) -> None:
    assert strip_controls(text) == _slow_strip_controls(text)


def _slow_blanked(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _slow_word_before(body: str, end: int) -> str:
    """Walking back to the last space, looking no further back than the longest word."""
    start = end
    while start > max(0, end - 64) and not body[start - 1].isspace():
        start -= 1
    return body[start:end]


_SPACY = st.text(alphabet="ab. \n\t\u00a0\u2028\u201c\u2019", max_size=90)


@settings(max_examples=400, deadline=None)
@given(_SPACY, st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)), max_size=4))
def test_blanking_quotes_equals_blanking_each_span(text: str, pairs) -> None:
    spans = [(min(a, b, len(text)), min(max(a, b), len(text))) for a, b in pairs]
    assert frame_module.blanked(text, spans) == _slow_blanked(text, spans)


@settings(max_examples=400, deadline=None)
@given(_SPACY, st.integers(0, 90))
def test_word_before_equals_walking_back(text: str, end: int) -> None:
    end = min(end, len(text))
    assert frame_module.word_before(text, end) == _slow_word_before(text, end)


def _every_literal_in(index: LiteralIndex, low: str) -> set[str]:
    """Each literal searched for in the whole text: the way before the token shortcut."""
    return {literal for literal in index.literals if literal in low}


_LITERAL_PATTERNS = [
    r"\bexpan(?:sion|d)\b",
    r"\bshort-range\b",
    r"\bno\s+first\s+use\b",
    r"\b1997\b",
    r"nato",
    r"\bopen door",
    r"é?tat",
]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["expansion", "expand", "NATO's", "short-range", "short", "range", "1997,",
             "no", "first", "use", "open", "door", "état", "tat", "_nato_", "x1997x", " ",
             "\n", "-", ".", "Ünato", "open door"]
        ),
        max_size=40,
    )
)  # fmt: skip
def test_literals_present_equal_a_search_for_every_literal(words: list[str]) -> None:
    index = LiteralIndex((re.compile(p, re.IGNORECASE), n) for n, p in enumerate(_LITERAL_PATTERNS))
    low = " ".join(words).lower()
    assert index.present(low) == _every_literal_in(index, low)
    assert index.present(low) == _every_literal_in(index, low)  # remembered


_THE_WORDS = st.sampled_from(
    [
        "the",
        "The",
        "THE",
        "Russian",
        "russian",
        "president",
        "foreign",
        "minister",
        "Kremlin",
        "Kremlin's",
        "Kremlin\u2019s",
        "spokesman",
        "US",
        "secretary-general",
        "Secretary-General",
        "top",
        "diplomat",
        "alliance",
        "alliance's",
        "Russia's",
        "leader",
        "of",
        ",",
        ".",
        "said",
        "head",
        "ministry",
        "State",
        "Department",
        "White",
        "House",
        "the\u00a0Russian",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_THE_WORDS, min_size=1, max_size=30))
def test_a_leading_word_narrowed_by_the_next_finds_what_the_pattern_finds(rules, words) -> None:
    """ "the" leads a hundred roles: the finder tries only those of the word after it."""
    text = " ".join(words)
    for finder in (rules.actors._roles, rules.actors._names, rules.actors.head_finder):
        fast = [(m.start(), m.end()) for m in finder.finditer(text)]
        assert fast == [(m.start(), m.end()) for m in finder.pattern.finditer(text)]
