"""``duplicate``: a translation that repeats its neighbour's translation while their sources
differ, a copy-paste slip that leaves a source sentence untranslated.

The aligner pairs such a copy with its twin, so without this check the slip reads as two
unrelated problems: an empty translation (``1-0``) for the source that lost its translation
and an added sentence (``0-1``) for the copy. :func:`duplicate_map` looks at neighbouring
segments of the same paragraph once per document; :func:`check_duplicate` reports what it
found, and the ``empty`` and ``addition`` flags it explains are dropped (tqe.checks.run_checks).

A near-copy counts too: after folding case, accents and punctuation (as ``consistency`` does),
the two translations are equal or at least 90% alike by difflib's ratio (one word or a typo
changed in a copy), while their sources are less than 80% alike. Two sentences of four words
or more rarely share 90% of their characters in order unless one was copied from the other;
when the sources are that close too ("Step 1: open the lid." / "Step 2: open the lid."), a
close translation is simply right. Short translations ("Oui.", "Merci.") are left out: they
legitimately repeat.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from difflib import SequenceMatcher

from tqe.checks.base import CheckContext, Flag, fold, shown
from tqe.checks.consistency import normalise

#: translations at least this alike (difflib ratio of the normalised texts) are copies
COPY_RATIO = 0.9
#: ... unless their sources are at least this alike
SOURCE_RATIO = 0.8
#: a near-copy that is not an exact copy also needs sources sharing less than this share of
#: their words: "Tap Sign Out." / "Tap Sign In." translate to "Appuyez sur Se déconnecter." /
#: "Appuyez sur Se connecter.", alike because the sources are
NEAR_COPY_SOURCE_WORDS = 0.5
MIN_WORDS = 4


def _ratio(first: str, second: str) -> float:
    """difflib's similarity of two normalised texts (0 to 1); only neighbours are compared,
    so its quadratic worst case does not matter."""
    return 1.0 if first == second else SequenceMatcher(None, first, second, autojunk=False).ratio()


def _alike(first: str, second: str, threshold: float) -> bool:
    """Whether ``_ratio(first, second) >= threshold``, skipping difflib's matching when one of
    its upper bounds (``real_quick_ratio``: the lengths; ``quick_ratio``: the characters
    shared, in any order) already falls short, as it does for nearly every pair of neighbours."""
    if first == second:
        return True
    total = len(first) + len(second)
    if 2.0 * min(len(first), len(second)) / total < threshold:
        return False
    if 2.0 * sum((Counter(first) & Counter(second)).values()) / total < threshold:
        return False
    return _ratio(first, second) >= threshold


def near_copy(first: str, second: str) -> bool:
    """Whether two translations are the same text, or nearly (see the module docstring)."""
    first, second = normalise(first), normalise(second)
    if len(first.split()) < MIN_WORDS or len(second.split()) < MIN_WORDS:
        return False
    return _alike(first, second, COPY_RATIO)


def _sources_differ(first: str, second: str, exact_copy: bool = True) -> bool:
    """Whether two sources are unlike enough for alike translations to be a copy; for a near
    (not exact) copy their words must differ too, since a one-word change in a short source
    rightly gives a one-word change in its translation."""
    if not first.strip() or not second.strip():
        return True
    first, second = normalise(first), normalise(second)
    if _alike(first, second, SOURCE_RATIO):
        return False
    if exact_copy:
        return True
    words = SequenceMatcher(None, first.split(), second.split(), autojunk=False).ratio()
    return words < NEAR_COPY_SOURCE_WORDS


def _paragraph(segment_id: str) -> str:
    return segment_id.rsplit(".", 1)[0] if "." in segment_id else ""


def _anchor(token: str) -> str:
    """An anchor as compared: folded, an acronym's plural as its singular (``GPUs`` and French
    ``GPU``)."""
    if re.fullmatch(r"[A-Z]{2,}s", token):
        token = token[:-1]
    return fold(token)


def _anchors(text: str) -> set[str]:
    """Numbers and capitalised words: what a translation keeps of its source."""
    return {_anchor(token) for token in re.findall(r"\d+|(?<=\s)[^\W\d_][\w-]*", text) if token[0].isdigit() or token[0].isupper()}


def _fit(source: str, translation: str) -> tuple[int, float]:
    """How well ``translation`` fits ``source``: shared numbers and names, then how usual
    its length ratio is (French runs about 15% longer than English)."""
    shared = len(_anchors(source) & _anchors(translation)) - len(_anchors(translation) - _anchors(source))
    ratio = abs(math.log((len(translation) + 1) / (len(source) * 1.15 + 1)))
    return shared, -ratio


def duplicate_map(ids: Sequence[str], sources: Sequence[str], translations: Sequence[str]) -> dict[tuple[str, str], tuple[str, ...]]:
    """(source, translation) of each segment a duplicate touches -> its messages."""
    found: dict[tuple[str, str], list[str]] = {}

    def add(index: int, message: str) -> None:
        found.setdefault((sources[index], translations[index]), []).append(message)

    count = len(ids)
    for first in range(count - 1):
        second = first + 1
        if _paragraph(ids[first]) != _paragraph(ids[second]):
            continue
        if not near_copy(translations[first], translations[second]):
            continue
        exact = normalise(translations[first]) == normalise(translations[second])
        if not _sources_differ(sources[first], sources[second], exact):
            continue
        blank = [index for index in (first, second) if not sources[index].strip()]
        if blank:
            copy = blank[0]
        else:  # the copy is the one that fits its own source worse; the later one on a tie
            copy = first if _fit(sources[first], translations[first]) < _fit(sources[second], translations[second]) else second
        twin = second if copy == first else first
        text = shown(translations[copy])
        if sources[copy].strip():
            add(copy, f"translation of {ids[copy]} repeats {ids[twin]}'s translation: '{text}', "
                      f"not a translation of its source '{shown(sources[copy])}'")
            continue
        # the copy has no source: the aligner paired it next to its twin; the source sentence
        # it stands in for is a neighbouring segment left without a translation
        lost = next(
            (
                index
                for index in (copy - 1, copy + 1, twin - 1, twin + 1)
                if 0 <= index < count and index not in (copy, twin)
                and _paragraph(ids[index]) == _paragraph(ids[copy])
                and sources[index].strip() and not translations[index].strip()
            ),
            None,
        )
        if lost is None:
            add(copy, f"translation of {ids[copy]} repeats {ids[twin]}'s translation: '{text}', with no source sentence of its own")
            continue
        add(copy, f"translation of {ids[copy]} repeats {ids[twin]}'s translation: '{text}', "
                  f"where {ids[lost]} '{shown(sources[lost])}' should be translated")
        add(lost, f"source {ids[lost]} '{shown(sources[lost])}' has no translation: "
                  f"in its place, {ids[copy]} repeats {ids[twin]}'s translation '{text}'")
    return {key: tuple(messages) for key, messages in found.items()}


def check_duplicate(source: str, translation: str, ctx: CheckContext) -> list[Flag]:
    """A translation that repeats its neighbour's while their sources differ (major)."""
    return [ctx.flag("duplicate", "major", message) for message in ctx.duplicates.get((source, translation), ())]
