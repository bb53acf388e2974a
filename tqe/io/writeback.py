"""Write a reviewed copy of an XLIFF or PO file: each flag becomes a note on its unit.

XLIFF 1.2 gets ``<note from="tqe" priority="…">``, XLIFF 2.x ``<notes><note category="tqe"
priority="…">``, PO a translator comment ``# tqe: …``. With ``mark_state`` flagged segments
are marked for review (``state="needs-review-translation"``, a ``tqe:needs-review``
sub-state, or PO's ``fuzzy``). Everything else in the file is kept.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from tqe.errors import InputError
from tqe.io.formats import SUFFIXES, bilingual_kind
from tqe.model import Flag, flags_of

#: the formats flags can be written back into
WRITABLE = ("xliff", "po")


def writes_back(output: str | Path) -> bool:
    """Whether ``-o`` names a file of a format tqe writes flags back into."""
    return SUFFIXES.get(Path(output).suffix.lower()) in WRITABLE


def flags_by_unit(segments: pd.DataFrame) -> dict[int, list[tuple[str, Flag]]]:
    """``unit -> [(segment id, flag), …]`` from a flagged bilingual segments table."""
    grouped: dict[int, list[tuple[str, Flag]]] = {}
    for unit, segment_id, flags in zip(segments["unit"], segments["id"], segments["flags"]):
        for flag in flags_of(flags):
            if flag.waived:
                continue
            grouped.setdefault(int(unit), []).append((str(segment_id), flag))
    return grouped


def write_back(input_path: str | Path, segments: pd.DataFrame, mark_state: bool = False) -> bytes:
    """The bytes of the reviewed copy of ``input_path`` (an XLIFF or PO file)."""
    from tqe.io.text import _read_bytes

    source = Path(input_path)
    raw = _read_bytes(source)
    kind = bilingual_kind(source, raw[:4096])
    if kind not in WRITABLE or "unit" not in segments.columns:
        raise InputError(f"flags can be written back only into the XLIFF or PO file that was scored, not {source.name}")
    grouped = flags_by_unit(segments)
    if kind == "xliff":
        from tqe.io.xliff import write_xliff

        return write_xliff(raw, source.name, grouped, mark_state)
    from tqe.io.po import write_po

    return write_po(raw, source.name, grouped, mark_state)
