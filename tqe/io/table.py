"""Read one TSV, CSV or JSONL file holding source, translation and optional reference columns.

The schema is strict, so a table is never half-understood: column names ignore case and
surrounding spaces, but each known column appears once; a JSONL row gives its references as
one ``references`` list of strings or as ``reference``, ``reference2``… keys, not both; every
cell is a string (``null`` is an empty cell). Columns tqe does not read are ignored.
"""

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


def known_column(name: str) -> str | None:
    """The column a header names, or None for a column tqe does not read (it is ignored).

    Names ignore case and surrounding spaces; ``reference_2`` is ``reference2``.
    """
    column = name.strip().lower()
    if column in {"source", "translation", "reference", "references"}:
        return column
    if column.startswith("reference") and column[9:].lstrip("_").isdigit():
        return "reference" + column[9:].lstrip("_")
    return None


def _check_columns(names: list[str], where: str, noun: str) -> dict[str, str]:
    """Header name -> known column, for the names tqe reads; InputError when two names are
    the same column."""
    seen: dict[str, str] = {}
    for name in names:
        column = known_column(name)
        if column is None:
            continue
        if column in seen:
            first = seen[column]
            if first == name:
                raise InputError(f"{where}: {noun} {name!r} appears twice; remove or rename one")
            why = " (names ignore case)" if first.lower() == name.lower() else ""
            raise InputError(f"{where}: {noun}s {first!r} and {name!r} are both the {column} column{why}; remove or rename one")
        seen[column] = name
    return {name: column for column, name in seen.items()}


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
    columns, found, rows = _parse_jsonl(text, file.name) if kind == "jsonl" else _parse_delimited(text, kind, file.name)
    if not rows:
        raise InputError(f"{file.name} has a header but no rows")
    missing = [c for c in ("source", "translation") if c not in columns]
    if missing:
        raise InputError(
            f"{file.name} has no {' or '.join(repr(c) for c in missing)} column "
            f"(found: {', '.join(found)})"
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


def _parse_delimited(text: str, kind: str, name: str) -> tuple[list[str], list[str], Rows]:
    """The columns tqe reads, the header as written, and (line number, record) pairs; every
    row must have the header's width."""
    delimiter = "\t" if kind == "tsv" else ","
    quoting = csv.QUOTE_NONE if kind == "tsv" else csv.QUOTE_MINIMAL
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quoting=quoting, strict=True)
    records = []
    while True:
        line = reader.line_num + 1  # where the next record starts
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            if "field limit" in str(exc):
                fix = "look for a quote (\") that is never closed" if kind == "csv" else "split the segment into rows"
                raise InputError(
                    f"{name} line {line}: a field is longer than {csv.field_size_limit():,} characters; {fix}"
                ) from None
            raise InputError(f"{name} is not valid {kind.upper()} (line {reader.line_num}): {exc}") from None
        if any(cell.strip() for cell in record):
            records.append((line, record))
    if not records:
        raise InputError(f"{name} has no header row")
    header_line, names = records[0]
    where = f"{name} line {header_line}"
    columns = _check_columns(names, where, "column")
    if "references" in columns.values():
        raise InputError(
            f"{where}: a 'references' column is a JSONL list; in a {kind.upper()} table name the columns "
            f"reference, reference2, reference3…"
        )
    header = [columns.get(cell, "") for cell in names]  # "" for a column tqe ignores
    rows: Rows = []
    for line, record in records[1:]:
        if len(record) != len(header):
            raise InputError(f"{name} line {line} has {len(record)} fields, the header has {len(header)}")
        rows.append((line, {column: cell for column, cell in zip(header, record) if column}))
    return [column for column in header if column], [cell.strip() for cell in names], rows


class _NotJson:
    """A NaN, Infinity or -Infinity token: Python's json reads them, JSON has no such value."""

    def __init__(self, token: str) -> None:
        self.token = token


def _describe(value: object) -> str:
    """What a JSON value is, for a message."""
    if isinstance(value, _NotJson):
        return f"{value.token}, which is not JSON"
    if value is None:
        return "null"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


class _JsonObject(dict):  # type: ignore[type-arg]
    """A JSON object that remembers its keys in order, repeated ones included."""

    def __init__(self, pairs: list[tuple[str, object]]) -> None:
        super().__init__(pairs)
        self.names = [key for key, _ in pairs]


def _parse_jsonl(text: str, name: str) -> tuple[list[str], list[str], Rows]:
    """The columns tqe reads, every key of every row, and (line number, record) pairs."""
    found: dict[str, None] = {}
    rows: Rows = []
    # JSON Lines are separated by "\n" only: a line may hold U+2028 and other characters
    # that str.splitlines() would break it at.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{name} line {number}"
        try:
            # numbers are read as floats: they are refused below anyway, and a 5,000-digit
            # integer would exceed Python's limit on converting digits to an int
            record = json.loads(line, object_pairs_hook=_JsonObject, parse_int=float, parse_constant=_NotJson)
        except json.JSONDecodeError as exc:
            raise InputError(f"{where} is not valid JSON: {exc.msg}") from None
        except RecursionError:
            raise InputError(f"{where} is nested too deeply to read; a row is one JSON object of strings") from None
        except ValueError as exc:
            raise InputError(f"{where} is not valid JSON: {exc}") from None
        if not isinstance(record, _JsonObject):
            raise InputError(f"{where} is not a JSON object")
        found.update(dict.fromkeys(record.names))
        keys = _check_columns(record.names, where, "key")
        list_key = next((key for key, column in keys.items() if column == "references"), None)
        other_key = next((key for key, column in keys.items() if column.startswith("reference") and key != list_key), None)
        if list_key is not None and other_key is not None:
            raise InputError(
                f"{where}: both {other_key!r} and {list_key!r} are given; give the references either as "
                f"one 'references' list or as reference, reference2… keys"
            )
        row: dict[str, object] = {}
        for key, column in keys.items():
            value = record[key]
            if key == list_key:
                row.update(_references(value, key, where))
            elif value is None or isinstance(value, str):
                row[column] = value
            else:
                raise InputError(
                    f"{where}, column {key!r}: expected a string, found {_describe(value)}; put the text in quotes"
                )
        rows.append((number, row))
    columns = list(dict.fromkeys(key for _, row in rows for key in row))
    return columns, list(found), rows


def _references(value: object, key: str, where: str) -> dict[str, object]:
    """The reference, reference2… columns of a ``references`` list (null: none)."""
    if value is None:
        return {}
    if not isinstance(value, list):
        raise InputError(
            f"{where}, column {key!r}: expected a list of strings, found {_describe(value)}; "
            f'write ["…"], or use a \'reference\' key for one reference'
        )
    for index, item in enumerate(value, start=1):
        if not isinstance(item, str):
            raise InputError(
                f"{where}, column {key!r}: item {index} is {_describe(item)}, not a string; put the text in quotes"
            )
    return {("reference" if index == 1 else f"reference{index}"): item for index, item in enumerate(value, start=1)}
