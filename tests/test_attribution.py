"""Who said each quote, sieve by sieve, on sentences of our own.

Each lesson learnt from real coverage (../shared/devset) is kept here as a sentence of the
same shape, never the article's own: people actors.json does not know, titles and
descriptions, "the diplomat", documents that speak, marks a scraper lost.
"""

from __future__ import annotations

import pytest
from newsbrowse.store.ingest.actors import ActorIndex
from newsbrowse.store.ingest.quoting import find_quotes
from newsbrowse.store.rules import load_rules


@pytest.fixture(scope="module")
def actors() -> ActorIndex:
    return load_rules().actors


def said(text: str, actors: ActorIndex) -> list[tuple[str, str | None, str]]:
    found = find_quotes(text, [], actors)
    for q in found:
        assert text[q.start : q.end] == q.text
    return [(q.text, q.speaker, q.side) for q in found if not q.scare]


# --- People the article introduces ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "speaker", "side"),
    [
        # A title before a capitalised name; its words give the side.
        (
            "Deputy Foreign Minister of Russia Pavel Orlov told reporters: "
            "\u201cWe will not wait for ever.\u201d",
            "Pavel Orlov",
            "russia",
        ),
        (
            "\u201cWe will not wait for ever,\u201d said US Ambassador to Russia Mark Ellison.",
            "Mark Ellison",
            "us_nato",
        ),
        # The place an ambassador serves in is not the side they speak for.
        (
            "Russian Ambassador to the United States Oleg Marin spoke first. "
            "\u201cWe will not wait for ever,\u201d he said.",
            "Oleg Marin",
            "russia",
        ),
        # A description set off by commas after the name; the press speaks for no side.
        (
            "Marta Kowalska, chief diplomatic editor at the Baltic Courier, said: "
            "\u201cNobody expects a deal soon.\u201d",
            "Marta Kowalska",
            "other",
        ),
        # ... or before it.
        (
            "Spokeswoman for the National Security Council, Helen Marsh, said the talks "
            "would go on. \u201cWe are ready for every format,\u201d she said.",
            "Helen Marsh",
            "us_nato",
        ),
        # An adviser speaks for whom they advise.
        (
            "Igor Petrenko, foreign policy adviser to President Vladimir Putin, said: "
            "\u201cWe are ready for every format.\u201d",
            "Igor Petrenko",
            "russia",
        ),
        # A name right before a speech verb is a person, of no side the text shows.
        ("\u201cWe are ready for every format,\u201d Tom Brandt said.", "Tom Brandt", "other"),
    ],
)
def test_a_person_the_article_introduces_is_the_speaker(text, speaker, side, actors):
    assert said(text, actors) == [(said(text, actors)[0][0], speaker, side)]


def test_the_article_calls_its_people_by_their_surname_later(actors):
    text = (
        "Deputy Foreign Minister of Russia Pavel Orlov met the press on Monday.\n\n"
        "Orlov added: \u201cThe ball is in their court.\u201d"
    )
    assert said(text, actors) == [("The ball is in their court.", "Pavel Orlov", "russia")]


def test_a_surname_two_people_share_is_the_one_the_article_introduced(actors):
    # actors.json knows Ned Price; the article introduces another Price.
    text = (
        "British Ambassador to Moscow Anna Price met Lavrov on Friday.\n\n"
        "\u201cThe door to talks is open,\u201d Price said."
    )
    assert said(text, actors) == [("The door to talks is open,", "Anna Price", "us_nato")]


def test_a_first_name_spelt_another_way_is_still_the_known_actor(actors):
    text = "\u201cWe will defend our country,\u201d Ukrainian President Volodimir Zelensky said."
    assert said(text, actors)[0][1] == "Volodymyr Zelensky"


def test_a_newspaper_named_beside_its_noun_speaks_for_no_side(actors):
    text = (
        "The conservative daily Nordkurier wrote that \u201cthe visit changed nothing "
        "at all in Moscow.\u201d"
    )
    assert said(text, actors) == [
        ("the visit changed nothing at all in Moscow.", "Nordkurier", "other")
    ]


# --- Pronouns, titles and "the diplomat" ---------------------------------------------


def test_he_is_the_last_person_named_as_subject_not_the_last_listed_speaker(actors):
    text = (
        "\u201cWe will not bend,\u201d Stoltenberg said. Deputy Foreign Minister "
        "Alexander Grushko was blunt. \u201cThere will be counter-measures,\u201d he said."
    )
    assert said(text, actors)[1] == (
        "There will be counter-measures,",
        "Alexander Grushko",
        "russia",
    )


