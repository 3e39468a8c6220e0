"""Quote marks, scare quotes and speaker attribution on small invented texts."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from newsbrowse.store.errors import BadInput
from newsbrowse.store.ingest.actors import ActorIndex
from newsbrowse.store.ingest.quotes import QuoteFinding
from newsbrowse.store.ingest.quoting import find_quotes
from newsbrowse.store.ingest.sentences import split_sentences
from newsbrowse.store.rules import fixture_path, load_rules


@pytest.fixture(scope="module")
def actors() -> ActorIndex:
    return load_rules().actors


def quotes(text: str, actors: ActorIndex) -> list[QuoteFinding]:
    found = find_quotes(text, split_sentences(text), actors)
    for q in found:
        assert text[q.start : q.end] == q.text
    return found


def spoken(text: str, actors: ActorIndex) -> list[tuple[str, str | None]]:
    return [(q.text, q.speaker) for q in quotes(text, actors) if not q.scare]


# --- Marks ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Putin said: \u201cWe want legal guarantees now.\u201d",
        "Putin said: \u201cWe want legal guarantees now.\u201c",
        "Putin said: \u201dWe want legal guarantees now.\u201d",
        'Putin said: "We want legal guarantees now."',
        "Putin said: \u00abWe want legal guarantees now.\u00bb",
        "Putin said: \u00ab We want legal guarantees now. \u00bb",
        "Putin said: \u2018We want legal guarantees now.\u2019",
        "Putin said: 'We want legal guarantees now.'",
    ],
)
def test_every_kind_of_mark_gives_the_words_inside(text, actors):
    assert spoken(text, actors) == [("We want legal guarantees now.", "Vladimir Putin")]


@pytest.mark.parametrize(
    "text",
    [
        "Russia\u2019s demands and NATO\u2019s answer came on Friday.",
        "Russia \u2018s exit is not an agreement but a declaration.",
        "King\u2019s College London and the allies\u2019 unity were in the news.",
        "Since the \u201990s the '90s have been remembered, and Russia's rock 'n' roll too.",
        "Workers' Day is on Thursday; the states' rights were not discussed.",
    ],
)
def test_apostrophes_never_open_a_quote(text, actors):
    assert quotes(text, actors) == []


def test_text_keeps_inner_punctuation_and_strips_spaces(actors):
    text = "\u201cWe do not ask for special terms (\u2026), without exception, \u201d Putin added."
    (q,) = quotes(text, actors)
    assert q.text == "We do not ask for special terms (\u2026), without exception,"


def test_a_quote_spanning_sentences_is_one_quote(actors):
    text = (
        "\u201cThe threat is growing. It is serious. We will act,\u201d he said, Putin told them."
    )
    assert len(quotes(text, actors)) == 1


def test_a_quote_left_open_runs_on_to_the_mark_that_closes_it(actors):
    # Scraped text loses the opening mark of a quotation's second paragraph.
    text = (
        "\u201cWe sent the papers on Friday.\n\n"
        "We expect an answer within weeks, \u201dthe ministry said."
    )
    (q,) = quotes(text, actors)
    assert q.text == "We sent the papers on Friday.\n\nWe expect an answer within weeks,"
    assert (q.speaker, q.cue) == ("Russian Foreign Ministry", "the ministry said")


def test_a_quote_left_open_ends_with_its_paragraph_when_the_next_opens_one(actors):
    text = "Putin said \u201cwe want guarantees now\n\n\u201cNobody is listening,\u201d he added."
    found = quotes(text, actors)
    assert [q.text for q in found] == ["we want guarantees now", "Nobody is listening,"]


@pytest.mark.parametrize(
    "text",
    [
        "We will keep the door open to every democracy, \u201d she added.",
        'We will keep the door open to every democracy," she added.',
        "We will keep the door open to every democracy,\u201d she added.",
    ],
)
def test_a_paragraph_whose_first_mark_closes_is_quoted_from_its_start(text, actors):
    context = "Wendy Sherman spoke after the meeting.\n\n"
    assert spoken(context + text, actors) == [
        ("We will keep the door open to every democracy,", "Wendy Sherman")
    ]


def test_a_closing_mark_after_an_attribution_quotes_the_sentences_between(actors):
    text = (
        "\u201cWe are ready,\u201d said the US diplomat. We will not trade away"
        " anybody's right to choose.\u201d"
    )
    context = "Wendy Sherman spoke first. "
    found = quotes(context + text, actors)
    assert [(q.text, q.speaker) for q in found] == [
        ("We are ready,", "Wendy Sherman"),
        ("We will not trade away anybody's right to choose.", "Wendy Sherman"),
    ]


# --- Scare quotes ----------------------------------------------------------------------


def test_one_or_two_words_are_scare_quotes_without_speaker(actors):
    text = "Putin called for \u201cguarantees\u201d and \u201clegal guarantees\u201d on Tuesday."
    found = quotes(text, actors)
    assert [(q.text, q.scare, q.speaker, q.cue) for q in found] == [
        ("guarantees", True, None, None),
        ("legal guarantees", True, None, None),
    ]


def test_three_words_said_by_someone_are_a_quote(actors):
    text = "Putin said the West was \u201cat least irresponsible\u201d on Tuesday."
    (q,) = quotes(text, actors)
    assert (q.scare, q.speaker, q.side) == (False, "Vladimir Putin", "russia")


def test_a_label_nobody_says_is_a_scare_quote(actors):
    text = "NATO has refused to amend its \u2018open door policy\u2019 so far."
    (q,) = quotes(text, actors)
    assert (q.text, q.scare, q.speaker) == ("open door policy", True, None)


# --- Attribution -----------------------------------------------------------------------


def test_said_before_and_after_the_name(actors):
    text = (
        "\u201cWe are ready to talk tomorrow,\u201d said Ryabkov.\n\n"
        "\u201cWe are not flexible on principles,\u201d Blinken said."
    )
    found = quotes(text, actors)
    assert [(q.speaker, q.side, q.cue) for q in found] == [
        ("Sergei Ryabkov", "russia", "said Ryabkov"),
        ("Antony Blinken", "us_nato", "Blinken said"),
    ]


def test_a_split_quote_is_two_quotes_by_one_speaker(actors):
    text = "\u201cWe want talks,\u201d Lavrov said, \u201cbut not on these terms at all.\u201d"
    found = quotes(text, actors)
    assert [(q.text, q.speaker, q.cue) for q in found] == [
        ("We want talks,", "Sergei Lavrov", "Lavrov said"),
        ("but not on these terms at all.", "Sergei Lavrov", "Lavrov said"),
    ]


@pytest.mark.parametrize(
    ("context", "cue", "speaker"),
    [
        # "he" takes the subject, not the object of "told".
        ("Putin told Macron that Russia expected an answer.\n\n", "he said", "Vladimir Putin"),
        # "she" skips the man named later.
        ("Maria Zakharova spoke after Lavrov.\n\n", "she said", "Maria Zakharova"),
        # A role shared by two actors resolves to the one mentioned last.
        ("Blinken wrote to Lavrov. ", "the top diplomat said", "Sergei Lavrov"),
        ("Lavrov wrote to Blinken. ", "the top diplomat said", "Antony Blinken"),
        ("Putin spoke first. ", "the Russian leader said", "Vladimir Putin"),
    ],
)
def test_pronouns_and_roles_resolve_from_context(context, cue, speaker, actors):
    text = context + "\u201cThe answer is not acceptable to us,\u201d " + cue + "."
    assert spoken(text, actors) == [("The answer is not acceptable to us,", speaker)]


def test_he_with_no_subject_to_take_stays_unknown(actors):
    text = (
        "Talks between Biden and Putin ended.\n\n\u201cWe had a long conversation,\u201d he said."
    )
    assert spoken(text, actors) == [("We had a long conversation,", None)]


def test_a_clause_after_the_quote_does_not_attribute_it(actors):
    text = "Putin said NATO made \u201ca grave strategic mistake\u201d and Lavrov added nothing."
    assert spoken(text, actors) == [("a grave strategic mistake", "Vladimir Putin")]


def test_a_possessed_noun_is_not_a_speech_verb(actors):
    text = (
        "NATO rejected Moscow\u2019s demands for \u201clegally binding security guarantees\u201d."
    )
    assert spoken(text, actors) == [("legally binding security guarantees", None)]


def test_the_statement_belongs_to_whoever_issued_it(actors):
    text = (
        "In a statement on Thursday, Putin greeted the diplomats.\n\n"
        "\u201cWe need binding guarantees from the West,\u201d the statement said."
    )
    (q,) = quotes(text, actors)
    assert (q.speaker, q.cue) == ("Vladimir Putin", "the statement said")


def test_a_bodys_statement_is_the_bodys(actors):
    text = "\u201cPutin stressed the need for a serious answer,\u201d the Kremlin statement said."
    (q,) = quotes(text, actors)
    assert (q.speaker, q.side, q.cue) == ("Kremlin", "russia", "the Kremlin statement said")


def test_a_spokesman_named_after_a_full_stop(actors):
    text = "\u201cNo talks without our allies,\u201d said a White House spokesman. Jen Psaki."
    (q,) = quotes(text, actors)
    assert (q.speaker, q.side) == ("Jen Psaki", "us_nato")


def test_an_unnamed_spokesman_speaks_for_the_body(actors):
    text = "\u201cNo talks without our allies and partners,\u201d said a White House spokesman."
    (q,) = quotes(text, actors)
    assert (q.speaker, q.side) == ("White House", "us_nato")


def test_this_was_stated_by_attributes_the_sentence_before(actors):
    text = "Tensions are \u201cvolatile and tense\u201d in Europe. This was stated by Lavrov."
    (q,) = quotes(text, actors)
    assert (q.speaker, q.cue) == ("Sergei Lavrov", "This was stated by Lavrov")


def test_a_partial_quote_belongs_to_the_subject_not_the_object(actors):
    text = (
        "Putin called on Lavrov to negotiate \u201clong-term security guarantees\u201d with NATO."
    )
    assert spoken(text, actors) == [("long-term security guarantees", "Vladimir Putin")]


def test_words_of_an_earlier_promise_are_not_the_demanders(actors):
    text = (
        "The Kremlin demanded that NATO keep its promise not to move \u201cone inch eastward\u201d."
    )
    (q,) = quotes(text, actors)
    assert (q.scare, q.speaker, q.side) == (False, None, "unknown")


def test_a_paragraph_ending_in_said_colon_introduces_the_next(actors):
    text = "Stoltenberg said:\n\n\u201cWe will not go back to spheres of influence.\u201d"
    (q,) = quotes(text, actors)
    assert (q.speaker, q.cue) == ("Jens Stoltenberg", "Stoltenberg said")


def test_continuation_paragraph_keeps_the_speaker(actors):
    text = (
        "\u201cWe will not compromise on this,\u201d Stoltenberg said.\n\n"
        "\u201cIt is for the allies to decide.\u201d"
    )
    found = quotes(text, actors)
    assert [(q.speaker, q.cue) for q in found] == [
        ("Jens Stoltenberg", "Stoltenberg said"),
        ("Jens Stoltenberg", "continuation"),
    ]


def test_the_sentence_before_names_the_speaker_after_another_quote(actors):
    text = (
        "\u201cWe will not compromise on this,\u201d Stoltenberg said. Lavrov was blunt.\n\n"
        "\u201cThen there is nothing to talk about.\u201d"
    )
    assert spoken(text, actors)[1] == ("Then there is nothing to talk about.", "Sergei Lavrov")


def test_a_quote_after_another_actor_in_the_paragraph_goes_to_that_actor(actors):
    text = "\u201cWe want talks now,\u201d Putin said. Biden disagreed. \u201cIt is too late.\u201d"
    assert spoken(text, actors) == [
        ("We want talks now,", "Vladimir Putin"),
        ("It is too late.", "Joe Biden"),
    ]


def test_the_sentence_before_with_nobody_in_it_names_nobody(actors):
    text = "Putin spoke for an hour.\n\nThe hall was cold. \u201cWe are ready for anything.\u201d"
    assert spoken(text, actors) == [("We are ready for anything.", None)]


def test_nothing_names_a_speaker_so_none(actors):
    text = "Diplomats were gloomy.\n\n\u201cNobody expects a deal before spring.\u201d"
    (q,) = quotes(text, actors)
    assert (q.speaker, q.side, q.cue) == (None, "unknown", None)


@pytest.mark.parametrize(
    ("attribution", "speaker"),
    [
        ("a senior US official said", "US official (unnamed)"),
        ("an official said", None),
        ("sources close to Putin said", None),
        ("Putin\u2019s spokesman said", "Dmitry Peskov"),
        ("a Kremlin spokesman, Dmitry Peskov, said", "Dmitry Peskov"),
        ("a spokesman for the Kremlin said", "Kremlin"),
        ("said Russia\u2019s deputy foreign minister, Sergei Ryabkov", "Sergei Ryabkov"),
        ("said US Deputy Secretary of State Wendy Sherman", "Wendy Sherman"),
        ("the president said", None),
    ],
)
def test_who_the_attribution_names(attribution, speaker, actors):
    text = "\u201cWe heard each other at least,\u201d " + attribution + "."
    (q,) = quotes(text, actors)
    assert q.speaker == speaker


def test_names_inside_a_quote_never_attribute_it(actors):
    text = "\u201cBiden said nothing new to Putin,\u201d one analyst said."
    (q,) = quotes(text, actors)
    assert q.speaker is None


# --- Actors and rules ------------------------------------------------------------------


def test_mentions_take_titles_and_roles(actors):
    text = "Russia's deputy foreign minister Sergei Riabkov met the Russian president."
    names = [(text[m.start : m.end], [a.name for a in m.actors]) for m in actors.mentions(text)]
    assert names == [
        ("Sergei Riabkov", ["Sergei Ryabkov"]),
        ("the Russian president", ["Vladimir Putin"]),
    ]


def test_an_index_from_actors_alone_uses_the_shipped_speech_rules():
    data = json.loads(fixture_path("actors.json").read_text(encoding="utf-8"))
    index = ActorIndex.from_dict(data)
    text = "\u201cWe want legally binding guarantees,\u201d Putin said."
    assert find_quotes(text, [], index)[0].speaker == "Vladimir Putin"


def test_a_user_actor_is_attributed(tmp_path):
    data = json.loads(fixture_path("actors.json").read_text(encoding="utf-8"))
    data["actors"].append({"name": "Ivan Example", "side": "other", "aliases": ["Example"]})
    (tmp_path / "actors.json").write_text(json.dumps(data), encoding="utf-8")
    actors = load_rules(tmp_path).actors
    text = "\u201cThis is an invented quotation,\u201d Example said."
    assert find_quotes(text, [], actors)[0].speaker == "Ivan Example"


@pytest.mark.parametrize(
    "speech",
    [
        {"speech_verbs": {"words": "said"}},
        {"pronouns": {"words": ["he", "she"]}},
        {"pronouns": {"words": {"he": "male"}}},
        {"passive_attribution": ["this"]},
    ],
)
def test_a_malformed_speech_file_is_a_one_line_error(tmp_path, speech):
    (tmp_path / "speech.json").write_text(json.dumps(speech), encoding="utf-8")
    with pytest.raises(BadInput) as err:
        load_rules(tmp_path)
    assert "\n" not in str(err.value)


_PIECES = list("ab cd.,\n") + ["Putin", " he said", "\u201c", "\u201d", '"', "'", "\u2018"]
_PIECES += ["\u2019", "\u00ab", "\u00bb", "the statement said", "s ", "This was stated by Lavrov."]
_RULES = load_rules()


@pytest.mark.parametrize(
    "entry",
    [
        {"name": "Ivan Example", "side": "kremlin"},
        {"name": "Ivan Example", "side": "other", "aliases": "Example"},
        {"name": "Ivan Example", "side": "other", "gender": "male"},
        {"side": "other"},
    ],
)
def test_a_malformed_actor_is_a_one_line_error(tmp_path, entry):
    (tmp_path / "actors.json").write_text(json.dumps({"actors": [entry]}), encoding="utf-8")
    with pytest.raises(BadInput) as err:
        load_rules(tmp_path)
    assert "\n" not in str(err.value)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join))
def test_any_text_gives_exact_offsets(text):
    found = find_quotes(text, split_sentences(text), _RULES.actors)
    for q in found:
        assert text[q.start : q.end] == q.text
        assert q.text == q.text.strip() and q.text
        assert q.side in ("russia", "us_nato", "other", "unknown")
        assert (q.speaker is None) == (q.side == "unknown")
