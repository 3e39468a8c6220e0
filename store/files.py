"""Files that are wholly old or wholly new: the atomic write every store file, the index's
marker and an export go through, the ``.bak`` it keeps, and the fsyncs that make it last.

Nothing here knows what a file holds; :mod:`newsbrowse.store.json_files` reads and writes
the store's JSON files on top of it.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import tempfile
import uuid
from pathlib import Path

from newsbrowse.store.errors import StoreUnreadable

BACKUP_SUFFIX = ".bak"
# What ``atomic_write_bytes`` and the index leave behind when killed mid-write.
_STALE = re.compile(r"^\..+\.[A-Za-z0-9_]+\.tmp$|^index\.sqlite.*\.building$")


def fsync_dir(folder: Path) -> None:
    """Make a rename or a new name in ``folder`` survive a power cut (where it can)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@functools.cache
def default_file_mode() -> int:
    """The mode ``open()`` gives a new file: 0o666 less the umask (read once per process)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def atomic_write_bytes(
    path: Path, data: bytes, *, mode: int | None = None, keep_backup: bool = False
) -> None:
    """Write ``data`` to ``path`` so that the file is wholly old or wholly new.

    ``mode`` sets the new file's permissions (mkstemp makes 0o600); ``keep_backup``
    keeps the replaced file as ``path.bak`` (a hard link: no copy is written).
    """
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            if mode is not None:
                os.fchmod(handle.fileno(), mode)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if keep_backup and path.is_file() and not path.is_symlink():
            _link_backup(path)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    fsync_dir(folder)


def _link_backup(path: Path) -> None:
    """Make ``path.bak`` another name of the current file, atomically."""
    backup = path.with_name(path.name + BACKUP_SUFFIX)
    link = path.with_name(f".{backup.name}.{uuid.uuid4().hex[:8]}.tmp")
    os.link(path, link)
    try:
        os.replace(link, backup)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(link)
        raise


def unreadable(path: Path, exc: OSError) -> StoreUnreadable:
    """The one line about a store file or folder the system will not read: it is not
    damage, so nothing is set aside; the user fixes the permissions or the disk."""
    return StoreUnreadable(
        f"cannot read {path}: {exc.strerror or exc}; nothing was changed "
        "(fix its permissions or the disk, then try again)"
    )


def folder_names(folder: Path) -> list[str]:
    """The names in ``folder`` ([] if it does not exist); an unreadable folder is
    :class:`StoreUnreadable`, never taken for an empty one."""
    try:
        return os.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return []
    except OSError as exc:
        raise unreadable(folder, exc) from None


def remove_stale_temporaries(home: Path) -> list[Path]:
    """Delete the temporary files a killed writer left; call only while holding the lock."""
    removed = []
    for folder in (home, home / "corpus", home / "corpus" / "chunks", home / "corpus" / "shards"):
        for name in folder_names(folder):
            path = folder / name
            if _STALE.match(name) and path.is_file():
                with contextlib.suppress(OSError):
                    path.unlink()
                    removed.append(path)
    return removed
