"""The export dialog: format keys, the path that follows the format, confirm, cancel, overwrite."""

from __future__ import annotations

from pathlib import Path

from newsbrowse.store.export import FORMATS
from newsbrowse.tui.screens.export import ExportRequest, ExportScreen
from textual.app import App
from textual.widgets import Input, RadioButton, Static


class DialogHost(App[None]):
    """Opens the dialog on start and keeps what it returns, as the app's callback would."""

    def __init__(self, count: int, folder: Path) -> None:
        super().__init__()
        self.count = count
        self.folder = folder
        self.results: list[ExportRequest | None] = []

    def on_mount(self) -> None:
        self.push_screen(ExportScreen(self.count, default_dir=self.folder), self.results.append)


def path_of(app: App[None]) -> str:
    return app.screen.query_one("#export-path", Input).value


def message_of(app: App[None]) -> str:
    return str(app.screen.query_one("#export-message", Static).render())


async def test_prefilled_with_a_markdown_name_in_the_folder(tmp_path: Path) -> None:
    app = DialogHost(3, tmp_path)
    async with app.run_test() as pilot:
        await pilot.pause()
        path = Path(path_of(app))
        assert path.parent == tmp_path and path.suffix == ".md"
        assert app.screen.query_one("#format-md", RadioButton).value
        count = str(app.screen.query_one("#export-count", Static).render())
        assert count == "3 selected quotes will be exported."


async def test_format_keys_and_arrows_change_the_extension(tmp_path: Path) -> None:
    app = DialogHost(2, tmp_path)
    async with app.run_test() as pilot:
        await pilot.pause()
        stem = Path(path_of(app)).stem
        steps = [("c", "csv"), ("j", "json"), ("l", "csl.json"), ("r", "ris"), ("b", "bib"),
                 ("right", FORMATS[0]), ("down", FORMATS[1])]  # fmt: skip
        for key, ending in steps:
            await pilot.press(key)  # "right" wraps from the last format to the first
            await pilot.pause()
            assert path_of(app) == str(tmp_path / f"{stem}.{ending}"), key
        await pilot.press("enter")
        await pilot.pause()
    assert app.results == [ExportRequest(FORMATS[1], tmp_path / f"{stem}.{FORMATS[1]}")]


async def test_a_name_the_user_typed_keeps_its_extension(tmp_path: Path) -> None:
    app = DialogHost(1, tmp_path)
    async with app.run_test() as pilot:
        await pilot.pause()
        field = app.screen.query_one("#export-path", Input)
        field.value = str(tmp_path / "for-editor.txt")
        await pilot.press("j")
        assert path_of(app) == str(tmp_path / "for-editor.txt")
        await pilot.press("enter")
        await pilot.pause()
    assert app.results == [ExportRequest("json", tmp_path / "for-editor.txt")]


async def test_typing_in_the_path_is_not_a_format_key(tmp_path: Path) -> None:
    app = DialogHost(1, tmp_path)
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("tab")
        field = app.screen.query_one("#export-path", Input)
        assert app.focused is field
        field.value = str(tmp_path / "a")
        field.cursor_position = len(field.value)
        await pilot.press("c", "j", ".", "m", "d")
        assert path_of(app) == str(tmp_path / "acj.md")
        assert app.screen.query_one("#format-md", RadioButton).value
        await pilot.press("enter")
        await pilot.pause()
    assert app.results == [ExportRequest("md", tmp_path / "acj.md")]


async def test_escape_cancels(tmp_path: Path) -> None:
    app = DialogHost(2, tmp_path)
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == [None]


async def test_an_existing_file_asks_before_it_is_replaced(tmp_path: Path) -> None:
    existing = tmp_path / "quotes.csv"
    existing.write_text("kept\n")
    app = DialogHost(2, tmp_path)
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("c")
        app.screen.query_one("#export-path", Input).value = str(existing)
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == []
        assert "quotes.csv exists" in message_of(app)
        await pilot.press("enter")
        await pilot.pause()
    assert app.results == [ExportRequest("csv", existing, overwrite=True)]
    assert existing.read_text() == "kept\n"  # the dialog only asks; the app writes


async def test_changing_the_path_withdraws_the_overwrite_question(tmp_path: Path) -> None:
    existing = tmp_path / "quotes.md"
    existing.write_text("kept\n")
    app = DialogHost(1, tmp_path)
    async with app.run_test() as pilot:
        await pilot.pause()
        field = app.screen.query_one("#export-path", Input)
        field.value = str(existing)
        await pilot.press("enter")
        await pilot.pause()
        field.value = str(tmp_path / "fresh.md")
        await pilot.pause()
        assert message_of(app) == ""
        await pilot.press("enter")
        await pilot.pause()
    assert app.results == [ExportRequest("md", tmp_path / "fresh.md")]


async def test_nothing_selected_says_so_and_exports_nothing(tmp_path: Path) -> None:
    app = DialogHost(0, tmp_path)
    async with app.run_test() as pilot:
        await pilot.pause()
        count = str(app.screen.query_one("#export-count", Static).render())
        assert count.startswith("No quotes are selected") and "space" in count
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == []
        assert message_of(app) == "Nothing to export: no quote is selected."
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == [None]


async def test_a_missing_folder_or_a_folder_is_refused_in_the_dialog(tmp_path: Path) -> None:
    app = DialogHost(1, tmp_path)
    async with app.run_test() as pilot:
        await pilot.pause()
        field = app.screen.query_one("#export-path", Input)
        field.value = str(tmp_path / "no-such-folder" / "q.md")
        await pilot.press("enter")
        await pilot.pause()
        assert "does not exist" in message_of(app)
        field.value = str(tmp_path)
        await pilot.press("enter")
        await pilot.pause()
        assert "is a folder" in message_of(app)
        field.value = "   "
        await pilot.press("enter")
        await pilot.pause()
        assert message_of(app) == "Give a file path to export to."
        assert app.results == []


async def test_a_home_relative_path_is_expanded(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    app = DialogHost(1, tmp_path)
    async with app.run_test() as pilot:
        await pilot.pause()
        app.screen.query_one("#export-path", Input).value = "~/picked.md"
        await pilot.press("enter")
        await pilot.pause()
    assert app.results == [ExportRequest("md", tmp_path / "picked.md")]
