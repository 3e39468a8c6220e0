"""What opening the app costs: the analysis modules and rules load only when needed, and a
malformed rules file is still one error, raised where it is needed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from newsbrowse.store.library import Library
from newsbrowse.tui import cli


def test_opening_a_store_for_the_first_screen_imports_no_analysis(seeded_home: Path) -> None:
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "import newsbrowse.tui.cli\n"
        "from newsbrowse.store.library import Library\n"
        f"lib = Library.open(Path({str(seeded_home)!r}))\n"
        "lib.article_count(); lib.article_page(0, 60); lib.link_counts(); lib.read_ids()\n"
        "lib.codebook.demands\n"
        "lib.close()\n"
        "print(sorted(m for m in sys.modules if m.startswith('newsbrowse.store.ingest.')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout
    loaded = set(json.loads(out.strip().replace("'", '"')))
    # The codebook (the demands panel's titles) is all the first screen needs.
    assert "newsbrowse.store.ingest.codebook" in loaded
    analysis = {"pipeline", "clean", "sentences", "quotes", "actors", "links"}
    assert not loaded & {f"newsbrowse.store.ingest.{name}" for name in analysis}


def test_rules_load_once_on_first_use(seeded_home: Path) -> None:
    lib = Library.open(seeded_home)
    try:
        assert lib._rules is None
        codebook = lib.codebook
        assert lib._rules is None
        assert lib.rules.codebook is codebook  # the codebook already loaded is kept
        assert lib.rules is lib.rules
    finally:
        lib.close()


def test_a_malformed_actors_file_fails_an_import_once(
    seeded_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (seeded_home / "actors.json").write_text('{"actors": [{"side": "other"}]}', encoding="utf-8")
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(3):
        (folder / f"{n}.txt").write_text(f"Talks {n} went on in Geneva.\n", encoding="utf-8")
    code = cli.main(["--home", str(seeded_home), "import", str(folder)])
    out, err = capsys.readouterr()
    assert code == 2
    assert err.count("\n") == 1 and "rules file is malformed" in err
    assert "Traceback" not in out + err
    lib = Library.open(seeded_home)
    try:
        assert lib.article_count() == 5  # nothing half-imported
    finally:
        lib.close()


def test_a_malformed_codebook_stops_the_app_before_its_screen(
    seeded_home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (seeded_home / "codebook.json").write_text('{"demands": [{"slug": 3}]}', encoding="utf-8")
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    started: list[object] = []
    monkeypatch.setattr("newsbrowse.tui.app.run_app", lambda lib: started.append(lib) or 0)
    code = cli.main(["--home", str(seeded_home)])
    _, err = capsys.readouterr()
    assert code == 2 and err.count("\n") == 1 and "malformed" in err
    assert not started
