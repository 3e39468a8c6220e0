"""Cleaning: split scraped text into the article and the web junk around it.

Junk is recognised line by line by the rules in ``fixtures/cleaning.json``. A line is
kept whole or dropped whole, and a kept line loses only runs of spaces and invisible
characters: quotes are later cited by offsets into the body, so words and quotation
marks are never touched.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import cached_property
from typing import Any

from newsbrowse.store.errors import BadInput
from newsbrowse.store.ingest.datelines import LeadDatelines
from newsbrowse.store.ingest.literals import (
    alternation,
    anchored_at_start,
    lowered,
    required_literals,
)
from newsbrowse.store.ingest.sentences import Abbreviations, default_abbreviations
from newsbrowse.store.text import strip_controls

# Horizontal whitespace of every kind (no-break spaces included) collapses to one space.
_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
# Zero-width space, soft hyphen and a stray byte-order mark: invisible, and they break search.
_INVISIBLE = re.compile("[\u200b\u00ad\ufeff]")
# A line that ends like a sentence (closing quotes and brackets may follow the mark).
_SENTENCE_END = re.compile(r"[.!?\u2026:;,][\"'\u201d\u2019\u00bb)\]]*$")
_OPENING_QUOTE = re.compile("^[\"'\u201c\u2018\u00ab\u201e]")
_WORD = re.compile(r"\w+")

HEADLINE = "headline"
DATELINE = "dateline"
_HINT_SIMILARITY = 0.8


@dataclass(frozen=True)
class JunkRule:
    """One kind of web junk: a pattern plus guards that keep it off article prose."""

    name: str
    pattern: re.Pattern[str]
    max_words: int | None = None
    min_matches: int = 1
    min_share: float = 0.0
    # Lower-case strings one of which every match holds (None: unknown); see literals.py.
    literals: frozenset[str] | None = None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> JunkRule:
        """Build a rule from its JSON object; a broken pattern names the rule."""
        name = str(data["name"])
        flags = 0 if data.get("case_sensitive") else re.IGNORECASE
        pattern = _compile(name, data["pattern"], flags)
        return cls(
            name=name,
            pattern=pattern,
            # A pattern anchored at the start is tried at one place only: no need to skip it.
            literals=None if pattern.pattern.startswith("^") else required_literals(pattern),
            max_words=int(data["max_words"]) if data.get("max_words") is not None else None,
            min_matches=int(data.get("min_matches", 1)),
            min_share=float(data.get("min_share", 0.0)),
        )

    def matches(self, line: str, words: int | None = None, low: str | None = None) -> bool:
        """Whether the stripped ``line`` is this kind of junk (``words``: its word count;
        ``low``: :func:`lowered` ``line``, to skip the pattern where it cannot match)."""
        if words is None:
            words = len(line.split())
        if self.max_words is not None and words > self.max_words:
            return False
        absent = (
            low is not None
            and self.literals is not None
            and not any(literal in low for literal in self.literals)
        )
        if self.min_matches <= 1 and not self.min_share:
            return not absent and self.pattern.search(line) is not None
        count = 0 if absent else sum(1 for _ in self.pattern.finditer(line))
        return count >= self.min_matches and count >= self.min_share * words


@dataclass(frozen=True)
class CleaningRules:
    """Junk patterns, datelines and sentence abbreviations, from ``fixtures/cleaning.json``."""

    data: dict[str, Any] = field(default_factory=dict)
    junk: tuple[JunkRule, ...] = ()
    datelines: tuple[re.Pattern[str], ...] = ()
    months: Mapping[str, int] = field(default_factory=dict)
    headline_max_words: int = 25
    abbreviations: Abbreviations = field(default_factory=default_abbreviations)
    leads: LeadDatelines = field(default_factory=LeadDatelines)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CleaningRules:
        """Validate and compile the rules; a malformed file raises a one-line error."""
        datelines = tuple(
            _compile(str(d["name"]), d["pattern"], re.IGNORECASE) for d in data.get("datelines", [])
        )
        for pattern in datelines:
            missing = {"day", "month", "year"} - set(pattern.groupindex)
            if missing:
                raise BadInput(
                    f"cleaning.json: dateline pattern {pattern.pattern!r} lacks the groups "
                    f"{', '.join(sorted(missing))}; fix cleaning.json"
                )
        return cls(
            data=data,
            junk=tuple(JunkRule.from_dict(r) for r in data.get("junk", [])),
            datelines=datelines,
            months={str(k).casefold(): int(v) for k, v in data.get("months", {}).items()},
            headline_max_words=int(data.get("headline_max_words", 25)),
            abbreviations=(
                Abbreviations.from_dict(data["abbreviations"])
                if "abbreviations" in data
                else default_abbreviations()
            ),
            leads=LeadDatelines.from_dict(data),
        )

    @cached_property
    def _screen(self) -> tuple[re.Pattern[str] | None, tuple[JunkRule, ...]]:
        """The plain rules anchored at the line's start (one match is enough) joined into
        one pattern, and the other rules.

        A line whose start the joined pattern does not match matches none of those rules,
        so only the others are tried: most lines are prose, and one ``match`` replaces a
        dozen rule calls. A line it matches tries every rule in order, as written.
        """
        plain = [
            r
            for r in self.junk
            if r.min_matches <= 1 and not r.min_share and anchored_at_start(r.pattern)
        ]
        for flags in {r.pattern.flags for r in plain}:
            group = tuple(r.pattern for r in plain if r.pattern.flags == flags)
            joined = alternation(group)
            if joined is not None and len(group) * 2 > len(self.junk):
                others = tuple(r for r in self.junk if r.pattern not in group)
                return joined, others
        return None, self.junk

    def junk_reason(self, line: str) -> str | None:
        """The name of the first junk rule that ``line`` matches, if any."""
        words = len(line.split())  # counted once for every rule
        low = lowered(line)
        screen, others = self._screen
        rules = others if screen is not None and screen.match(line) is None else self.junk
        for rule in rules:
            if rule.matches(line, words, low):
                return rule.name
        return None

    def dateline(self, line: str) -> str | None:
        """The ISO date of ``line`` if the whole line is a dateline of a real day (also how
        a date written in a text's front matter is read)."""
        for pattern in self.datelines:
            match = pattern.fullmatch(line)
            if match is None:
                continue
            month_text = match["month"].casefold().rstrip(".")
            month = int(month_text) if month_text.isdigit() else self.months.get(month_text)
            if month is None:
                continue
            try:
                return datetime.date(int(match["year"]), month, int(match["day"])).isoformat()
            except ValueError:
                continue
        return None


@dataclass(frozen=True)
class Cleaned:
    """The kept article text, the lines dropped, and what the text says of itself.

    ``reasons[i]`` names the rule that dropped ``removed[i]`` (a junk rule's name,
    ``headline`` or ``dateline``), so a user can see why each line went.
    """

    body: str
    removed: list[str]
    title: str | None = None
    date: str | None = None
    reasons: list[str] = field(default_factory=list)


def _compile(name: str, pattern: object, flags: int) -> re.Pattern[str]:
    if not isinstance(pattern, str):
        raise BadInput(f"cleaning.json: the pattern of rule {name!r} is not a string")
    try:
        return re.compile(pattern, flags)
    except re.error as exc:
        raise BadInput(f"cleaning.json: rule {name!r} has a bad pattern ({exc}); fix it") from None


def tidy(line: str) -> str:
    """Collapse runs of whitespace and drop invisible characters; never touch a word."""
    if line.isascii() and "\t" not in line and "  " not in line:
        return line.strip()  # nothing to collapse or drop (most lines): skip both passes
    return _SPACES.sub(" ", _INVISIBLE.sub("", line)).strip()


def _tokens(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def _is_headline_shaped(line: str, max_words: int) -> bool:
    """Short, and not ending like a sentence: how headlines and standfirsts look."""
    return len(line.split()) <= max_words and not _SENTENCE_END.search(line)


def _matches_hint(line: str, hint: str | None, max_words: int) -> bool:
    """Whether ``line`` is the metadata title as the text prints it (words may differ a little).

    A near match that reads like a sentence is prose repeating the title, and stays.
    """
    if not hint:
        return False
    a, b = _tokens(line), _tokens(hint)
    if not a or SequenceMatcher(None, a, b).ratio() < _HINT_SIMILARITY:
        return False
    return a == b or _is_headline_shaped(line, max_words)


@dataclass
class _Line:
    raw: str  # stripped, otherwise as in the file: what the user sees when it is dropped
    text: str  # tidied: what is kept
    reason: str | None = None  # why it is dropped; None if kept
    blank_before: bool = False

    def continues(self) -> bool:
        """Whether this line goes on from the previous one (hard-wrapped, lower case)."""
        first = self.text[:1]
        return not self.blank_before and first.isalpha() and first.islower()


def _classify(raw: str, rules: CleaningRules) -> tuple[list[_Line], str | None]:
    """Split into non-empty lines, marking junk and datelines; return the stated date."""
    lines: list[_Line] = []
    date: str | None = None
    blank = False
    for raw_line in strip_controls(raw).splitlines():
        text = tidy(raw_line)
        if not text:
            blank = True
            continue
        line = _Line(raw_line.strip(), text, rules.junk_reason(raw_line.strip()), blank)
        blank = False
        if line.reason is None:
            stated = rules.dateline(text)
            if stated is not None:
                line.reason = DATELINE
                date = date or stated
        lines.append(line)
    return lines, date


def _find_title(lines: list[_Line], rules: CleaningRules, hint: str | None) -> str | None:
    """Mark the headline lines at the top of the text and return the headline.

    The head is what comes before the first line that reads like a sentence; only there
    can a headline (or its repetition) be dropped, so a body line is never mistaken for one.
    """
    content = [ln for ln in lines if ln.reason is None]
    hinted = {id(ln) for ln in content if _matches_hint(ln.text, hint, rules.headline_max_words)}
    head: list[_Line] = []
    for line in content:
        if id(line) not in hinted and _SENTENCE_END.search(line.text):
            break
        head.append(line)
    title_line = next((ln for ln in head if id(ln) in hinted), None)
    if title_line is None and head and len(content) > 1:
        first = head[0]
        if (
            _is_headline_shaped(first.text, rules.headline_max_words)
            and not _OPENING_QUOTE.match(first.text)
            and not content[1].continues()
        ):
            title_line = first
    if title_line is None:
        return None
    title = title_line.text
    for line in head:
        repeated = _tokens(line.text) == _tokens(title)
        if line is title_line or repeated or id(line) in hinted:
            line.reason = HEADLINE
    return title


def _paragraphs(lines: list[_Line]) -> list[str]:
    """Kept lines as paragraphs; a hard-wrapped line continuing in lower case is rejoined.

    A paragraph is gathered as its lines and joined once, and whether it may go on is read
    from its last line (where it ends): rejoining by concatenation and searching the whole
    paragraph each time was quadratic (500,000 lines of "x" ran for minutes)."""
    paragraphs: list[list[str]] = []
    joinable = False
    for line in lines:
        if line.reason is not None:
            joinable = False
            continue
        if joinable and line.continues():
            paragraphs[-1].append(line.text)
        else:
            paragraphs.append([line.text])
        joinable = not _SENTENCE_END.search(line.text)
    return [" ".join(parts) for parts in paragraphs]


def clean_text(raw: str, rules: CleaningRules, title_hint: str | None = None) -> Cleaned:
    """Keep the article's paragraphs (joined by blank lines); drop junk lines.

    ``title_hint`` is the metadata title: lines at the top that resemble it are the
    text's own headline (and its repetitions) and are dropped from the body.
    """
    lines, date = _classify(raw, rules)
    title = _find_title(lines, rules, title_hint)
    dropped = [ln for ln in lines if ln.reason is not None]
    return Cleaned(
        body="\n\n".join(_paragraphs(lines)),
        removed=[ln.raw for ln in dropped],
        title=title,
        date=date,
        reasons=[ln.reason or "" for ln in dropped],
    )
