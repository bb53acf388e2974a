"""Sentence alignment speed: one long paragraph, and whole documents.

Paragraph case: joins the bundled sample (references/source.en.txt and reference.fr.txt) into
one English and one French paragraph, repeated until each has at least N sentences, cuts both
to N sentences and times tqe.align.align_sentences on them (best of R runs).

Document case: repeats the sample source, its translation (translation.v1.fr.txt) and its
reference until the source reaches M megabytes, then times tqe.load_segments on the three
files in a fresh process and reports its peak resident memory (ru_maxrss, Linux).
Both report wall-clock and CPU time: on a shared machine the CPU time is the steadier figure.

Run by hand:
python benchmarks/bench_align.py [N ...] [--document M ...]   (default: 100 300 600 --document 5)
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "references"
REPEATS = 3
DOCUMENT_FILES = ("source.en.txt", "translation.v1.fr.txt", "reference.fr.txt")


def paragraphs(count: int) -> tuple[list[str], list[str]]:
    """``count`` English and ``count`` French sentences from the sample, as one paragraph each."""
    from tqe.segment import split_sentences

    en = " ".join((SAMPLE / "source.en.txt").read_text(encoding="utf-8").split("\n"))
    fr = " ".join((SAMPLE / "reference.fr.txt").read_text(encoding="utf-8").split("\n"))
    per_copy = min(len(split_sentences(en, "en")), len(split_sentences(fr, "fr")))
    copies = -(-count // per_copy)
    return split_sentences(en * copies, "en")[:count], split_sentences(fr * copies, "fr")[:count]


def bench_paragraphs(counts: list[int]) -> None:
    from tqe.align import align_sentences

    for count in counts:
        source, target = paragraphs(count)
        best = best_cpu = float("inf")
        for _ in range(REPEATS):
            start, start_cpu = time.perf_counter(), time.process_time()
            beads = align_sentences(source, target)
            best = min(best, time.perf_counter() - start)
            best_cpu = min(best_cpu, time.process_time() - start_cpu)
        print(f"{len(source)} x {len(target)} sentences: {best:.3f} s, CPU {best_cpu:.3f} s ({len(beads)} beads)")


def write_document(megabytes: float, folder: Path) -> list[Path]:
    """The sample's three files repeated until the source has ``megabytes`` MB."""
    texts = [(SAMPLE / name).read_text(encoding="utf-8").rstrip("\n") + "\n" for name in DOCUMENT_FILES]
    copies = max(1, round(megabytes * 1_000_000 / len(texts[0].encode("utf-8"))))
    paths = []
    for name, text in zip(DOCUMENT_FILES, texts):
        path = folder / name
        with path.open("w", encoding="utf-8") as file:
            for _ in range(copies):
                file.write(text)
        paths.append(path)
    return paths


# Run in a fresh interpreter so that the peak memory is the document's alone.
_MEASURE = """
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
from tqe.document import load_segments
start, start_cpu = time.perf_counter(), time.process_time()
segments = load_segments(sys.argv[2], sys.argv[3], [sys.argv[4]])
seconds, cpu = time.perf_counter() - start, time.process_time() - start_cpu
print(json.dumps({"seconds": seconds, "cpu": cpu, "segments": len(segments),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def bench_documents(sizes: list[float]) -> None:
    for megabytes in sizes:
        with tempfile.TemporaryDirectory() as folder:
            paths = write_document(megabytes, Path(folder))
            size = paths[0].stat().st_size / 1_000_000
            result = subprocess.run(
                [sys.executable, "-c", _MEASURE, str(ROOT), *map(str, paths)], capture_output=True, text=True, check=True
            )
        figures = json.loads(result.stdout)
        print(
            f"document, source {size:.1f} MB (+ translation and reference): {figures['seconds']:.1f} s, CPU {figures['cpu']:.1f} s, "
            f"{figures['segments']:,} segments, peak RSS {figures['peak_mb']:.0f} MB"
        )


def main(args: list[str]) -> None:
    sys.path.insert(0, str(ROOT))
    counts = [int(arg) for arg in args[: args.index("--document")]] if "--document" in args else [int(a) for a in args]
    sizes = [float(arg) for arg in args[args.index("--document") + 1 :]] if "--document" in args else []
    if not args:
        counts, sizes = [100, 300, 600], [5]
    bench_paragraphs(counts)
    bench_documents(sizes)


if __name__ == "__main__":
    main(sys.argv[1:])
