"""The reader's keys for the analyst's last word beyond a quote's speaker and side: the
link under the cursor (``}`` / ``{`` walk the demand evidence, ``g`` corrects it), a note
(``m``) and a quote the analysis missed (``a``, from the text selected with the mouse).

Like :mod:`~newsbrowse.tui.widgets.correction_keys`, the reader writes nothing: each key
posts a message and the app asks in a dialog, stores the correction and redraws.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import TYPE_CHECKING, Any

from textual.binding import Binding, BindingType
from textual.geometry import Offset
from textual.message import Message

if TYPE_CHECKING:
    from newsbrowse.store.model import Article, Link, Quote
    from textual.selection import Selection


class LinkCorrectionAsked(Message):
    """The user asked to correct ``link`` (its demand, side or stance, or remove it)."""

    def __init__(self, link: Link) -> None:
        super().__init__()
        self.link = link


class NoteAsked(Message):
    """The user asked to write a note on ``mark`` (a quote or a link)."""

    def __init__(self, mark: Quote | Link) -> None:
        super().__init__()
        self.mark = mark


class QuoteSpanAsked(Message):
    """The user asked to make ``body[start:end]`` of an article a quote."""

    def __init__(self, article_id: str, start: int, end: int, text: str) -> None:
        super().__init__()
        self.article_id = article_id
        self.start = start
        self.end = end
        self.text = text


class LinkChanged(Message):
    """The link under the cursor changed (the line under the reader names it)."""

    def __init__(self, link: Link) -> None:
        super().__init__()
        self.link = link


class LinkAddAsked(Message):
    """The user asked to tie a span of an article to a demand: ``span`` if the text was
    selected, else the sentence that holds ``offset`` (the quote under the cursor)."""

    def __init__(self, article_id: str, offset: int, span: tuple[int, int] | None) -> None:
        super().__init__()
        self.article_id = article_id
        self.offset = offset
        self.span = span


LINK_BINDINGS: list[BindingType] = [
    Binding("right_curly_bracket", "next_link", "Next link", show=False, id="reader.next_link",
            tooltip="Move to the next sentence linked to a demand (its evidence)."),
    Binding("left_curly_bracket", "previous_link", "Prev link", show=False,
            id="reader.previous_link", tooltip="Move to the previous linked sentence."),
    Binding("g", "correct_link", "Link", show=False, id="reader.correct_link",
            tooltip="Correct the link under the cursor: its demand, side or stance, or "
            "remove it."),
    Binding("t", "add_link", "Tie", show=False, id="reader.add_link",
            tooltip="Tie the sentence of the quote under the cursor (or the text selected "
            "with the mouse) to a demand."),
    Binding("m", "note", "Note", show=False, id="reader.note",
            tooltip="Write a note on the link under the cursor, else on the quote."),
    Binding("a", "add_quote", "Add quote", show=False, id="reader.add_quote",
            tooltip="Make the text selected with the mouse a quote (a speaker and side "
            "are asked)."),
]  # fmt: skip
"""The keys, in the Reader's BINDINGS."""


class LinkKeys:
    """Mixed into the :class:`~newsbrowse.tui.widgets.reader.Reader`: a cursor on its
    links beside the one on its quotes, and the keys above."""

    article: Article | None
    evidence: tuple[int, int] | None
    link_cursor: int = -1
    if TYPE_CHECKING:
        current_quote: Quote | None
        _header_len: int
        _insert_at: list[int]

    @property
    def _widget(self) -> Any:
        """This object as the Reader widget it is mixed into (notify, post_message...)."""
        return self

    @property
    def current_link(self) -> Link | None:
        """The link whose evidence is highlighted (by ``}``, a demand item or a search hit)."""
        if self.article is None or self.evidence is None:
            return None
        links = self.article.links
        if 0 <= self.link_cursor < len(links):
            link = links[self.link_cursor]
            if (link.start, link.end) == self.evidence:
                return link
        return next((k for k in links if (k.start, k.end) == self.evidence), None)

    def action_next_link(self) -> None:
        self._move_link(+1)

    def action_previous_link(self) -> None:
        self._move_link(-1)

    def _move_link(self, step: int) -> None:
        if self.article is None:
            return
        links = self.article.links
        if not links:
            self._widget.notify("This article links no sentence to a demand.", markup=False)
            return
        here = self.current_link
        at = links.index(here) if here is not None else -1
        if at < 0:
            at = 0 if step > 0 else len(links) - 1
        else:
            at = max(0, min(len(links) - 1, at + step))
        self.link_cursor = at
        link = links[at]
        self.evidence = (link.start, link.end)
        self._widget._draw()
        self._widget._reveal(link.start, link.end, center=True)
        self._widget.post_message(LinkChanged(link))

    def action_correct_link(self) -> None:
        link = self.current_link
        if link is None:
            self._warn("Move to a linked sentence with } first.")
            return
        self._widget.post_message(LinkCorrectionAsked(link))

    def action_note(self) -> None:
        mark = self.current_link or self.current_quote
        if mark is None:
            self._warn("Move to a quote with ] or a link with } first.")
            return
        self._widget.post_message(NoteAsked(mark))

    def action_add_link(self) -> None:
        span = self.selected_span()
        quote = self.current_quote
        if self.article is None or (span is None and quote is None):
            self._warn("Move to a quote with ], or select a sentence with the mouse, first.")
            return
        offset = span[0] if span is not None else quote.start  # type: ignore[union-attr]
        self._widget.post_message(LinkAddAsked(self.article.id, offset, span))

    def action_add_quote(self) -> None:
        span = self.selected_span()
        if self.article is None or span is None:
            self._warn("Select the quote's words with the mouse first, then press a.")
            return
        start, end = span
        words = self.article.body[start:end]
        self._widget.post_message(QuoteSpanAsked(self.article.id, start, end, words))

    def _warn(self, message: str) -> None:
        self._widget.notify(message, severity="warning", markup=False)

    def selected_span(self) -> tuple[int, int] | None:
        """The body offsets of the text selected in the article (trimmed of spaces), if any."""
        body = self._widget.query_one("#reader-body")
        selection = body.text_selection
        if self.article is None or selection is None:
            return None
        return self.span_of(selection)

    def span_of(self, selection: Selection) -> tuple[int, int] | None:
        """Body offsets of a selection of the drawn text (lines as drawn, before wrapping)."""
        assert self.article is not None
        lines = self._widget.text.plain.split("\n")
        starts = [0]
        for line in lines:
            starts.append(starts[-1] + len(line) + 1)
        first = selection.start or Offset(0, 0)
        last = selection.end
        lo = starts[min(first.y, len(lines))] + first.x
        hi = starts[-1] - 1 if last is None else starts[min(last.y, len(lines))] + last.x
        size = len(self.article.body)
        start = bisect_left(range(size + 1), lo, key=lambda p: self._drawn(p, end=False))
        end = bisect_right(range(size + 1), hi, key=lambda p: self._drawn(p, end=True)) - 1
        start, end = max(0, start), min(size, end)
        words = self.article.body[start:end] if end > start else ""
        if not words.strip():
            return None
        start += len(words) - len(words.lstrip())
        end -= len(words) - len(words.rstrip())
        return start, end

    def _drawn(self, body_pos: int, *, end: bool) -> int:
        return self._widget._rendered_pos(body_pos, end=end)
