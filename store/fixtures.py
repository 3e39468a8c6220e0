"""The seed articles shipped in ``fixtures/`` and their metadata."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from newsbrowse.store.model import ArticleMeta
from newsbrowse.store.rules import fixture_path


@dataclass(frozen=True)
class FixtureArticle:
    path: Path
    meta: ArticleMeta


def fixture_articles() -> list[FixtureArticle]:
    """The seeds, in file order, with the metadata of ``fixtures/articles.json``."""
    listing = json.loads(fixture_path("articles.json").read_text(encoding="utf-8"))
    return [
        FixtureArticle(
            path=fixture_path(entry["file"]),
            meta=ArticleMeta(
                title=entry.get("title"),
                source=entry.get("source"),
                url=entry.get("url"),
                date=entry.get("date"),
                date_basis=entry.get("date_basis"),
            ),
        )
        for entry in listing["articles"]
    ]
