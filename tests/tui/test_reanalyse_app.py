"""The app on a store analysed by other rules: it asks at start whether to re-analyse;
yes runs the analysis behind a progress bar and every pane shows the new one; no
changes nothing and the next start asks again."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from newsbrowse.store.library import Library
from newsbrowse.store.model import Article
from newsbrowse.store.rules import Rules
from newsbrowse.store.staleness import is_stale
from newsbrowse.tui.app import NewsbrowseApp
from newsbrowse.tui.screens.reanalyse import LATER, ReanalyseProgress, ReanalyseQuestion
from newsbrowse.tui.widgets.demands import DemandsPanel
from newsbrowse.tui.widgets.reader import Reader

from tests.conftest import build_article
from tests.test_reanalyse import OLD_BODY, OLD_QUOTE, TEXTS, add_actor

MakeApp = Callable[[Library], NewsbrowseApp]


@pytest.fixture
def stale(seeded_home: Path, tmp_path: Path) -> Iterator[tuple[Library, str, str]]:
    """An imported article whose quote is selected, an older pipeline's article whose
    quote is selected, and a rules file edited since: the store is stale. Gives the open
    library, the imported article's id and the lost quote's id."""
    path = tmp_path / "vienna.txt"
    path.write_text(TEXTS["vienna.txt"], encoding="utf-8")
    lib = Library.open(seeded_home)
    (result,) = lib.import_paths([path])
    assert result.id is not None
    old = build_article(OLD_BODY, article_id="0ld0ld0ld0ld", quotes=[(OLD_QUOTE, None, "unknown")])
    lib.corpus.add([old])
    lib.select(lib.quotes(article=result.id)[0].id)
    lib.select(old.quotes[0].id)
    lib.close()
    add_actor(seeded_home, "Ivan Example", "russia")
    lib = Library.open(seeded_home)
    assert is_stale(lib.corpus, lib.home)
    yield lib, result.id, old.quotes[0].id
    lib.close()


def _messages(app: NewsbrowseApp) -> str:
    return " | ".join(str(n.message) for n in app._notifications)


async def test_yes_reanalyses_behind_a_progress_bar_and_the_panes_follow(
    stale: tuple[Library, str, str], make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsbrowse.store.ingest import pipeline

    lib, article_id, lost = stale
    gate = threading.Event()  # the analysis waits until the test has seen the progress bar
    analyse_again = pipeline.reanalyse

    def held(article: Article, rules: Rules) -> Article:
        assert gate.wait(10)
        return analyse_again(article, rules)

    monkeypatch.setattr(pipeline, "reanalyse", held)
    app = make_app(lib)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ReanalyseQuestion)
        app.open_article(article_id)  # the reader shows the quote re-attributed below
        assert app.query_one(Reader).article.quotes[0].side == "other"  # type: ignore[union-attr]
        await pilot.press("e")  # the app's keys are off while it asks
        assert isinstance(app.screen, ReanalyseQuestion)
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, ReanalyseProgress)
        await pilot.press("q", "e")  # nor while it works
        assert app.is_running and isinstance(app.screen, ReanalyseProgress)
        gate.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, ReanalyseProgress | ReanalyseQuestion)
        assert not is_stale(lib.corpus, lib.home)
        reader = app.query_one(Reader)
        assert reader.article is not None and reader.article.quotes[0].side == "russia"
        assert "1 re-attributed" in _messages(app)
        assert "no longer found (kept in your selection, shown as missing)" in _messages(app)
        assert lost in _messages(app)
        assert app.sub_title == "test-home · 2 selected (1 missing)"
        assert app.query_one(DemandsPanel).root.children
    assert lib.selected_ids()[-1] == lost


async def test_no_changes_nothing_and_the_next_start_asks_again(
    stale: tuple[Library, str, str], make_app: MakeApp
) -> None:
    lib, _article_id, _lost = stale
    meta = lib.home / "corpus" / "meta.json"
    before = meta.read_bytes()
    app = make_app(lib)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ReanalyseQuestion)
        await pilot.press("n")
        await pilot.pause()
        assert not isinstance(app.screen, ReanalyseQuestion)
        assert LATER in _messages(app)
    assert meta.read_bytes() == before
    again = make_app(lib)
    async with again.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(again.screen, ReanalyseQuestion)


async def test_a_store_of_this_analysis_is_not_asked_about(
    library: Library, make_app: MakeApp
) -> None:
    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert not isinstance(app.screen, ReanalyseQuestion)
