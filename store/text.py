"""Text hygiene shared by import and display: decoding files and removing control characters."""

from __future__ import annotations

import json
import re
from typing import Any

# C0 controls but tab and newline, DEL, C1 controls, and the bidi embedding, override and
# isolate characters (the "Trojan Source" trick): none belongs in an article, and each can
# act on a terminal.
_CONTROL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
_SURROGATE = re.compile("[\ud800-\udfff]")


def strip_controls(text: str) -> str:
    """Remove terminal-active and bidi control characters; keep tab and newline."""
    if "\r" not in text and text.replace("\n", " ").replace("\t", " ").isprintable():
        # Every character removed below is a control (Cc), a format character (Cf) or a
        # surrogate (Cs), none of which is printable: most texts hold none and are
        # returned as they are, checked at C speed (about 5 instead of 40 us an article).
        return text
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _SURROGATE.sub("\ufffd", text)
    return _CONTROL.sub("", text)


def _looks_like_utf16(head: bytes) -> bool:
    """UTF-16 text puts its NULs on one parity (mostly ASCII letters); a binary file does not."""
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if max(even, odd) < 0.9 * (even + odd):
        return False
    codec = "utf-16-le" if odd > even else "utf-16-be"
    sample = head[: len(head) - len(head) % 2].decode(codec, errors="replace")
    printable = sum(ch.isprintable() or ch in "\n\r\t" for ch in sample)
    return printable >= 0.95 * max(len(sample), 1)


def decode_bytes(data: bytes) -> str:
    """Decode a text file: UTF-8 (with or without BOM) or UTF-16 with BOM.

    Legacy single-byte files (Windows-1252, Latin-1) are refused, not guessed: a wrong
    guess changes the letters of an exact quote without a trace. Raises ValueError with
    a short reason for anything else.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8-sig"
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    else:
        head = data[:8192]
        nuls = head.count(b"\x00")
        if nuls * 3 >= len(head) and nuls and _looks_like_utf16(head):
            raise ValueError(
                "looks like UTF-16 without a byte-order mark; save it as UTF-8 and import it again"
            )
        # A stray NUL in web text is stripped later; many of them mean a binary file.
        if nuls * 100 > len(head):
            raise ValueError("binary file, not text")
        encoding = "utf-8"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        name = encoding.upper().replace("-SIG", "")
        raise ValueError(
            f"not valid {name} text (a legacy encoding such as Windows-1252 is not guessed); "
            "convert it to UTF-8 (for example with iconv) and import it again"
        ) from None


def _no_constant(name: str) -> Any:
    raise ValueError(f"holds {name}, which is not JSON")


def _check_strings(data: Any) -> None:
    """Walk ``data`` without recursion: a lone surrogate in any key or string is refused."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                raise ValueError("holds a lone surrogate (a broken character)")
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def parse_json(data: bytes) -> Any:
    """Parse JSON from a file we did not necessarily write (store or rules).

    Python's parser accepts NaN and Infinity, keeps lone surrogates from ``\\ud800``
    escapes, and overflows the stack on deep nesting; each is refused here with a
    ValueError whose message is a short reason.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError("is not UTF-8 text") from None
    try:
        parsed = json.loads(text, parse_constant=_no_constant)
    except RecursionError:
        raise ValueError("is nested too deeply") from None
    except ValueError as exc:
        reason = str(exc)
        raise ValueError(reason if reason.startswith("holds") else "is not valid JSON") from None
    _check_strings(parsed)
    return parsed
