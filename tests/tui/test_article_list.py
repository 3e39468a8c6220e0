"""The article list: dates marked when inferred, counts, read and current marks, filters."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from newsbrowse.store.library import Library
from newsbrowse.tui.app import NewsbrowseApp
from newsbrowse.tui.widgets.article_list import EMPTY_STORE, ArticleList, article_prompt
from newsbrowse.tui.widgets.reader import Reader


def _plain(articles: ArticleList) -> list[str]:
    return [
        articles.get_option_at_index(i).prompt.plain  # type: ignore[union-attr]
        for i in range(articles.option_count)
    ]


def test_prompt_marks_inferred_dates_and_shows_counts(library: Library) -> None:
    by_basis = {s.date_basis: s for s in library.articles()}
    inferred = article_prompt(by_basis["inferred"], current=False, read=False).plain
    stated = article_prompt(by_basis["stated"], current=False, read=False).plain
    assert f"~{by_basis['inferred'].date}" in inferred
    assert f"~{by_basis['stated'].date}" not in stated
    assert by_basis["stated"].date in stated
    summary = by_basis["stated"]
    assert f"{summary.quote_count} quotes · {summary.link_count} links" in stated
    short = article_prompt(summary, current=False, read=False, words=False).plain
    assert f"{summary.quote_count}q {summary.link_count}l" in short
    with_source = article_prompt(
        dataclasses.replace(summary, source="Test Wire"), current=False, read=False
    ).plain
    assert with_source.endswith(" · Test Wire")


async def test_list_is_sorted_by_date_with_read_and_current_marks(
    library: Library, make_app: Callable[[Library], NewsbrowseApp]
) -> None:
    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        articles = app.query_one(ArticleList)
        summaries = library.articles()
        assert [s.date for s in summaries] == sorted(s.date for s in summaries)
        rows = _plain(articles)
        assert [r.split("\n")[0][2:] for r in rows] == [s.title for s in summaries]
        # The first article is previewed at once: current, but still unread.
        assert rows[0].startswith("▶ ") and all(r.startswith("● ") for r in rows[1:])
        assert app.query_one(Reader).article.id == summaries[0].id
        assert not library.read_ids()
        await pilot.press("j")  # the reader follows the cursor without taking the focus
        await pilot.pause()
        assert app.query_one(Reader).article.id == summaries[1].id
        assert app.focused is articles and not library.read_ids()
        await pilot.press("enter")
        await pilot.pause()
        rows = _plain(articles)
        assert rows[1].startswith("▶ ")
        assert summaries[1].id in library.read_ids()
        assert app.focused is app.query_one("#reader")
        await pilot.press("tab", "shift+tab", "shift+tab")
        assert app.focused is articles
        await pilot.press("k", "enter")
        await pilot.pause()
        rows = _plain(articles)
        assert rows[0].startswith("▶ ") and not rows[1].startswith(("▶", "●"))


async def test_filter_narrows_the_list_and_escape_clears_it(
    library: Library, make_app: Callable[[Library], NewsbrowseApp]
) -> None:
    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        articles = app.query_one(ArticleList)
        keep = {s.id for s in library.articles()[:2]}
        articles.set_filter(keep, "No NATO enlargement")
        await pilot.pause()
        assert articles.option_count == 2
        assert "2 of 5" in str(articles.border_title)
        assert "No NATO enlargement" in str(articles.border_title)
        articles.focus()
        await pilot.press("escape")
        await pilot.pause()
        assert articles.option_count == 5
        assert articles.filter_ids is None


async def test_filter_matching_nothing_says_so(
    library: Library, make_app: Callable[[Library], NewsbrowseApp]
) -> None:
    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        articles = app.query_one(ArticleList)
        articles.set_filter(set(), "Moscow-NATO hotline")
        await pilot.pause()
        (row,) = _plain(articles)
        assert "No article has links to Moscow-NATO hotline" in row


async def test_empty_store_says_so(
    empty_library: Library, make_app: Callable[[Library], NewsbrowseApp]
) -> None:
    app = make_app(empty_library)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter", "j")
        await pilot.pause()
        assert _plain(app.query_one(ArticleList)) == [EMPTY_STORE]
        assert "no articles" in app.query_one("#reader").text.plain
