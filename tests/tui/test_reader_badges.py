"""Demand badges are drawn after the paragraph of their evidence, never inside a quote's
words (a new user read "...has come. [1997-lines] For us..." inside a Putin quote)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from newsbrowse.store.library import Library
from newsbrowse.tui.app import NewsbrowseApp
from newsbrowse.tui.widgets.reader import Reader, badge_place

MakeApp = Callable[[Library], NewsbrowseApp]


async def test_no_badge_inside_a_quote_in_any_seed_article(
    library: Library, make_app: MakeApp
) -> None:
    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        reader = app.query_one(Reader)
        badged = 0
        for summary in library.articles():
            article = library.article(summary.id)
            reader.show_article(article)
            await pilot.pause()
            plain = reader.text.plain
            for q in article.quotes:
                lo, hi = reader.locate(q.start, q.end)
                assert plain[lo:hi] == q.text, (article.id, q.id)
            for link in article.links:
                at = reader.locate(0, badge_place(article, link.end))[1]
                assert plain[at : at + 2] == " [", (article.id, link.id)
                badged += 1
        assert badged > 10


async def test_a_badge_goes_after_a_quote_that_runs_past_its_paragraph(
    library: Library, make_app: MakeApp
) -> None:
    body = "Title\n\nHe said: \u201cOne. Two.\n\nThree.\u201d After.\n"
    article = library.article(library.articles()[0].id)
    start = body.index("One")
    quote = dataclasses.replace(
        article.quotes[0],
        start=start,
        end=body.index("\u201d"),
        text=body[start : body.index("\u201d")],
    )
    art = dataclasses.replace(article, body=body, quotes=[quote], links=[], scare_quotes=[])
    assert badge_place(art, body.index(" Two")) == body.index("\n", body.index("After"))
    assert badge_place(art, 5) == 5
