"""The app's footer recomposes once for a burst of binding changes and shows the last."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from newsbrowse.store.library import Library
from newsbrowse.tui.app import NewsbrowseApp
from newsbrowse.tui.widgets.article_list import ArticleList
from newsbrowse.tui.widgets.footer import AppFooter
from newsbrowse.tui.widgets.reader import Reader

MakeApp = Callable[[Library], NewsbrowseApp]


def footer_keys(app: NewsbrowseApp) -> set[str]:
    return {k.key for k in app.query_one(AppFooter).walk_children() if hasattr(k, "key")}


async def test_a_burst_of_binding_changes_recomposes_the_footer_once(
    library: Library, make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        footer = app.query_one(AppFooter)
        recomposes = 0
        recompose = AppFooter.recompose

        async def counted(self: AppFooter) -> None:
            nonlocal recomposes
            recomposes += 1
            await recompose(self)

        monkeypatch.setattr(AppFooter, "recompose", counted)
        for _ in range(5):
            app.refresh_bindings()
        await pilot.pause()
        await pilot.pause()
        assert recomposes == 1
        assert footer.is_attached
        assert "q" in footer_keys(app)


async def test_the_footer_shows_the_bindings_as_they_are_after_the_burst(
    library: Library, make_app: MakeApp
) -> None:
    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "right_square_bracket" not in footer_keys(app)  # the list has the focus
        app.query_one(Reader).focus()  # a change of bindings...
        app.refresh_bindings()  # ...and more in the same burst
        app.refresh_bindings()
        await pilot.pause()
        await pilot.pause()
        assert {"right_square_bracket", "space"} <= footer_keys(app)  # the reader's keys
        app.query_one(ArticleList).focus()
        app.query_one(Reader).focus()
        app.query_one(ArticleList).focus()
        await pilot.pause()
        await pilot.pause()
        assert "right_square_bracket" not in footer_keys(app)
