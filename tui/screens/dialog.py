"""The look the app's small dialogs share: a box centred over the panes, a bold title,
the keys in muted text under it (one place, so that every dialog looks alike)."""

from __future__ import annotations

DIALOG_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{
    width: {width};
    max-width: 100%;
    height: auto;
    max-height: 100%;
    border: thick $primary 80%;
    background: $surface;
    padding: 1 2;
}}
{name} .title {{ text-style: bold; margin-bottom: 1; }}
{name} .keys {{ color: $text-muted; margin-top: 1; }}
"""


def dialog_css(name: str, width: int = 70) -> str:
    """The shared dialog styles for the screen class ``name``, its box ``width`` wide."""
    return DIALOG_CSS.format(name=name, width=width)
