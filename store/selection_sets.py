"""Named selection sets ("Lavrov on the open door"): the user's selected quotes kept as
several ordered lists, one of them current. The app's space, the selection view, copy
and ``export --selected`` act on the current set.

They live in ``user.json`` beside the selection they extend: each selected quote's entry
names its set, and one that names none (a file from before sets) is in the set
``default``, so an old file is read as one set without being rewritten. A change that
touches several tables (a rename, a delete) is one atomic write of the whole file.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from newsbrowse.store.errors import BadInput
from newsbrowse.store.text import strip_controls
from tinydb import Query, TinyDB
from tinydb.queries import QueryInstance

DEFAULT = "default"
SETS = "sets"
CURRENT = "current_set"
SELECTED = "selected"
MAX_NAME = 80


def set_of(doc: dict[str, Any]) -> str:
    """The set a selected quote's entry belongs to."""
    name = doc.get("set")
    return name if isinstance(name, str) else DEFAULT


def in_set(name: str) -> QueryInstance:
    """The entries of set ``name`` (for the default set, also those naming no set)."""
    named = Query().set == name
    return (named | ~Query().set.exists()) if name == DEFAULT else named


class SelectionSets:
    """The sets' names, their order and the current one (the TinyDB is :class:`UserState`'s)."""

    def __init__(self, db: TinyDB, before_write: Callable[[], None]) -> None:
        self._db = db
        self._before_write = before_write

    def names(self) -> list[str]:
        """Every set's name, in the order made (``default`` alone before any was made)."""
        docs = sorted(self._db.table(SETS).all(), key=lambda d: d.get("order", 0))
        return [d["name"] for d in docs] or [DEFAULT]

    def current(self) -> str:
        names = self.names()
        docs = self._db.table(CURRENT).all()
        name = docs[0].get("name") if docs else None
        return name if name in names else names[0]

    def find(self, name: str) -> str:
        """The set called ``name`` (case aside); an unknown name is :class:`BadInput`."""
        names = self.names()
        found = next((n for n in names if n.casefold() == name.strip().casefold()), None)
        if found is None:
            raise BadInput(f"no selection set {name!r}; the sets are: {', '.join(names)}")
        return found

    def create(self, name: str) -> str:
        """Make an empty set and make it current."""
        name = self._new_name(name)
        data = self._data()
        sets = data.setdefault(SETS, {})
        if not sets:  # the sets so far were the implicit default: keep it
            sets["1"] = {"name": DEFAULT, "order": 0}
        sets[_next_id(sets)] = {"name": name, "order": 1 + max(d["order"] for d in sets.values())}
        data[CURRENT] = {"1": {"name": name}}
        self._write(data)
        return name

    def use(self, name: str) -> str:
        """Make set ``name`` the current one."""
        found = self.find(name)
        data = self._data()
        data[CURRENT] = {"1": {"name": found}}
        self._write(data)
        return found

    def rename(self, old: str, new: str) -> str:
        """Give set ``old`` a new name; its quotes and order stay."""
        found = self.find(old)
        name = self._new_name(new, but=found)
        data = self._data()
        self._list_all(data)
        for doc in data[SETS].values():
            if doc["name"] == found:
                doc["name"] = name
        for doc in data.get(SELECTED, {}).values():
            if set_of(doc) == found:
                doc["set"] = name
        if self.current() == found:
            data[CURRENT] = {"1": {"name": name}}
        self._write(data)
        return name

    def delete(self, name: str) -> str:
        """Delete set ``name`` and its selection; the first set left becomes current if it
        was. The only set cannot be deleted (unselect its quotes instead)."""
        found = self.find(name)
        names = self.names()
        if len(names) == 1:
            raise BadInput(f"{found!r} is the only selection set; make another one first")
        data = self._data()
        self._list_all(data)
        data[SETS] = {k: d for k, d in data[SETS].items() if d["name"] != found}
        chosen = data.get(SELECTED, {})
        data[SELECTED] = {k: d for k, d in chosen.items() if set_of(d) != found}
        if self.current() == found:
            data[CURRENT] = {"1": {"name": next(n for n in names if n != found)}}
        self._write(data)
        return found

    def _new_name(self, name: str, but: str | None = None) -> str:
        clean = " ".join(strip_controls(name).split())
        if not clean or len(clean) > MAX_NAME:
            raise BadInput(f"a selection set's name must be 1 to {MAX_NAME} characters")
        taken = {n.casefold() for n in self.names() if n != but}
        if clean.casefold() in taken:
            raise BadInput(f"there is a selection set {clean!r} already")
        return clean

    def _list_all(self, data: dict[str, Any]) -> None:
        """Write down the implicit default set, so that a rename or delete can name it."""
        if not data.get(SETS):
            data[SETS] = {"1": {"name": DEFAULT, "order": 0}}

    def _data(self) -> dict[str, Any]:
        self._before_write()
        stored = self._db.storage.read() or {}  # copied: the storage may cache what it read
        return {t: {k: dict(d) for k, d in docs.items()} for t, docs in stored.items()}

    def _write(self, data: dict[str, Any]) -> None:
        self._db.storage.write(data)
        self._db.clear_cache()


def _next_id(docs: dict[str, Any]) -> str:
    return str(1 + max((int(k) for k in docs if k.isdigit()), default=0))
