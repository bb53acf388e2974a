"""Paired significance of a score difference between two translations of the same segments.

Both tests are sacrebleu's (``sacrebleu/significance.py``), run on per-segment sufficient
statistics so they work from stored runs as well as from files:

- paired bootstrap resampling (Koehn 2004; sacrebleu ``--paired-bs``, 1000 resamples) and
- paired approximate randomization (Riezler & Maxwell 2005; sacrebleu ``--paired-ar``,
  10000 trials),

drawing the same random numbers from the same seed and scoring resamples with the same
sacrebleu calls, so the p-values equal sacrebleu's on the same inputs. sacrebleu's own
``_compute_p_value`` and ``estimate_ci`` are used as they are; its test functions are not
called directly because they extract statistics from text and do not return the resampled
scores that the confidence interval of the difference needs.

BLEU, chrF, chrF++ and TER resample sacrebleu's sufficient statistics. Metrics whose document
score is the mean of segment scores (COMET) resample the segment scores: each segment's
statistics are ``[score, 1]`` and a resample's score is their ratio.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from tqe.errors import CompareError
from tqe.metrics import metric_info
from tqe.signature import signature_field

DEFAULT_SEED = 12345
"""sacrebleu's default seed (``SACREBLEU_SEED``)."""

BOOTSTRAP_SAMPLES = 1000
RANDOMIZATION_TRIALS = 10000
ALPHA = 0.05
TESTS = ("bs", "ar")

BETTER, WORSE, NO_DIFFERENCE = "better", "worse", "no significant difference"

_CHUNK_BYTES = 64 * 1024 * 1024  # memory for one batch of bootstrap resamples


@dataclass(frozen=True)
class SignificanceOptions:
    """How the paired tests run: ``test`` picks the p-value behind a verdict ("bs" paired
    bootstrap, "ar" approximate randomization); the rest are sacrebleu's defaults."""

    test: str = "bs"
    bootstrap_samples: int = BOOTSTRAP_SAMPLES
    randomization_trials: int = RANDOMIZATION_TRIALS
    seed: int | None = DEFAULT_SEED
    alpha: float = ALPHA


class Scorer(Protocol):
    """Turns summed segment statistics into a document score, the two ways sacrebleu does."""

    def from_sum(self, summed: np.ndarray) -> float:
        """Score of one bootstrap resample (sacrebleu ``_compute_score_from_stats``)."""
        ...

    def from_rows(self, rows: Any) -> float:
        """Score of one randomization trial (sacrebleu ``_aggregate_and_compute``)."""
        ...


class SacrebleuScorer:
    """Scores statistics with a sacrebleu metric object (corpus settings)."""

    def __init__(self, metric: Any) -> None:
        self.metric = metric

    def from_sum(self, summed: np.ndarray) -> float:
        from tqe.metrics.sacrebleu_api import score_from_sum

        return float(score_from_sum(self.metric, summed).score)

    def from_rows(self, rows: Any) -> float:
        from tqe.metrics.sacrebleu_api import score_from_rows

        return float(score_from_rows(self.metric, rows).score)


class MeanScorer:
    """The document score is the mean of segment scores; statistics are ``[score, 1]``."""

    def from_sum(self, summed: np.ndarray) -> float:
        return float(summed[0] / summed[1])

    def from_rows(self, rows: Any) -> float:
        total = np.asarray(rows, dtype=float).sum(axis=0)
        return float(total[0] / total[1])


def mean_statistics(scores: Sequence[float]) -> list[list[float]]:
    """Per-segment statistics for a mean-of-segments metric such as COMET."""
    return [[float(score), 1.0] for score in scores]


@dataclass(frozen=True)
class PairedSignificance:
    """The paired tests of B against A for one metric on the segments both share.

    ``delta`` is ``score_b - score_a``; ``ci_low``/``ci_high`` bound it at 95% (from the
    bootstrap resamples, sacrebleu's percentile convention). ``test`` names the p-value the
    verdict uses: "bs" (paired bootstrap) or "ar" (approximate randomization).
    """

    metric: str
    score_a: float
    score_b: float
    p_bootstrap: float
    p_randomization: float
    ci_low: float
    ci_high: float
    segments: int
    bootstrap_samples: int
    randomization_trials: int
    seed: int | None
    test: str = "bs"
    alpha: float = ALPHA

    @property
    def delta(self) -> float:
        return self.score_b - self.score_a

    @property
    def p_value(self) -> float:
        return self.p_bootstrap if self.test == "bs" else self.p_randomization

    @property
    def significant(self) -> bool:
        return self.p_value < self.alpha

    @property
    def verdict(self) -> str:
        return verdict(self.metric, self.delta, self.p_value, self.alpha)


