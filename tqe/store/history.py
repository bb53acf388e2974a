"""Run history: every ``tqe score --save`` becomes one run in tqe's SQLite file.

A run keeps what a later comparison needs without the input files: each segment's texts,
scores and flags, the document scores with their signatures, and what did not run. A run is
written in one transaction, so a process killed mid-run leaves no trace of it, and two
processes saving at once both succeed (the second waits for the write lock).

A document is identified by its source text (:func:`document_id`), independent of the
translation, the input format and the sentence alignment; runs of the same source file whose
text was edited are still linked through the source file's path.
"""

from __future__ import annotations

import hashlib
import json
import math
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pandas as pd

from tqe.errors import StoreError
from tqe.gitrev import git_revision
from tqe.metrics.base import MetricResult
from tqe.model import COMET_ERROR_SPANS, Flag, ScoreResult, error_spans_of, flags_of, plain
from tqe.numbers import finite_or_none
from tqe.signature import signature_field
from tqe.store.db import DEFAULT_DB_PATH, busy_or, connect, read_only, transaction

LATEST, PREVIOUS = "latest", "previous"
"""Run references that name the newest run and the run before it of the same document."""


@dataclass(frozen=True)
class RunInfo:
    """What identifies a stored run (without its segments)."""

    id: int
    document_id: str
    revision: str
    created_at: str
    tqe_version: str
    source_path: str | None
    translation_path: str | None
    reference_paths: tuple[str, ...]
    segment_count: int
    corpus: dict[str, float] = field(default_factory=dict)
    signatures: dict[str, str] = field(default_factory=dict)
    segment_signatures: dict[str, str | None] = field(default_factory=dict)
    replaced: tuple[int, ...] = field(default=(), compare=False)
    """Set by :func:`save_run` with ``force``: the runs of the same document that carried the
    same label and were deleted."""

    @property
    def document_name(self) -> str:
        """The source file's name, else the start of the document id."""
        if self.source_path and self.source_path != "-":
            return Path(self.source_path).name
        return f"document {self.document_id[:12]}"

    @property
    def label(self) -> str:
        """How reports name the run: ``#12 (v2)``."""
        return f"#{self.id} ({self.revision})"


@dataclass(frozen=True)
class StoredRun(ScoreResult):
    """A run read back from the history: a :class:`tqe.model.ScoreResult` (segments table with
    Flag and ErrorSpan records, metric results, what did not run) plus its :class:`RunInfo`;
    compare and report read it as they read a fresh result."""

    info: RunInfo | None = None


SegmentTexts = list[tuple[str, str, tuple[str, ...]]]
"""A run's segments as ``(source, translation, references)``, in document order."""

Comparable = Callable[[str, RunInfo, RunInfo, Callable[[RunInfo], SegmentTexts]], bool]
"""Whether an earlier run's score of a metric compares with a later run's: the caller's rule
(:func:`tqe.compare.comparable_runs`), given a reader of a run's segments."""


def _normalise(text: str) -> str:
    return " ".join(str(text).split())


def document_id(segments: pd.DataFrame) -> str:
    """SHA-256 (hex) of the source text as the segments table holds it.

    Each paragraph's source segments are joined by one space (whitespace collapsed), so the id
    depends neither on how sentences were grouped into segments nor on the translation;
    paragraphs are joined by newlines, counting paragraphs without source text as empty.
    """
    paragraphs: dict[int, list[str]] = {}
    for paragraph, source in zip(segments["paragraph"], segments["source"]):
        text = _normalise(source)
        if text:
            paragraphs.setdefault(int(paragraph), []).append(text)
    last = max((int(p) for p in segments["paragraph"]), default=0)
    joined = "\n".join(" ".join(paragraphs.get(number, [])) for number in range(1, last + 1))
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def default_revision(translation_path: str | Path | None) -> str:
    """The git commit of the translation file when it is committed and clean, else the time."""
    return git_revision(translation_path) or _now()


