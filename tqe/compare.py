"""Compare two revisions of a translation: corpus deltas with paired significance, and segment
changes matched by source text.

Segments are matched by their source text (duplicates in order of occurrence), not by id, so
a source edit shows up as added and removed segments instead of shifting every later id, and
a reordered segment shows up as moved. Corpus deltas are the two stored document scores; the
paired tests run on the matched segments only (all of them when the source did not change),
which is what sacrebleu's tests see when given the two translations line by line.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections import defaultdict, deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pandas as pd

from tqe.model import SEVERITIES, SEVERITY_RANK
from tqe.errors import CompareError
from tqe.metrics import SUFFICIENT_STATISTICS, metric_info
from tqe.numbers import finite_or_none
from tqe.model import ScoreResult, references_of
from tqe.signature import signature_field
from tqe.significance import (
    ALPHA,
    BOOTSTRAP_SAMPLES,
    DEFAULT_SEED,
    RANDOMIZATION_TRIALS,
    WORSE,
    PairedSignificance,
    score_significance,
    text_significance,
)

ADDED, REMOVED, MOVED, CHANGED, UNCHANGED = "added", "removed", "moved", "changed", "unchanged"
NOT_TESTED = "not tested"
NO_CHANGE = "no difference"
"""The verdict when the tested scores are exactly equal (e.g. a revision compared with itself)."""

TEST_NAMES = {"bs": "paired bootstrap", "ar": "approximate randomization"}

SERIOUS_RANK_LIMIT = SEVERITY_RANK["minor"]
"""A new flag ranked below this (critical, major) makes a changed segment a regression."""


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
    ``resolved_flags`` (lists of flag dicts; a flag is new when its check did not flag the
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


# --- segment matching ----------------------------------------------------------------------


def _normalise(text: Any) -> str:
    return " ".join(str(text).split())


def _match_key(source: Any, translation: Any) -> tuple[str, str]:
    """Source text; a segment with no source (an inserted translation sentence) only matches
    the same inserted text."""
    text = _normalise(source)
    return (text, "") if text else ("", "\0" + _normalise(translation))


def match_segments(a: pd.DataFrame, b: pd.DataFrame) -> list[tuple[int | None, int | None, bool]]:
    """Pair segments of ``a`` and ``b`` (row positions) by source text.

    Duplicated source texts pair in order of occurrence. Returns ``(index_a, index_b, moved)``:
    ``index_a`` None for an added segment, ``index_b`` None for a removed one; ``moved`` marks
    matched pairs outside the longest run of pairs that kept their relative order.
    """
    waiting: dict[tuple[str, str], deque[int]] = defaultdict(deque)
    for index, (source, translation) in enumerate(zip(a["source"], a["translation"])):
        waiting[_match_key(source, translation)].append(index)
    matched_a: dict[int, int] = {}
    added: list[int] = []
    for index, (source, translation) in enumerate(zip(b["source"], b["translation"])):
        queue = waiting.get(_match_key(source, translation))
        if queue:
            matched_a[index] = queue.popleft()
        else:
            added.append(index)
    in_order = _longest_increasing(sorted(matched_a.items()))
    pairs: list[tuple[int | None, int | None, bool]] = [
        (index_a, index_b, index_b not in in_order) for index_b, index_a in matched_a.items()
    ]
    pairs += [(None, index_b, False) for index_b in added]
    used_a = set(matched_a.values())
    pairs += [(index_a, None, False) for index_a in range(len(a)) if index_a not in used_a]
    return _ordered(pairs, matched_a)


def _longest_increasing(pairs_by_b: list[tuple[int, int]]) -> set[int]:
    """The B indices of a longest subsequence of pairs whose A indices increase."""
    tails: list[int] = []  # smallest A index ending an increasing run of each length
    tail_at: list[int] = []  # position in pairs_by_b of that tail
    parent: list[int] = [-1] * len(pairs_by_b)
    for position, (_, index_a) in enumerate(pairs_by_b):
        length = bisect_left(tails, index_a)
        if length == len(tails):
            tails.append(index_a)
            tail_at.append(position)
        else:
            tails[length] = index_a
            tail_at[length] = position
        parent[position] = tail_at[length - 1] if length else -1
    keep: set[int] = set()
    position = tail_at[-1] if tail_at else -1
    while position >= 0:
        keep.add(pairs_by_b[position][0])
        position = parent[position]
    return keep


def _ordered(pairs: list[tuple[int | None, int | None, bool]], matched_a: dict[int, int]) -> list:
    """B's order; a removed segment goes right after the B segment matched to its A predecessor."""
    b_of_a = {index_a: index_b for index_b, index_a in matched_a.items()}

    def key(pair: tuple[int | None, int | None, bool]) -> tuple[float, int]:
        index_a, index_b, _ = pair
        if index_b is not None or index_a is None:
            return (float(index_b or 0), 0)
        anchor = -1
        for earlier in range(index_a - 1, -1, -1):
            if earlier in b_of_a:
                anchor = b_of_a[earlier]
                break
        return (anchor + 0.5, index_a)

    return sorted(pairs, key=key)


