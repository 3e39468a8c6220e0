"""The demands panel: the codebook with counts, lazy groups, stances and the messages it posts."""

from __future__ import annotations

import dataclasses
import re
from collections import Counter

import pytest
from helpers import HostApp, LinkedLibrary, link_on
from newsbrowse.store.library import Library
from newsbrowse.store.model import Link
from newsbrowse.tui.widgets.demands import (
    NOTHING,
    PAGE,
    DemandsPanel,
    EvidenceItem,
    MoreItem,
    excerpt,
)
from rich.style import Style
from textual.pilot import Pilot
from textual.widgets.tree import TreeNode

MESSAGES = (DemandsPanel.DemandSelected, DemandsPanel.EvidenceSelected)
MARKUP = "[bold]x[/] [@click=app.quit]"


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    return Library.open(tmp_path_factory.mktemp("demands") / "home")


@pytest.fixture(scope="module")
def links(library: Library) -> list[Link]:
    """Links on real seed paragraphs: two Russian statements and two replies of two stances."""
    return [
        link_on(library, "one inch", "no-enlargement", "russia"),
        link_on(library, "that it will not expand", "no-enlargement", "russia"),
        link_on(library, "open door", "no-enlargement", "us_nato", "rejects"),
        link_on(library, "reciprocal", "no-enlargement", "us_nato", "open"),
        link_on(library, "legally binding guarantees", "legal-guarantees", "russia"),
    ]


def host(library: object) -> HostApp:
    return HostApp(lambda: DemandsPanel(library, id="demands"), MESSAGES)  # type: ignore[arg-type]


def plain_lines(panel: DemandsPanel) -> list[str]:
    """What the tree shows, one string per visible line (labels only)."""
    out = []
    for line_no in range(panel.last_line + 1):
        node = panel.get_node_at_line(line_no)
        assert node is not None
        out.append(node.label.plain)
    return out


def demand_node(panel: DemandsPanel, slug: str) -> TreeNode:
    return next(n for n in panel.root.children if n.data and n.data.slug == slug)


async def open_demand(pilot: Pilot, panel: DemandsPanel, slug: str) -> None:
    """Expand a demand in the panel (space: enter opens the demand view instead)."""
    panel.focus()
    panel.move_cursor(demand_node(panel, slug))
    await pilot.press("space")
    await pilot.pause()


async def test_every_demand_of_the_codebook_with_the_stores_counts(library: Library) -> None:
    """Against the real store: one line per demand, counts as the store's links give them."""
    app = host(library)
    async with app.run_test(message_hook=app.hook) as pilot:
        await pilot.pause()
        panel = app.query_one(DemandsPanel)
        lines = plain_lines(panel)
        tally = Counter((lk.demand, lk.side) for lk in library.links())
        assert len(lines) == len(library.codebook.demands)
        for line, demand in zip(lines, library.codebook.demands, strict=True):
            russia, replies = tally[demand.slug, "russia"], tally[demand.slug, "us_nato"]
            assert line == f"{demand.title}  R {russia} · US {replies}"


async def test_expanding_shows_russia_and_each_reply_with_symbol_and_word(
    library: Library, links: list[Link]
) -> None:
    app = host(LinkedLibrary(library, links))
    async with app.run_test(size=(140, 30), message_hook=app.hook) as pilot:
        panel = app.query_one(DemandsPanel)
        assert plain_lines(panel)[0] == "No NATO enlargement  R 2 · US 2"
        await open_demand(pilot, panel, "no-enlargement")
        lines = plain_lines(panel)
        assert lines[1] == "Russia said (2)"
        assert lines[2].startswith(f"“{excerpt(links[0].evidence)}”  — ")
        assert lines[2].endswith("· 2022-02-21")  # the one seed whose date is stated
        assert lines[4] == "US/NATO replied (2)  ✗1  ◐1"
        assert lines[5].startswith("✗ rejects  “")
        assert lines[6].startswith("◐ open  “")
        assert "~20" in lines[6]  # an inferred date is marked as such
        assert lines[7] == "Ukraine and Georgia stay out  R 0 · US 0"


async def test_enter_on_an_item_posts_its_link(library: Library, links: list[Link]) -> None:
    app = host(LinkedLibrary(library, links))
    async with app.run_test(message_hook=app.hook) as pilot:
        panel = app.query_one(DemandsPanel)
        await open_demand(pilot, panel, "no-enlargement")
        await pilot.press("down", "down", "down", "down", "down", "enter")  # to the first reply
        await pilot.pause()
        chosen = app.of(DemandsPanel.EvidenceSelected)
        assert [m.link for m in chosen] == [links[2]]  # type: ignore[attr-defined]


async def test_enter_on_a_demand_posts_its_slug_and_space_toggles_it(
    library: Library, links: list[Link]
) -> None:
    app = host(LinkedLibrary(library, links))
    async with app.run_test(message_hook=app.hook) as pilot:
        panel = app.query_one(DemandsPanel)
        await open_demand(pilot, panel, "legal-guarantees")
        node = demand_node(panel, "legal-guarantees")
        assert node.is_expanded
        assert not app.of(DemandsPanel.DemandSelected)
        await pilot.press("space")
        await pilot.pause()
        assert not node.is_expanded
        await pilot.press("enter")  # the app opens the demand view: the tree stays as it is
        await pilot.pause()
        assert not node.is_expanded
        slugs = [m.slug for m in app.of(DemandsPanel.DemandSelected)]  # type: ignore[attr-defined]
        assert slugs == ["legal-guarantees"]
        assert not app.of(DemandsPanel.EvidenceSelected)


