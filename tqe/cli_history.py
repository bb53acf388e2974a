"""``tqe history`` and ``tqe compare``, plus the ``--save`` options of ``tqe score``.

The commands only adapt: they parse options, score files (:mod:`tqe.pipeline`), call
:mod:`tqe.store.history` and :mod:`tqe.compare`, and render with :mod:`tqe.report.history`,
:mod:`tqe.report.comparison` and :mod:`tqe.report`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from tqe.cli_common import (
    REPORT_SUFFIXES,
    default_format,
    guard_paths,
    say_wrote,
    output_path,
    report_errors,
    skip_warner,
    terminal_safe,
    write_or_print,
)
from tqe.cli_progress import Progress, stderr_progress, writing
from tqe.cli_waive import waive_runs, waivers_option, with_waivers

if TYPE_CHECKING:
    from tqe.compare import Comparison, FileScorer, GateOptions
    from tqe.significance import SignificanceOptions

REGRESSION_EXIT_CODE = 3
"""Exit status of ``tqe compare --fail-on-regression`` when revision B regresses."""

COMPARE_SUFFIXES = REPORT_SUFFIXES + (".json",)
"""What ``tqe compare -o`` writes: a report (as tqe report) or the JSON record."""


def _compare_output(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    """Refuse an -o extension compare cannot write, before any scoring; - is stdout."""
    value = output_path(ctx, param, value)
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
            click.echo(terminal_safe(f"Regression: {reason}"), err=True)


def db_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--db PATH``: the history database (default .tqe/history.db in the working directory)."""
    return click.option(
        "--db", "db", type=click.Path(path_type=Path), default=None,
        help="History database file. Default: .tqe/history.db in the working directory.",
    )(command)


def warning_line(quiet: bool) -> Callable[[str], None]:
    """A callback that writes one ``Warning:`` line on stderr (nothing with ``--quiet``)."""

    def warn(message: str) -> None:
        if not quiet:
            click.echo(f"Warning: {message}", err=True)

    return warn


