"""Import from inside the app: `i` opens a path prompt that completes on paths; the import
runs in a worker behind a progress bar; the list, reader and demands panel follow."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from newsbrowse.store.library import Library
from newsbrowse.tui.app import NewsbrowseApp
from newsbrowse.tui.screens.import_files import ImportScreen
from newsbrowse.tui.screens.path_suggester import complete_path
from newsbrowse.tui.widgets.article_list import ArticleList
from newsbrowse.tui.widgets.demands import DemandsPanel
from newsbrowse.tui.widgets.reader import Reader
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, Static

MakeApp = Callable[[Library], NewsbrowseApp]

# Two short articles in our own words, each tied to demands of the codebook.
ARTICLES = {
    "brussels-reply.txt": (
        "Alliance answers Moscow on exercises and missiles\n\n"
        "BRUSSELS, Jan. 26 (Example Wire) - NATO Secretary-General Jens Stoltenberg said the "
        "allies were ready to discuss limits on military exercises and on intermediate-range "
        "missiles in Europe.\n\n"
        '"We will not compromise on the right of every nation to choose its own path," '
        "Stoltenberg said at a news conference.\n"
    ),
    "geneva-talks.txt": (
        "Diplomats trade proposals on a Geneva hotline\n\n"
        "GENEVA, Jan. 12 (Example Wire) - Russian Deputy Foreign Minister Sergei Ryabkov said "
        "on Wednesday that Moscow wanted written promises that NATO would stop its expansion "
        "to the east.\n\n"
        '"We need legally binding guarantees that the alliance will not admit Ukraine," '
        "Ryabkov told reporters after the meeting.\n"
    ),
}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder of the two articles."""
    path = tmp_path / "new articles"
    path.mkdir()
    for name, text in ARTICLES.items():
        (path / name).write_text(text, encoding="utf-8")
    return path


def _demand_rows(app: NewsbrowseApp) -> list[str]:
    return [str(node.label) for node in app.query_one(DemandsPanel).root.children]


