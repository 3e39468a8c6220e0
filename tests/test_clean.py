"""The cleaner on the five real seeds (against hand-made gold) and on invented hard cases."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from newsbrowse.store.errors import BadInput
from newsbrowse.store.ingest.clean import (
    _INVISIBLE,
    _SPACES,
    DATELINE,
    HEADLINE,
    CleaningRules,
    clean_text,
    tidy,
)
from newsbrowse.store.rules import fixture_path, load_rules, read_json_rules

GOLD = Path(__file__).parent / "gold" / "clean"
META = {
    Path(a["file"]).name: a
    for a in json.loads(fixture_path("articles.json").read_text(encoding="utf-8"))["articles"]
}


@pytest.fixture(scope="module")
def rules() -> CleaningRules:
    return CleaningRules.from_dict(read_json_rules("cleaning.json"))


def seed(name: str) -> str:
    return fixture_path(f"articles/{name}").read_text(encoding="utf-8")


def clean_seed(name: str, rules: CleaningRules):
    return clean_text(seed(name), rules, title_hint=META[name]["title"])


# Every line the cleaner drops from each seed, with the reason, in order: nothing else.
EXPECTED_REMOVED = {
    "000_aeac762eae438f0f.txt": [
        (HEADLINE, "Putin Insists on Demanding Security Guarantees to NATO"),
        ("byline-without-name", "By -"),
        (HEADLINE, "Putin Insists on Demanding Security Guarantees to NATO"),
        (
            "subscription-prompt",
            "Subscribe\u00a0Daily Post\u00a0or Follow\u00a0Google News\u00a0to update\u00a0"
            "information quickly,\u00a0Thank you..!!",
        ),
        ("comment-prompt", "Post a Comment"),
        ("comment-prompt", "Post a Comment (0)"),
        ("widget-settings", "#buttons=(Ok, Go it!) #days=(20)"),
        ("cookie-banner", "Our website uses cookies to enhance your experience. Learn more"),
        ("cookie-button", "Ok, Go it!"),
    ],
    "001_b4d9f912b9a63af9.txt": [
        (
            HEADLINE,
            "Russia Russia insists NATO will not admit new members and stay out of Eastern "
            "Europe \u2013 proposes talks with US \u201ceven tomorrow\u201d",
        ),
        ("see-also-teaser", "See also\u00a0 Rice: Messi is the best in history"),
        (
            "see-also-teaser",
            "See also\u00a0 The Heritage Club presents a handicrafts show in front of the "
            "Sharjah Days visitors.",
        ),
        (
            "hashtag-row",
            "#Russia #Russia #insists #NATO #admit #members #stay #Eastern #Europe #proposes "
            "#talks #tomorrow",
        ),
        ("post-navigation", "Related Posts"),
        ("post-navigation", "Next Post"),
        ("comment-prompt", "Leave a Reply"),
        ("comment-form", "Your email address will not be published."),
    ],
    "002_f93713496c2428ed.txt": [
        (
            "see-also-teaser",
            "Read also: A SECRET NOTE would place the head of DALI from the Ministry of "
            "Interior in an alleged embezzlement of a hotel in the west of the country \u2026",
        ),
        ("post-navigation", "Source Link"),
        ("newsletter-signup", "Brasov-Romania News To Your Inbox!"),
        ("newsletter-privacy", "We don\u2019t spam! Read our privacy policy for more info."),
    ],
    "003_310e6fbaee54c37e.txt": [
        ("comment-prompt", "No comments:"),
        ("comment-prompt", "Post a Comment"),
    ],
    "004_8f447ddefd7b514c.txt": [
        ("share-icons", seed("004_8f447ddefd7b514c.txt").split("\n", 1)[0].strip()),
        (DATELINE, "21 Feb, 2022 21:16"),
        (HEADLINE, "Moscow demands answers from NATO"),
        (HEADLINE, "Moscow demands answers from NATO"),
    ],
}

EXPECTED_TITLE = {
    "000_aeac762eae438f0f.txt": "Putin Insists on Demanding Security Guarantees to NATO",
    "001_b4d9f912b9a63af9.txt": EXPECTED_REMOVED["001_b4d9f912b9a63af9.txt"][0][1],
    "002_f93713496c2428ed.txt": None,
    "003_310e6fbaee54c37e.txt": None,
    "004_8f447ddefd7b514c.txt": "Moscow demands answers from NATO",
}

SEEDS = sorted(EXPECTED_REMOVED)


def test_every_seed_has_gold() -> None:
    assert sorted(p.name for p in GOLD.iterdir()) == SEEDS == sorted(META)


@pytest.mark.parametrize("name", SEEDS)
def test_seed_body_is_the_gold_article(name: str, rules: CleaningRules) -> None:
    gold = (GOLD / name).read_text(encoding="utf-8")
    assert clean_seed(name, rules).body == gold


@pytest.mark.parametrize("name", SEEDS)
def test_seed_removes_exactly_the_junk(name: str, rules: CleaningRules) -> None:
    cleaned = clean_seed(name, rules)
    assert list(zip(cleaned.reasons, cleaned.removed, strict=True)) == EXPECTED_REMOVED[name]


@pytest.mark.parametrize("name", SEEDS)
def test_seed_title_and_date(name: str, rules: CleaningRules) -> None:
    cleaned = clean_seed(name, rules)
    assert cleaned.title == EXPECTED_TITLE[name]
    assert cleaned.date == ("2022-02-21" if name.startswith("004") else None)


@pytest.mark.parametrize("name", SEEDS)
def test_seed_every_line_is_kept_verbatim_or_listed_as_removed(
    name: str, rules: CleaningRules
) -> None:
    """Nothing disappears silently, and no kept word or quotation mark is altered."""
    cleaned = clean_seed(name, rules)
    raw_lines = [line.strip() for line in seed(name).splitlines() if line.strip()]
    kept = cleaned.body.split("\n\n")
    assert sorted(kept + cleaned.removed) == sorted(raw_lines)


def test_seed_standfirst_is_kept(rules: CleaningRules) -> None:
    body = clean_seed("004_8f447ddefd7b514c.txt", rules).body
    assert body.startswith(
        "Russia needs a substantial response to its proposal on security guarantees, "
        "President Putin has said\n\n"
    )


def test_seed_mismatched_quote_marks_survive(rules: CleaningRules) -> None:
    body = clean_seed("002_f93713496c2428ed.txt", rules).body
    assert "continue to be ignored, \u201che said. 2004" in body
    assert "without exception, \u201d Putin added." in body


def test_seeds_clean_the_same_without_title_hint(rules: CleaningRules) -> None:
    """The user's own files come without metadata: the headline is still found by its shape."""
    for name in ("000_aeac762eae438f0f.txt", "004_8f447ddefd7b514c.txt"):
        cleaned = clean_text(seed(name), rules)
        assert cleaned.body == (GOLD / name).read_text(encoding="utf-8")
        assert cleaned.title == EXPECTED_TITLE[name]


