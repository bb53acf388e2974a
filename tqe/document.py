"""Build the segments table: read the files, split paragraphs into sentences, align them.

A segment is the smallest source span on which the translation and every reference agree
after sentence alignment, so each reference text always covers exactly its segment's source.
"""

from __future__ import annotations

import time
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, Sequence

import pandas as pd

from tqe.errors import InputError
from tqe.io.table import read_table
from tqe.io.text import read_lines
from tqe.model import SEGMENT_COLUMNS

SEGMENTATIONS = ("sentences", "lines")

Bead = tuple[tuple[int, ...], tuple[int, ...]]
Progress = Callable[[str, int, int], None]
#: Progress is reported every 50 paragraphs, and at least this often when paragraphs are long.
PROGRESS_SECONDS = 0.5


@dataclass(frozen=True)
class _Segment:
    source: tuple[int, ...]
    translation: list[int]
    references: list[list[int]]


def _cuts(beads: Sequence[Bead], n_source: int) -> set[int]:
    cuts = {0, n_source}
    for src, _ in beads:
        if src:
            cuts.update((src[0], src[-1] + 1))
    return cuts


def _positions(beads: Sequence[Bead]) -> list[int]:
    """The source position of every bead (for a 0-1 bead: how many source sentences precede it)."""
    positions, consumed = [], 0
    for src, _ in beads:
        positions.append(src[0] if src else consumed)
        if src:
            consumed = src[-1] + 1
    return positions


def merge_alignments(n_source: int, translation_beads: Sequence[Bead], reference_beads: Sequence[Sequence[Bead]]) -> list[_Segment]:
    """Combine the translation's and each reference's alignment to the same source sentences.

    Source cut points kept are those every alignment agrees on; a translation sentence with no
    source (0-1) at an agreed cut becomes its own segment; a reference sentence with no source
    joins the segment before it.
    """
    agreed = _cuts(translation_beads, n_source)
    for beads in reference_beads:
        agreed &= _cuts(beads, n_source)
    cuts = sorted(agreed)
    intervals = [(a, b) for a, b in zip(cuts, cuts[1:]) if a < b]
    starts = [a for a, _ in intervals]

    def interval_of(position: int) -> int:
        return max(0, bisect_right(starts, position) - 1)

    segments: list[tuple[float, _Segment]] = [
        (float(a), _Segment(tuple(range(a, b)), [], [[] for _ in reference_beads])) for a, b in intervals
    ]
    by_interval = [seg for _, seg in segments]
    insertions: dict[int, _Segment] = {}

    for (src, tgt), position in zip(translation_beads, _positions(translation_beads)):
        if src:
            by_interval[interval_of(src[0])].translation.extend(tgt)
        elif position in agreed or not intervals:
            if position not in insertions:
                insertions[position] = _Segment((), [], [[] for _ in reference_beads])
                segments.append((position - 0.5, insertions[position]))
            insertions[position].translation.extend(tgt)
        else:
            by_interval[interval_of(position)].translation.extend(tgt)

    for ref_index, beads in enumerate(reference_beads):
        for (src, tgt), position in zip(beads, _positions(beads)):
            if src:
                target = by_interval[interval_of(src[0])]
            elif position in insertions:
                target = insertions[position]
            elif intervals:
                target = by_interval[interval_of(position - 1 if position in agreed and position > 0 else position)]
            else:
                continue  # no source and no translation here: nothing to score against
            target.references[ref_index].extend(tgt)

    return [seg for _, seg in sorted(segments, key=lambda item: item[0])]


def _join(sentences: Sequence[str], indices: Sequence[int]) -> str:
    return " ".join(sentences[i] for i in indices)


def align_paragraph(source: str, translation: str, references: Sequence[str], src_lang: str = "en", tgt_lang: str = "fr") -> list[dict]:
    """Split one paragraph on every side and return its aligned segments as dicts."""
    from tqe.align import Side, align_sides, link_type
    from tqe.segment import split_sentences

    src_sents = split_sentences(source, src_lang)
    mt_sents = split_sentences(translation, tgt_lang)
    ref_sents = [split_sentences(ref, tgt_lang) for ref in references]
    src_side = Side.of(src_sents, src_lang)  # prepared once for the translation and every reference
    merged = merge_alignments(
        len(src_sents),
        align_sides(src_side, Side.of(mt_sents, tgt_lang)),
        [align_sides(src_side, Side.of(sents, tgt_lang)) for sents in ref_sents],
    )
    return [
        {
            "link": link_type((seg.source, tuple(seg.translation))),
            "source": _join(src_sents, seg.source),
            "translation": _join(mt_sents, seg.translation),
            "references": tuple(_join(sents, idx) for sents, idx in zip(ref_sents, seg.references)),
        }
        for seg in merged
    ]


def _line_segment(source: str, translation: str, references: Sequence[str]) -> list[dict]:
    source, translation = source.strip(), translation.strip()
    if not source and not translation:
        return []
    link = f"{int(bool(source))}-{int(bool(translation))}"
    return [{"link": link, "source": source, "translation": translation, "references": tuple(r.strip() for r in references)}]


