"""Compare two revisions of a translation: corpus deltas with paired significance, and segment
changes matched by source text (:mod:`tqe.compare.matching`).

Corpus deltas are the two stored document scores; the paired tests run on the matched
segments only (all of them when the source did not change), which is what sacrebleu's tests
see when given the two translations line by line. Nothing here scores: callers hand in scored
results, or a function that scores one translation file.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pandas as pd

from tqe.compare.comparable import check_signatures, differing_references, shares_no_segment
from tqe.compare.matching import Pair, match_segments
from tqe.errors import CompareError
from tqe.metrics import SUFFICIENT_STATISTICS, metric_info
from tqe.numbers import finite_or_none
from tqe.model import SEVERITIES, SEVERITY_RANK, Flag, ScoreResult, flags_of, references_of
from tqe.significance import (
    ALPHA,
    PairedSignificance,
    SignificanceOptions,
    score_significance,
    text_significance,
)

ADDED, REMOVED, MOVED, CHANGED, UNCHANGED = "added", "removed", "moved", "changed", "unchanged"
NOT_TESTED = "not tested"
NO_CHANGE = "no difference"
"""The verdict when the tested scores are exactly equal (e.g. a revision compared with itself)."""

TEST_NAMES = {"bs": "paired bootstrap", "ar": "approximate randomization"}

SIGNIFICANCE_STAGE = "significance"
"""The stage :func:`compare` reports to its ``progress`` callback: metrics tested, metrics."""

Progress = Callable[[str, int, int], None]

SERIOUS_RANK_LIMIT = SEVERITY_RANK["minor"]
"""A new flag ranked below this (critical, major) makes a changed segment a regression."""


FileScorer = Callable[[str | Path], ScoreResult]
"""Scores (and flags) one translation file: the caller decides the source, references,
metrics and checks; :func:`compare_files` and :func:`tqe.compare.ranking.rank_files` only call it."""


def points(metric: str, value: float) -> float:
    """A score difference in points: BLEU/chrF/TER as they are, COMET-like scores times 100."""
    return metric_info(metric).points(value)


def gain(metric: str, delta: float) -> float:
    """``delta`` (new minus old) in points, positive when the new revision is better."""
    change = points(metric, delta) if metric_info(metric).higher_is_better else -points(metric, delta)
    return change + 0.0  # no -0.0


@dataclass(frozen=True)
class MetricComparison:
    """One metric across the two revisions: document scores, their delta, the paired tests."""

    metric: str
    score_a: float
    score_b: float
    signature: str
    significance: PairedSignificance | None
    not_tested_reason: str | None = None

    @property
    def delta(self) -> float:
        return self.score_b - self.score_a

    @property
    def higher_is_better(self) -> bool:
        return metric_info(self.metric).higher_is_better

    @property
    def identical(self) -> bool:
        """The paired tests saw exactly equal scores."""
        return self.significance is not None and self.significance.delta == 0

    @property
    def p_value(self) -> float | None:
        """The chosen test's p-value, but 1.0 when the scores are exactly equal.

        sacrebleu counts resampled differences strictly above the real one, which gives two
        identical revisions its smallest p-value (0.001 with 1000 resamples): read next to a
        zero difference it looks like a contradiction. ``significance.p_value`` keeps
        sacrebleu's value.
        """
        if self.significance is None:
            return None
        return 1.0 if self.identical else self.significance.p_value

    @property
    def verdict(self) -> str:
        """"better", "worse", "no significant difference", "no difference" (exactly equal
        scores) or "not tested"."""
        if self.significance is None:
            return NOT_TESTED
        return NO_CHANGE if self.identical else self.significance.verdict


@dataclass(frozen=True)
class Comparison:
    """Revision B against revision A.

    ``segments`` has one row per matched, added or removed segment, in B's order with removed
    segments after their predecessor: ``status`` (added/removed/moved/changed/unchanged),
    ``id_a``, ``id_b``, ``paragraph``, ``link``, ``source``, ``translation_a``,
    ``translation_b``, ``references``, ``translation_changed``, and per metric ``<m>_a``,
    ``<m>_b``, ``<m>_delta``; then ``flags_a``, ``flags_b``, ``new_flags``,
    ``resolved_flags`` (lists of :class:`tqe.model.Flag`; a flag is new when its check did not flag the
    old segment), ``worst_gain`` and ``best_gain`` (the lowest and highest per-metric change
    in points, see :func:`gain`; NaN when there is nothing to compare), ``new_flag_rank``
    (severity rank of the most serious new flag, ``len(SEVERITIES)`` when none). ``id_a``,
    ``translation_a`` (and the B side) are None for an added (removed) segment.
    """

    label_a: str
    label_b: str
    metrics: dict[str, MetricComparison]
    segments: pd.DataFrame
    notes: tuple[str, ...] = ()
    test: str = "bs"
    alpha: float = ALPHA

    @property
    def counts(self) -> dict[str, int]:
        """How many segments have each status."""
        counts = {status: 0 for status in (UNCHANGED, CHANGED, MOVED, ADDED, REMOVED)}
        for status in self.segments["status"]:
            counts[status] += 1
        return counts

    def regressed(self) -> pd.DataFrame:
        """Matched segments whose translation changed and either lost points on some metric or
        gained a new critical or major flag: most serious new flag first, then largest drop."""
        table = self.segments
        serious = table["new_flag_rank"] < SERIOUS_RANK_LIMIT
        rows = table[table["translation_changed"] & ((table["worst_gain"] < 0) | serious)]
        return rows.sort_values(["new_flag_rank", "worst_gain"], kind="stable", na_position="last")

    def improved(self) -> pd.DataFrame:
        """Matched segments whose translation changed, gained no critical or major flag, and
        gained on every metric (with no metric: lost flags and gained none), best first."""
        table = self.segments
        candidates = table[table["translation_changed"] & (table["new_flag_rank"] >= SERIOUS_RANK_LIMIT)]
        if self.metrics:
            better = (candidates["worst_gain"] >= 0) & (candidates["best_gain"] > 0)
        else:
            better = candidates["resolved_flags"].map(bool) & ~candidates["new_flags"].map(bool)
        return candidates[better].sort_values("best_gain", ascending=False, kind="stable", na_position="last")

    def changes(self) -> pd.Series:
        """One word or phrase per segment row: "regressed…", "improved", "added", "removed",
        "moved", "changed", "flags changed" or "unchanged"."""
        labels = {}
        for regressed, frame in ((True, self.regressed()), (False, self.improved())):
            for index, row in zip(frame.index, frame.to_dict("records")):
                labels[index] = change_label(row, regressed)
        for index, row in zip(self.segments.index, self.segments.to_dict("records")):
            if index in labels:
                continue
            if row["status"] in (ADDED, REMOVED, MOVED):
                labels[index] = row["status"]
            elif row["translation_changed"]:
                labels[index] = "changed"
            elif row["new_flags"] or row["resolved_flags"]:
                labels[index] = "flags changed"
            else:
                labels[index] = "unchanged"
        return pd.Series(labels, dtype=object).reindex(self.segments.index)


def change_label(row: Mapping[str, Any], regressed: bool) -> str:
    """What happened to a changed segment, in words: scores and serious new flags together, so
    that "improved" never stands beside a new major flag."""
    worst, best = row["worst_gain"], row["best_gain"]
    scores = ""
    if not math.isnan(worst):
        scores = "scores down" if worst < 0 else "scores up" if best > 0 else ""
    rank = int(row["new_flag_rank"])
    if rank < SERIOUS_RANK_LIMIT:
        flag = f"new {SEVERITIES[rank]} flag"
        return "regressed: " + ", ".join(filter(None, [scores, flag]))
    return "regressed" if regressed else "improved"


# --- checks before comparing ---------------------------------------------------------------


def _choose_metrics(a: ScoreResult, b: ScoreResult, metrics: Sequence[str] | None) -> tuple[list[str], list[str]]:
    notes = []
    if metrics:
        names = []
        for metric in metrics:
            for part in str(metric).split(","):
                key = part.strip().lower()
                if key and key not in names:
                    names.append(key)
        for name in names:
            missing = [label for label, run in (("A", a), ("B", b)) if name not in run.metrics]
            if missing:
                raise CompareError(f"{name} was not scored in revision {' and '.join(missing)}")
    else:
        names = [name for name in b.metrics if name in a.metrics]
        only_a = [name for name in a.metrics if name not in b.metrics]
        only_b = [name for name in b.metrics if name not in a.metrics]
        if only_a:
            notes.append(f"Not compared, scored only in revision A: {', '.join(only_a)}.")
        if only_b:
            notes.append(f"Not compared, scored only in revision B: {', '.join(only_b)}.")
        if not names and (a.metrics or b.metrics):
            raise CompareError("the two revisions have no metric in common; score both with the same -m metrics")
        if not names:
            notes.append("No metric scored these revisions: only their flags are compared.")
    for name in names:
        check_signatures(name, a.metrics[name], b.metrics[name])
    return names, notes


def _flags(value: Any) -> list[Flag]:
    """A segment's flags; waived ones (tqe.waivers) never count, here or in the gate."""
    return [flag for flag in flags_of(value) if not flag.waived]