def save_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--save``, ``--revision LABEL`` and ``--force`` for ``tqe score`` (whose ``--db`` names
    the database)."""
    command = click.option(
        "--force", is_flag=True,
        help="With --save: replace the run(s) of this document that already carry the --revision label.",
    )(command)
    command = click.option(
        "--revision", default=None,
        help="Label of the saved run, unique per document (--force replaces a run that has it). "
             "Default: the translation file's git commit when it is committed unchanged, else "
             "the current time. latest, previous, #N and plain numbers are refused: tqe compare "
             "would read them as run references.",
    )(command)
    return click.option("--save", is_flag=True, help="Record the run in the history database (see tqe history), "
                                                      "after the output is written.")(command)


def check_save_options(save: bool, revision: str | None, force: bool) -> None:
    """Refuse --revision/--force without --save and a reserved label, before any work."""
    if not save:
        if revision is not None:
            raise click.UsageError("--revision needs --save")
        if force:
            raise click.UsageError("--force needs --save")
        return
    if revision is not None:
        from tqe.store.history import check_revision_label

        check_revision_label(revision)


@dataclass(frozen=True)
class SaveSettings:
    """What ``--save``, ``--revision``, ``--force``, ``--db`` and ``-q`` ask of ``tqe score``."""

    save: bool = False
    db: Path | None = None
    revision: str | None = None
    force: bool = False
    quiet: bool = False


def save_if_asked(result: Any, settings: SaveSettings, write: Callable[[], None] | None = None) -> None:
    """Save ``result`` as a run when ``--save`` was given; say so on stderr. The run's files
    are the ones its :class:`tqe.config.RunConfig` read.

    ``write`` writes the command's output. It runs first, and the run is saved only once it
    succeeded, so a failed write saves nothing and running the command again saves one run. A
    label already used for the document is refused before ``write`` (unless ``force``).
    """
    save, db, revision, force, quiet = settings.save, settings.db, settings.revision, settings.force, settings.quiet
    check_save_options(save, revision, force)
    if not save:
        if write is not None:
            write()
        return
    from tqe import __version__
    from tqe.store.history import plan_save, save_run

    config = result.config  # a table (or an XLIFF/TMX/PO file) is both source and translation
    paths = {
        "source_path": (config.table or config.source) if config else None,
        "translation_path": (config.table or config.translation) if config else None,
        "reference_paths": list(config.references) if config else [],
    }
    plan_save(db, result, revision=revision, force=force, **paths)
    if write is not None:
        write()
    info = save_run(db, result, revision=revision, force=force, tqe_version=__version__, **paths)
    if not quiet:
        if info.replaced:
            ids = ", ".join(f"#{run_id}" for run_id in info.replaced)
            click.echo(terminal_safe(f"Replaced run(s) {ids} of {info.document_name} (revision {info.revision})."),
                       err=True)
        click.echo(terminal_safe(f"Saved run #{info.id} (revision {info.revision})."), err=True)


# --- history -------------------------------------------------------------------------------


HISTORY_SUFFIXES = {".json": "json", ".csv": "csv", ".html": "html", ".htm": "html", ".txt": "table"}


@click.command("history")
@click.argument("document", required=False)
@db_option
@click.option("-f", "--format", "fmt", type=click.Choice(["table", "json", "csv", "html"]),
              help="Output format. Default: table on a terminal, else JSON (or from the -o extension).")
@click.option("-o", "--output", type=click.Path(path_type=Path), callback=output_path,
              help="Write to this file; FILE.html gives a page with a trend chart per metric.")
@click.option("--significance", is_flag=True,
              help="Test whether each change from the previous run is significant (paired bootstrap; "
                   "loads every run, so it takes a few seconds per run).")
@report_errors
@guard_paths
def history(document, db, fmt, output, significance) -> None:
    """List saved runs, oldest first, with document scores and the change from the previous run.

    A change is from the latest earlier run of the same document that tqe compare would
    accept: the same references and the same metric signature; else it is left empty.

    DOCUMENT keeps the runs of one document: its source file name or path, or the start of
    its document id (6+ characters).

    Example: tqe history source.en.txt -o history.html
    """
    from tqe.compare import comparable_runs
    from tqe.store.db import DEFAULT_DB_PATH
    from tqe.store.history import list_runs

    if output is not None and fmt is None and output.suffix.lower() not in HISTORY_SUFFIXES:
        raise click.BadParameter(
            f"{output.name}: name the file {', '.join(HISTORY_SUFFIXES)}, or give -f/--format",
            param_hint="-o/--output",
        )
    runs = list_runs(db, document, comparable=comparable_runs)
    if significance and not runs.empty:
        from tqe.compare import history_significance

        runs = history_significance(db, runs, progress=stderr_progress(False))
    if runs.empty:
        click.echo(terminal_safe(f"Note: no runs in {db or DEFAULT_DB_PATH} yet; save one with tqe score --save"), err=True)
    fmt = fmt or default_format(output, HISTORY_SUFFIXES)
    from tqe.report.history import history_csv, history_html, history_json, history_table

    render = {"table": history_table, "json": history_json, "csv": history_csv, "html": history_html}[fmt]
    write_or_print(render(runs), output)
    say_wrote(output)


# --- compare -------------------------------------------------------------------------------


def _is_file(value: str) -> bool:
    return Path(value).is_file()


@click.command("compare")
@click.argument("systems", nargs=-1, required=False, metavar="A B [C]...")
@click.option("--source", type=click.Path(exists=True, path_type=str),
              help="With two translation files: their source file.")
@click.option("-r", "--reference", "references", multiple=True, type=click.Path(exists=True, path_type=str),
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
@click.option("-o", "--output", type=click.Path(path_type=Path), callback=_compare_output,
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
@click.option("-q", "--quiet", is_flag=True, help="No progress display and no warnings on stderr.")
@click.option("--revisions", default=None, metavar="FIRST..LAST",
              help="Instead of A B …: every saved run of the document from revision FIRST to LAST, in order.")
@waivers_option
@report_errors
@guard_paths
def compare(**options: Any) -> None:
    """Compare revision B with revision A: corpus deltas with paired significance, then the
    segments that regressed, improved, were added, removed or moved (matched by source text).

    A and B are two saved runs (run id, revision label, latest or previous; see tqe history)
    or two translation files of the same source, given with --source and the same -r
    references.

    With three or more systems (files or runs), every system is scored on the segments they all
    share and ranked per metric: score, 95% CI, p-value against the first system (sacrebleu's
    multi-system paired test), and clusters of systems not significantly different. The
    --fail-on-regression gate then compares the last two.

    Exit status: 0 done; 1 an input, history or comparison error (an Error: line, e.g.
    different metric signatures); 2 bad options; 3 with --fail-on-regression, B regresses
    (one Regression: line per reason on stderr).

    Example: tqe compare previous latest --fail-on-regression --max-segment-drop 20
    """
    from tqe.compare import compare as compare_runs
    from tqe.compare import compare_files, regressions
    from tqe.significance import SignificanceOptions

    inputs = _Inputs.of(options)
    systems = options["systems"]
    if options["revisions"] is not None:
        if systems:
            raise click.UsageError("give either A B … or --revisions FIRST..LAST, not both")
        systems = _revision_range(inputs.db, inputs.document, options["revisions"])
    if len(systems) < 2:
        raise click.UsageError("give two systems to compare (A B), or more to rank them")
    gate = _gate(options)
    significance = SignificanceOptions(test=options["test"])
    output = options["output"]
    progress = stderr_progress(inputs.quiet)
    if len(systems) > 2:
        return _rank(systems, inputs, gate, significance, options["fmt"], output, progress)
    a, b = systems
    files = _is_file(a) and _is_file(b)
    if files:
        if not inputs.source:
            raise click.UsageError("comparing two translation files needs --source FILE (and the same -r references)")
        from tqe.config import load_config

        score_file = _file_scorer(inputs, with_waivers(load_config(Path.cwd())), progress)
        comparison = compare_files(score_file, a, b, has_references=bool(inputs.references), metrics=inputs.metrics,
                                   significance=significance, progress=progress)
    else:
        if inputs.source or inputs.references:
            missing = next(name for name in (a, b) if not _is_file(name))
            raise click.UsageError(f"--source and -r compare two translation files, and {missing!r} is not a file")
        from tqe.store.history import load_run

        run_a, run_b = waive_runs([load_run(inputs.db, a, inputs.document), load_run(inputs.db, b, inputs.document)])
        comparison = compare_runs(run_a, run_b, metrics=inputs.metrics, significance=significance, progress=progress)

    reasons = None if gate is None else [item.message for item in regressions(comparison, gate)]
    _write_comparison(comparison, reasons, options["fmt"], output, options["show_all"], progress)
    say_wrote(output, inputs.quiet)
    if reasons:
        raise RegressionFound(reasons)


@dataclass(frozen=True)
class _Inputs:
    """Where ``tqe compare``'s systems come from: translation files (their source, references
    and segmentation) or saved runs (database, document); the metrics to compare."""

    source: str | None
    references: tuple[str, ...]
    segmentation: str
    db: Path | None
    document: str | None
    metrics: list[str] | None
    quiet: bool

    @classmethod
    def of(cls, options: Mapping[str, Any]) -> _Inputs:
        return cls(
            source=options["source"], references=tuple(options["references"]), segmentation=options["segmentation"],
            db=options["db"], document=options["document"], metrics=list(options["metrics"]) or None,
            quiet=options["quiet"],
        )


def _gate(options: Mapping[str, Any]) -> GateOptions | None:
    """The regression gate's settings with --fail-on-regression, else None; its other options
    without it are a usage error."""
    from tqe.compare import GateOptions

    max_segment_drop, significance = options["max_segment_drop"], options["significance"]
    new_flag_severity = options["new_flag_severity"]
    if not options["fail_on_regression"]:
        if max_segment_drop is not None or not significance or new_flag_severity:
            raise click.UsageError("--max-segment-drop, --no-significance and --new-flags need --fail-on-regression")
        return None
    return GateOptions(max_segment_drop=max_segment_drop, require_significant=significance,
                       new_flag_severity=new_flag_severity)


def _file_scorer(inputs: _Inputs, flag_config: Any, progress: Progress | None = None) -> FileScorer:
    """Scores and flags one translation file of ``inputs.source`` against its references;
    metrics that cannot run are reported (``Warning:``) for the first file only; ``progress``
    hears each file's stages."""
    from tqe.pipeline import score

    warn = skip_warner(inputs.quiet)
    scored: list[str] = []

    def score_file(translation: str | Path) -> Any:
        result = score(inputs.source, translation, list(inputs.references), metrics=inputs.metrics,
                       segmentation=inputs.segmentation, on_skip=None if scored else warn, flag_config=flag_config,
                       flags=True, progress=progress)
        scored.append(str(translation))
        return result

    return score_file