def _path_text(path: str | Path | None) -> str | None:
    if path is None:
        return None
    if str(path) == "-":
        return "-"
    return str(Path(path).resolve())


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=plain)


def _detail_owners(result: ScoreResult) -> dict[str, str]:
    return {detail: name for name, metric in result.metrics.items() for detail in metric.details}


def _segment_rows(run_id: int, result: ScoreResult) -> Iterator[tuple]:
    """One ``segments`` row per segment, in document order."""
    details = list(_detail_owners(result))
    for position, row in enumerate(result.segments.to_dict("records")):
        extra = {name: row[name] for name in details if name in row and _present(row[name])}
        yield (
            run_id,
            position,
            str(row["id"]),
            int(row["paragraph"]),
            str(row["link"]),
            str(row["source"]),
            str(row["translation"]),
            _json(list(row["references"])),
            _json(extra) if extra else None,
        )


def _present(value: Any) -> bool:
    return not (value is None or (isinstance(value, float) and math.isnan(value)))


def _score_rows(run_id: int, result: ScoreResult) -> Iterator[tuple]:
    for name, metric in result.metrics.items():
        values = result.segments[name] if name in result.segments.columns else metric.segment_scores
        for position, value in enumerate(values):
            yield run_id, position, name, finite_or_none(value)


def _flag_rows(run_id: int, result: ScoreResult) -> Iterator[tuple]:
    if "flags" not in result.segments.columns:
        return
    for position, flags in enumerate(result.segments["flags"]):
        for ordinal, flag in enumerate(flags_of(flags)):
            yield (
                run_id,
                position,
                ordinal,
                flag.check,
                flag.severity,
                flag.message,
            )


_SELECTOR_WORDS = (LATEST, PREVIOUS)


def check_revision_label(label: str) -> str:
    """``label`` stripped, or :class:`StoreError` when a run reference would read it otherwise.

    ``latest``/``previous`` (any case), ``#N`` and plain numbers (run ids) are refused: a run
    saved under them could never be selected by its label.
    """
    text = str(label).strip()
    if text.lower() in _SELECTOR_WORDS or text.startswith("#") or text.isdigit():
        raise StoreError(
            f"revision label {text!r} is reserved: tqe compare and tqe history read it as a run "
            "reference (latest, previous, #ID, run id); choose another --revision"
        )
    return text


@dataclass(frozen=True)
class SavePlan:
    """What :func:`save_run` will do, found before anything is written: the label the run gets
    and the runs it replaces (with ``force``)."""

    label: str
    replaces: tuple[int, ...] = ()


def _same_label(conn: sqlite3.Connection, label: str, doc_id: str, source_text: str | None) -> tuple[int, ...]:
    """Runs of the same document (same source text, or same source file) labelled ``label``."""
    return tuple(
        int(row[0])
        for row in conn.execute(
            "SELECT id FROM runs WHERE revision = ? AND (document_id = ? "
            "OR (source_path = ? AND source_path != '-')) ORDER BY id",
            (label, doc_id, source_text),
        )
    )


def _free_label(conn: sqlite3.Connection, label: str, doc_id: str, source_text: str | None) -> str:
    """A default label made unique for the document: ``label``, else ``label-2``, ``label-3``…"""
    candidate, number = label, 1
    while _same_label(conn, candidate, doc_id, source_text):
        number += 1
        candidate = f"{label}-{number}"
    return candidate


def _settle_label(
    conn: sqlite3.Connection, label: str, given: bool, force: bool, doc_id: str, source_text: str | None,
    document_name: str,
) -> SavePlan:
    taken = _same_label(conn, label, doc_id, source_text)
    if not taken:
        return SavePlan(label)
    if force:
        return SavePlan(label, taken)
    if not given:
        return SavePlan(_free_label(conn, label, doc_id, source_text))
    ids = ", ".join(f"#{run_id}" for run_id in taken)
    raise StoreError(
        f"revision {label!r} already labels run {ids} of {document_name}; choose another "
        "--revision, or add --force to replace that run"
    )


