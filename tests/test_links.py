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
        ("strike-weapons", "us_nato", "open"),  # "arms control" answers the missile demand
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


# -- sides as data and the side sieve (issue 14, class 7; issue 15) --------------------------


def test_codebook_names_its_sides_and_their_roles(rules) -> None:
    codebook = rules.codebook
    assert codebook.demanding == "russia" and codebook.answering == "us_nato"
    assert codebook.side_slugs == ("russia", "us_nato", "other")
    assert codebook.side_label("us_nato") == "US/NATO"


def test_another_codebooks_sides_drive_the_linker(rules) -> None:
    codebook = Codebook.from_dict(
        {
            "sides": [
                {"slug": "us_nato", "label": "Allies", "role": "demanding"},
                {"slug": "russia", "label": "Moscow", "role": "answering"},
            ],
            "demands": [{"slug": "hotline", "title": "Hotline", "terms": ["hotline"]}],
            "linking": {"subject": {"verbs": ["rejected"]}, "stances": {"rejects": ["reject"]}},
        }
    )
    body = "Putin rejected the hotline.\n\nThe hotline was first proposed in 2019."
    found = find_links(body, split_sentences(body), [], codebook, rules.actors)
    assert [(f.demand, f.side, f.stance) for f in found] == [
        ("hotline", "russia", "rejects"),  # the answering side now: it takes a stance
        ("hotline", "us_nato", None),  # background: the demanding side
    ]


@pytest.mark.parametrize(
    "sides, words",
    [
        ([{"slug": "a", "role": "demanding"}], "one demanding side and one answering"),
        ([{"slug": "a", "role": "boss"}, {"slug": "b", "role": "answering"}], "needs a slug"),
        ("russia", "must be a list"),
    ],
)
def test_bad_sides_are_a_one_line_error(sides: object, words: str) -> None:
    with pytest.raises(BadInput, match=words):
        Codebook.from_dict({"sides": sides, "demands": []})


def test_pronoun_takes_the_side_of_the_last_person_who_was_a_subject(rules) -> None:
    body = (
        "Jen Psaki spoke to reporters on Monday.\n\n"
        "She said Washington would never accept a ban on new members."
    )
    assert _summary(body, rules) == {("no-enlargement", "us_nato", "rejects")}
    body = "Lavrov met his counterpart in Vienna.\n\nHe said NATO must stop its eastward expansion."
    assert _summary(body, rules) == {("no-enlargement", "russia", None)}


def test_it_stands_for_the_last_body_that_was_a_subject(rules) -> None:
    body = (
        "The Kremlin published two draft treaties on Friday.\n\n"
        "It demanded a hotline between Moscow and the alliance."
    )
    assert _summary(body, rules) == {("hotline", "russia", None)}
    body = "NATO met in Brussels.\n\nIt is unclear whether Moscow still wants a hotline."
    assert _summary(body, rules) == {("hotline", "russia", None)}  # "it is": no one's words


def test_a_subject_nobody_knows_makes_no_link(rules) -> None:
    body = "Kowalczyk said the alliance should never admit new members."
    assert _links(body, rules) == []
    body = "Ambassador Eriksen met Blinken.\n\nHe said the hotline was a good idea."
    assert _links(body, rules) == []  # "he" is Eriksen, whose side nothing shows


def test_a_name_the_attribution_learnt_gives_its_side(rules) -> None:
    body = (
        "\u201cWe will talk,\u201d said Kowalczyk.\n\n"
        "Kowalczyk said the alliance would consider a hotline."
    )
    quote = QuoteFinding(1, 14, body[1:14], "Anna Kowalczyk", "us_nato", "said")
    assert _summary(body, rules, [quote]) == {("hotline", "us_nato", "open")}


def test_groups_and_documents_are_subjects(rules) -> None:
    body = "The U.S. delegation rejected the call for a hotline."
    assert _summary(body, rules) == {("hotline", "us_nato", "rejects")}
    body = "The Russian side insisted on a hotline."
    assert _summary(body, rules) == {("hotline", "russia", None)}
    body = "The written response, which the ambassador delivered, offered talks on a hotline."
    assert ("hotline", "us_nato", "open") in _summary(body, rules)


def test_a_possessive_owner_is_the_subject_of_its_adviser_or_document(rules) -> None:
    body = "Biden's national security adviser said a hotline could be discussed."
    assert _summary(body, rules) == {("hotline", "us_nato", "open")}
    body = "NATO's eastward expansion is the main threat, the drafts say."
    assert _summary(body, rules) == {("no-enlargement", "russia", None)}


def test_an_actor_told_what_it_must_do_does_not_state_the_clause(rules) -> None:
    body = "NATO should withdraw its forces from Eastern Europe."
    assert _summary(body, rules) == {("1997-lines", "russia", None)}
    body = "NATO should give up any military bases in former Soviet states."
    assert _summary(body, rules) == {("1997-lines", "russia", None)}


def test_words_inside_a_quote_nobody_is_known_to_have_said_make_no_link(rules) -> None:
    body = "\u201cNATO will not admit new members without a fight,\u201d the post read."
    quote = QuoteFinding(1, 49, body[1:49], None, "unknown", None)
    assert _links(body, rules, [quote]) == []
    body = "\u201cWe will never accept a ban on new members,\u201d said the U.S. diplomat."
    quote = QuoteFinding(1, 44, body[1:44], None, "unknown", None)
    assert _summary(body, rules, [quote]) == {("no-enlargement", "us_nato", "rejects")}


