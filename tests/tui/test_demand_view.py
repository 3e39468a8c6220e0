"""The demand view: one demand on the whole screen, the demanding side's statements on the
left and the answering side's replies on the right, each item whole, paged from the index."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import replace

from newsbrowse.store.library import Library
from newsbrowse.store.model import Article, ArticleSummary, Link, Quote
from newsbrowse.tui.app import NewsbrowseApp
from newsbrowse.tui.screens.demand import DemandScreen
from newsbrowse.tui.widgets.article_list import ArticleList
from newsbrowse.tui.widgets.demand_items import PAGE, DemandItems, item_text
from newsbrowse.tui.widgets.demands import DemandsPanel
from newsbrowse.tui.widgets.reader import Reader
from textual.pilot import Pilot

MakeApp = Callable[[Library], NewsbrowseApp]


def columns(app: NewsbrowseApp) -> tuple[DemandItems, DemandItems]:
    left, right = app.screen.query(DemandItems)
    return left, right


def prompts(items: DemandItems) -> list[str]:
    return [
        str(items.get_option_at_index(i).prompt)
        for i in range(items.option_count)
        if items.get_option_at_index(i).id in {lk.id for lk in items.shown}
    ]


async def enter_on_demand(pilot: Pilot, app: NewsbrowseApp, slug: str) -> None:
    panel = app.query_one(DemandsPanel)
    panel.focus()
    panel.move_cursor(next(n for n in panel.root.children if n.data.slug == slug))
    await pilot.press("enter")
    await pilot.pause()


async def test_enter_on_a_demand_opens_its_view_and_escape_returns(
    library: Library, make_app: MakeApp
) -> None:
    app = make_app(library)
    counts = library.link_counts()["no-enlargement"]
    codebook = library.codebook
    async with app.run_test(size=(160, 50)) as pilot:
        await enter_on_demand(pilot, app, "no-enlargement")
        assert isinstance(app.screen, DemandScreen) and app.screen.slug == "no-enlargement"
        left, right = columns(app)
        assert (left.side, right.side) == (codebook.demanding, codebook.answering)
        assert len(left.shown) == counts[codebook.demanding]
        assert len(right.shown) == counts[codebook.answering]
        assert left.has_focus
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, DemandScreen)
        assert app.query_one(ArticleList).filter_demand == "no-enlargement"


async def test_the_palette_opens_the_demand_view(library: Library, make_app: MakeApp) -> None:
    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p", *"Demand: Moscow-NATO hotline")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DemandScreen) and app.screen.slug == "hotline"


async def test_enter_on_an_item_opens_its_article_at_the_evidence(
    library: Library, make_app: MakeApp
) -> None:
    app = make_app(library)
    async with app.run_test(size=(160, 50)) as pilot:
        await enter_on_demand(pilot, app, "talks")
        _, right = columns(app)
        await pilot.press("right")
        assert right.has_focus
        await pilot.press("down", "enter")
        await pilot.pause()
        link = right.shown[1]
        assert not isinstance(app.screen, DemandScreen)
        reader = app.query_one(Reader)
        assert reader.article is not None and reader.article.id == link.article_id
        assert reader.evidence == (link.start, link.end)
        assert reader.has_focus


async def test_items_come_whole_in_date_order(library: Library, make_app: MakeApp) -> None:
    app = make_app(library)
    async with app.run_test(size=(200, 50)) as pilot:
        await enter_on_demand(pilot, app, "no-enlargement")
        left, right = columns(app)
        summaries = library.summaries(lk.article_id for lk in left.shown)
        dates = [summaries[lk.article_id].date or "9999" for lk in left.shown]
        assert dates == sorted(dates)
        for items in (left, right):
            for link, prompt in zip(items.shown, prompts(items), strict=True):
                words = re.sub(r"^[\u201c\u201d\"]+|[\u201c\u201d\",: ]+$", "", link.evidence)
                assert words.rstrip(".,:") in prompt.replace("\n", " ").replace("  ", " ")
        reply = prompts(right)
        assert all("US/NATO" in p and "✗ rejects" in p for p in reply)
        assert any("Russia · ▶ demands" in p for p in prompts(left))


async def test_the_view_works_at_any_terminal_size(library: Library, make_app: MakeApp) -> None:
    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await enter_on_demand(pilot, app, "talks")
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.resize_terminal(140, 40)
        await pilot.pause()
        assert isinstance(app.screen, DemandScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert not app.query_one("AppFooter").compact  # the main screen's footer, resized


# the item's words ---------------------------------------------------------------------------
def _summary(**kw: object) -> ArticleSummary:
    base = dict(id="a1", title="Talks “even tomorrow”", source=None, url=None,
                date="2021-12-17", date_basis="inferred", words=10, quote_count=1,
                link_count=1)  # fmt: skip
    base.update(kw)
    return ArticleSummary.from_dict(base)


def test_a_direct_quote_is_in_marks_and_a_narrative_sentence_is_not(library: Library) -> None:
    sides = library.codebook.sides
    quote = Quote("a1-q10", "a1", "We are not flexible,", "Jen Psaki", "us_nato", "said", 10, 30)
    direct = Link("l1", "a1", "talks", "us_nato", "rejects", "We are not flexible,", 10, 30,
                  quote.id)  # fmt: skip
    text = item_text(direct, quote, _summary(), sides).plain
    first, who, where = text.split("\n")
    assert first == "\u201cWe are not flexible\u201d"
    assert who == "Jen Psaki · US/NATO · ✗ rejects"
    assert where == "Talks “even tomorrow” · source unknown · ~2021-12-17"
    narrative = replace(direct, evidence="Washington refused to amend it.", quote_id=None)
    summary = _summary(source="Wire", date_basis="stated")
    first, who, where = item_text(narrative, None, summary, sides).plain.split("\n")
    assert first == "Washington refused to amend it."
    assert who.endswith("US/NATO · ✗ rejects") and "Psaki" not in who
    assert where.endswith("Wire · 2021-12-17")


# paging -------------------------------------------------------------------------------------
class ManyLinks:
    """A library whose demand has 2 x PAGE + 5 replies; it records every page asked for."""

    def __init__(self, library: Library, article: Article) -> None:
        self.codebook = library.codebook
        self.article = article
        self.total = 2 * PAGE + 5
        self.pages: list[tuple[int, int | None]] = []

    def links(self, demand=None, side=None, offset=0, limit=None, stance=None) -> list[Link]:
        assert limit is not None, "the view never reads every link"
        self.pages.append((offset, limit))
        if side != self.codebook.answering:
            return []
        stop = min(self.total, offset + limit)
        return [Link(f"l{i}", self.article.id, demand, side, "open", f"Reply number {i}.",
                     0, 5, None) for i in range(offset, stop)]  # fmt: skip

    def link_counts(self) -> dict[str, dict[str, int]]:
        return {"hotline": {self.codebook.answering: self.total, "open": self.total}}

    def summaries(self, ids: Iterable[str]) -> dict[str, ArticleSummary]:
        return {i: _summary(id=i) for i in ids}

    def quote(self, quote_id: str) -> Quote:
        raise AssertionError("no link here holds a quote")


async def test_items_are_read_a_page_at_a_time(library: Library, sample: Article) -> None:
    from textual.app import App

    fake = ManyLinks(library, sample)

    class Host(App[None]):
        def on_mount(self) -> None:
            self.push_screen(DemandScreen(fake, "hotline"))  # type: ignore[arg-type]

    app = Host()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        _, right = app.screen.query(DemandItems)
        assert len(right.shown) == PAGE
        assert (0, PAGE) in fake.pages
        await pilot.press("right", "end")  # to the "… more" line: the next page comes
        await pilot.pause()
        assert len(right.shown) == 2 * PAGE
        await pilot.press("end")
        await pilot.pause()
        assert len(right.shown) == fake.total
        assert [lk.id for lk in right.shown] == [f"l{i}" for i in range(fake.total)]
