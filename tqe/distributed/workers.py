"""What Ray runs away from the driver, one block (a pandas DataFrame of segments) at a time.

* :func:`lexical_block`, in CPU tasks: each lexical metric's sufficient statistics per segment
  (kept in a ``_stats_<metric>`` column for the driver to sum) and the segment scores made
  from them, plus the rule-based QA checks against the whole document's check context.
* :class:`CometWorker`, one actor per GPU (or per CPU slot): holds one
  :class:`~tqe.metrics.comet.Comet` metric, so the model is loaded once per actor, and scores
  the rows of each block the driver did not find in the cache, with COMET's length-sorted
  batching inside the block.

Everything here is plain tqe code (the same statistics, checks and COMET metric as a
single-process run); Ray only decides where it runs.
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

from tqe.model import plain

STATS_PREFIX = "_stats_"
RULE_FLAGS = "_rule_flags"
REFERENCE_FLAGS = "_reference_flags"
CACHED_SCORE = "_comet_cached"
CACHED_SPANS = "_comet_cached_spans"
NEW_SCORE = "_comet_new"
SPANS = "_comet_spans"
ROW = "_row"
ERROR = "_error"


def _texts(column: Any) -> list[str]:
    return [str(text) if isinstance(text, str) else "" for text in column]


def lexical_block(block: pd.DataFrame, lexical: list[tuple[str, dict[str, Any]]], rules: Any = None) -> pd.DataFrame:
    """Statistics and segment scores of each lexical metric; rule flags when ``rules`` (a
    :class:`tqe.flag.CheckPlan` or a Ray reference to one) is given."""
    from tqe.errors import TqeError

    try:
        return _lexical_block(block, lexical, rules)
    except TqeError as exc:  # e.g. another sacrebleu on this node
        return error_block(exc, len(block))


def _lexical_block(block: pd.DataFrame, lexical: list[tuple[str, dict[str, Any]]], rules: Any) -> pd.DataFrame:
    from tqe.metrics import metric_class
    from tqe.metrics.lexical import _build
    from tqe.metrics.sacrebleu_api import score_from_sum
    from tqe.model import REFERENCES, reference_streams

    scored = block.copy()
    translations = _texts(block["translation"])
    streams = reference_streams(block[REFERENCES])
    for name, options in lexical:
        metric = metric_class(name)(workers=1, **options)
        statistics = metric.statistics(translations, streams)
        # as Bleu.compute does: sentence-level settings, the reference count caching records
        segment_metric = _build(metric.kind, metric.options, sentence_level=True)
        segment_metric.num_refs = len(streams)
        scored[name] = [float(score_from_sum(segment_metric, row).score) for row in statistics]
        scored[STATS_PREFIX + name] = [[float(value) for value in row] for row in statistics]
    if rules is not None:
        from tqe.flag import CheckPlan

        if not isinstance(rules, CheckPlan):
            import ray

            rules = ray.get(rules)
        scored[RULE_FLAGS], scored[REFERENCE_FLAGS] = _rule_flags(block, rules)
    return scored


def _rule_flags(block: pd.DataFrame, plan: Any) -> tuple[list[str], list[str]]:
    """Per segment, the JSON of its rule-check flags and of its reference-check flags
    (:func:`tqe.checks.parallel.check_segment`, as :func:`tqe.flag.flag_segments` runs it)."""
    from tqe.checks.parallel import check_segment

    rule_column, reference_column = [], []
    for source, translation, references in zip(_texts(block["source"]), _texts(block["translation"]), block["references"]):
        flags, from_references = check_segment(source, translation, tuple(references if references is not None else ()),
                                               plan.context, plan.checks, plan.reference_checks)
        rule_column.append(json.dumps([flag.to_dict() for flag in flags], ensure_ascii=False))
        reference_column.append(json.dumps([flag.to_dict() for flag in from_references], ensure_ascii=False))
    return rule_column, reference_column


class CometWorker:
    """A Ray actor holding one COMET model: built once, then called with block after block."""

    def __init__(self, comet_options: dict[str, Any], use_reference: bool) -> None:
        from tqe.metrics.comet import Comet

        self.metric = Comet(**comet_options)
        self.use_reference = use_reference

    def __call__(self, block: pd.DataFrame) -> pd.DataFrame:
        from tqe.errors import TqeError

        if ERROR in block.columns:
            return block  # an earlier stage's error, on its way to the driver
        try:
            return self._score(block)
        except TqeError as exc:  # e.g. the model cannot be loaded here, CUDA out of memory
            return error_block(exc, len(block))

    def _score(self, block: pd.DataFrame) -> pd.DataFrame:
        scored = block.drop(columns=[CACHED_SCORE, CACHED_SPANS])
        cached = pd.to_numeric(block[CACHED_SCORE], errors="coerce")
        missing = cached.isna().to_numpy()
        scores = cached.to_numpy(dtype=float, copy=True)
        spans = list(block[CACHED_SPANS])
        if missing.any():
            todo = block[missing]
            references = [[refs[0] for refs in todo["references"]]] if self.use_reference else None
            result = self.metric.compute(_texts(todo["source"]), _texts(todo["translation"]), references)
            scores[missing] = result.segment_scores
            computed_spans = result.details.get("comet_error_spans")
            positions = [index for index, flag in enumerate(missing) if flag]
            for number, position in enumerate(positions):
                spans[position] = json.dumps(computed_spans[number], ensure_ascii=False, default=plain) if computed_spans else None
        scored["comet"] = scores
        scored[NEW_SCORE] = missing
        scored[SPANS] = spans
        return scored


def error_block(exc: Exception, rows: int) -> pd.DataFrame:
    """A block that carries a worker's TqeError to the driver as data: Ray pickles exceptions
    without their causes, so a raised one would reach the driver as a traceback."""
    return pd.DataFrame({ERROR: [f"{type(exc).__name__}:{exc}"] * max(rows, 1)})


def raise_block_error(block: pd.DataFrame) -> None:
    """Raise again, in the driver, the TqeError a worker returned in ``block``."""
    if ERROR in block.columns and len(block):
        import tqe.errors

        name, _, message = str(block[ERROR].iloc[0]).partition(":")
        kind = getattr(tqe.errors, name, None)
        if not (isinstance(kind, type) and issubclass(kind, tqe.errors.TqeError)):
            kind = tqe.errors.TqeError
        raise kind(message)

