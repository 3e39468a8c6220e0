"""The selection view (``l``): the selected quotes in selection order, as corrected; enter
opens the article at the quote, escape closes."""

from __future__ import annotations

from collections.abc import Callable

from newsbrowse.store.labels import CORRECTED_MARK
from newsbrowse.store.library import Library
from newsbrowse.tui.app import NewsbrowseApp
from newsbrowse.tui.screens.selection import SelectionScreen
from newsbrowse.tui.widgets.reader import Reader
from textual.widgets import OptionList


async def test_l_lists_the_selection_and_enter_opens_a_quote(
    library: Library, make_app: Callable[[Library], NewsbrowseApp]
) -> None:
    first, second = library.quotes(speaker="psaki")[0], library.quotes(speaker="putin")[2]
    library.select(first.id)
    library.select(second.id)
    library.correct_quote(second.id, speaker="Dmitry Peskov")
    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, SelectionScreen)
        options = app.screen.query_one(OptionList)
        rows = [options.get_option_at_index(i) for i in range(options.option_count)]
        assert [row.id for row in rows] == [first.id, second.id]
        assert f"Dmitry Peskov (Russia) {CORRECTED_MARK}" in rows[1].prompt.plain
        await pilot.press("down", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, SelectionScreen)
        reader = app.query_one(Reader)
        assert reader.article.id == second.article_id
        assert reader.current_quote.id == second.id and app.focused is reader
        await pilot.press("l")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, SelectionScreen) and app.is_running


async def test_an_empty_selection_says_how_to_select(
    library: Library, make_app: Callable[[Library], NewsbrowseApp]
) -> None:
    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, SelectionScreen)
        assert "0 selected quotes" in str(app.screen.query_one("#selection-title").render())


async def test_the_selection_is_reordered_and_pruned_and_exports_follow_its_order(
    library: Library, make_app: Callable[[Library], NewsbrowseApp]
) -> None:
    from newsbrowse.store.export import export_text

    quotes = library.quotes(speaker="putin")[:3]
    for q in quotes:
        library.select(q.id)
    library.add_note(quotes[2].id, "the open door")
    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("l")
        await pilot.pause()
        options = app.screen.query_one(OptionList)

        def shown() -> list[str]:
            return [options.get_option_at_index(i).id for i in range(options.option_count)]

        assert "note: the open door" in options.get_option_at_index(2).prompt.plain
        await pilot.press("shift+down")
        await pilot.pause()
        order = [quotes[1].id, quotes[0].id, quotes[2].id]
        assert shown() == order and library.selected_ids() == order
        assert options.highlighted == 1  # the cursor follows the moved quote
        await pilot.press("J")
        await pilot.pause()
        order = [quotes[1].id, quotes[2].id, quotes[0].id]
        assert library.selected_ids() == order
        await pilot.press("J")  # already last: nothing moves
        await pilot.pause()
        assert library.selected_ids() == order
        md = export_text(library, library.selected_quotes(), "md")
        assert [md.index(library.quote(i).text[:40]) for i in order] == sorted(
            md.index(library.quote(i).text[:40]) for i in order
        )
        await pilot.press("up", "x")
        await pilot.pause()
        assert library.selected_ids() == [quotes[1].id, quotes[0].id] == shown()
        assert "2 selected" in app.sub_title
        await pilot.press("x", "x")
        await pilot.pause()
        assert library.selected_ids() == []
        assert app.screen.query_one("#selection-empty").display


async def test_L_makes_switches_renames_and_deletes_selection_sets(
    library: Library, make_app: Callable[[Library], NewsbrowseApp]
) -> None:
    from newsbrowse.tui.screens.sets import SetsScreen

    quote = library.quotes(speaker="putin")[0]
    library.select(quote.id)
    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("L")
        await pilot.pause()
        assert isinstance(app.screen, SetsScreen)
        await pilot.press("n", *"Lavrov on the open door", "enter")
        await pilot.pause()
        assert library.current_set() == "Lavrov on the open door"
        assert library.selected_ids() == []
        assert "0 selected in Lavrov on the open door" in app.sub_title
        options = app.screen.query_one(OptionList)
        assert [options.get_option_at_index(i).id for i in range(2)] == [
            "default",
            "Lavrov on the open door",
        ]
        await pilot.press("r")
        await pilot.pause()
        app.screen.query_one("#set-name").value = ""
        await pilot.press(*"Open door", "enter")
        await pilot.pause()
        assert library.selection_sets() == [("default", 1), ("Open door", 0)]
        await pilot.press("up", "enter")
        await pilot.pause()
        assert library.current_set() == "default"
        assert app.query_one(Reader)._selected == {quote.id}
        await pilot.press("down", "x")
        await pilot.pause()
        assert library.selection_sets() == [("default", 1)]
        await pilot.press("x")  # the only set: refused, kept
        await pilot.pause()
        assert library.selection_sets() == [("default", 1)]
        await pilot.press("escape", "l")
        await pilot.pause()
        assert isinstance(app.screen, SelectionScreen)
