"""Rich tables as the plain or coloured text of the terminal reports.

Both terminal renderers (conformance and pilot) print at one width, with no
trailing spaces and colour only when asked for, so their golden files pin bytes.
"""

from __future__ import annotations

import io

from rich.console import Console
from rich.table import Table

WIDTH = 120


def table_text(table: Table, color: bool) -> str:
    """A rich table as text at the report width; plain unless `color`, no trailing spaces."""
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=WIDTH,
        color_system="standard" if color else None,
        force_terminal=color,
        highlight=False,
        emoji=False,
        legacy_windows=False,
    )
    console.print(table)
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines())