# --- checks before comparing ---------------------------------------------------------------


def _check_signatures(name: str, a: Any, b: Any) -> None:
    if a.signature != b.signature:
        model_a, model_b = signature_field(a.signature, "model"), signature_field(b.signature, "model")
        if model_a and model_b and model_a != model_b:
            raise CompareError(f"{name} models differ: {model_a} vs {model_b}")
        raise CompareError(f"{name} signatures differ: {a.signature} vs {b.signature}")
    if (a.segment_signature or None) != (b.segment_signature or None):
        raise CompareError(
            f"{name} segment signatures differ: {a.segment_signature} vs {b.segment_signature}"
        )


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
        _check_signatures(name, a.metrics[name], b.metrics[name])
    return names, notes


def _flags(value: Any) -> list[dict[str, Any]]:
    """A segment's flags; waived ones (tqe.waivers) never count, here or in the gate."""
    if not isinstance(value, (list, tuple)):
        return []
    return [dict(flag) for flag in value if not flag.get("waived")]


def _float(value: Any) -> float:
    """A segment score for the comparison table: NaN when there is none."""
    number = finite_or_none(value)
    return math.nan if number is None else number


# --- the comparison ------------------------------------------------------------------------


def _segment_rows(
    a: ScoreResult, b: ScoreResult, names: Sequence[str], pairs: Sequence[tuple[int | None, int | None, bool]]
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
        checks_a = {flag["check"] for flag in flags_a}
        checks_b = {flag["check"] for flag in flags_b}
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
        record["new_flags"] = [flag for flag in flags_b if flag["check"] not in checks_a]
        record["resolved_flags"] = [flag for flag in flags_a if flag["check"] not in checks_b]
        record["worst_gain"] = min(gains) if gains else math.nan
        record["best_gain"] = max(gains) if gains else math.nan
        record["new_flag_rank"] = min(
            (SEVERITY_RANK.get(flag["severity"], len(SEVERITIES)) for flag in record["new_flags"]),
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


def _check_same_references(table: pd.DataFrame, a: ScoreResult, pairs: Sequence[tuple[int | None, int | None, bool]]) -> None:
    refs_a = list(a.segments["references"])
    differing = [
        row for row, (index_a, index_b, _) in zip(table.itertuples(index=False), pairs)
        if index_a is not None and index_b is not None and references_of(refs_a[index_a]) != row.references
    ]
    if differing:
        first = differing[0]
        raise CompareError(
            f"the references differ for {len(differing)} matched segment(s), first {first.id_b}; "
            "compare revisions scored against the same references"
        )


def _significance(
    name: str,
    a: ScoreResult,
    b: ScoreResult,
    matched: Sequence[tuple[int, int]],
    options: Mapping[str, Any],
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
                name, translations_a, translations_b, streams, signature=a.metrics[name].signature, **options
            ), None
        except CompareError as exc:
            return None, str(exc)
    scores_a = [_float(a.segments[name].iloc[i]) if name in a.segments else math.nan for i, _ in matched]
    scores_b = [_float(b.segments[name].iloc[j]) if name in b.segments else math.nan for _, j in matched]
    kept = [(x, y) for x, y in zip(scores_a, scores_b) if not (math.isnan(x) or math.isnan(y))]
    if not kept:
        return None, "no segment scores"
    return score_significance(name, [x for x, _ in kept], [y for _, y in kept], **options), None


def compare_runs(
    a: ScoreResult,
    b: ScoreResult,
    *,
    metrics: Sequence[str] | None = None,
    label_a: str | None = None,
    label_b: str | None = None,
    test: str = "bs",
    bootstrap_samples: int = BOOTSTRAP_SAMPLES,
    randomization_trials: int = RANDOMIZATION_TRIALS,
    seed: int | None = DEFAULT_SEED,
    alpha: float = ALPHA,
) -> Comparison:
    """Compare revision ``b`` (new) against ``a`` (old), both scored results or stored runs.

    Raises :class:`CompareError` when a compared metric's signature (or COMET model) differs,
    when matched segments have different references, or when the revisions share no segment.
    ``test`` picks the p-value the verdicts use: "bs" (paired bootstrap) or "ar".
    """
    if test not in TEST_NAMES:
        raise CompareError(f"unknown significance test {test!r}; choose bs or ar")
    names, notes = _choose_metrics(a, b, metrics)
    pairs = match_segments(a.segments, b.segments)
    matched = [(i, j) for i, j, _ in pairs if i is not None and j is not None]
    if not matched and len(a.segments) and len(b.segments):
        raise CompareError(
            "the two revisions share no source segment; compare revisions of the same document"
        )
    table = _segment_rows(a, b, names, pairs)
    _check_same_references(table, a, pairs)
    options = {
        "test": test,
        "bootstrap_samples": bootstrap_samples,
        "randomization_trials": randomization_trials,
        "seed": seed,
        "alpha": alpha,
    }
    results = {}
    for name in names:
        significance, reason = _significance(name, a, b, sorted(matched), options)
        if reason:
            notes.append(f"{name} significance not tested: {reason}.")
        results[name] = MetricComparison(
            metric=name,
            score_a=float(a.metrics[name].corpus_score),
            score_b=float(b.metrics[name].corpus_score),
            signature=b.metrics[name].signature,
            significance=significance,
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
        test=test,
        alpha=alpha,
    )


def _label(result: ScoreResult, fallback: str) -> str:
    info = getattr(result, "info", None)
    return info.label if info is not None else fallback


def compare_files(
    source: str | Path,
    translation_a: str | Path,
    translation_b: str | Path,
    references: Sequence[str | Path] = (),
    *,
    metrics: Sequence[str] | None = None,
    segmentation: str = "sentences",
    flag_config: Any = None,
    on_skip: Callable[[str, str], None] | None = None,
    **options: Any,
) -> Comparison:
    """Score two translation files of the same source with the same references and compare them.

    Both are flagged (once each) with ``flag_config`` (a :class:`tqe.config.FlagConfig`;
    default thresholds and checks when None), so the comparison has new and resolved flags.
    ``on_skip`` hears about metrics that could not run (once, for A). Other options go to
    :func:`compare_runs`.
    """
    from tqe.pipeline import score

    results: list[ScoreResult] = []
    for translation in (translation_a, translation_b):
        results.append(
            score(source, translation, references, metrics=metrics, segmentation=segmentation,
                  on_skip=None if results else on_skip, flag_config=flag_config, flags=True)
        )
    why_unscored = _check_scored(results, references)
    if why_unscored and any(result.metrics for result in results):
        # one file scored and the other not: comparing flags alone would hide that
        raise CompareError(f"only one of the two files could be scored; {why_unscored[0][len('No scores: '):].rstrip('.')}")
    options.setdefault("label_a", Path(translation_a).name)
    options.setdefault("label_b", Path(translation_b).name)
    comparison = compare_runs(results[0], results[1], metrics=metrics, **options)
    if why_unscored:
        comparison = replace(comparison, notes=tuple(why_unscored) + comparison.notes)
    return comparison


def _check_scored(results: Sequence[ScoreResult], references: Sequence[str | Path]) -> list[str]:
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
        if not references and metric_info(name).needs_reference is True
    ]
    parts = []
    if need_reference:
        verb = "needs" if len(need_reference) == 1 else "need"
        names = ", ".join(need_reference[:-1]) + " and " + need_reference[-1] if len(need_reference) > 1 else need_reference[0]
        parts.append(f"{names} {verb} a reference (-r FILE)")
    parts += [f"{name} skipped: {reason}" for name, reason in skipped.items() if name not in need_reference]
    return [f"No scores: {'; '.join(parts)}."] if parts else []


def history_significance(db_path: Any, runs: pd.DataFrame, test: str = "bs") -> pd.DataFrame:
    """A copy of :func:`tqe.store.history.list_runs`' table with ``<metric>_significant`` for
    every metric: whether the change from the previous comparable run is significant (the
    paired test of :func:`compare_runs`, p < 0.05), None when there is no previous run or the
    test could not run. Each run is loaded once."""
    from tqe.store.history import load_run

    loaded: dict[int, ScoreResult] = {}

    def run(run_id: int) -> ScoreResult:
        if run_id not in loaded:
            loaded[run_id] = load_run(db_path, f"#{run_id}")
        return loaded[run_id]

    table = runs.copy()
    names = [column[: -len("_previous")] for column in table.columns if column.endswith("_previous")]
    for name in names:
        marks: list[bool | None] = []
        for run_id, previous in zip(table["run"], table[f"{name}_previous"]):
            if previous is None or (isinstance(previous, float) and math.isnan(previous)):
                marks.append(None)
                continue
            comparison = compare_runs(run(int(previous)), run(int(run_id)), metrics=[name], test=test)
            significance = comparison.metrics[name].significance
            marks.append(None if significance is None else bool(significance.significant and
                                                                not comparison.metrics[name].identical))
        table[f"{name}_significant"] = marks
    return table


def comparison_record(comparison: Comparison, reasons: Sequence[str] | None = None) -> dict[str, Any]:
    """The comparison as JSON-ready data: metrics with significance, segment changes, gate."""
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
            "new_flags": row["new_flags"],
            "resolved_flags": row["resolved_flags"],
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



# --- the CI gate ---------------------------------------------------------------------------


UNTESTED_DROP_POINTS = 1.0
"""A corpus drop larger than this (in points, see :func:`points`) fails the gate when the paired
test cannot run, e.g. when B shares no segment with A."""


@dataclass(frozen=True)
class Regression:
    """One reason to fail a release: a corpus drop or a segment that lost too many points."""

    metric: str
    message: str
    segment: str | None = None
    drop: float = 0.0


def regressions(
    comparison: Comparison,
    max_segment_drop: float | None = None,
    require_significant: bool = True,
    new_flag_severity: str | None = None,
) -> list[Regression]:
    """What makes revision B a regression of A, worst segment first.

    A corpus score that got worse counts when the paired test finds it significant (any drop
    when ``require_significant`` is False). A drop the test could not look at (no segment in
    common, no references…) counts when it exceeds :data:`UNTESTED_DROP_POINTS`, and a B with
    no segment at all (while A had some) or without a score is always a regression: a collapse
    must not pass because there is nothing left to test. With ``max_segment_drop``, a matched
    segment whose translation changed and that lost more than that many points on a metric
    counts too (COMET points are hundredths). Unchanged texts never count. With
    ``new_flag_severity`` ("critical", "major" or "minor"), so does every new flag of that
    severity or worse.
    """
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
                rank = SEVERITY_RANK.get(flag["severity"], len(SEVERITIES))
                if rank <= worst_allowed:
                    found.append(
                        Regression(
                            metric=str(flag["check"]),
                            message=f"segment {row['id_b']} has a new {flag['severity']} {flag['check']} flag: {flag.get('message', '')}",
                            segment=row["id_b"],
                        )
                    )
    return found


# --- the report ----------------------------------------------------------------------------


def significance_line(result: MetricComparison) -> str:
    """One plain sentence about a metric, for reports and the terminal."""
    from tqe.report._format import format_delta, format_score, metric_label

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
) -> Any:
    """The comparison as a :class:`tqe.report.Report`: regressed segments (worst first), then
    improved, added, removed and moved ones; every renderer of ``tqe report`` can show it."""
    from tqe.diff import word_diff
    from tqe.report.model import (
        PREVIOUS_LABEL,
        CorpusScore,
        Flag,
        Report,
        ReportItem,
        count_flags,
    )

    names = list(comparison.metrics)
    table = comparison.segments

    def flag_objects(flags: list[dict[str, Any]], new_checks: set[str] | None = None) -> tuple:
        return tuple(
            Flag(str(f["check"]), str(f["severity"]), str(f.get("message", "")),
                 "new" if new_checks is not None and f["check"] in new_checks else None)
            for f in flags
        )

    def item(row: Mapping[str, Any], change: str) -> Any:
        old = row["translation_a"]
        new = row["translation_b"]
        removed = row["status"] == REMOVED
        side = "a" if removed else "b"
        scores = {n: row[f"{n}_{side}"] for n in names if not math.isnan(row[f"{n}_{side}"])}
        deltas = {n: row[f"{n}_delta"] for n in names if not math.isnan(row[f"{n}_delta"])}
        new_checks = {f["check"] for f in row["new_flags"]}
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
