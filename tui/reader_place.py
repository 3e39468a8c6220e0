"""The reader's place kept while its width changes (the demands panel shown or hidden):
the text re-wraps, so the same scroll line would show other words. The body offset at
the top of the view is kept instead, and scrolled back to once the text is wrapped anew.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsbrowse.tui.widgets.reader import Reader


def top_offset(reader: Reader) -> int | None:
    """The first body offset drawn on the reader's top line (None before layout)."""
    if reader.article is None or reader.line_of(0) is None:
        return None
    top = round(reader.scroll_y)
    size = len(reader.article.body)
    return min(size, bisect_left(range(size + 1), top, key=lambda p: reader.line_of(p) or 0))


def keep_place(reader: Reader) -> None:
    """Call before the reader's width changes: after the change, the words that were at
    the top are at the top again (the quote cursor, being state, stays where it was)."""
    anchor = top_offset(reader)
    if anchor is None or reader.scroll_y <= 0:
        return

    def restore() -> None:
        line = reader.line_of(anchor)
        if line is not None:
            reader.scroll_to(y=line, animate=False)

    reader.call_after_refresh(lambda: reader.call_after_refresh(restore))
