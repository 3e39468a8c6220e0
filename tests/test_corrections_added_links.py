"""A link the analysis missed, added by the analyst (issue 16): ``add-link`` and the
app's ``t`` store it in user.json; it is listed, counted and corrected like any link,
undone, and kept through a re-analysis; bad input is one line and stores nothing."""

from __future__ import annotations

import pytest
from newsbrowse.store.corrected import APPLIED
from newsbrowse.store.errors import BadInput
from newsbrowse.store.library import Library
from newsbrowse.store.model import Article

from tests.test_cli import _json

SENTENCE = "She added that Washington would never agree to bar Ukraine from joining."


def test_an_added_link_is_listed_counted_corrected_and_undone(
    library: Library, sample: Article
) -> None:
    start = sample.body.index(SENTENCE)
    end = start + len(SENTENCE)
    counts = library.link_counts()
    made = library.add_link(
        sample.id, start, end, demand="no-enlargement", side="us_nato", stance="rejects"
    )
    assert made.kind == "added_link" and made.target == f"{sample.id}-l{start}-no-enlargement"
    (added,) = [lk for lk in library.article(sample.id).links if lk.id == made.target]
    assert (added.evidence, added.stance, added.corrected) == (SENTENCE, "rejects", True)
    assert made.target in {lk.id for lk in library.links(demand="no-enlargement")}
    after = library.link_counts()["no-enlargement"]
    assert after["rejects"] == counts["no-enlargement"].get("rejects", 0) + 1
    assert [r.status for r in library.corrections()] == [APPLIED]

    library.correct_link(made.target, stance="open")
    assert library.link_counts()["no-enlargement"].get("open", 0) >= 1
    (fixed,) = [lk for lk in library.article(sample.id).links if lk.id == made.target]
    assert fixed.stance == "open"

    library.reanalyse()
    assert made.target in {lk.id for lk in library.article(sample.id).links}

    library.undo_correction(made.id)
    assert made.target not in {lk.id for lk in library.article(sample.id).links}
    assert library.link_counts()["no-enlargement"] == counts["no-enlargement"]


def test_a_bad_added_link_is_refused_and_nothing_stored(library: Library, sample: Article) -> None:
    start = sample.body.index(SENTENCE)
    end = start + len(SENTENCE)
    cases = [
        dict(demand="no-such-demand", side="russia"),
        dict(demand="hotline", side="nobody"),
        dict(demand="hotline", side="russia", stance="maybe"),
    ]
    for link in cases:
        with pytest.raises(BadInput):
            library.add_link(sample.id, start, end, **link)
    with pytest.raises(BadInput):
        library.add_link(sample.id, end, end + 100000, demand="hotline", side="russia")
    existing = sample.links[0]
    with pytest.raises(BadInput, match="is a link already"):
        library.add_link(
            sample.id, existing.start, existing.end, demand=existing.demand, side=existing.side
        )
    assert library.corrections() == []


def test_add_link_on_the_command_line(nb, sample: Article) -> None:
    start = sample.body.index(SENTENCE)
    end = str(start + len(SENTENCE))
    made = _json(
        nb, "add-link", sample.id, str(start), end, "--demand", "hotline", "--side", "russia"
    )
    assert made["kind"] == "added_link" and made["demand"] == "hotline"
    assert made["target"] in {lk["id"] for lk in _json(nb, "links", "--demand", "hotline")}
    code, out, _ = nb("corrections")
    assert code == 0 and "added link" in out
    code, _, err = nb(
        "add-link", sample.id, str(start), end, "--demand", "nope", "--side", "russia"
    )
    assert code == 2 and len(err.strip().splitlines()) == 1


def test_the_sentence_at_an_offset(library: Library, sample: Article) -> None:
    start = sample.body.index(SENTENCE)
    assert library.sentence_at(sample.id, start + 5) == (start, start + len(SENTENCE))
