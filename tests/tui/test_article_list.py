"""The article list: dates marked when inferred, counts, read and current marks, filters."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable

import pytest
from newsbrowse.store.library import Library
from newsbrowse.store.model import ArticleSummary
from newsbrowse.tui.app import NewsbrowseApp
from newsbrowse.tui.widgets.article_list import EMPTY_STORE, ArticleList, article_prompt
from newsbrowse.tui.widgets.reader import Reader
from textual import events

from tests.conftest import build_article


def _plain(articles: ArticleList) -> list[str]:
    """Every row's text (the few seeds), or the list's message when it shows none."""
    message = articles.message()
    if message is not None:
        return [message]
    return [articles.row_prompt(i).plain for i in range(articles.count)]  # type: ignore[union-attr]


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
        linked = {link.article_id for link in library.links(demand="hotline")}
        articles.set_filter("hotline", "Moscow-NATO hotline")
        await pilot.pause()
        assert 0 < articles.count == len(linked) < 5
        assert {articles.summary_at(i).id for i in range(articles.count)} == linked  # type: ignore[union-attr]
        assert f"{len(linked)} of 5" in str(articles.border_title)
        assert "Moscow-NATO hotline" in str(articles.border_title)
        articles.focus()
        await pilot.press("escape")
        await pilot.pause()
        assert articles.count == 5
        assert articles.filter_demand is None


async def test_filter_matching_nothing_says_so(
    library: Library,
    make_app: Callable[[Library], NewsbrowseApp],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    every = library.article_count
    monkeypatch.setattr(library, "article_count", lambda demand=None: 0 if demand else every())
    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        articles = app.query_one(ArticleList)
        articles.set_filter("hotline", "Moscow-NATO hotline")
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


# The virtual list over a few thousand articles ---------------------------------------------
MANY = 2_100
HOTLINE_EVERY = 7


@pytest.fixture
def many(library: Library, monkeypatch: pytest.MonkeyPatch) -> Library:
    """The seeds plus 2,100 hand-made articles (every 7th linked to the hotline demand); the
    app must never ask for every summary, so ``articles()`` fails."""
    made = []
    for n in range(MANY):
        body = f"Report number {n}. Moscow wants a hotline to the alliance.\n"
        links = (("Moscow wants a hotline to the alliance.", "hotline", "russia", None),)
        made.append(
            build_article(
                body,
                article_id=f"{n:012x}",
                title=f"Report {n:04d}",
                date=f"2022-{1 + n // 1000:02d}-{1 + n % 28:02d}",
                date_basis="stated",
                links=links if n % HOTLINE_EVERY == 0 else (),
            )
        )
    library.corpus.add(made)

    def refuse() -> None:
        raise AssertionError("the app read every summary (articles())")

    monkeypatch.setattr(library, "articles", refuse)
    return library


def _screen_rows(articles: ArticleList) -> list[str]:
    """The list's lines as drawn now (the visible window only)."""
    height = articles.scrollable_content_region.height
    return [articles.render_line(y).text for y in range(height)]


def _title_at(library: Library, index: int, demand: str | None = None) -> str:
    (summary,) = library.article_page(index, 1, demand)
    return summary.title


async def test_end_pgdn_home_reach_far_rows_and_draw_them(
    many: Library, make_app: Callable[[Library], NewsbrowseApp]
) -> None:
    app = make_app(many)
    total = MANY + 5
    async with app.run_test(size=(120, 40)) as pilot:
        articles = app.query_one(ArticleList)
        assert articles.count == total and f"Articles ({total})" in str(articles.border_title)
        assert articles.virtual_size.height == 2 * total
        await pilot.press("end")
        await pilot.pause()
        assert articles.cursor == total - 1
        last = _title_at(many, total - 1)
        rows = _screen_rows(articles)
        assert any(last in r for r in rows[-2:]), rows[-2:]
        assert app.query_one(Reader).article.id == articles.highlighted_id
        assert len(articles._pages) <= 8  # only pages around the viewport are kept
        await pilot.press("home", "pagedown", "pagedown")
        await pilot.pause()
        per_screen = articles.scrollable_content_region.height // 2
        assert articles.cursor == 2 * per_screen
        assert any(_title_at(many, 2 * per_screen) in r for r in _screen_rows(articles))
        await pilot.press("pageup", "k")
        await pilot.pause()
        assert articles.cursor == per_screen - 1


