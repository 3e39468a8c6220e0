"""The search bar: results as the user types, jumps to hits, errors and stale searches."""

from __future__ import annotations

import time

import pytest
from helpers import HostApp
from newsbrowse.store.errors import NewsbrowseError
from newsbrowse.store.library import Library
from newsbrowse.store.search import SearchHit
from newsbrowse.tui.widgets.search_bar import MAX_RESULTS, SearchBar
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import OptionList, Static

MESSAGES = (SearchBar.ResultsChanged, SearchBar.HitChosen, SearchBar.Closed)


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    return Library.open(tmp_path_factory.mktemp("search") / "home")


class SlowLibrary:
    """The real search, slowed down, so that keystrokes overtake it."""

    def __init__(self, library: Library, delay: float) -> None:
        self.library = library
        self.delay = delay
        self.asked: list[str] = []

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        self.asked.append(query)
        time.sleep(self.delay)
        return self.library.search(query, limit)


class FixedLibrary:
    """A search that returns given hits (to show what the web may put in a title)."""

    def __init__(self, hits: list[SearchHit]) -> None:
        self.hits = hits

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        return self.hits[:limit]


def host(library: object) -> HostApp:
    return HostApp(lambda: SearchBar(library, id="search"), MESSAGES)  # type: ignore[arg-type]


async def search_for(pilot: Pilot, text: str) -> SearchBar:
    """Open the bar, type ``text`` key by key and wait for the last search to land."""
    bar = pilot.app.query_one(SearchBar)
    bar.open()
    await pilot.press(*text)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    return bar


def status(app: HostApp) -> str:
    return str(app.query_one("#search-status", Static).render())


def results_of(app: HostApp) -> list[SearchBar.ResultsChanged]:
    return app.of(SearchBar.ResultsChanged)  # type: ignore[return-value]


def chosen(app: HostApp) -> list[SearchHit]:
    return [m.hit for m in app.of(SearchBar.HitChosen)]  # type: ignore[attr-defined]


async def test_hidden_until_opened_and_takes_no_focus(library: Library) -> None:
    app = host(library)
    async with app.run_test() as pilot:
        bar = app.query_one(SearchBar)
        assert not bar.is_open and not bar.display
        assert app.focused is None or app.focused not in bar.query("*")
        bar.open()
        await pilot.pause()
        assert bar.is_open and bar.display
        assert app.focused is bar.query_one("#search-input")


async def test_typing_updates_the_results(library: Library) -> None:
    app = host(library)
    async with app.run_test(size=(120, 30), message_hook=app.hook) as pilot:
        bar = await search_for(pilot, "guarantees")
        expected = library.search("guarantees", limit=MAX_RESULTS)
        assert expected, "the seeds speak of guarantees"
        last = results_of(app)[-1]
        assert last.query == "guarantees"
        assert last.hits == expected == bar.hits
        results = bar.query_one(OptionList)
        assert results.option_count == len(expected)
        assert status(app).startswith(f"{len(expected)} match")
        row = results.get_option_at_index(0).prompt
        assert isinstance(row, Text)
        stressed = [row.plain[s.start : s.end].lower() for s in row.spans if s.end - s.start > 1]
        assert any(word.startswith("guarantee") for word in stressed)


async def test_enter_jumps_to_the_first_hit_and_n_wraps(library: Library) -> None:
    app = host(library)
    async with app.run_test(message_hook=app.hook) as pilot:
        bar = await search_for(pilot, "putin")
        hits = bar.hits
        assert len(hits) >= 2
        await pilot.press("enter")
        await pilot.pause()
        assert chosen(app) == [hits[0]]
        assert bar.current_hit == hits[0]
        assert bar.previous_hit() == hits[-1]
        assert bar.next_hit() == hits[0]
        for _ in hits:
            bar.next_hit()
        assert bar.current_hit == hits[0]
        await pilot.pause()
        assert chosen(app) == [hits[0], hits[-1], hits[0], *hits[1:], hits[0]]
        assert bar.query_one(OptionList).highlighted == 0


