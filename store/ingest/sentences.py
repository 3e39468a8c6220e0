"""Sentence splitting over the cleaned body, with offsets.

(Interface in place; the splitter is refined by the cleaning work.)
"""

from __future__ import annotations

import re

_END = re.compile(r"[.!?][\"'\u201d\u2019]?\s+(?=[A-Z\u201c\"])|\n\s*\n")


def split_sentences(body: str) -> list[tuple[int, int]]:
    """Return (start, end) spans of the sentences of ``body``; none crosses a paragraph."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _END.finditer(body):
        end = match.start() + len(match.group().rstrip())
        if body[start:end].strip():
            spans.append((start, end))
        start = match.end()
    if body[start:].strip():
        spans.append((start, len(body.rstrip())))
    return spans
