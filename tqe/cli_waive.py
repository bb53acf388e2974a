"""``tqe waive``, and the ``--waivers FILE`` option of ``tqe score``, ``tqe report`` and
``tqe compare``.

The command only adapts: it finds the flag with the same read, align and flag steps as
``tqe report``, and reads and writes the file with :mod:`tqe.waivers`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from tqe.cli_common import report_errors

if TYPE_CHECKING:
    from tqe.config import RunConfig

#: where the ``--waivers`` option leaves its value for :func:`with_waivers` (the commands'
#: own signatures stay as they are)
WAIVERS_META = "tqe.waivers"


def _remember_waivers(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    if value is not None:
        ctx.meta[WAIVERS_META] = value
    return value


def waivers_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--waivers FILE`` for the commands that flag; read back with :func:`with_waivers`."""
    return click.option(
        "--waivers", type=click.Path(exists=True, dir_okay=False, path_type=Path), expose_value=False,
        callback=_remember_waivers,
        help="Waivers file of flags reviewed as false positives (see tqe waive). "
             "Default: flags.waivers of the settings file, else ./tqe-waivers.toml when there is one.",
    )(command)


def chosen_waivers() -> Path | None:
    """The ``--waivers`` file given to the running command, if any."""
    ctx = click.get_current_context(silent=True)
    return ctx.meta.get(WAIVERS_META) if ctx is not None else None


def with_waivers(config: Any) -> Any:
    """``config`` (a FlagConfig) with this command's ``--waivers`` file; the file is read now,
    so that a bad one fails before any scoring."""
    from tqe.waivers import read_waivers

    chosen = chosen_waivers()
    if chosen is not None:
        config = config.with_overrides(waivers_path=chosen)
    if config.waivers_path is not None:
        read_waivers(config.waivers_path)
    return config


def waive_runs(runs: Sequence[Any]) -> list[Any]:
    """Saved runs with the current waivers applied (``tqe compare`` of two runs): a flag
    waived since a run was saved does not count either."""
    from dataclasses import replace

    from tqe.config import load_config
    from tqe.waivers import apply_waivers, read_waivers

    path = chosen_waivers() or load_config(Path.cwd()).waivers_path
    if path is None:
        return list(runs)
    waivers = read_waivers(path)
    return [replace(run, segments=apply_waivers(run.segments, waivers)) for run in runs]


# --- tqe waive ------------------------------------------------------------------------------


def _waivers_path(explicit: Path | None, config: Any) -> Path:
    """The file to read and write: --waivers, else the settings' one, else ./tqe-waivers.toml;
    relative to the working folder when it is inside it, so that messages stay short."""
    from tqe.waivers import WAIVERS_FILE

    path = Path(explicit or config.waivers_path or WAIVERS_FILE)
    try:
        return path.resolve().relative_to(Path.cwd().resolve()) if path.is_absolute() else path
    except ValueError:
        return path


def _score_metric(check: str) -> str | None:
    """The metric behind a score flag (``chrf-score`` -> ``chrf``), else None."""
    from tqe.config import SCORE_CHECK_SUFFIX
    from tqe.metrics import METRICS

    if check.endswith(SCORE_CHECK_SUFFIX) and check[: -len(SCORE_CHECK_SUFFIX)] in METRICS:
        return check[: -len(SCORE_CHECK_SUFFIX)]
    return None


def _flagged_segments(run: RunConfig, metrics: Sequence[str], strict: bool) -> tuple[Any, dict[str, str]]:
    """The segments of ``run``'s documents flagged as ``tqe report`` flags them, waivers not
    applied; score flags only for ``metrics`` (a metric that cannot run raises when ``strict``,
    else is skipped). Progress bars on a terminal, as tqe report draws them."""
    from tqe.cli_progress import stderr_progress
    from tqe.document import load_segments, load_table_segments
    from tqe.errors import MetricError
    from tqe.pipeline import ScoreResult, flag_result, score_segments

    progress = stderr_progress(False)
    segments = load_table_segments(run.table) if run.table else load_segments(
        run.source, run.translation, run.references, segmentation=run.segmentation, progress=progress
    )
    scores: dict[str, Any] = {}
    skipped: dict[str, str] = {}
    for metric in metrics:
        try:
            scored = score_segments(segments, [metric], progress=progress)
        except MetricError as error:
            if strict:
                raise
            skipped[metric] = str(error)
            continue
        segments = scored.segments
        scores.update(scored.metrics)
    result = flag_result(ScoreResult(segments=segments, metrics=scores), run.flag_config.with_overrides(waivers_path=None),
                         progress)
    return result.segments, skipped