def _float(value: Any) -> float:
    """A segment score for the comparison table: NaN when there is none."""
    number = finite_or_none(value)
    return math.nan if number is None else number


# --- the comparison ------------------------------------------------------------------------


def _segment_rows(
    a: ScoreResult, b: ScoreResult, names: Sequence[str], pairs: Sequence[Pair]
) -> pd.DataFrame:
    rows_a = a.segments.to_dict("records")
    rows_b = b.segments.to_dict("records")
    records = []
    for index_a, index_b, moved in pairs:
        old = rows_a[index_a] if index_a is not None else None
        new = rows_b[index_b] if index_b is not None else None
        shown = new if new is not None else old
        assert shown is not None  # a pair always has at least one side
        translation_a = str(old["translation"]) if old is not None else None
        translation_b = str(new["translation"]) if new is not None else None
        if old is None:
            status = ADDED
        elif new is None:
            status = REMOVED
        elif moved:
            status = MOVED
        elif translation_a != translation_b:
            status = CHANGED
        else:
            status = UNCHANGED
        flags_a = _flags(old.get("flags")) if old is not None else []
        flags_b = _flags(new.get("flags")) if new is not None else []
        checks_a = {flag.check for flag in flags_a}
        checks_b = {flag.check for flag in flags_b}
        record: dict[str, Any] = {
            "status": status,
            "id_a": str(old["id"]) if old is not None else None,
            "id_b": str(new["id"]) if new is not None else None,
            "paragraph": int(shown["paragraph"]),
            "link": str(shown["link"]),
            "source": str(shown["source"]),
            "translation_a": translation_a,
            "translation_b": translation_b,
            "references": references_of(shown.get("references")),
            "translation_changed": old is not None and new is not None and translation_a != translation_b,
        }
        gains = []
        for name in names:
            score_a = _float(old.get(name)) if old is not None else math.nan
            score_b = _float(new.get(name)) if new is not None else math.nan
            record[f"{name}_a"] = score_a
            record[f"{name}_b"] = score_b
            record[f"{name}_delta"] = score_b - score_a
            if not math.isnan(score_b - score_a):
                gains.append(gain(name, score_b - score_a))
        record["flags_a"] = flags_a
        record["flags_b"] = flags_b
        record["new_flags"] = [flag for flag in flags_b if flag.check not in checks_a]
        record["resolved_flags"] = [flag for flag in flags_a if flag.check not in checks_b]
        record["worst_gain"] = min(gains) if gains else math.nan
        record["best_gain"] = max(gains) if gains else math.nan
        record["new_flag_rank"] = min(
            (SEVERITY_RANK[flag.severity] for flag in record["new_flags"]),
            default=len(SEVERITIES),
        )
        records.append(record)
    columns = ["status", "id_a", "id_b", "paragraph", "link", "source", "translation_a", "translation_b",
               "references", "translation_changed"]
    for name in names:
        columns += [f"{name}_a", f"{name}_b", f"{name}_delta"]
    columns += ["flags_a", "flags_b", "new_flags", "resolved_flags", "worst_gain", "best_gain", "new_flag_rank"]
    table = pd.DataFrame(records, columns=columns)
    table["translation_changed"] = table["translation_changed"].astype(bool)
    table["new_flag_rank"] = table["new_flag_rank"].astype(int)
    for column in ("id_a", "id_b", "translation_a", "translation_b"):
        # an added or removed segment has no A (or B) side: None, never pandas' NaN
        table[column] = table[column].astype(object).where(table[column].notna(), None)
    return table


