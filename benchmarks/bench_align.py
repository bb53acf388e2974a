"""Sentence alignment speed on one long paragraph.

Joins the bundled sample (references/source.en.txt and reference.fr.txt) into one English and
one French paragraph, repeated until each has at least N sentences, cuts both to N sentences
and times tqe.align.align_sentences on them (best of R runs). Run by hand:
python benchmarks/bench_align.py [N ...]   (default: 100 300 600)
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "references"
REPEATS = 3


def paragraphs(count: int) -> tuple[list[str], list[str]]:
    """``count`` English and ``count`` French sentences from the sample, as one paragraph each."""
    from tqe.segment import split_sentences

    en = " ".join((SAMPLE / "source.en.txt").read_text(encoding="utf-8").split("\n"))
    fr = " ".join((SAMPLE / "reference.fr.txt").read_text(encoding="utf-8").split("\n"))
    per_copy = min(len(split_sentences(en, "en")), len(split_sentences(fr, "fr")))
    copies = -(-count // per_copy)
    return split_sentences(en * copies, "en")[:count], split_sentences(fr * copies, "fr")[:count]


def main(counts: list[int]) -> None:
    sys.path.insert(0, str(ROOT))
    from tqe.align import align_sentences

    for count in counts:
        source, target = paragraphs(count)
        best = float("inf")
        for _ in range(REPEATS):
            start = time.perf_counter()
            beads = align_sentences(source, target)
            best = min(best, time.perf_counter() - start)
        print(f"{len(source)} x {len(target)} sentences: {best:.3f} s ({len(beads)} beads)")


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [100, 300, 600])
