"""BLEU, chrF, chrF++ and TER through sacrebleu, with each segment's statistics computed once.

Segment and document scores are both derived from the same per-segment sufficient statistics,
so one pass over the text gives what ``sacrebleu -sl`` and ``sacrebleu`` (corpus) give in two.
For BLEU and chrF those statistics are sacrebleu's integers computed by
:mod:`tqe.metrics.ngram_statistics`, several times faster than sacrebleu's own loops.
sacrebleu has no public API for per-segment statistics: every private call (extracting them,
turning them into scores, the p-value formula of :mod:`tqe.significance`) goes through
:mod:`tqe.metrics.sacrebleu_api`, which probes the installed sacrebleu first. pyproject.toml
pins the sacrebleu range these were checked against, and the tests compare every number with
sacrebleu's command line.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from typing import Any, Callable, ClassVar, Sequence

from tqe.metrics.base import MetricResult

Progress = Callable[[str, int, int], None]

#: below this many segments, worker processes cost more than they save
PARALLEL_MIN_SEGMENTS = 4000
#: with a progress callback, statistics are extracted (and reported) this many segments at a time
PROGRESS_SEGMENTS = 2000
#: statistics are extracted this many segments at a time: sacrebleu keeps the n-grams of every
#: reference of one extraction in memory (about 15 KB a segment for chrF), so a document of a
#: million segments would need tens of GB at once; each segment's statistics are its own, so
#: slices give the same numbers
EXTRACTION_SLICE = 10_000


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


def extract_statistics(metric: Any, hypotheses: Sequence[str], references: Sequence[Sequence[str]]) -> list:
    """sacrebleu's sufficient statistics of every segment: computed by
    :mod:`tqe.metrics.ngram_statistics` for BLEU and chrF, by sacrebleu for TER."""
    from tqe.metrics import ngram_statistics, sacrebleu_api

    hypotheses, references = list(hypotheses), [list(r) for r in references]
    stats = ngram_statistics.statistics(metric, hypotheses, references)
    return stats if stats is not None else sacrebleu_api.extract_statistics(metric, hypotheses, references)


def segment_statistics(metric: Any, hypotheses: Sequence[str], references: Sequence[Sequence[str]]) -> list:
    """Sufficient statistics of every segment (:func:`extract_statistics`), extracted
    :data:`EXTRACTION_SLICE` segments at a time."""
    if len(hypotheses) <= EXTRACTION_SLICE:
        return extract_statistics(metric, hypotheses, references)
    stats: list = []
    for start in range(0, len(hypotheses), EXTRACTION_SLICE):
        end = start + EXTRACTION_SLICE
        stats.extend(extract_statistics(metric, hypotheses[start:end], [r[start:end] for r in references]))
    return stats


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
    """Statistics from worker processes; ``done(segments so far)`` after each slice, in order."""
    jobs = _jobs(kind, options, hypotheses, references, workers, done)
    return [stat for chunk in _in_workers(_statistics_job, jobs, workers, done) for stat in chunk]


def _in_workers(function: Callable[[Any], Any], jobs: list, workers: int, done: Callable[[int], None] | None) -> Any:
    """Each job's result in order, from a pool of ``workers`` processes; ``done(segments so
    far)`` after each."""
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from _results(jobs, [pool.submit(function, job) for job in jobs], done)


def _results(jobs: list, futures: list[Future], done: Callable[[int], None] | None) -> Any:
    """Each job's result in order, from ``futures``; ``done(segments so far)`` after each."""
    finished = 0
    for job, future in zip(jobs, futures):
        yield future.result()
        finished += len(job[2])
        if done:
            done(finished)


def _jobs(
    kind: str,
    options: dict[str, Any],
    hypotheses: Sequence[str],
    references: Sequence[Sequence[str]],
    workers: int,
    done: Callable[[int], None] | None = None,
) -> list[tuple[str, dict[str, Any], list[str], list[list[str]]]]:
    """One slice per worker (four with a progress callback, so that progress moves while they
    run), or slices of :data:`EXTRACTION_SLICE` segments for a long document (a worker then
    holds one slice's texts and statistics at a time)."""
    size = min(-(-len(hypotheses) // (workers * (4 if done else 1))), EXTRACTION_SLICE)
    return [
        (kind, options, list(hypotheses[i : i + size]), [list(r[i : i + size]) for r in references])
        for i in range(0, len(hypotheses), size)
    ]


def _segment_scores(kind: str, options: dict[str, Any], stats: list, reference_count: int) -> list[float]:
    """Each segment's score from its statistics, as ``sacrebleu -sl`` computes it."""
    from tqe.metrics.sacrebleu_api import score_from_sum

    segment_metric = _build(kind, options, sentence_level=True)
    segment_metric.num_refs = reference_count  # what reference caching would have recorded
    return [float(score_from_sum(segment_metric, s).score) for s in stats]


def _scored_job(job: tuple[str, dict[str, Any], list[str], list[list[str]]]) -> tuple[list, list[float]]:
    kind, options, _, references = job
    stats = _statistics_job(job)
    return stats, _segment_scores(kind, options, stats, len(references))


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

    def _reporter(self, total: int) -> Callable[[int], None] | None:
        """``done(segments so far)`` for the progress callback (told 0 at once); None without one."""
        progress = self.progress
        if progress is None:
            return None

        def done(count: int) -> None:
            progress(self.name, count, total)

        done(0)
        return done

    def statistics(self, translations: Sequence[str], references: Sequence[Sequence[str]]) -> list:
        total = len(translations)
        done = self._reporter(total)
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
        return self.start(sources, translations, references)()

    def start(
        self,
        sources: Sequence[str],
        translations: Sequence[str],
        references: Sequence[Sequence[str]] | None,
        pool: Callable[[int], Executor] | None = None,
    ) -> Callable[[], MetricResult]:
        """Start scoring and return what finishes it. A long document goes to worker
        processes: those of ``pool(workers)`` (an executor shared by a run's metrics, which
        keeps working while the caller does something else until it calls the finisher), or
        a pool of its own; a short one is scored at once."""
        if not references:
            from tqe.errors import MetricError

            raise MetricError(f"{self.name} needs at least one reference translation (-r FILE)")
        reference_count = len(references)
        if self.workers > 1 and len(translations) >= PARALLEL_MIN_SEGMENTS:
            done = self._reporter(len(translations))
            jobs = _jobs(self.kind, self.options, translations, references, self.workers, done)
            if pool is None:
                parts = _in_workers(_scored_job, jobs, self.workers, done)
                return lambda: self._result(parts, reference_count)
            futures = [pool(self.workers).submit(_scored_job, job) for job in jobs]
            return lambda: self._result(_results(jobs, futures, done), reference_count)
        stats = self.statistics(translations, references)
        result = self._result([(stats, _segment_scores(self.kind, self.options, stats, reference_count))],
                              reference_count)
        return lambda: result

    def _result(self, parts: Iterable[tuple[list, list[float]]], reference_count: int) -> MetricResult:
        """The document's result from its slices' (statistics, segment scores), in order."""
        stats: list = []
        segment_scores: list[float] = []
        for part_stats, part_scores in parts:
            stats.extend(part_stats)
            segment_scores.extend(part_scores)
        corpus_metric = _build(self.kind, self.options)
        segment_metric = _build(self.kind, self.options, sentence_level=True)
        for metric in (corpus_metric, segment_metric):
            metric.num_refs = reference_count  # what reference caching would have recorded
        from tqe.metrics.sacrebleu_api import score_from_rows

        corpus = score_from_rows(corpus_metric, stats)
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
