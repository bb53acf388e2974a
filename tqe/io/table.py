"""Read one TSV, CSV or JSONL file holding source, translation and optional reference columns."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pandas as pd

from tqe.errors import InputError
from tqe.io.text import decode_text, read_input_bytes

TABLE_SUFFIXES = {".tsv": "tsv", ".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}


def table_kind(path: str | Path) -> str | None:
    """The table format implied by a file name, or None for plain text."""
    return TABLE_SUFFIXES.get(Path(path).suffix.lower())


def _reference_columns(columns: list[str]) -> list[str]:
    """``reference`` plus ``reference2``, ``reference_2``… in their file order."""
    return [c for c in columns if c == "reference" or (c.startswith("reference") and c[9:].lstrip("_").isdigit())]


def read_table(path: str | Path) -> pd.DataFrame:
    """Return a DataFrame with ``source``, ``translation`` and ``references`` (tuple) columns.

    One row per segment; the format comes from the extension (.tsv, .csv, .jsonl).
    """
    file = Path(path)
    kind = table_kind(file)
    if kind is None:
        raise InputError(f"{file.name}: unknown table format; use a .tsv, .csv or .jsonl file")
    if not file.is_file():
        raise InputError(f"{path} does not exist")
    try:
        text = decode_text(read_input_bytes(file), file.name)
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    if not text.strip():
        raise InputError(f"{file.name} is empty")
    columns, rows = _parse_jsonl(text, file.name) if kind == "jsonl" else _parse_delimited(text, kind, file.name)
    if not rows:
        raise InputError(f"{file.name} has a header but no rows")
    missing = [c for c in ("source", "translation") if c not in columns]
    if missing:
        raise InputError(
            f"{file.name} has no {' or '.join(repr(c) for c in missing)} column "
            f"(found: {', '.join(columns)})"
        )
    references = []
    for column in _reference_columns(columns):
        values = [(number, _text(row.get(column))) for number, row in rows]
        if not any(text for _, text in values):
            continue  # an empty reference column is no reference
        blank = [number for number, text in values if not text]
        if blank:
            where = "line" if kind == "jsonl" else "row"
            raise InputError(f"{file.name} {where} {blank[0]} has no {column}; give every row a {column} or none")
        references.append([text for _, text in values])
    return pd.DataFrame(
        {
            "source": [_text(row.get("source")) for _, row in rows],
            "translation": [_text(row.get("translation")) for _, row in rows],
            "references": [tuple(refs) for refs in zip(*references)] if references else [()] * len(rows),
        }
    )


def _text(value: object) -> str:
    if value is None:
        return ""
    return str(value).replace("\r\n", " ").replace("\n", " ").strip()


Rows = list[tuple[int, dict[str, object]]]


def _parse_delimited(text: str, kind: str, name: str) -> tuple[list[str], Rows]:
    """Header columns and (row number, record) pairs; every row must have the header's width."""
    delimiter = "\t" if kind == "tsv" else ","
    quoting = csv.QUOTE_NONE if kind == "tsv" else csv.QUOTE_MINIMAL
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quoting=quoting, strict=True)
    records = []
    try:
        for record in reader:
            if any(cell.strip() for cell in record):
                records.append((reader.line_num, record))
    except csv.Error as exc:
        raise InputError(f"{name} is not valid {kind.upper()} (line {reader.line_num}): {exc}") from None
    if not records:
        raise InputError(f"{name} has no header row")
    header = [h.strip().lower() for h in records[0][1]]
    rows: Rows = []
    for line, record in records[1:]:
        if len(record) != len(header):
            raise InputError(f"{name} line {line} has {len(record)} fields, the header has {len(header)}")
        rows.append((line, dict(zip(header, record))))
    return header, rows


def _parse_jsonl(text: str, name: str) -> tuple[list[str], Rows]:
    rows: Rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{name} line {number} is not valid JSON: {exc.msg}") from None
        if not isinstance(record, dict):
            raise InputError(f"{name} line {number} is not a JSON object")
        references = record.pop("references", None)
        if isinstance(references, str):
            references = [references]
        if references is not None and not isinstance(references, list):
            raise InputError(f"{name} line {number}: 'references' must be a list of strings")
        for index, value in enumerate(references or [], start=1):
            record["reference" if index == 1 else f"reference{index}"] = value
        rows.append((number, {str(k).lower(): v for k, v in record.items()}))
    columns = list(dict.fromkeys(key for _, row in rows for key in row))
    return columns, rows
