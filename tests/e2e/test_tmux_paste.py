"""A path pasted into the export dialog of the installed app in tmux, in one burst
(``send-keys -l`` of the whole path, as a terminal without bracketed paste delivers a
paste), then Enter: the file is written there, and no letter of the path reached the
main screen (``q`` would quit, ``m`` ``c`` ``j`` choose a format)."""

from __future__ import annotations

import pytest
from terminal import Place, Tmux, console_script, shows
from test_tmux_journey import cursor_on, reader_focused, selected

pytestmark = pytest.mark.slow


def test_a_path_pasted_in_one_burst_is_where_the_export_lands(tmux: Tmux, place: Place) -> None:
    tmux.start([str(console_script())], place.env, place.cwd)
    tmux.wait_for_text("Putin proposes")
    tmux.send("Enter")
    tmux.wait_for_text("stopping its expansion to the East")
    tmux.wait_for(reader_focused, "the reader's keys in the footer")
    tmux.send("]")
    tmux.wait_for(cursor_on("Vladimir Putin"), "Putin's quote under the cursor")
    tmux.send("Space")
    tmux.wait_for(selected(1), "1 selected")
    folder = place.cwd / "quick march"
    folder.mkdir()
    target = folder / "mcj quotes.md"  # letters that are keys of the dialog and the app

    tmux.send("e")
    tmux.wait_for_text("1 selected quote")
    tmux.paste(str(target))
    tmux.send("Enter")
    done = tmux.wait_for(lambda s: shows(s, "Exported 1 quotes to"), "the export notification")
    assert sorted(p.name for p in folder.iterdir()) == ["mcj quotes.md"], (
        done,
        list(place.cwd.rglob("*")),
    )
    text = target.read_text(encoding="utf-8")
    assert text.startswith("> ") and "Vladimir Putin" in text
    assert not tmux.pane_dead()  # the q of "quotes" did not quit
    tmux.send("q")
    tmux.wait_exit()
