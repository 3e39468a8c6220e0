"""The reader's colours and marks explained, for the help screen: each drawn in the
reader's own style of the theme in use, so the legend is what the reader shows."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from newsbrowse.store.labels import (
    CORRECTED_MARK,
    DEMAND_MARK,
    NamedSide,
    side_label,
    side_role,
    stance_label,
)
from newsbrowse.store.model import STANCES
from rich.style import Style
from rich.text import Text


def colour_legend(style_of: Callable[[str], Style], sides: Iterable[NamedSide]) -> Text:
    """One line per colour or mark; ``style_of`` gives a reader component's style."""
    sides = tuple(sides)
    by_role = {side_role(s.slug, sides): side_label(s.slug, sides) for s in sides}
    stances = ", ".join(stance_label(s) for s in STANCES)
    rows: list[tuple[str, str, str]] = [
        ("“…”", "reader--demanding", f"words of {by_role.get('demanding', 'who demands')}"),
        ("“…”", "reader--answering", f"words of {by_role.get('answering', 'who answers')}"),
        ("“…”", "reader--other", "words of another side, or of a speaker nobody named"),
        ("“…”", "reader--scare", "scare quotes: quoted words that are no one's quote"),
        (" [demand]", "reader--link", f"the paragraph's sentences tied to a demand: {DEMAND_MARK} "
         f"stated, or a reply's stance ({stances})"),
        ("sentence", "reader--evidence", "the linked sentence under the cursor (} and {)"),
        ("“…”", "reader--cursor", "the quote under the cursor (] and [)"),
        ("words", "reader--search", "a search hit"),
        ("✓", "reader--selected", "a selected quote (space)"),
        (CORRECTED_MARK, "reader--note", "corrected by you (w, s, g; u undoes)"),
    ]  # fmt: skip
    legend = Text()
    for sample, component, meaning in rows:
        legend.append(f"{sample:>10}", style_of(component))
        legend.append(f"  {meaning}\n")
    return legend