# -- what names a demand, and with what stance (issue 14, class 7) --------------------------


def test_talks_need_a_readiness_offer_or_demand_not_a_mention(rules) -> None:
    body = "The White House said Washington was prepared to engage in dialogue with Moscow."
    assert _summary(body, rules) == {("talks", "us_nato", "open")}
    body = "The Kremlin said it expected a prompt answer from Washington."
    assert _summary(body, rules) == {("talks", "russia", None)}
    for body in [
        "The talks in Vienna lasted six hours.",
        "Lavrov and Blinken are expected to hold talks in Geneva next week.",
        "The Foreign Ministry received the response on Wednesday evening.",
    ]:
        assert _links(body, rules) == [], body


def test_a_subject_of_both_sides_states_nothing(rules) -> None:
    body = "Washington and Moscow agreed to continue the dialogue in January."
    assert _links(body, rules) == []
    body = "The two sides agreed to continue the talks after the holidays."
    assert _links(body, rules) == []
    body = "Washington and its European allies proposed a new dialogue with Moscow."
    assert _summary(body, rules) == {("talks", "us_nato", "open")}


def test_reply_terms_name_a_demand_only_in_a_reply(rules) -> None:
    body = "NATO offered Moscow talks on arms control and transparency."
    assert _summary(body, rules) == {
        ("talks", "us_nato", "open"),
        ("strike-weapons", "us_nato", "open"),
        ("exercises", "us_nato", "open"),
    }
    assert _links("Moscow has long valued arms control and transparency.", rules) == []


def test_a_condition_after_but_belongs_to_the_same_reply(rules) -> None:
    body = (
        "Washington is ready to engage in talks, but any dialogue must take place "
        "in coordination with its allies."
    )
    assert _summary(body, rules) == {("talks", "us_nato", "conditional")}


def test_a_demand_restated_inside_a_reply_without_a_stance_is_the_demanding_sides(
    rules,
) -> None:
    body = (
        "The US handed over its answer to Moscow's demands that NATO withdraw its forces "
        "from Eastern Europe."
    )
    assert _summary(body, rules) == {("1997-lines", "russia", None)}
    body = "The US turned down Moscow's demands that NATO withdraw its forces from Eastern Europe."
    assert _summary(body, rules) == {("1997-lines", "us_nato", "rejects")}


def test_reply_stance_cues(rules) -> None:
    cases = {
        "The alliance said it would never compromise on its core principles.": (
            "no-enlargement",
            "rejects",
        ),
        "Price said a veto on new members was not on the agenda.": ("no-enlargement", "rejects"),
        "Biden said Washington had no intention of deploying strike missiles in Ukraine.": (
            "strike-weapons",
            "open",
        ),
        "Sherman said the alliance door remains open to new members.": (
            "no-enlargement",
            "rejects",
        ),
    }
    for body, (demand, stance) in cases.items():
        assert (demand, "us_nato", stance) in _summary(body, rules), body


def test_a_short_quoted_phrase_of_nobody_known_does_not_silence_the_sentence(rules) -> None:
    body = (
        "Moscow wants \u201cironclad security guarantees\u201d that Georgia will never join NATO."
    )
    quote = QuoteFinding(14, 42, body[14:42], None, "unknown", None)
    assert _summary(body, rules, [quote]) == {
        ("legal-guarantees", "russia", None),
        ("ukraine-georgia", "russia", None),
    }


def test_a_title_after_the_is_a_role_not_a_name_nobody_knows(rules) -> None:
    body = "The Chancellor said the alliance would consider a hotline with Moscow."
    assert _summary(body, rules) == {("hotline", "us_nato", "open")}
    body = "Chancellor Weber said the alliance would consider a hotline with Moscow."
    assert _links(body, rules) == []  # Weber: a name nobody knows speaks


# --- With attribution's references (the pipeline's way) ---------------------------------


def _analysed(body: str, rules) -> set[tuple]:
    from newsbrowse.store.ingest.pipeline import analyse

    article = analyse(body, rules)
    return {(lk.demand, lk.side, lk.stance) for lk in article.links}


def test_a_person_subject_past_a_long_insertion_states_the_clause(rules) -> None:
    body = (
        "Talks resume\n\n"
        "Blinken, speaking after a week of meetings in Geneva and Brussels on, among other "
        "things, missiles, repeated that the alliance will stay open to new members.\n"
    )
    assert ("no-enlargement", "us_nato", "rejects") in _analysed(body, rules)


def test_a_person_the_article_introduces_gives_the_reply_its_side(rules) -> None:
    body = (
        "Envoy speaks\n\n"
        "US Ambassador to NATO Mark Ellison told reporters that the alliance's door "
        "remains open to new members.\n"
    )
    assert ("no-enlargement", "us_nato", "rejects") in _analysed(body, rules)


def test_on_condition_of_anonymity_sets_no_condition(rules) -> None:
    body = (
        "Offer made\n\n"
        "A senior US official, speaking on condition of anonymity, said Washington was ready "
        "to discuss limits on missile deployments.\n"
    )
    stances = {stance for demand, side, stance in _analysed(body, rules) if side == "us_nato"}
    assert stances == {"open"}
