"""Waivers: flags a reviewer has judged false positives, kept in a TOML file next to the documents.

A waiver names a check and the exact source and translation text of a segment (not its id,
so it survives renumbering). While both texts stay the same, that check's flags on that
segment are waived in every later run; when either text changes, the flag comes back. Waived
flags are not dropped: the flag stage moves them from ``flags`` to a ``waived_flags`` column
(each :class:`tqe.model.Flag` marked ``waived`` with the waiver's reason), so every consumer of
``flags`` (counts, the history store, the ``--fail-on-regression`` gate) ignores them by
default and reports list them apart.

The file (``tqe-waivers.toml`` in the working folder by default), one table per waiver, in the
order they were added::

    [[waiver]]
    check = "numbers"
    source = "The market is worth $1 trillion."
    translation = "Le marché vaut 1 000 milliards de dollars."
    reason = "scale word: trillion is 1 000 milliards"
    by = "Claire"
    date = 2026-11-30

``check``, ``source`` and ``translation`` are required; ``reason``, ``by`` and ``date`` are
for the reviewer. Adding or removing a waiver rewrites only that waiver's lines: comments
and the other waivers stay as they are.
"""

from __future__ import annotations

import datetime as _dt
import re
import sys
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from tqe.errors import ConfigError
from tqe.model import FLAGS, SOURCE, TRANSLATION, WAIVED_FLAGS, Flag, flags_of
from tqe.model import WAIVERS_FILE  # noqa: F401  (re-exported: tqe waive and older code import it from here)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

WAIVED_COLUMN = WAIVED_FLAGS
"""The segments-table column of waived flags (Flags with ``waived`` set)."""

REQUIRED_KEYS = ("check", "source", "translation")
OPTIONAL_KEYS = ("reason", "by", "date")

FILE_HEADER = (
    "# Flags reviewed and waived as false positives (tqe waive, or edit by hand).\n"
    "# A waiver holds while the source and translation are exactly the text below;\n"
    "# when either changes, the flag comes back.\n"
)

_HEADER_LINE = re.compile(r"^\s*\[\[\s*waiver\s*\]\]\s*(#.*)?$")
_COMMENT_LINE = re.compile(r"^\s*#")


class WaiverError(ConfigError):
    """A waivers file cannot be read, or a waiver in it is invalid."""


@dataclass(frozen=True)
class Waiver:
    """One waived check on one segment text. ``line`` is where it starts in its file."""

    check: str
    source: str
    translation: str
    reason: str = ""
    by: str = ""
    date: str = ""
    line: int | None = field(default=None, compare=False)

    @property
    def key(self) -> tuple[str, str, str]:
        """What a flag must match: check name, normalised source, normalised translation."""
        return (self.check, normalise(self.source), normalise(self.translation))


def normalise(text: Any) -> str:
    """The text a waiver compares: Unicode NFC, without leading or trailing whitespace."""
    if not isinstance(text, str):
        return ""
    return unicodedata.normalize("NFC", text).strip()


def known_checks() -> frozenset[str]:
    """Every flag name a waiver may name: the checks, reference checks and score flags."""
    from tqe.checks import CHECKS
    from tqe.checks.reference import REFERENCE_CHECKS
    from tqe.config import COMET_SPANS_CHECK, SCORE_CHECK_SUFFIX
    from tqe.metrics import METRICS

    return frozenset([*CHECKS, *REFERENCE_CHECKS, COMET_SPANS_CHECK, *(m + SCORE_CHECK_SUFFIX for m in METRICS)])


# --- reading --------------------------------------------------------------------------------


def read_waivers(path: str | Path, *, missing_ok: bool = True) -> tuple[Waiver, ...]:
    """The waivers in ``path`` (none when the file does not exist and ``missing_ok``).

    Raises :class:`WaiverError` naming the file for a file that is not UTF-8, not TOML, or
    holds a waiver with a missing field, a wrong type, an unknown key or an unknown check.
    """
    path = Path(path)
    text = _read_text(path, missing_ok=missing_ok)
    return parse_waivers(text, path) if text is not None else ()


