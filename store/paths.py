"""Where newsbrowse keeps its data."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs


def default_home() -> Path:
    """``$NEWSBROWSE_HOME`` if set, else the platform's user data folder for newsbrowse."""
    env = os.environ.get("NEWSBROWSE_HOME")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir("newsbrowse", appauthor=False))