def _document_name(source_text: str | None, doc_id: str) -> str:
    if source_text and source_text != "-":
        return Path(source_text).name
    return f"document {doc_id[:12]}"


def plan_save(
    db_path: str | Path | None,
    result: ScoreResult,
    *,
    source_path: str | Path | None = None,
    translation_path: str | Path | None = None,
    reference_paths: Sequence[str | Path] = (),
    revision: str | None = None,
    force: bool = False,
) -> SavePlan:
    """Check, without writing, that :func:`save_run` can save ``result`` under ``revision``.

    Raises :class:`StoreError` for a reserved label, or a label that already names a run of the
    document (unless ``force``). A default label that is taken gets ``-2``, ``-3``…; the
    returned :class:`SavePlan` says which label the run will get.
    """
    given = bool((revision or "").strip())
    label = check_revision_label(revision) if given else default_revision(translation_path)  # type: ignore[arg-type]
    path = Path(DEFAULT_DB_PATH if db_path is None else db_path)
    if not path.is_file():
        return SavePlan(label)
    doc_id = document_id(result.segments)
    source_text = _path_text(source_path)
    conn = connect(path)
    try:
        return _settle_label(conn, label, given, force, doc_id, source_text, _document_name(source_text, doc_id))
    except sqlite3.Error as exc:
        raise StoreError(f"cannot read the run history {path}: {busy_or(exc, path)}") from exc
    finally:
        conn.close()


def save_run(
    db_path: str | Path | None,
    result: ScoreResult,
    *,
    source_path: str | Path | None = None,
    translation_path: str | Path | None = None,
    reference_paths: Sequence[str | Path] = (),
    revision: str | None = None,
    force: bool = False,
    tqe_version: str,
) -> RunInfo:
    """Record a scored (and possibly flagged) document as one run, all or nothing.

    ``tqe_version`` is the version of tqe that scored it. ``revision`` labels the run (default: :func:`default_revision` of the translation file,
    with ``-2``, ``-3``… added when the document already has a run with that label).
    ``db_path`` None means :data:`tqe.store.db.DEFAULT_DB_PATH`. A label is unique per
    document: one that already names a run of it is a :class:`StoreError`, unless ``force``,
    which replaces those runs in the same transaction (``replaced`` in the returned info).
    Reserved labels (:func:`check_revision_label`) are refused.
    """
    given = bool((revision or "").strip())
    label = check_revision_label(revision) if given else default_revision(translation_path)  # type: ignore[arg-type]
    segments = result.segments
    doc_id = document_id(segments)
    created_at = _now()
    refs = [_path_text(p) for p in reference_paths]
    source_text = _path_text(source_path)
    conn = connect(DEFAULT_DB_PATH if db_path is None else db_path)
    try:
        with transaction(conn):
            plan = _settle_label(conn, label, given, force, doc_id, source_text, _document_name(source_text, doc_id))
            label = plan.label
            conn.executemany("DELETE FROM runs WHERE id = ?", [(run_id,) for run_id in plan.replaces])
            cursor = conn.execute(
                "INSERT INTO runs (document_id, revision, created_at, tqe_version, source_path, "
                "translation_path, reference_paths, segment_count, skipped) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    doc_id,
                    label,
                    created_at,
                    tqe_version,
                    _path_text(source_path),
                    _path_text(translation_path),
                    _json(refs),
                    len(segments),
                    _json(dict(result.skipped)),
                ),
            )
            run_id = int(cursor.lastrowid or 0)
            conn.executemany(
                "INSERT INTO run_metrics (run_id, metric, corpus_score, signature, "
                "segment_signature, model, details) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        run_id,
                        name,
                        float(metric.corpus_score),
                        metric.signature,
                        metric.segment_signature,
                        signature_field(metric.signature, "model"),
                        _json(list(metric.details)),
                    )
                    for name, metric in result.metrics.items()
                ],
            )
            conn.executemany(
                "INSERT INTO segments (run_id, position, segment_id, paragraph, link, source, "
                "translation, refs, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                _segment_rows(run_id, result),
            )
            conn.executemany(
                "INSERT INTO segment_scores (run_id, position, metric, score) VALUES (?, ?, ?, ?)",
                _score_rows(run_id, result),
            )
            conn.executemany(
                "INSERT INTO segment_flags (run_id, position, ordinal, check_name, severity, message) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                _flag_rows(run_id, result),
            )
    except sqlite3.Error as exc:
        raise StoreError(f"cannot save the run: {busy_or(exc, DEFAULT_DB_PATH if db_path is None else db_path)}") from exc
    finally:
        conn.close()
    return RunInfo(
        id=run_id,
        document_id=doc_id,
        revision=label,
        created_at=created_at,
        tqe_version=tqe_version,
        source_path=_path_text(source_path),
        translation_path=_path_text(translation_path),
        reference_paths=tuple(r for r in refs if r is not None),
        segment_count=len(segments),
        corpus={name: metric.corpus_score for name, metric in result.metrics.items()},
        signatures={name: metric.signature for name, metric in result.metrics.items()},
        segment_signatures={name: metric.segment_signature for name, metric in result.metrics.items()},
        replaced=plan.replaces,
    )


