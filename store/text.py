"""Text hygiene shared by import and display: decoding files and removing control characters."""

from __future__ import annotations

import re

# C0 controls but tab and newline, DEL, C1 controls, and the bidi embedding, override and
# isolate characters (the "Trojan Source" trick): none belongs in an article, and each can
# act on a terminal.
_CONTROL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
_SURROGATE = re.compile("[\ud800-\udfff]")


def strip_controls(text: str) -> str:
    """Remove terminal-active and bidi control characters; keep tab and newline."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _SURROGATE.sub("\ufffd", text)
    return _CONTROL.sub("", text)


def decode_bytes(data: bytes) -> str:
    """Decode a text file: UTF-8 (with or without BOM) or UTF-16 with BOM.

    Raises ValueError with a short reason for anything else.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8-sig"
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    else:
        if b"\x00" in data[:8192]:
            raise ValueError("binary file, not text")
        encoding = "utf-8"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise ValueError(
            f"not valid {encoding.upper().replace('-SIG', '')} text; "
            "convert it to UTF-8 (for example with iconv) and import it again"
        ) from None
