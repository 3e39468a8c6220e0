"""One wording for a date, a side, a stance and a speaker, and one colour per side's role,
in the command line's tables and in the app's panes alike."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from newsbrowse.store.labels import (
    DEMAND_MARK,
    date_label,
    link_stance_label,
    side_abbreviation,
    side_label,
    side_role,
    speaker_label,
    stance_label,
)
from newsbrowse.store.library import Library
from newsbrowse.tui import cli
from newsbrowse.tui.app import NewsbrowseApp
from newsbrowse.tui.commands import ArticleCommands
from newsbrowse.tui.labels import ROLE_COLOURS, side_component, side_style
from newsbrowse.tui.widgets.article_rows import article_prompt
from newsbrowse.tui.widgets.demand_labels import article_label
from newsbrowse.tui.widgets.quote_info import quote_info_text
from newsbrowse.tui.widgets.reader import Reader

MakeApp = Callable[[Library], NewsbrowseApp]


def test_the_words() -> None:
    assert date_label("2021-12-17", "inferred") == "~2021-12-17"
    assert date_label("2022-02-21", "stated") == "2022-02-21"
    assert date_label(None, "unknown") == "undated"
    assert speaker_label(None) == "unknown speaker" and speaker_label("Ned Price") == "Ned Price"
    assert stance_label("rejects") == "✗ rejects" and stance_label(None) == "· neutral"
    assert side_abbreviation("US/NATO") == "US" and side_abbreviation("Russia") == "R"


def test_sides_are_written_and_coloured_by_their_role_in_the_codebook(library: Library) -> None:
    sides = library.codebook.sides
    assert {s.role for s in sides} == {"demanding", "answering", "other"}
    for side in sides:
        assert side_label(side.slug, sides) == side.label
        assert side_role(side.slug, sides) == side.role
        # the CLI's colour and the reader's class are the same role's
        assert side_style(side.slug, sides) == ROLE_COLOURS[side.role].terminal
        assert side_component(side.slug, sides) == f"reader--{side.role}"
    assert side_label("unknown", sides) == "unknown side"
    assert side_component("unknown", sides) == side_component("other", sides)
    assert side_style("unknown", sides) == ROLE_COLOURS["other"].terminal
    demanding = library.codebook.demanding
    assert link_stance_label(demanding, None, sides) == DEMAND_MARK
    assert link_stance_label(library.codebook.answering, None, sides) == "· neutral"


@pytest.fixture
def inferred(library: Library) -> tuple[str, str]:
    """An article whose date is inferred from events, and that date as every screen writes it."""
    summary = next(s for s in library.articles() if s.date_basis == "inferred")
    assert summary.date
    return summary.id, f"~{summary.date}"


def test_the_command_line_writes_a_date_as_the_app_does(
    library: Library, inferred: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    article_id, written = inferred
    summary = library.summaries([article_id])[article_id]
    assert cli.main(["--home", str(library.home), "list"]) == 0
    listed = capsys.readouterr().out
    assert f" {written} " in listed and "~ date inferred from events" in listed
    assert cli.main(["--home", str(library.home), "show", article_id]) == 0
    assert f"{written} · date inferred from events" in capsys.readouterr().out
    assert written in article_prompt(summary, current=False, read=False).plain
    assert written in article_label(summary)
    assert written in ArticleCommands._candidate(summary)


async def test_the_reader_and_the_quote_line_write_them_as_the_tables_do(
    library: Library, make_app: MakeApp, inferred: tuple[str, str]
) -> None:
    article_id, written = inferred
    article = library.article(article_id)
    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_article(article_id)
        await pilot.pause()
        assert f"{written} · date inferred from events" in app.query_one(Reader).text.plain
    sides = library.codebook.sides
    for quote in article.quotes:
        line = quote_info_text(quote, False, 0, sides).plain
        assert f"{speaker_label(quote.speaker)} · {side_label(quote.side, sides)}" in line