def _write_comparison(comparison: Comparison, reasons: list[str] | None, fmt: str | None, output: Path | None,
                      show_all: bool, progress: Progress | None = None) -> None:
    """The comparison as a report file (-o .html/.md/...), JSON, or a terminal table; writing
    a file is ``progress``'s "write" stage."""
    from tqe.report.comparison import comparison_record, comparison_report

    if output is not None and output.suffix.lower() in REPORT_SUFFIXES:
        from tqe.report import write_report

        write_report(comparison_report(comparison, show_all=show_all), output, progress=progress)
        return
    fmt = "json" if output is not None else fmt or default_format(None, {})
    if fmt == "json":
        from tqe.output import strict_json

        text = strict_json(comparison_record(comparison, reasons), indent=2) + "\n"
    else:
        from tqe.report import render_terminal

        color = output is None and sys.stdout.isatty()
        text = render_terminal(comparison_report(comparison, show_all=show_all), color=color)
    writing(progress if output is not None else None, lambda: write_or_print(text, output))


def _revision_range(db: Path | None, document: str | None, revisions: str) -> tuple[str, ...]:
    """``#ID`` of every saved run of one document from revision FIRST to LAST, in run order."""
    from tqe.compare import comparable_runs
    from tqe.store.history import find_run, list_runs

    first, sep, last = revisions.partition("..")
    if not sep or not first.strip() or not last.strip():
        raise click.BadParameter(f"{revisions!r} is not FIRST..LAST (e.g. v1..v5)", param_hint="--revisions")
    start, end = find_run(db, first.strip(), document), find_run(db, last.strip(), document)
    if start.document_id != end.document_id:
        raise click.BadParameter(f"{first.strip()!r} and {last.strip()!r} are runs of different documents",
                                 param_hint="--revisions")
    runs = list_runs(db, start.document_id[:12], comparable=comparable_runs)
    ids = [int(run_id) for run_id in runs["run"] if min(start.id, end.id) <= int(run_id) <= max(start.id, end.id)]
    if start.id > end.id:
        ids.reverse()
    return tuple(f"#{run_id}" for run_id in ids)


