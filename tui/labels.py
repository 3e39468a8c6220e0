"""How a side, a date, a stance and a speaker look: one colour per side's role, for the
command line's tables and the app's panes.

The words are :mod:`newsbrowse.store.labels`'s; this module adds the styles. A side is
coloured by its role in the codebook (demanding, answering, other), never by its slug,
so a codebook of another negotiation is drawn without a change here. Nobody's words
(the ``unknown`` side) are drawn as a third party's. No Textual import: the CLI's
subcommands use this and must start fast.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from newsbrowse.store.labels import (
    DEMAND_MARK,
    UNKNOWN_SIDE,
    NamedSide,
    correction_marks,
    date_label,
    link_stance_label,
    side_label,
    side_role,
    speaker_label,
)
from rich.text import Text


@dataclass(frozen=True)
class RoleColour:
    """A role's colour: a Textual theme colour for the app (its text colour on its muted
    background, so it holds in the dark and the light theme), and the nearest terminal
    colour for the CLI, which has no theme."""

    theme: str
    terminal: str


ROLE_COLOURS: dict[str, RoleColour] = {
    "demanding": RoleColour("error", "red"),
    "answering": RoleColour("primary", "blue"),
    "other": RoleColour("success", "green"),
}
"""Every side's colour, by role; ``unknown`` takes ``other``'s."""

INFERRED_STYLE = "italic dim"
"""A date that is not stated in the text is drawn quieter than one that is."""
UNKNOWN_SPEAKER_STYLE = "italic dim"
READER_CLASS = "reader"


def colour_role(slug: str, sides: Iterable[NamedSide]) -> str:
    """The role whose colour ``slug`` is drawn in: its own, or ``other`` for nobody."""
    role = side_role(slug, sides)
    return "other" if role == UNKNOWN_SIDE else role


def side_component(slug: str, sides: Iterable[NamedSide]) -> str:
    """The reader's component class that colours a quote of side ``slug``."""
    return f"{READER_CLASS}--{colour_role(slug, sides)}"


def side_rules(widget: str) -> str:
    """The CSS of ``widget``'s side component classes (``Reader > .reader--demanding``):
    the app's side colours, from :data:`ROLE_COLOURS` like the CLI's."""
    return "\n".join(
        f"{widget} > .{READER_CLASS}--{role} {{ color: $text-{c.theme}; "
        f"background: ${c.theme}-muted; }}"
        for role, c in ROLE_COLOURS.items()
    )


# the command line's rich text ------------------------------------------------------------
def side_style(slug: str, sides: Iterable[NamedSide]) -> str:
    """The CLI's colour for side ``slug``."""
    return ROLE_COLOURS[colour_role(slug, sides)].terminal


def side_text(slug: str, sides: Iterable[NamedSide]) -> Text:
    sides = tuple(sides)
    return Text(side_label(slug, sides), style=side_style(slug, sides))


def date_text(date: str | None, basis: str) -> Text:
    """A date as :func:`~newsbrowse.store.labels.date_label` writes it, quieter unless
    stated in the text."""
    return Text(date_label(date, basis), style="" if date and basis == "stated" else INFERRED_STYLE)


def speaker_text(speaker: str | None) -> Text:
    return Text(speaker_label(speaker), style="" if speaker else UNKNOWN_SPEAKER_STYLE)


def stance_text(side: str, stance: str | None, sides: Iterable[NamedSide]) -> Text:
    """A link's stance, or the demand mark in its side's colour for a demand stated."""
    sides = tuple(sides)
    label = link_stance_label(side, stance, sides)
    return Text(label, style=side_style(side, sides) if label == DEMAND_MARK else "")


CORRECTION_STYLE = "bold magenta"


def with_marks(text: Text, corrected: bool, checked: bool) -> Text:
    """``text`` followed by the marks of the user's correction or check, if any."""
    marks = correction_marks(corrected, checked)
    return Text.assemble(text, " ", (marks, CORRECTION_STYLE)) if marks else text