def build_segments(
    sources: Sequence[str],
    translations: Sequence[str],
    references: Sequence[Sequence[str]] = (),
    *,
    segmentation: str = "sentences",
    src_lang: str = "en",
    tgt_lang: str = "fr",
    progress: Progress | None = None,
) -> pd.DataFrame:
    """Align parallel paragraphs (already read, equal counts) into the segments table."""
    if segmentation not in SEGMENTATIONS:
        raise InputError(f"unknown segmentation {segmentation!r}; choose from {', '.join(SEGMENTATIONS)}")
    _check_counts(
        [("the source", sources), ("the translation", translations)]
        + [(f"reference {number}", lines) for number, lines in enumerate(references, start=1)]
    )
    return _segments_table(
        zip(sources, translations, *references), len(sources), segmentation, src_lang, tgt_lang, progress
    )


def _segments_table(
    paragraphs: Iterator[tuple[str, ...]],
    total: int,
    segmentation: str,
    src_lang: str,
    tgt_lang: str,
    progress: Progress | None,
) -> pd.DataFrame:
    """The segments table of ``total`` paragraphs (source, translation, references...)."""
    # One paragraph at a time: only the current paragraph's sentences and alignment tables are
    # alive, and the output grows column by column (no dict per row).
    columns: dict[str, list] = {name: [] for name in SEGMENT_COLUMNS}
    reported = time.monotonic()
    for number, (source, translation, *refs) in enumerate(paragraphs, start=1):
        if segmentation == "lines":
            paragraph_segments = _line_segment(source, translation, refs)
        else:
            paragraph_segments = align_paragraph(source, translation, refs, src_lang, tgt_lang)
        for k, seg in enumerate(paragraph_segments, start=1):
            columns["id"].append(f"{number}.{k}")
            columns["paragraph"].append(number)
            for name in ("link", "source", "translation", "references"):
                columns[name].append(seg[name])
        if progress and (number % 50 == 0 or number == total or time.monotonic() - reported >= PROGRESS_SECONDS):
            progress("align", number, total)
            reported = time.monotonic()
    if not columns["id"]:
        return pd.DataFrame([], columns=SEGMENT_COLUMNS)
    return pd.DataFrame(columns, columns=SEGMENT_COLUMNS)


def _lines(count: int) -> str:
    return "1 line" if count == 1 else f"{count} lines"


def _check_counts(named_lines: Sequence[tuple[str, Sequence[str]]]) -> None:
    (first_name, first_lines), *others = named_lines
    for name, lines in others:
        if len(lines) != len(first_lines):
            raise InputError(f"{name} has {_lines(len(lines))}, {first_name} has {len(first_lines)}")


def _name(path: str | Path) -> str:
    return "standard input" if str(path) == "-" else Path(path).name


def load_segments(
    source: str | Path,
    translation: str | Path,
    references: Sequence[str | Path] = (),
    *,
    segmentation: str = "sentences",
    src_lang: str = "en",
    tgt_lang: str = "fr",
    progress: Progress | None = None,
) -> pd.DataFrame:
    """Read a source file, its translation (``-`` = stdin) and references into segments."""
    if str(source) == "-" or any(str(r) == "-" for r in references):
        raise InputError("only the translation can be read from standard input (-)")
    named = [(_name(source), read_lines(source)), (_name(translation), read_lines(translation))]
    named += [(_name(ref), read_lines(ref)) for ref in references]
    _check_counts(named)
    if segmentation not in SEGMENTATIONS:
        raise InputError(f"unknown segmentation {segmentation!r}; choose from {', '.join(SEGMENTATIONS)}")
    files = [lines for _, lines in named]
    total = len(files[0])
    del named
    return _segments_table(_taking(files), total, segmentation, src_lang, tgt_lang, progress)


def _taking(files: list[list[str]]) -> Iterator[tuple[str, ...]]:
    """The files' lines side by side, each line released once read: the input text shrinks
    while the table grows, instead of both being held in full. ``files`` ends up empty."""
    for lines in files:
        lines.reverse()
    while files[0]:
        yield tuple(lines.pop() for lines in files)


def load_table_segments(path: str | Path) -> pd.DataFrame:
    """Read a TSV/CSV/JSONL table, or an XLIFF/TMX/PO file: each row (or file segment) is one
    segment, as given (no re-segmentation)."""
    from tqe.io.bilingual import bilingual_kind, read_bilingual

    if bilingual_kind(path) is not None:
        return read_bilingual(path).segments
    return table_segments(read_table(path), _name(path))


def table_segments(table: pd.DataFrame, name: str) -> pd.DataFrame:
    """The segments of a read table (``source``, ``translation``, ``references`` columns): one
    per row with text, ids ``N.1``; ``name`` names the file in errors."""
    rows = []
    for row_number, row in enumerate(table.itertuples(index=False), start=1):
        for seg in _line_segment(row.source, row.translation, row.references):
            rows.append({"id": f"{row_number}.1", "paragraph": row_number, **seg})
    if not rows:
        raise InputError(f"{name} has no segment with text")
    counts = {len(r["references"]) for r in rows}
    if len(counts) > 1:
        raise InputError(f"{name}: every row needs the same number of reference columns")
    return pd.DataFrame(rows, columns=SEGMENT_COLUMNS)
