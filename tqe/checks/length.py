"""``length-ratio``: a translation far shorter or longer than usual (omission or addition).

French runs about 15-20% longer than English, but each document has its own habit, so the
typical ratio comes from the document itself: the median of log(translation characters /
source characters), with the median absolute deviation as its spread (robust: a few broken
segments do not move them). A segment whose robust z-score passes the limit is flagged.
Documents with fewer segments than ``min_segments`` use a fixed English -> French prior
instead, because a median of a handful of ratios is not a norm. A fixed 10x limit, as
some QA tools use, fires too late to catch a dropped clause.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence

from tqe.checks.base import CheckContext, Flag, LengthStats

#: English -> French prior: French about 1.15 times longer, with a log spread of 0.15
PRIOR = LengthStats(median=math.log(1.15), scale=0.15, from_document=False)
#: floor on the spread, so a very regular document does not flag a 20% difference
MIN_SCALE = 0.08
_MAD_TO_SIGMA = 1.4826  # MAD of a normal distribution times this = its standard deviation


def nonspace_chars(text: str) -> int:
    """Characters that are not spaces (no-break spaces included: str.split knows them)."""
    return len("".join(text.split()))


def log_ratio(source: str, translation: str) -> float | None:
    """log(translation / source length) in non-space characters; None when either is empty."""
    source_length, translation_length = nonspace_chars(source), nonspace_chars(translation)
    if not source_length or not translation_length:
        return None
    return math.log(translation_length / source_length)


def length_stats(
    sources: Sequence[str], translations: Sequence[str], min_segments: int = 10, min_chars: int = 20
) -> LengthStats:
    """The document's typical log ratio and spread, or :data:`PRIOR` for a short document."""
    ratios = [
        ratio
        for source, translation in zip(sources, translations)
        if nonspace_chars(source) >= min_chars and (ratio := log_ratio(source, translation)) is not None
    ]
    if len(ratios) < min_segments:
        return PRIOR
    median = statistics.median(ratios)
    spread = _MAD_TO_SIGMA * statistics.median(abs(ratio - median) for ratio in ratios)
    return LengthStats(median=median, scale=max(spread, MIN_SCALE), from_document=True)


def check_length_ratio(source: str, translation: str, ctx: CheckContext) -> list[Flag]:
    """Length far from the document's usual ratio (major: often a dropped or added clause).
    Sources shorter than ``length_min_chars`` are skipped: "Yes." -> "D'accord." is fine."""
    stats = ctx.length or PRIOR
    if nonspace_chars(source) < ctx.length_min_chars:
        return []
    ratio = log_ratio(source, translation)
    if ratio is None:
        return []
    z = (ratio - stats.median) / stats.scale
    if abs(z) < ctx.length_ratio_z:
        return []
    usual = "this document's usual" if stats.from_document else "the usual English -> French"
    relative = math.exp(ratio - stats.median)
    if z < 0:
        message = f"the translation is much shorter than {usual} length ({relative:.0%} of it): something may be missing"
    else:
        message = f"the translation is much longer than {usual} length ({relative:.0%} of it): something may have been added"
    return [ctx.flag("length-ratio", "major", message)]
