"""``tqe history`` and ``tqe compare``, plus the ``--save`` options of ``tqe score``.

The commands only adapt: they parse options, call :mod:`tqe.store.history` and
:mod:`tqe.compare`, and render with :mod:`tqe.report.history` and :mod:`tqe.report`.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from tqe.cli_common import (
    REPORT_SUFFIXES,
    default_format,
    report_errors,
    skip_warner,
    write_or_print,
)
from tqe.cli_waive import waive_runs, waivers_option, with_waivers
from tqe.numbers import finite_or_none
from tqe.report.history import (
    history_csv,
    history_html,
    history_json,
    history_table,
)

if TYPE_CHECKING:
    pass

REGRESSION_EXIT_CODE = 3
"""Exit status of ``tqe compare --fail-on-regression`` when revision B regresses."""

COMPARE_SUFFIXES = REPORT_SUFFIXES + (".json",)
"""What ``tqe compare -o`` writes: a report (as tqe report) or the JSON record."""


def _compare_output(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    """Refuse an -o extension compare cannot write, before any scoring."""
    if value is not None and value.suffix.lower() not in COMPARE_SUFFIXES:
        allowed = ", ".join(COMPARE_SUFFIXES)
        raise click.BadParameter(f"{value.name!r} has an unknown extension; use one of {allowed}", ctx, param)
    return value


class RegressionFound(click.ClickException):
    """Revision B regresses A: exit status 3, one ``Regression:`` line per reason on stderr."""

    exit_code = REGRESSION_EXIT_CODE

    def __init__(self, reasons: Sequence[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = list(reasons)

    def show(self, file: Any = None) -> None:
        for reason in self.reasons:
            click.echo(f"Regression: {reason}", err=True)


def db_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--db PATH``: the history database (default .tqe/history.db in the working directory)."""
    return click.option(
        "--db", "db", type=click.Path(dir_okay=False, path_type=Path), default=None,
        help="History database file. Default: .tqe/history.db in the working directory.",
    )(command)