def _notes(app: NewsbrowseApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def _type(pilot: Pilot, text: str) -> None:
    """Type ``text`` key by key, as a user does."""
    await pilot.press(*text)


async def _import_and_wait(pilot: Pilot) -> None:
    await pilot.press("enter")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


async def test_i_imports_a_folder_and_every_pane_follows(
    library: Library, make_app: MakeApp, folder: Path
) -> None:
    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        before = _demand_rows(app)
        total = app.query_one(ArticleList).total
        await pilot.press("i")
        assert isinstance(app.screen, ImportScreen)
        await _type(pilot, str(folder))
        assert app.screen.query_one(Input).value == str(folder)
        await _import_and_wait(pilot)
        assert not isinstance(app.screen, ImportScreen)
        articles = app.query_one(ArticleList)
        assert articles.total == total + 2
        first = library.quotes(speaker="stoltenberg")[0].article_id  # brussels-reply, by name
        assert articles.highlighted_id == first
        reader = app.query_one(Reader)
        assert reader.article is not None and reader.article.id == first
        assert _demand_rows(app) != before
        assert "2 imported, 0 skipped" in _notes(app)


async def test_the_palette_opens_the_import_dialog(library: Library, make_app: MakeApp) -> None:
    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p", *"Import files")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ImportScreen)
        await pilot.press("escape")
        assert not isinstance(app.screen, ImportScreen)


async def test_no_such_file_is_one_line_in_the_dialog_and_stores_nothing(
    library: Library, make_app: MakeApp, tmp_path: Path
) -> None:
    missing = tmp_path / "nope.txt"
    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        count = library.article_count()
        await pilot.press("i")
        await _type(pilot, str(missing))
        await _import_and_wait(pilot)
        assert isinstance(app.screen, ImportScreen), "the dialog stays, to correct the path"
        message = str(app.screen.query_one("#import-message", Static).render())
        assert message == f"cannot import {missing}: no such file; check the path"
        assert app.screen.query_one(Input).has_focus
        assert library.article_count() == count
        assert app.query_one(ArticleList).total == count
        await pilot.press("escape")
        assert not isinstance(app.screen, ImportScreen)


async def test_an_empty_path_is_refused_in_one_line(library: Library, make_app: MakeApp) -> None:
    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("i", "enter")
        await pilot.pause()
        message = str(app.screen.query_one("#import-message", Static).render())
        assert message.startswith("give a file, a folder")


async def test_a_pasted_path_lands_in_the_field(
    library: Library, make_app: MakeApp, folder: Path
) -> None:
    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("i")
        app.post_message(events.Paste(str(folder / "geneva-talks.txt")))
        await pilot.pause()
        assert app.screen.query_one(Input).value == str(folder / "geneva-talks.txt")
        await _import_and_wait(pilot)
        assert "1 imported, 0 skipped" in _notes(app)


async def test_tab_completes_the_path_a_folder_with_a_slash(
    library: Library, make_app: MakeApp, folder: Path
) -> None:
    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("i")
        await _type(pilot, str(folder.parent / "new"))
        await pilot.press("tab")
        assert app.screen.query_one(Input).value == f"{folder}/"
        await _type(pilot, "gen")
        await pilot.press("tab")
        assert app.screen.query_one(Input).value == str(folder / "geneva-talks.txt")


async def test_the_suggestion_is_accepted_with_right(
    library: Library, make_app: MakeApp, folder: Path
) -> None:
    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("i")
        await _type(pilot, f"{folder}/bru")
        await pilot.app.workers.wait_for_complete()  # the suggestion is found off the loop
        await pilot.pause()
        await pilot.press("right")
        assert app.screen.query_one(Input).value == str(folder / "brussels-reply.txt")


def test_completion_of_paths(folder: Path) -> None:
    (folder / ".hidden.txt").write_text("x", encoding="utf-8")
    (folder / "sub").mkdir()
    assert complete_path(f"{folder}/g") == str(folder / "geneva-talks.txt")
    assert complete_path(f"{folder}/s") == f"{folder}/sub/"
    assert complete_path(f"{folder}/") == str(folder / "brussels-reply.txt")  # hidden last
    assert complete_path(f"{folder}/.h") == str(folder / ".hidden.txt")
    assert complete_path(str(folder / "geneva-talks.txt")) is None  # nothing longer
    assert complete_path(f"{folder}/zzz") is None
    assert complete_path("https://example.org/fe") is None
    assert complete_path("") is None
    assert complete_path("~") == "~/"


async def test_escape_stops_an_import_and_keeps_what_it_analysed(
    library: Library, make_app: MakeApp, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsbrowse.store import importer

    gate = threading.Event()  # the first file waits until the test has pressed escape
    analyse = importer.analyse_file

    def held(item: importer.Item, seen: importer.Seen, rules: object) -> importer.Analysed:
        if item.path is not None and item.path.name == "brussels-reply.txt":
            assert gate.wait(10)
        return analyse(item, seen, rules)  # type: ignore[arg-type]

    monkeypatch.setattr(importer, "analyse_file", held)
    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        count = library.article_count()
        await pilot.press("i")
        await _type(pilot, str(folder))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ImportScreen) and app.screen.busy
        await pilot.press("escape")
        gate.set()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, ImportScreen)
        assert library.article_count() == count + 1, "the file analysed before the stop is kept"
        assert any(n.startswith("Import stopped: 1 imported") for n in _notes(app))


async def test_an_app_that_reads_only_says_who_holds_the_store(
    seeded_home: Path, make_app: MakeApp, folder: Path
) -> None:
    """An app opened read-only takes the write lock for the import; held by another
    process, the dialog names it in one line and nothing is stored."""
    from tests.test_safety_store import _holder

    holder = _holder(seeded_home, "newsbrowse import")
    library = Library.open(seeded_home, read_only=True)
    try:
        app = make_app(library)
        async with app.run_test(size=(120, 40)) as pilot:
            count = library.article_count()
            await pilot.press("i")
            await _type(pilot, str(folder))
            await _import_and_wait(pilot)
            assert isinstance(app.screen, ImportScreen)
            message = str(app.screen.query_one("#import-message", Static).render())
            assert message == (
                f"cannot import {folder}: the store in {seeded_home} is in use by process "
                f"{holder.pid} (newsbrowse import); close that newsbrowse and try again"
            )
            assert library.article_count() == count
    finally:
        library.close()
        holder.kill()
        holder.wait()