def _read_text(path: Path, *, missing_ok: bool) -> str | None:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        if missing_ok:
            return None
        raise WaiverError(f"waivers file not found: {path}") from None
    except IsADirectoryError:
        raise WaiverError(f"{path} is a folder, not a waivers file") from None
    except OSError as error:
        raise WaiverError(f"cannot read {path}: {error.strerror or error}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise WaiverError(f"{path} is not UTF-8 text; save it as UTF-8") from None


def parse_waivers(text: str, path: str | Path = WAIVERS_FILE) -> tuple[Waiver, ...]:
    """Parse the text of a waivers file (see the module docstring for the format)."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise WaiverError(f"{path} is not valid TOML: {error}") from None
    unknown = sorted(set(document) - {"waiver"})
    if unknown:
        raise WaiverError(f"{path}: unknown key {unknown[0]!r}; a waivers file holds only [[waiver]] tables")
    tables = document.get("waiver", [])
    if not isinstance(tables, list):
        raise WaiverError(f"{path}: 'waiver' must be a list of [[waiver]] tables")
    lines = _header_lines(text)
    if len(lines) != len(tables):
        lines = []
    checks = known_checks()
    waivers = []
    for number, table in enumerate(tables, start=1):
        where = f"{path}: waiver {number}" + (f" (line {lines[number - 1] + 1})" if lines else "")
        waivers.append(_waiver(table, where, checks, lines[number - 1] + 1 if lines else None))
    return tuple(waivers)


def _waiver(table: Any, where: str, checks: frozenset[str], line: int | None) -> Waiver:
    if not isinstance(table, dict):
        raise WaiverError(f"{where} must be a table")
    allowed = (*REQUIRED_KEYS, *OPTIONAL_KEYS)
    unknown = sorted(set(table) - set(allowed))
    if unknown:
        raise WaiverError(f"{where}: unknown key {unknown[0]!r}; allowed: {', '.join(allowed)}")
    for key in REQUIRED_KEYS:
        if key not in table:
            raise WaiverError(f"{where}: missing {key!r}")
    values: dict[str, str] = {}
    for key in allowed:
        if key not in table:
            continue
        value = table[key]
        if key == "date" and isinstance(value, (_dt.date, _dt.datetime)):
            value = value.isoformat()
        if not isinstance(value, str):
            kind = "a date or text" if key == "date" else "text"
            raise WaiverError(f"{where}: {key!r} must be {kind}, not {_kind(value)}")
        values[key] = value
    if values["check"] not in checks:
        raise WaiverError(f"{where}: unknown check {values['check']!r}; checks are: {', '.join(sorted(checks))}")
    if not normalise(values["source"]) and not normalise(values["translation"]):
        raise WaiverError(f"{where}: source and translation are both empty")
    return Waiver(line=line, **values)


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


def _header_lines(text: str) -> list[int]:
    """The 0-based line numbers of the ``[[waiver]]`` headers."""
    return [number for number, line in enumerate(text.splitlines()) if _HEADER_LINE.match(line)]


# --- writing --------------------------------------------------------------------------------

_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def toml_string(text: str) -> str:
    """``text`` as a TOML basic string: quotes, backslashes and control characters escaped,
    everything else (accents, no-break spaces, emoji) written as it is."""
    parts = ['"']
    for char in text:
        if char in _ESCAPES:
            parts.append(_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            parts.append(f"\\u{ord(char):04X}")
        else:
            parts.append(char)
    parts.append('"')
    return "".join(parts)


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def waiver_toml(waiver: Waiver) -> str:
    """One waiver as a ``[[waiver]]`` table (keys in a fixed order, empty optional ones left out)."""
    lines = ["[[waiver]]"]
    for key in (*REQUIRED_KEYS, *OPTIONAL_KEYS):
        value = getattr(waiver, key)
        if key in OPTIONAL_KEYS and not value:
            continue
        lines.append(f"{key} = {value if key == 'date' and _DATE.match(value) else toml_string(value)}")
    return "\n".join(lines) + "\n"


def waivers_toml(waivers: Iterable[Waiver]) -> str:
    """A whole waivers file holding ``waivers``, in the order given."""
    return FILE_HEADER + "".join("\n" + waiver_toml(waiver) for waiver in waivers)


def _write(path: Path, text: str, expected: Sequence[Waiver]) -> None:
    """Check that ``text`` reads back as ``expected``, then replace ``path`` atomically."""
    from tqe.io.write import atomic_write

    if parse_waivers(text, path) != tuple(expected):  # pragma: no cover - a bug, not bad input
        raise WaiverError(f"{path}: the updated waivers would not read back as written; file left unchanged")
    atomic_write(path, text)


def add_waiver(path: str | Path, waiver: Waiver) -> bool:
    """Append ``waiver`` to the file at ``path`` (created when missing), keeping everything
    already there byte for byte. Returns False, writing nothing, when an equal waiver (same
    check and texts) is already there. A bad existing file raises WaiverError untouched."""
    path = Path(path)
    text = _read_text(path, missing_ok=True)
    existing = parse_waivers(text, path) if text is not None else ()
    if any(item.key == waiver.key for item in existing):
        return False
    if text is None or not text.strip():
        updated = waivers_toml([waiver])
    else:
        updated = text + ("" if text.endswith("\n") else "\n") + "\n" + waiver_toml(waiver)
    _write(path, updated, (*existing, waiver))
    return True


def remove_waivers(path: str | Path, positions: Iterable[int]) -> int:
    """Remove the waivers at ``positions`` (0-based, file order) from ``path``; comments and
    the other waivers keep their text. Returns how many were removed."""
    path = Path(path)
    text = _read_text(path, missing_ok=False) or ""
    existing = parse_waivers(text, path)
    drop = {position for position in positions if 0 <= position < len(existing)}
    if not drop:
        return 0
    kept = [waiver for position, waiver in enumerate(existing) if position not in drop]
    updated = _without_blocks(text, drop, len(existing))
    try:
        if updated is None or parse_waivers(updated, path) != tuple(kept):
            updated = None
    except WaiverError:
        updated = None
    if updated is None:  # a layout the line-based cut cannot follow: write the waivers afresh
        updated = waivers_toml(kept)
    _write(path, updated, kept)
    return len(drop)


def _without_blocks(text: str, drop: set[int], count: int) -> str | None:
    """``text`` without the lines of the waivers numbered in ``drop``; a waiver's block runs
    from the comment lines right above its header to the next waiver's block."""
    lines = text.splitlines(keepends=True)
    headers = _header_lines(text)
    if len(headers) != count:
        return None
    starts = []
    for number, header in enumerate(headers):
        previous = headers[number - 1] if number else -1
        start = header
        while start - 1 > previous and _COMMENT_LINE.match(lines[start - 1]):
            start -= 1
        starts.append(start)
    if starts and starts[0] == 0:
        # comments at the very top of the file belong to the file, not to the first waiver
        starts[0] = headers[0]
    bounds = list(zip(starts, [*starts[1:], len(lines)]))
    kept_lines = list(lines[: starts[0]]) if starts else list(lines)
    for position, (start, end) in enumerate(bounds):
        if position not in drop:
            kept_lines.extend(lines[start:end])
    updated = "".join(kept_lines)
    return updated.rstrip("\n") + "\n" if updated.strip() else FILE_HEADER


# --- applying -------------------------------------------------------------------------------


def waived_flag(flag: Flag | Mapping[str, Any], waiver: Waiver) -> Flag:
    """The flag marked as waived, with the waiver's reason (and who and when, if given)."""
    return Flag.from_dict(flag).waive(waiver.reason, by=waiver.by, on=waiver.date)


def apply_waivers(segments: pd.DataFrame, waivers: Sequence[Waiver]) -> pd.DataFrame:
    """A copy of ``segments`` whose waived flags have moved from ``flags`` to ``waived_flags``.

    A flag is waived when a waiver names its check and the segment's source and translation
    (compared after :func:`normalise`). Flags already in ``waived_flags`` stay there.
    """
    table = segments.copy()
    by_key: dict[tuple[str, str, str], Waiver] = {}
    for waiver in waivers:
        by_key.setdefault(waiver.key, waiver)
    active_column: list[list[Flag]] = []
    waived_column: list[list[Flag]] = []
    previous = table[WAIVED_COLUMN] if WAIVED_COLUMN in table else [None] * len(table)
    flags_column = table[FLAGS] if FLAGS in table else [None] * len(table)
    for source, translation, flags, already in zip(table[SOURCE], table[TRANSLATION], flags_column, previous):
        source_key, translation_key = normalise(source), normalise(translation)
        active, waived = [], flags_of(already)
        for flag in flags_of(flags):
            waiver = by_key.get((flag.check, source_key, translation_key))
            if waiver is None:
                active.append(flag)
            else:
                waived.append(waived_flag(flag, waiver))
        active_column.append(active)
        waived_column.append(waived)
    table[FLAGS] = active_column
    table[WAIVED_COLUMN] = waived_column
    return table


def waived_count(segments: pd.DataFrame) -> int:
    """How many flags of ``segments`` are waived."""
    if WAIVED_COLUMN not in segments:
        return 0
    return sum(len(flags_of(flags)) for flags in segments[WAIVED_COLUMN])


@dataclass(frozen=True)
class WaiverUse:
    """What one waiver does in a document: the segments whose flags it waives, and whether the
    document has its source sentence at all."""

    waiver: Waiver
    segments: tuple[str, ...]
    source_found: bool
    text_found: bool = False  # a segment has both texts (its flag may be gone)

    @property
    def used(self) -> bool:
        return bool(self.segments)


def waiver_uses(segments: pd.DataFrame, waivers: Sequence[Waiver]) -> list[WaiverUse]:
    """For each waiver, the ids of the segments of ``segments`` (flagged, waivers not applied)
    having a flag it waives."""
    rows = segments.to_dict("records")
    keyed = [
        (normalise(row.get("source")), normalise(row.get("translation")), str(row.get("id")),
         {flag.check for flag in flags_of(row.get(FLAGS))})
        for row in rows
    ]
    sources = {source for source, *_ in keyed}
    texts = {(source, translation) for source, translation, *_ in keyed}
    uses = []
    for waiver in waivers:
        check, source, translation = waiver.key
        ids = tuple(seg_id for src, mt, seg_id, checks in keyed if src == source and mt == translation and check in checks)
        uses.append(WaiverUse(waiver, ids, source in sources, (source, translation) in texts))
    return uses
