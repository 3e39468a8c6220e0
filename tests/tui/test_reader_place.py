"""``d`` at 80x24 keeps the reader's place: the words at the top of the reader stay at
the top when the demands panel is shown and hidden, and the quote cursor stays."""

from __future__ import annotations

from collections.abc import Callable

from newsbrowse.store.library import Library
from newsbrowse.tui.app import NewsbrowseApp
from newsbrowse.tui.reader_place import top_offset
from newsbrowse.tui.widgets.demands import DemandsPanel
from newsbrowse.tui.widgets.reader import Reader


async def test_d_keeps_the_words_at_the_top_and_the_quote_cursor(
    library: Library, make_app: Callable[[Library], NewsbrowseApp]
) -> None:
    longest = max(library.articles(), key=lambda s: s.words).id
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_article(longest)
        reader = app.query_one(Reader)
        reader.focus()
        await pilot.pause()
        for _ in range(4):
            await pilot.press("right_square_bracket")
        await pilot.pause()
        reader.scroll_to(y=reader.line_of(len(reader.article.body) // 2), animate=False)
        await pilot.pause()
        quote = reader.current_quote
        before = top_offset(reader)
        assert before and reader.scroll_y > 0
        await pilot.press("d")
        for _ in range(4):
            await pilot.pause()
        assert app.query_one(DemandsPanel).display
        after = top_offset(reader)
        first_line = reader.article.body[before:].split("\n")[0][:40]
        assert abs(after - before) <= 80, (before, after, first_line)
        assert reader.current_quote == quote
        await pilot.press("d")
        for _ in range(4):
            await pilot.pause()
        assert abs(top_offset(reader) - before) <= 80
        assert reader.current_quote == quote
