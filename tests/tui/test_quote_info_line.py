"""The line under the reader never cuts a word silently: the cue is whole, or the line
ends in … (a new user read "cue: he" and took it for the cue)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from newsbrowse.store.library import Library
from newsbrowse.tui.app import NewsbrowseApp
from newsbrowse.tui.widgets.quote_info import QuoteInfo
from newsbrowse.tui.widgets.reader import Reader


@pytest.mark.parametrize("width", [80, 100, 120, 160])
async def test_the_cue_is_whole_or_the_line_ends_in_an_ellipsis(
    library: Library, make_app: Callable[[Library], NewsbrowseApp], width: int
) -> None:
    app = make_app(library)
    async with app.run_test(size=(width, 30)) as pilot:
        article = max(library.articles(), key=lambda s: s.quote_count).id
        app.open_article(article)
        reader = app.query_one(Reader)
        reader.focus()
        for _ in range(len(reader.article.quotes)):
            await pilot.press("right_square_bracket")
            await pilot.pause()
            quote = reader.current_quote
            shown = app.query_one(QuoteInfo).render_line(0).text.rstrip()
            whole = f"cue: {quote.cue}" if quote.cue else "no attribution cue"
            assert shown.endswith(whole) or shown.endswith("…"), (width, shown)
