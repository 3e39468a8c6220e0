"""The app's sides are the codebook's: no slug is written in tui/, and a codebook whose
sides are called otherwise is drawn by role, in its own words (issue 15)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from helpers import HostApp, LinkedLibrary, link_on
from newsbrowse.store.ingest.codebook import Codebook, shipped_sides
from newsbrowse.store.library import Library
from newsbrowse.store.model import Link
from newsbrowse.store.rule_files import fixture_path
from newsbrowse.tui.widgets.demands import DemandsPanel
from newsbrowse.tui.widgets.reader import Reader
from textual.app import App, ComposeResult

from tests.conftest import build_article

TUI = Path(__file__).resolve().parents[2] / "tui"
RENAMED = {"russia": ("east", "Eastland"), "us_nato": ("west", "Westland")}


def test_no_side_is_named_in_the_app_or_the_command_line() -> None:
    slugs = [s.slug for s in shipped_sides() if s.role != "other"]
    named = re.compile(rf"\b(?:{'|'.join(map(re.escape, slugs))})\b")
    files = [p for p in TUI.rglob("*") if p.suffix in {".py", ".tcss"}]
    assert len(files) > 20
    found = {
        f"{p.relative_to(TUI)}:{n}": line.strip()
        for p in files
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if named.search(line)
    }
    assert found == {}


@pytest.fixture(scope="module")
def renamed() -> Codebook:
    """The shipped codebook, its demanding and answering sides called east and west."""
    data = json.loads(fixture_path("codebook.json").read_text(encoding="utf-8"))
    for side in data["sides"]:
        side["slug"], side["label"] = RENAMED.get(side["slug"], (side["slug"], side["label"]))
    return Codebook.from_dict(data, compile_now=False)


class RenamedLibrary(LinkedLibrary):
    """The seeds' library with the renamed codebook and the links a test gives."""

    def __init__(self, library: Library, links: list[Link], codebook: Codebook) -> None:
        super().__init__(library, links)
        self._codebook = codebook

    @property
    def codebook(self) -> Codebook:
        return self._codebook

    def link_counts(self) -> dict[str, dict[str, int]]:
        counts: dict[str, dict[str, int]] = {}
        for lk in self._links:
            tally = counts.setdefault(lk.demand, {})
            tally[lk.side] = tally.get(lk.side, 0) + 1
            if lk.side == self._codebook.answering:
                tally[lk.stance or "neutral"] = tally.get(lk.stance or "neutral", 0) + 1
        return counts


async def test_the_demands_panel_words_other_sides_by_role(
    library: Library, renamed: Codebook
) -> None:
    links = [
        link_on(library, "one inch", "no-enlargement", "east"),
        link_on(library, "open door", "no-enlargement", "west", "rejects"),
        link_on(library, "reciprocal", "no-enlargement", "west", "open"),
    ]
    app = HostApp(lambda: DemandsPanel(RenamedLibrary(library, links, renamed), id="demands"), ())
    async with app.run_test(size=(140, 30)) as pilot:
        panel = app.query_one(DemandsPanel)
        assert str(panel.border_subtitle) == "E Eastland said · W replies"
        panel.focus()
        panel.move_cursor(panel.root.children[0])
        await pilot.press("space")
        await pilot.pause()
        lines = [panel.get_node_at_line(n).label.plain for n in range(panel.last_line + 1)]  # type: ignore[union-attr]
        assert lines[0] == "No NATO enlargement  E 1 · W 2"
        assert lines[1] == "Eastland said (1)"
        assert lines[3] == "Westland replied (2)  ✗1  ◐1"
        assert lines[4].startswith("✗ rejects  “") and lines[5].startswith("◐ open  “")


class ReaderApp(App[None]):
    def __init__(self, codebook: Codebook) -> None:
        super().__init__()
        self.codebook = codebook

    def compose(self) -> ComposeResult:
        yield Reader(self.codebook.sides, id="reader")


async def test_the_reader_colours_other_sides_by_role(renamed: Codebook) -> None:
    body = "“We want guarantees,” said the minister. “We said no,” the envoy replied."
    article = build_article(
        body,
        quotes=[("We want guarantees,", "A", "east"), ("We said no,", "B", "west")],
        links=[("We said no,", "hotline", "west", "rejects")],
    )
    app = ReaderApp(renamed)
    async with app.run_test() as pilot:
        reader = app.query_one(Reader)
        reader.show_article(article)
        await pilot.pause()
        for quote, role in zip(article.quotes, ("demanding", "answering"), strict=True):
            lo, _ = reader.locate(quote.start, quote.end)
            wanted = reader.get_component_rich_style(f"reader--{role}", partial=True)
            assert any(s.style == wanted and s.start == lo for s in reader.text.spans)
        assert "[hotline ✗ rejects]" in reader.text.plain
