"""Snapshots of the analyst's last word (issue 16), in the dark and the light theme: the
selection view (a corrected speaker, a note, the keys to move and remove), the speaker
dialog, a link's dialog, the note dialog and the selection sets."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from newsbrowse.store.library import Library
from newsbrowse.tui.app import THEMES, NewsbrowseApp
from textual.pilot import Pilot

Before = Callable[[Pilot], Awaitable[None]]


@pytest.fixture
def app(library: Library, make_app: Callable[[Library], NewsbrowseApp]) -> NewsbrowseApp:
    first, second = library.quotes(speaker="putin")[:2]
    library.select(first.id)
    library.select(second.id)
    library.correct_quote(second.id, speaker="Dmitry Peskov")
    library.add_note(first.id, "the open door, in his words")
    built = make_app(library)
    built.cursor_blink = False
    return built


async def _settle(pilot: Pilot) -> None:
    await pilot.pause()
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()


def _then(theme: str, *keys: str) -> Before:
    async def run(pilot: Pilot) -> None:
        pilot.app.theme = theme
        await pilot.press(*keys)
        await _settle(pilot)

    return run


OPENED = ("enter", "right_square_bracket")
STATES = {
    "selection": ("l",),
    "speaker": (*OPENED, "w"),
    "link": ("enter", "right_curly_bracket", "g"),
    "note": (*OPENED, "m"),
    "sets": ("L",),
}


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("state", list(STATES))
def test_correction_screens(
    snap_compare: Callable[..., bool], app: NewsbrowseApp, state: str, theme: str
) -> None:
    assert snap_compare(app, terminal_size=(120, 34), run_before=_then(theme, *STATES[state]))
