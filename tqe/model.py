"""The result types every stage shares: segment column names, Flag, ErrorSpan and ScoreResult.

This module sits at the bottom of the house: it imports nothing from tqe, so reading,
scoring, flagging, the store, comparisons and reports all import these records downward.
A flag and an error span are one record each from the stage that makes them to the report;
they become dicts only at the edges (JSON output, the SQLite store, the COMET cache), through
their ``to_dict`` / ``from_dict`` pair.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from numbers import Integral, Real
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:  # pragma: no cover - annotations only: importing the model loads no pandas
    import pandas as pd

# --- segment columns ------------------------------------------------------------------------

SEG_ID = "id"
PARAGRAPH = "paragraph"
LINK = "link"
SOURCE = "source"
TRANSLATION = "translation"
#: a tuple of reference translations per segment (empty without a reference)
REFERENCES = "references"
#: a list of :class:`Flag` per segment, most serious first (tqe.flag)
FLAGS = "flags"
#: a list of waived :class:`Flag` per segment (tqe.waivers)
WAIVED_FLAGS = "waived_flags"
#: a list of :class:`ErrorSpan` per segment, from xCOMET-style models (tqe.metrics.comet)
COMET_ERROR_SPANS = "comet_error_spans"

#: the waivers file looked up in the working folder when none is named (tqe.config, tqe.waivers)
WAIVERS_FILE = "tqe-waivers.toml"

#: the columns reading gives every segments table, in order
SEGMENT_COLUMNS = [SEG_ID, PARAGRAPH, LINK, SOURCE, TRANSLATION, REFERENCES]


def references_of(value: Any) -> tuple[str, ...]:
    """A segment's references as a tuple of strings, whatever the table holds (tuple, list, str, NaN)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(reference) for reference in value)


def reference_streams(references: Iterable[Any]) -> list[list[str]]:
    """sacrebleu's layout of a references column: one list per reference, each as long as the
    segments ("" where a segment has fewer references than another)."""
    rows = [references_of(value) for value in references]
    count = max((len(row) for row in rows), default=0)
    return [[row[i] if i < len(row) else "" for row in rows] for i in range(count)]


# --- flags ----------------------------------------------------------------------------------

#: flag severities, most serious first
SEVERITIES: tuple[str, ...] = ("critical", "major", "minor")
SEVERITY_RANK: dict[str, int] = {name: rank for rank, name in enumerate(SEVERITIES)}


@dataclass(frozen=True)
class Flag:
    """One problem found in one segment: which check, how serious, and what to look at.

    The same record travels from the check to the segments table, the store and the report.
    ``change`` is "new" in a revision report when the previous revision did not have this
    check's flag. A flag a reviewer waived (tqe.waivers) has ``waived`` set, with the waiver's
    ``reason`` (and who and when, if the waiver says).

    Code reads its attributes; the dict form exists only at the edges (JSON, the store),
    through :meth:`to_dict` and :meth:`from_dict`.
    """

    check: str
    severity: str
    message: str
    change: str | None = None
    waived: bool = False
    reason: str = ""
    waived_by: str = ""
    waived_on: str = ""

    def __post_init__(self) -> None:
        if self.severity not in SEVERITY_RANK:
            raise ValueError(f"unknown severity {self.severity!r}")

    def to_dict(self) -> dict[str, Any]:
        """The flag as JSON and the store write it: check, severity, message, and for a waived
        flag ``"waived": true`` with the reason (and ``waived_by`` / ``waived_on`` if set)."""
        data: dict[str, Any] = {"check": self.check, "severity": self.severity, "message": self.message}
        if self.waived:
            data["waived"] = True
            data["reason"] = self.reason
            if self.waived_by:
                data["waived_by"] = self.waived_by
            if self.waived_on:
                data["waived_on"] = self.waived_on
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Flag:
        """The flag a :meth:`to_dict` dict (or a JSON / store row of the same keys) describes;
        ValueError for an unknown severity."""
        if isinstance(data, Flag):
            return data
        return cls(
            check=str(data["check"]),
            severity=str(data["severity"]),
            message=str(data.get("message", "")),
            waived=bool(data.get("waived", False)),
            reason=str(data.get("reason") or ""),
            waived_by=str(data.get("waived_by") or ""),
            waived_on=str(data.get("waived_on") or ""),
        )

    def waive(self, reason: str, by: str = "", on: str = "") -> Flag:
        """This flag, waived with ``reason``."""
        return replace(self, waived=True, reason=reason, waived_by=by, waived_on=on)


def sort_flags(flags: Iterable[Flag]) -> list[Flag]:
    """Most serious first; flags of equal severity keep the order the checks produced them."""
    return sorted(flags, key=lambda flag: SEVERITY_RANK[flag.severity])


def flags_of(value: Any) -> list[Flag]:
    """A segment's flags cell as Flag records: a list of Flags or of flag dicts (a table read
    back from JSON or the store); anything else (NaN, None) is no flag."""
    if not isinstance(value, (list, tuple)):
        return []
    return [Flag.from_dict(flag) for flag in value]


# --- COMET error spans ----------------------------------------------------------------------


