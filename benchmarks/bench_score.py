"""Lexical scoring speed: tqe against the sacrebleu command line doing the same work.

Builds an English–French set of N segments (default 14,000) from the bundled sample, then
times segment-level and corpus-level BLEU and chrF, back to back in the same run (the
machine may be shared: compare the ratios, not the seconds; the CPU seconds of each command
are printed too, which a busy machine disturbs less than the wall-clock ones):
  * sacrebleu CLI: `-m bleu chrf` (corpus), `-m bleu -sl`, `-m chrf -sl` (three processes)
  * tqe: one `tqe score --segmentation lines -m bleu -m chrf -f json --no-flags` process,
    and the same default run with every QA check and score flag
checks that every number is identical, and prints the two ratios (sacrebleu's time over
tqe's). Then, in this process and on one core, the CPU cost per 1,000 segments of the
scoring and of each check (one-time loading of word lists and dictionaries apart), so that no
check should cost more than the scoring.

Run by hand: python benchmarks/bench_score.py [N] [--repeat R] (R rounds, each ratio is the
median of the rounds).
"""

from __future__ import annotations

import json
import resource
import statistics
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


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: list[str], cpu: list[float] | None = None) -> tuple[float, str]:
    """Wall-clock seconds and stdout of ``command``; its CPU seconds (worker processes
    included) are appended to ``cpu``."""
    start, start_cpu = time.perf_counter(), _children_cpu()
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    if cpu is not None:
        cpu.append(_children_cpu() - start_cpu)
    return time.perf_counter() - start, out


def check_costs(src: Path, mt: Path, ref: Path) -> tuple[float, float, dict[str, float]]:
    """CPU seconds per 1,000 segments, in this process on one core: the scoring (segment and
    document BLEU and chrF), and each default check; plus the one-time loading of the word
    lists and dictionaries the checks read."""
    sys.path.insert(0, str(ROOT))
    from tqe.checks import CHECKS, build_context
    from tqe.checks.parallel import load_word_lists
    from tqe.checks.reference import REFERENCE_CHECKS
    from tqe.config import FlagConfig
    from tqe.document import load_segments
    from tqe.pipeline import score_segments

    segments = load_segments(src, mt, [ref], segmentation="lines")
    per_thousand = 1000 / len(segments)
    start = time.process_time()
    score_segments(segments, ["bleu", "chrf"], metric_options={"bleu": {"workers": 1}, "chrf": {"workers": 1}})
    scoring = (time.process_time() - start) * per_thousand
    from sacrebleu.metrics import BLEU, CHRF

    from tqe.metrics.ngram_statistics import statistics

    hypotheses, refs = list(segments["translation"]), [[r[0] for r in segments["references"]]]
    for label, metric_class in (("BLEU", BLEU), ("chrF", CHRF)):
        start = time.process_time()
        ours = statistics(metric_class(), hypotheses, refs)
        middle = time.process_time()
        theirs = metric_class()._extract_corpus_statistics(hypotheses, refs)
        end = time.process_time()
        print(f"{label} statistics, CPU s per 1,000 segments: tqe {(middle - start) * per_thousand:.3f}, "
              f"sacrebleu {(end - middle) * per_thousand:.3f} ({(end - middle) / (middle - start):.1f}x), "
              f"identical {ours == theirs}")
    config = FlagConfig()
    start = time.process_time()
    load_word_lists((*config.checks, *config.reference_checks))
    loading = time.process_time() - start
    sources, translations = list(segments["source"]), list(segments["translation"])
    references = [tuple(refs) for refs in segments["references"]]
    start = time.process_time()
    ctx = build_context(sources, translations)
    costs = {"(document context)": (time.process_time() - start) * per_thousand}
    for name in config.checks:
        check = CHECKS[name]
        start = time.process_time()
        for source, translation in zip(sources, translations):
            check(source, translation, ctx)
        costs[name] = (time.process_time() - start) * per_thousand
    for name in config.reference_checks:
        reference_check = REFERENCE_CHECKS[name]
        start = time.process_time()
        for translation, refs in zip(translations, references):
            reference_check(translation, refs)
        costs[name] = (time.process_time() - start) * per_thousand
    return scoring, loading, costs


