"""Compare revisions of a translation: segments matched across revisions, corpus and segment
changes with paired significance, the CI regression gate, and rankings of several systems.

>>> import tqe
>>> comparison = tqe.compare(tqe.score(src, "v1.fr.txt", refs), tqe.score(src, "v2.fr.txt", refs))
>>> comparison.metrics["bleu"].verdict
'better'

``tqe.compare`` is this package and calls :func:`compare` (the package object is callable, so
that ``tqe.compare(...)`` and ``tqe.compare.regressions`` both work). Rendering lives in
:mod:`tqe.report.comparison`.
"""

from __future__ import annotations

import sys
import types
from typing import Any

from tqe.compare.comparable import check_signatures, comparable_runs, signature_mismatch
from tqe.compare.comparison import (
    ADDED,
    CHANGED,
    MOVED,
    NO_CHANGE,
    NOT_TESTED,
    REMOVED,
    TEST_NAMES,
    UNCHANGED,
    Comparison,
    FileScorer,
    MetricComparison,
    change_label,
    compare,
    compare_files,
    gain,
    history_significance,
    points,
)
from tqe.compare.gate import GateOptions, Regression, regressions
from tqe.compare.matching import match_segments

__all__ = [
    "ADDED",
    "CHANGED",
    "MOVED",
    "NOT_TESTED",
    "NO_CHANGE",
    "REMOVED",
    "TEST_NAMES",
    "UNCHANGED",
    "Comparison",
    "FileScorer",
    "GateOptions",
    "MetricComparison",
    "Regression",
    "change_label",
    "check_signatures",
    "comparable_runs",
    "compare",
    "compare_files",
    "gain",
    "history_significance",
    "match_segments",
    "points",
    "regressions",
    "signature_mismatch",
]


class _CallableModule(types.ModuleType):
    """``tqe.compare(a, b, ...)`` is :func:`compare`: importing ``tqe.compare.gate`` (or any
    other module of this package) makes ``tqe.compare`` the package, so the package calls."""

    def __call__(self, *args: Any, **kwargs: Any) -> Comparison:
        return compare(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