@pytest.mark.parametrize(
    ("context", "cue", "speaker"),
    [
        # "the diplomat": the most recent person with a diplomat's title.
        ("Victoria Nuland spoke to reporters. ", "the diplomat said", "Victoria Nuland"),
        # A side word and a title must both fit, however recent another actor is.
        (
            "Russian Ambassador to Austria Ivan Sorin met Lavrov. ",
            "the Russian ambassador added",
            "Ivan Sorin",
        ),
        ("Blinken met the press. ", "the head of US diplomacy said", "Antony Blinken"),
        # Nobody fits: an unnamed diplomat of that side, not a guess at a name.
        ("Putin spoke first. ", "the U.S. diplomat said", "U.S. diplomat (unnamed)"),
        ("Putin spoke first. ", "the adviser said", None),
    ],
)
def test_a_description_stands_for_whom_it_fits(context, cue, speaker, actors):
    text = context + "\u201cThe answer is not acceptable to us,\u201d " + cue + "."
    assert said(text, actors)[0][1] == speaker


def test_an_unnamed_official_is_named_by_what_the_text_says_of_them(actors):
    text = (
        "A senior administration official briefed reporters on Friday.\n\n"
        "\u201cThe tone was serious and businesslike,\u201d the official said."
    )
    assert said(text, actors) == [
        ("The tone was serious and businesslike,", "administration official (unnamed)", "us_nato")
    ]


def test_an_unnamed_official_of_no_side_is_nobody(actors):
    text = "\u201cThe tone was serious and businesslike,\u201d an official said."
    assert said(text, actors)[0][1] is None


# --- Documents speak -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "\u201cThe parties shall refrain from deployments,\u201d the draft treaty reads.",
            "Russian draft treaty",
        ),
        (
            "The draft agreement was sent to Washington. \u201cThe parties shall refrain "
            "from deployments,\u201d the document says.",
            "Russian draft treaty",
        ),
        (
            "According to a Russian document sent to NATO, talks must start. It demands "
            "that the allies \u201crefrain from any further expansion.\u201d",
            "Russian draft treaty",
        ),
        (
            "The reported U.S. response suggests \u201creciprocal limits on missile "
            "deployments in Europe.\u201d",
            "US written response",
        ),
        (
            "\u201cThe call was constructive and frank,\u201d a White House release reads.",
            "White House",
        ),
    ],
)
def test_a_document_is_the_speaker_of_its_words(text, speaker, actors):
    assert said(text, actors)[-1][1] == speaker


# --- Attribution outside the quote's sentence ----------------------------------------


def test_the_sentence_before_names_the_speaker(actors):
    text = "Ryabkov was blunt. \u201cWe need guarantees, not promises.\u201d"
    assert said(text, actors) == [("We need guarantees, not promises.", "Sergei Ryabkov", "russia")]


def test_a_paragraph_of_reported_speech_hands_its_speaker_to_the_next(actors):
    text = (
        "Psaki said the talks would go on next week.\n\n"
        "\u201cWe are ready to meet in any format.\u201d"
    )
    assert said(text, actors)[0][1] == "Jen Psaki"


def test_a_body_named_in_the_sentence_before_is_not_quoted_by_it(actors):
    text = "NATO kept its office open.\n\n\u201cThere was no commitment to calm things down\u201d"
    assert said(text, actors)[0][1] is None


def test_a_verb_with_no_subject_of_its_own_takes_the_main_clauses(actors):
    text = (
        "Peskov said the Kremlin had seen the report but added: "
        "\u201cWe did not publish anything at all.\u201d"
    )
    assert said(text, actors)[0][1] == "Dmitry Peskov"


def test_a_participle_clause_belongs_to_the_main_subject_not_the_next_name(actors):
    text = (
        'Biden said his country was ready "to engage in diplomacy with everyone," '
        "adding that if Russia invades, the West will respond."
    )
    assert said(text, actors)[0][1] == "Joe Biden"


def test_the_reporting_clause_that_ends_a_sentence_attributes_all_its_quotes(actors):
    text = (
        "Biden urged Putin to \u201cstep back from the brink\u201d, warning that NATO "
        "\u201cwill act decisively\u201d if Russia attacks, White House press secretary "
        "Jen Psaki said after the call."
    )
    assert [s for _, s, _ in said(text, actors)] == ["Jen Psaki", "Jen Psaki"]


