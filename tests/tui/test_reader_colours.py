"""Every colour the reader draws is readable in the light theme and the dark one: each
component's text against its own background (or the reader's) has a contrast of at
least 3:1 (WCAG's floor for bold and large text). The light theme once drew the demand
badges as colour 255 on 253, and the title as white on light grey."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from newsbrowse.store.library import Library
from newsbrowse.tui.app import THEMES, NewsbrowseApp
from newsbrowse.tui.widgets.reader import Reader
from textual.color import Color

FLOOR = 3.0


def _luminance(colour: Color) -> float:
    def channel(value: int) -> float:
        v = value / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(colour.r) + 0.7152 * channel(colour.g) + 0.0722 * channel(colour.b)


def contrast(a: Color, b: Color) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("theme", THEMES)
async def test_every_reader_colour_is_readable(
    theme: str, library: Library, make_app: Callable[[Library], NewsbrowseApp]
) -> None:
    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        app.theme = theme
        await pilot.pause()
        reader = app.query_one(Reader)
        ground = reader.background_colors[1]
        poor = {}
        for name in sorted(reader.COMPONENT_CLASSES):
            style = reader.get_component_rich_style(name, partial=True)
            text = Color.from_rich_color(style.color) if style.color else reader.colors[3]
            back = Color.from_rich_color(style.bgcolor) if style.bgcolor else ground
            if style.dim:  # drawn half way to the background
                text = back.blend(text, 0.5)
            if (ratio := contrast(text, back)) < FLOOR:
                poor[name] = (text.hex, back.hex, round(ratio, 2))
        assert poor == {}


async def test_the_help_screen_explains_the_colours_in_the_readers_styles(
    library: Library, make_app: Callable[[Library], NewsbrowseApp]
) -> None:
    from newsbrowse.tui.screens.help import HelpScreen
    from textual.widgets import Static

    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        legend = app.screen.query_one("#help-legend", Static).render()
        plain = str(legend)
        reader = app.query_one(Reader)
        for side in library.codebook.sides:
            if side.slug in (library.codebook.demanding, library.codebook.answering):
                assert f"words of {side.label}" in plain
        assert "scare quotes" in plain and "tied to a demand" in plain and "✎" in plain
        link_style = reader.get_component_rich_style("reader--link", partial=True)
        assert any(span.style == link_style for span in app.screen.legend.spans)
