"""The records newsbrowse stores: articles, their quotes and their links to demands.

Plain dataclasses with dict round-trips; the JSON field names are a public contract
(the CLI's ``--json`` output and the TinyDB documents use them unchanged).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from newsbrowse.store.errors import BadInput

UNKNOWN_SIDE = "unknown"
"""The side of a quote or link that nothing in the text gives one: not a side of the
negotiation, so no codebook names it, yet every store may hold it."""


def sides_of(side_slugs: Iterable[str]) -> tuple[str, ...]:
    """Every side a quote or link may have: the codebook's sides (``side_slugs``, which
    the codebook file names), then :data:`UNKNOWN_SIDE`."""
    return (*side_slugs, UNKNOWN_SIDE)


def check_side(side: str, sides: Sequence[str]) -> str:
    """``side`` if it is one of ``sides`` (see :func:`sides_of`); else the one-line error
    that lists them."""
    if side not in sides:
        raise BadInput(f"unknown side {side!r}; use one of: {', '.join(sides)}")
    return side


def __getattr__(name: str) -> Any:
    """``SIDES``: the shipped codebook's sides and ``unknown``, read when first asked for.

    For code that knows no home's codebook yet (the app's help and panels, until they
    read :attr:`Library.sides`); a home may name other sides in its own codebook.json."""
    if name == "SIDES":
        from newsbrowse.store.ingest.codebook import shipped_sides

        return sides_of(side.slug for side in shipped_sides())
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


USER_FIELDS: tuple[str, ...] = ("corrected", "checked", "note")
"""Fields of a quote or link that the user's corrections give (``user.json``), never the
analysis: they are left out of the corpus's records and filled in at read time."""


def _from_dict(cls: type, data: dict[str, Any]) -> Any:
    """A flat record from ``data``: a missing analysis field is None, a missing user field
    keeps its default (a stored record has none of them)."""
    names = [f.name for f in fields(cls) if f.name not in USER_FIELDS or f.name in data]
    return cls(**{name: data.get(name) for name in names})


STANCES: tuple[str, ...] = ("rejects", "open", "conditional", "neutral")
STANCE_SYMBOLS: dict[str, str] = {"rejects": "✗", "open": "◐", "conditional": "◇", "neutral": "·"}
"""One symbol per stance, shared by the CLI and the app; always shown beside the word."""
DATE_BASES: tuple[str, ...] = ("stated", "inferred", "unknown")


@dataclass(frozen=True, slots=True)
class Quote:
    """A direct quotation: ``body[start:end] == text`` (the words inside the marks)."""

    id: str
    article_id: str
    text: str
    speaker: str | None
    side: str
    cue: str | None
    start: int
    end: int
    corrected: bool = False  # speaker or side given by the user, or a quote the user added
    checked: bool = False  # the user checked it against the source
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Quote:
        return _from_dict(cls, data)


@dataclass(frozen=True, slots=True)
class ScareQuote:
    """A quoted label or fragment (one or two words, or a label): marked, not cited."""

    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ScareQuote:
        return cls(**{f.name: data.get(f.name) for f in fields(cls)})


@dataclass(frozen=True, slots=True)
class Link:
    """One sentence (or clause) of an article tied to one demand of the codebook."""

    id: str
    article_id: str
    demand: str
    side: str
    stance: str | None
    evidence: str
    start: int
    end: int
    quote_id: str | None
    corrected: bool = False  # demand, side or stance given by the user
    checked: bool = False
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Link:
        return _from_dict(cls, data)


@dataclass(frozen=True, slots=True)
class ArticleSummary:
    """What the article list needs: no body, so that listing never loads the corpus."""

    id: str
    title: str
    source: str | None
    url: str | None
    date: str | None
    date_basis: str
    words: int
    quote_count: int
    link_count: int
    edited: tuple[str, ...] = ()  # the metadata fields the user edited (user.json)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ArticleSummary:
        values = {f.name: data.get(f.name) for f in fields(cls)}
        return cls(**{**values, "edited": tuple(data.get("edited") or ())})


@dataclass(frozen=True, slots=True)
class Article:
    """A cleaned article with everything the analysis found in it."""

    id: str
    title: str
    source: str | None
    url: str | None
    date: str | None
    date_basis: str
    body: str
    removed: list[str] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    scare_quotes: list[ScareQuote] = field(default_factory=list)
    origin: str | None = None
    author: str | None = None
    edited: tuple[str, ...] = ()  # the metadata fields the user edited (user.json)

    @property
    def words(self) -> int:
        return len(self.body.split())

    def summary(self) -> ArticleSummary:
        return ArticleSummary(
            id=self.id,
            title=self.title,
            source=self.source,
            url=self.url,
            date=self.date,
            date_basis=self.date_basis,
            words=self.words,
            quote_count=len(self.quotes),
            link_count=len(self.links),
            edited=self.edited,
        )

    def quote(self, quote_id: str) -> Quote | None:
        return next((q for q in self.quotes if q.id == quote_id), None)

    def to_dict(self) -> dict[str, Any]:
        data = self.summary().to_dict()
        data.update(
            body=self.body,
            removed=list(self.removed),
            quotes=[q.to_dict() for q in self.quotes],
            links=[lk.to_dict() for lk in self.links],
            scare_quotes=[s.to_dict() for s in self.scare_quotes],
            origin=self.origin,
            author=self.author,
        )
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        return cls(
            id=data["id"],
            title=data["title"],
            source=data.get("source"),
            url=data.get("url"),
            date=data.get("date"),
            date_basis=data.get("date_basis") or "unknown",
            body=data["body"],
            removed=list(data.get("removed") or []),
            quotes=[Quote.from_dict(q) for q in data.get("quotes") or []],
            links=[Link.from_dict(lk) for lk in data.get("links") or []],
            scare_quotes=[ScareQuote.from_dict(s) for s in data.get("scare_quotes") or []],
            origin=data.get("origin"),
            author=data.get("author"),
            edited=tuple(data.get("edited") or ()),
        )


@dataclass(frozen=True, slots=True)
class ArticleMeta:
    """What is known about an article besides its text: from the fixtures' metadata, the
    user (``import --source``), a text's front matter or a page's metadata."""

    title: str | None = None
    source: str | None = None
    url: str | None = None
    date: str | None = None
    date_basis: str | None = None
    author: str | None = None

    def under(self, found: ArticleMeta) -> ArticleMeta:
        """These fields, and ``found``'s where these have none: what the user or the
        fixtures say wins over what the file says of itself."""
        date, basis = (self.date, self.date_basis) if self.date else (found.date, found.date_basis)
        return ArticleMeta(
            title=self.title or found.title,
            source=self.source or found.source,
            url=self.url or found.url,
            date=date,
            date_basis=basis,
            author=self.author or found.author,
        )
