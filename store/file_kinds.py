"""What kind of file an import was given, and how a saved web page's bytes become text.

A file is a *text* (plain text, Markdown) or a *page* (a saved web page): by its suffix,
or, for a page saved under another name, by how its first bytes look. A page is decoded
by the charset it declares, since that is what its author's browser used; a page that
declares none must be UTF-8, for the same reason a text file must: a guessed legacy
encoding changes the letters of a quote without a trace.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from newsbrowse.store.text import decode_bytes

TEXT = "text"
PAGE = "page"

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ""})
PAGE_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".shtml"})
SNIFF_BYTES = 1024
"""How much of a file of another suffix is read to tell whether it is a saved page."""

# A page begins (after a byte-order mark, blanks and comments) with its doctype or one of
# the elements that open a document.
_PAGE_START = re.compile(
    rb"^(?:\s|<!--.*?-->)*<(?:!doctype\s+html|html|head|body|meta\s)[\s>/]?",
    re.IGNORECASE | re.DOTALL,
)
# The HTML spec's prescan looks for a charset in a <meta> within the first 1,024 bytes;
# saved pages often hold a long <head>, so a few kilobytes are read.
_CHARSET = re.compile(
    rb"<meta[^>]{0,200}?charset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]{1,40})", re.IGNORECASE
)
_XML_ENCODING = re.compile(rb"^<\?xml[^>]{0,100}?encoding\s*=\s*[\"']([A-Za-z0-9._-]{1,40})")
_CHARSET_SCAN = 8192


def looks_like_page(head: bytes) -> bool:
    """Whether ``head`` (a file's first bytes) is the start of an HTML document."""
    return _PAGE_START.match(head.removeprefix(codecs.BOM_UTF8)) is not None


def kind_of(path: Path, head: bytes, named: bool) -> str | None:
    """:data:`TEXT` or :data:`PAGE`; None for a file of another kind that a folder holds.

    A file named on the command line with an unknown suffix is read as text unless it
    looks like a page (``notes.log`` imports as before); in a folder only known suffixes
    and files that look like pages are taken, so a PDF beside the articles is skipped."""
    suffix = path.suffix.lower()
    if suffix in PAGE_SUFFIXES or looks_like_page(head[:SNIFF_BYTES]):
        return PAGE
    if suffix in TEXT_SUFFIXES or named:
        return TEXT
    return None


def declared_charset(data: bytes) -> str | None:
    """The charset a page's ``<meta>`` (or XML declaration) declares, if Python knows it."""
    head = data[:_CHARSET_SCAN]
    match = _XML_ENCODING.match(head) or _CHARSET.search(head)
    if match is None:
        return None
    name = match.group(1).decode("ascii").lower()
    try:
        name = codecs.lookup(name).name
    except LookupError:
        return None
    # Browsers read a page that says Latin-1 as Windows-1252 (the WHATWG Encoding
    # standard), whose curly quotation marks Latin-1 lacks: so does this.
    return "cp1252" if name == "iso8859-1" else name


def decode_page(data: bytes) -> str:
    """A saved page's text: a byte-order mark first, then the charset it declares, else
    UTF-8. Raises ValueError with a short reason if the bytes are not in that encoding."""
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return decode_bytes(data)
    charset = declared_charset(data)
    if charset is None or charset in {"utf-8", "ascii"}:
        try:
            return decode_bytes(data)
        except ValueError as exc:
            if charset is None and str(exc).startswith("not valid UTF-8"):
                raise ValueError(
                    "not UTF-8 and the page declares no charset; add <meta charset=...> "
                    "naming its encoding, or convert it to UTF-8"
                ) from None
            raise
    if b"\x00" in data[:_CHARSET_SCAN] and not charset.startswith("utf-16"):
        raise ValueError("binary file, not text")
    try:
        return data.decode(charset)
    except UnicodeDecodeError:
        raise ValueError(
            f"not valid {charset} text, though the page declares it; convert it to UTF-8"
        ) from None
