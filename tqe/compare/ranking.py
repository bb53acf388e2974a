"""Rank several systems (or revisions) of one document: per metric, every system's score with
its 95% confidence interval, its p-value against the first system (the baseline), its rank,
and clusters of systems that are not significantly different.

The tests are sacrebleu's multi-system paired tests (``sacrebleu REF -i A B C --paired-bs`` /
``--paired-ar``): the same seed and the same resampled segment indices for every system, so a
system's p-value against the baseline equals sacrebleu's. The bootstrap scores of each system
are computed once and reused by every pair (baseline pairs and neighbour pairs), which keeps
10 systems x 3,000 segments at a few seconds. Systems are ranked by their score on the shared
segments; going down the ranking, a system joins the cluster of the one above unless the
paired test separates the two (p < alpha).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from tqe.compare.comparable import check_signatures
from tqe.compare.comparison import TEST_NAMES, FileScorer, Progress
from tqe.compare.matching import match_segments
from tqe.errors import CompareError
from tqe.metrics import SUFFICIENT_STATISTICS, metric_info
from tqe.model import ScoreResult, flags_of, references_of
from tqe.significance import (
    ALPHA,
    MeanScorer,
    SignificanceOptions,
    SacrebleuScorer,
    mean_statistics,
    randomization_p_value,
    resample_indices,
    resampled_scores,
    sacrebleu_metric,
)

RANKING_STAGE = "ranking"
"""The stage :func:`rank_runs` reports to its ``progress`` callback: for each metric, one step
per system (its segment statistics) and one for the tests."""


@dataclass(frozen=True)
class SystemScore:
    """One system's standing on one metric."""

    system: str
    score: float  # on the shared segments, as sacrebleu scores the files given to it
    mean: float  # mean of the bootstrap resamples
    ci: float  # half-width of the 95% interval of the resamples (sacrebleu's "± x")
    p_value: float | None  # against the baseline (the first system); None for the baseline
    rank: int
    cluster: int


@dataclass(frozen=True)
class MetricRanking:
    metric: str
    signature: str
    test: str
    segments: int
    systems: tuple[SystemScore, ...]  # in the order the systems were given

    def ranked(self) -> list[SystemScore]:
        return sorted(self.systems, key=lambda s: s.rank)


@dataclass(frozen=True)
class Ranking:
    """Several systems of one document compared at once (see the module docstring)."""

    labels: tuple[str, ...]
    metrics: dict[str, MetricRanking]
    segments: pd.DataFrame  # shared segments: id, source, references, and per system translation/scores/flags
    notes: tuple[str, ...] = ()
    alpha: float = ALPHA
    flag_counts: dict[str, dict[str, int]] = field(default_factory=dict)


def _shared_rows(runs: Sequence[ScoreResult]) -> list[list[int]]:
    """Row indices of the segments every run has (matched by source text to the first run)."""
    first = runs[0].segments
    maps = []
    for run in runs[1:]:
        pairs = match_segments(first, run.segments)
        maps.append({i: j for i, j, _ in pairs if i is not None and j is not None})
    shared = [i for i in range(len(first)) if all(i in mapping for mapping in maps)]
    return [[i] + [mapping[i] for mapping in maps] for i in shared]


def _statistics(name: str, runs: Sequence[ScoreResult], rows: list[list[int]],
                on_system: Callable[[], None] | None = None) -> tuple[list[np.ndarray], Any]:
    """Per-system segment statistics on the shared rows, and the scorer that sums them;
    ``on_system()`` is called once each system's are ready."""
    if metric_info(name).statistics == SUFFICIENT_STATISTICS:
        from tqe.metrics import get_metric

        references = [references_of(runs[0].segments["references"].iloc[row[0]]) for row in rows]
        count = max((len(refs) for refs in references), default=0)
        if count == 0:
            raise CompareError(f"{name} needs references to rank systems")
        streams = [[refs[k] if k < len(refs) else "" for refs in references] for k in range(count)]
        extractor: Any = get_metric(name)
        scorer = SacrebleuScorer(sacrebleu_metric(name, runs[0].metrics[name].signature))
        stats = []
        for k, run in enumerate(runs):
            translations = [str(run.segments["translation"].iloc[row[k]]) for row in rows]
            stats.append(np.array(extractor.statistics(translations, streams), dtype=float))
            if on_system is not None:
                on_system()
        return stats, scorer
    stats = []
    for k, run in enumerate(runs):
        scores = [float(run.segments[name].iloc[row[k]]) for row in rows]
        if any(math.isnan(score) for score in scores):
            raise CompareError(f"{name} has no score for some segment of {k + 1}")
        stats.append(np.array(mean_statistics(scores), dtype=float))
        if on_system is not None:
            on_system()
    return stats, MeanScorer()