# --- reading -------------------------------------------------------------------------------

_BAD_DATA = (sqlite3.Error, ValueError, KeyError, TypeError)
"""What a damaged or hand-edited database raises while a run is read back."""


def _stored_number(value: Any, what: str) -> float:
    """A score read back from the database; ValueError when it is text, a blob, NaN or
    infinite (a hand-edited or damaged row: a run with it is not used)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        shown = repr(value) if not isinstance(value, (str, bytes)) or len(value) < 40 else f"{type(value).__name__}"
        raise ValueError(f"{what} is {shown}, not a finite number")
    return float(value)


def _stored_segment_score(value: Any, metric: str) -> float:
    """A segment score read back: NULL is "no score" (NaN); anything else must be finite."""
    return math.nan if value is None else _stored_number(value, f"a {metric} segment score")


def _damaged(path: str | Path | None, run_id: int | None, exc: BaseException) -> StoreError:
    """One line naming the database and, when known, the run that cannot be read."""
    where = Path(DEFAULT_DB_PATH if path is None else path)
    what = f"run #{run_id} in {where}" if run_id is not None else f"the run history {where}"
    detail = " ".join(str(exc).split())
    if isinstance(exc, sqlite3.Error):
        return StoreError(f"cannot read {what}: {detail}")
    return StoreError(f"cannot read {what}: its stored data is damaged ({type(exc).__name__}: {detail})")


@contextmanager
def _reading(db_path: str | Path | None) -> Iterator[sqlite3.Connection]:
    """The run history, opened read-only: reading never migrates or otherwise changes it."""
    path = Path(DEFAULT_DB_PATH if db_path is None else db_path)
    if not path.is_file():
        raise StoreError(f"no run history at {path}; save a run first with tqe score --save")
    with read_only(path) as conn:
        yield conn


def _run_infos(conn: sqlite3.Connection, path: Path) -> list[RunInfo]:
    """Every run, oldest first, with its document scores and signatures."""
    rows = conn.execute(
        "SELECT id, document_id, revision, created_at, tqe_version, source_path, translation_path, "
        "reference_paths, segment_count FROM runs ORDER BY id"
    ).fetchall()
    metrics: dict[int, dict[str, tuple[float, str, str | None]]] = {}
    for run_id, name, score, signature, segment_signature in conn.execute(
        "SELECT run_id, metric, corpus_score, signature, segment_signature FROM run_metrics "
        "ORDER BY run_id, rowid"
    ):
        metrics.setdefault(run_id, {})[name] = (score, signature, segment_signature)
    infos = []
    for run_id, doc, revision, created, version, source, translation, refs, count in rows:
        run_metrics = metrics.get(run_id, {})
        try:
            infos.append(
                RunInfo(
                    id=int(run_id),
                    document_id=str(doc),
                    revision=str(revision),
                    created_at=str(created),
                    tqe_version=str(version),
                    source_path=source,
                    translation_path=translation,
                    reference_paths=tuple(str(ref) for ref in json.loads(refs)),
                    segment_count=int(count),
                    corpus={name: _stored_number(score, f"the {name} score") for name, (score, _, _) in run_metrics.items()},
                    signatures={name: signature for name, (_, signature, _) in run_metrics.items()},
                    segment_signatures={name: seg for name, (_, _, seg) in run_metrics.items()},
                )
            )
        except _BAD_DATA as exc:
            raise _damaged(path, run_id, exc) from exc
    return infos


def _same_document(run: RunInfo, other: RunInfo) -> bool:
    """Same source text, or the same source file (whose text may have been edited)."""
    if run.document_id == other.document_id:
        return True
    return bool(run.source_path) and run.source_path not in ("-",) and run.source_path == other.source_path


def _matches_document(run: RunInfo, document: str) -> bool:
    wanted = document.strip()
    if not wanted:
        return True
    if len(wanted) >= 6 and run.document_id.startswith(wanted.lower()):
        return True
    if not run.source_path:
        return False
    if run.source_path == _path_text(wanted):
        return True
    return Path(run.source_path).name == wanted


def _filter(runs: Iterable[RunInfo], document: str | None) -> list[RunInfo]:
    return [run for run in runs if document is None or _matches_document(run, document)]


def _previous_of(run: RunInfo, runs: Sequence[RunInfo]) -> RunInfo | None:
    earlier = [other for other in runs if other.id < run.id and _same_document(run, other)]
    return earlier[-1] if earlier else None


def _segment_texts(conn: sqlite3.Connection, run_id: int) -> SegmentTexts:
    """A run's segments as ``(source, translation, references)``, in document order."""
    return [
        (str(source), str(translation), tuple(str(r) for r in json.loads(refs)))
        for source, translation, refs in conn.execute(
            "SELECT source, translation, refs FROM segments WHERE run_id = ? ORDER BY position", (run_id,)
        )
    ]


