"""Citations a reference manager takes: CSL-JSON, RIS and BibTeX, each parsed back by a
library that reads the format; and what every format cites alike (the side's word, the
inferred-date mark, the demands and stance, the quotation without its trailing comma,
single marks inside a quoted title)."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import bibtexparser
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle
from citeproc import formatter as citeproc_formatter
from citeproc.source.json import CiteProcJSON
from newsbrowse.store.citations import cited_title, paragraph_of, quotation
from newsbrowse.store.export import FORMATS, export_text
from newsbrowse.store.fixtures import fixture_articles
from newsbrowse.store.library import Library
from newsbrowse.store.model import Article
from newsbrowse.tui import cli

from tests.conftest import build_article

TITLE = 'Allies say \u201cno\u201d to 50% & {more} of the "drafts"'
BODY = (
    "Washington answered on Monday.\n\n"
    "\u201cWe will not accept a veto on the open door,\u201d said Jen Psaki. "
    "The hotline, she said, was \u201cworth discussing in the right format:\u201d nothing more.\n"
)
QUOTES = (
    ("We will not accept a veto on the open door,", "Jen Psaki", "us_nato"),
    ("worth discussing in the right format:", None, "unknown"),
)
LINKS = (
    ("We will not accept a veto on the open door,", "no-enlargement", "us_nato", "rejects"),
    ("worth discussing in the right format:", "hotline", "us_nato", "conditional"),
)
REFERENCE_FORMATS = ("md", "csl-json", "ris", "bibtex")


@pytest.fixture
def reply(add_article: Callable[..., Article]) -> Article:
    """An article with a title holding marks and TeX specials, and two quotes that end
    with the reporting clause's comma and colon."""
    return add_article(
        BODY,
        title=TITLE,
        source="Test Wire",
        date="2022-01-26",
        date_basis="inferred",
        quotes=QUOTES,
        links=LINKS,
    )


# CSL-JSON -----------------------------------------------------------------------------------
def test_csl_json_is_a_newspaper_article_with_the_quote_in_note(
    library: Library, reply: Article
) -> None:
    first, second = json.loads(export_text(library, reply.quotes, "csl-json"))
    assert first["id"] == reply.quotes[0].id and first["type"] == "article-newspaper"
    assert first["title"] == "Allies say \u2018no\u2019 to 50% & {more} of the 'drafts'"
    assert first["container-title"] == "Test Wire"
    assert first["issued"] == {"date-parts": [[2022, 1, 26]], "circa": True}
    assert first["locator"] == "2" and first["label"] == "paragraph"
    assert first["note"].startswith("\u201cWe will not accept a veto on the open door\u201d\n")
    assert "Jen Psaki (US/NATO)" in first["note"] and "2022-01-26 (inferred)" in first["note"]
    assert "Demands: No NATO enlargement (rejects)" in first["note"]
    assert first["keyword"] == "No NATO enlargement"
    assert second["note"].startswith("\u201cworth discussing in the right format\u201d\n")
    assert "Unknown speaker (unknown side)" in second["note"]
    assert "Moscow-NATO hotline (conditional)" in second["note"]
    assert "URL" not in first  # none known: none invented


@pytest.mark.filterwarnings("ignore:The following arguments for Reference:UserWarning")
def test_csl_json_is_read_and_rendered_by_citeproc(library: Library, reply: Article) -> None:
    items = json.loads(export_text(library, reply.quotes[:1], "csl-json"))
    source = CiteProcJSON(items)
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(style, source, citeproc_formatter.plain)
    bibliography.register(Citation([CitationItem(reply.quotes[0].id)]))
    (entry,) = [str(item) for item in bibliography.bibliography()]
    assert "Allies say \u2018no\u2019 to 50% & {more}" in entry
    assert "Test Wire" in entry and "2022" in entry


