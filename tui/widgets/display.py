"""Article-derived strings as the screen shows them: no control characters.

Stores written before imports stripped control characters may still hold them, and an
escape sequence in a title must not act on the terminal. Each widget passes its article
strings through here where it builds its ``Text``.
"""

from __future__ import annotations

from newsbrowse.store.text import strip_controls

REPLACEMENT = "\ufffd"


def display_text(text: str) -> str:
    """A title, name or excerpt without terminal-active characters (it may get shorter)."""
    return strip_controls(text)


def display_body(text: str) -> str:
    """Like :func:`display_text`, but of the same length, so that stored offsets still fit.

    Each character :func:`strip_controls` would drop or change becomes U+FFFD.
    """
    if strip_controls(text) == text:
        return text
    return "".join(c if strip_controls(c) == c else REPLACEMENT for c in text)
