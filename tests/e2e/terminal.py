"""Drive the installed ``newsbrowse`` in a real terminal: tmux for screens, a pty for bytes.

The screen checks read content, not positions: the UX of the panes keeps changing, so a
phrase is looked for in each pane's text re-flowed into one stream (see :func:`reflow`).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest

SCREEN_TIMEOUT = 15.0
POLL = 0.05
# Box drawing, block elements and the scroll bar glyphs Textual draws between panes.
_FRAME = re.compile("[\u2500-\u259f\u2800-\u28ff]")
_SPACES = re.compile(r"\s+")


def console_script(name: str = "newsbrowse") -> Path:
    """The installed console script next to this interpreter; fail (never skip) if missing."""
    script = Path(sys.executable).parent / name
    if not script.is_file() or not os.access(script, os.X_OK):
        pytest.fail(
            f"the console script {script} is not installed: run "
            f"`{Path(sys.executable).parent / 'pip'} install -e '.[test]'` first",
            pytrace=False,
        )
    return script


def require_tmux() -> str:
    """The tmux binary; the real-terminal tests need it and must not be skipped."""
    found = shutil.which("tmux")
    if found is None:
        pytest.fail(
            "tmux is not installed: install it (apt-get install tmux; .ci/run does) "
            "to run the real-terminal tests",
            pytrace=False,
        )
    return found


def app_env(root: Path, home: Path, **extra: str) -> dict[str, str]:
    """A clean environment for the app: its own home, XDG folders and a UTF-8 xterm."""
    env = {
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}/usr/local/bin:/usr/bin:/bin",
        "HOME": str(root / "user"),
        "NEWSBROWSE_HOME": str(home),
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
    }
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        env[var] = str(root / var.lower())
    env.update(extra)
    for value in (env["HOME"], *(env[v] for v in env if v.startswith("XDG_"))):
        Path(value).mkdir(parents=True, exist_ok=True)
    return env


def run_cli(args: Sequence[str], env: Mapping[str, str], cwd: Path) -> subprocess.CompletedProcess:
    """Run the installed ``newsbrowse`` with ``args`` (bytes out, so nothing is decoded away)."""
    return subprocess.run(
        [str(console_script()), *args],
        env=dict(env),
        cwd=cwd,
        capture_output=True,
        timeout=60,
        check=False,
    )


@dataclass(frozen=True)
class Place:
    """Where one run of the app lives: its home, its environment and its working folder."""

    home: Path
    cwd: Path
    env: dict[str, str]


# screen text -----------------------------------------------------------------------------
def reflow(screen: str) -> str:
    """Each pane's text as one stream: a phrase wrapped over lines reads as one line again.

    A line is cut at frame glyphs into segments; segments that start at the same column
    (one pane, one dialog, one toast) are joined in order, so a wrapped sentence rejoins.
    """
    columns: dict[int, list[str]] = {}
    for line in screen.splitlines():
        for match in re.finditer(r"[^\u2500-\u259f\u2800-\u28ff]+", line):
            if match.group().strip():
                columns.setdefault(match.start(), []).append(match.group())
    return "\n".join(squash(" ".join(parts)) for _, parts in sorted(columns.items()))


def squash(text: str) -> str:
    """Runs of white space as one space."""
    return _SPACES.sub(" ", text).strip()


def compact(text: str) -> str:
    """``text`` without any white space (for long paths folded at arbitrary points)."""
    return _SPACES.sub("", text)


def shows(screen: str, phrase: str) -> bool:
    """Whether ``phrase`` is on the screen, on one line or wrapped within one pane."""
    wanted = squash(phrase)
    flowed = reflow(screen)
    return any(wanted in squash(line) for line in screen.splitlines()) or any(
        wanted in line for line in flowed.splitlines()
    )


def shows_compact(screen: str, phrase: str) -> bool:
    """Whether ``phrase`` is on the screen ignoring white space (paths folded anywhere)."""
    wanted = compact(phrase)
    return any(wanted in compact(line) for line in reflow(screen).splitlines())


# tmux --------------------------------------------------------------------------------------
@dataclass
class Tmux:
    """One private tmux server (its own socket) running one app in a fixed-size window."""

    root: Path
    width: int = 120
    height: int = 40
    socket: str = field(default_factory=lambda: f"newsbrowse-e2e-{uuid.uuid4().hex[:12]}")
    started: bool = False
    conf_lines: list[str] = field(
        # The pane keeps its last screen if the app dies, so a crash can be read.
        default_factory=lambda: ["set -g remain-on-exit on", "set -g status off"]
    )

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        env = {k: v for k, v in os.environ.items() if k not in ("TMUX", "TMUX_PANE")}
        env.update(LANG="C.UTF-8", LC_ALL="C.UTF-8")
        conf = self.root / f"{self.socket}.conf"
        if not self.started:
            conf.write_text("\n".join([*self.conf_lines, ""]), encoding="utf-8")
        cmd = [require_tmux(), "-u", "-f", str(conf), "-L", self.socket, *args]
        return subprocess.run(cmd, env=env, capture_output=True, text=True, check=check, timeout=30)

    def start(self, command: Sequence[str], env: Mapping[str, str], cwd: Path) -> None:
        """Run ``command`` with exactly ``env`` (nothing of the test's own environment)."""
        argv = ["env", "-i", *(f"{k}={v}" for k, v in env.items()), *command]
        self._run(
            "new-session", "-d", "-x", str(self.width), "-y", str(self.height),
            "-c", str(cwd), *argv,
        )  # fmt: skip
        self.started = True

    def send(self, *keys: str) -> None:
        """Keys by tmux name (``Enter``, ``Space``, ``Escape``, ``]``), as a user types them."""
        for key in keys:
            self._run("send-keys", "-t", "0", key)

    def type(self, text: str) -> None:
        """Type ``text`` literally, one key press per character."""
        for char in text:
            self._run("send-keys", "-t", "0", "-l", char)

    def paste(self, text: str) -> None:
        """Send ``text`` in one burst (one ``send-keys -l``), as a terminal without
        bracketed paste delivers a paste."""
        self._run("send-keys", "-t", "0", "-l", text)

    def burst(self, text: str) -> None:
        """Send ``text`` literally in one write, as a paste or a fast typist arrives."""
        self.paste(text)

    def send_bytes(self, data: bytes) -> None:
        """Write raw bytes to the app's input (a mouse report, for instance)."""
        self._run("send-keys", "-t", "0", "-H", *(f"{b:02x}" for b in data))

    def click(self, x: int, y: int) -> None:
        """A left click at column ``x``, row ``y`` (from 0), as an SGR mouse report."""
        self.send_bytes(f"\x1b[<0;{x + 1};{y + 1}M".encode())
        self.send_bytes(f"\x1b[<0;{x + 1};{y + 1}m".encode())

    def pane_title(self) -> str:
        """The title the app set (by OSC 0/2) on its pane."""
        return self._run("display-message", "-p", "-t", "0", "#{pane_title}").stdout.strip()

    def buffers(self) -> list[str]:
        """tmux paste buffers: an OSC 52 clipboard write creates one (with set-clipboard on)."""
        return self._run("list-buffers", "-F", "#{buffer_sample}", check=False).stdout.split()

    def capture(self) -> str:
        return self._run("capture-pane", "-p", "-t", "0").stdout

    def pane_dead(self) -> bool:
        out = self._run("display-message", "-p", "-t", "0", "#{pane_dead}", check=False)
        return out.returncode != 0 or out.stdout.strip() == "1"

    def wait_for(
        self, check: Callable[[str], bool], what: str, timeout: float = SCREEN_TIMEOUT
    ) -> str:
        """Poll the screen until ``check`` holds; fail showing the last screen otherwise."""
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.capture()
            if check(screen):
                return screen
            if self.pane_dead():
                break
            time.sleep(POLL)
        state = "the app exited" if self.pane_dead() else f"not within {timeout:.0f} s"
        pytest.fail(f"screen never showed {what} ({state}); last screen:\n{screen}", pytrace=False)

    def wait_for_text(self, *phrases: str, timeout: float = SCREEN_TIMEOUT) -> str:
        """Wait until every phrase is on the screen (see :func:`shows`)."""
        return self.wait_for(
            lambda s: all(shows(s, p) for p in phrases), " and ".join(map(repr, phrases)), timeout
        )

    def wait_exit(self, timeout: float = SCREEN_TIMEOUT) -> None:
        """Wait until the app has exited (its pane stays, dead, for the last screen)."""
        deadline = time.monotonic() + timeout
        while not self.pane_dead():
            if time.monotonic() > deadline:
                pytest.fail(f"the app did not exit; last screen:\n{self.capture()}", pytrace=False)
            time.sleep(POLL)

    def kill(self) -> None:
        """Stop the server and remove its socket file (tmux leaves it behind)."""
        if self.started:
            socket = self._run("display-message", "-p", "#{socket_path}", check=False).stdout
            self._run("kill-server", check=False)
            self.started = False
            if socket.strip():
                Path(socket.strip()).unlink(missing_ok=True)
