"""Feeds and web addresses imported: ``import FEED.xml`` and ``import https://...``,
against a local HTTP server each test starts (no outside network is used)."""

from __future__ import annotations

import contextlib
import http.server
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from newsbrowse.store import fetch
from newsbrowse.store.feeds import looks_like_feed, read_feed
from newsbrowse.store.library import Library

PAGES = Path(__file__).parent / "data" / "pages"
STORY = (
    "<p>NATO Secretary General Jens Stoltenberg said on Wednesday that the alliance had "
    "sent its written proposals to Moscow, beside the reply of the United States.</p>"
    "<p>&ldquo;NATO&rsquo;s door remains open, and that is not up for negotiation,&rdquo; "
    "Stoltenberg told reporters in Brussels.</p><script>alert('no')</script>"
)


def rss(base: str) -> bytes:
    """A feed of two entries: one with its full text, one with only a summary."""
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Northern Wire: World</title><link>{base}/</link>
<item><title>Ryabkov: talks hit a wall</title><link>{base}/geneva-talks.html</link>
<pubDate>Mon, 10 Jan 2022 18:42:00 GMT</pubDate>
<description>Ryabkov said the talks made no progress.</description></item>
<item><title>Stoltenberg: the door stays open</title><link>{base}/nato-story</link>
<pubDate>Wed, 26 Jan 2022 23:30:00 -0500</pubDate>
<author>desk@northernwire.example (Tomas Berzins)</author>
<content:encoded><![CDATA[{STORY}]]></content:encoded></item>
</channel></rss>""".encode()


class _Site(http.server.BaseHTTPRequestHandler):
    routes: dict[str, tuple[int, str, bytes]] = {}

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        # The importer may stop reading: what a size limit or a timeout does.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self._answer()

    def _answer(self) -> None:
        if self.path == "/slow":
            time.sleep(2)
        if self.path == "/endless":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            chunk = b"<p>" + b"word " * 2000 + b"</p>"
            for _ in range(2000):
                self.wfile.write(chunk)
            return
        if self.path.startswith("/to-"):
            self.send_response(302)
            where = {"/to-file": "file:///etc/passwd", "/to-ftp": "ftp://127.0.0.1/x"}
            self.send_header("Location", where[self.path])
            self.end_headers()
            return
        status, kind, body = self.routes.get(self.path, (404, "text/plain", b"no"))
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def site() -> Iterator[str]:
    """A local web server: the test pages, a feed, a page with no URL of its own, a page
    whose charset only the server names; slow, endless and redirecting addresses."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    cp1251 = (PAGES / "lavrov-cp1251.html").read_bytes().replace(b"charset=windows-1251", b"")
    _Site.routes = {
        "/geneva-talks.html": (200, "text/html", (PAGES / "geneva-talks.html").read_bytes()),
        "/feed.xml": (200, "application/rss+xml", rss(base)),
        "/loop.xml": (200, "text/xml", rss(base).replace(b"/geneva-talks.html", b"/loop.xml")),
        "/plain": (200, "text/html; charset=utf-8", f"<html><body>{STORY}</body></html>".encode()),
        "/lavrov": (200, "text/html; charset=windows-1251", cp1251),
    }
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base
    server.shutdown()
    server.server_close()


def _stored(library: Library, results) -> list:
    return [library.article(r.id) for r in results if r.id is not None]


def test_a_feed_file_gives_one_article_an_entry(library: Library, tmp_path: Path) -> None:
    feed = tmp_path / "world.rss"
    feed.write_bytes(rss("https://northernwire.example"))
    results = library.import_paths([feed])
    assert [r.path for r in results] == [f"{feed} #1", f"{feed} #2"]
    assert results[0].skipped.startswith("no article text found in the page (7 words")
    [art] = _stored(library, results)
    assert (art.title, art.source, art.author) == (
        "Stoltenberg: the door stays open",
        "Northern Wire: World",
        "desk@northernwire.example (Tomas Berzins)",
    )
    assert (art.url, art.date, art.date_basis) == (
        "https://northernwire.example/nato-story",
        "2022-01-27",  # 23:30 at UTC-5 is the 27th in UTC
        "stated",
    )
    assert "alert" not in art.body and art.body.startswith("NATO Secretary General")
    assert [q.speaker for q in art.quotes] == ["Jens Stoltenberg"]
    assert all(art.body[q.start : q.end] == q.text for q in art.quotes)
    again = library.import_paths([feed])
    assert again[1].skipped == f"duplicate of article {art.id}"