async def test_highlight_article_scrolls_to_a_far_row(
    many: Library, make_app: Callable[[Library], NewsbrowseApp]
) -> None:
    app = make_app(many)
    async with app.run_test(size=(120, 40)) as pilot:
        articles = app.query_one(ArticleList)
        (far,) = many.article_page(1_500, 1)
        app.open_article(far.id)
        await pilot.pause()
        assert articles.cursor == 1_500 and articles.highlighted_id == far.id
        assert any(f"▶ {far.title}" in r for r in _screen_rows(articles))
        assert far.id in many.read_ids()


async def test_filter_by_demand_pages_the_demand_list(
    many: Library, make_app: Callable[[Library], NewsbrowseApp]
) -> None:
    app = make_app(many)
    async with app.run_test(size=(120, 40)) as pilot:
        articles = app.query_one(ArticleList)
        app.filter_by_demand("hotline", reveal=False)
        await pilot.pause()
        expected = many.article_count("hotline")
        assert expected == 1 + len(range(0, MANY, HOTLINE_EVERY))
        assert articles.count == expected
        assert f"Articles ({expected} of {MANY + 5})" in str(articles.border_title)
        await pilot.press("end")
        await pilot.pause()
        last = _title_at(many, expected - 1, "hotline")
        assert any(last in r for r in _screen_rows(articles))
        await pilot.press("escape")
        await pilot.pause()
        assert articles.filter_demand is None and articles.count == MANY + 5
        # the cursor stays on the article it was on
        assert articles.row_prompt(articles.cursor).plain.split("\n")[0].endswith(last)  # type: ignore[union-attr, arg-type]


async def test_click_selects_the_clicked_row(
    many: Library, make_app: Callable[[Library], NewsbrowseApp]
) -> None:
    app = make_app(many)
    async with app.run_test(size=(120, 40)) as pilot:
        articles = app.query_one(ArticleList)
        await pilot.press("pagedown", "pagedown")
        await pilot.pause()
        top = round(articles.scroll_offset.y) // 2
        # border 1, then 2 lines a row: row top+3 starts 7 lines down the widget
        await pilot.click(ArticleList, offset=(5, 1 + 2 * 3 + 1))
        await pilot.pause()
        assert articles.cursor == top + 3
        assert app.query_one(Reader).article.id == articles.highlighted_id
        await pilot.click(ArticleList, offset=(5, 1 + 2 * 3), times=2)
        await pilot.pause()
        assert app.focused is app.query_one(Reader)
        assert articles.highlighted_id in many.read_ids()


async def test_wheel_scrolls_without_moving_the_cursor(
    many: Library, make_app: Callable[[Library], NewsbrowseApp]
) -> None:
    app = make_app(many)
    async with app.run_test(size=(120, 40)) as pilot:
        articles = app.query_one(ArticleList)
        for _ in range(10):
            wheel = events.MouseScrollDown(articles, 5, 5, 0, 1, 0, False, False, False)
            articles.post_message(wheel)
        await pilot.pause()
        assert articles.scroll_offset.y > 0 and articles.cursor == 0
        top = round(articles.scroll_offset.y) // 2
        assert any(_title_at(many, top + 1) in r for r in _screen_rows(articles))


async def test_rows_scrolled_to_are_read_off_the_ui_thread(
    many: Library, make_app: Callable[[Library], NewsbrowseApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Drawing a line never waits on the store: rows the wheel or the scrollbar bring on
    screen are read by a thread ('…' meanwhile); keys read the cursor's rows at once."""
    page = many.article_page
    (far,) = page(1_500, 1)
    ui = threading.get_ident()
    reads: list[tuple[int, bool]] = []

    def recorded(offset: int, limit: int, demand: str | None = None) -> list[ArticleSummary]:
        reads.append((offset, threading.get_ident() == ui))
        return page(offset, limit, demand)

    monkeypatch.setattr(many, "article_page", recorded)
    app = make_app(many)
    async with app.run_test(size=(120, 40)) as pilot:
        articles = app.query_one(ArticleList)
        await pilot.pause()
        reads.clear()
        articles.scroll_to(y=2 * 1_500, animate=False, immediate=True)
        for _ in range(200):
            await pilot.pause(0.01)
            if any(far.title in row for row in _screen_rows(articles)):
                break
        assert any(far.title in row for row in _screen_rows(articles))
        assert articles.cursor == 0
        assert reads and not any(on_ui for _, on_ui in reads), reads
        reads.clear()
        await pilot.press("end")
        assert reads and all(on_ui for _, on_ui in reads)  # read before the key returns
