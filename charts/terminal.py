"""Plain-text tables for the terminal: rich lays them out, so columns line up even with Chinese
text (two cells per character), and renders them without colours or escape codes.

The leading label columns are left-aligned, the figures right-aligned, one space of padding on each side.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from rich.console import Console
from rich.table import Table
from rich.text import Text

# Wide enough that rich never shrinks or wraps a column: the table is as wide as its content.
TABLE_MAX_WIDTH = 10_000


def render_plain_table(columns: Sequence[str], rows: Sequence[Sequence[str]], *, labels: int = 1) -> str:
    """The table as text lines (no trailing newline); the first `labels` columns are left-aligned."""
    table = Table(box=None, pad_edge=False, padding=(0, 1), header_style=None)
    for index, name in enumerate(columns):
        table.add_column(name, justify="left" if index < labels else "right", no_wrap=True)
    for row in rows:
        # Text, not str: rich markup in a city or skill name ("[C++]") must print as written.
        table.add_row(*(Text(cell) for cell in row))
    # A console of its own renders to text: no colours, no terminal, whatever stdout is.
    console = Console(file=io.StringIO(), width=TABLE_MAX_WIDTH, color_system=None, force_terminal=False)
    with console.capture() as capture:
        console.print(table)
    return capture.get().rstrip("\n")