# --- false positives: article prose that mentions the words junk rules look for ---

PROSE_THAT_STAYS = [
    "Readers who subscribe to the agency's wire were told the talks would resume.",
    "Subscribers to the Kremlin's newsletter received the statement first, Peskov said.",
    "The ministry said its website uses cookies only to count visitors.",
    "Our website uses cookies, the ministry admitted on Tuesday.",
    "We use cookies to track troop movements, the hackers boasted.",
    "Our website uses cookies, the Kremlin's press office conceded in a long statement "
    "about data protection that ran to several pages and named no fewer than twelve "
    "foreign services it said had tried to track Russian officials online, adding that "
    "it would publish a list of them next week.",
    "Psaki declined to comment on the draft.",
    "No comment was offered by NATO.",
    "Read the draft treaty and you will see what Moscow wants, Lavrov told reporters.",
    "Reading the text, analysts found eight separate demands.",
    "See also the report by the OSCE, which counted 90,000 troops near the border.",
    "Related talks were held in Vienna.",
    "By Monday, the White House had answered.",
    "Next, the ministry published its second draft.",
    "Source: a senior diplomat who asked not to be named.",
    "The museum's icon collection includes an icon of St. George, an icon of the Virgin "
    "and an icon from Novgorod.",
    "#MeToo was not part of the talks, but #Ukraine trended for a week.",
    "Moscow demands answers from NATO.",
    "We don't spam our partners with proposals, Ryabkov said, we make one and wait.",
    "Ok, got it, said the negotiator, and left the room.",
]


@pytest.mark.parametrize("prose", PROSE_THAT_STAYS)
def test_prose_mentioning_junk_words_is_kept(prose: str, rules: CleaningRules) -> None:
    raw = f"Russia published two drafts on Friday.\n\n{prose}\n\nThe talks begin in January."
    cleaned = clean_text(raw, rules)
    assert cleaned.body == raw
    assert cleaned.removed == []


