"""Score the segments table with the chosen metrics: one call per metric for all segments."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

import pandas as pd

from tqe.config import CometSettings, FlagConfig, RunConfig
from tqe.document import Progress, load_segments, load_table_segments
from tqe.errors import MetricError
from tqe.metrics import DEFAULT_METRICS, METRICS, MetricResult, get_metric, metric_info
from tqe.model import REFERENCES, SOURCE, TRANSLATION, ScoreResult, reference_streams


def resolve_metrics(names: Sequence[str] | None) -> tuple[list[str], bool]:
    """The metric names to run, and whether the user chose them (explicit names must run)."""
    if not names:
        return list(DEFAULT_METRICS), False
    chosen = []
    for name in names:
        for part in str(name).split(","):
            key = part.strip().lower()
            if not key:
                continue
            if key not in METRICS:
                raise MetricError(f"unknown metric {part.strip()!r}; choose from {', '.join(METRICS)}")
            if key not in chosen:
                chosen.append(key)
    if not chosen:
        raise MetricError(f"no metric given; choose from {', '.join(METRICS)}")
    return chosen, True


def check_references(metrics: Sequence[str] | None, has_reference: bool) -> None:
    """Fail before any reading when an explicitly chosen metric needs a reference and has none."""
    names, explicit = resolve_metrics(metrics)
    if explicit and not has_reference:
        for name in names:
            if metric_info(name).needs_reference is True:
                raise MetricError(f"{name} needs a reference translation (-r FILE)")


class _SharedPool:
    """The worker processes a run's metrics share, started on first use (one size at a time)
    and stopped on leaving the ``with`` block."""

    def __init__(self) -> None:
        self._executor: ProcessPoolExecutor | None = None
        self._workers = 0

    def __call__(self, workers: int) -> ProcessPoolExecutor:
        if self._executor is None or self._workers != workers:
            self.close()
            self._executor, self._workers = ProcessPoolExecutor(max_workers=workers), workers
        return self._executor

    def close(self, cancel: bool = False) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=cancel)
            self._executor = None

    def __enter__(self) -> _SharedPool:
        return self

    def __exit__(self, kind: Any, *_: Any) -> None:
        self.close(cancel=kind is not None)


def score_segments(
    segments: pd.DataFrame,
    metrics: Sequence[str] | None = None,
    *,
    metric_options: Mapping[str, Mapping[str, Any]] | None = None,
    on_skip: Callable[[str, str], None] | None = None,
    progress: Progress | None = None,
    meanwhile: Callable[[], None] | None = None,
) -> ScoreResult:
    """Add one score column per metric to a copy of ``segments``.

    Metrics the user did not name explicitly are skipped (with a reason in ``skipped`` and a call
    to ``on_skip``) when they cannot run, e.g. COMET without a model or lexical metrics without
    a reference; explicitly named ones raise :class:`MetricError` instead. ``progress`` is
    handed to each metric, which reports (metric name, segments done, segments).

    The lexical metrics of a long document start together on one pool of worker processes;
    ``meanwhile()`` runs in this process while they work (the flag stage prepares its checks
    there), then the results are gathered in order and the other metrics (COMET) run.
    """
    names, explicit = resolve_metrics(metrics)
    options = metric_options or {}
    references = reference_streams(segments[REFERENCES])
    sources = list(segments[SOURCE])
    translations = list(segments[TRANSLATION])
    scored = segments.copy()
    results: dict[str, MetricResult] = {}
    skipped: dict[str, str] = {}

    def skip(name: str, exc: MetricError) -> None:
        if explicit:
            raise exc
        skipped[name] = str(exc)
        if on_skip:
            on_skip(name, str(exc))

    with _SharedPool() as pool:
        started: list[tuple[str, Callable[[], MetricResult]]] = []
        for name in names:
            try:
                needs_reference = metric_info(name).needs_reference is True
                if needs_reference and not references:
                    raise MetricError(f"{name} needs a reference translation (-r FILE)")
                settings = dict(options.get(name, {}))
                if progress is not None:
                    settings.setdefault("progress", progress)
                metric = get_metric(name, **settings)
                start = getattr(metric, "start", None)
                if start is not None:
                    started.append((name, start(sources, translations, references or None, pool)))
                else:
                    started.append((name, partial(metric.compute, sources, translations, references or None)))
            except MetricError as exc:
                skip(name, exc)
        if meanwhile is not None:
            meanwhile()
        for name, finish in started:
            try:
                result = finish()
            except MetricError as exc:
                skip(name, exc)
                continue
            results[name] = result
            scored[name] = result.segment_scores
            for detail, values in result.details.items():
                scored[detail] = values
    return ScoreResult(segments=scored, metrics=results, skipped=skipped)


def run(
    config: RunConfig,
    *,
    progress: Progress | None = None,
    on_skip: Callable[[str, str], None] | None = None,
    on_warning: Callable[[str], None] | None = None,
) -> ScoreResult:
    """Read, align, score and flag a document as ``config`` says; the result records it.

    Metric names are checked before any file is read. ``progress(stage, done, total)`` is
    called as each stage moves: "align", then each metric by name, then "checks". ``on_skip``
    hears about metrics and checks that cannot run, ``on_warning`` about COMET's warnings.
    """
    resolve_metrics(config.metrics)  # an unknown metric fails before any file is read
    if config.table is not None:
        segments = load_table_segments(config.table)
    else:
        check_references(config.metrics, bool(config.references))
        segments = load_segments(config.source, config.translation, config.references,
                                 segmentation=config.segmentation, progress=progress)
    if config.flags:
        check_languages(segments, config.flag_config, on_skip)
    options = config.metric_options()
    hooks = {"progress": progress, "on_warning": on_warning}
    options["comet"].update({name: hook for name, hook in hooks.items() if hook is not None})
    if not config.flags:
        result = score_segments(segments, config.metrics, metric_options=options, on_skip=on_skip, progress=progress)
        return replace(result, config=config, inputs=config.inputs())
    from tqe.flag import prepare_checks

    prepared: list[Any] = []  # the checks' plan, made while the lexical metrics' workers run
    result = score_segments(segments, config.metrics, metric_options=options, on_skip=on_skip, progress=progress,
                            meanwhile=lambda: prepared.append(prepare_checks(segments, config.flag_config)))
    result = replace(result, config=config, inputs=config.inputs())
    return flag_result(result, config.flag_config, progress, plan=prepared[0])


def score(
    source: str | Path | None = None,
    translation: str | Path | None = None,
    references: Sequence[str | Path] = (),
    *,
    metric_options: Mapping[str, Mapping[str, Any]] | None = None,
    progress: Progress | None = None,
    on_skip: Callable[[str, str], None] | None = None,
    **settings: Any,
) -> ScoreResult:
    """Read, align, score and flag a document: ``tqe.score("src.en.txt", "mt.fr.txt", ["ref.fr.txt"])``.

    ``settings`` are :class:`tqe.config.RunConfig`'s: ``table=`` instead of files reads a
    TSV/CSV/JSONL file with ``source``, ``translation`` and optional ``reference`` columns;
    ``metrics``, ``segmentation``; flags use ``flag_config`` (default thresholds and checks when
    None) and ``flags=False`` skips them. ``metric_options={"comet": {...}}`` sets
    :class:`tqe.config.CometSettings`. The same as :func:`run` with that RunConfig.
    """
    unknown = sorted(set(metric_options or {}) - {"comet"})
    if unknown:
        raise MetricError(f"{unknown[0]} takes no options; only comet does")
    comet = CometSettings.from_options((metric_options or {}).get("comet"))
    config = RunConfig(source, translation, references, comet=comet, **settings)
    return run(config, progress=progress, on_skip=on_skip)


def check_languages(
    segments: pd.DataFrame, config: FlagConfig, on_skip: Callable[[str, str], None] | None = None
) -> None:
    """Before any scoring: one ``on_skip`` call naming the checks that will not run when the
    source is not English or the translation not French; InputError when the translation has
    no French at all (the wrong file, or the two files swapped)."""
    from tqe.language import document_languages

    sources = [text if isinstance(text, str) else "" for text in segments["source"]]
    translations = [text if isinstance(text, str) else "" for text in segments["translation"]]
    languages = document_languages(sources, translations)
    with_reference = "references" in segments and any(len(refs or ()) for refs in segments["references"])
    enabled = (*config.checks, *(config.reference_checks if with_reference else ()))
    skipped = [name for name in enabled if name in languages.skipped_checks]
    if languages.problem and skipped and on_skip:
        on_skip(", ".join(skipped), languages.problem)


def flag_result(
    result: ScoreResult, config: FlagConfig, progress: Progress | None = None, plan: Any = None
) -> ScoreResult:
    """Add the ``flags`` column (rule-based checks and score thresholds) to a scored result;
    ``plan`` is the document's :class:`tqe.flag.CheckPlan` when already prepared."""
    from tqe.flag import flag_segments

    flagged = flag_segments(result.segments, config, list(result.metrics), progress=progress, plan=plan)
    return replace(result, segments=flagged, thresholds=config.absolute_thresholds(result.metrics))