def save_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--save`` and ``--revision LABEL`` for ``tqe score`` (whose ``--db`` names the database)."""
    command = click.option(
        "--revision", default=None,
        help="Label of the saved run. Default: the translation file's git commit when it is "
             "committed unchanged, else the current time. A label already used for the same "
             "document is saved again with a warning; tqe compare then needs #ID for those runs.",
    )(command)
    return click.option("--save", is_flag=True, help="Record the run in the history database (see tqe history).")(command)


def save_if_asked(
    result: Any,
    *,
    save: bool,
    db: Path | None,
    revision: str | None,
    source: str | None,
    translation: str | None,
    references: Sequence[str],
    table: str | None,
    quiet: bool = False,
) -> None:
    """Save ``result`` as a run when ``--save`` was given; say so on stderr."""
    if not save:
        if revision is not None:
            raise click.UsageError("--revision needs --save")
        return
    from tqe.store.history import save_run

    info = save_run(
        db, result,
        source_path=table or source,
        translation_path=table or translation,
        reference_paths=list(references),
        revision=revision,
    )
    if not quiet:
        if info.same_revision:
            ids = ", ".join(f"#{run_id}" for run_id in info.same_revision)
            click.echo(
                f"Warning: revision {info.revision!r} already labels run(s) {ids} of {info.document_name}; "
                f"tqe compare will need #{info.id} to name this run",
                err=True,
            )
        click.echo(f"Saved run #{info.id} (revision {info.revision}).", err=True)


# --- history -------------------------------------------------------------------------------


HISTORY_SUFFIXES = {".json": "json", ".csv": "csv", ".html": "html", ".htm": "html", ".txt": "table"}


@click.command("history")
@click.argument("document", required=False)
@db_option
@click.option("-f", "--format", "fmt", type=click.Choice(["table", "json", "csv", "html"]),
              help="Output format. Default: table on a terminal, else JSON (or from the -o extension).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file; FILE.html gives a page with a trend chart per metric.")
@report_errors
def history(document, db, fmt, output) -> None:
    """List saved runs, oldest first, with document scores and the change from the previous run.

    A change is from the latest earlier run of the same document that tqe compare would
    accept: the same references and the same metric signature; else it is left empty.

    DOCUMENT keeps the runs of one document: its source file name or path, or the start of
    its document id (6+ characters).

    Example: tqe history source.en.txt -o history.html
    """
    from tqe.store.db import DEFAULT_DB_PATH
    from tqe.store.history import list_runs

    if output is not None and fmt is None and output.suffix.lower() not in HISTORY_SUFFIXES:
        raise click.BadParameter(
            f"{output.name}: name the file {', '.join(HISTORY_SUFFIXES)}, or give -f/--format",
            param_hint="-o/--output",
        )
    runs = list_runs(db, document)
    if runs.empty:
        click.echo(f"Note: no runs in {db or DEFAULT_DB_PATH} yet; save one with tqe score --save", err=True)
    fmt = fmt or default_format(output, HISTORY_SUFFIXES)
    render = {"table": history_table, "json": history_json, "csv": history_csv, "html": history_html}[fmt]
    write_or_print(render(runs), output)


# --- compare -------------------------------------------------------------------------------


def comparison_record(comparison: Any, reasons: Sequence[str] | None = None) -> dict[str, Any]:
    """The comparison as JSON-ready data: metrics with significance, segment changes, gate."""
    metrics = {}
    for name, result in comparison.metrics.items():
        sig = result.significance
        metrics[name] = {
            "score_a": result.score_a,
            "score_b": result.score_b,
            "delta": result.delta,
            "verdict": result.verdict,
            "signature": result.signature,
            "significance": None if sig is None else {
                "test": sig.test,
                "p_value": result.p_value,
                "p_value_sacrebleu": sig.p_value,
                "p_bootstrap": sig.p_bootstrap,
                "p_randomization": sig.p_randomization,
                "ci95": [sig.ci_low, sig.ci_high],
                "segments": sig.segments,
                "bootstrap_samples": sig.bootstrap_samples,
                "randomization_trials": sig.randomization_trials,
                "seed": sig.seed,
            },
            **({"not_tested": result.not_tested_reason} if sig is None else {}),
        }
    names = list(comparison.metrics)
    segments = []
    for row in comparison.segments.to_dict("records"):
        if row["status"] == "unchanged" and not (row["new_flags"] or row["resolved_flags"]):
            continue
        segments.append({
            "status": row["status"],
            "id_a": row["id_a"],
            "id_b": row["id_b"],
            "source": row["source"],
            "translation_a": row["translation_a"],
            "translation_b": row["translation_b"],
            "scores_a": {n: finite_or_none(row[f"{n}_a"]) for n in names},
            "scores_b": {n: finite_or_none(row[f"{n}_b"]) for n in names},
            "deltas": {n: finite_or_none(row[f"{n}_delta"]) for n in names},
            "new_flags": row["new_flags"],
            "resolved_flags": row["resolved_flags"],
        })
    record: dict[str, Any] = {
        "a": comparison.label_a,
        "b": comparison.label_b,
        "metrics": metrics,
        "counts": comparison.counts,
        "segments": segments,
        "notes": list(comparison.notes),
    }
    if reasons is not None:
        record["regressions"] = list(reasons)
    return record


def _is_file(value: str) -> bool:
    return Path(value).is_file()


@click.command("compare")
@click.argument("a")
@click.argument("b")
@click.option("--source", type=click.Path(exists=True, dir_okay=False, path_type=str),
              help="With two translation files: their source file.")
@click.option("-r", "--reference", "references", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=str),
              help="With two translation files: a reference translation; repeat for several.")
@click.option("--segmentation", type=click.Choice(["sentences", "lines"]), default="sentences", show_default=True,
              help="With two translation files: 'sentences' splits and aligns each line; 'lines' keeps lines.")
@db_option
@click.option("--document", default=None,
              help="With run references: look for runs of this document only (source file name or path, or document id).")
@click.option("-m", "--metric", "metrics", multiple=True,
              help="Metric to compare (repeat or comma-separate). Default: every metric both revisions have.")
@click.option("--test", "test", type=click.Choice(["bs", "ar"]), default="bs", show_default=True,
              help="p-value behind the verdict: bs = paired bootstrap, ar = approximate randomization.")
@click.option("-f", "--format", "fmt", type=click.Choice(["table", "json"]),
              help="Output format. Default: table on a terminal, else JSON.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), callback=_compare_output,
              help="Write a report file: .html, .md, .csv, .xlsx (as tqe report) or .json.")
@click.option("--all", "show_all", is_flag=True, help="List unchanged segments too.")
@click.option("--fail-on-regression", is_flag=True,
              help="Exit with status 3 when B regresses: a significant corpus drop, or a segment over --max-segment-drop.")
@click.option("--max-segment-drop", type=click.FloatRange(min=0), default=None, metavar="POINTS",
              help="With --fail-on-regression: also fail when a changed segment loses more than POINTS "
                   "on any metric (BLEU/chrF/TER points; COMET in hundredths).")
@click.option("--significance/--no-significance", default=True, show_default=True,
              help="With --fail-on-regression: count a corpus drop only when significant (p < 0.05), or any drop.")
@click.option("--new-flags", "new_flag_severity", type=click.Choice(["critical", "major", "minor"]), default=None,
              help="With --fail-on-regression: also fail on any new flag of this severity or worse.")
@click.option("-q", "--quiet", is_flag=True, help="No warnings on stderr.")
@waivers_option
@report_errors
def compare(a, b, source, references, segmentation, db, document, metrics, test, fmt, output, show_all,
            fail_on_regression, max_segment_drop, significance, new_flag_severity, quiet) -> None:
    """Compare revision B with revision A: corpus deltas with paired significance, then the
    segments that regressed, improved, were added, removed or moved (matched by source text).

    A and B are two saved runs (run id, revision label, latest or previous; see tqe history)
    or two translation files of the same source, given with --source and the same -r
    references.

    Exit status: 0 done; 1 an input, history or comparison error (an Error: line, e.g.
    different metric signatures); 2 bad options; 3 with --fail-on-regression, B regresses
    (one Regression: line per reason on stderr).

    Example: tqe compare previous latest --fail-on-regression --max-segment-drop 20
    """
    from tqe.compare import comparison_report, regressions

    if not fail_on_regression and (max_segment_drop is not None or not significance or new_flag_severity):
        raise click.UsageError("--max-segment-drop, --no-significance and --new-flags need --fail-on-regression")
    files = _is_file(a) and _is_file(b)
    if files:
        if not source:
            raise click.UsageError("comparing two translation files needs --source FILE (and the same -r references)")
        comparison = _compare_files(source, a, b, references, segmentation, metrics, test, quiet)
    else:
        if source or references:
            missing = next(name for name in (a, b) if not _is_file(name))
            raise click.UsageError(f"--source and -r compare two translation files, and {missing!r} is not a file")
        comparison = _compare_runs(db, a, b, document, metrics, test)

    reasons = None
    if fail_on_regression:
        found = regressions(comparison, max_segment_drop=max_segment_drop, require_significant=significance,
                            new_flag_severity=new_flag_severity)
        reasons = [item.message for item in found]

    if output is not None and output.suffix.lower() in REPORT_SUFFIXES:
        from tqe.report import write_report

        write_report(comparison_report(comparison, show_all=show_all), output)
    else:
        fmt = "json" if output is not None else fmt or default_format(None, {})
        if fmt == "json":
            text = json.dumps(comparison_record(comparison, reasons), ensure_ascii=False, indent=2) + "\n"
        else:
            from tqe.report import render_terminal

            color = output is None and sys.stdout.isatty()
            text = render_terminal(comparison_report(comparison, show_all=show_all), color=color)
        write_or_print(text, output)
    if reasons:
        raise RegressionFound(reasons)


def _compare_runs(db: Path | None, a: str, b: str, document: str | None, metrics: Sequence[str], test: str) -> Any:
    from tqe.compare import compare_runs
    from tqe.store.history import load_run

    run_a, run_b = waive_runs([load_run(db, a, document), load_run(db, b, document)])
    return compare_runs(run_a, run_b, metrics=list(metrics) or None, test=test)


def _compare_files(source: str, a: str, b: str, references: Sequence[str], segmentation: str,
                   metrics: Sequence[str], test: str, quiet: bool) -> Any:
    from tqe.compare import compare_files
    from tqe.config import load_config

    return compare_files(source, a, b, list(references), metrics=list(metrics) or None,
                         segmentation=segmentation, flag_config=with_waivers(load_config(Path.cwd())),
                         on_skip=skip_warner(quiet), test=test)
