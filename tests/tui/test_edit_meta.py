"""The reader's i key (issue 18): a dialog edits the open article's title, source, URL,
date and author; the app stores the edit and the list and reader show it at once."""

from __future__ import annotations

from collections.abc import Callable

from newsbrowse.store.library import Library
from newsbrowse.tui.app import NewsbrowseApp
from newsbrowse.tui.screens.edit_meta import EditMetaScreen
from newsbrowse.tui.widgets.article_list import ArticleList
from newsbrowse.tui.widgets.meta_keys import MetaEditAsked
from newsbrowse.tui.widgets.reader import Reader
from textual.widgets import Input, Static

MakeApp = Callable[[Library], NewsbrowseApp]


async def _dialog(app: NewsbrowseApp, pilot, article_id: str) -> EditMetaScreen:
    app.open_article(article_id)
    app.query_one(Reader).focus()
    await pilot.press("E")
    await pilot.pause()
    assert isinstance(app.screen, EditMetaScreen)
    return app.screen


async def test_i_edits_the_metadata_and_the_list_and_reader_show_it(
    library: Library, make_app: MakeApp
) -> None:
    first = library.articles()[0]
    app = make_app(library)
    posted: list[MetaEditAsked] = []

    def hook(message: object) -> None:
        if isinstance(message, MetaEditAsked):
            posted.append(message)

    async with app.run_test(size=(120, 40), message_hook=hook) as pilot:
        dialog = await _dialog(app, pilot, first.id)
        assert posted and posted[0].article.id == first.id
        assert dialog.query_one("#edit-title", Input).value == first.title
        dialog.query_one("#edit-title", Input).value = "An edited title"
        dialog.query_one("#edit-source", Input).value = "Edited Wire"
        dialog.query_one("#edit-date", Input).value = "2022-01-05"
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, EditMetaScreen)
        header = app.query_one(Reader).text.plain
        assert "An edited title ✎" in header and "Edited Wire ✎" in header
        assert "2022-01-05 ✎" in header and "date stated by you" in header
        articles = app.query_one(ArticleList)
        rows = [articles.row_prompt(i) for i in range(articles.count)]
        assert any(r is not None and "An edited title ✎" in r.plain for r in rows)
    art = library.article(first.id)
    assert (art.title, art.source, art.date, art.edited) == (
        "An edited title",
        "Edited Wire",
        "2022-01-05",
        ("title", "source", "date"),
    )


async def test_a_bad_value_is_said_in_the_dialog_and_nothing_is_stored(
    library: Library, make_app: MakeApp
) -> None:
    first = library.articles()[0]
    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = await _dialog(app, pilot, first.id)
        dialog.query_one("#edit-url", Input).value = "not a web address"
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is dialog
        assert "url 'not a web address'" in str(dialog.query_one("#edit-error", Static).render())
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, EditMetaScreen)
    assert library.corrections() == []
    assert library.article(first.id).edited == ()
