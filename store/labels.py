"""How a date, a side, a stance and a speaker are written for a reader: one wording for the
command line's tables and the app's panes alike.

Pure words, no styles and no screen library: the CLI and the app add their own colours
(``newsbrowse.tui.labels``), and ``store/`` code that names these things to a user (the
re-analysis's notes, say) can use the same words. A side is written from the codebook's
sides, never from a slug written here, so that another negotiation needs only another
codebook.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Protocol

from newsbrowse.store.model import STANCE_SYMBOLS

UNDATED = "undated"
INFERRED_MARK = "~"
DATE_LEGEND = "~ date inferred"
"""What the ``~`` before a date means, for a legend beside a list of dates."""

DATE_BASES: dict[str, str] = {
    "stated": "date stated in the text",
    "inferred": "date inferred from events",
}
NO_DATE_BASIS = "date unknown"

UNKNOWN_SPEAKER = "unknown speaker"

UNKNOWN_SIDE = "unknown"
"""The side of a quote or link nobody is named for: not one of the codebook's sides."""
UNKNOWN_SIDE_LABEL = "unknown side"

ROLES: tuple[str, ...] = ("demanding", "answering", "other", UNKNOWN_SIDE)
"""A side's part in the negotiation (the codebook's roles), then nobody's."""

NEUTRAL = "neutral"
DEMAND_MARK = "▶ demands"
"""Written where a stance would be, for a link of the demanding side (it states a demand)."""


class NamedSide(Protocol):
    """A side as the codebook names it (``newsbrowse.store.ingest.codebook.Side``)."""

    @property
    def slug(self) -> str: ...

    @property
    def label(self) -> str: ...

    @property
    def role(self) -> str: ...


# dates ----------------------------------------------------------------------------------
def date_label(date: str | None, basis: str) -> str:
    """A date as every screen writes it: ``2022-02-21``, ``~2021-12-17`` when inferred from
    events (a legend says so: :data:`DATE_LEGEND`), ``undated`` when there is none."""
    if not date:
        return UNDATED
    return f"{INFERRED_MARK}{date}" if basis == "inferred" else date


def date_basis_label(basis: str) -> str:
    """Where the date comes from, in words (an article's header, where there is room)."""
    return DATE_BASES.get(basis, NO_DATE_BASIS)


# speakers and stances -------------------------------------------------------------------
def speaker_label(speaker: str | None) -> str:
    """A quote's speaker, or plainly ``unknown speaker``: a name is never guessed."""
    return speaker if speaker else UNKNOWN_SPEAKER


def stance_parts(stance: str | None) -> tuple[str, str]:
    """The symbol and word of a reply's stance; a reply without one is neutral."""
    word = stance or NEUTRAL
    return STANCE_SYMBOLS.get(word, STANCE_SYMBOLS[NEUTRAL]), word


def stance_label(stance: str | None) -> str:
    """``✗ rejects``: the symbol for the eye, the word for anyone who cannot see colour."""
    symbol, word = stance_parts(stance)
    return f"{symbol} {word}"


def link_stance_label(side: str, stance: str | None, sides: Iterable[NamedSide]) -> str:
    """What a link stands for: a demand stated (the demanding side's), else a stance."""
    if side_role(side, sides) == "demanding":
        return DEMAND_MARK
    return stance_label(stance)


# sides ----------------------------------------------------------------------------------
def side_of(slug: str, sides: Iterable[NamedSide]) -> NamedSide | None:
    return next((s for s in sides if s.slug == slug), None)


def side_role(slug: str, sides: Iterable[NamedSide]) -> str:
    """``demanding``, ``answering`` or ``other`` as the codebook says; ``unknown`` for
    nobody. A slug the codebook does not name (a store of an older codebook) is
    ``other``: someone, but no party to the negotiation."""
    if slug == UNKNOWN_SIDE:
        return UNKNOWN_SIDE
    side = side_of(slug, sides)
    return side.role if side is not None else "other"


def side_label(slug: str, sides: Iterable[NamedSide]) -> str:
    """The codebook's name for a side (``US/NATO``); ``unknown side`` for nobody."""
    if slug == UNKNOWN_SIDE:
        return UNKNOWN_SIDE_LABEL
    side = side_of(slug, sides)
    return side.label if side is not None else slug


def side_with_role(role: str, sides: Iterable[NamedSide]) -> NamedSide | None:
    """The codebook's side of ``role`` (one demanding, one answering)."""
    return next((s for s in sides if s.role == role), None)


def side_abbreviation(label: str) -> str:
    """A side's label in one or two letters, for counts where room is short: an
    acronym's first word stays (``US/NATO`` -> ``US``), a name gives its initial
    (``Russia`` -> ``R``)."""
    first = next(iter(re.findall(r"\w+", label)), "")
    if not first:
        return "?"
    return first if first.isupper() else first[0].upper()


def side_slugs(sides: Iterable[NamedSide]) -> tuple[str, ...]:
    """Every side a quote or link may have: the codebook's, then ``unknown``."""
    return (*(s.slug for s in sides), UNKNOWN_SIDE)


# the user's corrections -------------------------------------------------------------------
CORRECTED_MARK = "✎"
"""Beside a speaker, side, demand or stance the user corrected."""
CHECKED_MARK = "✓"
"""Beside a quote or link the user checked against its source."""


def attribution_label(corrected: bool, checked: bool) -> str:
    """How a quote's attribution came to be, as an export states it: ``automatic`` (the
    analysis's), ``corrected`` (the user's), ``checked`` (the analysis's, verified), or
    ``corrected, checked``."""
    if corrected and checked:
        return "corrected, checked"
    return "corrected" if corrected else "checked" if checked else "automatic"


def correction_marks(corrected: bool, checked: bool) -> str:
    """The marks written after a corrected or checked value ("" for neither)."""
    return (CORRECTED_MARK if corrected else "") + (CHECKED_MARK if checked else "")