def _p_value(diffs: np.ndarray, real: float) -> float:
    from tqe.metrics.sacrebleu_api import p_value

    return p_value(diffs, real)


def rank_metric(
    name: str,
    labels: Sequence[str],
    stats: Sequence[np.ndarray],
    scorer: Any,
    *,
    signature: str = "",
    options: SignificanceOptions | None = None,
) -> MetricRanking:
    """Scores, intervals, baseline p-values, ranks and clusters of one metric."""
    from sacrebleu.significance import estimate_ci

    options = options or SignificanceOptions()
    test, alpha = options.test, options.alpha
    if test not in TEST_NAMES:
        raise CompareError(f"unknown significance test {test!r}; choose bs or ar")
    n = len(stats[0])
    if n == 0:
        raise CompareError("the systems share no segment")
    scores = [scorer.from_rows([list(row) for row in system]) for system in stats]
    idxs = resample_indices(n, options.bootstrap_samples, options.seed)
    boots = [resampled_scores(system, idxs, scorer) for system in stats]  # once per system, reused by every pair

    def pair_p(i: int, j: int) -> float:
        real = abs(scores[i] - scores[j])
        if test == "ar":
            return randomization_p_value(stats[i], stats[j], scorer, real, options.randomization_trials, options.seed)
        diffs = np.abs(boots[j] - boots[i])
        return _p_value(diffs - diffs.mean(), real)

    lower_is_better = not metric_info(name).higher_is_better
    order = sorted(range(len(stats)), key=lambda k: (scores[k] if lower_is_better else -scores[k], k))
    cluster_of = {order[0]: 1}
    for above, below in zip(order, order[1:]):
        same = scores[above] == scores[below] or pair_p(above, below) >= alpha
        cluster_of[below] = cluster_of[above] if same else cluster_of[above] + 1
    systems = []
    for k, label in enumerate(labels):
        mean, ci = estimate_ci(boots[k])
        systems.append(SystemScore(
            system=label, score=float(scores[k]), mean=float(mean), ci=float(ci),
            p_value=None if k == 0 else pair_p(0, k), rank=order.index(k) + 1, cluster=cluster_of[k],
        ))
    return MetricRanking(metric=name, signature=signature, test=test, segments=n, systems=tuple(systems))


