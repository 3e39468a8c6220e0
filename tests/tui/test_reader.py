"""The reader: quotes coloured by side, the quote cursor, selection, badges, search marks."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from newsbrowse.store.library import Library
from newsbrowse.store.model import Link
from newsbrowse.tui.app import NewsbrowseApp
from newsbrowse.tui.widgets.quote_info import QuoteInfo
from newsbrowse.tui.widgets.reader import NO_QUOTES, SELECTED_MARK, Reader, side_class
from textual.pilot import Pilot

MakeApp = Callable[[Library], NewsbrowseApp]


def _most_quoted(library: Library) -> str:
    return max(library.articles(), key=lambda s: s.quote_count).id


async def _eventually(pilot: Pilot[object], check: Callable[[], bool]) -> bool:
    """Wait (a bounded while) for the reader's after-refresh scroll to land."""
    for _ in range(100):
        if check():
            return True
        await pilot.pause(0.02)
    return False


def _shows(reader: Reader, body_pos: int) -> bool:
    line = reader.line_of(body_pos)
    return line is not None and reader.scroll_y <= line < reader.scroll_y + reader.size.height


def _info(app: NewsbrowseApp) -> str:
    return str(app.query_one(QuoteInfo).render())


async def test_walk_quotes_shows_speaker_side_and_cue(library: Library, make_app: MakeApp) -> None:
    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_article(_most_quoted(library))
        reader = app.query_one(Reader)
        reader.focus()
        await pilot.pause()
        quotes = reader.article.quotes
        assert len(quotes) >= 3
        assert "No quote under the cursor" in _info(app)
        await pilot.press("right_square_bracket", "right_square_bracket")
        await pilot.pause()
        assert reader.current_quote == quotes[1]
        info = _info(app)
        assert (quotes[1].speaker or "speaker unknown") in info
        assert "0 selected" in info
        await pilot.press("left_square_bracket", "left_square_bracket")
        await pilot.pause()
        assert reader.current_quote == quotes[0]  # stops at the first quote


async def test_cursor_scrolls_the_quote_into_view(library: Library, make_app: MakeApp) -> None:
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_article(_most_quoted(library))
        reader = app.query_one(Reader)
        reader.focus()
        quotes = reader.article.quotes
        await pilot.press(*["right_square_bracket"] * len(quotes))
        await pilot.pause()
        assert reader.current_quote == quotes[-1]
        assert await _eventually(pilot, lambda: reader.scroll_y > 0)
        assert await _eventually(pilot, lambda: _shows(reader, quotes[-1].start))
        await pilot.press(*["left_square_bracket"] * len(quotes))
        await pilot.pause()
        assert reader.current_quote == quotes[0]
        assert await _eventually(pilot, lambda: _shows(reader, quotes[0].start))


async def test_space_selects_and_the_count_is_shown(library: Library, make_app: MakeApp) -> None:
    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_article(_most_quoted(library))
        reader = app.query_one(Reader)
        reader.focus()
        await pilot.press("right_square_bracket", "space")
        await pilot.pause()
        quote = reader.current_quote
        assert library.selected_ids() == [quote.id]
        assert "1 selected" in _info(app) and "1 selected" in app.sub_title
        lo, _ = reader.locate(quote.start, quote.end)
        assert reader.text.plain[lo - 1] == SELECTED_MARK
        await pilot.press("space")
        await pilot.pause()
        assert library.selected_ids() == []
        assert "0 selected" in app.sub_title


async def test_selection_survives_a_restart(library: Library, make_app: MakeApp) -> None:
    home = library.home
    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_article(_most_quoted(library))
        app.query_one(Reader).focus()
        await pilot.press("right_square_bracket", "space", "right_square_bracket", "space")
        await pilot.pause()
        chosen = library.selected_ids()
    library.close()
    again = Library.open(home)
    try:
        app = make_app(again)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            assert "2 selected" in app.sub_title
            app.open_article(_most_quoted(again))
            await pilot.pause()
            reader = app.query_one(Reader)
            assert again.selected_ids() == chosen
            assert reader.text.plain.count(SELECTED_MARK) == 2
    finally:
        again.close()


