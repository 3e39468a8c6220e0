"""The line under the reader: who said the quote under the cursor, and how many are selected.

A journalist checks the attribution here before selecting a quote, so an unresolved
speaker is said plainly ("unknown speaker"), never guessed.
"""

from __future__ import annotations

from collections.abc import Sequence

from newsbrowse.store.labels import (
    CORRECTED_MARK,
    NamedSide,
    side_label,
    speaker_label,
    stance_label,
)
from newsbrowse.store.model import Link, Quote
from newsbrowse.tui.labels import CORRECTION_STYLE
from newsbrowse.tui.widgets.display import display_text
from rich.text import Text
from textual.widgets import Static

NO_CURSOR = "No quote under the cursor: ] next quote, [ previous."


def quote_info_text(
    quote: Quote | None, selected: bool, count: int, sides: Sequence[NamedSide]
) -> Text:
    """Plain text: the selected count first (so it never scrolls off), then the quote."""
    line = Text(no_wrap=True, overflow="ellipsis")
    line.append(f"{count} selected", "bold" if count else "dim")
    line.append(" │ ", "dim")
    if quote is None:
        line.append(NO_CURSOR, "dim")
    else:
        line.append("✓ " if selected else "  ", "bold")
        line.append(
            display_text(speaker_label(quote.speaker)), "bold" if quote.speaker else "italic"
        )
        line.append(f" · {display_text(side_label(quote.side, sides))}")
        if quote.corrected:
            line.append(f" {CORRECTED_MARK} corrected", CORRECTION_STYLE)
        if quote.checked:
            line.append(" · checked", CORRECTION_STYLE)  # ✓ is the selection's mark here
        cue = f" · cue: {display_text(quote.cue)}" if quote.cue else " · no attribution cue"
        line.append(cue, "dim")
        if quote.note:
            line.append(f" · note: {display_text(quote.note)}", "italic")
    return line


def link_info_text(link: Link, count: int, sides: Sequence[NamedSide]) -> Text:
    """The link under the cursor: its demand, side and stance, marks and note."""
    line = Text(no_wrap=True, overflow="ellipsis")
    line.append(f"{count} selected", "bold" if count else "dim")
    line.append(" │ ", "dim")
    line.append(f"link: {display_text(link.demand)}", "bold")
    line.append(f" · {display_text(side_label(link.side, sides))} · {stance_label(link.stance)}")
    if link.corrected:
        line.append(f" {CORRECTED_MARK} corrected", CORRECTION_STYLE)
    if link.checked:
        line.append(" · checked", CORRECTION_STYLE)
    if link.note:
        line.append(f" · note: {display_text(link.note)}", "italic")
    return line


class QuoteInfo(Static):
    """Shows :func:`quote_info_text` for whatever the reader reports."""

    def __init__(self, sides: Sequence[NamedSide], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.sides = tuple(sides)

    def show(self, quote: Quote | None, selected: bool, count: int) -> None:
        self.update(quote_info_text(quote, selected, count, self.sides))

    def show_link(self, link: Link, count: int) -> None:
        self.update(link_info_text(link, count, self.sides))