async def test_a_demand_without_replies_or_anything_says_so(
    library: Library, links: list[Link]
) -> None:
    app = host(LinkedLibrary(library, links))
    async with app.run_test(message_hook=app.hook) as pilot:
        panel = app.query_one(DemandsPanel)
        await open_demand(pilot, panel, "legal-guarantees")
        await open_demand(pilot, panel, "hotline")
        lines = plain_lines(panel)
        at = lines.index("Legally binding guarantees  R 1 · US 0")
        assert lines[at + 1] == "Russia said (1)"
        assert lines[at + 3 : at + 5] == ["US/NATO replied (0)", "no US/NATO reply in the corpus"]
        hotline = lines.index("Moscow-NATO hotline  R 0 · US 0")
        assert lines[hotline + 1] == NOTHING


async def test_markup_in_evidence_shows_literally_and_runs_nothing(
    library: Library, links: list[Link]
) -> None:
    hostile = dataclasses.replace(links[2], id="hostile", evidence=MARKUP)
    app = host(LinkedLibrary(library, [hostile]))
    async with app.run_test(message_hook=app.hook) as pilot:
        panel = app.query_one(DemandsPanel)
        await open_demand(pilot, panel, "no-enlargement")
        await pilot.press("down", "down", "down", "down")
        await pilot.pause()
        assert plain_lines(panel)[4].startswith(f"✗ rejects  “{MARKUP}”")
        await pilot.press("enter")
        await pilot.pause()
        assert app.is_running
        assert [m.link.id for m in app.of(DemandsPanel.EvidenceSelected)] == ["hostile"]  # type: ignore[attr-defined]


async def test_a_long_group_shows_a_page_then_loads_more(
    library: Library, links: list[Link]
) -> None:
    many = [dataclasses.replace(links[0], id=f"many-{i}", start=i) for i in range(PAGE + 3)]
    app = host(LinkedLibrary(library, many))
    async with app.run_test(message_hook=app.hook) as pilot:
        panel = app.query_one(DemandsPanel)
        await open_demand(pilot, panel, "no-enlargement")
        group = demand_node(panel, "no-enlargement").children[0]
        assert len(group.children) == PAGE + 1
        more = group.children[-1]
        assert isinstance(more.data, MoreItem)
        assert more.label.plain == "… 3 more"
        panel.move_cursor(more)
        await pilot.press("enter")
        await pilot.pause()
        items = [c.data.link.id for c in group.children if isinstance(c.data, EvidenceItem)]
        assert items == [lk.id for lk in many]
        assert not any(isinstance(c.data, MoreItem) for c in group.children)
        assert panel.cursor_node is group.children[PAGE]


async def test_refresh_data_reloads_and_keeps_open_demands_open(
    library: Library, links: list[Link]
) -> None:
    source = LinkedLibrary(library, links[:1])
    app = host(source)
    async with app.run_test(message_hook=app.hook) as pilot:
        panel = app.query_one(DemandsPanel)
        await open_demand(pilot, panel, "no-enlargement")
        source._links = links
        panel.refresh_data()
        await pilot.pause()
        node = demand_node(panel, "no-enlargement")
        assert node.is_expanded
        assert plain_lines(panel)[0] == "No NATO enlargement  R 2 · US 2"


def test_excerpt_is_one_line_cut_at_a_word() -> None:
    text = "Moscow wants\nlegally binding guarantees that NATO will not move one inch east"
    short = excerpt(text, 40)
    assert "\n" not in short and short.endswith("…") and len(short) <= 40
    assert short == "Moscow wants legally binding guarantees…"
    assert excerpt("short text", 40) == "short text"


async def test_a_narrow_panel_keeps_the_title_first_and_the_counts_at_the_edge(
    library: Library, links: list[Link]
) -> None:
    app = host(LinkedLibrary(library, links))
    async with app.run_test(size=(30, 20), message_hook=app.hook) as pilot:
        await pilot.pause()
        panel = app.query_one(DemandsPanel)
        node = demand_node(panel, "no-enlargement")
        drawn = panel.render_label(node, Style(), Style()).plain
        room = panel.scrollable_content_region.width
        assert drawn.startswith("▶ No NATO") and drawn.endswith(" R2 US2")
        assert len(drawn) == room
        assert node.label.plain == "No NATO enlargement  R 2 · US 2"
        assert panel.virtual_size.width <= room  # no horizontal scrollbar


