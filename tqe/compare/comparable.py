"""When two scores may be compared: the one rule behind ``tqe compare`` and the changes that
``tqe history`` shows.

Two scores of a metric are comparable when they carry the same signature (and the same
segment-level signature: same settings, same sacrebleu or COMET model) and every segment
matched by source text (:mod:`tqe.compare.matching`) was scored against the same references.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from tqe.compare.matching import Pair, match_texts
from tqe.errors import CompareError
from tqe.signature import signature_field

if TYPE_CHECKING:  # pragma: no cover
    from tqe.store.history import RunInfo

SegmentTexts = Sequence[tuple[str, str, tuple[str, ...]]]
"""A run's segments as ``(source, translation, references)``, in document order."""


class Signed(Protocol):
    """A metric result's signatures (tqe.metrics.base.MetricResult fits)."""

    @property
    def signature(self) -> str: ...

    @property
    def segment_signature(self) -> str | None: ...


class _Signatures(NamedTuple):
    signature: Any
    segment_signature: Any


def signature_mismatch(name: str, a: Signed, b: Signed) -> str | None:
    """Why metric ``name``'s results ``a`` and ``b`` cannot be compared, or None when they can."""
    if a.signature != b.signature:
        model_a, model_b = signature_field(a.signature, "model"), signature_field(b.signature, "model")
        if model_a and model_b and model_a != model_b:
            return f"{name} models differ: {model_a} vs {model_b}"
        return f"{name} signatures differ: {a.signature} vs {b.signature}"
    if (a.segment_signature or None) != (b.segment_signature or None):
        return f"{name} segment signatures differ: {a.segment_signature} vs {b.segment_signature}"
    return None


def check_signatures(name: str, a: Signed, b: Signed) -> None:
    """:class:`CompareError` unless metric ``name``'s results ``a`` and ``b`` are comparable."""
    reason = signature_mismatch(name, a, b)
    if reason is not None:
        raise CompareError(reason)


def differing_references(
    pairs: Sequence[Pair], references_a: Sequence[tuple[str, ...]], references_b: Sequence[tuple[str, ...]]
) -> list[int]:
    """Positions in ``pairs`` of the matched segments whose references differ."""
    return [
        position for position, (index_a, index_b, _) in enumerate(pairs)
        if index_a is not None and index_b is not None and references_a[index_a] != references_b[index_b]
    ]


def shares_no_segment(pairs: Sequence[Pair], count_a: int, count_b: int) -> bool:
    """Both revisions have segments and none is matched: they are not the same document."""
    return bool(count_a and count_b) and not any(a is not None and b is not None for a, b, _ in pairs)


def comparable_runs(
    name: str, old: RunInfo, new: RunInfo, texts_of: Callable[[RunInfo], SegmentTexts]
) -> bool:
    """Whether ``old``'s stored score of metric ``name`` compares with ``new``'s as
    ``tqe compare`` would accept: both scored it with the same signatures, they share a
    segment, and matched segments have the same references. ``texts_of`` reads a run's
    segments (only once the signatures agree)."""
    if name not in old.corpus or name not in new.corpus:
        return False
    signed_old = _Signatures(old.signatures.get(name), old.segment_signatures.get(name))
    signed_new = _Signatures(new.signatures.get(name), new.segment_signatures.get(name))
    if signature_mismatch(name, signed_old, signed_new) is not None:
        return False
    texts_a, texts_b = texts_of(old), texts_of(new)
    pairs = match_texts([(s, t) for s, t, _ in texts_a], [(s, t) for s, t, _ in texts_b])
    if shares_no_segment(pairs, len(texts_a), len(texts_b)):
        return False
    return not differing_references(pairs, [r for _, _, r in texts_a], [r for _, _, r in texts_b])
