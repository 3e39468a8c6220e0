"""The user's own work through the :class:`Library`: the selection, read marks and the
corrections (the half of the door that writes ``user.json``, never the corpus).

A mixin, so that the Library stays one object to the app and the CLI; it uses the
Library's locks, user state and reads.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from newsbrowse.store import correcting, meta_edits, queries
from newsbrowse.store.corrected import Fixes
from newsbrowse.store.corrections import Correction
from newsbrowse.store.errors import NotFound
from newsbrowse.store.meta_edits import MetaEdits
from newsbrowse.store.model import Quote

if TYPE_CHECKING:
    from newsbrowse.store.index_keeper import IndexKeeper
    from newsbrowse.store.user_state import UserState


class UserWork:
    """Selection, read marks and corrections (mixed into :class:`Library`)."""

    user: UserState
    _lock: threading.RLock
    _keeper: IndexKeeper
    _writing: Callable[[], contextlib.AbstractContextManager[None]]
    quote: Callable[[str], Quote]

    # the selection and read marks -----------------------------------------------------
    def selected_ids(self, set_name: str | None = None) -> list[str]:
        """The current selection set's quote ids (or set ``set_name``'s), in order."""
        with self._lock:
            return self.user.selected(self.user.sets.find(set_name) if set_name else None)

    def selected_quotes(self, set_name: str | None = None) -> list[Quote]:
        """The selected quotes of the current set (or of ``set_name``) still in the corpus
        (as corrected; not those the user struck out as no quote), in the set's order."""
        fixes, ids = self.fixes(), self.selected_ids(set_name)
        plain = self._keeper.read(queries.quotes_by_id, [i for i in ids if not fixes.touches(i)])
        found = {q.id: q for q in plain}
        for qid in ids:
            if fixes.touches(qid):
                with contextlib.suppress(NotFound):  # struck out: not a quote
                    found[qid] = self.quote(qid)
        return [found[qid] for qid in ids if qid in found]

    def is_selected(self, quote_id: str) -> bool:
        with self._lock:
            return self.user.is_selected(quote_id)

    def toggle_selected(self, quote_id: str) -> bool:
        """Select or unselect; return whether the quote is now selected."""
        with self._writing():
            if self.user.is_selected(quote_id):
                self.user.unselect(quote_id)
                return False
            self.select(quote_id)
            return True

    def select(self, quote_id: str) -> None:
        with self._writing():
            self.quote(quote_id)
            self.user.select(quote_id)

    def unselect(self, quote_id: str) -> None:
        with self._writing():
            self.user.unselect(quote_id)

    def move_selected(self, quote_id: str, step: int) -> bool:
        """Move a selected quote up (``step`` < 0) or down the selection's order."""
        with self._writing():
            return self.user.move_selected(quote_id, step)

    def clear_selection(self) -> None:
        with self._writing():
            self.user.clear_selection()

    # named selection sets --------------------------------------------------------------
    def selection_sets(self) -> list[tuple[str, int]]:
        """Every selection set's name and how many quotes it holds, in the order made."""
        with self._lock:
            return [(name, len(self.user.selected(name))) for name in self.user.sets.names()]

    def current_set(self) -> str:
        with self._lock:
            return self.user.sets.current()

    def create_set(self, name: str) -> str:
        """Make an empty selection set, current from now on."""
        with self._writing():
            return self.user.sets.create(name)

    def use_set(self, name: str) -> str:
        """Make set ``name`` current: space, the selection view, copy and export use it."""
        with self._writing():
            return self.user.sets.use(name)

    def rename_set(self, old: str, new: str) -> str:
        with self._writing():
            return self.user.sets.rename(old, new)

    def delete_set(self, name: str) -> str:
        """Delete a set and its selection (not its quotes); never the only one."""
        with self._writing():
            return self.user.sets.delete(name)

    def mark_read(self, article_id: str) -> None:
        with self._writing():
            self.user.mark_read(article_id)

    def read_ids(self) -> set[str]:
        with self._lock:
            return self.user.read_ids()

    # corrections (checked and stored by correcting.py) ---------------------------------
    def fixes(self) -> Fixes:
        """The corrections in force, ready to apply to what a read found."""
        with self._lock:
            return Fixes.of(self.user.corrections.active())

    def speakers(self) -> list[str]:
        """Every speaker's name the store knows, the user's own too (for suggestions)."""
        stored = self._keeper.read(queries.speaker_list)
        with self._lock:
            given = {c.speaker for c in self.user.corrections.active() if c.speaker}
        return sorted(set(stored) | given, key=str.casefold)

    def corrections(self) -> list[correcting.Row]:
        """Every correction in force, with whether it applies or needs review."""
        with self._lock:
            active = self.user.corrections.active()
        edits = meta_edits.rows(self, active)  # type: ignore[arg-type]
        found = correcting.rows(self) + edits  # type: ignore[arg-type]
        return sorted(found, key=lambda r: (r.correction.made, r.correction.id))

    def meta_edits(self) -> MetaEdits:
        """The user's edits of articles' metadata, ready to put over what a read found.

        Kept while ``user.json``'s bytes stay the same: every page of the list asks, and
        parsing a file of hundreds of corrections costs more than the page (5 ms)."""
        with self._lock:
            try:
                raw = self.user.path.read_bytes()
            except FileNotFoundError:
                raw = b""
            kept: tuple[bytes, MetaEdits] | None = getattr(self, "_meta_kept", None)
            if kept is None or kept[0] != raw:
                kept = (raw, MetaEdits.of(self.user.corrections.active()))
                self._meta_kept = kept
            return kept[1]

    def edit_meta(self, article_id: str, **given: str | None) -> Correction:
        """Edit an article's title, source, URL, date or author ("" clears one)."""
        with self._writing():
            return meta_edits.edit(self, article_id, given)  # type: ignore[arg-type]

    def correct_quote(self, quote_id: str, **change: Any) -> Correction:
        """Give a quote another speaker and/or side, or mark it not a quote, or checked."""
        with self._writing():
            return correcting.correct_quote(self, quote_id, **change)  # type: ignore[arg-type]

    def correct_link(self, link_id: str, **change: Any) -> Correction:
        """Give a link another demand, side and/or stance, or remove it."""
        with self._writing():
            return correcting.correct_link(self, link_id, **change)  # type: ignore[arg-type]

    def add_quote(self, article_id: str, start: int, end: int, **who: Any) -> Correction:
        """Add a quote the analysis missed (its words are ``body[start:end]``)."""
        with self._writing():
            return correcting.add_quote(self, article_id, start, end, **who)  # type: ignore[arg-type]

    def add_link(self, article_id: str, start: int, end: int, **link: Any) -> Correction:
        """Tie ``body[start:end]`` to a demand (``demand``, ``side``, ``stance``)."""
        with self._writing():
            return correcting.add_link(self, article_id, start, end, **link)  # type: ignore[arg-type]

    def sentence_at(self, article_id: str, offset: int) -> tuple[int, int]:
        """The span of the sentence of an article that holds ``offset`` (for a new link)."""
        from newsbrowse.store.ingest.sentences import split_sentences  # the analysis's

        body = self.article(article_id).body  # type: ignore[attr-defined]
        spans = split_sentences(body)
        return next(((s, e) for s, e in spans if offset < e), spans[-1] if spans else (0, 0))

    def add_note(self, mark_id: str, text: str) -> Correction:
        """The user's note on a quote or a link (a later note replaces it)."""
        with self._writing():
            return correcting.add_note(self, mark_id, text)  # type: ignore[arg-type]

    def undo_correction(self, correction_id: str) -> Correction:
        """Undo a correction: the quote or link is shown as before it."""
        with self._writing():
            return correcting.undo(self, correction_id)  # type: ignore[arg-type]
