"""The CI regression gate: what makes revision B a regression of A (``tqe compare
--fail-on-regression``, ``--max-segment-drop``, ``--new-flags``)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from tqe.model import SEVERITIES, SEVERITY_RANK
from tqe.compare.comparison import REMOVED, Comparison, gain
from tqe.errors import CompareError
from tqe.significance import WORSE

UNTESTED_DROP_POINTS = 1.0
"""A corpus drop larger than this (in points, see :func:`tqe.compare.comparison.points`) fails the gate when the paired
test cannot run, e.g. when B shares no segment with A."""


@dataclass(frozen=True)
class Regression:
    """One reason to fail a release: a corpus drop or a segment that lost too many points."""

    metric: str
    message: str
    segment: str | None = None
    drop: float = 0.0


@dataclass(frozen=True)
class GateOptions:
    """What fails the gate besides a significant corpus drop (``tqe compare --fail-on-regression``):
    ``max_segment_drop`` (``--max-segment-drop``), ``require_significant`` (False with
    ``--no-significance``) and ``new_flag_severity`` (``--new-flags``)."""

    max_segment_drop: float | None = None
    require_significant: bool = True
    new_flag_severity: str | None = None


def regressions(comparison: Comparison, gate: GateOptions | None = None) -> list[Regression]:
    """What makes revision B a regression of A, worst segment first.

    A corpus score that got worse counts when the paired test finds it significant (any drop
    when ``gate.require_significant`` is False). A drop the test could not look at (no segment in
    common, no references…) counts when it exceeds :data:`UNTESTED_DROP_POINTS`, and a B with
    no segment at all (while A had some) or without a score is always a regression: a collapse
    must not pass because there is nothing left to test. With ``max_segment_drop``, a matched
    segment whose translation changed and that lost more than that many points on a metric
    counts too (COMET points are hundredths). Unchanged texts never count. With
    ``new_flag_severity`` ("critical", "major" or "minor"), so does every new flag of that
    severity or worse.
    """
    gate = gate or GateOptions()
    max_segment_drop, require_significant = gate.max_segment_drop, gate.require_significant
    new_flag_severity = gate.new_flag_severity
    found: list[Regression] = []
    counts = comparison.counts
    segments_b = len(comparison.segments) - counts[REMOVED]
    if segments_b == 0 and counts[REMOVED]:
        found.append(
            Regression(
                metric="segments",
                message=f"B has no segments (A has {counts[REMOVED]}): nothing in B could be scored or tested",
                drop=math.inf,
            )
        )
    for name, result in comparison.metrics.items():
        corpus_gain = gain(name, result.delta)
        untested = ""
        if math.isfinite(result.score_a) and not math.isfinite(result.score_b):
            failing, untested = True, f"{name} has no score in B"
        elif require_significant and result.significance is None:
            failing = corpus_gain < -UNTESTED_DROP_POINTS
            untested = (
                f"{name} dropped from {result.score_a:.4g} to {result.score_b:.4g}, more than "
                f"{UNTESTED_DROP_POINTS:g} point, and significance could not be tested "
                f"({result.not_tested_reason or 'no paired scores'})"
            )
        elif require_significant:
            failing = result.verdict == WORSE
        else:
            failing = corpus_gain < 0
        if failing and untested:
            found.append(Regression(metric=name, message=untested, drop=-corpus_gain if math.isfinite(corpus_gain) else math.inf))
        elif failing:
            detail = ""
            if result.significance is not None:
                detail = f", p = {result.significance.p_value:.4f}"
            found.append(
                Regression(
                    metric=name,
                    message=f"{name} dropped from {result.score_a:.4g} to {result.score_b:.4g}{detail}",
                    drop=-corpus_gain,
                )
            )
    if max_segment_drop is not None:
        segment_drops = []
        changed = comparison.segments[comparison.segments["translation_changed"]]
        for row in changed.to_dict("records"):
            for name in comparison.metrics:
                delta = row.get(f"{name}_delta")
                if delta is None or math.isnan(delta):
                    continue
                drop = -gain(name, delta)
                if drop > max_segment_drop:
                    segment_drops.append(
                        Regression(
                            metric=name,
                            message=(
                                f"segment {row['id_b']} {name} dropped by {drop:.1f} points "
                                f"(limit {max_segment_drop:g})"
                            ),
                            segment=row["id_b"],
                            drop=drop,
                        )
                    )
        found += sorted(segment_drops, key=lambda item: -item.drop)
    if new_flag_severity is not None:
        if new_flag_severity not in SEVERITY_RANK:
            raise CompareError(f"unknown severity {new_flag_severity!r}; choose from {', '.join(SEVERITIES)}")
        worst_allowed = SEVERITY_RANK[new_flag_severity]
        for row in comparison.segments.to_dict("records"):
            for flag in row["new_flags"]:
                rank = SEVERITY_RANK[flag.severity]
                if rank <= worst_allowed:
                    found.append(
                        Regression(
                            metric=flag.check,
                            message=f"segment {row['id_b']} has a new {flag.severity} {flag.check} flag: {flag.message}",
                            segment=row["id_b"],
                        )
                    )
    return found
