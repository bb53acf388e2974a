"""``consistency``: one source sentence translated in different ways, or one translation used
for different source sentences (often a copy-paste slip).

Both need the whole document, so :func:`consistency_maps` groups the segments once and the
check reads the groups from the context. Texts are compared after folding case, accents,
apostrophes and spaces, so typographic variants alone do not count; short segments ("Yes.",
"Thank you.") are skipped because they legitimately vary with context.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from tqe.checks.base import CheckContext, Flag, fold, quoted

MIN_WORDS = 4


def normalise(text: str) -> str:
    """The form two sentences are compared in: folded, without punctuation."""
    return " ".join(re.findall(r"\w+", fold(text)))


def _long_enough(text: str) -> bool:
    return len(normalise(text).split()) >= MIN_WORDS


def consistency_maps(
    ids: Sequence[str], sources: Sequence[str], translations: Sequence[str]
) -> tuple[dict[str, tuple[tuple[str, str], ...]], dict[str, tuple[tuple[str, str], ...]]]:
    """(normalised source -> ((id, translation), ...), normalised translation -> ((id, source), ...)),
    keeping only groups with more than one segment."""
    by_source: dict[str, list[tuple[str, str]]] = {}
    by_translation: dict[str, list[tuple[str, str]]] = {}
    for segment_id, source, translation in zip(ids, sources, translations):
        if not source.strip() or not translation.strip():
            continue
        if _long_enough(source):
            by_source.setdefault(normalise(source), []).append((segment_id, translation))
        if _long_enough(translation):
            by_translation.setdefault(normalise(translation), []).append((segment_id, source))
    return (
        {key: tuple(group) for key, group in by_source.items() if len(group) > 1},
        {key: tuple(group) for key, group in by_translation.items() if len(group) > 1},
    )


def check_consistency(source: str, translation: str, ctx: CheckContext) -> list[Flag]:
    """Inconsistent translation of a repeated sentence, or a reused translation (minor)."""
    flags = []
    others = [
        (segment_id, other)
        for segment_id, other in ctx.same_source.get(normalise(source), ())
        if normalise(other) != normalise(translation)
    ]
    if others:
        ids = ", ".join(segment_id for segment_id, _ in others)
        message = f"the same source sentence is translated differently in {_segments(ids)}: {quoted([text for _, text in others], 2)}"
        flags.append(ctx.flag("consistency", "minor", message))
    others = [
        (segment_id, other)
        for segment_id, other in ctx.same_translation.get(normalise(translation), ())
        if normalise(other) != normalise(source)
    ]
    if others:
        ids = ", ".join(segment_id for segment_id, _ in others)
        message = f"the same translation is used for a different source sentence in {_segments(ids)}: {quoted([text for _, text in others], 2)}"
        flags.append(ctx.flag("consistency", "minor", message))
    return flags


def _segments(ids: str) -> str:
    return ("segments " if "," in ids else "segment ") + ids
