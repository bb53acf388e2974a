"""Self-contained HTML rendering of a report: one file, inline CSS, a little inline JS, inline SVG.

The page is the ``report.html`` template (on ``base.html``, with the one stylesheet
``report.css``) in :mod:`tqe.report._jinja`'s environment, where autoescaping is on: every
piece of text from the data is escaped by default; data for the script sits only in escaped
``data-*`` attributes. This module only computes what the template shows (chart geometry,
sort options, document order, each segment's values once) and the word-diff fragment, whose
texts go through ``markupsafe.escape``. A Content-Security-Policy allows no network access and
only the report's own style and script (by hash), so even a missed escape could not load or
run anything.
"""

from __future__ import annotations

import json
import math
from typing import Any, NamedTuple

from markupsafe import Markup, escape

from tqe.diff import DiffOp
from tqe.model import SEVERITIES, Flag
from tqe.metrics import metric_info
from tqe.report._format import (
    diff_title,
    format_delta,
    format_score,
    item_meta,
    metric_label,
)
from tqe.report._jinja import render_page
from tqe.report.model import (
    Distribution,
    Report,
    ReportItem,
)

_BINS = 20

def _axis_range(distribution: Distribution) -> tuple[float, float]:
    values = list(distribution.scores)
    if distribution.threshold is not None:
        values.append(distribution.threshold)
    if metric_info(distribution.metric).percent:
        top = round(max(values, default=100.0), 6)  # 100.00000000000001 is still 100
        return 0.0, max(100.0, math.ceil(top / 10) * 10)
    low = min(0.0, math.floor(min(values, default=0.0) * 10) / 10)
    high = max(1.0, math.ceil(max(values, default=1.0) * 10) / 10)
    return low, high


def _tick(metric: str, value: float) -> str:
    if metric_info(metric).percent:
        return f"{value:.0f}" if value == int(value) else format_score(metric, value)
    return f"{value:g}"


def _histogram(distribution: Distribution) -> dict[str, Any]:
    """What the template draws for one metric: an SVG histogram of segment scores with the
    flag threshold as a dashed line (coordinates already formatted)."""
    width, height = 320, 150
    left, right, top, bottom = 34, 310, 16, 120
    low, high = _axis_range(distribution)
    span = high - low
    counts = [0] * _BINS
    for score in distribution.scores:
        index = int((score - low) / span * _BINS)
        counts[min(max(index, 0), _BINS - 1)] += 1
    tallest = max(counts, default=0) or 1
    bar_width = (right - left) / _BINS
    metric = distribution.metric

    def x_of(value: float) -> float:
        return left + (value - low) / span * (right - left)

    label = metric_label(metric)
    description = f"Distribution of {len(distribution.scores)} segment {label} scores"
    if distribution.threshold is not None:
        description += f", flag threshold {format_score(metric, distribution.threshold)}"
    bars = []
    for index, count in enumerate(counts):
        if not count:
            continue
        bar_height = count / tallest * (bottom - top)
        bin_low = low + index * span / _BINS
        bin_high = bin_low + span / _BINS
        bars.append({
            "x": f"{left + index * bar_width + 0.5:.1f}", "y": f"{bottom - bar_height:.1f}",
            "width": f"{bar_width - 1:.1f}", "height": f"{bar_height:.1f}",
            "tip": f"{count} segments from {format_score(metric, bin_low)} to {format_score(metric, bin_high)}",
        })
    middle = (low + high) / 2
    ticks = [
        {"x": f"{x_of(value):.1f}", "y": bottom + 14, "anchor": anchor, "text": _tick(metric, value)}
        for value, anchor in ((low, "start"), (middle, "middle"), (high, "end"))
    ]
    ticks += [
        {"x": left - 4, "y": top + 4, "anchor": "end", "text": tallest},
        {"x": left - 4, "y": bottom, "anchor": "end", "text": 0},
    ]
    threshold = None
    if distribution.threshold is not None:
        x = x_of(distribution.threshold)
        anchor = "start" if x < (left + right) / 2 else "end"
        threshold = {
            "x": f"{x:.1f}", "y1": top - 6, "y2": bottom, "text": f"threshold {format_score(metric, distribution.threshold)}",
            "label_x": f"{x + (4 if anchor == 'start' else -4):.1f}", "label_y": top - 2, "anchor": anchor,
        }
    caption = f"{label}: {len(distribution.scores)} segments"
    if distribution.threshold is not None:
        side = "below" if distribution.higher_is_better else "above"
        caption += f", {distribution.below_threshold} {side} the flag threshold"
    return {
        "width": width, "height": height, "description": description, "bars": bars,
        "axes": [(left, bottom, right, bottom), (left, top, left, bottom)], "ticks": ticks, "threshold": threshold,
        "label": label, "label_x": f"{(left + right) / 2:.1f}", "label_y": height - 2, "caption": caption,
    }


