"""A user's journey through the installed app in tmux: read, search, walk, select, export.

The keys are sent one by one as a user types them; every check reads the captured screen
(content, not positions) or the exported file.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from terminal import Place, Tmux, console_script, run_cli, shows, shows_compact

from tests.tui.test_import_app import ARTICLES

pytestmark = pytest.mark.slow

# From the seeds (fixtures/articles, dated in fixtures/articles.json); gold tests pin them.
PUTIN_TITLE = "Putin proposes negotiations with NATO on stopping its expansion to the East"
PUTIN_QUOTE = (
    "In dialogue with the United States and its allies, we will insist on reaching concrete "
    "agreements that exclude NATO\u2019s continued rapprochement with the East and the "
    "deployment of threatening weapons near Russia,"
)
RYABKOV_TITLE = (
    "Russia insists NATO will not admit new members and stay out of Eastern Europe \u2013 "
    "proposes talks with US \u201ceven tomorrow\u201d"
)
RYABKOV_QUOTE = (
    "We are ready to negotiate with the United States in a third country right away, even "
    "tomorrow \u2013 literally tomorrow, Saturday,"
)
WALK_LIMIT = 4


def selected(count: int) -> Callable[[str], bool]:
    """The selected count is on screen (the header and the quote line both carry it)."""
    return lambda screen: re.search(rf"(?<!\d){count} selected", screen) is not None


def quote_lines(screen: str) -> list[str]:
    """The lines with the selected count: the header, and the quote line under the reader."""
    return [line for line in screen.splitlines() if re.search(r"\d+ selected", line)]


def cursor_on(speaker: str) -> Callable[[str], bool]:
    """The quote line (selected count, then the speaker under the cursor) names ``speaker``."""
    return lambda screen: any(speaker in line for line in quote_lines(screen))


def reader_focused(screen: str) -> bool:
    """The footer (the last line) lists the reader's own keys, space to select among them."""
    lines = [line for line in screen.splitlines() if line.strip()]
    return bool(lines) and "space" in lines[-1] and "]" in lines[-1]


def press_and_wait(tmux: Tmux, key: str, patience: float = 3.0) -> bool:
    """Press a quote-cursor key; whether the quote line changed (no: the last quote)."""
    before = quote_lines(tmux.capture())
    tmux.send(key)
    deadline = time.monotonic() + patience
    while time.monotonic() < deadline:
        if quote_lines(tmux.capture()) != before:
            return True
        time.sleep(0.05)
    return False


def walk_to(tmux: Tmux, speaker: str) -> None:
    """Move the quote cursor with ] (then back with [) until it rests on ``speaker``.

    Each press waits for the quote line to change, so no press is still on its way when
    the next is sent (a late one would move the cursor past the quote to select).
    """
    on_speaker = cursor_on(speaker)
    for key in ("]", "["):
        for _ in range(WALK_LIMIT):
            if on_speaker(tmux.capture()) or not press_and_wait(tmux, key):
                break
        if on_speaker(tmux.capture()):
            return
    tmux.wait_for(on_speaker, f"the quote cursor on {speaker}", timeout=1)


def citation_after(lines: list[str], quote: str) -> str:
    """The citation line that follows a quote's ``> `` block in a Markdown export."""
    assert f"> {quote}" in lines, f"quote missing from the export: {quote!r}"
    rest = lines[lines.index(f"> {quote}") + 1 :]
    return next(line for line in rest if line.strip())


