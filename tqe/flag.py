"""The flag stage: adds a ``flags`` column from the rule-based checks and the score thresholds.

Each segment gets a list of :class:`tqe.model.Flag` records, most serious first.
Score flags are absolute (chrF below 40) and relative to the document (bottom percentile,
robust z-score): absolute limits catch a weak translation everywhere, relative ones still
point at the worst segments of a strong translation. Relative flags need at least
``config.min_segments`` scored segments (10 by default): with fewer, the median and spread of
the scores are too unstable (one segment moves them) and a 5% percentile is not even one
segment.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from tqe.checks import (
    SEVERITIES,
    SEVERITY_RANK,
    CheckContext,
    Flag,
    build_context,
    load_dictionary,
    load_dnt,
    load_glossary,
    sort_flags,
)
from tqe.checks.parallel import PARALLEL_MIN_SEGMENTS, check_segments, load_word_lists
from tqe.checks.tags import TAGS_CHECK, check_tags
from tqe.config import (
    COMET_SPANS_CHECK,
    SCORE_CHECK_SUFFIX,
    FlagConfig,
    MetricThreshold,
)
from tqe.language import document_languages
from tqe.model import COMET_ERROR_SPANS, FLAGS, ErrorSpan, error_spans_of

__all__ = ["SEVERITIES", "CheckPlan", "document_score_flags", "flag_segments", "plan_checks", "prepare_checks",
           "score_flags"]

_MAD_TO_SIGMA = 0.6745  # modified z-score of Iglewicz and Hoaglin: 0.6745 * (x - median) / MAD
#: when MAD is 0: sigma = mean absolute deviation / sqrt(2/pi) (0.7979, exact for a normal law)
_MEAN_AD_TO_SIGMA = math.sqrt(2 / math.pi)


def _lower_is_better(metric: str) -> bool:
    from tqe.metrics import metric_info

    return not metric_info(metric).higher_is_better


@dataclass(frozen=True)
class _Norm:
    """A metric's document statistics, oriented so that lower is always worse."""

    median: float
    spread: float | None  # robust sigma, None when every score is the same
    cutoffs: dict[float, float]  # percentile -> score at that percentile


def _norm(values: Sequence[float], percentiles: Sequence[float], min_spread: float = 0.0) -> _Norm:
    series = pd.Series(values, dtype=float)
    median = float(series.median())
    deviations = (series - median).abs()
    mad = float(deviations.median())
    if mad > 0:
        spread: float | None = mad / _MAD_TO_SIGMA
    else:
        mean_ad = float(deviations.mean())
        spread = mean_ad / _MEAN_AD_TO_SIGMA if mean_ad > 0 else None
    if spread is not None:
        spread = max(spread, min_spread)
    cutoffs = {p: float(series.quantile(p / 100)) for p in percentiles}
    return _Norm(median, spread, cutoffs)


def _number(value: float) -> str:
    return f"{value:.3f}" if abs(value) < 2 else f"{value:.1f}"


