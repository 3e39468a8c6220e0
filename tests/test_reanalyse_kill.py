"""The kill test of re-analysis: a forked writer re-analyses a store over and over with
two sets of rules in turn and is SIGKILLed at random moments; after every kill the store
opens whole, analysed wholly by one set of rules or wholly by the other (the one its
stamp names), with every article and every selection there.

In the style of test_safety_kill.py: forking lets dozens of kills run in seconds.
"""

from __future__ import annotations

import os
import random
import signal
import time
from pathlib import Path

import pytest
from newsbrowse.store.json_files import read_store_file
from newsbrowse.store.library import Library
from newsbrowse.store.staleness import current_stamp

from tests.test_reanalyse import add_actor

KILLS = 25
ARTICLES = 250  # three chunks: kills land between chunk writes, the commit and deletions


def _text(n: int) -> str:
    return (
        f"Round {n} of the talks\n\n"
        f"\u201cWe expect answer number {n} in writing, point by point,\u201d Ivan Example "
        f"said after round {n}.\n\nDiplomats said the talks would go on.\n"
    )


def _writer(home: Path) -> None:
    """The child: switch the home's rules (Ivan Example Russian, then unknown to them)
    and re-analyse the store with them; forever."""
    russian = (home / "actors.json").exists()
    spare = home.parent / "spare"
    spare.mkdir(exist_ok=True)
    while True:
        russian = not russian
        if russian:  # written whole: a kill never leaves half a rules file
            add_actor(spare, "Ivan Example", "russia")
            os.replace(spare / "actors.json", home / "actors.json")
        else:
            (home / "actors.json").unlink()
        lib = Library.open(home)
        try:
            lib.reanalyse(jobs=1)
        finally:
            lib.close()


def _check(home: Path, ids: set[str], selected: list[str], stamps: dict[str, str]) -> str:
    """Open the store: it holds every article and selection, each article analysed as
    the stamp in meta.json says (every Ivan Example quote of one side). Gives the side."""
    for path in [home / "user.json", *(home / "corpus").rglob("*.json")]:
        read_store_file(path)  # every store file parses: no torn write
    lib = Library.open(home, read_only=True)
    try:
        stamp = lib.corpus.analysis()
        assert stamp in stamps, "the stamp of one of the two analyses"
        side = stamps[stamp]
        assert {s.id for s in lib.articles()} == ids
        quotes = [q for q in lib.quotes() if "point by point" in q.text]
        assert len(quotes) == ARTICLES
        assert {q.side for q in quotes} == {side}, "wholly old or wholly new"
        assert lib.selected_ids() == selected
        assert {q.id for q in lib.selected_quotes()} == set(selected)
        return side
    finally:
        lib.close()


@pytest.mark.slow
def test_kill_a_reanalysis_at_random_moments(seeded_home: Path, tmp_path: Path) -> None:
    folder = tmp_path / "incoming"
    folder.mkdir()
    for n in range(ARTICLES):
        (folder / f"round-{n:03d}.txt").write_text(_text(n), encoding="utf-8")
    lib = Library.open(seeded_home)
    lib.import_paths([folder], jobs=1)
    selected = [q.id for q in lib.quotes() if "point by point" in q.text][::50]
    for qid in selected:
        lib.select(qid)
    ids = {s.id for s in lib.articles()}
    lib.close()
    stamps = {current_stamp(seeded_home): "other"}
    add_actor(seeded_home, "Ivan Example", "russia")
    stamps[current_stamp(seeded_home)] = "russia"
    (seeded_home / "actors.json").unlink()

    rng = random.Random(14)
    sides, mid_write = [], 0
    deadline = time.monotonic() + 120
    for _ in range(KILLS):
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child never returns
            try:
                _writer(seeded_home)
            finally:
                os._exit(1)
        time.sleep(rng.uniform(0.1, 2.0))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        corpus = seeded_home / "corpus"
        mid_write += (corpus / "pending.json").exists() or bool(list(corpus.rglob(".*.tmp")))
        sides.append(_check(seeded_home, ids, selected, stamps))
        assert time.monotonic() < deadline, f"too slow: {len(sides)} kills in 120 s"
    assert len(sides) == KILLS
    assert set(sides) == {"other", "russia"}, "kills left both analyses committed"
    assert mid_write >= 3, "some kills landed while new chunks were being written"
    # The next writer leaves no chunk that meta.json does not list.
    Library.open(seeded_home).close()
    meta = read_store_file(seeded_home / "corpus" / "meta.json")
    assert meta is not None
    listed = set(meta["meta"]["1"]["chunks"])
    present = {p.stem for p in (seeded_home / "corpus" / "chunks").glob("*.json")}
    assert present == listed
    print(f"{KILLS} kills survived, {mid_write} mid-write, sides {sides}")
