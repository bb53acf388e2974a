"""Comparisons as reports: a two-revision comparison as the neutral :class:`Report` (every
renderer of ``tqe report`` shows it), and the JSON forms of a comparison and of a ranking.

Pure functions of :class:`tqe.compare.Comparison` and :class:`tqe.compare.ranking.Ranking`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from tqe.compare.comparison import (
    ADDED,
    MOVED,
    NOT_TESTED,
    REMOVED,
    TEST_NAMES,
    Comparison,
    MetricComparison,
    change_label,
)
from tqe.compare.ranking import Ranking
from tqe.diff import word_diff
from tqe.numbers import finite_or_none
from tqe.report._format import format_delta, format_score, metric_label
from tqe.report.model import (
    PREVIOUS_LABEL,
    CorpusScore,
    Flag,
    Report,
    ReportItem,
    count_flags,
)


def significance_line(result: MetricComparison) -> str:
    """One plain sentence about a metric, for reports and the terminal."""
    name = result.metric
    line = (
        f"{metric_label(name)}: {format_score(name, result.score_a)} → {format_score(name, result.score_b)} "
        f"({format_delta(name, result.delta)})"
    )
    sig = result.significance
    if sig is None:
        return f"{line}, {NOT_TESTED} ({result.not_tested_reason})"
    if result.identical:  # sacrebleu's p-values would read as significant; see MetricComparison.p_value
        return f"{line}, p = {result.p_value:.4f} (identical scores on {sig.segments} segments): {result.verdict}"
    return (
        f"{line}, 95% CI {format_delta(name, sig.ci_low)} to {format_delta(name, sig.ci_high)}, "
        f"p = {sig.p_value:.4f} ({TEST_NAMES[sig.test]}; bootstrap p = {sig.p_bootstrap:.4f}, "
        f"randomization p = {sig.p_randomization:.4f}, {sig.segments} segments): {result.verdict}"
    )


def comparison_report(
    comparison: Comparison,
    *,
    title: str | None = None,
    inputs: Mapping[str, str] | None = None,
    show_all: bool = False,
) -> Report:
    """The comparison as a :class:`tqe.report.Report`: regressed segments (worst first), then
    improved, added, removed and moved ones; every renderer of ``tqe report`` can show it."""
    names = list(comparison.metrics)
    table = comparison.segments

    def flag_objects(flags: list[Flag], new_checks: set[str] | None = None) -> tuple[Flag, ...]:
        return tuple(
            replace(flag, change="new" if new_checks is not None and flag.check in new_checks else None)
            for flag in flags
        )

    def item(row: Mapping[str, Any], change: str) -> ReportItem:
        old = row["translation_a"]
        new = row["translation_b"]
        removed = row["status"] == REMOVED
        side = "a" if removed else "b"
        scores = {n: row[f"{n}_{side}"] for n in names if not math.isnan(row[f"{n}_{side}"])}
        deltas = {n: row[f"{n}_delta"] for n in names if not math.isnan(row[f"{n}_delta"])}
        new_checks = {flag.check for flag in row["new_flags"]}
        references = row["references"]
        ref_texts = tuple(
            ("reference" if len(references) == 1 else f"reference {k}", text)
            for k, text in enumerate(references, start=1)
        )
        return ReportItem(
            id=str(row["id_a"] if removed else row["id_b"]),
            paragraph=int(row["paragraph"]),
            link=str(row["link"]),
            source=str(row["source"]),
            translation="" if removed else str(new),
            compare_to=None if old is None else str(old),
            compare_label=PREVIOUS_LABEL,
            diff=tuple(word_diff(str(old or ""), "" if removed else str(new))),
            scores=scores,
            flags=() if removed else flag_objects(row["flags_b"], new_checks),
            score_deltas=deltas,
            resolved_flags=flag_objects(row["resolved_flags"]),
            extra_texts=(("change", change),) + ref_texts,
        )

    def moved_note(row: Mapping[str, Any]) -> str:
        return f"moved from {row['id_a']}" if row["status"] == MOVED else ""

    items = []
    seen: set[int] = set()
    for regressed, frame in ((True, comparison.regressed()), (False, comparison.improved())):
        for index, row in zip(frame.index, frame.to_dict("records")):
            note = ", ".join(filter(None, [change_label(row, regressed), moved_note(row)]))
            items.append(item(row, note))
            seen.add(index)
    for status, label in ((ADDED, "added segment"), (REMOVED, "removed segment")):
        for index, row in zip(table.index, table.to_dict("records")):
            if row["status"] == status:
                items.append(item(row, label))
                seen.add(index)
    for index, row in zip(table.index, table.to_dict("records")):
        if index in seen:
            continue
        flags_changed = bool(row["new_flags"] or row["resolved_flags"])
        if row["status"] == MOVED or row["translation_changed"] or flags_changed or show_all:
            note = moved_note(row) or ("changed" if row["translation_changed"] else
                                       "flags changed" if flags_changed else "unchanged")
            items.append(item(row, note))

    current_flags = [
        flag_objects(row["flags_b"]) for row in table.to_dict("records") if row["status"] != REMOVED
    ]
    severity_counts, check_counts = count_flags(current_flags)
    counts = comparison.counts
    summary = ", ".join(f"{count} {status}" for status, count in counts.items() if count)
    notes = [significance_line(result) for result in comparison.metrics.values()]
    notes.append(f"Segments matched by source text: {summary}.")
    notes += comparison.notes
    return Report(
        title=title or f"Revision comparison: {comparison.label_a} → {comparison.label_b}",
        inputs=tuple((inputs or {"old revision": comparison.label_a, "new revision": comparison.label_b}).items()),
        metrics=tuple(names),
        corpus_scores=tuple(
            CorpusScore(name, result.score_b, result.signature, result.delta)
            for name, result in comparison.metrics.items()
        ),
        severity_counts=severity_counts,
        check_counts=check_counts,
        distributions=(),
        items=tuple(items),
        segment_count=len(current_flags),
        flagged_count=sum(1 for flags in current_flags if flags),
        compare_label=PREVIOUS_LABEL,
        show_all=show_all,
        resolved_count=sum(len(flags) for flags in table["resolved_flags"]),
        notes=tuple(notes),
        list_order="change: regressed first",
        flag_scope=f"{comparison.label_b} (every segment, listed or not)",
    )


def comparison_record(comparison: Comparison, reasons: Sequence[str] | None = None) -> dict[str, Any]:
    """The comparison as JSON-ready data (``tqe compare -f json``): metrics with significance,
    segment changes, and the gate's ``reasons`` when it ran."""
    metrics = {}
    for name, result in comparison.metrics.items():
        sig = result.significance
        metrics[name] = {
            "score_a": result.score_a,
            "score_b": result.score_b,
            "delta": result.delta,
            "verdict": result.verdict,
            "signature": result.signature,
            "significance": None if sig is None else {
                "test": sig.test,
                "p_value": result.p_value,
                "p_value_sacrebleu": sig.p_value,
                "p_bootstrap": sig.p_bootstrap,
                "p_randomization": sig.p_randomization,
                "ci95": [sig.ci_low, sig.ci_high],
                "segments": sig.segments,
                "bootstrap_samples": sig.bootstrap_samples,
                "randomization_trials": sig.randomization_trials,
                "seed": sig.seed,
            },
            **({"not_tested": result.not_tested_reason} if sig is None else {}),
        }
    names = list(comparison.metrics)
    segments = []
    changes = comparison.changes()
    for change, row in zip(changes, comparison.segments.to_dict("records")):
        if row["status"] == "unchanged" and not (row["new_flags"] or row["resolved_flags"]):
            continue
        segments.append({
            "status": row["status"],
            "change": change,
            "id_a": row["id_a"],
            "id_b": row["id_b"],
            "source": row["source"],
            "translation_a": row["translation_a"],
            "translation_b": row["translation_b"],
            "scores_a": {n: finite_or_none(row[f"{n}_a"]) for n in names},
            "scores_b": {n: finite_or_none(row[f"{n}_b"]) for n in names},
            "deltas": {n: finite_or_none(row[f"{n}_delta"]) for n in names},
            "new_flags": [flag.to_dict() for flag in row["new_flags"]],
            "resolved_flags": [flag.to_dict() for flag in row["resolved_flags"]],
        })
    record: dict[str, Any] = {
        "a": comparison.label_a,
        "b": comparison.label_b,
        "metrics": metrics,
        "counts": comparison.counts,
        "segments": segments,
        "notes": list(comparison.notes),
    }
    if reasons is not None:
        record["regressions"] = list(reasons)
    return record


def ranking_record(ranking: Ranking) -> dict[str, Any]:
    """The ranking as strict-JSON-ready data (``tqe compare A B C -f json``)."""
    return {
        "systems": list(ranking.labels),
        "baseline": ranking.labels[0],
        "alpha": ranking.alpha,
        "metrics": {
            name: {
                "signature": result.signature,
                "test": result.test,
                "segments": result.segments,
                "systems": [
                    {"system": s.system, "score": finite_or_none(s.score), "mean": finite_or_none(s.mean),
                     "ci95": finite_or_none(s.ci), "p_value": finite_or_none(s.p_value) if s.p_value is not None else None,
                     "rank": s.rank, "cluster": s.cluster}
                    for s in result.ranked()
                ],
            }
            for name, result in ranking.metrics.items()
        },
        "flags": ranking.flag_counts,
        "notes": list(ranking.notes),
    }
