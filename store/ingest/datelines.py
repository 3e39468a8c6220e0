"""The dateline that opens a wire story: "GENEVA, January 21, 2022 (Reuters) -",
"MOSCOW, Dec 17 (Reuters) -", "December 1, 2021 /TASS/", "VIENNA (TASS):".

It gives the article's date as stated and its source, which a citation needs. The
patterns, the wire services' names and the years a dateline without one falls in are
rules in ``cleaning.json`` (``lead_datelines``, ``wire_services``, ``dateline_years``),
which a user may extend. The dateline stays in the text: it opens the first sentence,
and nothing before a quote may move.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from newsbrowse.store.errors import BadInput

PARAGRAPHS = 5
"""Paragraphs searched from the top: a standfirst or a caption may come before the dateline."""


@dataclass(frozen=True)
class Lead:
    """What a dateline says: a date (with its basis) and a source, either possibly None."""

    date: str | None = None
    date_basis: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class LeadPattern:
    pattern: re.Pattern[str]
    known_source_only: bool = False  # a dateline of no date: only a wire service's name


@dataclass(frozen=True)
class LeadDatelines:
    """The ``lead_datelines`` rules of ``cleaning.json``, compiled."""

    patterns: tuple[LeadPattern, ...] = ()
    services: Mapping[str, str] = field(default_factory=dict)  # alias (casefolded) -> name
    years: tuple[datetime.date, datetime.date] | None = None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> LeadDatelines:
        """Compile the rules; a bad pattern or window is a one-line error naming it."""
        patterns = []
        for rule in data.get("lead_datelines", []):
            name = str(rule["name"])
            try:
                pattern = re.compile(str(rule["pattern"]))
            except re.error as exc:
                raise BadInput(
                    f"cleaning.json: lead dateline {name!r} has a bad pattern ({exc})"
                ) from None
            if "source" not in pattern.groupindex and "day" not in pattern.groupindex:
                raise BadInput(f"cleaning.json: lead dateline {name!r} has no day or source group")
            patterns.append(LeadPattern(pattern, bool(rule.get("known_source_only"))))
        services = {
            alias.casefold(): str(name)
            for name, aliases in data.get("wire_services", {}).items()
            for alias in [str(name), *aliases]
        }
        window = data.get("dateline_years")
        years = None
        if window:
            try:
                years = (
                    datetime.date.fromisoformat(window["from"]),
                    datetime.date.fromisoformat(window["to"]),
                )
            except (KeyError, TypeError, ValueError):
                raise BadInput(
                    "cleaning.json: dateline_years needs 'from' and 'to' dates"
                ) from None
        return cls(tuple(patterns), services, years)

    def find(self, body: str, months: Mapping[str, int]) -> Lead:
        """The first dateline opening one of the body's first paragraphs, if any."""
        for paragraph in body.split("\n\n", PARAGRAPHS)[:PARAGRAPHS]:
            for rule in self.patterns:
                match = rule.pattern.match(paragraph)
                if match is None:
                    continue
                lead = self._lead(match, months, rule.known_source_only)
                if lead is not None:
                    return lead
        return Lead()

    def _lead(self, match: re.Match[str], months: Mapping[str, int], known: bool) -> Lead | None:
        groups = match.groupdict()
        source = self._source(groups.get("source"), known)
        date, basis = self._date(groups, months)
        if date is None and source is None:
            return None
        return Lead(date, basis, source)

    def _source(self, written: str | None, known_only: bool) -> str | None:
        """The wire service's name as the rules spell it; one they do not know as written,
        unless the pattern takes known services only."""
        if not written:
            return None
        written = " ".join(written.split())
        name = self.services.get(written.casefold())
        return name if name is not None or known_only else written

    def _date(
        self, groups: Mapping[str, str | None], months: Mapping[str, int]
    ) -> tuple[str | None, str | None]:
        """The stated day: "stated" with its year, "inferred" when the year is the one of
        ``dateline_years`` the day falls in (a wire dateline often omits it)."""
        day, month_text, year = groups.get("day"), groups.get("month"), groups.get("year")
        if not day or not month_text:
            return None, None
        month_text = month_text.casefold().rstrip(".")
        month = int(month_text) if month_text.isdigit() else months.get(month_text)
        if month is None:
            return None, None
        if year:
            stated = _day(int(year), month, int(day))
            return (stated, "stated") if stated else (None, None)
        if self.years is None:
            return None, None
        first, last = self.years
        days = [_day(y, month, int(day)) for y in range(first.year, last.year + 1)]
        fits = [d for d in days if d and first.isoformat() <= d <= last.isoformat()]
        return (fits[0], "inferred") if len(fits) == 1 else (None, None)


def _day(year: int, month: int, day: int) -> str | None:
    try:
        return datetime.date(year, month, day).isoformat()
    except ValueError:
        return None
