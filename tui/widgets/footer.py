"""The app's footer: Textual's, recomposed once however often the bindings change."""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


class AppFooter(Footer):
    """Textual's footer queues a recompose for every change of bindings: at start (the
    list loads, takes focus, opens its first article) that was four recomposes of eight
    keys, about 12 ms each, before the screen settled. This one passes a change on to
    Textual's own handler only when none is queued yet; the recompose that runs reads
    the bindings as they are then, so it shows every change made before it."""

    def __init__(self) -> None:
        super().__init__()
        self._recompose_queued = False

    def bindings_changed(self, screen: Screen[object]) -> None:
        if self._recompose_queued:
            return  # the recompose already queued will show this change too
        self._recompose_queued = True
        # Queued first, so it runs just before the recompose Textual queues below: a
        # change made while that recompose runs is passed on again.
        self.call_after_refresh(self._dequeue)
        super().bindings_changed(screen)

    def _dequeue(self) -> None:
        self._recompose_queued = False
