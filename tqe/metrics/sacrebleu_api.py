"""Every call into sacrebleu's private API, in one place.

tqe needs three things sacrebleu does not expose publicly: the sufficient statistics of each
segment (so segment and document scores come from one extraction), a score from summed or
listed statistics (for resampling in the paired tests), and sacrebleu's p-value formula. These
are ``Metric._extract_corpus_statistics``, ``Metric._compute_score_from_stats``,
``Metric._aggregate_and_compute`` and ``sacrebleu.significance._compute_p_value`` in sacrebleu
2.4 to 2.6 (pyproject pins that range). :func:`check_sacrebleu` probes for them, so another
sacrebleu is one :class:`MetricError` line instead of an ``AttributeError`` traceback; the test
suite compares every number with the sacrebleu command line.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from tqe.errors import MetricError

#: the range pyproject.toml pins; said in the error when the probe fails
SUPPORTED = ">=2.4,<2.7"


@cache
def check_sacrebleu() -> None:
    """:class:`MetricError` when the installed sacrebleu lacks what tqe calls."""
    import sacrebleu
    from sacrebleu.metrics.base import Metric

    missing = [name for name in ("_extract_corpus_statistics", "_compute_score_from_stats", "_aggregate_and_compute")
               if not callable(getattr(Metric, name, None))]
    import sacrebleu.significance as significance

    if not callable(getattr(significance, "_compute_p_value", None)):
        missing.append("significance._compute_p_value")
    if missing:
        raise MetricError(
            f"sacrebleu {getattr(sacrebleu, '__version__', '?')} lacks {', '.join(missing)}, which tqe uses; "
            f"install sacrebleu{SUPPORTED}"
        )


def extract_statistics(metric: Any, hypotheses: Sequence[str], references: Sequence[Sequence[str]]) -> list:
    """Sufficient statistics of every segment."""
    check_sacrebleu()
    return metric._extract_corpus_statistics(list(hypotheses), [list(r) for r in references])


def score_from_sum(metric: Any, summed: Any) -> Any:
    """The score object of summed statistics (one bootstrap resample, or one segment)."""
    return metric._compute_score_from_stats(summed)


def score_from_rows(metric: Any, rows: Any) -> Any:
    """The score object of a list of segment statistics (the document)."""
    return metric._aggregate_and_compute(rows)


def p_value(differences: Any, real_difference: float) -> float:
    """sacrebleu's p-value: how often the resampled differences exceed the real one."""
    from sacrebleu.significance import _compute_p_value

    return float(_compute_p_value(differences, real_difference))
