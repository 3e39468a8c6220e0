"""The whole app under a pilot: panes, keys, palette, help, export, safety, small terminals."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from newsbrowse.store.citations import quotation
from newsbrowse.store.library import Library
from newsbrowse.store.model import Article
from newsbrowse.tui.app import EMPTY_STORE, NewsbrowseApp
from newsbrowse.tui.screens.demand import DemandScreen
from newsbrowse.tui.screens.export import ExportScreen
from newsbrowse.tui.screens.help import HelpScreen
from newsbrowse.tui.widgets.article_list import ArticleList
from newsbrowse.tui.widgets.demands import DemandsPanel
from newsbrowse.tui.widgets.quote_info import QuoteInfo
from newsbrowse.tui.widgets.reader import Reader
from newsbrowse.tui.widgets.search_bar import SearchBar
from textual import events
from textual.command import CommandPalette
from textual.widgets import Footer, Input, OptionList

MakeApp = Callable[[Library], NewsbrowseApp]


def shown_ids(articles: ArticleList) -> set[str]:
    """The ids of the rows the list shows (the seeds: a page)."""
    return {articles.summary_at(i).id for i in range(articles.count)}  # type: ignore[union-attr]


MARKUP_TITLE = "[bold]x[/] [@click=app.quit]"


def _help_text(app: NewsbrowseApp) -> str:
    screen = app.screen
    assert isinstance(screen, HelpScreen)
    return "\n".join(
        f"{line.key} {line.description}" for section in screen.sections for line in section.keys
    )


async def test_first_screen_has_three_panes_and_names_the_store(
    library: Library, make_app: MakeApp
) -> None:
    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.title == "newsbrowse"
        assert app.sub_title == "test-home · 0 selected"
        assert str(app.query_one(QuoteInfo).render()).startswith("0 selected")
        for pane in (ArticleList, Reader, DemandsPanel):
            assert app.query_one(pane).display and app.query_one(pane).size.width >= 20
        assert app.focused is app.query_one(ArticleList)


async def test_enter_opens_the_highlighted_article(library: Library, make_app: MakeApp) -> None:
    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("down", "enter")
        await pilot.pause()
        reader = app.query_one(Reader)
        second = library.articles()[1]
        assert reader.article is not None and reader.article.id == second.id
        assert reader.text.plain.startswith(second.title)
        assert app.focused is reader


async def test_help_lists_keys_of_every_pane_focused_first(
    library: Library, make_app: MakeApp
) -> None:
    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter", "question_mark")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HelpScreen)
        assert screen.sections[0].title == "Reader" and screen.sections[0].focused
        keys = _help_text(app)
        for line in ("] Next", "[ Prev", "space Select", "/ Find", "e Export",
                     "y Copy", "? Keys", "q Quit", "n Next hit", "N Prev hit", "↑ ↓ j k Move",
                     "esc Close search", "⏎ Open", "esc Clear filter"):  # fmt: skip
            assert line in keys
        assert "tab / shift+tab" in screen.sections[1].keys[-1].tooltip
        for inherited in ("Scroll Left", "Page Right", "Focus Next", "Copy selected text"):
            assert inherited not in keys
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)


async def test_palette_opens_an_article_by_title(library: Library, make_app: MakeApp) -> None:
    app = make_app(library)
    target = library.articles()[-1]
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*f"Open: {target.title}")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        reader = app.query_one(Reader)
        assert reader.article is not None and reader.article.id == target.id


async def test_palette_demand_filters_and_c_clears(library: Library, make_app: MakeApp) -> None:
    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.press(*"Demand: Moscow-NATO hotline")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DemandScreen)  # the demand view, over the filtered list
        await pilot.press("escape")
        await pilot.pause()
        articles = app.query_one(ArticleList)
        assert articles.filter_demand == "hotline"
        assert "Moscow-NATO hotline" in str(articles.border_title)
        await pilot.press("c")
        await pilot.pause()
        assert articles.filter_demand is None


async def test_q_quits(library: Library, make_app: MakeApp) -> None:
    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_markup_in_titles_and_text_is_shown_literally(
    hostile_library: Library, make_app: MakeApp
) -> None:
    app = make_app(hostile_library)
    async with app.run_test(size=(120, 40)) as pilot:
        articles = app.query_one(ArticleList)
        rows = [articles.row_prompt(i).plain for i in range(articles.count)]  # type: ignore[union-attr]
        articles.move_cursor(next(i for i, r in enumerate(rows) if MARKUP_TITLE in r))
        await pilot.press("enter")
        await pilot.pause()
        reader = app.query_one(Reader)
        assert reader.text.plain.startswith(MARKUP_TITLE)
        assert "[red]spoke[/]" in reader.text.plain
        await pilot.press("right_square_bracket", "space")
        await pilot.pause()
        await pilot.click(ArticleList, offset=(4, 1))
        await pilot.click(Reader, offset=(4, 1))
        await pilot.pause()
        assert app.is_running
        assert len(hostile_library.selected_ids()) == 1
        await pilot.press("ctrl+p", *"Open: [bold]x")
        await pilot.pause(0.5)
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        shown = palette.query_one(OptionList)
        prompts = [str(shown.get_option_at_index(i).prompt) for i in range(shown.option_count)]
        assert any(MARKUP_TITLE in p for p in prompts), prompts
        await pilot.press("enter")
        await pilot.pause()
        assert app.is_running


async def test_empty_store_shows_a_sentence(empty_library: Library, make_app: MakeApp) -> None:
    app = make_app(empty_library)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter", "e", "y")
        await pilot.pause()
        assert app.query_one(Reader).text.plain == EMPTY_STORE


async def test_y_copies_the_selection_as_markdown(library: Library, make_app: MakeApp) -> None:
    quote = library.quotes()[0]
    library.select(quote.id)
    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("y")
        await pilot.pause()
        assert quotation(quote.text) in app.clipboard  # its trailing comma dropped
        assert app.clipboard.lstrip().startswith(">")


async def test_e_exports_the_selection_to_the_chosen_file(
    library: Library, make_app: MakeApp, tmp_path: Path
) -> None:
    quotes = library.quotes()[:2]
    for quote in quotes:
        library.select(quote.id)
    target = tmp_path / "out.json"
    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        await pilot.press("j")
        app.screen.query_one("#export-path", Input).value = str(target)
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, ExportScreen)
    records = json.loads(target.read_text(encoding="utf-8"))
    assert [r["text"] for r in records] == [q.text for q in quotes]


async def test_search_keys_jump_between_hits(library: Library, make_app: MakeApp) -> None:
    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash", *"guarantees")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        bar = app.query_one(SearchBar)
        reader = app.query_one(Reader)
        first = bar.current_hit
        assert first is not None and reader.article.id == first.article_id
        assert reader.evidence == (first.start, first.end)
        assert reader.search_spans
        assert app.focused is reader
        await pilot.press("n")
        await pilot.pause()
        assert bar.current_hit is not first
        await pilot.press("N")
        await pilot.pause()
        assert bar.current_hit == first


async def test_demand_panel_items_open_their_evidence(
    library: Library, make_app: MakeApp, sample: Article
) -> None:
    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        link = sample.links[-1]
        app.query_one(DemandsPanel).post_message(DemandsPanel.EvidenceSelected(link))
        await pilot.pause()
        reader = app.query_one(Reader)
        assert reader.article.id == sample.id
        assert reader.evidence == (link.start, link.end)
        app.query_one(DemandsPanel).post_message(DemandsPanel.DemandSelected("hotline"))
        await pilot.pause()
        expected = {lk.article_id for lk in library.links(demand="hotline")}
        assert sample.id in expected
        assert shown_ids(app.query_one(ArticleList)) == expected


async def test_small_terminals_keep_every_control(library: Library, make_app: MakeApp) -> None:
    for size in ((80, 24), (60, 20)):
        app = make_app(library)
        async with app.run_test(size=size) as pilot:
            await pilot.press("enter", "right_square_bracket", "space")
            await pilot.pause()
            demands = app.query_one(DemandsPanel)
            assert not demands.display
            await pilot.press("d")
            await pilot.pause()
            assert demands.display
            for pane in (ArticleList, Reader, DemandsPanel):
                region = app.query_one(pane).region
                assert region.width >= 10 and region.right <= size[0], (size, pane)
            await pilot.press("d")
            await pilot.pause()
            reader_keys = {"right_square_bracket", "left_square_bracket", "space"}
            for key in reader_keys | {"question_mark", "slash", "e", "d"}:
                footer = app.query_one(Footer).walk_children()
                (shown,) = [k for k in footer if getattr(k, "key", None) == key]
                assert shown.region.right <= size[0], (size, key)
            await pilot.press("question_mark", "escape", "slash", "escape")
            await pilot.pause()
            assert "1 selected" in app.sub_title
        library.clear_selection()


async def test_choosing_a_demand_in_the_panel_filters_and_can_close_it(
    library: Library, make_app: MakeApp
) -> None:
    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        panel = app.query_one(DemandsPanel)
        panel.focus()
        first = library.codebook.demands[0]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DemandScreen) and app.screen.slug == first.slug
        await pilot.press("escape")
        await pilot.pause()
        expected = {link.article_id for link in library.links(demand=first.slug)}
        assert shown_ids(app.query_one(ArticleList)) == expected
        assert panel.has_focus and not panel.root.children[0].is_expanded
        await pilot.press("space")
        await pilot.pause()
        assert panel.root.children[0].is_expanded
        await pilot.press("space")
        await pilot.pause()
        assert not panel.root.children[0].is_expanded


async def test_palette_switches_theme_and_clears_the_selection(
    library: Library, make_app: MakeApp
) -> None:
    library.select(library.quotes()[0].id)
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        for command in ("Switch theme", "Clear selection"):
            await pilot.press("ctrl+p", *command)
            await pilot.pause(0.5)
            await pilot.press("enter")
            await pilot.pause()
        assert app.theme == "textual-light"
        assert library.selected_ids() == []
        assert "0 selected" in app.sub_title
        await pilot.press("ctrl+p", *"Demand: Moscow-NATO hotline")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert app.query_one(DemandsPanel).display  # revealed even below 100 columns


async def test_keys_typed_with_the_slash_reach_the_search_field(
    library: Library, make_app: MakeApp
) -> None:
    """A terminal delivers "/nato" typed fast in one read: every letter lands in the field,
    none in the pane that had the focus; in a text field / is just typed."""
    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")  # the reader has the focus: n would be "next hit"
        await pilot.pause()
        for key in ("slash", "n", "a", "t", "o"):
            app.post_message(events.Key(key, "/" if key == "slash" else key))
        await pilot.pause()
        field = app.query_one("#search-input", Input)
        assert app.focused is field and field.value == "nato"
        await pilot.press("slash", "x")
        assert field.value == "nato/x"


async def test_palette_in_a_large_store_finds_titles_by_search(
    library: Library, make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past FUZZY_ALL articles the palette holds the list's first page only and asks the
    full-text search for the rest; it never reads every summary."""
    from newsbrowse.tui import commands

    monkeypatch.setattr(commands, "FUZZY_ALL", 2)
    monkeypatch.setattr(library, "articles", lambda: pytest.fail("articles() was called"))
    (late,) = library.article_page(4, 1)
    word = max(late.title.split(), key=len)
    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p", *f"Open: {word}")
        await pilot.pause(0.5)
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        shown = palette.query_one(OptionList)
        prompts = [str(shown.get_option_at_index(i).prompt) for i in range(shown.option_count)]
        assert any(late.title in p for p in prompts), prompts