@dataclass(frozen=True)
class ErrorSpan:
    """A stretch of the translation that xCOMET marks as an error: ``translation[start:end]``
    is ``text``, ``severity`` one of SEVERITIES, ``confidence`` the model's (finite) or None."""

    start: int
    end: int
    severity: str
    text: str
    confidence: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """The span as JSON and the COMET cache write it, in xCOMET's own key order."""
        return {
            "text": self.text,
            "confidence": self.confidence,
            "severity": self.severity,
            "start": self.start,
            "end": self.end,
        }

    @classmethod
    def from_dict(cls, entry: Any, translation: str) -> ErrorSpan:
        """A span dict (xCOMET's, or one :meth:`to_dict` wrote) checked against ``translation``.

        Offsets are trusted only when they cut out the span's text (surrounding spaces trimmed;
        xCOMET writes its sentence-start token ``<s>`` before a span that opens the
        translation); otherwise the text is looked up in the translation. An unknown severity
        counts as minor; a confidence that is not a finite number is dropped. ValueError (the
        reason) when the span cannot be placed in the translation.
        """
        if isinstance(entry, ErrorSpan):
            entry = entry.to_dict()
        if not isinstance(entry, Mapping):
            raise ValueError("an error span is not an object")
        text = str(entry.get("text") or "").strip()
        if not text:
            raise ValueError("an error span has no text")
        severity = str(entry.get("severity", "minor")).lower()
        severity = severity if severity in SEVERITY_RANK else "minor"
        confidence = _finite(entry.get("confidence"))
        start, end = _offset(entry.get("start")), _offset(entry.get("end"))
        texts = [text]
        if text.startswith(_SENTENCE_START) and text[len(_SENTENCE_START):].strip():
            texts.append(text[len(_SENTENCE_START):].strip())
        if start is not None and end is not None and 0 <= start < end <= len(translation):
            piece = translation[start:end]
            if piece.strip() in texts:
                start += len(piece) - len(piece.lstrip())
                text = piece.strip()
                return cls(start, start + len(text), severity, text, confidence)
        found = translation.find(text)
        if found < 0 and len(texts) > 1:
            text = texts[1]
            found = translation.find(text)
        if found < 0:
            raise ValueError("an error span is not in its translation")
        return cls(found, found + len(text), severity, text, confidence)


_SENTENCE_START = "<s>"


def error_spans_of(value: Any, translation: str) -> tuple[ErrorSpan, ...]:
    """A segment's error-span cell as checked ErrorSpans ordered by position; spans that cannot
    be placed in ``translation`` and cells that are not a list (NaN, None, text) give none."""
    if not isinstance(value, (list, tuple)):
        return ()
    spans = []
    for entry in value:
        try:
            spans.append(ErrorSpan.from_dict(entry, translation))
        except ValueError:
            continue
    return tuple(sorted(spans, key=lambda span: (span.start, span.end)))


def _offset(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, Integral):
        return int(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def _finite(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, Real):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def plain(value: Any) -> Any:
    """A ``json.dumps`` default: Flag and ErrorSpan records as their dicts, anything else as text."""
    if isinstance(value, (Flag, ErrorSpan)):
        return value.to_dict()
    return str(value)


def jsonable(value: Any) -> Any:
    """``value`` with every Flag and ErrorSpan (at any depth) replaced by its dict."""
    if isinstance(value, (Flag, ErrorSpan)):
        return value.to_dict()
    if isinstance(value, dict):
        return {key: jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(item) for item in value]
    return value


# --- a scored document ----------------------------------------------------------------------


class MetricResultLike(Protocol):
    """What a stage needs from a metric's result (tqe.metrics.base.MetricResult fits)."""

    corpus_score: float
    signature: str


@dataclass(frozen=True)
class ScoreResult:
    """A scored document: the segments table, each metric's result, and what did not run."""

    segments: pd.DataFrame
    metrics: dict[str, Any]  # metric name -> tqe.metrics.base.MetricResult
    skipped: dict[str, str] = field(default_factory=dict)
    # the run behind the result (tqe.pipeline.run): its settings, the files it read (role ->
    # path as given: source, translation, reference, reference 2…) and the absolute score
    # limits its flag stage applied (metric -> limit; none where score flags are off)
    config: Any = None  # a tqe.config.RunConfig (the model imports nothing above it)
    inputs: Mapping[str, str] = field(default_factory=dict)
    thresholds: Mapping[str, float] = field(default_factory=dict)

    @property
    def corpus(self) -> dict[str, float]:
        """Document score of each metric that ran."""
        return {name: result.corpus_score for name, result in self.metrics.items()}


__all__ = [
    "COMET_ERROR_SPANS",
    "FLAGS",
    "LINK",
    "PARAGRAPH",
    "REFERENCES",
    "SEGMENT_COLUMNS",
    "SEG_ID",
    "SEVERITIES",
    "SEVERITY_RANK",
    "SOURCE",
    "TRANSLATION",
    "WAIVED_FLAGS",
    "WAIVERS_FILE",
    "ErrorSpan",
    "Flag",
    "MetricResultLike",
    "ScoreResult",
    "error_spans_of",
    "flags_of",
    "jsonable",
    "plain",
    "reference_streams",
    "references_of",
    "sort_flags",
]