async def test_quotes_are_drawn_exactly_and_in_their_side_style(
    library: Library, make_app: MakeApp
) -> None:
    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        summary = library.articles()[0]
        article = library.article(summary.id)
        quote = article.quotes[0]
        link = Link(
            id="l1",
            article_id=article.id,
            demand="hotline",
            side="us_nato",
            stance="rejects",
            evidence=article.body[: quote.start],
            start=0,
            end=quote.start,
            quote_id=None,
        )
        library.select(article.quotes[1].id)
        reader = app.query_one(Reader)
        reader.show_article(dataclasses.replace(article, links=[link]))
        await pilot.pause()
        plain = reader.text.plain
        assert "[hotline ✗ rejects]" in plain
        for q in article.quotes:
            lo, hi = reader.locate(q.start, q.end)
            assert plain[lo:hi] == q.text
            styles = {span.style for span in reader.text.spans if span.start <= lo < span.end}
            assert reader.get_component_rich_style(side_class(q.side), partial=True) in styles


async def test_side_colours_stay_distinct_in_dark_and_light(
    library: Library, make_app: MakeApp
) -> None:
    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        reader = app.query_one(Reader)
        for theme in ("textual-dark", "textual-light"):
            app.theme = theme
            await pilot.pause()
            styles = [
                reader.get_component_rich_style(side_class(side), partial=True)
                for side in ("russia", "us_nato", "other")
            ]
            colours = {(s.color, s.bgcolor) for s in styles}
            assert len(colours) == 3, theme
            assert all(s.color is not None for s in styles)
            if reader.article is None:
                app.open_article(_most_quoted(library))
            quote = reader.article.quotes[0]
            lo, _ = reader.locate(quote.start, quote.end)
            wanted = reader.get_component_rich_style(side_class(quote.side), partial=True)
            assert await _eventually(
                pilot,
                lambda wanted=wanted, lo=lo: any(
                    s.style == wanted and s.start == lo for s in reader.text.spans
                ),
            ), theme
        assert side_class("unknown") == side_class("other")


async def test_search_spans_and_evidence_are_marked(library: Library, make_app: MakeApp) -> None:
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        article = library.article(_most_quoted(library))
        app.open_article(article.id)
        reader = app.query_one(Reader)
        quote = article.quotes[-1]
        reader.set_search_spans([(quote.start, quote.start + 4)])
        await pilot.pause()
        search_style = reader.get_component_rich_style("reader--search", partial=True)
        lo, _ = reader.locate(quote.start, quote.end)
        assert any(s.style == search_style and s.start == lo for s in reader.text.spans)
        reader.go_to_span(quote.start, quote.end)
        await pilot.pause()
        assert reader.evidence == (quote.start, quote.end)
        assert reader.current_quote == quote
        assert await _eventually(pilot, lambda: reader.scroll_y > 0 and _shows(reader, quote.start))


async def test_an_article_without_quotes_says_so(
    quoteless_library: tuple[Library, str], make_app: MakeApp
) -> None:
    library, article_id = quoteless_library
    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_article(article_id)
        app.query_one(Reader).focus()
        await pilot.press("right_square_bracket", "space")
        await pilot.pause()
        assert NO_QUOTES in app.query_one(Reader).text.plain
        assert library.selected_ids() == []


async def test_the_header_cites_source_author_and_url_of_a_saved_page(
    library: Library, make_app: MakeApp
) -> None:
    from pathlib import Path

    page = Path(__file__).parent.parent / "data" / "pages" / "geneva-talks.html"
    [result] = library.import_paths([page])
    app = make_app(library)
    async with app.run_test(size=(140, 40)) as pilot:
        app.open_article(result.id)
        reader = app.query_one(Reader)
        await pilot.pause()
        shown = reader._rendered.plain  # noqa: SLF001 - the text the reader drew
        head = shown.split("\n\n", 1)[0]
        assert "Northern Wire · by Maria Lindqvist · 2022-01-10" in head
        assert head.endswith("https://northernwire.example/world/2022/01/10/ryabkov-geneva-talks")
        quote = reader.article.quotes[0]
        assert reader.line_of(quote.start) is not None
        start = reader._rendered_pos(quote.start, end=False)  # noqa: SLF001
        assert shown[start : start + len(quote.text)] == quote.text, "the URL line is counted"
