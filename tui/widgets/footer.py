"""The app's footer: Textual's, recomposed once however often the bindings change."""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


class AppFooter(Footer):
    """Textual's footer queues a recompose for every change of bindings: at start (the
    list loads, takes focus, opens its first article) that was four recomposes of eight
    keys, about 12 ms each, before the screen settled. This one queues at most one at a
    time; the recompose that runs reads the bindings as they are then, so it shows every
    change made before it."""

    def __init__(self) -> None:
        super().__init__()
        self._recompose_queued = False

    def bindings_changed(self, screen: Screen[object]) -> None:
        # Textual 8's Footer.bindings_changed, with the queue of one.
        self._bindings_ready = True
        if not screen.app.app_focus or not self.is_attached or screen is not self.screen:
            return
        if not self._recompose_queued:
            self._recompose_queued = True
            self.call_after_refresh(self._recompose_now)

    async def _recompose_now(self) -> None:
        self._recompose_queued = False
        await self.recompose()
