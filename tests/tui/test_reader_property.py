"""Property: whatever text an article holds, the reader shows exactly that text, with
every control character visibly replaced, and every quote where its offsets say."""

from __future__ import annotations

import asyncio
import dataclasses
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from newsbrowse.store.errors import NewsbrowseError
from newsbrowse.store.ingest.pipeline import analyse
from newsbrowse.store.library import Library
from newsbrowse.store.model import Article
from newsbrowse.store.rules import load_rules
from newsbrowse.store.text import strip_controls
from newsbrowse.tui.app import NewsbrowseApp
from newsbrowse.tui.widgets.reader import Reader

RULES = load_rules()
# Words, quote marks, and the characters a hostile page uses against a terminal.
ALPHABET = st.sampled_from(
    list("abc XYZ.,\n")
    + ["“", "”", '"', "‘", "’", "«", "»", " said Putin", " he said"]
    + ["\x1b", "\x1b[2J", "\x9b", "\x00", "\x7f", "\u202e", "\u2066", "\r", "[b]", "[/]"]
)
BODIES = st.lists(ALPHABET, min_size=1, max_size=60).map("".join)


async def _render(library: Library, articles: list[Article]) -> list[tuple[str, list[str]]]:
    """Each article's body as the reader draws it, and the text drawn at each quote."""
    app = NewsbrowseApp(library, home_label="test-home")
    shown = []
    async with app.run_test(size=(100, 40)) as pilot:
        reader = app.query_one(Reader)
        for article in articles:
            reader.show_article(article)
            await pilot.pause()
            plain = reader.text.plain
            lo, hi = reader.locate(0, len(article.body))
            quoted = [plain[slice(*reader.locate(q.start, q.end))] for q in article.quotes]
            shown.append((plain[lo:hi], quoted))
    return shown


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow,
          HealthCheck.function_scoped_fixture])  # fmt: skip
@given(raw=BODIES)
def test_reader_shows_the_stored_text_without_controls(raw: str, tmp_path: Path) -> None:
    try:
        analysed = dataclasses.replace(analyse(strip_controls(raw), RULES), links=[])
    except NewsbrowseError:
        return  # nothing left to show: the import refuses such a file
    # A store written before imports stripped controls holds the raw text itself.
    legacy = dataclasses.replace(analysed, id="0ld0000000", body=raw, quotes=[], scare_quotes=[])
    library = Library.open(tmp_path / f"h{abs(hash(raw))}", bootstrap=False)
    try:
        (body, quoted), (legacy_body, _) = asyncio.run(_render(library, [analysed, legacy]))
    finally:
        library.close()
    assert body == analysed.body
    assert quoted == [analysed.body[q.start : q.end] for q in analysed.quotes]
    assert strip_controls(legacy_body) == legacy_body  # nothing terminal-active on screen
    assert len(legacy_body) == len(raw)
    for shown, original in zip(legacy_body, raw, strict=True):
        assert shown == original or (strip_controls(original) != original and shown == "\ufffd")