def _document_positions(items: tuple[ReportItem, ...]) -> list[int]:
    """Each item's rank in document order (paragraph, then the numbers of its id)."""

    def key(index: int) -> tuple:
        item = items[index]
        numbers = tuple(int(part) if part.isdigit() else 0 for part in str(item.id).split("."))
        return (item.paragraph, numbers, index)

    ranks = [0] * len(items)
    for rank, index in enumerate(sorted(range(len(items)), key=key)):
        ranks[index] = rank
    return ranks


#: the tags around each kind of word-diff operation
_DIFF_TAGS = {"delete": ("<del>", "</del>"), "insert": ("<ins>", "</ins>"), "equal": ("", "")}

#: one encoder for every segment's data-scores (json.dumps with options builds one per call)
_SCORES_JSON = json.JSONEncoder(sort_keys=True)


def _diff_markup(diff: tuple[DiffOp, ...]) -> Markup:
    """The word diff as one fragment: deletions in ``<del>``, insertions in ``<ins>``. The only
    text not written here is each operation's, and it goes through ``escape`` (one call per
    operation instead of a template loop over the operations)."""
    parts: list[str] = []
    for op in diff:
        opening, closing = _DIFF_TAGS[op.kind]
        parts += (" " if op.space_before else "", opening, escape(op.text), closing)
    return Markup("".join(parts))


class _Entry(NamedTuple):
    """What the template shows of one segment, computed once here rather than in the template
    (the template escapes every text it prints)."""

    item: ReportItem
    order: int
    position: int
    severity: str
    flagged: bool
    meta: str
    scores_json: str
    scores: list[tuple[str, str, bool, str | None]]
    compare_label: str | None  # capitalised, when the segment has a text to compare with
    diff_title: str | None
    diff: Markup | None
    flags: list[tuple[Flag, bool]]  # (flag, resolved)
    extra_texts: list[tuple[str, str]]


def _item_view(report: Report, item: ReportItem, order: int, position: int,
               distributions: dict[str, list[Distribution]]) -> _Entry:
    scores = []
    for metric in report.metrics:
        if metric not in item.scores:
            continue
        value = item.scores[metric]
        delta = format_delta(metric, item.score_deltas[metric]) if metric in item.score_deltas else None
        low = any(distribution.is_flagged(value) for distribution in distributions[metric])  # Report.score_flagged
        scores.append((metric_label(metric), format_score(metric, value), low, delta))
    severity = item.severity
    compared = item.compare_to is not None
    return _Entry(
        item=item,
        order=order,
        position=position,
        severity=severity or "unflagged",
        flagged=severity is not None,
        meta=item_meta(item),
        scores_json=_SCORES_JSON.encode(dict(item.scores)),
        scores=scores,
        compare_label=item.compare_label.capitalize() if compared else None,
        diff_title=diff_title(item) if compared else None,
        diff=_diff_markup(item.diff) if compared else None,
        flags=[(flag, False) for flag in item.flags] + [(flag, True) for flag in item.resolved_flags],
        extra_texts=[(label.capitalize(), text) for label, text in item.extra_texts],
    )


def _controls_view(report: Report) -> dict[str, Any]:
    severities = list(SEVERITIES)
    for item in report.items:
        for flag in item.flags:
            if flag.severity not in severities:
                severities.append(flag.severity)
    sorts = [("doc", "document order")]
    if report.list_order:
        sorts.insert(0, ("list", report.list_order))
    for metric in report.metrics:
        label = metric_label(metric)
        sorts.append((f"asc:{metric}", f"{label}, lowest first"))
        sorts.append((f"desc:{metric}", f"{label}, highest first"))
    return {"severities": severities, "sorts": sorts, "any_unflagged": any(not item.flagged for item in report.items)}


def _flag_summary(report: Report) -> str:
    noun = "segment" if report.segment_count == 1 else "segments"
    flagged = f"{report.flagged_count} of {report.segment_count} {noun} flagged"
    if report.flag_scope:
        flagged = f"{report.flag_scope}: {flagged}"
    if report.resolved_count:
        flagged += f", {report.resolved_count} flags resolved"
    return flagged


def render_html(report: Report) -> str:
    """The whole report as one self-contained HTML document."""
    positions = _document_positions(report.items)
    # each metric's distributions, looked up once rather than for every segment score
    distributions = {metric: [d for d in report.distributions if d.metric == metric] for metric in report.metrics}
    view = {
        "summary": _flag_summary(report),
        "charts": [_histogram(distribution) for distribution in report.distributions],
        "entries": [
            _item_view(report, item, order, position, distributions)
            for order, (item, position) in enumerate(zip(report.items, positions))
        ],
        **_controls_view(report),
    }
    return render_page(
        "report.html", script="report.js", title=report.title, report=report, view=view,
        metric_label=metric_label, format_score=format_score, format_delta=format_delta,
        item_meta=item_meta, diff_title=diff_title,
    )
