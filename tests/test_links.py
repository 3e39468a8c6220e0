"""The linking engine and the codebook it reads: sides, stances, clauses, bad codebooks."""

from __future__ import annotations

import json

import pytest
from newsbrowse.store.errors import BadInput, NewsbrowseError
from newsbrowse.store.ingest.codebook import Codebook
from newsbrowse.store.ingest.links import LinkFinding, find_links
from newsbrowse.store.ingest.quotes import QuoteFinding
from newsbrowse.store.ingest.sentences import split_sentences
from newsbrowse.store.rules import load_rules, read_json_rules


@pytest.fixture(scope="module")
def rules():
    return load_rules()


def _links(body: str, rules, quotes: list[QuoteFinding] | None = None) -> list[LinkFinding]:
    return find_links(body, split_sentences(body), quotes or [], rules.codebook, rules.actors)


def _summary(body: str, rules, quotes: list[QuoteFinding] | None = None) -> set[tuple]:
    return {(f.demand, f.side, f.stance) for f in _links(body, rules, quotes)}


def test_default_codebook_keeps_the_eight_demands_in_order(rules) -> None:
    assert rules.codebook.slugs == (
        "no-enlargement",
        "ukraine-georgia",
        "1997-lines",
        "strike-weapons",
        "legal-guarantees",
        "exercises",
        "hotline",
        "talks",
    )
    hotline = rules.codebook.demand("hotline")
    assert hotline is not None and hotline.title and hotline.description
    assert rules.codebook.demand("no-such-demand") is None
    assert all(d.terms for d in rules.codebook.demands)


def test_sentence_naming_two_demands_makes_two_links_over_the_sentence(rules) -> None:
    body = "Moscow wants a hotline to NATO and advance notice of military exercises."
    found = _links(body, rules)
    assert {f.demand for f in found} == {"hotline", "exercises"}
    assert all((f.start, f.end) == (0, len(body)) for f in found)
    assert all(f.side == "russia" and f.stance is None for f in found)


def test_background_sentence_restating_the_demands_is_russia(rules) -> None:
    body = "The drafts call for an end to NATO's eastward expansion."
    assert _summary(body, rules) == {("no-enlargement", "russia", None)}


def test_possessive_or_object_actor_is_not_the_subject(rules) -> None:
    body = "Russia's draft asks Washington for guarantees that NATO will not expand east."
    assert _summary(body, rules) == {("no-enlargement", "russia", None)}


def test_us_subject_makes_a_reply_with_stance(rules) -> None:
    assert _summary("Washington has flatly rejected any ban on new members.", rules) == {
        ("no-enlargement", "us_nato", "rejects")
    }
    assert _summary("NATO said it was willing to consider a hotline with Moscow.", rules) == {
        ("hotline", "us_nato", "open")
    }
    assert _summary("The US said it had received the proposal for a hotline.", rules) == {
        ("hotline", "us_nato", "neutral")
    }


def test_condition_wins_over_refusal_in_one_clause(rules) -> None:
    body = "The White House said it would not hold talks without its allies present."
    assert _summary(body, rules) == {("talks", "us_nato", "conditional")}


def test_each_clause_keeps_its_own_side_and_stance(rules) -> None:
    body = (
        "The State Department would never agree to keep Georgia out of NATO, "
        "but would consider limits on missile deployments."
    )
    assert _summary(body, rules) == {
        ("ukraine-georgia", "us_nato", "rejects"),
        ("strike-weapons", "us_nato", "open"),
    }
    body = "Russia demands a hotline, but Washington refused to discuss a ban on new members."
    assert _summary(body, rules) == {
        ("hotline", "russia", None),
        ("no-enlargement", "us_nato", "rejects"),
    }
    body = "NATO rejected the demand to halt enlargement, but offered talks on arms control."
    assert _summary(body, rules) == {
        ("no-enlargement", "us_nato", "rejects"),
        ("talks", "us_nato", "open"),
    }


def test_speaker_after_said_or_according_to_states_the_sentence(rules) -> None:
    body = "Any hotline would need the allies' consent, according to the State Department."
    assert _summary(body, rules) == {("hotline", "us_nato", "neutral")}
    body = "Any hotline would need the allies' consent, said the State Department."
    assert _summary(body, rules) == {("hotline", "us_nato", "neutral")}
    body = "Putin said the US would never agree to a hotline."
    assert _summary(body, rules) == {("hotline", "russia", None)}


