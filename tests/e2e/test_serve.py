"""``newsbrowse serve``: the installed command serves the app's page, and a browser
session (its websocket, spoken as textual-serve's page speaks it) runs the real app on
the home: keys go in, the demand view comes out. No browser is needed to check that."""

from __future__ import annotations

import asyncio
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import aiohttp
import pytest
from newsbrowse.store.library import Library
from newsbrowse.tui import cli
from terminal import Place, console_script

pytestmark = pytest.mark.slow

SESSION_SECONDS = 30


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def page(port: int) -> str:
    """The served page, once the server answers (it takes a moment to start)."""
    deadline = time.monotonic() + SESSION_SECONDS
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as reply:
                return reply.read().decode("utf-8")
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


async def session(port: int, keys: str, until: bytes) -> bytes:
    """One browser session: wait for the app's first screen, type ``keys``, and read the
    screen's bytes until ``until`` shows (or the session ends)."""
    url = f"http://127.0.0.1:{port}/ws?width=160&height=40"
    out, typed = b"", False
    async with aiohttp.ClientSession() as client, client.ws_connect(url) as ws:
        deadline = time.monotonic() + SESSION_SECONDS
        while time.monotonic() < deadline and not (typed and until in out):
            try:
                message = await ws.receive(timeout=1)
            except TimeoutError:
                continue
            if message.type not in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.TEXT):
                break  # the app ended: the session is closed
            data = message.data
            out += data if isinstance(data, bytes) else data.encode("utf-8")
            if not typed and b"Articles" in out:
                await ws.send_json(["stdin", keys])
                typed = True
    return out


def test_serve_runs_the_app_in_a_browser_session(place: Place) -> None:
    port = free_port()
    server = subprocess.Popen(
        [str(console_script()), "serve", "--port", str(port)],
        env=place.env,
        cwd=place.cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        html = page(port)
        assert "<div>newsbrowse</div>" in html  # the page names the app
        assert f'data-session-websocket-url="ws://127.0.0.1:{port}/ws"' in html
        # tab, tab: the demands panel; enter on its first demand: the demand view.
        screen = asyncio.run(session(port, "\t\t\r", until=b"Russia said"))
        assert b"Articles" in screen and b"Russia said" in screen
        # Two tabs at once: both show the app; the one that opens an article writes its
        # read mark (and holds the home), the other reads.
        reader, other = asyncio.run(both(port))
        assert b"Select" in reader and b"Articles" in other
    finally:
        server.send_signal(signal.SIGINT)
        _, err = server.communicate(timeout=SESSION_SECONDS)
    assert server.returncode == 0, err
    assert f"at http://127.0.0.1:{port}" in err.decode("utf-8")
    library = Library.open(place.home, read_only=True)
    try:
        assert library.read_ids()  # a session wrote to the home it serves
    finally:
        library.close()


async def both(port: int) -> list[bytes]:
    """Two sessions at once: enter opens the first article in one (the reader's keys,
    space Select, show), the other only looks."""
    return list(
        await asyncio.gather(
            session(port, "\r", until=b"Select"), session(port, "", until=b"Articles")
        )
    )


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--port", "0"], "--port must be from 1 to 65535"),
        (["--port", "70000"], "--port must be from 1 to 65535"),
        (["--host", "nosuch.invalid"], "unknown host"),
    ],
)
def test_serve_refuses_a_bad_address_in_one_line(
    seeded_home: Path, capsys: pytest.CaptureFixture[str], args: list[str], words: str
) -> None:
    assert cli.main(["--home", str(seeded_home), "serve", *args]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and words in err and "Traceback" not in err


def test_serve_refuses_a_port_in_use(seeded_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert cli.main(["--home", str(seeded_home), "serve", "--port", str(port)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"port {port} is in use" in err