def test_a_feed_url_fetches_the_pages_of_its_summaries(library: Library, site: str) -> None:
    results = library.import_paths([f"{site}/feed.xml"])
    assert [r.path for r in results] == [f"{site}/geneva-talks.html", f"{site}/feed.xml #2"]
    page, entry = _stored(library, results)
    assert page.title == "Ryabkov says Geneva talks hit a wall on NATO expansion"
    assert page.url == "https://northernwire.example/world/2022/01/10/ryabkov-geneva-talks"
    assert page.source == "Northern Wire" and "waterproof" in page.body
    assert entry.source == "Northern Wire: World" and entry.url == f"{site}/nato-story"


def test_a_page_url_is_imported_with_its_address(library: Library, site: str) -> None:
    [result] = library.import_paths([f"{site}/plain"])
    [art] = _stored(library, [result])
    assert art.url == f"{site}/plain", "a page that names no URL is cited where it was fetched"
    assert art.body.startswith("NATO Secretary General")


def test_the_server_charset_decodes_a_page(library: Library, site: str) -> None:
    [result] = library.import_paths([f"{site}/lavrov"])
    [art] = _stored(library, [result])
    assert art.title == "Лавров ждёт письменного ответа НАТО"


def test_a_feed_whose_entries_link_to_feeds_ends(library: Library, site: str) -> None:
    results = library.import_paths([f"{site}/loop.xml"])
    assert results[0].skipped.startswith("no article text found")  # its summary, at least
    assert results[1].id is not None


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/missing", "cannot fetch it: the server answered 404"),
        ("/slow", "cannot fetch it: timed out"),
        ("/endless", "cannot fetch it: larger than 1 MB"),
        ("/to-file", "cannot fetch it: the server answered 302 Found - Redirection to url"),
        ("/to-ftp", "cannot fetch it: redirected to 'ftp://127.0.0.1/x'"),
    ],
)
def test_a_web_address_that_gives_nothing_is_one_reason(
    library: Library, site: str, monkeypatch: pytest.MonkeyPatch, path: str, reason: str
) -> None:
    monkeypatch.setattr(fetch, "TIMEOUT", 0.5)
    monkeypatch.setattr(fetch, "MAX_BYTES", 1024 * 1024)
    before = len(library.articles())
    started = time.monotonic()
    [result] = library.import_paths([f"{site}{path}"])
    assert result.id is None and result.skipped.startswith(reason), result.skipped
    assert time.monotonic() - started < 1.9
    assert len(library.articles()) == before


def test_only_web_addresses_are_fetched() -> None:
    for url in ("file:///etc/passwd", "ftp://x.example/a", "http://"):
        with pytest.raises(fetch.FetchFailed):
            fetch.fetch(url)


def test_what_is_a_feed() -> None:
    assert looks_like_feed(b'\xef\xbb\xbf<?xml version="1.0"?>\n<rss version="2.0">')
    assert looks_like_feed(b'<feed xmlns="http://www.w3.org/2005/Atom">')
    assert not looks_like_feed(b"<html><body><rss>")
    with pytest.raises(ValueError, match="not an RSS or Atom feed"):
        read_feed(b"<html><body>Not a feed</body></html>")


def test_cli_imports_a_feed_and_names_what_it_skipped(nb, site: str) -> None:
    code, out, err = nb("import", f"{site}/feed.xml", f"{site}/missing")
    assert code == 2
    assert out.splitlines()[0].strip() == "2 imported, 1 skipped (1 not fetched: missing)"
    assert err.strip() == (
        f"newsbrowse: cannot import {site}/missing: cannot fetch it: the server answered 404 "
        "Not Found; check the address, or save the page and import the file"
    )


def test_metadata_for_one_article_is_refused_for_a_feed(library: Library, tmp_path: Path) -> None:
    from newsbrowse.store.model import ArticleMeta

    feed = tmp_path / "world.xml"
    feed.write_bytes(rss("https://northernwire.example"))
    [result] = library.import_paths([feed], meta=ArticleMeta(source="Reuters"))
    assert result.skipped == "--source, --url and --date describe one article; a feed holds many"