def test_search_select_two_quotes_and_export_markdown(tmux: Tmux, place: Place) -> None:
    started = time.monotonic()
    tmux.start([str(console_script())], place.env, place.cwd)
    first = tmux.wait_for_text("Putin proposes", "Moscow demands answers")
    first_screen_seconds = time.monotonic() - started
    assert selected(0)(first), first
    assert first_screen_seconds < 15

    # Open the first article (oldest first) and put the cursor on its first quote.
    tmux.send("Enter")
    tmux.wait_for_text("stopping its expansion to the East")
    tmux.wait_for(reader_focused, "the reader's keys in the footer")
    tmux.send("]")
    tmux.wait_for(cursor_on("Vladimir Putin"), "Putin's quote under the cursor")
    tmux.send("Space")
    tmux.wait_for(selected(1), "1 selected")

    # Search: results appear as the user types; enter jumps to the first hit.
    tmux.send("/")
    tmux.type("Geneva")
    results = tmux.wait_for(
        lambda s: (
            shows(s, "Russia insists NATO will not admit")
            and re.search(r"\b1 match\b", s) is not None
        ),
        "the search result for Geneva",
    )
    assert "Geneva" in results
    tmux.send("Enter")
    tmux.wait_for(
        lambda s: reader_focused(s) and shows(s, "Russia proposes Geneva as a venue"),
        "the hit in the reader, in focus",
    )
    walk_to(tmux, "Sergei Ryabkov")
    tmux.send("Space")
    tmux.wait_for(selected(2), "2 selected")

    # Export: the dialog counts the selection; Markdown; enter writes the file.
    tmux.send("e")
    tmux.wait_for_text("2 selected quotes will be exported")
    tmux.send("m")
    tmux.send("Enter")
    done = tmux.wait_for(lambda s: shows(s, "Exported 2 quotes to"), "the export notification")
    exports = sorted(place.cwd.glob("*.md"))
    assert len(exports) == 1, f"expected one Markdown file in {place.cwd}: {exports}"
    exported = exports[0]
    assert exported.name.startswith("newsbrowse-quotes-")
    assert shows_compact(done, f"Exported 2 quotes to {exported}"), done

    lines = exported.read_text(encoding="utf-8").splitlines()
    assert sum(line.startswith("> ") for line in lines) == 2, lines
    putin_cited, ryabkov_cited = PUTIN_QUOTE.rstrip(","), RYABKOV_QUOTE.rstrip(",")
    assert lines.index(f"> {putin_cited}") < lines.index(f"> {ryabkov_cited}")
    putin = citation_after(lines, putin_cited)
    assert putin.startswith("\u2014 Vladimir Putin (Russia), ")
    assert f"*{PUTIN_TITLE}*" in putin and "2021-12-01 (inferred)" in putin
    ryabkov = citation_after(lines, ryabkov_cited)
    assert ryabkov.startswith("\u2014 Sergei Ryabkov (Russia), ")
    single = RYABKOV_TITLE.replace("\u201c", "\u2018").replace("\u201d", "\u2019")
    assert f"*{single}*" in ryabkov and "2021-12-17 (inferred)" in ryabkov

    # q leaves the app (the dialog is closed; the focus is back in the reader).
    tmux.send("q")
    tmux.wait_exit()


def test_import_from_the_app_while_the_cli_is_refused(tmux: Tmux, place: Place) -> None:
    """While the app is open it holds the store: the CLI's import says to import from the
    app; `i` there, a path pasted in one burst, enter: the list shows the new articles."""
    folder = place.cwd / "new articles"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    tmux.start([str(console_script())], place.env, place.cwd)
    tmux.wait_for_text("Putin proposes", "Articles (5)")

    refused = run_cli(["import", str(folder)], place.env, place.cwd)
    assert refused.returncode == 5
    err = refused.stderr.decode()
    assert "in use by newsbrowse (the app, pid" in err, err
    assert "import from the app with `i`, or close it and try again" in err, err

    tmux.send("i")
    tmux.wait_for_text("Import articles")
    tmux.burst(str(folder))
    tmux.wait_for(lambda s: shows(s, "cwd/new articles"), "the pasted path in the field")
    tmux.send("Enter")
    done = tmux.wait_for(lambda s: shows(s, "2 imported, 0 skipped"), "the import's summary")
    assert shows(done, "Articles (7)") and shows(done, "Alliance answers Moscow"), done
    tmux.send("q")
    tmux.wait_exit()
    listed = run_cli(["list", "--json"], place.env, place.cwd)
    assert listed.returncode == 0 and len(json.loads(listed.stdout)) == 7


def test_the_demand_view_at_200_columns(tmux: Tmux, place: Place) -> None:
    """Tab to the demands panel, enter on the first demand: statements beside replies,
    each whole; enter on a reply opens its article; escape and q leave."""
    tmux.width, tmux.height = 200, 50
    tmux.start([str(console_script())], place.env, place.cwd)
    tmux.wait_for_text("Putin proposes", "No NATO enlargement")
    tmux.send("Tab", "Tab", "Enter")
    view = tmux.wait_for_text("Russia said (10)", "US/NATO replied (2)")
    assert shows(view, "NATO stops expanding east")  # the demand, as the codebook says it
    # A reply whole, in marks, with speaker, side, stance, title, source and date.
    assert shows(view, "\u201cWe are not flexible with basic principles")
    assert shows(view, "Jen Psaki · US/NATO · ✗ rejects")
    assert shows(view, "source unknown · ~2021-12-17")
    assert shows(view, "Brasov-Romania News · ~2021-12-01")
    tmux.send("Right", "Enter")
    tmux.wait_for(
        lambda s: reader_focused(s) and shows(s, "We are not flexible"),
        "the reply's article in the reader, in focus",
    )
    tmux.send("q")
    tmux.wait_exit()


def test_missing_console_script_fails_clearly(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A venv without the script gives a failure that says how to install it."""
    monkeypatch.setattr("sys.executable", str(tmp_path / "python"))
    with pytest.raises(pytest.fail.Exception, match="is not installed: run"):
        console_script()
