"""What every bilingual format shares: the file suffixes and first bytes that name a format, the
:class:`BilingualFile` a reader returns, its segments table and the language check.

The readers (:mod:`tqe.io.xliff`, :mod:`tqe.io.tmx`, :mod:`tqe.io.po`) build on this module and
:mod:`tqe.io.bilingual` dispatches to them, so no reader imports the dispatcher back.
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


def segments_frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=BILINGUAL_COLUMNS)
