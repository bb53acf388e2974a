"""Ranking speed: tqe's multi-system paired bootstrap against sacrebleu's paired test run for
every pair of systems.

Builds S systems (default 10) of N segments (default 3,000) from the bundled sample, with
each system a different mix of the sample's translation revisions and reference, then times,
for BLEU, chrF and TER:
  * tqe: ``rank_metric`` on per-system statistics (bootstrap resamples computed once per
    system, reused by every pair: the baseline pairs and the neighbour pairs of the ranking);
  * sacrebleu: ``PairedTest`` (paired bootstrap) once per pair that tqe tests, i.e. what a
    script calling sacrebleu pair by pair would run.
It checks that the baseline p-values are equal. Run by hand:
    python benchmarks/bench_ranking.py [SYSTEMS] [SEGMENTS]
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def build(systems: int, segments: int) -> tuple[list[list[str]], list[str]]:
    from tqe.document import load_segments

    sample = ROOT / "references"
    revisions = [load_segments(sample / "source.en.txt", sample / f"translation.v{n}.fr.txt",
                               [sample / "reference.fr.txt"], segmentation="lines") for n in (1, 2, 3)]
    references = list(revisions[0]["references"].map(lambda refs: refs[0]))
    candidates = [list(r["translation"]) for r in revisions] + [references]
    rng = random.Random(1)
    outputs = [[] for _ in range(systems)]
    refs = []
    for i in range(segments):
        line = i % len(references)
        refs.append(f"{references[line]} ({i})")
        for k in range(systems):
            # system k prefers better candidates as k grows, with noise
            choice = min(len(candidates) - 1, max(0, int(rng.gauss(k * len(candidates) / systems, 1.0))))
            outputs[k].append(f"{candidates[choice][line]} ({i})")
    return outputs, refs


def main() -> None:
    from sacrebleu.significance import PairedTest

    from tqe.metrics import get_metric
    from tqe.metrics.lexical import _build
    from tqe.compare.ranking import rank_metric
    from tqe.significance import SacrebleuScorer, sacrebleu_metric

    systems = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    segments = int(sys.argv[2]) if len(sys.argv) > 2 else 3000
    outputs, refs = build(systems, segments)
    labels = [f"sys{k}" for k in range(systems)]
    print(f"{systems} systems x {segments} segments, paired bootstrap (1000 resamples)")
    print("| metric | tqe: segment statistics | tqe: significance (ranks, clusters, p) | tqe total "
          "| sacrebleu pair by pair | pairs | speed-up (total) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    total_tqe = total_sb = 0.0
    for name, kind in (("bleu", "bleu"), ("chrf", "chrf"), ("ter", "ter")):
        start = time.perf_counter()
        extractor = get_metric(name)
        stats = [np.array(extractor.statistics(out, [refs]), dtype=float) for out in outputs]
        extracted = time.perf_counter() - start
        result = rank_metric(name, labels, stats, SacrebleuScorer(sacrebleu_metric(name)))
        ours = time.perf_counter() - start
        ranked = result.ranked()
        pairs = [(0, k) for k in range(1, systems)]
        pairs += [(labels.index(a.system), labels.index(b.system)) for a, b in zip(ranked, ranked[1:])]
        start = time.perf_counter()
        p_values = {}
        for i, j in pairs:
            _, scores = PairedTest([(labels[i], outputs[i]), (labels[j], outputs[j])], {name: _build(kind, {})},
                                   [refs], test_type="bs")()
            (column,) = [key for key in scores if key != "System"]
            p_values[(i, j)] = scores[column][1].p_value
        theirs = time.perf_counter() - start
        for k in range(1, systems):
            assert result.systems[k].p_value == p_values[(0, k)], (name, k)
        total_tqe += ours
        total_sb += theirs
        print(f"| {name} | {extracted:.1f} s | {ours - extracted:.1f} s | {ours:.1f} s | {theirs:.1f} s "
              f"| {len(pairs)} | {theirs / ours:.1f}x |")
    print(f"| all | | | {total_tqe:.1f} s | {total_sb:.1f} s | | {total_sb / total_tqe:.1f}x |")
    print("baseline p-values equal sacrebleu's: yes")


if __name__ == "__main__":
    main()
