"""The app's ways in and out: copy and export the selected quotes, import files. A mixin
of :class:`~newsbrowse.tui.app.NewsbrowseApp`, kept apart from app.py; the dialogs are
imported when first asked for."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsbrowse.store.errors import NewsbrowseError
from textual.actions import SkipAction

if TYPE_CHECKING:
    from newsbrowse.store.library import Library
    from newsbrowse.tui.screens.export import ExportRequest


class Transfers:
    """``action_copy``, ``action_export`` and ``action_import_files`` (mixed into the app)."""

    library: Library

    def action_copy(self) -> None:
        from newsbrowse.store.export import export_text

        app: Any = self
        quotes = self.library.selected_quotes()
        if not quotes:
            app.notify("No quotes selected: press space on a quote first.", markup=False)
            return
        app.copy_to_clipboard(export_text(self.library, quotes, "md"))
        app.notify(f"Copied {len(quotes)} quotes as Markdown.", markup=False)

    def action_import_files(self) -> None:
        app: Any = self
        if app.screen is not app.screen_stack[0]:
            raise SkipAction()  # over another dialog, i is that dialog's
        from newsbrowse.tui.screens import import_files

        import_files.open_dialog(app, self.library)

    def action_export(self) -> None:
        from newsbrowse.tui.screens.export import ExportScreen

        app: Any = self
        count = len(self.library.selected_quotes())
        app.push_screen(ExportScreen(count, default_dir=Path.cwd()), self._export)

    def _export(self, request: ExportRequest | None) -> None:
        from newsbrowse.store.export import export_text, write_export

        app: Any = self
        if request is None:
            return
        try:
            quotes = self.library.selected_quotes()
            text = export_text(self.library, quotes, request.fmt)
            path = write_export(request.path, text, force=request.overwrite)
        except NewsbrowseError as exc:
            app.notify(str(exc), severity="error", markup=False)
            return
        app.notify(f"Exported {len(quotes)} quotes to {path}", markup=False)
