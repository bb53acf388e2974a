"""Command-line interface: parse options, call the library, render, turn errors into one line."""

from __future__ import annotations

import functools
import sys
from pathlib import Path
from typing import Any, Callable

import click

from tqe import __version__
from tqe.errors import TqeError

OUTPUT_SUFFIX_FORMATS = {".json": "json", ".jsonl": "jsonl", ".csv": "csv", ".tsv": "tsv", ".txt": "table"}


def report_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn library errors into ``Error: <one line>`` and exit code 1."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except TqeError as exc:
            raise click.ClickException(str(exc)) from None

    return wrapper


def _stderr_progress(quiet: bool) -> Callable[[str, int, int], None] | None:
    """A one-line progress display on stderr, only on a terminal."""
    if quiet or not sys.stderr.isatty():
        return None

    def show(stage: str, done: int, total: int) -> None:
        width = 30
        filled = int(width * done / total) if total else width
        end = "\n" if done >= total else ""
        click.echo(f"\r{stage:<8} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}", err=True, nl=False)
        if end:
            click.echo("", err=True)

    return show


def _write_or_print(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text, nl=False)
        return
    from tqe.io.write import atomic_write

    atomic_write(output, text)


def input_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """SOURCE TRANSLATION [-r REF]... and the reading options shared by commands."""
    decorators = [
        click.argument("source", required=False, type=click.Path(dir_okay=False, allow_dash=True, path_type=str)),
        click.argument("translation", required=False, type=click.Path(dir_okay=False, allow_dash=True, path_type=str)),
        click.option("-r", "--reference", "references", multiple=True, type=click.Path(dir_okay=False, path_type=str),
                     help="Reference translation file; repeat for several references."),
        click.option("--table", type=click.Path(dir_okay=False, path_type=str),
                     help="Read segments from one .tsv/.csv/.jsonl file with source, translation and optional reference columns."),
        click.option("--segmentation", type=click.Choice(["sentences", "lines"]), default="sentences", show_default=True,
                     help="'sentences' splits and aligns each line; 'lines' keeps lines as segments."),
    ]
    for decorator in reversed(decorators):
        command = decorator(command)
    return command


def _check_inputs(source: str | None, translation: str | None, table: str | None) -> None:
    if table and (source or translation):
        raise click.UsageError("give either SOURCE TRANSLATION or --table FILE, not both")
    if not table and not (source and translation):
        raise click.UsageError("give SOURCE and TRANSLATION files (or --table FILE)")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="tqe")
def cli() -> None:
    """Translation quality evaluation: align, score, flag and report English–French translations."""


@cli.command()
@input_options
@click.option("-m", "--metric", "metrics", multiple=True,
              help="Metric to compute: bleu, chrf, chrf++, ter, comet (repeat or comma-separate). Default: bleu, chrf, comet when available.")
@click.option("-f", "--format", "fmt", type=click.Choice(["table", "json", "jsonl", "csv", "tsv"]),
              help="Output format. Default: table on a terminal, else JSON (or from the -o extension).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to this file (atomically) instead of stdout.")
@click.option("-q", "--quiet", is_flag=True, help="No progress display and no warnings on stderr.")
@report_errors
def score(source, translation, references, table, segmentation, metrics, fmt, output, quiet) -> None:
    """Align a translation with its source and score every segment and the document.

    Example: tqe score source.en.txt translation.fr.txt -r reference.fr.txt -f json
    """
    _check_inputs(source, translation, table)
    from tqe.output import render
    from tqe.pipeline import score as run_score

    def warn_skip(name: str, reason: str) -> None:
        if not quiet:
            click.echo(f"Warning: {name} skipped: {reason}", err=True)

    result = run_score(
        source, translation, references, table=table, metrics=metrics, segmentation=segmentation,
        progress=_stderr_progress(quiet), on_skip=warn_skip,
    )
    if fmt is None:
        if output is not None:
            fmt = OUTPUT_SUFFIX_FORMATS.get(output.suffix.lower(), "json")
        else:
            fmt = "table" if sys.stdout.isatty() else "json"
    _write_or_print(render(result, fmt), output)


@cli.command()
@input_options
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the TSV to this file.")
@report_errors
def align(source, translation, references, table, segmentation, output) -> None:
    """Print the aligned segments as TSV: paragraph, link, source, translation, references.

    Example: tqe align source.en.txt translation.fr.txt
    """
    _check_inputs(source, translation, table)
    from tqe.document import load_segments, load_table_segments
    from tqe.output import segments_tsv

    segments = load_table_segments(table) if table else load_segments(source, translation, references, segmentation=segmentation)
    _write_or_print(segments_tsv(segments), output)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="tqe")
