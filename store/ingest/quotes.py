"""Quote extraction and attribution.

(Interface in place; the quote work fills in the rules of DOMAIN.md.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsbrowse.store.ingest.actors import ActorIndex


@dataclass(frozen=True)
class QuoteFinding:
    """A quoted span found in the body; ``scare`` spans are marked but not cited."""

    start: int
    end: int
    text: str
    speaker: str | None
    side: str
    cue: str | None
    scare: bool = False


_QUOTED = re.compile(r"[\"\u201c]([^\"\u201c\u201d\n]+)[\"\u201d]")


def find_quotes(
    body: str, sentences: list[tuple[int, int]], actors: ActorIndex
) -> list[QuoteFinding]:
    """Every quoted span of ``body``, attributed where the text names a speaker."""
    found = []
    for match in _QUOTED.finditer(body):
        text = match.group(1)
        found.append(
            QuoteFinding(
                start=match.start(1),
                end=match.end(1),
                text=text,
                speaker=None,
                side="unknown",
                cue=None,
                scare=len(text.split()) < 3,
            )
        )
    return found
