"""The codebook of Russian demands, loaded from ``fixtures/codebook.json``.

(Interface in place; the linking work adds terms and stance patterns.)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Demand:
    slug: str
    title: str
    description: str


@dataclass(frozen=True)
class Codebook:
    demands: tuple[Demand, ...]
    data: dict[str, Any]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Codebook:
        demands = tuple(
            Demand(slug=d["slug"], title=d["title"], description=d.get("description", ""))
            for d in data.get("demands", [])
        )
        return cls(demands=demands, data=data)

    def demand(self, slug: str) -> Demand | None:
        return next((d for d in self.demands if d.slug == slug), None)

    @property
    def slugs(self) -> tuple[str, ...]:
        return tuple(d.slug for d in self.demands)
