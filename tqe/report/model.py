"""The neutral report model: what a QA report says, before any renderer decides how it looks.

One model serves two reports. A quality report compares each translation with its first
reference; a revision report (``tqe.compare.comparison_report``) compares it with the previous
revision and adds score deltas and resolved flags. Renderers only read these objects.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from tqe.diff import DiffOp, word_diff
from tqe.metrics import metric_info
from tqe.model import (
    COMET_ERROR_SPANS,
    FLAGS,
    REFERENCES,
    SEVERITIES,
    SOURCE,
    TRANSLATION,
    WAIVED_FLAGS,
    ErrorSpan,
    Flag,
    error_spans_of,
    flags_of,
    references_of,
)
from tqe.model import MetricResultLike as MetricResultLike
from tqe.numbers import finite_or_none

if TYPE_CHECKING:
    from tqe.model import ScoreResult

REFERENCE_LABEL = "reference"
PREVIOUS_LABEL = "previous revision"


@dataclass(frozen=True)
class WaivedEntry:
    """A flag a reviewer waived as a false positive (tqe.waivers), with the segment it is on:
    reports count and list it apart, never among the segment's flags."""

    segment: str
    source: str
    translation: str
    flag: Flag

    @property
    def check(self) -> str:
        return self.flag.check

    @property
    def severity(self) -> str:
        return self.flag.severity

    @property
    def message(self) -> str:
        return self.flag.message

    @property
    def reason(self) -> str:
        return self.flag.reason


@dataclass(frozen=True)
class ReportItem:
    """One segment as the report shows it.

    ``compare_to`` is the text the translation is diffed against (the first reference, or the
    previous revision), named by ``compare_label``; ``diff`` turns ``compare_to`` into
    ``translation`` and is empty when there is nothing to compare with. ``scores`` maps metric
    name to segment score (metrics that did not run are absent); ``score_deltas`` maps metric
    name to new minus old score in a revision report. ``error_spans`` are xCOMET's error spans
    in the translation, checked against it and ordered by position (they may overlap).
    """

    id: str
    paragraph: int
    link: str
    source: str
    translation: str
    compare_to: str | None
    compare_label: str
    diff: tuple[DiffOp, ...]
    scores: Mapping[str, float]
    flags: tuple[Flag, ...]
    score_deltas: Mapping[str, float] = field(default_factory=dict)
    resolved_flags: tuple[Flag, ...] = ()
    extra_texts: tuple[tuple[str, str], ...] = ()
    error_spans: tuple[ErrorSpan, ...] = ()

    def translation_pieces(self) -> list[tuple[str, ErrorSpan | None]]:
        """The translation cut at its error spans: (text, span or None) in order, together the
        whole translation. Where spans overlap the more severe (then earlier) one is marked."""
        rank = {name: index for index, name in enumerate(SEVERITIES)}
        chosen: list[ErrorSpan] = []
        for span in sorted(self.error_spans, key=lambda s: (rank.get(s.severity, len(rank)), s.start, s.end)):
            if all(span.end <= other.start or span.start >= other.end for other in chosen):
                chosen.append(span)
        pieces: list[tuple[str, ErrorSpan | None]] = []
        position = 0
        for span in sorted(chosen, key=lambda s: s.start):
            if span.start > position:
                pieces.append((self.translation[position:span.start], None))
            pieces.append((self.translation[span.start:span.end], span))
            position = span.end
        if position < len(self.translation) or not pieces:
            pieces.append((self.translation[position:], None))
        return pieces

    @property
    def severity(self) -> str | None:
        """The most serious severity among the flags, or None for an unflagged segment."""
        present = {flag.severity for flag in self.flags}
        return next((name for name in SEVERITIES if name in present), None)

    @property
    def flagged(self) -> bool:
        return bool(self.flags)


@dataclass(frozen=True)
class CorpusScore:
    """A document score with the signature that says how it was computed."""

    metric: str
    score: float
    signature: str
    delta: float | None = None