def verdict(metric: str, delta: float, p_value: float | None, alpha: float = ALPHA) -> str:
    """"better", "worse" or "no significant difference" for B against A (TER: lower is better).

    A zero difference is never significant: sacrebleu's p-values count resampled differences
    strictly above the real one, which gives identical systems the smallest p-value.
    """
    if p_value is None or not math.isfinite(delta) or p_value >= alpha or delta == 0:
        return NO_DIFFERENCE
    improved = delta > 0 if metric_info(metric).higher_is_better else delta < 0
    return BETTER if improved else WORSE


def _as_array(stats: Sequence[Sequence[float]] | np.ndarray, dtype: str) -> np.ndarray:
    array = np.array(stats, dtype=dtype)
    if array.ndim != 2:
        raise ValueError("statistics must be one row per segment")
    return array


def bootstrap_scores(
    stats_a: Sequence[Sequence[float]] | np.ndarray,
    stats_b: Sequence[Sequence[float]] | np.ndarray,
    scorer: Scorer,
    n_samples: int = BOOTSTRAP_SAMPLES,
    seed: int | None = DEFAULT_SEED,
) -> tuple[np.ndarray, np.ndarray]:
    """The scores of A and B on the same ``n_samples`` bootstrap resamples of the segments.

    Same draws as sacrebleu's ``_paired_bs_test`` (``rng.choice(n, (n_samples, n))`` from
    ``default_rng(seed)``, float32 statistics); resamples are summed in batches to bound memory.
    """
    a = _as_array(stats_a, "float32")
    b = _as_array(stats_b, "float32")
    if a.shape != b.shape or not len(a):
        raise ValueError("both systems need statistics for the same, non-empty, segments")
    idxs = resample_indices(len(a), n_samples, seed)
    return resampled_scores(a, idxs, scorer), resampled_scores(b, idxs, scorer)


def resample_indices(segments: int, n_samples: int = BOOTSTRAP_SAMPLES, seed: int | None = DEFAULT_SEED) -> np.ndarray:
    """sacrebleu's bootstrap draws: ``rng.choice(n, (n_samples, n))`` from ``default_rng(seed)``."""
    return np.random.default_rng(seed).choice(segments, size=(n_samples, segments), replace=True)


