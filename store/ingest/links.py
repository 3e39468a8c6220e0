"""Linking sentences to demands, with side and stance.

(Interface in place; the linking work fills it from the codebook's terms.)
"""

from __future__ import annotations

from dataclasses import dataclass

from newsbrowse.store.ingest.actors import ActorIndex
from newsbrowse.store.ingest.codebook import Codebook
from newsbrowse.store.ingest.quotes import QuoteFinding


@dataclass(frozen=True)
class LinkFinding:
    """Evidence ``body[start:end]`` ties the article to ``demand``."""

    demand: str
    side: str
    stance: str | None
    start: int
    end: int


def find_links(
    body: str,
    sentences: list[tuple[int, int]],
    quotes: list[QuoteFinding],
    codebook: Codebook,
    actors: ActorIndex,
) -> list[LinkFinding]:
    """Links of every sentence that states or answers a demand."""
    return []
