"""The theme chosen is kept across restarts, in the home's config.json (issue 16)."""

from __future__ import annotations

import json
from collections.abc import Callable

from newsbrowse.store.config import CONFIG, read_config
from newsbrowse.store.library import Library
from newsbrowse.tui.app import NewsbrowseApp


async def test_the_theme_chosen_is_there_at_the_next_start(
    library: Library, make_app: Callable[[Library], NewsbrowseApp]
) -> None:
    path = library.home / CONFIG
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        assert app.theme == "textual-dark"
        assert not path.exists()  # starting writes nothing
        app.action_switch_theme()
        await pilot.pause()
    assert json.loads(path.read_text(encoding="utf-8")) == {"theme": "textual-light"}
    again = make_app(library)
    async with again.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert again.theme == "textual-light"
        again.theme = "nord"  # any theme of the palette
        await pilot.pause()
    assert read_config(library.home)["theme"] == "nord"


async def test_a_damaged_or_unknown_theme_is_ignored(
    library: Library, make_app: Callable[[Library], NewsbrowseApp]
) -> None:
    path = library.home / CONFIG
    for text in ("{not json", json.dumps({"theme": "no-such-theme"}), "[1, 2]"):
        path.write_text(text, encoding="utf-8")
        app = make_app(library)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            assert app.theme == "textual-dark"
        assert path.read_text(encoding="utf-8") == text  # a read never writes
