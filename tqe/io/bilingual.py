"""Read bilingual files (XLIFF 1.2, XLIFF 2.x, TMX 1.4, PO) into the segments table.

A file's segments are kept as the file gives them (no re-alignment); ids come from the file
(``trans-unit@id``, ``unit@id/segment@id``, ``tu@tuid``, PO ``msgctxt``+``msgid``), and
``paragraph`` numbers the units in file order. Besides the usual columns the table has
``source_tags`` and ``translation_tags`` (the inline codes, see :mod:`tqe.io.markup`),
``state`` (the file's own status of the translation: ``fuzzy``, ``needs-review-translation``…
or empty) and ``unit`` (where a flag goes when the file is written back).
"""

from __future__ import annotations

from pathlib import Path

from tqe.errors import InputError
from tqe.io.formats import (  # noqa: F401  (re-exported: the shared pieces live in tqe.io.formats)
    BILINGUAL_COLUMNS,
    SUFFIXES,
    BilingualFile,
    bilingual_kind,
    check_languages,
    segments_frame,
    sniff,
)


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
