"""Completion on paths for a text field: what a shell's tab gives, as Textual's grey
suggestion after the cursor (right or tab accepts it).

A folder is suggested with a trailing ``/``, so that accepting it goes on into it; hidden
entries only when the name typed starts with a dot; a web address is never completed.
The folder is listed off the UI thread: a folder of 100,000 articles takes a while.
"""

from __future__ import annotations

import asyncio
import os

from textual.suggester import Suggester

WEB = ("http://", "https://")


def complete_path(value: str) -> str | None:
    """The first entry (by name) of the typed folder that starts with the typed name, as
    ``value`` completed; None when nothing longer matches or the folder cannot be read."""
    if not value or value.startswith(WEB) or "\n" in value:
        return None
    if value == "~":
        return "~/"
    stem = value.rpartition("/")[2]
    head = value[: len(value) - len(stem)]
    folder = os.path.expanduser(head) if head else "."
    try:
        with os.scandir(folder) as entries:
            names = (
                entry.name + ("/" if _is_dir(entry) else "")
                for entry in entries
                if entry.name.startswith(stem) and (stem.startswith(".") or entry.name[0] != ".")
            )
            first = min(names, default=None)
    except OSError:
        return None
    if first is None or first == stem:
        return None
    return head + first


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


class PathSuggester(Suggester):
    """Suggests :func:`complete_path`'s completion; never cached, since files come and go."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        return await asyncio.to_thread(complete_path, value)
