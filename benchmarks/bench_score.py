"""Lexical scoring speed: tqe against the sacrebleu command line doing the same work.

Builds an English–French set of N segments (default 14,000) from the bundled sample, then
times segment-level and corpus-level BLEU and chrF:
  * sacrebleu CLI: `-m bleu chrf` (corpus), `-m bleu -sl`, `-m chrf -sl` (three processes)
  * tqe: one `tqe score --segmentation lines -m bleu -m chrf -f json --no-flags` process
    (and, for information, the same with the QA checks)
and checks that every number is identical. Run by hand: python benchmarks/bench_score.py [N]
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


def build_set(count: int, folder: Path) -> tuple[Path, Path, Path]:
    sys.path.insert(0, str(ROOT))
    from tqe.document import load_segments

    segments = load_segments(SAMPLE / "source.en.txt", SAMPLE / "translation.v1.fr.txt", [SAMPLE / "reference.fr.txt"])
    rows = [r for r in segments.itertuples(index=False) if r.source and r.translation]
    src, mt, ref = [], [], []
    for i in range(count):
        row = rows[i % len(rows)]
        variant = i // len(rows)
        # vary the text so that repeated segments are not byte-identical
        src.append(f"{row.source} ({variant})")
        mt.append(f"{row.translation} ({variant})" if variant % 3 else row.translation)
        ref.append(f"{row.references[0]} ({variant})")
    paths = []
    for name, lines in (("src.en", src), ("mt.fr", mt), ("ref.fr", ref)):
        path = folder / f"{name}.txt"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    return paths[0], paths[1], paths[2]


def timed(command: list[str]) -> tuple[float, str]:
    start = time.perf_counter()
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return time.perf_counter() - start, out


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 14000
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        src, mt, ref = build_set(count, Path(tmp))
        sb = [py, "-m", "sacrebleu", str(ref), "-i", str(mt), "-w", "6"]
        t_corpus, corpus_out = timed([*sb, "-m", "bleu", "chrf", "-f", "json"])
        t_bleu_sl, bleu_sl = timed([*sb, "-m", "bleu", "-sl", "-b"])
        t_chrf_sl, chrf_sl = timed([*sb, "-m", "chrf", "-sl", "-b"])
        sacrebleu_total = t_corpus + t_bleu_sl + t_chrf_sl
        t_tqe, tqe_out = timed([py, "-m", "tqe", "score", str(src), str(mt), "-r", str(ref), "--segmentation", "lines",
                                "-m", "bleu", "-m", "chrf", "-f", "json", "-q", "--no-flags"])
        t_flags, _ = timed([py, "-m", "tqe", "score", str(src), str(mt), "-r", str(ref), "--segmentation", "lines",
                            "-m", "bleu", "-m", "chrf", "-f", "json", "-q"])

    result = json.loads(tqe_out)
    corpus = {e["name"]: e["score"] for e in json.loads(corpus_out)}
    same_corpus = (round(result["metrics"]["bleu"]["score"], 6) == corpus["BLEU"]
                   and round(result["metrics"]["chrf"]["score"], 6) == corpus["chrF2"])
    same_segments = (
        [round(s["scores"]["bleu"], 6) for s in result["segments"]] == [float(x) for x in bleu_sl.split()]
        and [round(s["scores"]["chrf"], 6) for s in result["segments"]] == [float(x) for x in chrf_sl.split()]
    )
    print(f"segments: {count}")
    print(f"sacrebleu CLI: corpus bleu+chrf {t_corpus:.2f}s, -sl bleu {t_bleu_sl:.2f}s, -sl chrf {t_chrf_sl:.2f}s, total {sacrebleu_total:.2f}s")
    print(f"tqe score:     {t_tqe:.2f}s (one process, all four results, --no-flags)")
    print(f"tqe score:     {t_flags:.2f}s (the same plus every QA check and score flag)")
    print(f"speed-up:      {sacrebleu_total / t_tqe:.2f}x")
    print(f"identical numbers: corpus {same_corpus}, segments {same_segments}")


if __name__ == "__main__":
    main()
