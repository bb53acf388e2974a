"""Command-line interface: parse options, call the library, render, turn errors into one line."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

import click

from tqe import __version__
from tqe.cli_common import (
    REPORT_SUFFIXES,
    default_format,
    guard_paths,
    output_path,
    report_errors,
    say_wrote,
    skip_warner,
    write_or_print,
)
from tqe.cli_history import check_save_options, compare, history, save_if_asked, save_options, warning_line
from tqe.cli_history import SaveSettings
from tqe.cli_progress import stderr_progress, writing
from tqe.cli_ray import ray_options
from tqe.cli_run import OUTPUT_SUFFIX_FORMATS, bilingual_input, check_inputs, run_config
from tqe.cli_waive import waive, waivers_option

if TYPE_CHECKING:
    from tqe.config import RunConfig
    from tqe.pipeline import ScoreResult

def input_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """SOURCE TRANSLATION [-r REF]... and the reading options shared by commands."""
    decorators = [
        click.argument("source", required=False, type=click.Path(allow_dash=True, path_type=str)),
        click.argument("translation", required=False, type=click.Path(allow_dash=True, path_type=str)),
        click.option("-r", "--reference", "references", multiple=True, type=click.Path(path_type=str),
                     help="Reference translation file; repeat for several references."),
        click.option("--table", type=click.Path(path_type=str),
                     help="Read segments from one .tsv/.csv/.jsonl file with source, translation and optional reference columns."),
        click.option("--segmentation", type=click.Choice(["sentences", "lines"]), default="sentences", show_default=True,
                     help="'sentences' splits and aligns each line; 'lines' keeps lines as segments."),
    ]
    for decorator in reversed(decorators):
        command = decorator(command)
    return command


def metric_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """-m/--metric and the COMET settings shared by score, report and compare."""
    decorators = [
        click.option("-m", "--metric", "metrics", multiple=True,
                     help="Metric: bleu, chrf, chrf++, ter, comet (repeat or comma-separate). "
                          "Default: bleu, chrf and comet, each when it can run."),
        click.option("--comet-model", default=None, metavar="NAME_OR_PATH",
                     help="COMET model: Hugging Face name, model folder or .ckpt file. Default: "
                          "Unbabel/wmt22-comet-da with a reference, Unbabel/wmt20-comet-qe-da without."),
        click.option("--batch-size", type=click.IntRange(min=1), default=16, show_default=True, help="COMET batch size."),
        click.option("--gpus", type=click.IntRange(min=0), default=None, help="GPUs for COMET (0 = CPU). Default: a GPU if torch sees one."),
        click.option("--no-cache", is_flag=True, help="Do not read or write the COMET score cache."),
        click.option("--db", type=click.Path(path_type=Path), default=None,
                     help="SQLite file for the COMET cache and run history. Default: .tqe/history.db."),
        click.option("-v", "--verbose", is_flag=True, help="Show COMET's own (Lightning, transformers) output."),
    ]
    for decorator in reversed(decorators):
        command = decorator(command)
    return command


def flag_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Settings file and glossary options for the flag stage."""
    decorators = [
        click.option("--config", "config_path", type=click.Path(path_type=Path), default=None,
                     help="Settings file (TOML). Default: ./tqe.toml, else [tool.tqe] in ./pyproject.toml."),
        click.option("--glossary", type=click.Path(path_type=Path), default=None,
                     help="CSV/TSV of English term -> required French term (overrides the settings file)."),
        click.option("--dnt", type=click.Path(path_type=Path), default=None,
                     help="Do-not-translate terms, one per line (overrides the settings file)."),
        click.option("--flag-below", "flag_below", multiple=True, metavar="METRIC=SCORE", callback=_metric_values,
                     help="Flag segments scoring below SCORE on METRIC, e.g. chrf=50 or comet=0.7 (repeatable; "
                          "for ter: above)."),
        click.option("--disable-check", "disabled", multiple=True, metavar="CHECK",
                     help="Turn a check off, e.g. typography, or 'scores' for every score flag (repeatable)."),
        waivers_option,
    ]
    for decorator in reversed(decorators):
        command = decorator(command)
    return command


def _metric_values(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> dict[str, float]:
    """Parse repeated METRIC=NUMBER options."""
    import math

    from tqe.metrics import METRICS

    parsed = {}
    for value in values:
        metric, sep, number = value.partition("=")
        metric = metric.strip().lower()
        try:
            limit = float(number)
        except ValueError:
            sep = ""
        if not sep or not metric or not math.isfinite(limit):
            raise click.BadParameter(f"{value!r} is not METRIC=NUMBER (e.g. chrf=50)")
        if metric not in METRICS:
            raise click.BadParameter(f"unknown metric {metric!r} in {value!r}; choose from {', '.join(METRICS)}")
        parsed[metric] = limit
    return parsed


def _run(config: RunConfig, quiet: bool) -> ScoreResult:
    """Read, align, score and flag as ``config`` says; progress and warnings go to stderr."""
    from tqe.pipeline import run

    return run(config, progress=stderr_progress(quiet), on_skip=skip_warner(quiet), on_warning=warning_line(quiet))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="tqe")
def cli() -> None:
    """Translation quality evaluation: align, score, flag and report English–French translations."""


