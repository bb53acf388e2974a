"""The contract every metric follows: a named object that scores aligned segments at once."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol, Sequence


@dataclass(frozen=True)
class MetricResult:
    """What one metric gives for a document.

    ``segment_scores`` has one float per segment, in segment order; ``corpus_score`` is the
    document score; ``signature`` identifies exactly how the number was computed (sacrebleu's
    signature string, or COMET's model and version). ``details`` holds optional per-segment
    extras (for example xCOMET error spans) keyed by name, each a list aligned with segments.
    """

    name: str
    corpus_score: float
    segment_scores: list[float]
    signature: str
    segment_signature: str | None = None
    details: dict[str, list[Any]] = field(default_factory=dict)


class Metric(Protocol):
    """A metric scores every segment and the document in one call."""

    name: str
    needs_reference: bool

    def compute(
        self,
        sources: Sequence[str],
        translations: Sequence[str],
        references: Sequence[Sequence[str]] | None,
    ) -> MetricResult:
        """Score ``translations`` (one per segment); ``references`` is a list of reference
        streams, each as long as ``translations`` (sacrebleu's layout), or None."""
        ...
