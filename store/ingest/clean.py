"""Cleaning: split scraped text into the article and the web junk around it.

(Interface in place; the rules are filled in by the cleaning work.)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class CleaningRules:
    """Junk patterns, loaded from ``fixtures/cleaning.json``."""

    data: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CleaningRules:
        return cls(data=data)


@dataclass(frozen=True)
class Cleaned:
    """The kept article text, the lines dropped, and what the text says of itself."""

    body: str
    removed: list[str]
    title: str | None = None
    date: str | None = None


def clean_text(raw: str, rules: CleaningRules, title_hint: str | None = None) -> Cleaned:
    """Keep the article's paragraphs (joined by blank lines); drop junk lines."""
    paragraphs = [line.strip() for line in raw.splitlines() if line.strip()]
    return Cleaned(body="\n\n".join(paragraphs), removed=[], title=None, date=None)
