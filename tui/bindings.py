"""Key listings built from the widgets' own ``BINDINGS``, so help can never drift from them.

Textual merges ``BINDINGS`` along each class's MRO; we do the same walk on the public
class attributes to list the keys of a pane, the focused one first. Only our classes'
keys are listed: Textual's inherited scroll keys become the one navigation line.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import App
from textual.binding import Binding, BindingsMap
from textual.dom import DOMNode


@dataclass(frozen=True)
class KeyHelp:
    """One line of help: the key as shown to the user and what it does."""

    key: str
    description: str
    tooltip: str


@dataclass(frozen=True)
class KeySection:
    """The keys of one place in the app (a pane, or everywhere)."""

    title: str
    keys: tuple[KeyHelp, ...]
    focused: bool = False


PACKAGE = "newsbrowse."
MOVE_ACTIONS = {"cursor_down", "cursor_up", "scroll_down", "scroll_up"}
NAVIGATION = KeyHelp(
    "↑ ↓ j k",
    "Move",
    "tab / shift+tab: next / previous pane · pgup pgdn home end: page · enter: open",
)
"""What every pane shares, in one line instead of a dozen inherited scroll keys."""


def node_bindings(node: DOMNode) -> list[Binding]:
    """Bindings our classes declare for ``node``, the subclass's winning per key, in order."""
    by_key: dict[str, Binding] = {}
    for cls in type(node).__mro__:
        declared = cls.__dict__.get("BINDINGS")
        if not declared or not cls.__module__.startswith(PACKAGE):
            continue
        for key, bindings in BindingsMap(declared).key_to_bindings.items():
            by_key.setdefault(key, bindings[0])
    return list(by_key.values())


def key_help(app: App[object], bindings: list[Binding]) -> tuple[KeyHelp, ...]:
    """Describable bindings as help lines; system bindings and unnamed ones are left out."""
    lines = []
    seen: set[tuple[str, str]] = set()
    for binding in bindings:
        if binding.system or not binding.description or binding.action in MOVE_ACTIONS:
            continue
        key = app.get_key_display(binding)
        if (key, binding.action) in seen:
            continue
        seen.add((key, binding.action))
        lines.append(KeyHelp(key, binding.description, binding.tooltip))
    return tuple(lines)


def key_sections(
    app: App[object], panes: list[tuple[str, DOMNode]], everywhere: list[DOMNode]
) -> list[KeySection]:
    """The focused pane's keys first, then the keys that work everywhere, then other panes."""
    focused = app.focused
    sections = []
    for title, pane in panes:
        here = focused is not None and (focused is pane or pane in focused.ancestors)
        sections.append(KeySection(title, key_help(app, node_bindings(pane)), focused=here))
    sections.sort(key=lambda s: not s.focused)
    common = [b for node in everywhere for b in node_bindings(node)]
    everywhere_keys = (*key_help(app, common), NAVIGATION)
    sections.insert(1 if sections and sections[0].focused else 0,
                    KeySection("Everywhere", everywhere_keys))  # fmt: skip
    return sections