def test_quote_speaker_side_wins_over_the_words_subject(rules) -> None:
    body = "\u201cNATO must give up its open door,\u201d the minister said."
    quote = QuoteFinding(1, 34, body[1:34], "Sergei Lavrov", "russia", "said")
    assert _summary(body, rules, [quote]) == {("no-enlargement", "russia", None)}
    reply = QuoteFinding(1, 34, body[1:34], "Jen Psaki", "us_nato", "said")
    assert _summary(body, rules, [reply]) == {("no-enlargement", "us_nato", "neutral")}


def test_quote_without_a_known_side_falls_back_to_the_subject(rules) -> None:
    body = "\u201cWe want written guarantees,\u201d Peskov said."
    unknown = QuoteFinding(1, 28, body[1:28], None, "unknown", None)
    assert _summary(body, rules, [unknown]) == {("legal-guarantees", "russia", None)}


def test_sentences_without_a_demand_are_not_linked(rules) -> None:
    body = (
        "NATO defence ministers met in Brussels on Thursday.\n\n"
        "The expanded meeting of the board lasted three hours.\n\n"
        "Talks between the two leaders took place by video link last week.\n\n"
        "The talks in Geneva ended without a breakthrough.\n\n"
        "Weapons deliveries continued along the Polish border."
    )
    assert _links(body, rules) == []


def test_engine_serves_another_codebook_without_code_changes(rules) -> None:
    codebook = Codebook.from_dict(
        {
            "demands": [
                {"slug": "quotas", "title": "Fishing quotas", "terms": [r"\bfishing\s+quotas?\b"]},
                {"slug": "ports", "title": "Port access", "terms": [r"\bport\s+access\b"]},
            ],
            "linking": {
                "subject": {"verbs": ["said", "refused"], "filler": r"\s+"},
                "stance_order": ["rejects"],
                "stances": {"rejects": [r"\brefus\w*"]},
            },
        }
    )
    body = "Brussels refused any change to fishing quotas.\n\nNorway wants port access."
    found = find_links(body, split_sentences(body), [], codebook, rules.actors)
    assert [(f.demand, f.side, f.stance) for f in found] == [
        ("quotas", "us_nato", "rejects"),
        ("ports", "russia", None),
    ]


def test_codebook_without_linking_cues_still_links(rules) -> None:
    codebook = Codebook.from_dict(
        {"demands": [{"slug": "hotline", "title": "Hotline", "terms": ["hotline"]}]}
    )
    body = "Washington rejected the hotline."
    found = find_links(body, split_sentences(body), [], codebook, rules.actors)
    assert [(f.demand, f.side, f.stance) for f in found] == [("hotline", "russia", None)]


@pytest.mark.parametrize(
    "data, words",
    [
        ({"demands": [{"slug": "a", "title": "A", "terms": ["(unclosed"]}]}, "(unclosed"),
        ({"demands": [{"slug": "a", "title": "A", "terms": [42]}]}, "not a string"),
        (
            {"demands": [{"slug": "a", "title": "A"}, {"slug": "a", "title": "B"}]},
            "slug twice",
        ),
        ({"demands": [], "linking": {"stances": {"open": ["[x"]}}}, "stance open"),
    ],
)
def test_bad_codebook_is_a_one_line_error(data: dict, words: str) -> None:
    with pytest.raises(BadInput) as caught:
        Codebook.from_dict(data)
    message = str(caught.value)
    assert words in message and "\n" not in message


def test_bad_codebook_in_the_home_is_reported_not_raised_raw(tmp_path) -> None:
    data = read_json_rules("codebook.json")
    data["demands"][0]["terms"].append("broken[")
    (tmp_path / "codebook.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(NewsbrowseError, match="broken"):
        load_rules(tmp_path)


def test_user_codebook_in_the_home_extends_the_terms(tmp_path) -> None:
    data = read_json_rules("codebook.json")
    hotline = next(d for d in data["demands"] if d["slug"] == "hotline")
    hotline["terms"].append(r"\bred\s+telephone\b")
    (tmp_path / "codebook.json").write_text(json.dumps(data), encoding="utf-8")
    body = "Moscow asked for a red telephone to the alliance."
    assert _summary(body, load_rules(tmp_path)) == {("hotline", "russia", None)}


def test_third_party_speaker_makes_no_link(rules) -> None:
    assert _links("Ukraine has long sought to join NATO.", rules) == []
    body = "\u201cNATO will never close its door,\u201d the analyst said."
    analyst = QuoteFinding(1, 31, body[1:31], "Sam Greene", "other", "said")
    assert _links(body, rules, [analyst]) == []