@cli.command()
@input_options
@metric_options
@flag_options
@click.option("-f", "--format", "fmt", type=click.Choice(["table", "json", "jsonl", "csv", "tsv"]),
              help="Output format. Default: table on a terminal, else JSON (or from the -o extension).")
@click.option("-o", "--output", type=click.Path(path_type=Path), callback=output_path,
              help="Write to this file (atomically) instead of stdout; - is stdout.")
@click.option("-q", "--quiet", is_flag=True, help="No progress display and no warnings on stderr.")
@click.option("--no-flags", is_flag=True, help="Scores only: skip the QA checks and score thresholds.")
@save_options
@report_errors
@guard_paths
@ray_options
def score(**options: Any) -> None:
    """Align a translation with its source, score every segment and the document, flag problems.

    Example: tqe score source.en.txt translation.fr.txt -r reference.fr.txt -f json
    """
    from tqe.output import render

    saving = SaveSettings(save=options["save"], db=options["db"], revision=options["revision"], force=options["force"],
                          quiet=options["quiet"])
    check_save_options(saving.save, saving.revision, saving.force)
    output, fmt = options["output"], options["fmt"]
    if output is not None and fmt is None and output.suffix.lower() not in OUTPUT_SUFFIX_FORMATS:
        raise click.BadParameter(
            f"{output.name}: name the file .json, .jsonl, .csv, .tsv or .txt, or give -f/--format",
            param_hint="-o/--output",
        )
    result = _run(run_config(options, flags=not options["no_flags"]), options["quiet"])
    fmt = fmt or default_format(output, OUTPUT_SUFFIX_FORMATS)
    progress = stderr_progress(options["quiet"]) if output is not None else None
    # the run is saved only once the output is written: a failed write saves nothing
    save_if_asked(result, saving, write=lambda: writing(progress, lambda: write_or_print(render(result, fmt), output)))
    say_wrote(output, options["quiet"])


@cli.command()
@input_options
@metric_options
@flag_options
@click.option("-o", "--output", type=click.Path(path_type=Path), callback=output_path,
              help="Report file: .html, .md, .xlsx or .csv (by extension); or, for an XLIFF or PO input, a "
                   ".xlf/.po copy with each flag as a note. Default: coloured text on stdout.")
@click.option("--mark-state", is_flag=True,
              help="With an XLIFF/PO copy: also mark flagged segments for review (needs-review-translation, fuzzy).")
@click.option("--all", "show_all", is_flag=True, help="Show unflagged segments too.")
@click.option("--title", default=None, help="Report title. Default: the translation file name.")
@click.option("-q", "--quiet", is_flag=True, help="No progress display and no warnings on stderr.")
@report_errors
@guard_paths
def report(**options: Any) -> None:
    """Write a diff-style QA report of the flagged segments, with reasons and scores.

    Example: tqe report source.en.txt translation.fr.txt -r reference.fr.txt -o reports/review.html
    """
    from tqe.io.writeback import writes_back
    from tqe.report import build_report, render_terminal, write_report

    output, mark_state, quiet = options["output"], options["mark_state"], options["quiet"]
    table = bilingual_input(options["source"], options["translation"], options["table"])[2]
    back = output is not None and writes_back(output)
    if output is not None and not back and output.suffix.lower() not in REPORT_SUFFIXES:
        raise click.BadParameter(f"{output.name}: name the report .html, .md, .xlsx or .csv (or .xlf/.po for an "
                                 "XLIFF/PO input)", param_hint="-o/--output")
    if back and not table:
        raise click.BadParameter(f"{output.name}: flags are written back only into an XLIFF or PO input",
                                 param_hint="-o/--output")
    if mark_state and not back:
        raise click.UsageError("--mark-state needs -o FILE.xlf or FILE.po")
    if output is not None and output.suffix.lower() == ".xlsx":
        from tqe.report.sheet import require_xlsx

        require_xlsx()  # before any work, not after it
    result = _run(run_config(options), quiet)
    model = build_report(result, title=options["title"], show_all=options["show_all"])
    if output is None:
        import shutil

        click.echo(render_terminal(model, color=sys.stdout.isatty(), width=shutil.get_terminal_size().columns), nl=False)
        return
    if back:
        from tqe.io.write import atomic_write
        from tqe.io.writeback import write_back

        atomic_write(output, write_back(result.config.table, result.segments, mark_state=mark_state))
    else:
        write_report(model, output, progress=stderr_progress(quiet))
    waived = f", {model.waived_count} flags waived" if model.waived_count else ""
    say_wrote(output, quiet, f"{model.flagged_count} of {model.segment_count} segments flagged{waived}")


@cli.command()
@input_options
@click.option("-o", "--output", type=click.Path(path_type=Path), callback=output_path, help="Write the TSV to this file.")
@report_errors
@guard_paths
def align(source, translation, references, table, segmentation, output) -> None:
    """Print the aligned segments as TSV: id, paragraph, link, source, translation, references.

    Example: tqe align source.en.txt translation.fr.txt
    """
    source, translation, table = bilingual_input(source, translation, table)
    check_inputs(source, translation, table)
    from tqe.document import load_segments, load_table_segments
    from tqe.output import segments_tsv

    segments = load_table_segments(table) if table else load_segments(
        source, translation, references, segmentation=segmentation, progress=stderr_progress(False)
    )
    write_or_print(segments_tsv(segments), output)
    say_wrote(output)


cli.add_command(history)
cli.add_command(compare)
cli.add_command(waive)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="tqe")