def list_runs(db_path: str | Path | None, document: str | None, *, comparable: Comparable) -> pd.DataFrame:
    """Every run, oldest first, with its document scores and the change from the run before it.

    ``document`` keeps the runs whose document id starts with it (6+ characters) or whose
    source file has that path or name; :class:`StoreError` when no run matches. Columns: run,
    revision, created_at, document, source, segments, tqe_version, then ``<metric>`` and
    ``<metric>_change`` for every metric. A change is from the latest earlier run of the same
    document whose score ``comparable`` accepts (:func:`tqe.compare.comparable_runs`: what
    ``tqe compare`` would accept); NaN when there is none (``<metric>_previous`` is that run's
    id, or None). ``flags_critical``, ``flags_major`` and ``flags_minor`` count each run's flags.
    """
    path = Path(DEFAULT_DB_PATH if db_path is None else db_path)
    with _reading(path) as conn:
        try:
            return _history_table(conn, path, document, comparable)
        except _BAD_DATA as exc:
            raise _damaged(path, None, exc) from exc


def _history_table(
    conn: sqlite3.Connection, path: Path, document: str | None, comparable: Comparable
) -> pd.DataFrame:
    """:func:`list_runs` on an open connection."""
    every_run = _run_infos(conn, path)
    runs = _filter(every_run, document)
    if document is not None and not runs:
        raise StoreError(f"no runs of {document} in {path}")
    texts: dict[int, SegmentTexts] = {}

    def texts_of(run: RunInfo) -> SegmentTexts:
        if run.id not in texts:
            try:
                texts[run.id] = _segment_texts(conn, run.id)
            except _BAD_DATA as exc:
                raise _damaged(path, run.id, exc) from exc
        return texts[run.id]

    def previous_run(name: str, run: RunInfo) -> RunInfo | None:
        for other in reversed(every_run):
            if other.id < run.id and _same_document(run, other) and comparable(name, other, run, texts_of):
                return other
        return None

    flag_counts: dict[int, dict[str, int]] = {}
    for run_id, severity, count in conn.execute(
        "SELECT run_id, severity, COUNT(*) FROM segment_flags GROUP BY run_id, severity"
    ):
        flag_counts.setdefault(int(run_id), {})[str(severity)] = int(count)

    metric_names: list[str] = []
    for run in runs:
        metric_names += [name for name in run.corpus if name not in metric_names]
    records = []
    for run in runs:
        record: dict[str, Any] = {
            "run": run.id,
            "revision": run.revision,
            "created_at": run.created_at,
            "document": run.document_id[:12],
            "source": Path(run.source_path).name if run.source_path else "",
            "segments": run.segment_count,
            "tqe_version": run.tqe_version,
        }
        for severity in ("critical", "major", "minor"):
            record[f"flags_{severity}"] = flag_counts.get(run.id, {}).get(severity, 0)
        for name in metric_names:
            score = run.corpus.get(name, math.nan)
            before = previous_run(name, run) if name in run.corpus else None
            record[name] = score
            record[f"{name}_change"] = math.nan if before is None else score - before.corpus[name]
            record[f"{name}_previous"] = None if before is None else before.id
        records.append(record)
    columns = ["run", "revision", "created_at", "document", "source", "segments", "tqe_version",
               "flags_critical", "flags_major", "flags_minor"]
    for name in metric_names:
        columns += [name, f"{name}_change", f"{name}_previous"]
    return pd.DataFrame(records, columns=columns)