# RIS ----------------------------------------------------------------------------------------
def test_ris_is_read_back_by_rispy(library: Library, reply: Article) -> None:
    text = export_text(library, reply.quotes, "ris")
    assert text.startswith("TY  - NEWS\n")  # no numbered header before a record
    first, second = rispy.loads(text)
    assert first["type_of_reference"] == "NEWS" and first["id"] == reply.quotes[0].id
    assert first["title"] == cited_title(TITLE)
    assert first["secondary_title"] == "Test Wire"
    assert first["year"] == "2022" and first["date"] == "2022/01/26/inferred"
    assert first["notes"][0] == "\u201cWe will not accept a veto on the open door\u201d"
    assert "Jen Psaki (US/NATO)" in first["notes"][1] and "(inferred)" in first["notes"][1]
    assert first["keywords"] == ["No NATO enlargement"]
    assert first["start_page"] == "para. 2"
    assert second["notes"][2] == "Demands: Moscow-NATO hotline (conditional)"


def test_ris_keeps_each_value_on_one_line(library: Library, add_article) -> None:
    art = add_article(
        "Someone said \u201cline one\nline two of it\u201d.",
        title="Two\nlines",
        quotes=[("line one\nline two of it", None, "unknown")],
    )
    (entry,) = rispy.loads(export_text(library, art.quotes, "ris"))
    assert entry["title"] == "Two lines"
    assert entry["notes"][0] == "\u201cline one line two of it\u201d"


def test_every_reference_format_says_whose_attribution_it_is_with_the_note(
    library: Library, reply: Article
) -> None:
    psaki, unknown = reply.quotes
    library.correct_quote(psaki.id, checked=True)
    library.correct_quote(unknown.id, speaker="Ned Price", side="us_nato")
    library.add_note(unknown.id, "Said off the record")
    quotes = [library.quote(q.id) for q in reply.quotes]
    first, second = json.loads(export_text(library, quotes, "csl-json"))
    assert "(attribution checked)" in first["note"] and "Note:" not in first["note"]
    assert "Ned Price (US/NATO)" in second["note"]
    assert "(attribution corrected)" in second["note"]
    assert "Note: Said off the record" in second["note"]
    _, entry = rispy.loads(export_text(library, quotes, "ris"))
    assert entry["notes"][1].endswith("(attribution corrected)")
    assert "Note: Said off the record" in entry["notes"]
    parsed = bibtexparser.parse_string(
        export_text(library, quotes, "bibtex"), append_middleware=[LatexDecodingMiddleware()]
    )
    note = parsed.entries[1].fields_dict["note"].value
    assert "(attribution corrected)" in note and "Note: Said off the record" in note


# BibTeX -------------------------------------------------------------------------------------
def test_bibtex_is_read_back_by_bibtexparser(library: Library, reply: Article) -> None:
    text = export_text(library, reply.quotes, "bibtex")
    parsed = bibtexparser.parse_string(text, append_middleware=[LatexDecodingMiddleware()])
    assert not parsed.failed_blocks
    first, second = parsed.entries
    assert first.entry_type == "article" and first.key == reply.quotes[0].id
    fields = {f.key: f.value for f in first.fields}
    assert fields["title"] == cited_title(TITLE)  # % & { } survive as TeX, read back whole
    assert fields["journal"] == "Test Wire"
    assert (fields["year"], fields["month"], fields["date"]) == ("2022", "1", "2022-01-26")
    assert fields["note"].startswith("\u201cWe will not accept a veto on the open door\u201d\n")
    assert "Jen Psaki (US/NATO)" in fields["note"] and "(inferred)" in fields["note"]
    assert fields["keywords"] == "No NATO enlargement" and fields["pages"] == "para. 2"
    assert "Moscow-NATO hotline (conditional)" in second.fields_dict["note"].value


def test_bibtex_leaves_a_url_verbatim(library: Library) -> None:
    url = "https://example.org/a_b%20c?x=1#top"
    art = replace(build_article(BODY, quotes=QUOTES[:1]), url=url)
    library.corpus.add([art])
    text = export_text(library, art.quotes, "bibtex")
    assert f"url = {{{url}}}" in text  # biblatex reads a url verbatim: no \\_ nor \\%
    (entry,) = bibtexparser.parse_string(text).entries
    assert entry.fields_dict["url"].value == url


