"""Plain text tables for the terminal renderers, laid out by ``tabulate``."""

from __future__ import annotations

from collections.abc import Sequence

LEFT, RIGHT = "left", "right"


def text_table(
    header: Sequence[str] | None, rows: Sequence[Sequence[str]], align: Sequence[str], indent: str = ""
) -> list[str]:
    """The lines of a table with two spaces between columns, no rules, no trailing spaces.

    Cells are shown as given (already formatted and sanitised: no number parsing); ``align``
    holds "left" or "right" per column, numbers go right. The header is laid out as a row so
    that a column is only as wide as its widest cell (tabulate pads headers by two more)."""
    from tabulate import tabulate

    table = [list(header)] if header is not None else []
    table += [list(row) for row in rows]
    if not table:
        return []
    text = tabulate(table, tablefmt="plain", colalign=list(align), disable_numparse=True)
    return [indent + line.rstrip() for line in text.split("\n")]