async def test_items_are_cut_to_one_line_and_the_subtitle_names_the_article(
    library: Library, links: list[Link]
) -> None:
    app = host(LinkedLibrary(library, links))
    async with app.run_test(size=(40, 20), message_hook=app.hook) as pilot:
        panel = app.query_one(DemandsPanel)
        await open_demand(pilot, panel, "no-enlargement")
        await pilot.press("down", "down")
        await pilot.pause()
        item = panel.cursor_node
        assert item is not None and isinstance(item.data, EvidenceItem)
        drawn = panel.render_label(item, Style(), Style()).plain
        assert len(drawn) <= panel.scrollable_content_region.width - 2 * panel.guide_depth
        assert "…" in drawn and "\n" not in drawn
        article_id = item.data.link.article_id
        title = library.summaries([article_id])[article_id].title
        assert title in str(panel.border_subtitle)


class RecordingLibrary(LinkedLibrary):
    """Records each page of links the panel asks for."""

    def __init__(self, library: Library, links: list[Link]) -> None:
        super().__init__(library, links)
        self.calls: list[tuple[str | None, str | None, int, int | None]] = []

    def links(
        self,
        demand: str | None = None,
        side: str | None = None,
        offset: int = 0,
        limit: int | None = None,
        stance: str | None = None,
    ) -> list[Link]:
        self.calls.append((demand, side, offset, limit))
        return super().links(demand, side, offset, limit, stance)


async def test_the_panel_starts_from_counts_and_loads_items_a_page_at_a_time(
    library: Library, links: list[Link]
) -> None:
    many = [dataclasses.replace(links[0], id=f"many-{i}", start=i) for i in range(2 * PAGE + 2)]
    source = RecordingLibrary(library, many)
    app = host(source)
    async with app.run_test(message_hook=app.hook) as pilot:
        panel = app.query_one(DemandsPanel)
        assert source.calls == []
        assert plain_lines(panel)[0] == f"No NATO enlargement  R {len(many)} · US 0"
        await open_demand(pilot, panel, "no-enlargement")
        assert source.calls == [("no-enlargement", "russia", 0, PAGE)]
        group = demand_node(panel, "no-enlargement").children[0]
        panel.move_cursor(group.children[-1])
        await pilot.press("enter")
        await pilot.pause()
        assert source.calls[-1] == ("no-enlargement", "russia", PAGE, PAGE)
        assert group.children[-1].label.plain == "… 2 more"
        items = [c.data.link.id for c in group.children if isinstance(c.data, EvidenceItem)]
        assert items == [lk.id for lk in many[: 2 * PAGE]]


async def test_items_come_in_the_stores_order(library: Library) -> None:
    app = host(library)
    async with app.run_test(size=(120, 40), message_hook=app.hook) as pilot:
        panel = app.query_one(DemandsPanel)
        await open_demand(pilot, panel, "no-enlargement")
        russia = demand_node(panel, "no-enlargement").children[0]
        shown = [c.data.link.id for c in russia.children if isinstance(c.data, EvidenceItem)]
        stored = library.links(demand="no-enlargement", side="russia")
        assert shown == [lk.id for lk in stored[:PAGE]]
        assert len(stored) > PAGE and isinstance(russia.children[-1].data, MoreItem)


def _drawn_items(panel: DemandsPanel, slug: str) -> dict[str, str]:
    """Each item of an open demand as drawn, by link id."""
    drawn = {}
    for group in demand_node(panel, slug).children:
        for item in group.children:
            if isinstance(item.data, EvidenceItem):
                drawn[item.data.link.id] = panel.render_label(item, Style(), Style()).plain
    return drawn


async def test_from_120_columns_items_name_their_date_and_speaker(
    library: Library, make_app
) -> None:
    """From 120 columns an item says when and who before its text (the focused panel
    widens for the text); a direct quote between marks, an article's sentence without.
    At 100 columns, an item is its stance, its text and its article."""
    by_id = {lk.id: lk for lk in library.links(demand="no-enlargement")}
    for width in (100, 120, 200):
        app = make_app(library)
        async with app.run_test(size=(width, 40)) as pilot:
            panel = app.query_one(DemandsPanel)
            await open_demand(pilot, panel, "no-enlargement")
            await pilot.pause()
            room, focused_width = panel.scrollable_content_region.width, panel.size.width
            assert panel.region.right <= width
            focused = _drawn_items(panel, "no-enlargement")
            app.query_one("#reader").focus()
            await pilot.pause()
            assert (focused_width > panel.size.width) == (width >= 120)
            resting = _drawn_items(panel, "no-enlargement")
        assert all(len(text) <= room for text in focused.values())
        psaki = next(t for i, t in focused.items() if "We are not" in by_id[i].evidence)
        narrative = next(t for i, t in focused.items() if not by_id[i].quote_id)
        if width == 100:
            assert "Psaki" not in psaki and psaki.startswith("✗ rejects  “We are not")
            continue
        assert psaki.startswith("✗ ") and "~2021-12-17 · Jen Psaki  “We are not" in psaki
        assert "~20" in narrative and " · the article  " in narrative
        assert "“" not in narrative.split("the article  ")[1][:1]  # no marks: not a quote
        assert ("✗ rejects  ~2021-12-17" in psaki) == (width >= 160)
        for text in resting.values():  # the panel at rest: still when and who
            assert re.search(r"~?\d{4}-\d{2}-\d{2} · ", text), text