@dataclass(frozen=True)
class Distribution:
    """Every segment score of one metric, and the flag threshold to mark on its picture."""

    metric: str
    scores: tuple[float, ...]
    threshold: float | None
    higher_is_better: bool

    def is_flagged(self, value: float) -> bool:
        """Whether ``value`` is on the flagged side of the threshold (never, without one)."""
        if self.threshold is None:
            return False
        return value < self.threshold if self.higher_is_better else value > self.threshold

    @property
    def below_threshold(self) -> int:
        """How many segments score on the flagged side of the threshold."""
        return sum(self.is_flagged(score) for score in self.scores)


@dataclass(frozen=True)
class Report:
    """A whole report: header facts, corpus numbers, flag counts, distributions and items."""

    title: str
    inputs: tuple[tuple[str, str], ...]
    metrics: tuple[str, ...]
    corpus_scores: tuple[CorpusScore, ...]
    severity_counts: Mapping[str, int]
    check_counts: Mapping[str, int]
    distributions: tuple[Distribution, ...]
    items: tuple[ReportItem, ...]
    segment_count: int
    flagged_count: int
    compare_label: str = REFERENCE_LABEL
    show_all: bool = False
    resolved_count: int = 0
    notes: tuple[str, ...] = ()
    #: the order ``items`` come in when it is not document order (e.g. "change, worst first")
    list_order: str | None = None
    #: what the flag counts cover when that is not the listed items (e.g. "new revision, all segments")
    flag_scope: str | None = None
    waived: tuple[WaivedEntry, ...] = ()

    @property
    def waived_count(self) -> int:
        """How many flags are waived (not counted in the flag counts)."""
        return len(self.waived)

    def score_flagged(self, metric: str, value: float) -> bool:
        """Whether a segment's ``metric`` score is past that metric's flag threshold."""
        return any(d.metric == metric and d.is_flagged(value) for d in self.distributions)

    @property
    def checks(self) -> tuple[str, ...]:
        """Check names that occur in the report, sorted."""
        names = {flag.check for item in self.items for flag in (*item.flags, *item.resolved_flags)}
        return tuple(sorted(names | set(self.check_counts)))


def _flags_of(value: Any) -> tuple[Flag, ...]:
    return tuple(flag for flag in flags_of(value) if not flag.waived)


def _waived_of(row: Mapping[str, Any]) -> tuple[WaivedEntry, ...]:
    """The segment's waived flags: its ``waived_flags`` column, and any flag marked waived."""
    flags = [flag for flag in flags_of(row.get(FLAGS)) if flag.waived] + flags_of(row.get(WAIVED_FLAGS))
    source, translation = str(row.get(SOURCE, "")), str(row.get(TRANSLATION, ""))
    return tuple(WaivedEntry(str(row["id"]), source, translation, flag) for flag in flags)


def _row_scores(row: Mapping[str, Any], metric_names: Sequence[str]) -> dict[str, float]:
    scores = {}
    for name in metric_names:
        number = finite_or_none(row.get(name))
        if number is not None:
            scores[name] = number
    return scores


def _corpus_scores(metrics: Mapping[str, MetricResultLike]) -> tuple[CorpusScore, ...]:
    return tuple(
        CorpusScore(name, float(result.corpus_score), str(result.signature))
        for name, result in metrics.items()
    )


def _distributions(
    segments: pd.DataFrame,
    metric_names: Sequence[str],
    thresholds: Mapping[str, float] | None,
) -> tuple[Distribution, ...]:
    distributions = []
    for name in metric_names:
        if name not in segments.columns:
            continue
        values = tuple(v for v in (finite_or_none(x) for x in segments[name]) if v is not None)
        threshold = (thresholds or {}).get(name)
        distributions.append(
            Distribution(
                metric=name,
                scores=values,
                threshold=None if threshold is None else float(threshold),
                higher_is_better=metric_info(name).higher_is_better,
            )
        )
    return tuple(distributions)


