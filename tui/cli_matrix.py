"""``newsbrowse matrix``: what was asked and how it was answered, demand by demand, in one
table (or JSON with ``--json``): the demanding side's statements, then the answering
side's replies by stance, each stance with its symbol and word as everywhere else.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from newsbrowse.store.labels import stance_label
from newsbrowse.store.library import Library
from newsbrowse.store.matrix import DemandMatrix, demand_matrix
from newsbrowse.tui.cli_output import console, plain, print_json, table
from newsbrowse.tui.labels import ROLE_COLOURS
from rich import box
from rich.text import Text

if TYPE_CHECKING:
    from rich.table import Table

ZERO_STYLE = "dim"


def cmd_matrix(lib: Library, args: argparse.Namespace) -> int:
    matrix = demand_matrix(lib.codebook, lib.link_counts())
    if args.json:
        print_json(matrix.to_dict())
        return 0
    console().print(matrix_table(matrix))
    return 0


def _count(n: int, style: str = "") -> Text:
    return Text(str(n), style=style if n else ZERO_STYLE)


def matrix_table(matrix: DemandMatrix) -> Table:
    """The rich table: a row per demand; the demanding side's column in its colour, the
    answering side's stances under its name."""
    demanding = ROLE_COLOURS["demanding"].terminal
    answering = ROLE_COLOURS["answering"].terminal
    shown = table(
        box=box.SIMPLE_HEAD,  # no rules between columns: eight of them fit in 80 columns
        collapse_padding=True,
        pad_edge=False,
        title=f"What {matrix.demanding_label} asked, how {matrix.answering_label} answered",
        caption=f"counts of linked sentences; the last column: every {matrix.answering_label} "
        "reply",
        caption_justify="left",
    )
    shown.add_column("demand", min_width=12)
    columns = [Text(matrix.demanding_label, style=demanding)]
    columns += [Text(stance_label(stance)) for stance in matrix.stances]
    columns.append(Text(matrix.answering_label, style=answering))
    for header in columns:  # never wrapped nor cut: a count is read against its header
        shown.add_column(header, justify="right", no_wrap=True, min_width=len(header))
    for row in matrix.rows:
        shown.add_row(
            Text.assemble(plain(row.title), "\n", (row.slug, "cyan")),
            _count(row.demanded, demanding),
            *(_count(row.replies[s]) for s in matrix.stances),
            _count(row.replied, answering),
        )
    return shown