def find_run(db_path: str | Path | None, run_ref: str | int, document: str | None = None) -> RunInfo:
    """Resolve a run reference: ``latest``, ``previous``, a revision label, a run id or ``#ID``.

    A label wins over an id that reads the same; a label that several runs carry is an error
    (give ``#ID``, or ``document`` when they are runs of different documents). ``previous`` is the run before the latest one of the same document.
    """
    path = Path(DEFAULT_DB_PATH if db_path is None else db_path)
    with _reading(path) as conn:
        try:
            every_run = _run_infos(conn, path)
        except _BAD_DATA as exc:
            raise _damaged(path, None, exc) from exc
    return _resolve(every_run, str(run_ref).strip(), document)


def _resolve(every_run: Sequence[RunInfo], ref: str, document: str | None) -> RunInfo:
    runs = _filter(every_run, document)
    where = f" for {document}" if document else ""
    if not runs:
        raise StoreError(f"no saved run{where}; save one with tqe score --save")
    if ref.lower() == LATEST:
        return runs[-1]
    if ref.lower() == PREVIOUS:
        previous = _previous_of(runs[-1], runs)
        if previous is None:
            raise StoreError(f"the latest run (#{runs[-1].id}) has no earlier run of the same document{where}")
        return previous
    if not ref.startswith("#"):
        labelled = [run for run in runs if run.revision == ref]
        if len(labelled) == 1:
            return labelled[0]
        if labelled:
            raise StoreError(_ambiguous(ref, labelled))
    number = ref.removeprefix("#")
    if number.isdigit():
        for run in runs:
            if run.id == int(number):
                return run
    raise StoreError(
        f"no run {ref!r}{where}; give a run id or revision label from tqe history, or latest/previous"
    )


def _ambiguous(ref: str, runs: Sequence[RunInfo]) -> str:
    """``revision 'v1' matches runs #1, #6 of source.en.txt; use #ID``."""
    names = list(dict.fromkeys(run.document_name for run in runs))
    if len(names) == 1:
        ids = ", ".join(f"#{run.id}" for run in runs)
        return f"revision {ref!r} matches runs {ids} of {names[0]}; use #ID"
    listed = ", ".join(f"#{run.id} of {run.document_name}" for run in runs)
    return f"revision {ref!r} matches runs {listed}; use #ID or --document"