def test_see_also_with_colon_is_a_teaser_but_without_is_prose(rules: CleaningRules) -> None:
    """Judgment: "See also:" (or a no-break space) marks a teaser; "See also the ..." is prose."""
    raw = (
        "Russia published two drafts.\n\nSee also: Ten recipes for the holidays\n\n"
        "See also the report by the OSCE, which counted the troops."
    )
    cleaned = clean_text(raw, rules)
    assert cleaned.removed == ["See also: Ten recipes for the holidays"]
    assert cleaned.body.endswith("See also the report by the OSCE, which counted the troops.")


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("We use cookies to improve your experience. Accept", "cookie-banner"),
        ("By continuing to browse this site you agree to our cookie policy.", "cookie-banner"),
        ("See also  Ten recipes for the holidays", "see-also-teaser"),
        ("Read more: NATO summit in Madrid", "see-also-teaser"),
        ("Sign up for our newsletter", "subscription-prompt"),
        ("3 Comments", "comment-prompt"),
        ("Previous Post", "post-navigation"),
        ("By \u2014", "byline-without-name"),
        ("Accept all cookies", "cookie-button"),
    ],
)
def test_junk_seen_elsewhere_is_dropped(line: str, reason: str, rules: CleaningRules) -> None:
    """The rules generalise beyond the seeds' own wording."""
    cleaned = clean_text(f"Russia published two drafts.\n\n{line}", rules)
    assert (cleaned.body, cleaned.removed, cleaned.reasons) == (
        "Russia published two drafts.",
        [line],
        [reason],
    )


def test_long_prose_line_is_never_a_cookie_banner(rules: CleaningRules) -> None:
    line = "We use cookies " + "and the ministry said so " * 10 + "in its statement."
    assert clean_text(f"Russia spoke.\n\n{line}", rules).removed == []


def test_a_later_line_equal_to_the_headline_is_kept(rules: CleaningRules) -> None:
    raw = (
        "Moscow waits for answers\n\nRussia sent its drafts on Friday.\n\n"
        "Moscow waits for answers\n\nThe Kremlin said so on Monday."
    )
    cleaned = clean_text(raw, rules)
    assert cleaned.title == "Moscow waits for answers"
    assert cleaned.removed == ["Moscow waits for answers"]
    assert cleaned.body.count("Moscow waits for answers") == 1


def test_prose_resembling_the_title_hint_is_kept(rules: CleaningRules) -> None:
    raw = (
        "Russia released its draft security guarantees from NATO on Friday, officials said.\n\n"
        "Ryabkov spoke."
    )
    cleaned = clean_text(raw, rules, "Russia released its draft security guarantees from NATO")
    assert (cleaned.body, cleaned.removed, cleaned.title) == (raw, [], None)


def test_hint_that_matches_nothing_leaves_the_text_alone(rules: CleaningRules) -> None:
    name = "002_f93713496c2428ed.txt"
    cleaned = clean_text(seed(name), rules, "Moscow demands answers from NATO")
    assert cleaned.body == (GOLD / name).read_text(encoding="utf-8")


# --- edge cases ---


def test_empty_text(rules: CleaningRules) -> None:
    assert clean_text("", rules) == clean_text(" \n\n \t\n", rules)
    cleaned = clean_text("", rules)
    assert (cleaned.body, cleaned.removed, cleaned.title, cleaned.date) == ("", [], None, None)


def test_text_that_is_only_junk(rules: CleaningRules) -> None:
    raw = "Post a Comment\n\n#Russia #NATO\n\nLeave a Reply\nRelated Posts"
    cleaned = clean_text(raw, rules)
    assert cleaned.body == ""
    assert cleaned.removed == ["Post a Comment", "#Russia #NATO", "Leave a Reply", "Related Posts"]


def test_a_single_short_line_is_the_article_not_a_headline(rules: CleaningRules) -> None:
    cleaned = clean_text("Russia awaits a reply", rules)
    assert (cleaned.body, cleaned.title, cleaned.removed) == ("Russia awaits a reply", None, [])


def test_windows_line_endings_clean_like_unix(rules: CleaningRules) -> None:
    name = "000_aeac762eae438f0f.txt"
    unix = clean_seed(name, rules)
    windows = clean_text(seed(name).replace("\n", "\r\n"), rules, META[name]["title"])
    assert windows == unix
    assert "\r" not in windows.body


def test_single_newlines_separate_paragraphs(rules: CleaningRules) -> None:
    raw = "Putin spoke on Tuesday.\nLavrov agreed.\nNo comments:\nPost a Comment"
    cleaned = clean_text(raw, rules)
    assert cleaned.body == "Putin spoke on Tuesday.\n\nLavrov agreed."


def test_hard_wrapped_lines_are_rejoined(rules: CleaningRules) -> None:
    raw = "Putin said that Russia needs\nlegal guarantees from NATO.\nLavrov agreed."
    assert clean_text(raw, rules).body == (
        "Putin said that Russia needs legal guarantees from NATO.\n\nLavrov agreed."
    )


