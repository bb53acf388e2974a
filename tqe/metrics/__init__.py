"""Metric registry: names map to import paths, resolved only when a metric is used.

Keeping import paths (not classes) here means ``import tqe`` never loads torch or COMET.
"""

from __future__ import annotations

import importlib
from typing import Any

from tqe.errors import MetricError
from tqe.metrics.base import Metric, MetricResult

METRICS: dict[str, str] = {
    "bleu": "tqe.metrics.lexical:Bleu",
    "chrf": "tqe.metrics.lexical:Chrf",
    "chrf++": "tqe.metrics.lexical:ChrfPlusPlus",
    "ter": "tqe.metrics.lexical:Ter",
    "comet": "tqe.metrics.comet:Comet",
}

#: what runs when the user names no metric
DEFAULT_METRICS: tuple[str, ...] = ("bleu", "chrf", "comet")

#: higher is better for every metric but these
LOWER_IS_BETTER = frozenset({"ter"})


def metric_class(name: str) -> type:
    """Import and return the class registered under ``name``."""
    key = name.lower()
    if key not in METRICS:
        raise MetricError(f"unknown metric {name!r}; choose from {', '.join(METRICS)}")
    module_name, _, class_name = METRICS[key].partition(":")
    return getattr(importlib.import_module(module_name), class_name)


def get_metric(name: str, **options: Any) -> Metric:
    """Build the metric registered under ``name`` with its options."""
    return metric_class(name)(**options)


__all__ = ["DEFAULT_METRICS", "LOWER_IS_BETTER", "METRICS", "Metric", "MetricResult", "get_metric", "metric_class"]
