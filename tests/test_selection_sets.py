"""Named selection sets (issue 16): made, renamed, switched (one current) and deleted;
space, copy and ``export --selected`` act on the current set (``--set NAME`` chooses);
kept in user.json atomically; an old file with one selection reads as the set
``default`` without loss."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from newsbrowse.store.errors import BadInput, StoreDamaged
from newsbrowse.store.library import Library
from newsbrowse.store.model import Article

from tests.test_cli import _json


def test_sets_are_made_switched_renamed_and_deleted(library: Library, sample: Article) -> None:
    lavrov, psaki, _ = sample.quotes
    library.select(lavrov.id)
    assert library.selection_sets() == [("default", 1)] and library.current_set() == "default"
    assert library.create_set("Lavrov on the open door") == "Lavrov on the open door"
    assert library.current_set() == "Lavrov on the open door"
    assert library.selected_ids() == []
    library.select(psaki.id)
    library.select(lavrov.id)
    assert library.selected_ids() == [psaki.id, lavrov.id]
    assert library.selected_ids("default") == [lavrov.id]
    library.use_set("DEFAULT")  # a name is found case aside
    assert library.selected_ids() == [lavrov.id]
    library.unselect(lavrov.id)  # only in the current set
    assert library.selected_ids("Lavrov on the open door") == [psaki.id, lavrov.id]
    library.rename_set("Lavrov on the open door", "Open door")
    assert library.selection_sets() == [("default", 0), ("Open door", 2)]
    assert [q.id for q in library.selected_quotes("open door")] == [psaki.id, lavrov.id]
    library.use_set("Open door")
    library.delete_set("default")
    assert library.selection_sets() == [("Open door", 2)]
    with pytest.raises(BadInput, match="only selection set"):
        library.delete_set("Open door")
    for bad in ("", "x" * 81, "open DOOR"):
        with pytest.raises(BadInput):
            library.create_set(bad)
    with pytest.raises(BadInput, match="no selection set"):
        library.use_set("nope")
    library.create_set("second")
    library.delete_set("second")  # the current one: the first left becomes current
    assert library.current_set() == "Open door"


def test_clear_and_move_act_on_the_current_set_only(library: Library, sample: Article) -> None:
    lavrov, psaki, _ = sample.quotes
    library.select(lavrov.id)
    library.select(psaki.id)
    library.create_set("other")
    library.select(psaki.id)
    library.select(lavrov.id)
    library.move_selected(lavrov.id, -1)
    assert library.selected_ids() == [lavrov.id, psaki.id]
    assert library.selected_ids("default") == [lavrov.id, psaki.id]
    library.clear_selection()
    assert library.selected_ids() == [] and len(library.selected_ids("default")) == 2


def test_an_old_user_file_with_one_selection_reads_as_the_default_set(
    library: Library, sample: Article
) -> None:
    lavrov, psaki, _ = sample.quotes
    home = library.home
    path = home / "user.json"
    library.close()
    old = {
        "meta": {"1": {"schema": json.loads(path.read_text())["meta"]["1"]["schema"]}}
        if path.exists()
        else {},
        "selected": {
            "1": {"quote_id": psaki.id, "order": 5},
            "2": {"quote_id": lavrov.id, "order": 9},
        },
        "read": {"1": {"article_id": sample.id}},
    }
    path.write_text(json.dumps(old), encoding="utf-8")
    lib = Library.open(home)
    try:
        assert lib.selection_sets() == [("default", 2)]
        assert lib.selected_ids() == [psaki.id, lavrov.id]
        lib.create_set("new")
        lib.rename_set("default", "kept")
        assert lib.selected_ids("kept") == [psaki.id, lavrov.id]
        assert sample.id in lib.read_ids()
        stored = json.loads(path.read_text(encoding="utf-8"))
        assert {d["set"] for d in stored["selected"].values()} == {"kept"}
    finally:
        lib.close()


def test_a_damaged_set_entry_is_named(library: Library) -> None:
    home: Path = library.home
    library.create_set("x")
    library.close()
    path = home / "user.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["sets"]["1"]["name"] = 7
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(StoreDamaged, match="sets entry whose name"):
        Library.open(home).selection_sets()


def test_the_sets_on_the_command_line(nb, sample: Article) -> None:
    lavrov, psaki, _ = sample.quotes
    assert nb("set-new", "Lavrov on the open door")[0] == 0
    code, out, _ = nb("sets")
    assert code == 0 and "* Lavrov on the open door" in out and "  default" in out
    code, _, err = nb("export", "--selected")
    assert code == 2 and "Lavrov on the open door" in err
    code, _, err = nb("set-use", "nope")
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert _json(nb, "set-use", "default") == {"name": "default"}
    assert [s["current"] for s in _json(nb, "sets")] == [True, False]
    assert _json(nb, "set-rename", "default", "main")["name"] == "main"
    assert _json(nb, "set-delete", "main")["name"] == "main"
    assert _json(nb, "sets") == [{"name": "Lavrov on the open door", "count": 0, "current": True}]


def test_export_takes_the_current_set_in_its_order_or_the_set_named(
    nb, library: Library, sample: Article
) -> None:
    lavrov, psaki, _ = sample.quotes
    library.select(lavrov.id)
    library.create_set("Psaki first")
    library.select(lavrov.id)
    library.select(psaki.id)
    library.move_selected(psaki.id, -1)
    library.close()  # the CLI opens the home itself
    exported = _json(nb, "export", "--selected", "--format", "json")
    assert [r["id"] for r in exported] == [psaki.id, lavrov.id]
    exported = _json(nb, "export", "--set", "default", "--format", "json")
    assert [r["id"] for r in exported] == [lavrov.id]
    code, _, err = nb("export", "--set", "nope")
    assert code == 2 and "no selection set" in err
