"""Sentence spans: exact offsets on the five seeds and on invented hard cases."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from newsbrowse.store.ingest.clean import CleaningRules
from newsbrowse.store.ingest.sentences import (
    _TOKEN_BEFORE,
    Abbreviations,
    _token_before,
    default_abbreviations,
    paragraph_spans,
    split_sentences,
)

GOLD = Path(__file__).parent / "gold" / "clean"
SEEDS = sorted(p.name for p in GOLD.iterdir())


def sentences(body: str) -> list[str]:
    return [body[s:e] for s, e in split_sentences(body)]


def assert_exact_spans(body: str) -> list[tuple[int, int]]:
    """Ordered, non-overlapping, stripped, inside one paragraph, and covering every word."""
    spans = split_sentences(body)
    paragraphs = paragraph_spans(body)
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(body)
        text = body[start:end]
        assert text == text.strip()
        assert any(p_start <= start and end <= p_end for p_start, p_end in paragraphs)
        assert body[previous_end:start].strip() == "", "text between sentences was lost"
        previous_end = end
    assert body[previous_end:].strip() == ""
    return spans


# Measured on the gold bodies, and each checked by reading the sentences.
SEED_SENTENCE_COUNTS = {
    "000_aeac762eae438f0f.txt": 14,
    "001_b4d9f912b9a63af9.txt": 19,
    "002_f93713496c2428ed.txt": 17,
    "003_310e6fbaee54c37e.txt": 11,
    "004_8f447ddefd7b514c.txt": 14,
}


@pytest.mark.parametrize("name", SEEDS)
def test_seed_spans_are_exact(name: str) -> None:
    body = (GOLD / name).read_text(encoding="utf-8")
    spans = assert_exact_spans(body)
    assert len(spans) == SEED_SENTENCE_COUNTS[name]


def seed_sentences(name: str) -> list[str]:
    return sentences((GOLD / name).read_text(encoding="utf-8"))


def test_seed_quote_with_attribution_is_one_sentence() -> None:
    assert (
        "\u201cWe are ready to negotiate with the United States in a third country right away, "
        "even tomorrow \u2013 literally tomorrow, Saturday,\u201d he said."
    ) in seed_sentences("001_b4d9f912b9a63af9.txt")


def test_seed_speaker_after_spokesman_is_its_own_sentence() -> None:
    found = seed_sentences("001_b4d9f912b9a63af9.txt")
    i = found.index("Jen Psaki.")
    assert found[i - 1].endswith("said a White House spokesman.")


def test_seed_mismatched_marks_end_sentences_where_the_period_is() -> None:
    found = seed_sentences("002_f93713496c2428ed.txt")
    assert (
        "In short, Russia\u2019s legitimate security concerns have been ignored and continue "
        "to be ignored, \u201che said."
    ) in found
    assert "For us, this is more than serious, \u201che said." in found
    assert (
        "The calm and stable situation must be guaranteed for all (\u2026), without exception, "
        "\u201d Putin added."
    ) in found


def test_seed_sentence_ending_inside_a_closing_quote() -> None:
    found = seed_sentences("002_f93713496c2428ed.txt")
    assert found[2].endswith("\u201chave not kept their verbal commitments.\u201d")


def test_seed_lowercase_after_a_stray_period_does_not_split() -> None:
    found = seed_sentences("000_aeac762eae438f0f.txt")
    assert any("reciprocal agreements. about missiles" in s for s in found)


def test_seed_standfirst_without_period_is_a_sentence() -> None:
    assert seed_sentences("004_8f447ddefd7b514c.txt")[0] == (
        "Russia needs a substantial response to its proposal on security guarantees, "
        "President Putin has said"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The U.S. and NATO replied in writing. Moscow was not satisfied.",
            ["The U.S. and NATO replied in writing.", "Moscow was not satisfied."],
        ),
        (
            "Sanctions came from the U.S. The Kremlin shrugged.",
            ["Sanctions came from the U.S.", "The Kremlin shrugged."],
        ),
        (
            "The U.S. President spoke to Mr. Putin and Dr. Smith on Feb. 21 at St. Petersburg.",
            ["The U.S. President spoke to Mr. Putin and Dr. Smith on Feb. 21 at St. Petersburg."],
        ),
        (
            "Talks began in Jan. 2022. They failed.",
            ["Talks began in Jan. 2022.", "They failed."],
        ),
        (
            "He cited Resolution No. 5 of the council. J. R. Smith and J.R.R. Brown agreed.",
            ["He cited Resolution No. 5 of the council.", "J. R. Smith and J.R.R. Brown agreed."],
        ),
        (
            "Troops rose by 3.5 per cent, or 2.4 million. Nobody denied it.",
            ["Troops rose by 3.5 per cent, or 2.4 million.", "Nobody denied it."],
        ),
        (
            "He paused... then went on. He stopped\u2026 Then he left.",
            ["He paused... then went on.", "He stopped\u2026", "Then he left."],
        ),
        (
            "Moscow said the \u201cwork is done.\u201d Washington disagreed.",
            ["Moscow said the \u201cwork is done.\u201d", "Washington disagreed."],
        ),
        (
            "\u201cWe are ready,\u201d he said. \u201cWe wait.\u201d",
            ["\u201cWe are ready,\u201d he said.", "\u201cWe wait.\u201d"],
        ),
        (
            "\u201cAre you ready?\u201d he asked. \u201cYes!\u201d she said.",
            ["\u201cAre you ready?\u201d he asked.", "\u201cYes!\u201d she said."],
        ),
        (
            "Interests were ignored, \u201che said. Then Lavrov spoke.",
            ["Interests were ignored, \u201che said.", "Then Lavrov spoke."],
        ),
        (
            "It said 'no.' Then it said \"yes.\" (Both were recorded.) Later, nothing.",
            ["It said 'no.'", 'Then it said "yes."', "(Both were recorded.)", "Later, nothing."],
        ),
        (
            "Why now?! Nobody knows. Really?",
            ["Why now?!", "Nobody knows.", "Really?"],
        ),
        (
            "The talks, e.g. in Geneva, and the proposals, i.e. the drafts, matter.",
            ["The talks, e.g. in Geneva, and the proposals, i.e. the drafts, matter."],
        ),
        (
            "Sen. Warner and Gen. Milley spoke at 9 a.m. in Washington. It rained.",
            ["Sen. Warner and Gen. Milley spoke at 9 a.m. in Washington.", "It rained."],
        ),
        (
            "The 2004 enlargement. Bulgaria and Romania joined.",
            ["The 2004 enlargement.", "Bulgaria and Romania joined."],
        ),
        ("\u00c9lys\u00e9e said so. \u00c9douard agreed.", None),
    ],
)
def test_hard_cases(text: str, expected: list[str] | None) -> None:
    assert_exact_spans(text)
    if expected is None:
        expected = ["\u00c9lys\u00e9e said so.", "\u00c9douard agreed."]
    assert sentences(text) == expected


def test_never_across_a_paragraph_break() -> None:
    body = "Putin spoke of the U.S.\n\nThe Kremlin said\n  \nNATO must answer"
    assert_exact_spans(body)
    assert sentences(body) == ["Putin spoke of the U.S.", "The Kremlin said", "NATO must answer"]


def test_offsets_count_surrounding_whitespace() -> None:
    body = "  \n\n  Putin spoke.   Lavrov agreed.  \n\n"
    assert split_sentences(body) == [(6, 18), (21, 35)]


def test_empty_and_blank_bodies() -> None:
    assert split_sentences("") == []
    assert split_sentences(" \n\n\t ") == []


def test_abbreviations_can_be_given() -> None:
    """A user's cleaning.json can teach the splitter a new abbreviation."""
    text = "They met Amb. Sullivan. He left."
    assert sentences(text) == ["They met Amb. Sullivan.", "He left."]
    custom = Abbreviations(titles=frozenset({"sullivan"}))
    assert [text[s:e] for s, e in split_sentences(text, custom)] == [
        "They met Amb.",
        "Sullivan. He left.",
    ]


