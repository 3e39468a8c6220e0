"""Every full-text table lets FTS5 gather fts.AUTOMERGE segments before merging (fewer merges while
importing), in a new index and in one made before that setting."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from newsbrowse.store import fts
from newsbrowse.store.library import Library

NEW_TEXT = (
    "NATO will not halt its enlargement, Jens Stoltenberg said.\n\n"
    "\u201cRussia demands legally binding guarantees,\u201d said Sergei Riabkov.\n"
)


def _automerge(index: Path) -> dict[str, int | None]:
    conn = sqlite3.connect(index)
    try:
        tables = [
            name
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL TABLE%'"
            )
        ]
        found = {}
        for table in tables:
            row = conn.execute(f"SELECT v FROM {table}_config WHERE k = 'automerge'").fetchone()
            found[table] = row[0] if row else None
        return found
    finally:
        conn.close()


def test_a_new_index_sets_automerge_on_every_full_text_table(seeded_home: Path) -> None:
    found = _automerge(seeded_home / "index.sqlite")
    assert "docs" in found and any(t.startswith("evidence_") for t in found)
    assert set(found.values()) == {fts.AUTOMERGE}


def test_an_index_made_before_the_setting_gets_it_at_the_next_import(
    seeded_home: Path, tmp_path: Path
) -> None:
    conn = sqlite3.connect(seeded_home / "index.sqlite")
    configs = conn.execute("SELECT name FROM sqlite_master WHERE name LIKE '%_config'")
    tables = [name for (name,) in configs.fetchall()]
    for table in tables:
        conn.execute(f"DELETE FROM {table} WHERE k = 'automerge'")  # as FTS5 leaves it
    conn.commit()
    conn.close()
    assert set(_automerge(seeded_home / "index.sqlite").values()) == {None}
    (tmp_path / "new.txt").write_text(NEW_TEXT, encoding="utf-8")
    lib = Library.open(seeded_home)
    try:
        [result] = lib.import_paths([tmp_path / "new.txt"])
        assert result.id is not None
        assert lib.index_lag() == 0
        assert [h.article_id for h in lib.search("enlargement halt")] == [result.id]
    finally:
        lib.close()
    assert set(_automerge(seeded_home / "index.sqlite").values()) == {fts.AUTOMERGE}
