"""The user's own work: the quotes they selected, the articles they read, and their
corrections (:mod:`newsbrowse.store.corrections`).

All are tables of ``user.json``, a small file of its own with its own schema stamp: a
selection costs one small write and is never lost to a corpus write (an import, a
reset, a re-analysis never touch it). A new kind of user data (history, bookmarks) gets
a module of its own, as in frogmouth, beside this one.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from newsbrowse.store.corrections import Corrections
from newsbrowse.store.errors import StoreDamaged
from newsbrowse.store.json_files import SCHEMA_VERSION, check_version, damage_message, open_tinydb
from newsbrowse.store.records import user_problem
from newsbrowse.store.selection_sets import SELECTED, SelectionSets, in_set, set_of
from tinydb import Query


class UserState:
    """Selected quotes and read marks: a small file of its own, cheap to write."""

    def __init__(self, home: Path) -> None:
        self.path = home / "user.json"
        self._db = open_tinydb(self.path, check=user_problem)
        self.corrections = Corrections(self._db, self._ensure_stamped)
        self.sets = SelectionSets(self._db, self._ensure_stamped)

    def schema(self) -> int | None:
        """The file's schema version: 1 before files carried one, None if there is no file."""
        data = self._db.storage.read()
        if data is None:
            return None
        docs = list(data.get("meta", {}).values())
        return check_version(self.path, docs[0].get("schema") if docs else 1)

    def stamp(self) -> None:
        """Write the current schema version into the file (on creation and migration)."""
        data = dict(self._db.storage.read() or {})
        data["meta"] = {"1": {"schema": SCHEMA_VERSION}}
        self._db.storage.write(data)
        self._db.clear_cache()

    def _column(self, table: str, key: str, set_name: str | None = None) -> list[Any]:
        """``key`` of every doc in ``table`` (of one selection set), in order; a doc
        without it is damage."""
        docs = self._db.table(table).all()
        if set_name is not None:
            docs = [d for d in docs if set_of(d) == set_name]
        docs.sort(key=lambda d: d.get("order", 0) if isinstance(d.get("order"), int) else 0)
        values = [d.get(key) for d in docs]
        if not all(isinstance(v, str) for v in values):
            raise StoreDamaged(damage_message(self.path, f"holds a {table} entry without {key}"))
        return values

    def selected(self, set_name: str | None = None) -> list[str]:
        """The selected quotes' ids of the current set (or of ``set_name``), in the order
        they were selected or moved to (an export's order)."""
        return self._column(SELECTED, "quote_id", set_name or self.sets.current())

    def _here(self, quote_id: str) -> Any:
        return (Query().quote_id == quote_id) & in_set(self.sets.current())

    def check(self) -> None:
        """Raise :class:`StoreDamaged` if any entry is of another shape (before a rewrite)."""
        self.selected()
        self.read_ids()
        self.corrections.all()

    def is_selected(self, quote_id: str) -> bool:
        """Whether ``quote_id`` is selected (it may no longer be in the corpus)."""
        return bool(self._db.table(SELECTED).search(self._here(quote_id)))

    def _ensure_stamped(self) -> None:
        if not self.path.exists():
            self.stamp()

    def select(self, quote_id: str) -> None:
        """Add ``quote_id`` at the end of the selection (once)."""
        if self.is_selected(quote_id):
            return
        self._ensure_stamped()
        doc = {"quote_id": quote_id, "order": time.time_ns(), "set": self.sets.current()}
        self._db.table(SELECTED).insert(doc)

    def unselect(self, quote_id: str) -> None:
        """Take ``quote_id`` out of the selection (nothing if it is not in it)."""
        self._db.table(SELECTED).remove(self._here(quote_id))

    def move_selected(self, quote_id: str, step: int) -> bool:
        """Move ``quote_id`` ``step`` places in the selection's order (an export's order),
        renumbering the whole selection in one write; False if it cannot move so far."""
        ids = self.selected()
        if quote_id not in ids:
            return False
        at = ids.index(quote_id)
        to = at + step
        if not 0 <= to < len(ids):
            return False
        ids.insert(to, ids.pop(at))
        table = self._db.table(SELECTED)
        table.update_multiple([({"order": i}, self._here(q)) for i, q in enumerate(ids)])
        return True

    def clear_selection(self) -> None:
        """Unselect every quote of the current set; the read marks and other sets stay."""
        self._db.table(SELECTED).remove(in_set(self.sets.current()))

    def read_ids(self) -> set[str]:
        """The articles opened before, which the list shows as read."""
        return set(self._column("read", "article_id"))

    def mark_read(self, article_id: str) -> None:
        """Record ``article_id`` as read (once: a second mark writes nothing)."""
        if not self._db.table("read").search(Query().article_id == article_id):
            self._ensure_stamped()
            self._db.table("read").insert({"article_id": article_id})

    def close(self) -> None:
        self._db.close()
