"""A path pasted into the export dialog lands whole in its field: as one paste event, or
as a burst of keys (a terminal without bracketed paste), whatever has the focus; the
Enter after it exports there, and nothing of it reaches the main screen (``q`` quit)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from newsbrowse.store.library import Library
from newsbrowse.tui.app import NewsbrowseApp
from newsbrowse.tui.screens.export import ExportRequest, ExportScreen
from textual import events
from textual.widgets import Input

from tests.tui.test_export_screen import DialogHost, path_of


async def test_a_paste_on_the_format_row_fills_the_path(tmp_path: Path) -> None:
    app = DialogHost(2, tmp_path)
    target = tmp_path / "pasted quotes.csv"
    async with app.run_test() as pilot:
        await pilot.pause()
        assert not isinstance(app.focused, Input)
        app.focused.post_message(events.Paste(f"{target}\n"))
        await pilot.pause()
        assert path_of(app) == str(target)
        assert isinstance(app.focused, Input)
        await pilot.press("enter")
        await pilot.pause()
    assert app.results == [ExportRequest("md", target)]


async def test_a_path_typed_as_a_burst_of_keys_lands_whole(tmp_path: Path) -> None:
    app = DialogHost(2, tmp_path)
    target = tmp_path / "mcj-quit.json"
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press(*str(target), "enter")  # m, c, j and q inside the path
        await pilot.pause()
    assert app.results == [ExportRequest("md", target)]


async def test_the_app_exports_there_and_does_not_quit(
    library: Library, make_app: Callable[[Library], NewsbrowseApp], tmp_path: Path
) -> None:
    library.select(library.quotes()[0].id)
    app = make_app(library)
    target = tmp_path / "quick-quotes.md"
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        await pilot.press(*str(target), "enter")  # "q" and "u" inside the path
        await pilot.pause()
        assert app.is_running and not isinstance(app.screen, ExportScreen)
    assert target.read_text(encoding="utf-8").startswith("> ")
