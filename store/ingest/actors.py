"""Who speaks: canonical actors, their aliases and sides, loaded from ``fixtures/actors.json``.

(Interface in place; the attribution work extends it.)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Actor:
    name: str
    side: str
    kind: str
    aliases: tuple[str, ...]


class ActorIndex:
    """Look actors up by any of their names."""

    def __init__(self, actors: list[Actor], data: dict[str, Any]) -> None:
        self.actors = actors
        self.data = data
        self._by_alias = {}
        for actor in actors:
            for alias in (actor.name, *actor.aliases):
                self._by_alias[alias.lower()] = actor

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ActorIndex:
        actors = [
            Actor(
                name=a["name"],
                side=a["side"],
                kind=a.get("kind", "person"),
                aliases=tuple(a.get("aliases", [])),
            )
            for a in data.get("actors", [])
        ]
        return cls(actors, data)

    def lookup(self, name: str) -> Actor | None:
        return self._by_alias.get(name.strip().lower())
