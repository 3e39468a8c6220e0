"""The reader's correction keys (issue 16): w speaker, s side, x not a quote, v checked.

The reader posts :class:`CorrectionAsked`; the app asks in a dialog, stores the
correction in user.json and redraws the article as corrected, the cursor in place.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from newsbrowse.store.library import Library
from newsbrowse.tui.app import NewsbrowseApp
from newsbrowse.tui.screens.correct import SideScreen, SpeakerScreen
from newsbrowse.tui.widgets.correction_keys import CorrectionAsked
from newsbrowse.tui.widgets.quote_info import QuoteInfo
from newsbrowse.tui.widgets.reader import Reader
from rich.style import Style
from textual.widgets import Input, OptionList

MakeApp = Callable[[Library], NewsbrowseApp]


def _most_quoted(library: Library) -> str:
    return max(library.articles(), key=lambda s: s.quote_count).id


async def _on_second_quote(app: NewsbrowseApp, pilot, library: Library) -> Reader:
    app.open_article(_most_quoted(library))
    reader = app.query_one(Reader)
    reader.focus()
    await pilot.press("right_square_bracket", "right_square_bracket")
    await pilot.pause()
    return reader


async def test_w_corrects_the_speaker_with_the_stores_speakers_suggested(
    library: Library, make_app: MakeApp
) -> None:
    app = make_app(library)
    posted: list[CorrectionAsked] = []

    def hook(message: object) -> None:
        if isinstance(message, CorrectionAsked):
            posted.append(message)

    async with app.run_test(size=(120, 40), message_hook=hook) as pilot:
        reader = await _on_second_quote(app, pilot, library)
        quote = reader.current_quote
        await pilot.press("w")
        await pilot.pause()
        assert posted and posted[0].what == "speaker" and posted[0].quote == quote
        assert isinstance(app.screen, SpeakerScreen)
        assert "Jen Psaki" in app.screen.speakers
        field = app.screen.query_one(Input)
        field.value = ""
        await pilot.press(*"Jen Ps")
        await pilot.press("right")  # takes the suggestion
        await pilot.pause()
        assert field.value == "Jen Psaki"
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, SpeakerScreen)
        assert library.quote(quote.id).speaker == "Jen Psaki"
        assert library.quote(quote.id).corrected
        assert reader.current_quote.id == quote.id and reader.current_quote.speaker == "Jen Psaki"
        info = str(app.query_one(QuoteInfo).render())
        assert "Jen Psaki" in info and "corrected" in info


async def test_a_new_name_is_taken_and_escape_changes_nothing(
    library: Library, make_app: MakeApp
) -> None:
    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        reader = await _on_second_quote(app, pilot, library)
        quote = reader.current_quote
        await pilot.press("w")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert library.corrections() == []
        await pilot.press("w")
        await pilot.pause()
        app.screen.query_one(Input).value = ""
        await pilot.press(*"Ann Newname", "enter")
        await pilot.pause()
        assert library.quote(quote.id).speaker == "Ann Newname"
        assert "Ann Newname" in library.speakers()


async def test_s_chooses_the_side_from_the_codebook(library: Library, make_app: MakeApp) -> None:
    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        reader = await _on_second_quote(app, pilot, library)
        quote = reader.current_quote
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, SideScreen)
        options = app.screen.query_one(OptionList)
        slugs = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert slugs == list(library.sides)
        assert slugs[options.highlighted] == quote.side
        target = next(s for s in slugs if s != quote.side)
        options.highlighted = slugs.index(target)
        await pilot.press("enter")
        await pilot.pause()
        assert library.quote(quote.id).side == target
        assert reader.current_quote.side == target and reader.current_quote.corrected


async def test_x_strikes_the_quote_and_v_marks_it_checked(
    library: Library, make_app: MakeApp
) -> None:
    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        reader = await _on_second_quote(app, pilot, library)
        first = reader.article.quotes[0]
        quote = reader.current_quote
        following = reader.article.quotes[2]
        count = len(reader.article.quotes)
        await pilot.press("v")
        await pilot.pause()
        assert library.quote(quote.id).checked and reader.current_quote.checked
        assert "checked" in str(app.query_one(QuoteInfo).render())
        await pilot.press("x")
        await pilot.pause()
        assert quote.id not in {q.id for q in library.quotes()}
        assert len(reader.article.quotes) == count - 1
        assert reader.current_quote.id == following.id  # the cursor stays in its place
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert reader.current_quote.id == first.id
        kinds = [r.correction.kind for r in library.corrections()]
        assert kinds == ["checked", "not_quote"]


@pytest.mark.parametrize("width", [100, 120, 180])  # narrow rows, and the wide ones
async def test_the_demands_panel_shows_a_corrected_link_where_it_now_belongs(
    library: Library, tmp_path, width: int
) -> None:
    from newsbrowse.store.labels import CORRECTED_MARK
    from newsbrowse.tui.widgets.demands import DemandsPanel

    from tests.tui.test_demands import host, open_demand, plain_lines

    link = library.links(demand="talks")[0]
    library.correct_link(link.id, demand="hotline")
    app = host(library)
    async with app.run_test(size=(width, 40), message_hook=app.hook) as pilot:
        await pilot.pause()
        panel = app.query_one(DemandsPanel)
        await open_demand(pilot, panel, "hotline")
        await pilot.pause()
        marked = [line for line in plain_lines(panel) if CORRECTED_MARK in line]
        assert len(marked) == 1
        items = [n for n in panel.root.children if n.data and n.data.slug == "hotline"]
        drawn = [
            panel.render_label(item, Style(), Style()).plain
            for side in items[0].children
            for item in side.children
        ]
        assert sum(line.startswith(f"{CORRECTED_MARK} ") for line in drawn) == 1  # at any width


async def test_a_note_is_shown_under_the_reader(library: Library, make_app: MakeApp) -> None:
    article = library.article(_most_quoted(library))
    library.add_note(article.quotes[1].id, "see TASS")
    app = make_app(library)
    async with app.run_test(size=(220, 40)) as pilot:
        reader = await _on_second_quote(app, pilot, library)
        assert reader.current_quote.note == "see TASS"
        assert "note: see TASS" in str(app.query_one(QuoteInfo).render())


async def test_a_search_hit_of_a_corrected_quote_is_marked(library: Library) -> None:
    from newsbrowse.store.labels import CORRECTED_MARK
    from textual.widgets import OptionList

    from tests.tui.test_search_bar import host, search_for

    quote = library.quotes(speaker="psaki")[0]
    library.correct_quote(quote.id, speaker="Ned Price")
    app = host(library)
    async with app.run_test(size=(160, 30), message_hook=app.hook) as pilot:
        bar = await search_for(pilot, "speaker:price")
        at = [h.quote_id for h in bar.hits].index(quote.id)
        row = bar.query_one(OptionList).get_option_at_index(at).prompt
        assert f"Ned Price {CORRECTED_MARK}" in row.plain
        others = [bar.query_one(OptionList).get_option_at_index(i).prompt for i in range(at)]
        assert all(CORRECTED_MARK not in other.plain for other in others)


async def test_a_corrected_quote_is_marked_in_the_text(library: Library, make_app: MakeApp) -> None:
    from newsbrowse.store.labels import CORRECTED_MARK

    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        reader = await _on_second_quote(app, pilot, library)
        quote = reader.current_quote
        assert CORRECTED_MARK not in reader.text.plain
        app.correct_quote(quote, "side", "other")
        await pilot.pause()
        lo, hi = reader.locate(quote.start, quote.end)
        assert reader.text.plain[lo:hi] == quote.text
        assert reader.text.plain[lo - 1] == CORRECTED_MARK
        assert reader.text.plain.count(CORRECTED_MARK) == 1
