"""The app's keys for the rest of the analyst's last word (issue 16): a link corrected
or removed (from the reader and the demands panel), a note, a quote made from the text
selected with the mouse, and undo; each kept through a re-analysis."""

from __future__ import annotations

from collections.abc import Callable

from newsbrowse.store.library import Library
from newsbrowse.store.model import STANCES
from newsbrowse.tui.app import NewsbrowseApp
from newsbrowse.tui.screens.correct import ChoiceScreen, SpeakerScreen
from newsbrowse.tui.screens.note import NoteScreen
from newsbrowse.tui.widgets.demands import DemandsPanel, EvidenceItem
from newsbrowse.tui.widgets.link_keys import LinkCorrectionAsked
from newsbrowse.tui.widgets.quote_info import QuoteInfo
from newsbrowse.tui.widgets.reader import Reader, ReaderBody
from textual.geometry import Offset
from textual.selection import Selection
from textual.widgets import Input, OptionList

MakeApp = Callable[[Library], NewsbrowseApp]


def _most_linked(library: Library) -> str:
    return max(library.articles(), key=lambda s: s.link_count).id


async def _choose(pilot, key: str) -> None:
    options = pilot.app.screen.query_one(OptionList)
    keys = [options.get_option_at_index(i).id for i in range(options.option_count)]
    options.highlighted = keys.index(key)
    await pilot.press("enter")
    await pilot.pause()


async def _reader_on(app: NewsbrowseApp, pilot, article_id: str) -> Reader:
    app.open_article(article_id)
    reader = app.query_one(Reader)
    reader.focus()
    await pilot.pause()
    return reader


async def test_g_changes_a_links_stance_u_undoes_it_and_it_survives_reanalyse(
    library: Library, make_app: MakeApp
) -> None:
    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        reader = await _reader_on(app, pilot, _most_linked(library))
        await pilot.press("right_curly_bracket")
        await pilot.pause()
        link = reader.current_link
        assert link is not None and reader.evidence == (link.start, link.end)
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        await _choose(pilot, "stance")
        assert isinstance(app.screen, ChoiceScreen)
        other = next(s for s in STANCES if s != link.stance)
        await _choose(pilot, other)
        (changed,) = [k for k in library.article(link.article_id).links if k.id == link.id]
        assert changed.stance == other and changed.corrected
        assert reader.current_link is not None and reader.current_link.stance == other
        library.reanalyse()
        (kept,) = [k for k in library.article(link.article_id).links if k.id == link.id]
        assert kept.stance == other
        await pilot.press("u")
        await pilot.pause()
        (back,) = [k for k in library.article(link.article_id).links if k.id == link.id]
        assert back.stance == link.stance and not back.corrected
        assert library.corrections() == []


async def test_g_removes_a_link_and_changes_a_demand(library: Library, make_app: MakeApp) -> None:
    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        article_id = _most_linked(library)
        reader = await _reader_on(app, pilot, article_id)
        await pilot.press("right_curly_bracket", "right_curly_bracket", "g")
        await pilot.pause()
        link = reader.current_link
        assert link is not None
        await _choose(pilot, "remove")
        assert link.id not in [k.id for k in library.article(article_id).links]
        assert link.id not in [k.id for k in reader.article.links]
        await pilot.press("left_curly_bracket", "g")
        await pilot.pause()
        first = reader.current_link
        await _choose(pilot, "demand")
        other = next(s for s in library.codebook.slugs if s != first.demand)
        await _choose(pilot, other)
        (moved,) = [k for k in library.article(article_id).links if k.id == first.id]
        assert moved.demand == other and moved.corrected


async def test_g_in_the_demands_panel_asks_for_the_highlighted_item(
    library: Library, make_app: MakeApp
) -> None:
    app = make_app(library)
    asked: list[LinkCorrectionAsked] = []

    def hook(message: object) -> None:
        if isinstance(message, LinkCorrectionAsked):
            asked.append(message)

    async with app.run_test(size=(140, 40), message_hook=hook) as pilot:
        panel = app.query_one(DemandsPanel)
        panel.focus()
        await pilot.press("g")  # on a demand: nothing asked
        await pilot.pause()
        assert asked == []
        await pilot.press("space")  # open the demand in the panel (enter: the demand view)
        for _ in range(6):  # down to the demand's first item
            if isinstance(panel.cursor_node.data, EvidenceItem):
                break
            await pilot.press("down")
            await pilot.pause()
        assert isinstance(panel.cursor_node.data, EvidenceItem)
        link = panel.cursor_node.data.link
        await pilot.press("g")
        await pilot.pause()
        assert {a.link for a in asked} == {link}  # (seen once per pane it bubbles through)
        await _choose(pilot, "remove")
        assert link.id not in [k.id for k in library.article(link.article_id).links]


