"""``newsbrowse serve``: the app in a web browser, through textual-serve.

The server runs no app itself: each browser session starts the app (``newsbrowse --home
HOME``, drawn by Textual's web driver) as a process of its own. A session opens the home
as a reader and takes its lock at its first write (a read mark, a selection), as any
writer does; so with two tabs open, the first to write holds the home until it closes,
and the other reads and is told, write by write, who holds it: two sessions never write
beside each other. It listens on the loopback address unless told otherwise: the app
reads and writes the home of whoever started the server.
"""

from __future__ import annotations

import argparse
import errno
import os
import shlex
import socket
import sys
from pathlib import Path
from typing import Any

from newsbrowse.store.errors import BadInput
from newsbrowse.store.library import Library
from newsbrowse.tui.cli_output import console
from rich.text import Text

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
WEB_DRIVER = "textual.drivers.web_driver:WebDriver"
"""What textual-serve sets ``TEXTUAL_DRIVER`` to in a session's environment."""


def in_browser() -> bool:
    """Whether this process is a browser session's app (its screen is a web page)."""
    return os.environ.get("TEXTUAL_DRIVER") == WEB_DRIVER


def app_command(home: Path) -> str:
    """The command a session runs: this Python's newsbrowse on ``home``, quoted for a shell."""
    return shlex.join([sys.executable, "-m", "newsbrowse.tui.cli", "--home", str(home)])


def check_address(host: str, port: int) -> None:
    """A one-line error for a port out of range, a host that is not this machine's, or a
    port in use, before the server starts (aiohttp would say it with a traceback)."""
    if not 1 <= port <= 65535:
        raise BadInput(f"--port must be from 1 to 65535, not {port}")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        raise BadInput(f"unknown host {host!r}; use an address of this machine") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise BadInput(f"port {port} is in use; choose another with --port") from None
            reason = exc.strerror or str(exc)
            raise BadInput(f"cannot listen on {host}:{port}: {reason}") from None


def add_serve_parser(sub: Any, common: list[argparse.ArgumentParser]) -> None:
    """``serve [--host HOST] [--port PORT]`` on the command line's subparsers."""
    serve = sub.add_parser(
        "serve",
        parents=common,
        help="the app in a web browser",
        description="Serve the app over HTTP (textual-serve) until Ctrl-C: each browser "
        "tab runs the app on this home. The first tab to write (a read mark, a selection) "
        "holds the home until it closes; another tab reads, and its writes are refused "
        "with a note naming the holder.",
    )
    serve.add_argument("--host", default=DEFAULT_HOST, help=f"address (default {DEFAULT_HOST})")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"default {DEFAULT_PORT}")


def cmd_serve(lib: Library, args: argparse.Namespace) -> int:
    """Serve the app until Ctrl-C; each browser tab is one session of the app."""
    check_address(args.host, args.port)
    from textual_serve.server import Server  # aiohttp and jinja2, for this command only

    server = Server(app_command(lib.home), host=args.host, port=args.port, title="newsbrowse")
    # The server reads nothing: what opening the home took (its lock, when a new home was
    # filled from the fixtures) goes back, for the sessions' apps to take.
    lib.close()
    url = f"http://{args.host}:{args.port}"
    console(stderr=True).print(Text(f"serving {lib.home} at {url} (Ctrl-C stops)"))
    server.serve()
    return 0
