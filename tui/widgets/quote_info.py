"""The line under the reader: who said the quote under the cursor, and how many are selected.

A journalist checks the attribution here before selecting a quote, so an unresolved
speaker is said plainly ("speaker unknown"), never guessed.
"""

from __future__ import annotations

from newsbrowse.store.model import Quote
from newsbrowse.tui.widgets.display import display_text
from rich.text import Text
from textual.widgets import Static

SIDE_LABELS = {
    "russia": "Russia",
    "us_nato": "US/NATO",
    "other": "other",
    "unknown": "side unknown",
}
NO_CURSOR = "No quote under the cursor: ] next quote, [ previous."


def quote_info_text(quote: Quote | None, selected: bool, count: int) -> Text:
    """Plain text: the selected count first (so it never scrolls off), then the quote."""
    line = Text(no_wrap=True, overflow="ellipsis")
    line.append(f"{count} selected", "bold" if count else "dim")
    line.append(" │ ", "dim")
    if quote is None:
        line.append(NO_CURSOR, "dim")
    else:
        line.append("✓ " if selected else "  ", "bold")
        speaker = display_text(quote.speaker) if quote.speaker else "speaker unknown"
        line.append(speaker, "bold" if quote.speaker else "italic")
        line.append(f" · {SIDE_LABELS.get(quote.side, display_text(quote.side))}")
        cue = f" · cue: {display_text(quote.cue)}" if quote.cue else " · no attribution cue"
        line.append(cue, "dim")
    return line


class QuoteInfo(Static):
    """Shows :func:`quote_info_text` for whatever the reader reports."""

    def show(self, quote: Quote | None, selected: bool, count: int) -> None:
        self.update(quote_info_text(quote, selected, count))
