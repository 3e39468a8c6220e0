"""A web page or feed fetched for an import: http and https only, with a timeout and a
size limit, so that a slow or endless server costs seconds and a bounded amount of memory.

A server that names a charset in its Content-Type is believed over a page's own
``<meta>``: :meth:`Fetched.page_bytes` hands the page on as UTF-8 with a byte-order mark,
which the page's decoding takes first (:func:`newsbrowse.store.file_kinds.decode_page`).
"""

from __future__ import annotations

import codecs
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from newsbrowse.store.meta_fields import url_problem

TIMEOUT = 15.0
"""Seconds a connection, or a wait for the next bytes, may take."""
MAX_BYTES = 5 * 1024 * 1024
"""Bytes read of one response (a page's limit: see importer.MAX_PAGE_BYTES)."""
USER_AGENT = "newsbrowse (an analyst's reader; one request per article)"


class FetchFailed(Exception):
    """Why a URL gave nothing to import, in a few words."""


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects: the address the article is at
    data: bytes
    content_type: str  # lower case, without parameters ("text/html")
    charset: str | None = None  # as the server declares it

    def page_bytes(self) -> bytes:
        """The bytes as a page is decoded: UTF-8 with a BOM when the server declares a
        charset Python knows (a feed keeps its bytes: its parser reads the declaration)."""
        bom = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
        if not self.charset or self.data.startswith(bom):
            return self.data
        try:
            return codecs.BOM_UTF8 + self.data.decode(self.charset).encode("utf-8")
        except (LookupError, UnicodeDecodeError):
            return self.data  # the page's own declaration, or UTF-8, decides (and refuses)


class _HttpOnly(urllib.request.HTTPRedirectHandler):
    """Follow redirects to http and https addresses only (never file: or ftp:)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        if url_problem(newurl) is not None:
            raise FetchFailed(f"redirected to {newurl[:80]!r}, which is not a web address")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch(url: str, timeout: float | None = None, max_bytes: int | None = None) -> Fetched:
    """The response to a GET of ``url``; FetchFailed with the reason otherwise."""
    problem = url_problem(url)
    if problem is not None:
        raise FetchFailed(f"the address {problem}")
    limit = MAX_BYTES if max_bytes is None else max_bytes
    opener = urllib.request.build_opener(_HttpOnly)
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    wait = TIMEOUT if timeout is None else timeout
    try:
        with opener.open(request, timeout=wait) as response:
            data = _read(response, limit + 1, time.monotonic() + 2 * wait)
            final, headers = response.geturl(), response.headers
    except urllib.error.HTTPError as exc:
        raise FetchFailed(f"the server answered {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        raise FetchFailed(_reason(exc.reason)) from None
    except (TimeoutError, OSError, ValueError) as exc:
        raise FetchFailed(_reason(exc)) from None
    if len(data) > limit:
        raise FetchFailed(f"larger than {limit / 1024 / 1024:g} MB")
    return Fetched(final, data, headers.get_content_type(), headers.get_content_charset())


def _read(response: Any, limit: int, deadline: float) -> bytes:
    """Up to ``limit`` bytes, by the deadline: a server that sends a byte now and then
    would keep each read within its timeout, and the whole for ever."""
    parts: list[bytes] = []
    size = 0
    while size < limit:
        if time.monotonic() > deadline:
            raise TimeoutError
        part = response.read1(min(65536, limit - size))
        if not part:
            break
        parts.append(part)
        size += len(part)
    return b"".join(parts)


def _reason(exc: object) -> str:
    """Why a connection failed, in a few words: "timed out", "Connection refused"."""
    if isinstance(exc, TimeoutError):
        return "timed out"
    text = str(getattr(exc, "strerror", None) or exc).strip()
    return text.splitlines()[0][:80] if text else "the connection failed"
