"""The app's half of the corrections beyond a quote's speaker and side: a link's demand,
side or stance (or its removal), a note, a quote the analysis missed, and undo.

The reader and the demands panel ask (:mod:`newsbrowse.tui.widgets.link_keys`); this
mixin of :class:`~newsbrowse.tui.app.NewsbrowseApp` asks for the value in a dialog,
stores the correction through the Library and redraws where the user was.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from newsbrowse.store.errors import NewsbrowseError
from newsbrowse.store.labels import link_stance_label, side_label, stance_label
from newsbrowse.store.model import STANCES, Link, Quote
from newsbrowse.tui.screens.correct import ChoiceScreen, SpeakerScreen, side_choices
from newsbrowse.tui.screens.note import NoteScreen
from newsbrowse.tui.widgets.demands import DemandsPanel
from newsbrowse.tui.widgets.link_keys import (
    LinkAddAsked,
    LinkChanged,
    LinkCorrectionAsked,
    NoteAsked,
    QuoteSpanAsked,
)
from newsbrowse.tui.widgets.quote_info import QuoteInfo
from newsbrowse.tui.widgets.reader import Reader

if TYPE_CHECKING:
    from collections.abc import Callable

    from newsbrowse.store.corrections import Correction
    from newsbrowse.store.library import Library

LINK_WHATS = (
    ("demand", "Another demand"),
    ("side", "Another side"),
    ("stance", "Another stance"),
    ("remove", "Remove the link: the sentence is tied to no demand"),
)


class LinkCorrectionActions:
    """Answers :class:`LinkCorrectionAsked`, :class:`NoteAsked` and :class:`QuoteSpanAsked`,
    and the app's undo (mixed into the app)."""

    library: Library

    @property
    def _app(self) -> Any:
        return self

    def on_link_changed(self, event: LinkChanged) -> None:
        """The line under the reader names the link under the cursor (and its note)."""
        self._app.query_one(QuoteInfo).show_link(event.link, len(self.library.selected_ids()))

    # a link --------------------------------------------------------------------------------
    def on_link_correction_asked(self, event: LinkCorrectionAsked) -> None:
        link, sides = event.link, self.library.codebook.sides
        stance = link_stance_label(link.side, link.stance, sides)
        title = f"Link to {link.demand} ({side_label(link.side, sides)}, {stance})"
        self._app.push_screen(
            ChoiceScreen(title, LINK_WHATS, None, link.evidence), partial(self._link_what, link)
        )

    def _link_what(self, link: Link, what: str | None) -> None:
        if what is None:
            return
        if what == "remove":
            self._store(link.article_id, lambda: self.library.correct_link(link.id, remove=True))
            return
        codebook = self.library.codebook
        choices = {
            "demand": self._demand_choices(),
            "side": side_choices(self.library.sides, codebook.sides),
            "stance": [(s, stance_label(s)) for s in STANCES],
        }[what]
        current = {"demand": link.demand, "side": link.side, "stance": link.stance}[what]
        screen = ChoiceScreen(f"The link's {what}", choices, current, link.evidence)
        self._app.push_screen(screen, partial(self._link_value, link, what))

    def _link_value(self, link: Link, what: str, value: str | None) -> None:
        if value is not None:
            change = {what: value}
            self._store(link.article_id, lambda: self.library.correct_link(link.id, **change))

    def on_link_add_asked(self, event: LinkAddAsked) -> None:
        try:
            start, end = event.span or self.library.sentence_at(event.article_id, event.offset)
            words = self.library.article(event.article_id).body[start:end]
        except NewsbrowseError as exc:
            self._app.notify(str(exc), severity="error", markup=False)
            return
        demands = self._demand_choices()
        asked = {"article_id": event.article_id, "start": start, "end": end, "words": words}
        screen = ChoiceScreen("Tie it to which demand?", demands, None, words)
        self._app.push_screen(screen, partial(self._new_link, asked, "demand"))

    def _new_link(self, asked: dict[str, Any], what: str, value: str | None) -> None:
        """Ask the demand, then the side, then (for a reply) the stance; then store."""
        if value is None:
            return
        asked = {**asked, what: value}
        codebook = self.library.codebook
        if what == "demand":
            sides = side_choices(self.library.sides, codebook.sides)
            screen = ChoiceScreen("Whose statement is it?", sides, None, asked["words"])
            self._app.push_screen(screen, partial(self._new_link, asked, "side"))
            return
        if what == "side" and value == codebook.answering:
            stances = [(s, stance_label(s)) for s in STANCES]
            screen = ChoiceScreen("What does the reply say?", stances, None, asked["words"])
            self._app.push_screen(screen, partial(self._new_link, asked, "stance"))
            return
        span = (asked["article_id"], asked["start"], asked["end"])
        link = {k: asked.get(k) for k in ("demand", "side", "stance")}
        self._store(span[0], lambda: self.library.add_link(*span, **link))

    # a note, a missed quote ---------------------------------------------------------------
    def on_note_asked(self, event: NoteAsked) -> None:
        mark = event.mark
        about = mark.text if isinstance(mark, Quote) else mark.evidence
        self._app.push_screen(NoteScreen(mark.note, about), partial(self._note, mark))

    def _note(self, mark: Quote | Link, note: str | None) -> None:
        if note is not None:
            self._store(mark.article_id, lambda: self.library.add_note(mark.id, note))

    def on_quote_span_asked(self, event: QuoteSpanAsked) -> None:
        screen = SpeakerScreen(None, self.library.speakers(), event.text)
        self._app.push_screen(screen, partial(self._span_speaker, event))

    def _span_speaker(self, event: QuoteSpanAsked, speaker: str | None) -> None:
        if speaker is None:
            return
        sides = side_choices(self.library.sides, self.library.codebook.sides)
        screen = ChoiceScreen(f"Whose side is {speaker} on?", sides, None, event.text)
        self._app.push_screen(screen, partial(self._span_side, event, speaker))

    def _span_side(self, event: QuoteSpanAsked, speaker: str, side: str | None) -> None:
        if side is None:
            return
        span = (event.article_id, event.start, event.end)
        self._store(
            event.article_id, lambda: self.library.add_quote(*span, speaker=speaker, side=side)
        )

    # undo ------------------------------------------------------------------------------------
    def action_undo(self) -> None:
        """Undo the last correction in force (the quote or link is shown as before it)."""
        rows = self.library.corrections()
        if not rows:
            self._app.notify("No correction to undo.", markup=False)
            return
        last = rows[-1].correction
        self._store(last.article_id, lambda: self.library.undo_correction(last.id), undo=True)

    def _demand_choices(self) -> list[tuple[str, str]]:
        book = self.library.codebook
        return [(slug, d.title if (d := book.demand(slug)) else slug) for slug in book.slugs]

    def action_show_corrections(self) -> None:
        """The corrections in force; enter on one undoes it."""
        from newsbrowse.tui.cli_correct import describe  # one wording for CLI and app
        from newsbrowse.tui.screens.corrections import CorrectionsScreen

        try:
            rows = self.library.corrections()
        except NewsbrowseError as exc:
            self._app.notify(str(exc), severity="error", markup=False)
            return
        shown = [(r.correction.id, describe(self.library, r.correction), r.correction.text,
                  r.status) for r in rows]  # fmt: skip
        self._app.push_screen(CorrectionsScreen(shown), partial(self._undo_chosen, rows))

    def _undo_chosen(self, rows: list[Any], correction_id: str | None) -> None:
        chosen = next((r.correction for r in rows if r.correction.id == correction_id), None)
        if chosen is not None:
            write = partial(self.library.undo_correction, chosen.id)
            self._store(chosen.article_id, write, undo=True)

    # storing and redrawing -----------------------------------------------------------------
    def _store(
        self, article_id: str, write: Callable[[], Correction], *, undo: bool = False
    ) -> None:
        """Make the write, then redraw the reader where it was and the demands panel."""
        app = self._app
        try:
            made = write()
            article = self.library.article(article_id)
        except NewsbrowseError as exc:
            app.notify(str(exc), severity="error", markup=False)
            return
        reader = app.query_one(Reader)
        if reader.article is not None and reader.article.id == article_id:
            current = reader.current_quote
            evidence = reader.evidence
            reader.show_corrected(article, current.id if current else None)
            if evidence is not None and reader.evidence is None:
                reader.evidence = evidence
            if (link := reader.current_link) is not None:
                reader.post_message(LinkChanged(link))  # after the quote its redraw announces
        app.query_one(DemandsPanel).refresh_data()
        app.update_selection_count()
        if undo:
            app.notify(f"Undid {made.id} ({made.kind.replace('_', ' ')}).", markup=False)
        else:
            app.notify(f"Saved {made.id}; u undoes it.", markup=False)
