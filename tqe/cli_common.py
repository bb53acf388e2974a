"""Pieces every command shares: error reporting, output writing, stderr notes.

Kept apart from tqe.cli so that tqe.cli and tqe.cli_history can both import it without
depending on each other's import order.
"""

from __future__ import annotations

import functools
import os
import re
import sys
from pathlib import Path
from typing import Any, Callable

import click

from tqe.errors import InputError, TqeError

#: what tqe report (and tqe compare -o) can write, by extension (tqe.report.REPORT_FORMATS)
REPORT_SUFFIXES = (".html", ".htm", ".md", ".markdown", ".csv", ".xlsx")


#: C0 and C1 control characters (line ends included: a message is one line) and the bidi
#: controls that reorder what a terminal shows
_TERMINAL_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def terminal_safe(text: str) -> str:
    """``text`` with control characters and bidi overrides shown as escapes (``\\x1b``), so a
    file name or a table header cannot drive the terminal from an ``Error:`` or ``Warning:`` line."""
    return _TERMINAL_UNSAFE.sub(lambda match: ascii(match.group())[1:-1], text)


def report_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn library errors into ``Error: <one line>`` and exit code 1; every message that
    reaches the terminal from here has its control characters escaped."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except TqeError as exc:
            raise click.ClickException(terminal_safe(str(exc))) from None
        except MemoryError:
            raise click.ClickException(
                "not enough memory; give smaller inputs (split the document) or free memory"
            ) from None
        except click.ClickException as exc:
            exc.message = terminal_safe(exc.message)
            raise

    return wrapper


def output_path(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    """The ``-o`` callback: ``-`` and ``/dev/stdout`` mean standard output, as without -o."""
    from tqe.io.write import STDOUT_NAMES

    if value is not None and str(value) in STDOUT_NAMES:
        return None
    return value


#: parameters of tqe's commands that name files read as inputs
_INPUT_PARAMS = ("source", "translation", "references", "table", "glossary", "dnt", "config_path")


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(item) for item in value if item is not None]
    return [str(value)]


def _same_file(first: str, second: str) -> bool:
    try:
        if os.path.exists(first) and os.path.exists(second) and os.path.samefile(first, second):
            return True
    except OSError:
        pass
    return os.path.realpath(first) == os.path.realpath(second)


def _settings_inputs(config_path: Path | None) -> list[str]:
    """The settings files read by default, and the glossary and DNT files a settings file names."""
    from tqe.config import load_config

    found = [] if config_path is not None else [name for name in ("tqe.toml", "pyproject.toml") if os.path.isfile(name)]
    try:
        config = load_config(Path.cwd(), config_path)
    except TqeError:
        return found  # the command reports it, in its own place
    return found + [str(path) for path in (config.glossary_path, config.dnt_path) if path is not None]


def guard_paths(command: Callable[..., Any]) -> Callable[..., Any]:
    """Before a command does anything: refuse an input that exists but is not a regular file
    (a directory, a FIFO that would block, a device), an -o target tqe cannot write, and an -o
    that names one of the command's inputs (the same file, a hard link, or a path that
    resolves to it through symlinks), so that an input is never overwritten.

    Inputs are SOURCE, TRANSLATION, -r, --table, --glossary, --dnt, --config, --db (and its
    default), the settings files read by default and the glossary and DNT files they name, and
    tqe compare's A and B when they are files.
    """

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from tqe.io.text import STDIN, check_input_kind
        from tqe.io.write import output_kind

        inputs = [path for name in _INPUT_PARAMS for path in _as_list(kwargs.get(name))]
        inputs = [path for path in inputs if path != STDIN]
        for path in inputs:
            try:
                mode = os.stat(path).st_mode
            except OSError:
                continue  # missing or unreadable: the reader says so in its own words
            check_input_kind(path, mode)
        databases = []
        if "db" in kwargs:
            from tqe.store.db import DEFAULT_DB_PATH

            databases = _as_list(kwargs["db"] or DEFAULT_DB_PATH)
            for path in databases:
                try:
                    mode = os.stat(path).st_mode
                except OSError:
                    continue  # a new database is created where it is written
                check_input_kind(path, mode)
        if "config_path" in kwargs:
            inputs += _settings_inputs(kwargs["config_path"])
        inputs += [str(kwargs[name]) for name in ("a", "b") if name in kwargs and os.path.isfile(str(kwargs[name]))]
        inputs += [str(path) for path in _as_list(kwargs.get("systems")) if os.path.isfile(str(path))]
        output = kwargs.get("output")
        if output is not None:
            output = str(output)
            output_kind(output)
            for path in inputs + databases:
                if _same_file(output, path):
                    what = "also an input" if path == output else f"the input {path}"
                    raise InputError(f"-o {output} is {what}; write the output to another file")
        return command(*args, **kwargs)

    return wrapper


def write_or_print(text: str, output: Path | None) -> None:
    """Results go to stdout, or to ``output`` (atomically when it is a regular file)."""
    if output is None:
        click.echo(text, nl=False)
        return
    from tqe.io.write import write_output

    write_output(output, text)


def say_wrote(output: Path | None, quiet: bool = False, detail: str = "") -> None:
    """``Wrote FILE`` on stderr after an -o write (not for standard output, not with -q)."""
    if output is None or quiet or str(output) in ("-", "/dev/stdout"):
        return
    click.echo(terminal_safe(f"Wrote {output}" + (f" ({detail})" if detail else "")), err=True)


def default_format(output: Path | None, suffixes: dict[str, str], fallback: str = "json") -> str:
    """The format an -o extension implies; without -o, a table on a terminal, else JSON."""
    if output is not None:
        return suffixes.get(output.suffix.lower(), fallback)
    return "table" if sys.stdout.isatty() else "json"


def skip_warner(quiet: bool) -> Callable[[str, str], None]:
    """The ``on_skip`` callback: one ``Warning:`` line on stderr per metric that could not run."""

    def warn_skip(name: str, reason: str) -> None:
        if not quiet:
            click.echo(terminal_safe(f"Warning: {name} skipped: {reason}"), err=True)

    return warn_skip
