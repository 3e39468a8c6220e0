"""One side's items of one demand, for the demand view: each statement or reply whole
(wrapped, never cut), with who said it, the side, the stance, the article and its date.

The items are read a page at a time from the index (``Library.links`` with an offset, an
index walk at any corpus size), and the next page when the cursor reaches the
"… more" line, so that a demand with 50,000 replies opens as fast as one with five.
A direct quote is shown between quotation marks; a narrative sentence without them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from newsbrowse.store.errors import NotFound
from newsbrowse.store.labels import (
    NamedSide,
    date_label,
    link_stance_label,
    side_label,
    speaker_label,
)
from newsbrowse.store.model import ArticleSummary, Link, Quote
from newsbrowse.tui.labels import INFERRED_STYLE, UNKNOWN_SPEAKER_STYLE
from newsbrowse.tui.widgets.demand_labels import is_direct, quoted, spoken
from newsbrowse.tui.widgets.demands import DemandsLibrary
from newsbrowse.tui.widgets.display import display_text
from rich.text import Text
from textual import on
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

PAGE = 40
"""Items read from the index at a time."""
MORE_ID = "more"
NARRATIVE = "in the article's own words"
"""Where a speaker would be, for a sentence that quotes nobody."""
STANCE_STYLES: dict[str, str] = {
    "rejects": "bold red",
    "open": "bold green",
    "conditional": "bold yellow",
    "neutral": "bold",
}


ItemsLibrary = DemandsLibrary
"""What the demand view reads of a :class:`~newsbrowse.store.library.Library`: what the
demands panel reads (links by demand, side and stance; counts; summaries; quotes)."""


def item_text(
    link: Link,
    quote: Quote | None,
    summary: ArticleSummary | None,
    sides: Sequence[NamedSide],
) -> Text:
    """An item as three parts: the words (a direct quote in marks), who and how (speaker,
    side, stance as symbol and word), where and when (article, source, date)."""
    words = display_text(link.evidence)
    text = Text(quoted(spoken(words)) if is_direct(link, quote) else words)
    text.append("\n")
    if quote is None:
        text.append(NARRATIVE, "italic")
    else:
        text.append(
            speaker_label(quote.speaker), "bold" if quote.speaker else UNKNOWN_SPEAKER_STYLE
        )
    text.append(f" · {side_label(link.side, sides)} · ")
    stance = link_stance_label(link.side, link.stance, sides)
    text.append(stance, STANCE_STYLES.get(stance.split()[-1], "bold"))
    text.append("\n")
    if summary is None:
        text.append("unknown article", "dim")
        return text
    text.append(display_text(summary.title) or "untitled", "italic")
    text.append(f" · {display_text(summary.source)}" if summary.source else " · source unknown")
    text.append(" · ")
    stated = summary.date and summary.date_basis == "stated"
    text.append(date_label(summary.date, summary.date_basis), "" if stated else INFERRED_STYLE)
    return text


class DemandItems(OptionList):
    """A demand's statements (or replies) by one side, in date order, paged."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Open article", id="demand.open",
                tooltip="Open the item's article at its evidence."),
        Binding("left", "screen.side(0)", "Statements", key_display="←", id="demand.left",
                tooltip="The demanding side's statements."),
        Binding("right", "screen.side(1)", "Replies", key_display="→", id="demand.right",
                tooltip="The answering side's replies."),
    ]  # fmt: skip

    class Chosen(Message):
        """The user chose an item: open its article at the evidence."""

        def __init__(self, link: Link) -> None:
            super().__init__()
            self.link = link

    def __init__(
        self,
        library: ItemsLibrary,
        group: tuple[str, str, str | None],
        total: int,
        **kwargs: Any,
    ) -> None:
        """``group``: the demand, the side and (for one stance's replies) the stance."""
        super().__init__(**kwargs)
        self.library = library
        self.demand, self.side, self.stance = group
        self.total = total
        self.shown: list[Link] = []

    def on_mount(self) -> None:
        if not self.total:
            self.add_option(
                Option(Text("nothing in the corpus", style="italic dim"), disabled=True)
            )
            return
        self.load_page()

    def load_page(self) -> None:
        """Add the next page of items (and a "… more" line if the store holds more)."""
        if self.shown and self.get_option_at_index(self.option_count - 1).id == MORE_ID:
            self.remove_option(MORE_ID)
        page = self.library.links(
            self.demand, self.side, offset=len(self.shown), limit=PAGE, stance=self.stance
        )
        quotes = {lk.quote_id: self._quote(lk.quote_id) for lk in page if lk.quote_id}
        summaries = self.library.summaries({lk.article_id for lk in page})
        sides = self.library.codebook.sides
        options: list[Option | None] = []
        for link in page:
            quote = quotes.get(link.quote_id) if link.quote_id else None
            text = item_text(link, quote, summaries.get(link.article_id), sides)
            options += [Option(text, id=link.id), None]
        self.shown += page
        rest = self.total - len(self.shown)
        if rest > 0 and page:
            options.append(Option(Text(f"… {rest} more", style="italic"), id=MORE_ID))
        elif options:
            options.pop()  # no separator after the last item
        self.add_options(options)
        if self.highlighted is None and page:
            self.highlighted = 0

    def _quote(self, quote_id: str) -> Quote | None:
        try:
            return self.library.quote(quote_id)
        except NotFound:  # a link kept after its quote (a store of an older analysis)
            return None

    @on(OptionList.OptionHighlighted)
    def _more_when_reached(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if event.option.id == MORE_ID:
            index = event.option_index
            self.load_page()
            self.highlighted = min(index, self.option_count - 1)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        by_id = {link.id: link for link in self.shown}
        if event.option.id in by_id:
            self.post_message(self.Chosen(by_id[event.option.id]))