def _check_same_references(table: pd.DataFrame, a: ScoreResult, b: ScoreResult, pairs: Sequence[Pair]) -> None:
    differing = differing_references(
        pairs, [references_of(refs) for refs in a.segments["references"]],
        [references_of(refs) for refs in b.segments["references"]],
    )
    if differing:
        first = table["id_b"].iloc[differing[0]]
        raise CompareError(
            f"the references differ for {len(differing)} matched segment(s), first {first}; "
            "compare revisions scored against the same references"
        )


def _significance(
    name: str,
    a: ScoreResult,
    b: ScoreResult,
    matched: Sequence[tuple[int, int]],
    options: SignificanceOptions,
) -> tuple[PairedSignificance | None, str | None]:
    if not matched:
        return None, "no segment in common"
    if metric_info(name).statistics == SUFFICIENT_STATISTICS:
        translations_a = [str(a.segments["translation"].iloc[i]) for i, _ in matched]
        translations_b = [str(b.segments["translation"].iloc[j]) for _, j in matched]
        references = [references_of(a.segments["references"].iloc[i]) for i, _ in matched]
        count = max((len(refs) for refs in references), default=0)
        if count == 0:
            return None, "no references"
        streams = [[refs[k] if k < len(refs) else "" for refs in references] for k in range(count)]
        try:
            return text_significance(
                name, translations_a, translations_b, streams, signature=a.metrics[name].signature, options=options
            ), None
        except CompareError as exc:
            return None, str(exc)
    scores_a = [_float(a.segments[name].iloc[i]) if name in a.segments else math.nan for i, _ in matched]
    scores_b = [_float(b.segments[name].iloc[j]) if name in b.segments else math.nan for _, j in matched]
    kept = [(x, y) for x, y in zip(scores_a, scores_b) if not (math.isnan(x) or math.isnan(y))]
    if not kept:
        return None, "no segment scores"
    return score_significance(name, [x for x, _ in kept], [y for _, y in kept], options), None