def test_very_long_paragraph_is_fast() -> None:
    body = "Mr. Putin said the U.S. must answer by Jan. 5, and it did not. " * 20_000
    started = time.perf_counter()
    spans = split_sentences(body)
    assert time.perf_counter() - started < 3.0
    assert len(spans) == 20_000


_PIECES = [*"ab AB1.?!,\u201c\u201d\"'\n\u2026\u00a0", "U.S.", "Mr.", "J.", "\n\n", " \n \n"]
_TEXT = st.lists(st.sampled_from(_PIECES), max_size=80).map("".join)


@given(_TEXT)
def test_any_text_gets_exact_spans(body: str) -> None:
    assert_exact_spans(body)


def test_cleaning_rules_carry_the_abbreviations() -> None:
    """The pipeline splits with the rules' abbreviations; a file without them keeps the defaults."""
    assert CleaningRules.from_dict({}).abbreviations == default_abbreviations()
    assert "mr" in default_abbreviations().titles
    own = CleaningRules.from_dict({"abbreviations": {"titles": ["amb"]}}).abbreviations
    assert own.titles == frozenset({"amb"})
    assert split_sentences("Mr. Putin spoke.", own) == [(0, 3), (4, 16)]


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="ab._ é1-\n", max_size=14), st.data())
def test_token_before_reads_what_the_regex_matches(text: str, data) -> None:
    """The backward scan gives what ``_TOKEN_BEFORE.search`` gave over the same window."""
    lo = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(lo, len(text)))
    match = _TOKEN_BEFORE.search(text, lo, end)
    assert _token_before(text, lo, end) == (match.group() if match else None)
