"""Widgets never write to the store: they read through narrow protocols and post messages;
the app makes every write (a selection, a read mark, an export)."""

from __future__ import annotations

import ast
from pathlib import Path

from helpers import HostApp
from newsbrowse.store.ingest.codebook import shipped_sides
from newsbrowse.tui.widgets.reader import Reader

from tests.conftest import build_article

WIDGETS = Path(__file__).resolve().parents[2] / "tui" / "widgets"
WRITES = {
    "toggle_selected",
    "select",
    "unselect",
    "clear_selection",
    "mark_read",
    "import_paths",
    "load_fixtures",
    "reset",
    "reanalyse",
    "update_index",
    "write_export",
    "edit_meta",
}
"""The Library's (and export's) methods that write to the home."""


def test_no_widget_calls_a_method_that_writes() -> None:
    calls = {
        f"{path.name}:{node.lineno}": node.func.attr
        for path in WIDGETS.glob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in WRITES
    }
    assert calls == {}


async def test_space_in_the_reader_asks_the_app_to_select() -> None:
    body = "“We want guarantees,” said the minister."
    article = build_article(body, quotes=[("We want guarantees,", "A minister", "other")])
    app = HostApp(lambda: Reader(shipped_sides(), id="the-reader"), (Reader.SelectionToggled,))
    async with app.run_test(message_hook=app.hook) as pilot:
        reader = app.query_one("#the-reader", Reader)
        reader.show_article(article)
        reader.focus()
        await pilot.press("right_square_bracket", "space")
        await pilot.pause()
        (asked,) = app.of(Reader.SelectionToggled)
        assert asked.quote == article.quotes[0]  # type: ignore[attr-defined]
        assert "✓" not in reader.text.plain  # nothing is selected until the app says so
        reader.show_selection([article.quotes[0].id])
        assert "✓" in reader.text.plain