async def test_enter_before_the_results_arrive_jumps_when_they_do(library: Library) -> None:
    app = host(SlowLibrary(library, 0.5))
    async with app.run_test(message_hook=app.hook) as pilot:
        bar = app.query_one(SearchBar)
        bar.open()
        await pilot.press(*"putin", "enter")
        assert not chosen(app)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert chosen(app) == [library.search("putin", limit=MAX_RESULTS)[0]]


async def test_choosing_a_row_posts_its_hit(library: Library) -> None:
    app = host(library)
    async with app.run_test(message_hook=app.hook) as pilot:
        bar = await search_for(pilot, "putin")
        await pilot.press("down", "down", "enter")  # into the list, to the second row
        await pilot.pause()
        assert chosen(app) == [bar.hits[1]]
        assert bar.current_hit == bar.hits[1]


async def test_escape_closes_and_forgets_the_hit(library: Library) -> None:
    app = host(library)
    async with app.run_test(message_hook=app.hook) as pilot:
        bar = await search_for(pilot, "putin")
        await pilot.press("enter", "escape")
        await pilot.pause()
        assert not bar.is_open and not bar.display
        assert bar.current_hit is None
        assert len(app.of(SearchBar.Closed)) == 1
        assert app.focused is None or app.focused not in bar.query("*")


async def test_an_unknown_side_filter_shows_the_stores_message(library: Library) -> None:
    with pytest.raises(NewsbrowseError) as raised:
        library.search("side:nato putin")
    app = host(library)
    async with app.run_test(message_hook=app.hook) as pilot:
        bar = await search_for(pilot, "side:nato putin")
        assert status(app) == str(raised.value)
        assert "\n" not in status(app)
        assert bar.hits == []
        assert app.is_running


async def test_no_matches_says_so(library: Library) -> None:
    app = host(library)
    async with app.run_test(message_hook=app.hook) as pilot:
        bar = await search_for(pilot, "zzyzxqv")
        assert status(app) == "no matches"
        await pilot.press("enter")
        await pilot.pause()
        assert not chosen(app)
        assert bar.next_hit() is None


async def test_fast_typing_yields_only_the_last_querys_results(library: Library) -> None:
    slow = SlowLibrary(library, 0.5)
    app = host(slow)
    async with app.run_test(message_hook=app.hook) as pilot:
        bar = await search_for(pilot, "legally")
        assert len(slow.asked) > 1  # every keystroke started a search...
        assert [m.query for m in results_of(app)] == ["legally"]  # ...only the last one shows
        assert bar.hits == library.search("legally", limit=MAX_RESULTS)


async def test_searches_typed_over_a_running_one_are_skipped(library: Library) -> None:
    """Keystrokes during a slow search queue no stale query: only the newest one runs next."""
    slow = SlowLibrary(library, 1.0)
    app = host(slow)
    async with app.run_test(message_hook=app.hook) as pilot:
        bar = await search_for(pilot, "legally")
        assert slow.asked == ["l", "legally"]
        assert [m.query for m in results_of(app)] == ["legally"]
        assert bar.hits == library.search("legally", limit=MAX_RESULTS)


async def test_clearing_the_query_clears_the_results(library: Library) -> None:
    app = host(library)
    async with app.run_test(message_hook=app.hook) as pilot:
        bar = await search_for(pilot, "nato")
        await pilot.press(*["backspace"] * 4)
        await pilot.pause()
        assert results_of(app)[-1].query == ""
        assert results_of(app)[-1].hits == []
        assert bar.query_one(OptionList).option_count == 0


async def test_markup_in_a_hit_shows_literally() -> None:
    hostile = "[bold]x[/] [@click=app.quit]"
    hit = SearchHit(
        kind="quote",
        article_id="a1",
        quote_id="q1",
        title=hostile,
        snippet=f"said {hostile} today",
        start=0,
        end=4,
        speaker="[red]Nobody[/red]",
        score=1.0,
    )
    app = host(FixedLibrary([hit]))
    async with app.run_test(size=(140, 20), message_hook=app.hook) as pilot:
        bar = await search_for(pilot, "said")
        row = bar.query_one(OptionList).get_option_at_index(0).prompt
        assert isinstance(row, Text)
        assert hostile in row.plain and "[red]Nobody[/red]" in row.plain
        await pilot.press("enter")
        await pilot.pause()
        assert app.is_running
        assert chosen(app) == [hit]
