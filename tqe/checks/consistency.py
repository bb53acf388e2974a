"""``consistency``: one source sentence translated in different ways, or one translation used
for different source sentences (often a copy-paste slip).

Both need the whole document, so :func:`consistency_maps` groups the segments once and the
check reads the groups from the context. Texts are compared after folding case, accents,
apostrophes and spaces, so typographic variants alone do not count; short segments ("Yes.",
"Thank you.") are skipped because they legitimately vary with context.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache

from tqe.checks.base import CheckContext, Flag, fold, quoted

MIN_WORDS = 4
_WORD = re.compile(r"\w+")


@lru_cache(maxsize=65536)
def normalise(text: str) -> str:
    """The form two sentences are compared in: folded, without punctuation."""
    return " ".join(_WORD.findall(fold(text)))


def _long_enough(text: str) -> bool:
    # the words of a normalised text are joined by one space each
    return normalise(text).count(" ") >= MIN_WORDS - 1


Variants = Mapping[str, Mapping[str, tuple[tuple[str, ...], str]]]


def _group(pairs: list[tuple[str, str, str]]) -> dict[str, dict[str, tuple[tuple[str, ...], str]]]:
    """key -> {normalised other side -> (segment ids, other side as first written)}, keeping
    only keys with more than one variant."""
    groups: dict[str, dict[str, tuple[tuple[str, ...], str]]] = {}
    for key, segment_id, other in pairs:
        variants = groups.setdefault(key, {})
        ids, text = variants.get(normalise(other), ((), other))
        variants[normalise(other)] = ((*ids, segment_id), text)
    return {key: variants for key, variants in groups.items() if len(variants) > 1}


def consistency_maps(
    ids: Sequence[str], sources: Sequence[str], translations: Sequence[str]
) -> tuple[Variants, Variants]:
    """(normalised source -> its different translations, normalised translation -> its
    different sources), each variant with the ids of the segments that use it."""
    by_source: list[tuple[str, str, str]] = []
    by_translation: list[tuple[str, str, str]] = []
    for segment_id, source, translation in zip(ids, sources, translations):
        if not source.strip() or not translation.strip():
            continue
        if _long_enough(source):
            by_source.append((normalise(source), segment_id, translation))
        if _long_enough(translation):
            by_translation.append((normalise(translation), segment_id, source))
    return _group(by_source), _group(by_translation)


def _segments(ids: list[str], limit: int = 5) -> str:
    shown_ids = ", ".join(ids[:limit]) + (f" and {len(ids) - limit} more" if len(ids) > limit else "")
    return ("segments " if len(ids) > 1 else "segment ") + shown_ids


def _others(variants: Mapping[str, tuple[tuple[str, ...], str]], own: str) -> tuple[list[str], list[str]]:
    ids: list[str] = []
    texts: list[str] = []
    for normalised, (segment_ids, text) in variants.items():
        if normalised != own:
            ids.extend(segment_ids)
            texts.append(text)
    return ids, texts


def _reported_copies(ctx: CheckContext) -> set[tuple[str, str]]:
    """(normalised source, normalised translation) of the segments ``duplicate`` reports as a
    copy of their neighbour's translation."""
    return {(normalise(source), normalise(translation)) for source, translation in ctx.duplicates}


def check_consistency(source: str, translation: str, ctx: CheckContext) -> list[Flag]:
    """Inconsistent translation of a repeated sentence, or a reused translation (minor).

    A translation reused by a neighbour that ``duplicate`` reports as a copy is left to that
    check: it names both segments, and the original's translation is right."""
    flags = []
    variants = ctx.same_source.get(normalise(source))
    if variants:
        ids, texts = _others(variants, normalise(translation))
        message = f"the same source sentence is translated differently in {_segments(ids)}: {quoted(texts, 2)}"
        flags.append(ctx.flag("consistency", "minor", message))
    variants = ctx.same_translation.get(normalise(translation))
    if variants and ctx.duplicates:
        copies = _reported_copies(ctx)
        if (normalise(source), normalise(translation)) in copies:
            variants = None
        else:
            variants = {
                key: value for key, value in variants.items() if (key, normalise(translation)) not in copies
            }
            variants = variants if len(variants) > 1 else None
    if variants:
        ids, texts = _others(variants, normalise(source))
        message = (
            f"the same translation is used for a different source sentence in {_segments(ids)}: "
            f"{quoted(texts, 2)}"
        )
        flags.append(ctx.flag("consistency", "minor", message))
    return flags
