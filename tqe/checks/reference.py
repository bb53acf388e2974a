"""Checks that compare the translation with its reference translation, when there is one.

``reference-length``: a translation much shorter than its reference usually lost a clause (an
omission that the source-side ``length-ratio`` check misses when the document's own ratio is
loose); one much longer usually added something. A paraphrase can be shorter too, so the flag
needs both a ratio and an absolute number of missing characters, and it is minor.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from tqe.checks.base import Flag
from tqe.checks.length import nonspace_chars
from tqe.checks.polarity import check_polarity_reference

#: flag when the translation has under this share of the reference's characters…
SHORT_RATIO = 0.8
#: …or over this share…
LONG_RATIO = 1.3
#: …and the difference is at least this many characters (short sentences vary a lot)
MIN_DIFFERENCE = 30

ReferenceCheck = Callable[[str, Sequence[str]], list[Flag]]


def check_reference_length(translation: str, references: Sequence[str]) -> list[Flag]:
    """Translation far shorter or longer than the closest-length reference (minor)."""
    lengths = [nonspace_chars(reference) for reference in references if reference.strip()]
    have = nonspace_chars(translation)
    if not lengths or not have:
        return []
    closest = min(lengths, key=lambda length: abs(length - have))
    if have < SHORT_RATIO * closest and closest - have >= MIN_DIFFERENCE:
        return [Flag("reference-length", "minor",
                     f"the translation is {1 - have / closest:.0%} shorter than the reference "
                     f"({have} vs {closest} characters): check for an omission")]
    if have > LONG_RATIO * closest and have - closest >= MIN_DIFFERENCE:
        return [Flag("reference-length", "minor",
                     f"the translation is {have / closest - 1:.0%} longer than the reference "
                     f"({have} vs {closest} characters): check for an addition")]
    return []


REFERENCE_CHECKS: dict[str, ReferenceCheck] = {"reference-length": check_reference_length}
REFERENCE_CHECKS["polarity-reference"] = check_polarity_reference
