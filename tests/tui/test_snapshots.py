"""Snapshots of the screens a user sees, one per state (pytest-textual-snapshot).

Deterministic by construction: the seeds in a fresh home, a fixed home label, no clock,
no cursor blink, and the export path fixed. Regenerate with ``--snapshot-update`` and
look at the SVGs before committing them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from newsbrowse.store.library import Library
from newsbrowse.tui.app import NewsbrowseApp
from newsbrowse.tui.screens.demand import DemandScreen
from newsbrowse.tui.screens.export import ExportScreen
from textual.pilot import Pilot
from textual.widgets import Input

Before = Callable[[Pilot], Awaitable[None]]


@pytest.fixture
def app(library: Library, make_app: Callable[[Library], NewsbrowseApp]) -> NewsbrowseApp:
    library.clear_selection()
    built = make_app(library)
    built.cursor_blink = False
    return built


async def _settle(pilot: Pilot) -> None:
    await pilot.pause()
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()


async def quote_under_cursor(pilot: Pilot) -> None:
    """The first article open, its third quote under the cursor, the second selected."""
    await pilot.press("enter", "right_square_bracket", "right_square_bracket", "space")
    await pilot.press("right_square_bracket")
    await _settle(pilot)


def test_main_screen_120x40(snap_compare: Callable[..., bool], app: NewsbrowseApp) -> None:
    assert snap_compare(app, terminal_size=(120, 40), run_before=quote_under_cursor)


def test_main_screen_80x24(snap_compare: Callable[..., bool], app: NewsbrowseApp) -> None:
    assert snap_compare(app, terminal_size=(80, 24), run_before=quote_under_cursor)


def test_first_screen_120x40(snap_compare: Callable[..., bool], app: NewsbrowseApp) -> None:
    """What a new user sees on launch: the first article previewed, the list focused."""
    assert snap_compare(app, terminal_size=(120, 40), run_before=_settle)


def test_help_screen(snap_compare: Callable[..., bool], app: NewsbrowseApp) -> None:
    async def open_help(pilot: Pilot) -> None:
        await pilot.press("enter", "question_mark")
        await _settle(pilot)

    assert snap_compare(app, terminal_size=(100, 34), run_before=open_help)


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
def test_export_dialog(
    snap_compare: Callable[..., bool], app: NewsbrowseApp, size: tuple[int, int]
) -> None:
    async def open_export(pilot: Pilot) -> None:
        await pilot.press("enter", "right_square_bracket", "space", "e")
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, ExportScreen)
        screen.query_one(Input).value = str(Path("/exports/quotes.md"))
        await _settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=open_export)


def test_demands_panel_expanded(snap_compare: Callable[..., bool], app: NewsbrowseApp) -> None:
    async def expand(pilot: Pilot) -> None:
        await pilot.press("tab", "tab", "space", "down", "down")
        await _settle(pilot)

    assert snap_compare(app, terminal_size=(120, 40), run_before=expand)


@pytest.mark.parametrize("submit", [False, True], ids=["prompt", "no-such-file"])
def test_import_dialog(snap_compare: Callable[..., bool], app: NewsbrowseApp, submit: bool) -> None:
    """The path prompt of `i`, and the one line it shows when the path names no file."""

    async def open_import(pilot: Pilot) -> None:
        await pilot.press("i")
        await pilot.pause()
        pilot.app.screen.query_one(Input).value = "/no/such/folder/geneva-talks.txt"
        if submit:
            await pilot.press("enter")
            await pilot.app.workers.wait_for_complete()
        await _settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=open_import)


def test_demand_view(snap_compare: Callable[..., bool], app: NewsbrowseApp) -> None:
    """One demand on the whole screen: Russia's statements beside the replies, the cursor
    on the second reply."""

    async def open_view(pilot: Pilot) -> None:
        await pilot.press("tab", "tab", "enter", "right", "down")
        await _settle(pilot)
        assert isinstance(pilot.app.screen, DemandScreen)

    assert snap_compare(app, terminal_size=(120, 34), run_before=open_view)


def test_matrix_screen(snap_compare: Callable[..., bool], app: NewsbrowseApp) -> None:
    """Every demand's counts, the cursor on the first reply stance of the first demand."""

    async def open_matrix(pilot: Pilot) -> None:
        await pilot.press("M", "right")
        await _settle(pilot)

    assert snap_compare(app, terminal_size=(120, 24), run_before=open_matrix)