def score_flags(
    scores: Sequence[float], threshold: MetricThreshold, min_segments: int = 10
) -> list[Flag | None]:
    """One flag (or None) per segment for one metric's scores (NaN: never flagged).

    Absolute limits use ``threshold.severity``; the percentile and robust z tests use
    ``threshold.relative_severity`` and run only with ``min_segments`` scores or more. When
    several tests fire, the flag has the most serious severity and names every reason.
    """
    from tqe.metrics import metric_info

    metric = threshold.metric
    info = metric_info(metric)
    name = info.label
    sign = -1.0 if _lower_is_better(metric) else 1.0
    present = [float(score) for score in scores if score is not None and not math.isnan(float(score))]
    relative = len(present) >= min_segments and (threshold.percentile is not None or threshold.robust_z is not None)
    percentiles = [threshold.percentile] if threshold.percentile is not None else []
    # the smallest robust sigma used for z-scores: without it, a document where nearly every
    # segment scores 100 calls an 88 "far below the median"
    min_spread = info.min_spread
    norm = _norm([sign * score for score in present], percentiles, min_spread) if relative else None
    flags: list[Flag | None] = []
    for score in scores:
        if score is None or math.isnan(float(score)):
            flags.append(None)
            continue
        score = float(score)
        reasons: list[tuple[str, str]] = []
        if threshold.below is not None and score < threshold.below:
            reasons.append((threshold.severity, f"{name} {_number(score)} is below {_number(threshold.below)}"))
        if threshold.above is not None and score > threshold.above:
            reasons.append((threshold.severity, f"{name} {_number(score)} is above {_number(threshold.above)}"))
        if norm is not None:
            oriented = sign * score
            if threshold.percentile is not None:
                cutoff = norm.cutoffs[threshold.percentile]
                # "< median" keeps ties (many BLEU zeros) from flagging half the document
                if oriented <= cutoff and oriented < norm.median:
                    message = (
                        f"{name} {_number(score)} is in this document's worst {threshold.percentile:g}% "
                        f"(cut-off {_number(sign * cutoff)})"
                    )
                    reasons.append((threshold.relative_severity, message))
            if threshold.robust_z is not None and norm.spread is not None:
                z = (oriented - norm.median) / norm.spread
                if z <= threshold.robust_z:
                    message = (
                        f"{name} {_number(score)} is far {'above' if sign < 0 else 'below'} this "
                        f"document's median {_number(sign * norm.median)} (robust z {sign * z:+.1f})"
                    )
                    reasons.append((threshold.relative_severity, message))
        if not reasons:
            flags.append(None)
            continue
        severity = min((severity for severity, _ in reasons), key=SEVERITY_RANK.__getitem__)
        flags.append(Flag(metric + SCORE_CHECK_SUFFIX, severity, "; ".join(message for _, message in reasons)))
    return flags


def comet_span_flags(spans: Sequence[ErrorSpan]) -> list[Flag]:
    """xCOMET's error spans as flags, with the severity the model gave each span."""
    flags = []
    for span in spans:
        note = f" ({span.confidence:.0%} confidence)" if span.confidence is not None else ""
        flags.append(Flag(COMET_SPANS_CHECK, span.severity, f"COMET marks '{span.text}' as a {span.severity} error{note}"))
    return flags


@dataclass(frozen=True)
class CheckPlan:
    """What the rule checks of one document need: its context (built once from every
    segment), the checks and reference checks that run, and those left out because the
    translation is not in French."""

    context: CheckContext
    checks: tuple[str, ...]
    reference_checks: tuple[str, ...]
    skipped: frozenset[str]


def _texts(column: Sequence[Any]) -> list[str]:
    return [str(text) if isinstance(text, str) else "" for text in column]


def plan_checks(segments: pd.DataFrame, config: FlagConfig) -> CheckPlan:
    """The :class:`CheckPlan` of a document. Glossary, do-not-translate and dictionary files
    named in ``config`` are read here (InputError for a bad file); a translation that is not
    French skips the French checks (InputError: no French at all)."""
    sources, translations = _texts(segments["source"]), _texts(segments["translation"])
    context = build_context(
        sources,
        translations,
        [str(segment_id) for segment_id in segments["id"]] if "id" in segments else None,
        severities=config.severities,
        glossary=load_glossary(config.glossary_path) if config.glossary_path else (),
        dnt_terms=load_dnt(config.dnt_path) if config.dnt_path else (),
        accepted_words=load_dictionary(config.dictionary_path) if config.dictionary_path else frozenset(),
        length=config.length_settings,
    )
    skipped = frozenset(document_languages(sources, translations).skipped_checks)
    return CheckPlan(
        context=context,
        checks=tuple(name for name in config.checks if name not in skipped),
        reference_checks=tuple(name for name in config.reference_checks if name not in skipped),
        skipped=skipped,
    )


def prepare_checks(segments: pd.DataFrame, config: FlagConfig) -> CheckPlan:
    """:func:`plan_checks`, and for a document long enough for worker processes, the word
    lists and dictionaries its checks read loaded now (the workers inherit them)."""
    plan = plan_checks(segments, config)
    if len(segments) >= PARALLEL_MIN_SEGMENTS:
        load_word_lists((*plan.checks, *plan.reference_checks))
    return plan


