"""The demand matrix on screen: counts per demand and stance, each cell opening its items."""

from __future__ import annotations

from collections.abc import Callable

from newsbrowse.store.library import Library
from newsbrowse.store.matrix import demand_matrix
from newsbrowse.tui.app import NewsbrowseApp
from newsbrowse.tui.screens.demand import DemandScreen
from newsbrowse.tui.screens.matrix import MatrixScreen
from newsbrowse.tui.widgets.demand_items import DemandItems
from newsbrowse.tui.widgets.reader import Reader
from textual.coordinate import Coordinate
from textual.pilot import Pilot
from textual.widgets import DataTable

MakeApp = Callable[[Library], NewsbrowseApp]


async def open_matrix(pilot: Pilot) -> DataTable:
    await pilot.press("M")
    await pilot.pause()
    assert isinstance(pilot.app.screen, MatrixScreen)
    return pilot.app.screen.query_one(DataTable)


def cell_at(table: DataTable, slug: str, column: str) -> Coordinate:
    row = table.get_row_index(slug)
    col = next(i for i, c in enumerate(table.ordered_columns) if c.key.value == column)
    return Coordinate(row, col)


async def test_m_shows_every_demands_counts(library: Library, make_app: MakeApp) -> None:
    app = make_app(library)
    matrix = demand_matrix(library.codebook, library.link_counts())
    async with app.run_test(size=(120, 34)) as pilot:
        table = await open_matrix(pilot)
        assert table.row_count == len(library.codebook.demands)
        for row in matrix.rows:
            cells = [str(c) for c in table.get_row(row.slug)]
            stances = [str(row.replies[s]) for s in matrix.stances]
            assert cells == [row.title, str(row.demanded), *stances, str(row.replied)]
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, MatrixScreen)


async def test_a_stance_cell_opens_its_replies_and_an_item_its_article(
    library: Library, make_app: MakeApp
) -> None:
    app = make_app(library)
    wanted = library.links(demand="talks", side=library.codebook.answering, stance="conditional")
    assert wanted
    async with app.run_test(size=(120, 34)) as pilot:
        table = await open_matrix(pilot)
        table.cursor_coordinate = cell_at(table, "talks", "conditional")
        await pilot.press("enter")
        await pilot.pause()
        view = app.screen
        assert isinstance(view, DemandScreen) and view.stance == "conditional"
        _, replies = view.query(DemandItems)
        assert replies.has_focus and replies.shown == wanted
        await pilot.press("escape")  # back to the matrix, the cursor where it was
        await pilot.pause()
        assert isinstance(app.screen, MatrixScreen)
        await pilot.press("enter", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, (MatrixScreen, DemandScreen))
        reader = app.query_one(Reader)
        assert reader.article is not None and reader.article.id == wanted[0].article_id
        assert reader.evidence == (wanted[0].start, wanted[0].end)


async def test_the_demanding_sides_cell_opens_its_statements(
    library: Library, make_app: MakeApp
) -> None:
    app = make_app(library)
    async with app.run_test(size=(120, 34)) as pilot:
        table = await open_matrix(pilot)
        table.cursor_coordinate = cell_at(table, "hotline", "demanded")
        await pilot.press("enter")
        await pilot.pause()
        view = app.screen
        assert isinstance(view, DemandScreen) and view.stance is None
        statements, _ = view.query(DemandItems)
        assert statements.has_focus
        assert statements.shown == library.links(
            demand="hotline", side=library.codebook.demanding, limit=40
        )


async def test_the_palette_opens_the_matrix(library: Library, make_app: MakeApp) -> None:
    app = make_app(library)
    async with app.run_test(size=(120, 34)) as pilot:
        await pilot.press("ctrl+p", *"Demand matrix")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MatrixScreen)
        await pilot.press("slash", "e", "d")  # the hidden panes' keys do nothing here
        await pilot.pause()
        assert isinstance(app.screen, MatrixScreen)