def main() -> None:
    arguments = [argument for argument in sys.argv[1:] if not argument.startswith("--repeat")]
    repeat = next((int(argument.split("=", 1)[1]) for argument in sys.argv[1:] if argument.startswith("--repeat=")), 1)
    count = int(arguments[0]) if arguments else 14000
    py = sys.executable
    rounds = []
    with tempfile.TemporaryDirectory() as tmp:
        src, mt, ref = build_set(count, Path(tmp))
        sb = [py, "-m", "sacrebleu", str(ref), "-i", str(mt), "-w", "6"]
        tqe_command = [py, "-m", "tqe", "score", str(src), str(mt), "-r", str(ref), "--segmentation", "lines",
                       "-m", "bleu", "-m", "chrf", "-f", "json", "-q"]
        cpu_rounds = []
        for _ in range(repeat):
            sacrebleu_cpu: list[float] = []
            tqe_cpu: list[float] = []
            t_corpus, corpus_out = timed([*sb, "-m", "bleu", "chrf", "-f", "json"], sacrebleu_cpu)
            t_bleu_sl, bleu_sl = timed([*sb, "-m", "bleu", "-sl", "-b"], sacrebleu_cpu)
            t_chrf_sl, chrf_sl = timed([*sb, "-m", "chrf", "-sl", "-b"], sacrebleu_cpu)
            t_tqe, tqe_out = timed([*tqe_command, "--no-flags"], tqe_cpu)
            t_flags, _ = timed(tqe_command, tqe_cpu)
            rounds.append((t_corpus, t_bleu_sl, t_chrf_sl, t_tqe, t_flags))
            cpu_rounds.append((sum(sacrebleu_cpu), *tqe_cpu))
        scoring, loading, costs = check_costs(src, mt, ref)

    result = json.loads(tqe_out)
    corpus = {e["name"]: e["score"] for e in json.loads(corpus_out)}
    same_corpus = (round(result["metrics"]["bleu"]["score"], 6) == corpus["BLEU"]
                   and round(result["metrics"]["chrf"]["score"], 6) == corpus["chrF2"])
    same_segments = (
        [round(s["scores"]["bleu"], 6) for s in result["segments"]] == [float(x) for x in bleu_sl.split()]
        and [round(s["scores"]["chrf"], 6) for s in result["segments"]] == [float(x) for x in chrf_sl.split()]
    )
    print(f"segments: {count}, rounds: {repeat}")
    for number, (t_corpus, t_bleu_sl, t_chrf_sl, t_tqe, t_flags) in enumerate(rounds, start=1):
        sacrebleu_total = t_corpus + t_bleu_sl + t_chrf_sl
        print(f"round {number}: sacrebleu CLI corpus bleu+chrf {t_corpus:.2f}s, -sl bleu {t_bleu_sl:.2f}s, "
              f"-sl chrf {t_chrf_sl:.2f}s, total {sacrebleu_total:.2f}s; tqe --no-flags {t_tqe:.2f}s, "
              f"tqe with every check {t_flags:.2f}s")
    scores_only = statistics.median(sum(r[:3]) / r[3] for r in rounds)
    with_checks = statistics.median(sum(r[:3]) / r[4] for r in rounds)
    print(f"scores only (tqe --no-flags) vs sacrebleu CLI:     {scores_only:.2f}x faster (goal 4x)")
    print(f"default run with every check vs sacrebleu CLI:      {with_checks:.2f}x faster (goal 2x)")
    for number, (sacrebleu_cpu_total, tqe_cpu_scores, tqe_cpu_flags) in enumerate(cpu_rounds, start=1):
        print(f"round {number} CPU seconds (all processes): sacrebleu CLI {sacrebleu_cpu_total:.2f}s, "
              f"tqe --no-flags {tqe_cpu_scores:.2f}s ({sacrebleu_cpu_total / tqe_cpu_scores:.2f}x less), "
              f"tqe with every check {tqe_cpu_flags:.2f}s ({sacrebleu_cpu_total / tqe_cpu_flags:.2f}x less)")
    print(f"identical numbers: corpus {same_corpus}, segments {same_segments}")
    print(f"CPU seconds per 1,000 segments, one core (one-time loading of word lists and dictionaries: {loading:.2f}s):")
    print(f"  {'scoring: segment + document BLEU and chrF':44s} {scoring:.3f}")
    for name, cost in sorted(costs.items(), key=lambda item: -item[1]):
        over = "  (more than the scoring)" if cost > scoring else ""
        print(f"  {name:44s} {cost:.3f}{over}")
    print(f"  {'all checks':44s} {sum(costs.values()):.3f}")


if __name__ == "__main__":
    main()
