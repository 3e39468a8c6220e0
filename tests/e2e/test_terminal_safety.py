"""Issue 4: text from the web never acts on the user's terminal, and never runs as markup.

A hostile article is imported with the installed CLI, then opened in the installed app:
in a pseudo-terminal, where every byte the app writes is read, and in tmux, where the
screen, the window title and the clipboard buffers can be asked for.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import select
import signal
import struct
import subprocess
import termios
import time
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from terminal import Place, Tmux, console_script, run_cli, shows

pytestmark = pytest.mark.slow

COLUMNS, ROWS = 120, 40
CANARY = "Zebracanary"  # a word that shows the body was drawn
TITLE = "Hostile wire [bold]x[/] [@click=app.quit] \x1b]0;pwned\x07 [Reuters]"
BODY = (
    f"{TITLE}\n\n"
    f"Moscow\x1b[2Jwants guarantees, the {CANARY} report says.\x1b]52;c;ZXZpbA==\x07 "
    "The minister wrote \u202eevil\u202c and \u2066isolated\u2069 words.\n\n"
    "Sergei Lavrov said: \u201cWe will not accept [bold]any[/] of this\x9b31m at all, "
    "whatever the alliance says.\u201d Then a [/] b was heard, priced in [USD].\n\n"
    "A DEL\x7fbyte, a C1\x9bbyte, an escape\x1b[31mred and a [@click=app.quit] link follow.\n"
)
# The same payloads in UTF-16 (with BOM), where a NUL character can be written as text.
TITLE16 = "Second hostile wire [Reuters] \x1b]0;pwned\x07"
BODY16 = (
    f"{TITLE16}\n\n"
    f"NUL\x00here, the second {CANARY} text\x1b[2J with \x1b]52;c;ZXZpbA==\x07 and "
    "\u202eevil\u202c and a [/] b again.\n"
)

# What must never reach the terminal from article content (Textual writes other ESCs).
PAYLOADS: dict[str, bytes] = {
    "OSC 52 clipboard write": b"\x1b]52",
    "window title": b"\x1b]0;pwned",
    "clear screen": b"\x1b[2J",
    "SGR from content": b"\x1b[31mred",
    "C1 CSI U+009B": "\x9b".encode(),
    "NUL": b"\x00",
    "DEL": b"\x7f",
    "right-to-left override U+202E": "\u202e".encode(),
    "left-to-right isolate U+2066": "\u2066".encode(),
    "pop directional isolate U+2069": "\u2069".encode(),
}
MARKUP = ("[bold]x[/]", "[@click=app.quit]", "a [/] b", "[Reuters]", "[USD]")
KEY_DOWN, KEY_ENTER, KEY_BACK = b"\x1b[B", b"\r", b"\x1b[Z"


@pytest.fixture
def hostile(place: Place, tmp_path: Path) -> list[str]:
    """The two hostile articles imported into ``place.home``; their ids, in list order."""
    files = tmp_path / "hostile"
    files.mkdir()
    (files / "markup-and-escapes.txt").write_text(BODY, encoding="utf-8")
    (files / "utf16-nul.txt").write_bytes(BODY16.encode("utf-16"))
    done = run_cli(["import", "--json", str(files)], place.env, place.cwd)
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    results = json.loads(done.stdout)
    ids = [r["id"] for r in results]
    assert all(ids), f"a hostile article was refused: {results}"
    return ids


def list_positions(place: Place, ids: list[str]) -> list[int]:
    """Where the articles sit in the app's list (it lists them in the CLI's order)."""
    done = run_cli(["list", "--json"], place.env, place.cwd)
    order = [row["id"] for row in json.loads(done.stdout)]
    return sorted(order.index(i) for i in ids)


def control_characters(text: str) -> list[str]:
    """Every control, format (bidi) or surrogate character left in ``text``, named."""
    return [
        f"U+{ord(c):04X}"
        for c in text
        if c not in "\n\t" and unicodedata.category(c) in ("Cc", "Cf", "Cs")
    ]


def test_show_json_holds_no_control_characters(place: Place, hostile: list[str]) -> None:
    for article_id in hostile:
        done = run_cli(["show", article_id, "--json"], place.env, place.cwd)
        assert done.returncode == 0, done.stderr.decode(errors="replace")
        # Escaped controls (\u001b) would decode back into controls: check the values too.
        raw = done.stdout.decode("utf-8")
        assert control_characters(raw) == []
        data = json.loads(raw)
        strings = [data["title"], data["body"], *(q["text"] for q in data["quotes"])]
        strings += [q["speaker"] or "" for q in data["quotes"]]
        leaks = {s[:40]: control_characters(s) for s in strings if control_characters(s)}
        assert leaks == {}, f"article {article_id} stores control characters: {leaks}"
        assert CANARY in data["body"]


def test_utf8_file_with_nul_is_refused_or_cleaned_in_one_line(place: Place, tmp_path: Path) -> None:
    path = tmp_path / "nul.txt"
    path.write_bytes(b"A wire report\n\nNUL\x00inside a sentence about the alliance.\n")
    done = run_cli(["import", str(path)], place.env, place.cwd)
    err = done.stderr.decode(errors="replace")
    assert "Traceback" not in err
    if done.returncode == 0:
        shown = run_cli(["list", "--json"], place.env, place.cwd).stdout.decode()
        assert "\\u0000" not in shown and "\x00" not in shown
    else:
        assert len(err.strip().splitlines()) == 1 and str(path) in err, err


# the pseudo-terminal -----------------------------------------------------------------------
class PtyApp:
    """The installed app on a pseudo-terminal of a fixed size; every output byte is kept."""

    def __init__(self, place: Place) -> None:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
        self.master = master
        self.output = bytearray()
        self.process = subprocess.Popen(
            [str(console_script())],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=place.env,
            cwd=place.cwd,
            start_new_session=True,
        )
        os.close(slave)

    def read(self, seconds: float, until: bytes | None = None, since: int | None = None) -> None:
        """Keep what the app writes for ``seconds``; stop once ``until`` is in the output.

        ``until`` is looked for from byte ``since`` of the output (by default: from now).
        """
        start = len(self.output) if since is None else since
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            if until is not None and until in self.output[start:]:
                return
            ready, _, _ = select.select([self.master], [], [], min(left, 0.1))
            if ready:
                try:
                    chunk = os.read(self.master, 65536)
                except OSError:  # the app closed the terminal
                    return
                if not chunk:
                    return
                self.output += chunk

    def press(self, key: bytes, settle: float = 0.3) -> None:
        os.write(self.master, key)
        self.read(settle)

    def close(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)
        os.close(self.master)


@pytest.fixture
def pty_app(place: Place, hostile: list[str]) -> Iterator[PtyApp]:
    app = PtyApp(place)
    try:
        yield app
    finally:
        app.close()


def open_each(app: PtyApp, positions: list[int]) -> None:
    """Open the articles at ``positions`` from the list, as a user would with the keys."""
    at = 0
    for position in positions:
        mark = len(app.output)  # with a preview, the body may be drawn before enter
        for _ in range(position - at):
            app.press(KEY_DOWN, settle=0.1)
        at = position
        app.press(KEY_ENTER, settle=0.5)
        app.read(5, until=CANARY.encode(), since=mark)
        app.press(KEY_BACK)  # back to the list for the next one


def test_no_escape_from_content_reaches_the_terminal(
    pty_app: PtyApp, place: Place, hostile: list[str]
) -> None:
    pty_app.read(15, until=b"Hostile")
    assert b"Hostile" in pty_app.output, bytes(pty_app.output[-2000:])
    open_each(pty_app, list_positions(place, hostile))
    pty_app.read(1)
    out = bytes(pty_app.output)
    assert out.count(CANARY.encode()) >= 2, "the hostile articles were never drawn"
    leaked = {name: out.count(payload) for name, payload in PAYLOADS.items() if payload in out}
    assert leaked == {}, f"content reached the terminal raw: {leaked}"
    assert pty_app.process.poll() is None, "the app exited on hostile content"


# tmux: the screen, the title and the clipboard -------------------------------------------------
def test_markup_shows_literally_and_runs_nothing(
    tmux: Tmux, place: Place, hostile: list[str]
) -> None:
    tmux.conf_lines.append("set -g set-clipboard on")  # an OSC 52 would make a tmux buffer
    tmux.start([str(console_script())], place.env, place.cwd)
    tmux.wait_for_text("Hostile wire")
    first = list_positions(place, hostile)[0]
    tmux.send(*["Down"] * first, "Enter")
    screen = tmux.wait_for_text(CANARY, *MARKUP)
    for text in MARKUP:
        assert shows(screen, text), f"{text!r} is not shown literally:\n{screen}"
    assert "pwned" not in tmux.pane_title()
    assert tmux.buffers() == [], "content wrote to the clipboard (OSC 52)"

    # Click every place where the action-looking text is drawn: nothing may run.
    for row, line in enumerate(screen.splitlines()):
        for match in re.finditer(re.escape("[@click=app.quit]"), line):
            tmux.click(match.start() + 3, row)
            time.sleep(0.3)
    time.sleep(0.5)
    assert not tmux.pane_dead(), f"the app quit or crashed:\n{tmux.capture()}"
    assert shows(tmux.capture(), "Hostile wire")
