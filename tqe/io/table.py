"""Read one TSV, CSV or JSONL file holding source, translation and optional reference columns."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pandas as pd

from tqe.errors import InputError
from tqe.io.text import decode_text

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
        text = decode_text(file.read_bytes(), file.name)
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    if not text.strip():
        raise InputError(f"{file.name} is empty")
    rows = _parse_jsonl(text, file.name) if kind == "jsonl" else _parse_delimited(text, kind, file.name)
    if not rows:
        raise InputError(f"{file.name} has a header but no rows")
    columns = list(dict.fromkeys(key for row in rows for key in row))
    missing = [c for c in ("source", "translation") if c not in columns]
    if missing:
        raise InputError(
            f"{file.name} has no {' or '.join(repr(c) for c in missing)} column "
            f"(found: {', '.join(columns)})"
        )
    ref_columns = _reference_columns(columns)
    return pd.DataFrame(
        {
            "source": [_text(row.get("source")) for row in rows],
            "translation": [_text(row.get("translation")) for row in rows],
            "references": [tuple(_text(row.get(c)) for c in ref_columns) for row in rows],
        }
    )


def _text(value: object) -> str:
    if value is None:
        return ""
    return str(value).replace("\r\n", " ").replace("\n", " ").strip()


def _parse_delimited(text: str, kind: str, name: str) -> list[dict[str, str]]:
    delimiter = "\t" if kind == "tsv" else ","
    quoting = csv.QUOTE_NONE if kind == "tsv" else csv.QUOTE_MINIMAL
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quoting=quoting)
    try:
        records = [r for r in reader if any(cell.strip() for cell in r)]
    except csv.Error as exc:
        raise InputError(f"{name} is not valid {kind.upper()}: {exc}") from None
    header = [h.strip().lower() for h in records[0]]
    rows = []
    for number, record in enumerate(records[1:], start=2):
        if len(record) > len(header):
            raise InputError(f"{name} row {number} has {len(record)} fields, the header has {len(header)}")
        rows.append(dict(zip(header, record)))
    return rows


def _parse_jsonl(text: str, name: str) -> list[dict[str, object]]:
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{name} line {number} is not valid JSON: {exc.msg}") from None
        if not isinstance(record, dict):
            raise InputError(f"{name} line {number} is not a JSON object")
        reference = record.pop("references", None)
        if isinstance(reference, list):
            for index, value in enumerate(reference, start=1):
                record["reference" if index == 1 else f"reference{index}"] = value
        rows.append({str(k).lower(): v for k, v in record.items()})
    return rows