def count_flags(items_flags: Sequence[tuple[Flag, ...]]) -> tuple[dict[str, int], dict[str, int]]:
    severity_counts = {name: 0 for name in SEVERITIES}
    check_counts: dict[str, int] = {}
    for flags in items_flags:
        for flag in flags:
            severity_counts[flag.severity] = severity_counts.get(flag.severity, 0) + 1
            check_counts[flag.check] = check_counts.get(flag.check, 0) + 1
    return severity_counts, dict(sorted(check_counts.items()))


def _records(segments: pd.DataFrame) -> list[dict[str, Any]]:
    return segments.to_dict(orient="records")


def build_report(result: ScoreResult, *, title: str | None = None, show_all: bool = False) -> Report:
    """Build the quality report of a scored and flagged result (:func:`tqe.pipeline.run`).

    Everything comes from the result: the input names it records (file names only; ``-`` is
    standard input), the notes of metrics that were skipped, and the score limits its flag
    stage applied, drawn on the distributions (none for a metric whose score flags were off).
    ``title`` defaults to "Translation QA: <translation file name>".
    """
    names = {role: "standard input" if path == "-" else Path(path).name for role, path in result.inputs.items()}
    translation = result.inputs.get("translation")
    return build_table_report(
        result.segments, result.metrics,
        title=title or ("Translation QA" + (f": {Path(translation).name}" if translation else "")),
        inputs=names,
        show_all=show_all,
        thresholds=result.thresholds,
        notes=[f"{name} skipped: {reason}" for name, reason in result.skipped.items()],
    )


def build_table_report(
    segments: pd.DataFrame,
    metrics: Mapping[str, MetricResultLike],
    *,
    title: str,
    inputs: Mapping[str, str],
    show_all: bool = False,
    thresholds: Mapping[str, float] | None = None,
    notes: Sequence[str] = (),
) -> Report:
    """Build the quality report of one scored and flagged segments table.

    Items are the flagged segments (every segment when ``show_all``) in document order, each
    diffed against its first reference when it has one. ``metrics`` gives the corpus scores
    (name -> result with ``corpus_score`` and ``signature``); ``thresholds`` (metric -> flag
    threshold) are drawn on the score distributions. A table without a ``flags`` column counts
    as unflagged.
    """
    metric_names = tuple(metrics)
    rows = _records(segments)
    items = []
    all_flags = []
    waived: list[WaivedEntry] = []
    for row in rows:
        flags = _flags_of(row.get(FLAGS))
        all_flags.append(flags)
        waived += _waived_of(row)
        if not flags and not show_all:
            continue
        references = references_of(row.get(REFERENCES))
        translation = str(row.get(TRANSLATION, ""))
        compare_to = references[0] if references else None
        items.append(
            ReportItem(
                id=str(row["id"]),
                paragraph=int(row["paragraph"]),
                link=str(row["link"]),
                source=str(row.get(SOURCE, "")),
                translation=translation,
                compare_to=compare_to,
                compare_label=REFERENCE_LABEL,
                diff=tuple(word_diff(compare_to, translation)) if compare_to is not None else (),
                scores=_row_scores(row, metric_names),
                flags=flags,
                extra_texts=tuple(
                    (f"{REFERENCE_LABEL} {number}", text)
                    for number, text in enumerate(references[1:], start=2)
                ),
                error_spans=error_spans_of(row.get(COMET_ERROR_SPANS), translation),
            )
        )
    severity_counts, check_counts = count_flags(all_flags)
    return Report(
        title=title,
        inputs=tuple((str(k), str(v)) for k, v in inputs.items()),
        metrics=metric_names,
        corpus_scores=_corpus_scores(metrics),
        severity_counts=severity_counts,
        check_counts=check_counts,
        distributions=_distributions(segments, metric_names, thresholds),
        items=tuple(items),
        segment_count=len(rows),
        flagged_count=sum(1 for flags in all_flags if flags),
        compare_label=REFERENCE_LABEL,
        show_all=show_all,
        notes=tuple(notes),
        waived=tuple(waived),
    )