def compare(
    a: ScoreResult,
    b: ScoreResult,
    *,
    metrics: Sequence[str] | None = None,
    label_a: str | None = None,
    label_b: str | None = None,
    significance: SignificanceOptions | None = None,
    progress: Progress | None = None,
) -> Comparison:
    """Compare revision ``b`` (new) against ``a`` (old), both scored results or stored runs.

    Raises :class:`CompareError` when a compared metric's signature (or COMET model) differs,
    when matched segments have different references, or when the revisions share no segment.
    ``significance.test`` picks the p-value the verdicts use: "bs" (paired bootstrap) or "ar".
    ``progress("significance", metrics tested, metrics)`` is called as the paired tests run.
    """
    options = significance or SignificanceOptions()
    if options.test not in TEST_NAMES:
        raise CompareError(f"unknown significance test {options.test!r}; choose bs or ar")
    names, notes = _choose_metrics(a, b, metrics)
    pairs = match_segments(a.segments, b.segments)
    matched = [(i, j) for i, j, _ in pairs if i is not None and j is not None]
    if shares_no_segment(pairs, len(a.segments), len(b.segments)):
        raise CompareError(
            "the two revisions share no source segment; compare revisions of the same document"
        )
    table = _segment_rows(a, b, names, pairs)
    _check_same_references(table, a, b, pairs)
    results = {}
    if progress is not None:
        progress(SIGNIFICANCE_STAGE, 0, len(names))
    for tested, name in enumerate(names, start=1):
        paired, reason = _significance(name, a, b, sorted(matched), options)
        if progress is not None:
            progress(SIGNIFICANCE_STAGE, tested, len(names))
        if reason:
            notes.append(f"{name} significance not tested: {reason}.")
        results[name] = MetricComparison(
            metric=name,
            score_a=float(a.metrics[name].corpus_score),
            score_b=float(b.metrics[name].corpus_score),
            signature=b.metrics[name].signature,
            significance=paired,
            not_tested_reason=reason,
        )
    waived = sum(len(flags) for flags in b.segments.get("waived_flags", ()) if isinstance(flags, (list, tuple)))
    if waived:
        notes.append(f"{waived} {'flag' if waived == 1 else 'flags'} of revision B waived as reviewed false positives; not counted.")
    unmatched = len(pairs) - len(matched)
    if unmatched and names:
        notes.append(
            f"Significance is tested on the {len(matched)} segments whose source text is in both "
            f"revisions; {unmatched} added or removed segments are left out."
        )
    return Comparison(
        label_a=label_a or _label(a, "A"),
        label_b=label_b or _label(b, "B"),
        metrics=results,
        segments=table,
        notes=tuple(notes),
        test=options.test,
        alpha=options.alpha,
    )