async def test_m_writes_a_note_on_the_quote_then_on_the_link(
    library: Library, make_app: MakeApp
) -> None:
    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        reader = await _reader_on(app, pilot, _most_linked(library))
        await pilot.press("right_square_bracket", "m")
        await pilot.pause()
        quote = reader.current_quote
        assert isinstance(app.screen, NoteScreen)
        await pilot.press(*"check the tape", "enter")
        await pilot.pause()
        assert library.quote(quote.id).note == "check the tape"
        assert "note: check the tape" in str(app.query_one(QuoteInfo).render())
        await pilot.press("right_curly_bracket", "m")
        await pilot.pause()
        link = reader.current_link
        await pilot.press(*"not about NATO", "enter")
        await pilot.pause()
        (noted,) = [k for k in library.article(link.article_id).links if k.id == link.id]
        assert noted.note == "not about NATO"
        info = str(app.query_one(QuoteInfo).render())
        assert f"link: {link.demand}" in info and "note: not about NATO" in info
        await pilot.press("m")
        await pilot.pause()
        assert app.screen.query_one(Input).value == "not about NATO"
        await pilot.press("escape")
        await pilot.pause()
        assert len(library.corrections()) == 2
        library.reanalyse()
        assert library.quote(quote.id).note == "check the tape"


def _selection_of(reader: Reader, start: int, end: int) -> Selection:
    """The mouse selection that covers body[start:end] as drawn."""
    lo, hi = reader.locate(start, end)
    plain = reader.text.plain

    def offset(at: int) -> Offset:
        line = plain.count("\n", 0, at)
        return Offset(at - (plain.rfind("\n", 0, at) + 1), line)

    return Selection(offset(lo), offset(hi))


async def test_a_makes_a_quote_of_the_text_selected_with_the_mouse(
    library: Library, make_app: MakeApp
) -> None:
    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        article_id = _most_linked(library)
        reader = await _reader_on(app, pilot, article_id)
        await pilot.press("a")  # nothing selected: a warning, nothing asked
        await pilot.pause()
        assert not isinstance(app.screen, SpeakerScreen)
        body = reader.article.body
        start = next(
            i
            for i in range(len(body) - 30)
            if body[i].isalpha()
            and body[i - 1] == " "
            and not any(q.start < i + 30 and i < q.end for q in reader.article.quotes)
        )
        chunk = body[start : start + 20]
        words = chunk[: chunk.rfind(" ")]  # whole words, a space after them
        end = start + len(words)
        selection = _selection_of(reader, start - 1, end + 1)  # the spaces around are dropped
        app.screen.selections = {reader.query_one(ReaderBody): selection}
        assert reader.selected_span() == (start, end)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, SpeakerScreen)
        await pilot.press(*"Ann Analyst", "enter")
        await pilot.pause()
        side = library.sides[0]
        await _choose(pilot, side)
        added = library.quote(f"{article_id}-q{start}")
        assert (added.text, added.speaker, added.side) == (words, "Ann Analyst", side)
        assert added.id in [q.id for q in reader.article.quotes]
        library.reanalyse()
        assert library.quote(added.id).speaker == "Ann Analyst"


async def test_t_ties_the_sentence_of_the_quote_to_a_demand(
    library: Library, make_app: MakeApp
) -> None:
    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        article_id = _most_linked(library)
        reader = await _reader_on(app, pilot, article_id)
        await pilot.press("right_square_bracket")
        await pilot.pause()
        quote = reader.current_quote
        start, end = library.sentence_at(article_id, quote.start)
        taken = {lk.demand for lk in reader.article.links if lk.start == start}
        demand = next(s for s in library.codebook.slugs if s not in taken)
        await pilot.press("t")
        await pilot.pause()
        await _choose(pilot, demand)
        await _choose(pilot, library.codebook.answering)
        await _choose(pilot, "conditional")  # a reply: its stance is asked
        link_id = f"{article_id}-l{start}-{demand}"
        (added,) = [lk for lk in library.article(article_id).links if lk.id == link_id]
        assert (added.start, added.end, added.stance) == (start, end, "conditional")
        assert link_id in {lk.id for lk in reader.article.links}
        await pilot.press("u")
        await pilot.pause()
        assert link_id not in {lk.id for lk in library.article(article_id).links}


async def test_U_lists_the_corrections_and_enter_undoes_one(
    library: Library, make_app: MakeApp
) -> None:
    from newsbrowse.tui.screens.corrections import CorrectionsScreen

    article = library.article(_most_linked(library))
    first, second = article.quotes[0], article.quotes[1]
    older = library.add_note(first.id, "older")
    newer = library.add_note(second.id, "newer")
    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await _reader_on(app, pilot, article.id)
        await pilot.press("U")
        await pilot.pause()
        assert isinstance(app.screen, CorrectionsScreen)
        options = app.screen.query_one(OptionList)
        assert [options.get_option_at_index(i).id for i in range(2)] == [newer.id, older.id]
        await pilot.press("down", "enter")
        await pilot.pause()
        assert [r.correction.id for r in library.corrections()] == [newer.id]
        assert library.quote(first.id).note is None