# every format alike ------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", REFERENCE_FORMATS)
def test_every_cited_format_uses_the_sides_word_and_the_inferred_mark(
    library: Library, reply: Article, fmt: str
) -> None:
    text = export_text(library, reply.quotes, fmt)
    assert "US/NATO" in text and "us_nato" not in text
    assert "2022-01-26 (inferred)" in text
    assert "[inferred]" not in text
    assert "rejects" in text and "conditional" in text
    assert "open door," not in text and "right format:" not in text


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_json_and_csv_keep_the_exact_span_beside_the_quotation(
    library: Library, reply: Article, fmt: str
) -> None:
    text = export_text(library, reply.quotes, fmt)
    rows = json.loads(text) if fmt == "json" else list(csv.DictReader(io.StringIO(text)))
    first = rows[0]
    assert first["text"] == QUOTES[0][0]
    assert first["quotation"] == "We will not accept a veto on the open door"
    assert int(first["start"]) == reply.quotes[0].start
    assert first["side_label"] == "US/NATO" and first["side"] == "us_nato"
    assert str(first["paragraph"]) == "2"
    assert "2022-01-26 (inferred)" in first["citation"]
    assert "\u2018no\u2019" in first["citation"] and first["title"] == TITLE
    if fmt == "json":
        assert first["demands"] == [
            {"demand": "no-enlargement", "title": "No NATO enlargement", "stance": "rejects"}
        ]
    else:
        assert first["demands"] == "No NATO enlargement (rejects)"


def test_a_demanding_sides_link_is_cited_as_a_demand(library: Library, sample: Article) -> None:
    (record,) = json.loads(export_text(library, sample.quotes[:1], "json"))
    assert record["demands"][0]["stance"] == "demands"
    assert record["side_label"] == "Russia"


def test_quotation_title_and_paragraph_helpers() -> None:
    assert quotation("we are ready, ") == "we are ready"
    assert quotation("as follows:") == "as follows"
    assert quotation("Done.") == "Done."
    assert cited_title("talks \u201ceven tomorrow\u201d") == "talks \u2018even tomorrow\u2019"
    assert paragraph_of("one\n\ntwo\n \nthree", 0) == 1
    assert paragraph_of("one\n\ntwo\n \nthree", 12) == 3


# the command line and the seeds ------------------------------------------------------------
@pytest.mark.parametrize(
    ("fmt", "parse"),
    [
        ("csl-json", json.loads),
        ("ris", rispy.loads),
        ("bibtex", lambda t: bibtexparser.parse_string(t).entries),
    ],
)
def test_export_command_writes_each_reference_format(
    seeded_home: Path, capsys: pytest.CaptureFixture[str], fmt: str, parse
) -> None:
    assert cli.main(["--home", str(seeded_home), "export", "--format", fmt]) == 0
    records = parse(capsys.readouterr().out)
    assert len(records) == 20


def test_export_command_takes_the_format_from_a_bib_or_ris_file(
    seeded_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    checks = [("out.bib", "@article{"), ("out.ris", "TY  - NEWS"), ("out.csl.json", '"type"')]
    for name, first in checks:
        assert cli.main(["--home", str(seeded_home), "export", "-o", str(tmp_path / name)]) == 0
        text = (tmp_path / name).read_text(encoding="utf-8")
        assert text.startswith(first) if first.startswith(("@", "TY")) else first in text
        if name.endswith(".csl.json"):
            assert json.loads(text)[0]["type"] == "article-newspaper"
    capsys.readouterr()
    assert cli.main(["--home", str(seeded_home), "export", "--format", "endnote"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "csl-json" in err and "Traceback" not in err


def test_every_format_is_offered_by_the_command() -> None:
    assert set(FORMATS) == {"md", "csv", "json", "csl-json", "ris", "bibtex"}


def test_seed_sources_are_named_in_their_texts_and_no_url_is_invented() -> None:
    seeds = fixture_articles()
    named = {seed.path.name[:3]: seed.meta.source for seed in seeds}
    assert named["000"] == "Daily Post" and named["002"] == "Brasov-Romania News"
    for seed in seeds:
        text = seed.path.read_text(encoding="utf-8")
        if seed.meta.source:
            assert re.sub(r"\s+", " ", text).find(seed.meta.source) >= 0, seed.path.name
        if seed.meta.url:
            assert seed.meta.url in text