def load_run(db_path: str | Path | None, run_ref: str | int, document: str | None = None) -> StoredRun:
    """Read one run back as a :class:`StoredRun` (segments table, metric results, info)."""
    info = find_run(db_path, run_ref, document)
    with _reading(db_path) as conn:
        try:
            return _load(conn, info)
        except _BAD_DATA as exc:
            raise _damaged(db_path, info.id, exc) from exc


def _load(conn: sqlite3.Connection, info: RunInfo) -> StoredRun:
    run_id = info.id
    rows = conn.execute(
        "SELECT position, segment_id, paragraph, link, source, translation, refs, details "
        "FROM segments WHERE run_id = ? ORDER BY position",
        (run_id,),
    ).fetchall()
    positions = {row[0]: index for index, row in enumerate(rows)}
    table: dict[str, list[Any]] = {
        "id": [row[1] for row in rows],
        "paragraph": [int(row[2]) for row in rows],
        "link": [row[3] for row in rows],
        "source": [row[4] for row in rows],
        "translation": [row[5] for row in rows],
        "references": [tuple(json.loads(row[6])) for row in rows],
    }
    segment_details = [json.loads(row[7]) if row[7] else {} for row in rows]

    metric_rows = conn.execute(
        "SELECT metric, corpus_score, signature, segment_signature, details FROM run_metrics "
        "WHERE run_id = ? ORDER BY rowid",
        (run_id,),
    ).fetchall()
    scores: dict[str, list[float]] = {name: [math.nan] * len(rows) for name, *_ in metric_rows}
    for position, name, score in conn.execute(
        "SELECT position, metric, score FROM segment_scores WHERE run_id = ?", (run_id,)
    ):
        if name in scores and position in positions:
            scores[name][positions[position]] = _stored_segment_score(score, name)
    flags: list[list[Flag]] = [[] for _ in rows]
    for position, check, severity, message in conn.execute(
        "SELECT position, check_name, severity, message FROM segment_flags WHERE run_id = ? "
        "ORDER BY position, ordinal",
        (run_id,),
    ):
        flags[positions[position]].append(Flag.from_dict({"check": check, "severity": severity, "message": message}))
    skipped_text = conn.execute("SELECT skipped FROM runs WHERE id = ?", (run_id,)).fetchone()[0]

    segments = pd.DataFrame(table)
    metrics: dict[str, MetricResult] = {}
    for name, corpus_score, signature, segment_signature, detail_names in metric_rows:
        segments[name] = scores[name]
        details = {
            detail: _stored_detail(detail, [extra.get(detail) for extra in segment_details], table["translation"])
            for detail in json.loads(detail_names or "[]")
        }
        for detail, values in details.items():
            segments[detail] = values
        metrics[name] = MetricResult(
            name=name,
            corpus_score=_stored_number(corpus_score, f"the {name} score"),
            segment_scores=list(scores[name]),
            signature=signature,
            segment_signature=segment_signature,
            details=details,
        )
    segments["flags"] = flags
    return StoredRun(segments=segments, metrics=metrics, skipped=json.loads(skipped_text), info=info)


def _stored_detail(detail: str, values: list[Any], translations: Sequence[str]) -> list[Any]:
    """A metric detail column as saved; COMET error spans come back as :class:`ErrorSpan`
    records through :meth:`ErrorSpan.from_dict` (:func:`error_spans_of`: a span that does not
    fit its translation, as a run saved before spans were checked may hold, is left out, as
    every reader of the cell would leave it out)."""
    if detail != COMET_ERROR_SPANS:
        return values
    return [
        list(error_spans_of(spans, translation)) if isinstance(spans, list) else spans
        for spans, translation in zip(values, translations)
    ]
