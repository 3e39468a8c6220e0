"""Hostile text costs time in proportion to its length, in every stage of the analysis.

Each shape is analysed whole (clean -> sentences -> quotes -> links) at 10 KB and at
100 KB: ten times the text may take at most twenty times as long (a quadratic stage
takes a hundred times; a linear one took 10x here and up to 17x on a CI machine whose
caches a 100 KB article outgrows). The large text runs in a forked child that is stopped once it
passes the limit, so a quadratic stage fails in seconds instead of running for minutes.
The speed-ups that made the stages linear are checked against the code they replaced.
"""

from __future__ import annotations

import gc
import multiprocessing
import re
import resource
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from newsbrowse.store.errors import NewsbrowseError
from newsbrowse.store.ingest import clean as clean_module
from newsbrowse.store.ingest import sentences as sentences_module
from newsbrowse.store.ingest.pipeline import analyse
from newsbrowse.store.rules import Rules, load_rules

SMALL, LARGE = 10_000, 100_000
MAX_RATIO = 20
MAX_LARGE_SECONDS = 5.0
# Below this a timer's and a shared machine's noise is all the ratio measures (a shape
# that takes a millisecond at 10 KB and were quadratic would still take 0.1 s at 100 KB).
MIN_LIMIT_SECONDS = 0.05
"""Whatever the ratio: 100 KB of ordinary text takes about 0.15 s (1 MB about 1.5 s)."""


