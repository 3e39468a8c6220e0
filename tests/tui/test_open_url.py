"""The reader's o key (issue 17): the open article's URL in the web browser (the edited
URL when the user corrected it), off the event loop; a one-line note when it has none.
The header's URL is a link, which Textual draws as OSC 8 where the terminal can."""

from __future__ import annotations

import webbrowser
from collections.abc import Callable

import pytest
from newsbrowse.store.library import Library
from newsbrowse.tui.app import NewsbrowseApp
from newsbrowse.tui.cli_serve import WEB_DRIVER
from newsbrowse.tui.widgets.meta_keys import NO_URL
from newsbrowse.tui.widgets.reader import Reader

MakeApp = Callable[[Library], NewsbrowseApp]
EDITED = "https://example.org/news/edited-address"


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The URLs ``webbrowser.open`` was asked for (no browser is started)."""
    calls: list[str] = []

    def fake_open(url: str, *args: object, **kwargs: object) -> bool:
        calls.append(url)
        return True

    monkeypatch.setattr(webbrowser, "open", fake_open)
    return calls


def _messages(app: NewsbrowseApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def _press_o(app: NewsbrowseApp, pilot, article_id: str) -> None:
    app.open_article(article_id)
    app.query_one(Reader).focus()
    await pilot.press("o")
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_o_opens_the_edited_url_and_says_so(
    library: Library, make_app: MakeApp, opened: list[str]
) -> None:
    first = library.articles()[0]
    library.edit_meta(first.id, url=EDITED)
    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await _press_o(app, pilot, first.id)
        assert opened == [EDITED]
        assert "Opened URL" in _messages(app)
        header = app.query_one(Reader).text
        links = [span.style.link for span in header.spans if not isinstance(span.style, str)]
        assert EDITED in links  # the header's URL is a link to the same address


async def test_o_without_a_url_says_so_and_opens_nothing(
    library: Library, make_app: MakeApp, opened: list[str]
) -> None:
    first = library.articles()[0]
    assert not library.article(first.id).url  # the seeds name no address
    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await _press_o(app, pilot, first.id)
        assert opened == []
        assert _messages(app) == [NO_URL]


async def test_o_in_a_browser_session_asks_the_page_for_a_tab(
    library: Library, make_app: MakeApp, opened: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    first = library.articles()[0]
    library.edit_meta(first.id, url=EDITED)
    monkeypatch.setenv("TEXTUAL_DRIVER", WEB_DRIVER)  # as textual-serve sets it
    app = make_app(library)
    asked: list[str] = []
    monkeypatch.setattr(app, "open_url", lambda url, **kw: asked.append(url))
    async with app.run_test(size=(120, 40)) as pilot:
        await _press_o(app, pilot, first.id)
        assert asked == [EDITED] and opened == []  # no browser started on the server
        assert "Opened URL" in _messages(app)
