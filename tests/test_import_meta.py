"""What a text file says of itself: front matter (key lines or YAML) and wire datelines
become the article's title, source, URL, date and author, and leave the body alone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from newsbrowse.store.errors import BadInput
from newsbrowse.store.ingest.datelines import LeadDatelines
from newsbrowse.store.ingest.front_matter import split_front_matter
from newsbrowse.store.ingest.pipeline import analyse, analyse_document
from newsbrowse.store.library import Library
from newsbrowse.store.model import ArticleMeta
from newsbrowse.store.rules import load_rules

BODY = (
    "Russian Foreign Minister Sergei Lavrov said on Friday that Moscow expected answers.\n\n"
    "\u201cWe expect a written response next week,\u201d Lavrov told reporters in Geneva.\n"
)


@pytest.fixture(scope="module")
def rules():
    return load_rules()


def _text(rules, raw: str):
    return analyse_document(raw, "text", rules)


def test_key_lines_become_metadata_not_title_or_body(rules) -> None:
    raw = (
        "Title: Lavrov expects a written answer\n"
        "Source: Example Daily\n"
        "URL: https://example.org/world/lavrov-answer\n"
        "Date: January 21, 2022\n"
        "author:  Jane  Roe \n\n" + BODY
    )
    art = _text(rules, raw)
    assert art.title == "Lavrov expects a written answer"
    assert (art.source, art.url, art.author) == (
        "Example Daily",
        "https://example.org/world/lavrov-answer",
        "Jane Roe",
    )
    assert (art.date, art.date_basis) == ("2022-01-21", "stated")
    assert art.body.startswith("Russian Foreign Minister Sergei Lavrov said")
    assert "Source:" not in art.body and "Title:" not in art.body
    assert [q.speaker for q in art.quotes] == ["Sergei Lavrov"]
    assert all(art.body[q.start : q.end] == q.text for q in art.quotes)


def test_a_yaml_block_becomes_metadata(rules) -> None:
    raw = (
        "---\ntitle: 'Lavrov: \"answers next week\"'\nsource: Example Daily\n"
        "date: 2022-01-21\nurl: https://example.org/a\ntags: [russia, nato]\n---\n\n" + BODY
    )
    art = _text(rules, raw)
    assert art.title == 'Lavrov: "answers next week"'
    assert (art.source, art.date, art.url) == (
        "Example Daily",
        "2022-01-21",
        "https://example.org/a",
    )
    assert art.body.startswith("Russian Foreign Minister")


def test_a_repeated_headline_under_the_front_matter_is_dropped(rules) -> None:
    raw = "Title: Lavrov expects answers\n\nLavrov expects answers\n\n" + BODY
    art = _text(rules, raw)
    assert art.title == "Lavrov expects answers"
    assert art.body.startswith("Russian Foreign Minister")


@pytest.mark.parametrize(
    "raw",
    [
        "---\nA horizontal rule, then prose.\n---\n\n" + BODY,
        "---\nnot: [closed\n---\n\n" + BODY,
        "---\ntitle: " + "[" * 20_000 + "\n---\n\n" + BODY,
        "---\ntitle: !!python/object/apply:os.system [echo]\n---\n\n" + BODY,
        "---\ntitle: " + "x" * 9000 + "\n---\n\n" + BODY,
        "Sources: many officials spoke.\n\n" + BODY,
        BODY,
    ],
    ids=["rule", "bad-yaml", "deep", "python-tag", "long", "not-a-key", "none"],
)
def test_text_without_front_matter_keeps_every_line(raw: str) -> None:
    text, meta = split_front_matter(raw, lambda _: None)
    assert (text, meta) == (raw, ArticleMeta())


@pytest.mark.parametrize(
    ("head", "message"),
    [
        ("Date: soon\n", "front matter date 'soon' is not a date"),
        ("URL: javascript:alert(1)\n", "front matter url 'javascript:alert(1)' is not an http"),
        ("---\ntitle: [a, b]\n---\n", "front matter holds a list or mapping"),
    ],
)
def test_bad_front_matter_refuses_the_file(rules, head: str, message: str) -> None:
    with pytest.raises(BadInput, match=message.replace("(", r"\(").replace(")", r"\)")):
        _text(rules, head + "\n" + BODY)


@pytest.mark.parametrize(
    ("opening", "date", "basis", "source"),
    [
        ("GENEVA, January 21, 2022 (Reuters) - ", "2022-01-21", "stated", "Reuters"),
        ("MOSCOW, Dec 17 (Reuters) - ", "2021-12-17", "inferred", "Reuters"),
        ("December 1, 2021 /TASS/. ", "2021-12-01", "stated", "TASS"),
        ("MOSCOW, January 14. /TASS/. ", "2022-01-14", "inferred", "TASS"),
        ("BRUSSELS, January 4. / TASS /: ", "2022-01-04", "inferred", "TASS"),
        ("KYIV, 12 February 2022 (Ukrinform) \u2014 ", "2022-02-12", "stated", "Ukrinform"),
        ("WASHINGTON, Jan. 26 (AP) \u2014 ", "2022-01-26", "inferred", "AP"),
        ("VIENNA (TASS): ", None, "unknown", "TASS"),
        ("(CNN) -- ", None, "unknown", "CNN"),
        ("LONDON (Daily Gazette) - ", None, "unknown", None),
        ("Moscow said on January 14 (local time) that ", None, "unknown", None),
        ("GENEVA, February 30, 2022 (Reuters) - ", None, "unknown", "Reuters"),
    ],
)
def test_a_wire_dateline_gives_date_and_source(
    rules, opening: str, date: str | None, basis: str, source: str | None
) -> None:
    art = analyse(opening + BODY, rules)
    assert (art.date, art.date_basis, art.source) == (date, basis, source)
    assert art.body.startswith(opening.strip()), "the dateline stays in the text"


def test_a_dateline_after_a_standfirst_is_found(rules) -> None:
    raw = "Talks resume\n\nThe envoys will meet again, officials say.\n\n"
    raw += "MOSCOW, January 14. /TASS/. " + BODY
    art = analyse(raw, rules)
    assert (art.date, art.source) == ("2022-01-14", "TASS")


def test_front_matter_and_the_user_win_over_the_dateline(rules) -> None:
    raw = "Source: Example Daily\nDate: 2022-01-22\n\nGENEVA, January 21, 2022 (Reuters) - " + BODY
    art = _text(rules, raw)
    assert (art.source, art.date) == ("Example Daily", "2022-01-22")
    given = ArticleMeta(source="My Notes", date="2022-01-23", date_basis="stated")
    art = analyse_document(raw, "text", rules, given)
    assert (art.source, art.date) == ("My Notes", "2022-01-23")


def test_wire_services_and_years_are_rules_a_user_extends(tmp_path: Path) -> None:
    from newsbrowse.store.rule_files import fixture_path

    data = json.loads(fixture_path("cleaning.json").read_text(encoding="utf-8"))
    data["wire_services"]["Baltic News Service"] = ["BNS"]
    data["dateline_years"] = {"from": "2022-06-01", "to": "2023-05-31"}
    leads = LeadDatelines.from_dict(data)
    months = {"jan": 1, "dec": 12}
    found = leads.find("RIGA (BNS) - Officials met.", months)
    assert found.source == "Baltic News Service"
    found = leads.find("MOSCOW, Dec 17 (Reuters) - Officials met.", months)
    assert (found.date, found.date_basis) == ("2022-12-17", "inferred")


def test_a_bad_lead_dateline_rule_is_one_error() -> None:
    with pytest.raises(BadInput, match="lead dateline 'x' has a bad pattern"):
        LeadDatelines.from_dict({"lead_datelines": [{"name": "x", "pattern": "("}]})
    with pytest.raises(BadInput, match="has no day or source group"):
        LeadDatelines.from_dict({"lead_datelines": [{"name": "x", "pattern": "^a"}]})


def test_imported_files_keep_what_they_say(library: Library, tmp_path: Path) -> None:
    path = tmp_path / "lavrov.md"
    path.write_text("Source: Example Daily\nURL: https://example.org/x\n\n" + BODY, "utf-8")
    [result] = library.import_paths([path])
    summary = library.summaries([result.id])[result.id]
    assert (summary.source, summary.url) == ("Example Daily", "https://example.org/x")


def test_a_field_loses_its_tags_and_keeps_its_words() -> None:
    from newsbrowse.store.meta_fields import tidy_field

    assert tidy_field("<b>Russia</b> <-> NATO: 3 < 4\n\x1b[0m") == "Russia <-> NATO: 3 < 4 [0m"
    assert tidy_field(" \t ") is None and tidy_field(42) is None
    assert len(tidy_field("word " * 200) or "") == 300