def _repeat(unit: str) -> Callable[[int], str]:
    return lambda n: (unit * (n // len(unit) + 1))[:n]


_QUOTE_MARKS = "\"'\u201c\u201d\u2018\u2019\u00ab\u00bb\u201e\u201a\u2039\u203a"
_PROSE = (
    "\u201cWe need legally binding guarantees,\u201d Putin said. NATO rejects any halt to "
    "its enlargement, Blinken told reporters in Geneva on Monday. "
)

SHAPES: dict[str, Callable[[int], str]] = {
    # one character repeated
    "periods": _repeat("."),
    "exclamation marks": _repeat("!"),
    "ellipses": _repeat("\u2026"),
    "letters": _repeat("x"),
    "digits": _repeat("7"),
    "dashes": _repeat("\u2014"),
    "straight double quotes": _repeat('"'),
    "curly opening quotes": _repeat("\u201c"),
    "apostrophes": _repeat("'"),
    "curly opening single quotes": _repeat("\u2018"),
    "spaces": lambda n: "a" + " " * (n - 2) + "b",
    # no spaces
    "prose without spaces": _repeat(_PROSE.replace(" ", "")),
    "periods and newlines": _repeat(".\n"),
    # only quote marks
    "every quote mark in turn": _repeat(_QUOTE_MARKS),
    "curly pairs": _repeat("\u201c\u201d"),
    # only newlines
    "newlines": lambda n: "a" + "\n" * (n - 2) + "b",
    "one-letter lines": _repeat("x\n"),
    # deeply nested brackets
    "nested parentheses": lambda n: "(" * (n // 2) + ")" * (n - n // 2),
    "nested mixed brackets": lambda n: _repeat("([{")(n // 2) + _repeat("}])")(n - n // 2),
    # text-like shapes that reach the later stages
    "one-word sentences": _repeat("A. "),
    "quotes and speakers": _repeat(_PROSE),
    "double and single quotes in turn": _repeat("\u201ca\u201d \u2018b "),
    "single quotes opening words": _repeat("\u2018x "),
    "demands and actors in one sentence": _repeat(
        "NATO expansion eastward legally binding guarantees 1997 lines strike weapons "
        "hotline exercises talks Ukraine Georgia membership rejects open conditional "
    ),
}

# Stages owned elsewhere that are not yet linear on a shape: kept measured, expected to fail.


@pytest.fixture(scope="module")
def rules() -> Rules:
    loaded = load_rules()
    analyse(_PROSE * 3, loaded)  # compile the rules' patterns before any timing
    return loaded


def _user_seconds() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_utime


def _seconds(text: str, rules: Rules) -> float:
    """User CPU seconds of one analysis: neither the kernel's time (a forked copy's page
    faults) nor the collector's (its passes cost what the process holds, not the text)."""
    gc.disable()
    start = _user_seconds()
    try:
        analyse(text, rules)
    except NewsbrowseError:
        pass  # a refusal ("no article text left") is an outcome like any other
    finally:
        spent = _user_seconds() - start
        gc.enable()
    return spent


def _small_seconds(text: str, rules: Rules) -> float:
    """The time of one analysis of ``text``: the best of three batches of runs that each
    last 20 ms or more (a few milliseconds alone are mostly noise)."""
    once = _seconds(text, rules)
    if once > 0.2:
        return once  # slow enough to measure once
    runs = min(20, int(0.02 / max(once, 1e-4)) + 1)
    return min(sum(_seconds(text, rules) for _ in range(runs)) / runs for _ in range(3))


ROUNDS = 5


def _child(
    small: str, large: str, rules: Rules, conn: multiprocessing.connection.Connection
) -> None:
    gc.freeze()  # the parent's objects: never walked, never copied by the collector
    for _ in range(ROUNDS):
        conn.send(_small_seconds(small, rules))
        conn.send(_seconds(large, rules))


def _ratio_run(small: str, large: str, rules: Rules) -> tuple[float, float | None, float]:
    """The best times of the small and the large text and the large one's limit, measured
    in a forked child, in turns (a shared machine's speed changes from second to second:
    both sizes are timed at nearly the same moments); None for the large text if a run
    went past its limit, when the child is stopped."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(small, large, rules, send), daemon=True)
    child.start()
    send.close()
    best_small = best_large = float("inf")
    limit = MAX_LARGE_SECONDS
    try:
        for _ in range(ROUNDS):
            assert receive.poll(120), "10 KB took more than two minutes"
            best_small = min(best_small, float(receive.recv()))
            limit = min(max(MAX_RATIO * best_small, MIN_LIMIT_SECONDS), MAX_LARGE_SECONDS)
            # A first run also pays for the pages it is the first to use: half as much again.
            if not receive.poll(1.5 * limit + 0.5):
                return best_small, None, limit
            best_large = min(best_large, float(receive.recv()))
            if best_large < limit:
                break
        return best_small, best_large, limit
    finally:
        child.kill()
        child.join()
        receive.close()


@pytest.mark.slow
@pytest.mark.parametrize("shape", list(SHAPES))
def test_analysis_time_grows_linearly_with_the_text(shape: str, rules: Rules) -> None:
    make = SHAPES[shape]
    small, large, limit = _ratio_run(make(SMALL), make(LARGE), rules)
    assert large is not None, f"{shape}: 100 KB ran past {limit:.2f} s (10 KB: {small:.3f} s)"
    assert large < limit, f"{shape}: 10 KB {small:.4f} s, 100 KB {large:.3f} s"


# the replaced code, as it was --------------------------------------------------------------
_OLD_BOUNDARY = re.compile(
    rf"(?P<mark>[.!?\u2026]+)(?P<close>[{sentences_module._CLOSERS}]*)(?P<gap>\s+)"
)


def _old_paragraphs(lines: list[clean_module._Line]) -> list[str]:
    paragraphs: list[str] = []
    joinable = False
    for line in lines:
        if line.reason is not None:
            joinable = False
            continue
        if joinable and line.continues():
            paragraphs[-1] = f"{paragraphs[-1]} {line.text}"
        else:
            paragraphs.append(line.text)
        joinable = not clean_module._SENTENCE_END.search(paragraphs[-1])
    return paragraphs


_MARKY = st.text(alphabet=".!?\u2026\"')]\u201d\u00bb \n\taA1\u2019x", max_size=200)


@settings(max_examples=400, deadline=None)
@given(_MARKY, st.integers(0, 20), st.integers(0, 200))
def test_sentence_boundaries_are_those_the_old_pattern_found(text: str, lo: int, hi: int) -> None:
    lo = min(lo, len(text))
    hi = max(lo, min(hi, len(text)))
    new = [m.span() for m in sentences_module._BOUNDARY.finditer(text, lo, hi)]
    old = [m.span() for m in _OLD_BOUNDARY.finditer(text, lo, hi)]
    # The old pattern could start inside a run of marks only where the run's first mark
    # is before ``lo`` (a window's edge); a paragraph never starts inside a run.
    if lo == 0 or text[lo - 1] not in ".!?\u2026":
        assert new == old


_LINE_TEXT = st.text(alphabet='aB. !\u201d"x,;:', min_size=1, max_size=12).map(str.strip)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_LINE_TEXT, st.booleans(), st.booleans()), max_size=30))
def test_paragraphs_are_joined_as_before(specs: list[tuple[str, bool, bool]]) -> None:
    lines = [
        clean_module._Line(text, text, "junk" if dropped else None, blank)
        for text, dropped, blank in specs
        if text
    ]
    assert clean_module._paragraphs(lines) == _old_paragraphs(lines)
