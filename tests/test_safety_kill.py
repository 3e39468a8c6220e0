"""The kill test: a forked writer doing imports and selection writes is SIGKILLed at
random moments; after every kill the store opens and holds exactly an old or a new state.

Forking (not a fresh interpreter) lets 100 kills run in seconds; the child is a separate
process all the same, and its flock and half-written files die with it as they would.
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

KILLS = 100


def _article(n: int) -> str:
    return (
        f"Talks round {n} ended in Geneva on Monday.\n\n"
        f"\u201cWe need guarantee number {n} in writing,\u201d Lavrov said after round {n}.\n"
    )


def _writer(home: Path, folder: Path) -> None:
    """The child: import article n+1, then select its quote; forever, from the current state."""
    lib = Library.open(home)
    n = len(lib.articles()) - 5
    if len(lib.selected_ids()) < n:  # the last child died between import and selection
        lib.toggle_selected(next(q.id for q in lib.quotes() if f"number {n} in" in q.text))
    while True:
        n += 1
        path = folder / f"round-{n}.txt"
        path.write_text(_article(n), encoding="utf-8")
        (result,) = lib.import_paths([path])
        assert result.id is not None
        lib.toggle_selected(lib.quotes(article=result.id)[0].id)


def _check(home: Path, seeds: set[str]) -> tuple[int, int]:
    """Open the store; the imports must be a gap-free prefix and each selection a quote
    of round k, for k = 1..m or 1..m-1: exactly the state after some whole write."""
    for path in home.rglob("*.json"):
        read_store_file(path)  # every file parses: no torn write
    lib = Library.open(home)
    try:
        rounds = []
        for summary in lib.articles():
            if summary.id in seeds:
                continue
            art = lib.article(summary.id)
            rounds.append(int(art.body.split()[2]))
            (quote,) = art.quotes
            assert art.body[quote.start : quote.end] == quote.text
        rounds.sort()
        assert rounds == list(range(1, len(rounds) + 1)), "a gap-free prefix of the imports"
        selected = [int(lib.quote(q).text.split()[4]) for q in lib.selected_ids()]
        assert selected == list(range(1, len(selected) + 1))
        assert len(rounds) - 1 <= len(selected) <= len(rounds)
        return len(rounds), len(selected)
    finally:
        lib.close()


@pytest.mark.slow
def test_kill_the_writer_at_random_moments(seeded_home: Path, tmp_path: Path) -> None:
    folder = tmp_path / "incoming"
    folder.mkdir()
    rng = random.Random(4)
    lib = Library.open(seeded_home)
    seeds = {s.id for s in lib.articles()}
    lib.close()
    survived, mid_write, progress = 0, 0, []
    deadline = time.monotonic() + 50
    for _ in range(KILLS):
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child never returns
            try:
                _writer(seeded_home, folder)
            finally:
                os._exit(1)
        time.sleep(rng.uniform(0.0, 0.12))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        mid_write += bool(list(seeded_home.rglob(".*.tmp")) + list(seeded_home.glob("*.building")))
        progress.append(_check(seeded_home, seeds))
        survived += 1
        assert time.monotonic() < deadline, f"too slow: {survived} kills in 50 s"
    assert survived == KILLS
    imported, _ = progress[-1]
    assert imported >= 10, "the writer got far enough to be killed mid-write often"
    assert mid_write >= 3, "some kills left a half-written temporary file behind"
    print(f"{survived} kills survived, {mid_write} mid-write, {imported} imports, 0 lost")
    # The home is left clean: no temporary file outlives the next writer's start.
    Library.open(seeded_home).close()
    assert not [p for p in seeded_home.rglob(".*.tmp")]