def resampled_scores(stats: Sequence[Sequence[float]] | np.ndarray, idxs: np.ndarray, scorer: Scorer) -> np.ndarray:
    """One system's score on each bootstrap resample ``idxs`` (float32 statistics, as sacrebleu
    sums them), summed in batches to bound memory."""
    array = _as_array(stats, "float32")
    batch = max(1, _CHUNK_BYTES // max(1, array.shape[0] * array.shape[1] * 4))
    scores: list[float] = []
    for start in range(0, len(idxs), batch):
        scores += [scorer.from_sum(summed) for summed in array[idxs[start : start + batch]].sum(axis=1)]
    return np.array(scores)


def bootstrap_p_value(scores_a: np.ndarray, scores_b: np.ndarray, real_difference: float) -> float:
    """sacrebleu's paired bootstrap p-value from the resampled scores."""
    from tqe.metrics.sacrebleu_api import p_value

    sample_diffs = np.abs(scores_b - scores_a)
    return p_value(sample_diffs - sample_diffs.mean(), real_difference)


def randomization_p_value(
    stats_a: Sequence[Sequence[float]] | np.ndarray,
    stats_b: Sequence[Sequence[float]] | np.ndarray,
    scorer: Scorer,
    real_difference: float,
    n_trials: int = RANDOMIZATION_TRIALS,
    seed: int | None = DEFAULT_SEED,
) -> float:
    """sacrebleu's paired approximate randomization p-value (``_paired_ar_test``).

    Each trial swaps the two systems' outputs on a random half of the segments; the p-value is
    how often the swapped systems differ by more than the real difference.
    """
    from tqe.metrics.sacrebleu_api import p_value

    a = np.asarray(stats_a, dtype=float)
    b = np.asarray(stats_b, dtype=float)
    rng = np.random.default_rng(seed)
    pos_sel = rng.integers(2, size=(n_trials, len(a)), dtype=bool)
    # float matrix products (exact for integer statistics) in batches of trials, to bound memory
    batch = max(1, _CHUNK_BYTES // max(1, len(a) * 8))
    scores_a: list[float] = []
    scores_b: list[float] = []
    for start in range(0, n_trials, batch):
        pos = pos_sel[start : start + batch].astype(float)
        neg = 1.0 - pos
        shuf_a = pos @ a + neg @ b
        shuf_b = neg @ a + pos @ b
        scores_a += [scorer.from_rows(x) for x in shuf_a[:, None]]
        scores_b += [scorer.from_rows(x) for x in shuf_b[:, None]]
    return p_value(np.abs(np.array(scores_a) - np.array(scores_b)), real_difference)


def delta_interval(scores_a: np.ndarray, scores_b: np.ndarray) -> tuple[float, float]:
    """95% interval of B - A over the bootstrap resamples (sacrebleu's ``estimate_ci`` cut-offs)."""
    diffs = np.sort(scores_b - scores_a)
    lower = len(diffs) // 40
    return float(diffs[lower]), float(diffs[len(diffs) - lower - 1])


def paired_significance(
    metric: str,
    stats_a: Sequence[Sequence[float]] | np.ndarray,
    stats_b: Sequence[Sequence[float]] | np.ndarray,
    scorer: Scorer,
    options: SignificanceOptions | None = None,
) -> PairedSignificance:
    """Run both paired tests on per-segment statistics of A (baseline) and B."""
    options = options or SignificanceOptions()
    if options.test not in TESTS:
        raise ValueError(f"unknown test {options.test!r}; choose from {', '.join(TESTS)}")
    rows_a = [list(row) for row in stats_a]
    rows_b = [list(row) for row in stats_b]
    score_a = scorer.from_rows(rows_a)
    score_b = scorer.from_rows(rows_b)
    real_difference = abs(score_a - score_b)
    boot_a, boot_b = bootstrap_scores(rows_a, rows_b, scorer, options.bootstrap_samples, options.seed)
    low, high = delta_interval(boot_a, boot_b)
    return PairedSignificance(
        metric=metric,
        score_a=score_a,
        score_b=score_b,
        p_bootstrap=bootstrap_p_value(boot_a, boot_b, real_difference),
        p_randomization=randomization_p_value(
            rows_a, rows_b, scorer, real_difference, options.randomization_trials, options.seed
        ),
        ci_low=low,
        ci_high=high,
        segments=len(rows_a),
        bootstrap_samples=options.bootstrap_samples,
        randomization_trials=options.randomization_trials,
        seed=options.seed,
        test=options.test,
        alpha=options.alpha,
    )


def sacrebleu_metric(name: str, signature: str | None = None) -> Any:
    """The corpus-level sacrebleu metric object tqe uses for ``name``.

    With ``signature``, raises :class:`CompareError` unless the rebuilt metric has that exact
    signature, so a stored run is never re-tested with other settings or another sacrebleu.
    """
    from tqe.metrics import get_metric
    from tqe.metrics.lexical import _build

    tqe_metric: Any = get_metric(name)  # a tqe.metrics.lexical metric: has kind and options
    metric = _build(tqe_metric.kind, tqe_metric.options)
    if signature is not None:
        metric.num_refs = _signature_refs(signature)
        rebuilt = str(metric.get_signature())
        if rebuilt != signature:
            raise CompareError(
                f"cannot test {name} significance: the stored signature {signature} is not "
                f"this tqe's {rebuilt}"
            )
    return metric


def _signature_refs(signature: str) -> int:
    """sacrebleu's ``num_refs`` from a signature's ``nrefs`` field: -1 for "var", else a count."""
    value = signature_field(signature, "nrefs")
    if value == "var":
        return -1
    return int(value) if value is not None and value.isdigit() else 1


def text_significance(
    metric: str,
    translations_a: Sequence[str],
    translations_b: Sequence[str],
    references: Sequence[Sequence[str]],
    *,
    signature: str | None = None,
    options: SignificanceOptions | None = None,
) -> PairedSignificance:
    """Paired tests for a sacrebleu metric from texts (``references``: sacrebleu's layout,
    one list per reference, each as long as the translations)."""
    from tqe.metrics import get_metric

    sacre = sacrebleu_metric(metric, signature)
    extractor: Any = get_metric(metric)  # tqe.metrics.lexical: statistics() per segment
    refs = [list(stream) for stream in references]
    stats_a = list(extractor.statistics(list(translations_a), refs))
    # a segment's statistics depend only on its own texts: recompute the changed ones only
    changed = [i for i, (old, new) in enumerate(zip(translations_a, translations_b)) if old != new]
    stats_b = list(stats_a)
    if changed:
        fresh = extractor.statistics([translations_b[i] for i in changed], [[s[i] for i in changed] for s in refs])
        for index, stats in zip(changed, fresh):
            stats_b[index] = stats
    return paired_significance(metric, stats_a, stats_b, SacrebleuScorer(sacre), options)


def score_significance(
    metric: str,
    scores_a: Sequence[float],
    scores_b: Sequence[float],
    options: SignificanceOptions | None = None,
) -> PairedSignificance:
    """Paired tests for a metric whose document score is the mean of its segment scores."""
    return paired_significance(
        metric, mean_statistics(scores_a), mean_statistics(scores_b), MeanScorer(), options
    )
