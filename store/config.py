"""The user's settings for the app (the theme chosen), in ``config.json`` in the home.

A small JSON object apart from the store: a damaged or missing file gives the defaults
(a setting is not worth refusing to start over), and a write is atomic and only made
when a value changed, so reading the settings never writes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from newsbrowse.store.files import atomic_write_bytes

CONFIG = "config.json"


def read_config(home: Path) -> dict[str, Any]:
    """The settings saved in ``home``; {} if there are none or the file is unreadable."""
    try:
        data = json.loads((home / CONFIG).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save_setting(home: Path, key: str, value: str) -> bool:
    """Keep ``key`` = ``value`` (the other settings stay); False if it was so already."""
    data = read_config(home)
    if data.get(key) == value:
        return False
    data[key] = value
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    atomic_write_bytes(home / CONFIG, text.encode("utf-8"))
    return True
