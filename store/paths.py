"""Where newsbrowse keeps its data."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs
from newsbrowse.store.errors import BadInput


def home_path(value: str, given_as: str = "--home") -> Path:
    """The home folder a user named (``~`` and ``~user`` expanded), or :class:`BadInput`
    saying what is wrong with it: empty (it would mean the current folder), holding a
    NUL, or naming a user this system does not know."""
    if not value:
        raise BadInput(f"{given_as} is empty; give the folder of the newsbrowse home")
    if "\x00" in value:
        raise BadInput(f"{given_as} holds a NUL character; give a folder path")
    try:
        return Path(value).expanduser()
    except RuntimeError:  # "Could not determine home directory"
        user = value.split("/", 1)[0]
        raise BadInput(
            f"{given_as} starts with {user}, but this system has no such user (or no home "
            "folder); give the folder's full path"
        ) from None


def default_home() -> Path:
    """``$NEWSBROWSE_HOME`` if set, else the platform's user data folder for newsbrowse."""
    env = os.environ.get("NEWSBROWSE_HOME")
    if env:
        return home_path(env, "NEWSBROWSE_HOME")
    return Path(platformdirs.user_data_dir("newsbrowse", appauthor=False))
