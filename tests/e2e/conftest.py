"""Fixtures of the real-terminal tests: a private tmux server and a clean app environment.

These tests run the installed console script, never the package in-process, so that what
a user launches (entry point, packaged data, terminal output) is what is tested.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from terminal import Place, Tmux, app_env, console_script, require_tmux


@pytest.fixture
def place(tmp_path: Path) -> Place:
    """A fresh home (filled from the fixtures on first start) and an empty working folder."""
    console_script()
    home = tmp_path / "home"
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    return Place(home=home, cwd=cwd, env=app_env(tmp_path / "env", home))


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[Tmux]:
    """A private tmux server at 120x40; killed after the test whatever happened."""
    require_tmux()
    server = Tmux(root=tmp_path)
    try:
        yield server
    finally:
        server.kill()
