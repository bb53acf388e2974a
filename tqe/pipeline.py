"""Score the segments table with the chosen metrics: one call per metric for all segments."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

import pandas as pd

from tqe.config import FlagConfig
from tqe.document import Progress, load_segments, load_table_segments
from tqe.errors import MetricError
from tqe.metrics import DEFAULT_METRICS, METRICS, MetricResult, get_metric, metric_info


@dataclass(frozen=True)
class ScoreResult:
    """A scored document: the segments table, each metric's result, and what did not run."""

    segments: pd.DataFrame
    metrics: dict[str, MetricResult]
    skipped: dict[str, str] = field(default_factory=dict)

    @property
    def corpus(self) -> dict[str, float]:
        """Document score of each metric that ran."""
        return {name: result.corpus_score for name, result in self.metrics.items()}


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


def _reference_streams(segments: pd.DataFrame) -> list[list[str]]:
    """sacrebleu's layout: one list per reference, each as long as the segments."""
    refs = list(segments["references"])
    count = max((len(r) for r in refs), default=0)
    return [[r[i] if i < len(r) else "" for r in refs] for i in range(count)]


def score_segments(
    segments: pd.DataFrame,
    metrics: Sequence[str] | None = None,
    *,
    metric_options: Mapping[str, Mapping[str, Any]] | None = None,
    on_skip: Callable[[str, str], None] | None = None,
    progress: Progress | None = None,
) -> ScoreResult:
    """Add one score column per metric to a copy of ``segments``.

    Metrics the user did not name explicitly are skipped (with a reason in ``skipped`` and a call
    to ``on_skip``) when they cannot run, e.g. COMET without a model or lexical metrics without
    a reference; explicitly named ones raise :class:`MetricError` instead. ``progress`` is
    handed to each metric, which reports (metric name, segments done, segments).
    """
    names, explicit = resolve_metrics(metrics)
    options = metric_options or {}
    references = _reference_streams(segments)
    sources = list(segments["source"])
    translations = list(segments["translation"])
    scored = segments.copy()
    results: dict[str, MetricResult] = {}
    skipped: dict[str, str] = {}
    for name in names:
        try:
            needs_reference = metric_info(name).needs_reference is True
            if needs_reference and not references:
                raise MetricError(f"{name} needs a reference translation (-r FILE)")
            settings = dict(options.get(name, {}))
            if progress is not None:
                settings.setdefault("progress", progress)
            metric = get_metric(name, **settings)
            result = metric.compute(sources, translations, references or None)
        except MetricError as exc:
            if explicit:
                raise
            skipped[name] = str(exc)
            if on_skip:
                on_skip(name, str(exc))
            continue
        results[name] = result
        scored[name] = result.segment_scores
        for detail, values in result.details.items():
            scored[detail] = values
    return ScoreResult(segments=scored, metrics=results, skipped=skipped)


def score(
    source: str | Path | None = None,
    translation: str | Path | None = None,
    references: Sequence[str | Path] = (),
    *,
    table: str | Path | None = None,
    metrics: Sequence[str] | None = None,
    segmentation: str = "sentences",
    metric_options: Mapping[str, Mapping[str, Any]] | None = None,
    progress: Progress | None = None,
    on_skip: Callable[[str, str], None] | None = None,
    flag_config: FlagConfig | None = None,
    flags: bool = True,
) -> ScoreResult:
    """Read, align, score and flag a document: ``tqe.score("src.en.txt", "mt.fr.txt", ["ref.fr.txt"])``.

    Flags use ``flag_config`` (default thresholds and checks when None); ``flags=False`` skips
    them. Give ``table=`` instead of files to read a TSV/CSV/JSONL file with ``source``,
    ``translation`` and optional ``reference`` columns. ``progress(stage, done, total)`` is
    called as each stage moves: "align", then each metric by name, then "checks".
    """
    resolve_metrics(metrics)  # an unknown metric fails before any file is read
    if table is None:
        check_references(metrics, bool(references))
    if table is not None:
        segments = load_table_segments(table)
    else:
        if source is None or translation is None:
            raise TypeError("score() needs source and translation files, or table=")
        segments = load_segments(source, translation, references, segmentation=segmentation, progress=progress)
    if flags:
        check_languages(segments, flag_config or FlagConfig(), on_skip)
    result = score_segments(segments, metrics, metric_options=metric_options, on_skip=on_skip, progress=progress)
    return flag_result(result, flag_config or FlagConfig(), progress) if flags else result


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


def flag_result(result: ScoreResult, config: FlagConfig, progress: Progress | None = None) -> ScoreResult:
    """Add the ``flags`` column (rule-based checks and score thresholds) to a scored result."""
    from tqe.flag import flag_segments

    return replace(result, segments=flag_segments(result.segments, config, list(result.metrics), progress=progress))
