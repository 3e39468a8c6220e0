"""The theme the user chose, kept across restarts (:mod:`newsbrowse.store.config`).

A mixin of :class:`~newsbrowse.tui.app.NewsbrowseApp`: the theme saved is restored on
mount, and every change (``ctrl+p`` → theme, or the light/dark switch) is saved.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

from newsbrowse.store.config import read_config, save_setting

if TYPE_CHECKING:
    from newsbrowse.store.library import Library
    from textual.theme import Theme


class ThemeMemory:
    """Restores and saves the app's theme (mixed into the app)."""

    library: Library

    def restore_theme(self) -> None:
        """Take the saved theme if this Textual knows it; then save each change."""
        app: Any = self
        saved = read_config(self.library.home).get("theme")
        if isinstance(saved, str) and saved in app.available_themes:
            app.theme = saved
        app.theme_changed_signal.subscribe(app, self._save_theme)

    def _save_theme(self, theme: Theme) -> None:
        with contextlib.suppress(OSError):  # a home that cannot be written forgets it
            save_setting(self.library.home, "theme", theme.name)
