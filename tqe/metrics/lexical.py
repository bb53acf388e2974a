"""BLEU, chrF, chrF++ and TER through sacrebleu, with each segment's statistics computed once.

Segment and document scores are both derived from the same per-segment sufficient statistics,
so one pass over the text gives what ``sacrebleu -sl`` and ``sacrebleu`` (corpus) give in two.
sacrebleu has no public API for per-segment statistics: every private call (extracting them,
turning them into scores, the p-value formula of :mod:`tqe.significance`) goes through
:mod:`tqe.metrics.sacrebleu_api`, which probes the installed sacrebleu first. pyproject.toml
pins the sacrebleu range these were checked against, and the tests compare every number with
sacrebleu's command line.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Callable, ClassVar, Sequence

from tqe.metrics.base import MetricResult

Progress = Callable[[str, int, int], None]

#: below this many segments, worker processes cost more than they save
PARALLEL_MIN_SEGMENTS = 4000
#: with a progress callback, statistics are extracted (and reported) this many segments at a time
PROGRESS_SEGMENTS = 2000


def _build(kind: str, options: dict[str, Any], sentence_level: bool = False) -> Any:
    from sacrebleu.metrics import BLEU, CHRF, TER

    if kind == "bleu":
        # sacrebleu's CLI turns on effective order for sentence-level BLEU (-sl)
        return BLEU(effective_order=sentence_level, **options)
    if kind == "chrf":
        return CHRF(**options)
    if kind == "ter":
        return TER(**options)
    raise ValueError(kind)


def segment_statistics(metric: Any, hypotheses: Sequence[str], references: Sequence[Sequence[str]]) -> list:
    """Sufficient statistics of every segment (:mod:`tqe.metrics.sacrebleu_api`)."""
    from tqe.metrics.sacrebleu_api import extract_statistics

    return extract_statistics(metric, hypotheses, references)


def _statistics_job(job: tuple[str, dict[str, Any], list[str], list[list[str]]]) -> list:
    kind, options, hypotheses, references = job
    return segment_statistics(_build(kind, options), hypotheses, references)


def _parallel_statistics(
    kind: str,
    options: dict[str, Any],
    hypotheses: Sequence[str],
    references: Sequence[Sequence[str]],
    workers: int,
    done: Callable[[int], None] | None = None,
) -> list:
    """Statistics from worker processes; ``done(segments so far)`` after each chunk, in order
    (with a callback, four chunks per worker, so that progress moves while they run)."""
    size = -(-len(hypotheses) // (workers * (4 if done else 1)))
    jobs = [
        (kind, options, list(hypotheses[i : i + size]), [list(r[i : i + size]) for r in references])
        for i in range(0, len(hypotheses), size)
    ]
    stats: list = []
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for chunk in pool.map(_statistics_job, jobs):
            stats += chunk
            if done:
                done(len(stats))
    return stats


def _default_workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


class _SacrebleuMetric:
    """Shared machinery; subclasses name the sacrebleu metric and its options."""

    name: ClassVar[str]
    kind: ClassVar[str]
    fixed_options: ClassVar[dict[str, Any]] = {}
    needs_reference = True

    def __init__(self, workers: int | None = None, progress: Progress | None = None, **options: Any) -> None:
        self.options = {**self.fixed_options, **options}
        self.workers = _default_workers() if workers is None else max(1, workers)
        self.progress = progress  # called (name, segments done, segments) while statistics are extracted

    def statistics(self, translations: Sequence[str], references: Sequence[Sequence[str]]) -> list:
        total = len(translations)
        progress = self.progress
        done = (lambda count: progress(self.name, count, total)) if progress else None
        if done:
            done(0)
        if self.workers > 1 and total >= PARALLEL_MIN_SEGMENTS:
            return _parallel_statistics(self.kind, self.options, translations, references, self.workers, done)
        metric = _build(self.kind, self.options)
        step = PROGRESS_SEGMENTS if done else max(total, 1)
        stats: list = []
        for start in range(0, max(total, 1), step):
            end = start + step
            stats += segment_statistics(metric, translations[start:end], [r[start:end] for r in references])
            if done:
                done(len(stats))
        return stats

    def compute(
        self,
        sources: Sequence[str],
        translations: Sequence[str],
        references: Sequence[Sequence[str]] | None,
    ) -> MetricResult:
        if not references:
            from tqe.errors import MetricError

            raise MetricError(f"{self.name} needs at least one reference translation (-r FILE)")
        stats = self.statistics(translations, references)
        corpus_metric = _build(self.kind, self.options)
        segment_metric = _build(self.kind, self.options, sentence_level=True)
        for metric in (corpus_metric, segment_metric):
            metric.num_refs = len(references)  # what reference caching would have recorded
        from tqe.metrics.sacrebleu_api import score_from_rows, score_from_sum

        corpus = score_from_rows(corpus_metric, stats)
        segment_scores = [float(score_from_sum(segment_metric, s).score) for s in stats]
        return MetricResult(
            name=self.name,
            corpus_score=float(corpus.score),
            segment_scores=segment_scores,
            signature=str(corpus_metric.get_signature()),
            segment_signature=str(segment_metric.get_signature()),
        )


class Bleu(_SacrebleuMetric):
    """sacreBLEU with its defaults (13a tokenizer, exp smoothing); segments use effective order."""

    name = "bleu"
    kind = "bleu"


class Chrf(_SacrebleuMetric):
    """chrF (character 6-grams, beta 2)."""

    name = "chrf"
    kind = "chrf"


class ChrfPlusPlus(_SacrebleuMetric):
    """chrF++: chrF plus word unigrams and bigrams."""

    name = "chrf++"
    kind = "chrf"
    fixed_options = {"word_order": 2}


class Ter(_SacrebleuMetric):
    """Translation Edit Rate (lower is better)."""

    name = "ter"
    kind = "ter"