def _label(result: ScoreResult, fallback: str) -> str:
    info = getattr(result, "info", None)
    return info.label if info is not None else fallback


def compare_files(
    score_file: FileScorer,
    translation_a: str | Path,
    translation_b: str | Path,
    *,
    has_references: bool,
    metrics: Sequence[str] | None = None,
    significance: SignificanceOptions | None = None,
    progress: Progress | None = None,
) -> Comparison:
    """Score two translation files of the same source with ``score_file`` (A first) and compare them.

    ``score_file`` scores with the same references and flags with the same checks, so the
    comparison has new and resolved flags; ``has_references`` says whether it was given
    references (to explain a file no metric could score). Labels are the file names.
    ``progress`` hears about the paired tests (see :func:`compare`).
    """
    results = [score_file(translation_a), score_file(translation_b)]
    why_unscored = _check_scored(results, has_references)
    if why_unscored and any(result.metrics for result in results):
        # one file scored and the other not: comparing flags alone would hide that
        raise CompareError(f"only one of the two files could be scored; {why_unscored[0][len('No scores: '):].rstrip('.')}")
    comparison = compare(results[0], results[1], metrics=metrics, label_a=Path(translation_a).name,
                         label_b=Path(translation_b).name, significance=significance, progress=progress)
    if why_unscored:
        comparison = replace(comparison, notes=tuple(why_unscored) + comparison.notes)
    return comparison


def _check_scored(results: Sequence[ScoreResult], has_references: bool) -> list[str]:
    """Why a file got no metric at all (the metrics were chosen automatically and each was
    skipped): the comparison then rests on the flags alone, and the notes say why."""
    if all(result.metrics for result in results):
        return []
    skipped: dict[str, str] = {}
    for result in results:
        if not result.metrics:
            for name, reason in result.skipped.items():
                skipped.setdefault(name, reason)
    need_reference = [
        name for name in skipped
        if not has_references and metric_info(name).needs_reference is True
    ]
    parts = []
    if need_reference:
        verb = "needs" if len(need_reference) == 1 else "need"
        names = ", ".join(need_reference[:-1]) + " and " + need_reference[-1] if len(need_reference) > 1 else need_reference[0]
        parts.append(f"{names} {verb} a reference (-r FILE)")
    parts += [f"{name} skipped: {reason}" for name, reason in skipped.items() if name not in need_reference]
    return [f"No scores: {'; '.join(parts)}."] if parts else []


def history_significance(db_path: Any, runs: pd.DataFrame, options: SignificanceOptions | None = None,
                         progress: Progress | None = None) -> pd.DataFrame:
    """A copy of :func:`tqe.store.history.list_runs`' table with ``<metric>_significant`` for
    every metric: whether the change from the previous comparable run is significant (the
    paired test of :func:`compare`, p < 0.05), None when there is no previous run or the
    test could not run. Each run is loaded once. ``progress("significance", runs tested,
    runs x metrics)`` is called as it goes."""
    from tqe.store.history import load_run

    loaded: dict[int, ScoreResult] = {}

    def run(run_id: int) -> ScoreResult:
        if run_id not in loaded:
            loaded[run_id] = load_run(db_path, f"#{run_id}")
        return loaded[run_id]

    table = runs.copy()
    names = [column[: -len("_previous")] for column in table.columns if column.endswith("_previous")]
    steps, done = len(names) * len(table), 0
    for name in names:
        marks: list[bool | None] = []
        for run_id, previous in zip(table["run"], table[f"{name}_previous"]):
            if progress is not None:
                progress(SIGNIFICANCE_STAGE, done, steps)
            done += 1
            if previous is None or (isinstance(previous, float) and math.isnan(previous)):
                marks.append(None)
                continue
            comparison = compare(run(int(previous)), run(int(run_id)), metrics=[name], significance=options)
            significance = comparison.metrics[name].significance
            marks.append(None if significance is None else bool(significance.significant and
                                                                not comparison.metrics[name].identical))
        table[f"{name}_significant"] = marks
    if progress is not None:
        progress(SIGNIFICANCE_STAGE, steps, steps)
    return table
