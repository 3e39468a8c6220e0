"""Every importable file of the hostile corpus opens in the app and is drawn as plain text."""

from __future__ import annotations

from pathlib import Path

import pytest
from newsbrowse.store.library import Library
from newsbrowse.store.text import strip_controls
from newsbrowse.tui.app import NewsbrowseApp
from newsbrowse.tui.widgets.reader import Reader

HOSTILE = Path(__file__).parent / "data" / "hostile"


@pytest.fixture
def hostile_ids(library: Library) -> list[str]:
    results = library.import_paths(sorted(HOSTILE.glob("*.txt")))
    return [r.id for r in results if r.id is not None]


async def test_each_hostile_article_opens_and_reads_as_its_stored_text(
    library: Library, hostile_ids: list[str]
) -> None:
    assert len(hostile_ids) == 8
    app = NewsbrowseApp(library, home_label="test-home")
    async with app.run_test(size=(100, 30)) as pilot:
        reader = app.query_one(Reader)
        for article_id in hostile_ids:
            app.open_article(article_id)
            await pilot.pause()
            art = library.article(article_id)
            plain = reader.text.plain
            assert strip_controls(plain) == plain.replace("\r", "")
            lo, hi = reader.locate(0, len(art.body))
            assert lo >= 0 and hi <= len(plain)
            for quote in art.quotes:
                start, end = reader.locate(quote.start, quote.end)
                assert plain[start:end] == quote.text, "markup in the text must not vanish"
            assert app.is_running, "a [@click=app.quit] in the text must not act"
        await pilot.press("right_square_bracket", "space")
        await pilot.pause()
        assert app.is_running