def test_of_two_reporting_verbs_the_first_unless_a_new_clause_begins(actors):
    text = (
        "Marta Kowalska, an analyst at the Baltic Courier, said Moscow was testing NATO "
        "because Lavrov said \u201cthey want the papers made public.\u201d"
    )
    assert said(text, actors)[0][1] == "Marta Kowalska"
    text = "Putin spoke, and Lavrov said the reply was \u201cnot serious at all\u201d."
    assert said(text, actors)[0][1] == "Sergei Lavrov"


def test_a_passive_names_no_speaker_before_its_verb(actors):
    text = (
        "Moscow is urged to rejoin the council, a body "
        "\u201coffering dialogue in place of distrust.\u201d"
    )
    assert said(text, actors)[0][1] is None


def test_a_capitalised_states_is_no_speech_verb(actors):
    text = "Blinken said the United States \u201cwill not bend on principles\u201d."
    assert find_quotes(text, [], actors)[0].cue == "Blinken said"


def test_two_principals_each_quote_to_the_nearest_cue(actors):
    text = (
        "Putin and Macron met for five hours.\n\n"
        "\u201cWe found some common ground,\u201d Macron said. \u201cThe work goes on,\u201d "
        "he added.\n\n\u201cThe ideas deserve study,\u201d Putin said."
    )
    assert [s for _, s, _ in said(text, actors)] == [
        "Emmanuel Macron",
        "Emmanuel Macron",
        "Vladimir Putin",
    ]


# --- Marks a scraper lost ------------------------------------------------------------


def test_a_doubled_opening_mark_opens_once(actors):
    text = '""We demand a halt to the shelling," the Russian president warned.'
    assert said(text, actors) == [("We demand a halt to the shelling,", "Vladimir Putin", "russia")]


def test_a_double_prime_closes_a_quote(actors):
    text = "\u201cWe expect a prompt answer from our partners\u2033, Lavrov said."
    assert said(text, actors) == [
        ("We expect a prompt answer from our partners", "Sergei Lavrov", "russia")
    ]


def test_an_initial_does_not_end_the_sentence(actors):
    text = "\u201cWe delivered the answer in person,\u201d John J. Sullivan said."
    assert said(text, actors)[0][1] == "John Sullivan"


def test_a_lost_space_after_a_full_stop_still_ends_the_sentence(actors):
    text = (
        '"We are prepared to talk," he added.Lavrov\'s remarks came after a call by '
        'NATO for Russia to "pull back its troops from the border."'
    )
    quotes = find_quotes(text, [], actors)
    assert quotes[1].cue != "he added"
    assert (quotes[1].speaker, quotes[1].side) == ("NATO", "us_nato")


def test_a_newspaper_in_the_byline_hides_no_name(actors):
    text = (
        "By Ann Rowe | Harbour Daily\n\n"
        "\u201cThe door remains open,\u201d Antonov said.\n\n"
        "Reporting by the Harbour Daily desk."
    )
    assert said(text, actors) == [("The door remains open,", "Anatoly Antonov", "russia")]


def test_a_think_tank_in_a_russian_city_speaks_for_no_side(actors):
    text = (
        "\u201cThe sides are further apart than ever,\u201d said Ivan Orlov, director of the "
        "Baltic Moscow Center."
    )
    assert said(text, actors) == [("The sides are further apart than ever,", "Ivan Orlov", "other")]


def test_a_description_of_any_words_between_name_and_verb_makes_a_person(actors):
    text = (
        "Tom Brandt, who has followed the talks since December, said the mood was grim. "
        "\u201cNeither side has moved,\u201d Brandt said."
    )
    assert said(text, actors) == [("Neither side has moved,", "Tom Brandt", "other")]


def test_an_actor_listed_twice_is_still_named(tmp_path):
    import json

    from newsbrowse.store.rules import fixture_path, load_rules

    data = json.loads(fixture_path("actors.json").read_text(encoding="utf-8"))
    data["actors"].append({"name": "Sam Greene", "side": "other", "aliases": ["Greene"]})
    (tmp_path / "actors.json").write_text(json.dumps(data), encoding="utf-8")
    mine = load_rules(tmp_path).actors
    assert said("\u201cMoscow wants a deal on its terms,\u201d Greene said.", mine)[0][1] == (
        "Sam Greene"
    )


def test_a_surname_two_actors_share_names_nobody_until_one_is_named(actors):
    assert said("\u201cWe are ready to talk,\u201d Sullivan said.", actors)[0][1] is None
    text = (
        "National security adviser Jake Sullivan spoke on Friday. "
        "\u201cWe are ready to talk,\u201d Sullivan said."
    )
    assert said(text, actors)[0][1] == "Jake Sullivan"