def document_score_flags(config: FlagConfig, scores: Mapping[str, Sequence[float]], rows: int) -> list[list[Flag]]:
    """Per segment, its score flags: for each metric of ``scores`` (name -> the document's
    segment scores) whose score flags are on, the absolute limit and the thresholds relative
    to the document (:func:`score_flags`)."""
    per_segment: list[list[Flag]] = [[] for _ in range(rows)]
    for threshold in config.score_thresholds(scores):
        for flags, flag in zip(per_segment, score_flags(scores[threshold.metric], threshold, config.min_segments)):
            if flag is not None:
                flags.append(flag)
    return per_segment


def flag_segments(
    segments: pd.DataFrame,
    config: FlagConfig,
    metric_columns: Sequence[str] = (),
    progress: Callable[[str, int, int], None] | None = None,
    plan: CheckPlan | None = None,
) -> pd.DataFrame:
    """A copy of ``segments`` with a ``flags`` column: per segment, a list of
    :class:`tqe.model.Flag`, most serious first; an empty list when the segment is clean.
    Each segment's flags are, before that sort: the rule checks', xCOMET's error spans,
    inline tags', the reference checks', the score flags.

    ``metric_columns`` names the score columns to apply thresholds to; left empty, every
    column that has a threshold in ``config`` is used. Glossary and do-not-translate files
    named in ``config`` are read here (InputError for a bad file), and so is its waivers
    file: flags it waives move to a ``waived_flags`` column (see :mod:`tqe.waivers`).
    ``progress("checks", segments done, segments)`` is called as the checks run. ``plan`` is
    the document's :class:`CheckPlan` when already prepared (:func:`prepare_checks`).
    """
    if progress:
        progress("checks", 0, len(segments))
    flagged = segments.copy()
    plan = plan if plan is not None else plan_checks(flagged, config)
    sources, translations = _texts(flagged["source"]), _texts(flagged["translation"])
    # over every core for long documents, the reference checks with the others
    checked = check_segments(
        sources, translations, plan.context, plan.checks,
        references=list(flagged["references"]) if "references" in flagged else None,
        reference_names=plan.reference_checks,
        done=(lambda count: progress("checks", count, len(sources))) if progress else None,
    )
    per_segment = [flags for flags, _ in checked]
    if COMET_ERROR_SPANS in flagged and config.check_enabled(COMET_SPANS_CHECK):
        # xCOMET's error spans (tqe.metrics.comet), checked against the translation
        for flags, spans, translation in zip(per_segment, flagged[COMET_ERROR_SPANS], translations):
            flags.extend(comet_span_flags(error_spans_of(spans, translation)))
    if {"source_tags", "translation_tags"} <= set(flagged.columns) and config.check_enabled(TAGS_CHECK):
        # a bilingual file's inline tags and placeholders (tqe.io.markup)
        for flags, source_tags, translation_tags, translation in zip(
            per_segment, flagged["source_tags"], flagged["translation_tags"], translations
        ):
            flags.extend(check_tags(source_tags, translation_tags, translation, plan.context))
    for flags, (_, from_references) in zip(per_segment, checked):
        flags.extend(from_references)

    metrics = [metric for metric in (list(metric_columns) or [t.metric for t in config.thresholds]) if metric in flagged]
    scores = {metric: pd.to_numeric(flagged[metric], errors="coerce").tolist() for metric in metrics}
    for flags, extra in zip(per_segment, document_score_flags(config, scores, len(flagged))):
        flags.extend(extra)

    flagged[FLAGS] = [sort_flags(flags) for flags in per_segment]
    if config.waivers_path is not None:
        # reviewed false positives move to a ``waived_flags`` column (tqe.waivers)
        from tqe.waivers import apply_waivers, read_waivers

        flagged = apply_waivers(flagged, read_waivers(config.waivers_path))
    return flagged