def rank_runs(
    runs: Sequence[ScoreResult],
    labels: Sequence[str],
    *,
    metrics: Sequence[str] | None = None,
    options: SignificanceOptions | None = None,
    progress: Progress | None = None,
) -> Ranking:
    """Rank ``runs`` (the first is the baseline) on the segments they all share;
    ``progress("ranking", steps done, steps)`` is called as it goes (see :data:`RANKING_STAGE`)."""
    options = options or SignificanceOptions()
    if len(runs) < 2:
        raise CompareError("ranking needs at least two systems")
    if metrics:
        names = [part.strip().lower() for metric in metrics for part in str(metric).split(",") if part.strip()]
        for name in names:
            missing = [labels[k] for k, run in enumerate(runs) if name not in run.metrics]
            if missing:
                raise CompareError(f"{name} was not scored for {', '.join(missing)}")
    else:
        names = [name for name in runs[0].metrics if all(name in run.metrics for run in runs[1:])]
    for name in names:
        for run, label in zip(runs[1:], labels[1:]):
            check_signatures(name, runs[0].metrics[name], run.metrics[name])
    rows = _shared_rows(runs)
    if not rows:
        raise CompareError("the systems share no source segment; rank systems of the same document")
    notes = []
    left_out = max(len(run.segments) for run in runs) - len(rows)
    if left_out > 0:
        notes.append(f"Ranked on the {len(rows)} segments whose source text every system has; "
                     f"{left_out} others are left out.")
    results = {}
    steps, done = len(names) * (len(runs) + 1), 0

    def step() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(RANKING_STAGE, done, steps)

    if progress is not None:
        progress(RANKING_STAGE, 0, steps)
    for name in names:
        stats, scorer = _statistics(name, runs, rows, step)
        results[name] = rank_metric(name, labels, stats, scorer, signature=runs[0].metrics[name].signature,
                                    options=options)
        step()
    table = _segments_table(runs, labels, rows, names)
    flag_counts = {}
    for run, label in zip(runs, labels):
        counts = {"critical": 0, "major": 0, "minor": 0}
        for flags in run.segments.get("flags", pd.Series([], dtype=object)):
            for flag in flags_of(flags):
                if not flag.waived:
                    counts[flag.severity] = counts.get(flag.severity, 0) + 1
        flag_counts[label] = counts
    return Ranking(labels=tuple(labels), metrics=results, segments=table, notes=tuple(notes),
                   alpha=options.alpha, flag_counts=flag_counts)


def _segments_table(runs: Sequence[ScoreResult], labels: Sequence[str], rows: list[list[int]],
                    names: Sequence[str]) -> pd.DataFrame:
    first = runs[0].segments
    records = []
    for row in rows:
        record: dict[str, Any] = {
            "id": str(first["id"].iloc[row[0]]),
            "paragraph": int(first["paragraph"].iloc[row[0]]),
            "source": str(first["source"].iloc[row[0]]),
            "references": references_of(first["references"].iloc[row[0]]),
        }
        for k, (run, label) in enumerate(zip(runs, labels)):
            segment = run.segments.iloc[row[k]]
            record[f"translation:{label}"] = str(segment["translation"])
            for name in names:
                value = segment.get(name) if name in run.segments else None
                record[f"{name}:{label}"] = float(value) if value is not None and not pd.isna(value) else math.nan
            record[f"flags:{label}"] = list(segment.get("flags") or []) if "flags" in run.segments else []
        records.append(record)
    return pd.DataFrame(records)


def disagreements(ranking: Ranking, metric: str | None = None, limit: int = 10) -> pd.DataFrame:
    """The shared segments where the systems' segment scores differ most (largest spread of
    ``metric``, by default the first metric with segment scores), most first."""
    table = ranking.segments
    candidates = [metric] if metric else list(ranking.metrics)
    for name in candidates:
        columns = [f"{name}:{label}" for label in ranking.labels]
        if all(column in table for column in columns) and not table[columns].isna().all().all():
            spread = table[columns].max(axis=1) - table[columns].min(axis=1)
            return table.assign(spread=spread, spread_metric=name).sort_values(
                "spread", ascending=False, kind="stable").head(limit)
    return table.head(0).assign(spread=[], spread_metric=[])


def rank_files(
    score_file: FileScorer,
    translations: Sequence[str | Path],
    *,
    labels: Sequence[str] | None = None,
    metrics: Sequence[str] | None = None,
    options: SignificanceOptions | None = None,
    progress: Progress | None = None,
) -> Ranking:
    """Score several translation files of one source with ``score_file`` (same references and
    checks for each, in order), then rank them; labels default to the file names. ``progress``
    hears about the ranking (see :func:`rank_runs`)."""
    runs = [score_file(translation) for translation in translations]
    names = list(labels) if labels else unique_labels([Path(str(t)).name for t in translations])
    return rank_runs(runs, names, metrics=metrics, options=options, progress=progress)


def unique_labels(names: Sequence[str]) -> list[str]:
    """``names`` with a repeated name numbered: ``v1.txt``, ``v1.txt (2)``."""
    seen: dict[str, int] = {}
    labels = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        labels.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return labels
