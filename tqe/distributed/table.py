"""Read the table a Ray run scores: TSV, CSV and JSONL through :mod:`tqe.io.table` (the same
columns, the same validation and the same ``Error:`` lines as ``--table``), Parquet here.

A Parquet file has typed columns, so its rules are the JSONL ones said in types: ``source``,
``translation`` and ``reference``, ``reference2``… are string columns (null is an empty cell),
or ``references`` is one list-of-strings column; column names ignore case; other columns are
ignored. Every check runs in the driver, before any worker starts.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from tqe.errors import InputError
from tqe.io.table import TABLE_SUFFIXES, known_column

PARQUET_SUFFIXES = (".parquet", ".pq")


def read_segments(path: str | Path) -> pd.DataFrame:
    """The segments table of a .tsv/.csv/.jsonl/.parquet file: one segment per row with text,
    ids ``N.1`` as ``--table`` gives them."""
    from tqe.document import load_table_segments, table_segments

    file = Path(path)
    suffix = file.suffix.lower()
    if suffix in TABLE_SUFFIXES:
        return load_table_segments(file)
    if suffix not in PARQUET_SUFFIXES:
        raise InputError(f"{file.name}: --engine ray reads .tsv, .csv, .jsonl or .parquet tables")
    return table_segments(read_parquet(file), file.name)


def read_parquet(path: Path) -> pd.DataFrame:
    """``source``, ``translation`` and ``references`` (tuple) columns of a Parquet table."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    if not path.is_file():
        raise InputError(f"{path} does not exist")
    try:
        table = pq.read_table(path)
    except (OSError, pa.ArrowException) as exc:
        raise InputError(f"{path.name} is not a readable Parquet file: {str(exc).splitlines()[0]}") from None
    seen: dict[str, str] = {}
    for name in table.schema.names:
        column = known_column(name)
        if column is None:
            continue
        if column in seen:
            raise InputError(f"{path.name}: columns {seen[column]!r} and {name!r} are both the {column} column; "
                             "remove or rename one")
        seen[column] = name
    missing = [c for c in ("source", "translation") if c not in seen]
    if missing:
        raise InputError(f"{path.name} has no {' or '.join(repr(c) for c in missing)} column "
                         f"(found: {', '.join(table.schema.names)})")
    if "references" in seen and any(c.startswith("reference") and c != "references" for c in seen):
        raise InputError(f"{path.name}: give the references either as one 'references' list column or as "
                         "reference, reference2… columns, not both")
    for column, name in seen.items():
        kind = table.schema.field(name).type
        text = pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_null(kind)
        listed = (pa.types.is_list(kind) or pa.types.is_large_list(kind)) and (
            pa.types.is_string(kind.value_type) or pa.types.is_large_string(kind.value_type))
        if not (listed if column == "references" else text):
            wanted = "a list of strings" if column == "references" else "strings"
            raise InputError(f"{path.name}, column {name!r}: expected {wanted}, found {kind}")
    count = table.num_rows
    if not count:
        raise InputError(f"{path.name} has a header but no rows")

    def texts(name: str) -> list[str]:
        return [_text(value) for value in table.column(name).to_pylist()]

    streams: list[tuple[str, list[str]]] = []
    if "references" in seen:
        lists = [value or [] for value in table.column(seen["references"]).to_pylist()]
        width = max((len(value) for value in lists), default=0)
        for index in range(width):
            label = "reference" if index == 0 else f"reference{index + 1}"
            streams.append((label, [_text(value[index]) if index < len(value) else "" for value in lists]))
    else:
        names = sorted((c for c in seen if c.startswith("reference")), key=lambda c: int(c[9:] or 1))
        streams = [(column, texts(seen[column])) for column in names]
    references = []
    for column, values in streams:
        if not any(values):
            continue  # an empty reference column is no reference
        blank = next((number for number, value in enumerate(values, start=1) if not value), None)
        if blank is not None:
            raise InputError(f"{path.name} row {blank} has no {column}; give every row a {column} or none")
        references.append(values)
    return pd.DataFrame({
        "source": texts(seen["source"]),
        "translation": texts(seen["translation"]),
        "references": [tuple(refs) for refs in zip(*references)] if references else [()] * count,
    })


def _text(value: object) -> str:
    """As :mod:`tqe.io.table` reads a cell: None is empty, line breaks become spaces, trimmed."""
    if value is None:
        return ""
    return str(value).replace("\r\n", " ").replace("\n", " ").strip()
