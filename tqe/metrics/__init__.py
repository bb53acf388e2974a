"""Metric registry: one :class:`MetricInfo` record per metric, with every fact about it.

Each record holds the metric's import path (resolved only when the metric is used, so
``import tqe`` never loads torch or COMET) and what every stage needs to know about it: how
reports spell it, its scale, its direction, whether it needs a reference, how paired tests
resample it, its default flag thresholds and the smallest spread used for relative flags.
No other module keeps a table of metric facts: they ask :func:`metric_info`.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any, Literal

from tqe.errors import MetricError
from tqe.metrics.base import Metric, MetricResult

#: paired tests resample sacrebleu's sufficient statistics (exactly as sacrebleu does)
SUFFICIENT_STATISTICS = "sufficient statistics"
#: paired tests resample the mean of segment scores (COMET's system score is that mean)
SEGMENT_MEAN = "segment mean"


@dataclass(frozen=True)
class MetricInfo:
    """What a metric is, independent of any run.

    ``needs_reference`` is True, False or None when it depends on the model (COMET: a
    reference-free model scores without one, a reference-based one needs it).
    ``default_limit`` is the default absolute flag limit, on the worse side: a segment is
    flagged below it when higher is better, above it otherwise. ``default_robust_z`` is the
    default relative limit (robust deviations worse than the document median).
    ``min_spread`` is the smallest robust sigma used for relative flags, so that a document
    where nearly every segment scores the maximum does not call a good score an outlier.
    """

    name: str
    import_path: str
    label: str
    scale: float  # 100.0: sacrebleu's 0-100 points; 1.0: a 0-1 score such as COMET's
    higher_is_better: bool = True
    needs_reference: bool | None = True
    statistics: Literal["sufficient statistics", "segment mean"] = SEGMENT_MEAN
    default_limit: float | None = None
    default_robust_z: float | None = -3.0
    min_spread: float = 5.0

    @property
    def percent(self) -> bool:
        """On sacrebleu's 0-100 scale: reports print one decimal, a point is one unit."""
        return self.scale == 100.0

    @property
    def decimals(self) -> int:
        """Decimals reports print: one on the 0-100 scale (as sacrebleu does), three on 0-1."""
        return 1 if self.percent else 3

    def points(self, value: float) -> float:
        """``value`` (a score or a difference) in points of a 0-100 scale."""
        return value * (100.0 / self.scale)


_SACREBLEU = {"scale": 100.0, "needs_reference": True, "statistics": SUFFICIENT_STATISTICS, "min_spread": 5.0}

METRIC_INFO: dict[str, MetricInfo] = {
    info.name: info
    for info in (
        # sentence-level BLEU is too noisy for an absolute limit: outliers only
        MetricInfo("bleu", "tqe.metrics.lexical:Bleu", "BLEU", **_SACREBLEU),
        MetricInfo("chrf", "tqe.metrics.lexical:Chrf", "chrF", default_limit=40.0, **_SACREBLEU),
        # chrF++ adds word bigrams and runs a few points under chrF
        MetricInfo("chrf++", "tqe.metrics.lexical:ChrfPlusPlus", "chrF++", default_limit=38.0, **_SACREBLEU),
        MetricInfo("ter", "tqe.metrics.lexical:Ter", "TER", higher_is_better=False, **_SACREBLEU),
        # wmt22-comet-da: good translations score 0.8 and above, poor ones under 0.6
        MetricInfo(
            "comet", "tqe.metrics.comet:Comet", "COMET", scale=1.0, needs_reference=None,
            statistics=SEGMENT_MEAN, default_limit=0.6, min_spread=0.05,
        ),
    )
}

#: metric names and their import paths
METRICS: dict[str, str] = {name: info.import_path for name, info in METRIC_INFO.items()}

#: what runs when the user names no metric
DEFAULT_METRICS: tuple[str, ...] = ("bleu", "chrf", "comet")


def _unregistered(name: str) -> MetricInfo:
    """The facts assumed for a name outside the registry (a score read from elsewhere):
    printed as it is, on a 0-1 scale, higher is better, tested on segment means."""
    return MetricInfo(name, "", name, scale=1.0, needs_reference=None, default_robust_z=None)


def metric_info(name: str) -> MetricInfo:
    """The record of the metric called ``name``; a generic one for a name not registered."""
    return METRIC_INFO.get(name) or _unregistered(name)


def metric_label(name: str) -> str:
    """The usual spelling of a metric name (BLEU, chrF, COMET)."""
    return metric_info(name).label


def metric_class(name: str) -> type:
    """Import and return the class registered under ``name``."""
    key = name.lower()
    if key not in METRIC_INFO:
        raise MetricError(f"unknown metric {name!r}; choose from {', '.join(METRICS)}")
    module_name, _, class_name = METRIC_INFO[key].import_path.partition(":")
    return getattr(importlib.import_module(module_name), class_name)


def get_metric(name: str, **options: Any) -> Metric:
    """Build the metric registered under ``name`` with its options."""
    return metric_class(name)(**options)


__all__ = [
    "DEFAULT_METRICS",
    "METRICS",
    "METRIC_INFO",
    "Metric",
    "MetricInfo",
    "MetricResult",
    "get_metric",
    "metric_class",
    "metric_info",
    "metric_label",
]
