"""Where the rule files are and how one is read: the shipped one in ``fixtures/``, or the
user's copy of the same name in the home. Nothing here knows what the rules mean, so the
analysis modules read their defaults from here without importing :mod:`rules`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from newsbrowse.store.errors import BadInput
from newsbrowse.store.text import parse_json

# ``fixtures/`` sits beside ``store/`` both in the source tree (editable installs) and in
# site-packages, where it is installed as ``newsbrowse/fixtures``.
FIXTURES_DIR = Path(__file__).resolve().parent.parent / "fixtures"


def fixture_path(name: str) -> Path:
    """The path of a file shipped in ``fixtures/``."""
    return FIXTURES_DIR / name


def read_json_rules(name: str, home: Path | None = None) -> dict[str, Any]:
    """The rules file ``name``: the user's copy in ``home`` if there is one, else the fixture."""
    path = home / name if home is not None and (home / name).is_file() else fixture_path(name)
    try:
        data = parse_json(path.read_bytes())
    except OSError as exc:
        raise BadInput(f"cannot read rules file {path}: {exc.strerror}; fix or delete it") from None
    except ValueError as exc:
        raise BadInput(f"rules file {path} {exc}; fix or delete it") from None
    if not isinstance(data, dict):
        raise BadInput(f"rules file {path} is not a JSON object; fix or delete it")
    return data
