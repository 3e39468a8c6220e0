"""Fixtures of the app tests; ``library`` (the seeds in a fresh home) is in tests/conftest.py."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from newsbrowse.store.library import Library
from newsbrowse.tui.app import NewsbrowseApp

HOME_LABEL = "test-home"
MARKUP_TITLE = "[bold]x[/] [@click=app.quit]"


@pytest.fixture
def empty_library(tmp_path: Path) -> Iterator[Library]:
    """A home with no articles at all."""
    lib = Library.open(tmp_path / "empty", bootstrap=False)
    yield lib
    lib.close()


@pytest.fixture
def hostile_library(library: Library, tmp_path: Path) -> Library:
    """The seeds plus an article whose title and text look like Rich/Textual markup."""
    path = tmp_path / "hostile.txt"
    path.write_text(
        f"{MARKUP_TITLE}\n\nThe minister [red]spoke[/] on Monday. "
        '"We will not accept [bold]any[/] of this," said a spokesman.\n',
        encoding="utf-8",
    )
    (result,) = library.import_paths([path])
    assert result.id is not None, result.skipped
    return library


@pytest.fixture
def quoteless_library(library: Library, tmp_path: Path) -> tuple[Library, str]:
    """The seeds plus an article without a single quotation."""
    path = tmp_path / "plain.txt"
    path.write_text(
        "A quiet day in Geneva\n\nThe talks ended without a statement. "
        "Nobody spoke to reporters afterwards.\n",
        encoding="utf-8",
    )
    (result,) = library.import_paths([path])
    assert result.id is not None, result.skipped
    return library, result.id


@pytest.fixture
def make_app() -> Callable[[Library], NewsbrowseApp]:
    """Builds the app with a stable home label, so that screens do not show tmp paths."""

    def build(library: Library) -> NewsbrowseApp:
        return NewsbrowseApp(library, home_label=HOME_LABEL)

    return build
