"""COMET segment scores cached in tqe's SQLite file, so no segment is scored twice.

A score is keyed by a SHA-256 over the model identity and the exact source, translation and
reference texts (no normalisation: a changed character is a new segment). Writes happen in one
transaction per call, so a run that is stopped keeps every batch it finished.
"""

from __future__ import annotations

import hashlib
import json
import math
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tqe.errors import StoreError
from tqe.model import ErrorSpan, jsonable
from tqe.store.db import connect, transaction

Triple = tuple[str, str, "str | None"]
"""(source, translation, reference); reference is None for reference-free models."""

_LOOKUP_CHUNK = 500  # keys per SELECT, below SQLite's limit on bound parameters

MAX_ABS_SCORE = 1000.0
"""A cached score further from zero than this is damage, not a COMET score (models give about
-2 to 2; ``9e999`` typed into the file reads back as infinity)."""


@dataclass(frozen=True)
class CachedScore:
    """One cached COMET result: the segment score and, for xCOMET-style models, error spans."""

    score: float
    error_spans: list[ErrorSpan] | None = field(default=None)


def cache_key(model_id: str, triple: Triple) -> str:
    """The SHA-256 hex digest identifying one (model, source, translation, reference)."""
    source, translation, reference = triple
    payload = json.dumps([model_id, source, translation, reference], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class CometCache:
    """Read and write cached COMET scores; give it a connection or a database path."""

    def __init__(self, conn_or_path: sqlite3.Connection | str | Path) -> None:
        if isinstance(conn_or_path, sqlite3.Connection):
            self.conn = conn_or_path
            self.path: Path | None = None
        else:
            self.conn = connect(conn_or_path)
            self.path = Path(conn_or_path)
        self.rejected: dict[str, int] = {}
        """Why rows were ignored by the last :meth:`get_many`, with how many: damaged rows are
        left out (so they are recomputed and overwritten), never used."""

    def get_many(self, model_id: str, triples: Iterable[Triple]) -> dict[Triple, CachedScore]:
        """The cached results among ``triples`` for ``model_id``; missing ones are left out."""
        by_key = {cache_key(model_id, triple): triple for triple in triples}
        keys = list(by_key)
        found: dict[Triple, CachedScore] = {}
        self.rejected = {}
        try:
            for start in range(0, len(keys), _LOOKUP_CHUNK):
                chunk = keys[start : start + _LOOKUP_CHUNK]
                placeholders = ",".join("?" * len(chunk))
                rows = self.conn.execute(
                    f"SELECT key, score, error_spans FROM comet_cache WHERE key IN ({placeholders})",
                    chunk,
                )
                for key, score, spans in rows:
                    try:
                        triple = by_key[key]
                        found[triple] = CachedScore(_valid_score(score), _valid_spans(spans, triple[1]))
                    except ValueError as exc:
                        reason = str(exc)
                        self.rejected[reason] = self.rejected.get(reason, 0) + 1
        except sqlite3.Error as exc:
            raise StoreError(f"cannot read the COMET cache: {exc}") from exc
        return found

    def put_many(
        self,
        model_id: str,
        items: Sequence[tuple[Triple, float, list[ErrorSpan] | None]],
    ) -> None:
        """Store (triple, score, error spans or None) results in one committed transaction;
        spans are kept as their :meth:`ErrorSpan.to_dict` dicts."""
        rows = [
            (
                cache_key(model_id, triple),
                model_id,
                float(score),
                json.dumps(jsonable(spans), ensure_ascii=False, allow_nan=False) if spans is not None else None,
            )
            for triple, score, spans in items
            if _storable(score, spans)
        ]
        if not rows:
            return
        try:
            with transaction(self.conn):
                self.conn.executemany(
                    "INSERT OR REPLACE INTO comet_cache (key, model_id, score, error_spans) "
                    "VALUES (?, ?, ?, ?)",
                    rows,
                )
        except sqlite3.Error as exc:
            raise StoreError(f"cannot write the COMET cache: {exc}") from exc

    def count(self, model_id: str | None = None) -> int:
        """How many scores are cached, for one model or for all."""
        if model_id is None:
            row = self.conn.execute("SELECT count(*) FROM comet_cache").fetchone()
        else:
            row = self.conn.execute(
                "SELECT count(*) FROM comet_cache WHERE model_id = ?", (model_id,)
            ).fetchone()
        return int(row[0])

    def close(self) -> None:
        """Close the underlying connection."""
        self.conn.close()


def _valid_score(value: Any) -> float:
    """A cached score as a float; ValueError (the reason) for text, blobs, NaN, infinities and
    values no COMET model gives."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"score stored as {type(value).__name__}, not a number")
    score = float(value)
    if not math.isfinite(score):
        raise ValueError("score is not a finite number")
    if abs(score) > MAX_ABS_SCORE:
        raise ValueError("score out of range")
    return score


def _valid_spans(text: Any, translation: str) -> list[ErrorSpan] | None:
    """Cached error spans: None, or JSON text holding a list of span objects that each fit
    ``translation`` (:meth:`ErrorSpan.from_dict`)."""
    if text is None:
        return None
    if not isinstance(text, str):
        raise ValueError(f"error spans stored as {type(text).__name__}, not JSON text")
    try:
        spans = json.loads(text, parse_constant=_no_constant)
    except (ValueError, RecursionError) as exc:
        raise ValueError("error spans are not valid JSON") from exc
    if not isinstance(spans, list) or not all(isinstance(span, dict) for span in spans):
        raise ValueError("error spans are not a list of objects")
    return [ErrorSpan.from_dict(span, translation) for span in spans]


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _storable(score: Any, spans: Any) -> bool:
    """Only finite scores (and spans JSON can hold) go into the cache; others are recomputed."""
    try:
        _valid_score(float(score))
        if spans is not None:
            json.dumps(jsonable(spans), allow_nan=False)
    except (TypeError, ValueError):
        return False
    return True
