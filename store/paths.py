"""Where newsbrowse keeps its data."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs
from newsbrowse.store.errors import DISK_ERRORS, BadInput, StoreWriteFailed


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


def ensure_home(home: Path) -> None:
    """Make the home folder if it is new; a path that cannot be one is bad input, a disk
    that refuses to make it a failed write."""
    try:
        if home.exists() and not home.is_dir():
            raise BadInput(
                f"the newsbrowse home {home} is a file, not a folder; "
                "choose another with --home or NEWSBROWSE_HOME"
            )
        home.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        error = StoreWriteFailed if exc.errno in DISK_ERRORS else BadInput
        raise error(
            f"cannot create the newsbrowse home {home}: {exc.strerror or exc}; "
            "choose another with --home or NEWSBROWSE_HOME"
        ) from None
