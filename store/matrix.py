"""The demand matrix: each demand of the codebook, how often the demanding side stated it,
and how the answering side replied, stance by stance.

The counts are the index's ``link_counts`` table (:func:`newsbrowse.store.queries.
link_counts`): a few dozen rows at any corpus size, so the matrix costs the same at 100
articles and at 100,000. The sides and the stances are the codebook's, never named here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from newsbrowse.store.labels import NEUTRAL, side_label
from newsbrowse.store.model import STANCES

if TYPE_CHECKING:
    from newsbrowse.store.ingest.codebook import Codebook


def reply_stances(codebook: Codebook) -> tuple[str, ...]:
    """The stances a reply may take: the codebook's (``linking.stances``), the usual ones
    in their usual order (rejects, open, conditional), any other after, then ``neutral``
    (a reply with no cue of any)."""
    named = [s for s in codebook.data.get("linking", {}).get("stances", {}) if s != NEUTRAL]
    known = [s for s in STANCES if s in named]
    return (*known, *(s for s in named if s not in known), NEUTRAL)


@dataclass(frozen=True)
class MatrixRow:
    """One demand: the demanding side's statements and the replies by stance."""

    slug: str
    title: str
    demanded: int
    replies: dict[str, int]

    @property
    def replied(self) -> int:
        return sum(self.replies.values())


@dataclass(frozen=True)
class DemandMatrix:
    """Every demand of the codebook, in its order, with the sides it counts by."""

    demanding: str
    answering: str
    demanding_label: str
    answering_label: str
    stances: tuple[str, ...]
    rows: tuple[MatrixRow, ...]

    def to_dict(self) -> dict[str, Any]:
        """The ``matrix --json`` shape: the sides, the stances, then a row per demand."""
        return {
            "demanding": {"side": self.demanding, "label": self.demanding_label},
            "answering": {"side": self.answering, "label": self.answering_label},
            "stances": list(self.stances),
            "demands": [
                {
                    "demand": row.slug,
                    "title": row.title,
                    "demanded": row.demanded,
                    "replied": row.replied,
                    "replies": dict(row.replies),
                }
                for row in self.rows
            ],
        }


def demand_matrix(codebook: Codebook, counts: dict[str, dict[str, int]]) -> DemandMatrix:
    """The matrix of ``counts`` (:func:`~newsbrowse.store.queries.link_counts`' shape:
    per demand, links per side and the answering side's replies per stance)."""
    stances = reply_stances(codebook)
    demanding, answering = codebook.demanding, codebook.answering
    rows = tuple(
        MatrixRow(
            slug=d.slug,
            title=d.title,
            demanded=counts.get(d.slug, {}).get(demanding, 0),
            replies={s: counts.get(d.slug, {}).get(s, 0) for s in stances},
        )
        for d in codebook.demands
    )
    return DemandMatrix(
        demanding=demanding,
        answering=answering,
        demanding_label=side_label(demanding, codebook.sides),
        answering_label=side_label(answering, codebook.sides),
        stances=stances,
        rows=rows,
    )