def test_very_long_single_line_is_kept_quickly(rules: CleaningRules) -> None:
    line = "Russia repeated its demand for legal guarantees, the ministry said. " * 20_000
    started = time.perf_counter()
    cleaned = clean_text(line, rules)
    assert time.perf_counter() - started < 2.0
    assert cleaned.body == line.strip()
    assert cleaned.removed == []


def test_whitespace_is_tidied_but_words_and_marks_are_not(rules: CleaningRules) -> None:
    raw = (
        "  Putin\u00a0said\t\t\u201cwe are  ready,\u201c  he said.\u200b  \n\n"
        "\u2018open door\u2019 policy."
    )
    cleaned = clean_text(raw, rules)
    assert (
        cleaned.body
        == "Putin said \u201cwe are ready,\u201c he said.\n\n\u2018open door\u2019 policy."
    )


def test_control_characters_are_removed(rules: CleaningRules) -> None:
    cleaned = clean_text("Putin\x1b[31m spoke\u202e today.", rules)
    assert cleaned.body == "Putin[31m spoke today."


# --- datelines ---


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("21 Feb, 2022 21:16", "2022-02-21"),
        ("February 21, 2022", "2022-02-21"),
        ("Dec. 17, 2021 10:04 GMT", "2021-12-17"),
        ("Monday, 21 February 2022", "2022-02-21"),
        ("Published: 2021-12-01", "2021-12-01"),
        ("Updated 1st December 2021, 09:30", "2021-12-01"),
    ],
)
def test_dateline_is_dropped_and_parsed(line: str, iso: str, rules: CleaningRules) -> None:
    cleaned = clean_text(f"{line}\n\nRussia published two drafts.", rules)
    assert (cleaned.date, cleaned.removed, cleaned.reasons) == (iso, [line], [DATELINE])
    assert cleaned.body == "Russia published two drafts."


@pytest.mark.parametrize(
    "line",
    [
        "31 Feb, 2022 21:16",  # no such day
        "21 Frobruary 2022",  # no such month
        "On 21 February 2022 the Kremlin answered.",  # a date in prose is not a dateline
    ],
)
def test_not_a_dateline(line: str, rules: CleaningRules) -> None:
    cleaned = clean_text(f"Russia published two drafts.\n\n{line}", rules)
    assert cleaned.date is None
    assert line in cleaned.body


# --- the rules file ---


def test_user_can_add_a_junk_rule(rules: CleaningRules) -> None:
    data = read_json_rules("cleaning.json")
    data["junk"].append({"name": "promo", "pattern": "^download our app$"})
    extended = CleaningRules.from_dict(data)
    cleaned = clean_text("Russia spoke.\n\nDownload our app", extended)
    assert (cleaned.body, cleaned.reasons) == ("Russia spoke.", ["promo"])


def test_user_rules_in_home_replace_the_shipped_ones(tmp_path: Path) -> None:
    (tmp_path / "cleaning.json").write_text(
        json.dumps({"junk": [{"name": "ad", "pattern": "^advert"}]}), encoding="utf-8"
    )
    cleaning = load_rules(tmp_path).cleaning
    cleaned = clean_text("Russia spoke.\n\nAdvertisement\n\nPost a Comment", cleaning)
    assert cleaned.removed == ["Advertisement"]


@pytest.mark.parametrize(
    "data",
    [
        {"junk": [{"name": "bad", "pattern": "(unclosed"}]},
        {"junk": [{"name": "bad", "pattern": 5}]},
        {"datelines": [{"name": "no-groups", "pattern": "^\\d{4}$"}]},
    ],
)
def test_broken_rules_give_a_one_line_error(data: dict) -> None:
    with pytest.raises(BadInput) as info:
        CleaningRules.from_dict(data)
    assert "\n" not in str(info.value)
    assert "cleaning.json" in str(info.value)


def test_malformed_rule_file_in_home_is_a_user_error(tmp_path: Path) -> None:
    (tmp_path / "cleaning.json").write_text('{"junk": [{"pattern": "x"}]}', encoding="utf-8")
    with pytest.raises(BadInput):
        load_rules(tmp_path)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=" \t\u00a0\u200b\u3000\ufeff\x0b\x1cab.", max_size=12))
def test_tidy_fast_path_equals_both_passes(line: str) -> None:
    """Lines with nothing to collapse skip the two substitutions and lose nothing else."""
    assert tidy(line) == _SPACES.sub(" ", _INVISIBLE.sub("", line)).strip()
