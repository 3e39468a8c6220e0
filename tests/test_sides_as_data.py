"""The sides are the codebook's: a home whose rule files name other sides is read, listed,
counted, ordered and searched as the shipped one, side for side (issue 15)."""

from __future__ import annotations

from pathlib import Path

import pytest
from newsbrowse.store.errors import BadInput
from newsbrowse.store.library import Library
from newsbrowse.store.records import article_problem
from newsbrowse.store.rule_files import fixture_path

RENAMED = {"russia": "east", "us_nato": "west"}
RULE_FILES = ("actors.json", "roles.json", "codebook.json")


def _renamed(side: str | None) -> str | None:
    return RENAMED.get(side, side) if side is not None else None


@pytest.fixture
def renamed_home(tmp_path: Path) -> Path:
    """A home whose copies of the rule files call the two sides ``east`` and ``west``."""
    home = tmp_path / "renamed"
    home.mkdir()
    for name in RULE_FILES:
        text = fixture_path(name).read_text(encoding="utf-8")
        for old, new in RENAMED.items():
            text = text.replace(f'"{old}"', f'"{new}"')
        (home / name).write_text(text, encoding="utf-8")
    return home


def test_a_home_with_other_sides_reads_as_the_shipped_one(
    library: Library, renamed_home: Path
) -> None:
    other = Library.open(renamed_home)
    try:
        assert other.sides == ("east", "west", "other", "unknown")
        shipped = [(q.id, _renamed(q.side)) for q in library.quotes()]
        assert [(q.id, q.side) for q in other.quotes()] == shipped
        links = [(lk.id, _renamed(lk.side), lk.stance) for lk in library.links()]
        assert [(lk.id, lk.side, lk.stance) for lk in other.links()] == links, "same order"
        counts = {
            demand: {_renamed(key): n for key, n in tally.items()}
            for demand, tally in library.link_counts().items()
        }
        assert other.link_counts() == counts, "the answering side's stances are tallied"
        assert {q.side for q in other.quotes(side="west")} == {"west"}
        assert {h.side for h in other.search("side:east")} == {"east"}
        with pytest.raises(BadInput, match="use one of: east, west, other, unknown"):
            other.check_side("us_nato")
    finally:
        other.close()


def test_a_record_of_a_side_no_codebook_names_is_not_damage() -> None:
    """Which sides there are is the codebook's to say, and a home's codebook may change:
    such a record is stale (re-analyse it), never set aside by recover."""
    quote = {"id": "a-q0", "article_id": "a", "text": "x", "speaker": None, "cue": None}
    doc = {"id": "a", "title": "T", "body": "x", "quotes": [dict(quote, start=0, end=1)]}
    doc["quotes"][0]["side"] = "martians"
    assert article_problem(doc) is None
    for wrong in (5, "", None):
        doc["quotes"][0]["side"] = wrong
        assert "side is" in (article_problem(doc) or ""), wrong