def _rank(systems: Sequence[str], inputs: _Inputs, gate: GateOptions | None, significance: SignificanceOptions,
          fmt: str | None, output: Path | None, progress: Progress | None = None) -> None:
    """``tqe compare A B C …``: rank every system, then gate on the last two; ``progress`` hears
    each file's scoring, the ranking, the gate's tests and the writing of a file."""
    from tqe.compare import compare as compare_runs
    from tqe.compare import regressions
    from tqe.compare.ranking import rank_runs, unique_labels
    from tqe.config import load_config
    from tqe.report.comparison import ranking_record
    from tqe.report.ranking import ranking_html, ranking_markdown, ranking_table

    suffix = output.suffix.lower() if output is not None else ""
    if output is not None and suffix not in (".html", ".htm", ".md", ".markdown", ".json"):
        raise click.BadParameter(f"{output.name}: a ranking is written as .html, .md or .json", param_hint="-o/--output")
    files = [_is_file(name) for name in systems]
    if all(files):
        if not inputs.source:
            raise click.UsageError("ranking translation files needs --source FILE (and the same -r references)")
        score_file = _file_scorer(inputs, load_config(Path.cwd()), progress)
        runs = [score_file(name) for name in systems]
        labels = [Path(name).name for name in systems]
    elif any(files):
        raise click.UsageError("give either translation files or saved runs, not a mix")
    else:
        if inputs.source or inputs.references:
            raise click.UsageError("--source and -r rank translation files, and these are saved runs")
        from tqe.store.history import load_run

        runs = [load_run(inputs.db, name, inputs.document) for name in systems]
        labels = [getattr(getattr(run, "info", None), "revision", None) or name for run, name in zip(runs, systems)]
    labels = unique_labels(labels)
    ranking = rank_runs(runs, labels, metrics=inputs.metrics, options=significance, progress=progress)
    reasons = None
    if gate is not None:
        last = compare_runs(runs[-2], runs[-1], metrics=inputs.metrics, significance=significance,
                            label_a=labels[-2], label_b=labels[-1], progress=progress)
        reasons = [item.message for item in regressions(last, gate)]
    fmt = {".html": "html", ".htm": "html", ".md": "md", ".markdown": "md", ".json": "json"}.get(suffix) or fmt \
        or default_format(None, {})
    if fmt == "json":
        record = ranking_record(ranking)
        if reasons is not None:
            record["regressions"] = list(reasons)
        from tqe.output import strict_json

        text = strict_json(record, indent=2) + "\n"
    elif fmt == "html":
        text = ranking_html(ranking)
    elif fmt == "md":
        text = ranking_markdown(ranking)
    else:
        text = ranking_table(ranking)
    writing(progress if output is not None else None, lambda: write_or_print(text, output))
    say_wrote(output, inputs.quiet)
    if reasons:
        raise RegressionFound(reasons)
