"""Read bilingual files (XLIFF 1.2, XLIFF 2.x, TMX 1.4, PO) into the segments table.

A file's segments are kept as the file gives them (no re-alignment); ids come from the file
(``trans-unit@id``, ``unit@id/segment@id``, ``tu@tuid``, PO ``msgctxt``+``msgid``), and
``paragraph`` numbers the units in file order. Besides the usual columns the table has
``source_tags`` and ``translation_tags`` (the inline codes, see :mod:`tqe.io.markup`),
``state`` (the file's own status of the translation: ``fuzzy``, ``needs-review-translation``…
or empty) and ``unit`` (where a flag goes when the file is written back).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from tqe.errors import InputError

SUFFIXES = {
    ".xlf": "xliff", ".xliff": "xliff", ".sdlxliff": "xliff", ".mqxliff": "xliff", ".mxliff": "xliff",
    ".tmx": "tmx", ".po": "po", ".pot": "po",
}
BILINGUAL_COLUMNS = ["id", "paragraph", "link", "source", "translation", "references",
                     "source_tags", "translation_tags", "state", "unit"]


@dataclass(frozen=True)
class BilingualFile:
    """What a bilingual file holds: its format, languages and segments."""

    format: str
    source_language: str
    target_language: str
    segments: pd.DataFrame


def bilingual_kind(path: str | Path, head: bytes | None = None) -> str | None:
    """``xliff``, ``tmx`` or ``po`` from the file name, else from its first bytes; None for
    anything else (plain text, tables)."""
    kind = SUFFIXES.get(Path(str(path)).suffix.lower())
    if kind is not None or head is None:
        return kind
    return sniff(head)


def sniff(head: bytes) -> str | None:
    """The bilingual format the first bytes of a file show, if any."""
    for encoding in ("utf-8", "utf-16"):
        try:
            text = head.decode(encoding, errors="ignore").lstrip("\ufeff \t\r\n")
        except LookupError:  # pragma: no cover
            continue
        lowered = text[:4096].lower()
        if lowered.startswith("<?xml") or lowered.startswith("<"):
            if "<xliff" in lowered:
                return "xliff"
            if "<tmx" in lowered:
                return "tmx"
            if lowered.startswith("<?xml"):
                return "xml"
        if encoding == "utf-8" and ("\nmsgid " in "\n" + text[:4096] and "\nmsgstr" in text[:4096]):
            return "po"
    return None


def check_languages(name: str, source: str, target: str) -> None:
    """English source, French target: anything else is one clear error."""
    def primary(tag: str) -> str:
        return tag.replace("_", "-").split("-")[0].strip().lower()

    if source and primary(source) != "en":
        raise InputError(f"{name}: the source language is {source!r}; tqe reads an English source (en)")
    if target and primary(target) != "fr":
        raise InputError(f"{name}: the target language is {target!r}; tqe checks a French translation (fr)")


def read_bilingual(path: str | Path) -> BilingualFile:
    """Read an XLIFF, TMX or PO file (chosen by extension, else by content)."""
    from tqe.io.text import _read_bytes

    file = Path(path)
    raw = _read_bytes(file)
    kind = bilingual_kind(file, raw[:4096])
    if kind == "xliff":
        from tqe.io.xliff import read_xliff

        result = read_xliff(raw, file.name)
    elif kind == "tmx":
        from tqe.io.tmx import read_tmx

        result = read_tmx(raw, file.name)
    elif kind == "po":
        from tqe.io.po import read_po

        result = read_po(raw, file.name)
    else:
        raise InputError(f"{file.name} is not an XLIFF, TMX or PO file")
    check_languages(file.name, result.source_language, result.target_language)
    if result.segments.empty:
        raise InputError(f"{file.name} has no segment with source text")
    return result


def segments_frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=BILINGUAL_COLUMNS)