def _show(text: str, limit: int = 70) -> str:
    from tqe.report.terminal import sanitize

    text = sanitize(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _describe(waiver: Any) -> str:
    where = f" (line {waiver.line})" if waiver.line else ""
    return f"{waiver.check}{where} on «{_show(waiver.source, 50)}»"


@click.command("waive")
@click.argument("source", required=False, type=click.Path(dir_okay=False, path_type=str))
@click.argument("translation", required=False, type=click.Path(dir_okay=False, path_type=str))
@click.option("-r", "--reference", "references", multiple=True, type=click.Path(dir_okay=False, path_type=str),
              help="Reference translation file, as given to tqe report (reference checks and scores need it).")
@click.option("--table", type=click.Path(dir_okay=False, path_type=str),
              help="Read segments from one .tsv/.csv/.jsonl file instead of SOURCE TRANSLATION.")
@click.option("--segmentation", type=click.Choice(["sentences", "lines"]), default="sentences", show_default=True,
              help="As given to tqe report: segment ids depend on it.")
@click.option("--segment", "segment_id", metavar="ID", help="The segment whose flag to waive, e.g. 3.2 (as tqe report shows it).")
@click.option("--check", metavar="CHECK", help="The check whose flag to waive, e.g. numbers.")
@click.option("--reason", default="", help="Why the flag is a false positive (kept in the waiver).")
@click.option("--by", "reviewer", default="", help="Who waived it (kept in the waiver).")
@click.option("--list", "list_mode", is_flag=True,
              help="List the waivers; with SOURCE TRANSLATION, also which segments each one waives.")
@click.option("--prune", is_flag=True,
              help="Remove the waivers that waive nothing in SOURCE TRANSLATION any more (text edited or flag gone).")
@click.option("--dry-run", is_flag=True, help="With --prune: say what would be removed, change nothing.")
@click.option("--waivers", "waivers_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Waivers file (created when missing). Default: flags.waivers of the settings file, else ./tqe-waivers.toml.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Settings file (TOML). Default: ./tqe.toml, else [tool.tqe] in ./pyproject.toml.")
@click.option("--glossary", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Glossary file, as given to tqe report.")
@click.option("--dnt", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Do-not-translate terms file, as given to tqe report.")
@report_errors
def waive(**options: Any) -> None:
    """Waive a flag reviewed as a false positive, so that later runs count it apart.

    The waiver holds the check and the segment's exact source and translation text: it stays
    while both are unchanged (whatever the segment's id) and the flag comes back when either
    changes. Waived flags are listed apart in reports and never fail --fail-on-regression.

    Example: tqe waive source.en.txt translation.fr.txt --segment 3.2 --check numbers --reason "1 000 milliards is right"
    """
    from tqe.config import RunConfig
    from tqe.waivers import known_checks, read_waivers

    source, translation, table = options["source"], options["translation"], options["table"]
    segment_id, check, reason, reviewer = options["segment_id"], options["check"], options["reason"], options["reviewer"]
    list_mode, prune, dry_run, waivers_file = options["list_mode"], options["prune"], options["dry_run"], options["waivers_file"]
    modes = [name for name, on in (("--list", list_mode), ("--prune", prune)) if on]
    if len(modes) > 1:
        raise click.UsageError("give --list or --prune, not both")
    if table and (source or translation):
        raise click.UsageError("give either SOURCE TRANSLATION or --table FILE, not both")
    documents = bool(table or (source and translation))
    if (source or translation) and not documents:
        raise click.UsageError("give SOURCE and TRANSLATION files (or --table FILE)")
    if dry_run and not prune:
        raise click.UsageError("--dry-run goes with --prune")
    if modes:
        for name, value in (("--segment", segment_id), ("--check", check), ("--reason", reason), ("--by", reviewer)):
            if value:
                raise click.UsageError(f"{name} is for waiving a flag, not for {modes[0]}")
    else:
        if not documents:
            raise click.UsageError("give SOURCE and TRANSLATION files (or --table FILE) and --segment ID --check CHECK")
        if not segment_id or not check:
            raise click.UsageError("name the flag to waive with --segment ID and --check CHECK (or use --list / --prune)")
        if check not in known_checks():
            raise click.BadParameter(f"unknown check {check!r}; checks are: {', '.join(sorted(known_checks()))}",
                                     param_hint="--check")
    if prune and not documents:
        raise click.UsageError("--prune needs the documents the waivers are for: SOURCE TRANSLATION (or --table FILE)")

    if waivers_file is not None:
        click.get_current_context().meta[WAIVERS_META] = waivers_file
    config = build_flag_config(options["config_path"], options["glossary"], options["dnt"])
    path = _waivers_path(waivers_file, config)
    waivers = read_waivers(path, missing_ok=not (list_mode or prune) or waivers_file is None)
    # the documents' read and flag settings, as tqe report takes them
    run = RunConfig(source=source, translation=translation, references=options["references"], table=table,
                    segmentation=options["segmentation"], flag_config=config) if documents else None
    if list_mode:
        _list(path, waivers, run)
    elif prune:
        _prune(path, waivers, run, dry_run)
    else:
        _waive(path, run, segment_id, check, reason, reviewer)


def _waive(path: Path, run: RunConfig, segment_id: str, check: str, reason: str, reviewer: str) -> None:
    from tqe.config import COMET_SPANS_CHECK
    from tqe.errors import InputError
    from tqe.waivers import Waiver, add_waiver, waiver_uses

    if check == COMET_SPANS_CHECK:
        raise click.BadParameter(
            f"{check} flags come from an xCOMET run; add the waiver to {path} by hand (see tqe waive --help)",
            param_hint="--check",
        )
    metric = _score_metric(check)
    segments, _ = _flagged_segments(run, [metric] if metric else [], strict=True)
    rows = segments.to_dict("records")
    row = next((row for row in rows if str(row["id"]) == segment_id), None)
    name = Path(run.table or run.translation or "").name
    if row is None:
        ids = [str(row["id"]) for row in rows]
        span = f"ids {ids[0]} to {ids[-1]}" if ids else "no segments"
        raise InputError(f"{name} has no segment {segment_id} ({span})")
    checks = [flag.check for flag in row.get("flags") or []]
    if check not in checks:
        present = f"its flags: {', '.join(dict.fromkeys(checks))}" if checks else "it has no flags"
        raise InputError(f"segment {segment_id} of {name} has no {check} flag ({present})")
    waiver = Waiver(check=check, source=str(row["source"]), translation=str(row["translation"]), reason=reason,
                    by=reviewer, date=dt.datetime.now(dt.timezone.utc).date().isoformat())
    if not add_waiver(path, waiver):
        click.echo(f"Note: {check} on segment {segment_id} is already waived in {path}; file unchanged", err=True)
        return
    also = [seg for seg in waiver_uses(segments, [waiver])[0].segments if seg != segment_id]
    extra = f"; the same text also in segment{'s' if len(also) > 1 else ''} {', '.join(also)}" if also else ""
    click.echo(f"Waived {check} on segment {segment_id} in {path}{extra}", err=True)


def _uses(waivers: Sequence[Any], run: RunConfig) -> tuple[list[Any], dict[str, str]]:
    """Which segments each waiver waives; score-flag waivers whose metric could not run are
    reported in the second value (metric -> reason)."""
    from tqe.waivers import waiver_uses

    metrics = list(dict.fromkeys(m for m in (_score_metric(w.check) for w in waivers) if m))
    segments, skipped = _flagged_segments(run, metrics, strict=False)
    return waiver_uses(segments, waivers), skipped


def _list(path: Path, waivers: Sequence[Any], run: RunConfig | None) -> None:
    """List the waivers; with documents (``run``), also which segments each one waives."""
    documents = run is not None
    noun = "waiver" if len(waivers) == 1 else "waivers"
    if not waivers:
        click.echo(f"{path}: no waivers" + ("" if path.exists() else " (no such file yet)"))
        return
    uses, skipped = _uses(waivers, run) if run is not None else ([], {})
    lines = [f"{path}: {len(waivers)} {noun}"]
    for number, waiver in enumerate(waivers, start=1):
        facts = [f"line {waiver.line}"] if waiver.line else []
        facts += [f"by {_show(waiver.by, 40)}"] if waiver.by else []
        facts += [waiver.date] if waiver.date else []
        lines.append("")
        lines.append(f"{number}. {waiver.check}" + (f" ({', '.join(facts)})" if facts else ""))
        if waiver.reason:
            lines.append(f"   reason:      {_show(waiver.reason, 200)}")
        lines.append(f"   source:      {_show(waiver.source, 200)}")
        lines.append(f"   translation: {_show(waiver.translation, 200)}")
        if documents:
            lines.append(f"   status:      {_status(uses[number - 1], skipped)}")
    click.echo("\n".join(lines))


def _status(use: Any, skipped: dict[str, str]) -> str:
    metric = _score_metric(use.waiver.check)
    if use.used:
        noun = "segment" if len(use.segments) == 1 else "segments"
        return f"waives {use.waiver.check} on {noun} {', '.join(use.segments)}"
    if metric in skipped:
        return f"not checked: {skipped[metric]}"
    if not use.source_found:
        return "source sentence not in this document"
    if use.text_found:
        return f"waives nothing: the segment has no {use.waiver.check} flag any more"
    return "waives nothing: the translation changed"


def _prune(path: Path, waivers: Sequence[Any], run: RunConfig, dry_run: bool) -> None:
    from tqe.waivers import remove_waivers

    if not waivers:
        click.echo(f"Note: no waivers in {path}; nothing to prune", err=True)
        return
    uses, skipped = _uses(waivers, run)
    stale = [
        position for position, use in enumerate(uses)
        if not use.used and use.source_found and _score_metric(use.waiver.check) not in skipped
    ]
    elsewhere = sum(1 for use in uses if not use.used and not use.source_found)
    unchecked = sum(1 for use in uses if not use.used and _score_metric(use.waiver.check) in skipped)
    verb = "Would remove" if dry_run else "Removed"
    for position in stale:
        click.echo(f"{verb}: {_describe(waivers[position])}: {_status(uses[position], skipped)}", err=True)
    if stale and not dry_run:
        remove_waivers(path, stale)
    summary = f"{verb} {len(stale)} of {len(waivers)} waivers {'from' if not dry_run else 'in'} {path}"
    if elsewhere:
        summary += f"; kept {elsewhere} whose source sentence is not in these documents (another document's?)"
    if unchecked:
        summary += f"; kept {unchecked} whose score could not be computed"
    click.echo(summary, err=True)


def build_flag_config(config_path: Path | None, glossary: Path | None, dnt: Path | None,
                 flag_below: dict[str, float] | None = None, disabled: tuple[str, ...] = ()):
    """The flag settings: settings file first, then the command line's overrides, then the waivers."""
    from tqe.config import load_config
    from tqe.metrics import metric_info

    config = load_config(Path.cwd(), config_path)
    overrides: dict[str, Any] = {key: value for key, value in (("glossary_path", glossary), ("dnt_path", dnt)) if value is not None}
    if disabled:
        overrides["disabled_checks"] = config.disabled_checks | frozenset(disabled)
    if overrides:
        config = config.with_overrides(**overrides)
    for metric, limit in (flag_below or {}).items():
        config = config.with_threshold(metric, **({"below": limit} if metric_info(metric).higher_is_better else {"above": limit}))
    return with_waivers(config)
