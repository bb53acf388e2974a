"""Pieces every command shares: error reporting, output writing, stderr notes.

Kept apart from tqe.cli so that tqe.cli and tqe.cli_history can both import it without
depending on each other's import order.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path
from typing import Any, Callable

import click

from tqe.errors import TqeError

#: what tqe report (and tqe compare -o) can write, by extension (tqe.report.REPORT_FORMATS)
REPORT_SUFFIXES = (".html", ".htm", ".md", ".markdown", ".csv", ".xlsx")


def report_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn library errors into ``Error: <one line>`` and exit code 1."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except TqeError as exc:
            raise click.ClickException(str(exc)) from None

    return wrapper


def write_or_print(text: str, output: Path | None) -> None:
    """Results go to stdout, or atomically to ``output``."""
    if output is None:
        click.echo(text, nl=False)
        return
    from tqe.io.write import atomic_write

    atomic_write(output, text)


def default_format(output: Path | None, suffixes: dict[str, str], fallback: str = "json") -> str:
    """The format an -o extension implies; without -o, a table on a terminal, else JSON."""
    if output is not None:
        return suffixes.get(output.suffix.lower(), fallback)
    return "table" if sys.stdout.isatty() else "json"


def skip_warner(quiet: bool) -> Callable[[str, str], None]:
    """The ``on_skip`` callback: one ``Warning:`` line on stderr per metric that could not run."""

    def warn_skip(name: str, reason: str) -> None:
        if not quiet:
            click.echo(f"Warning: {name} skipped: {reason}", err=True)

    return warn_skip
