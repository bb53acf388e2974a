"""Report rendering speed: one report of N segments (default 5,000) rendered to HTML, Markdown
and terminal text.

The segments are synthetic English sentences with French translations and references that
differ by a few words (so every segment has a word diff), BLEU and chrF segment scores, a flag
on one segment in three, and text with HTML-special characters (``<``, ``&``, quotes) in some,
so escaping does real work. The report lists every segment (``show_all``). Building the report
model (word diffs included) is timed apart; each renderer is timed on the same model, best of
R runs (default 3), as CPU seconds of this process and wall-clock seconds. Run by hand:
    python benchmarks/bench_report.py [SEGMENTS] [--repeat R] [--profile html]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SUBJECTS = ["The committee", "Our team", "The minister", "The <b>board</b>", "Marie & Paul", "The \"new\" office"]
VERBS = ["approved", "rejected", "postponed", "reviewed", "announced"]
OBJECTS = ["the budget of 1,250 euros", "the plan for 2025", "a 3.5% increase", "the report on <script>",
           "the O'Neil contract", "twelve new posts"]
FR_SUBJECTS = ["Le comité", "Notre équipe", "Le ministre", "Le <b>conseil</b>", "Marie & Paul", "Le « nouveau » bureau"]
FR_VERBS = ["a approuvé", "a rejeté", "a reporté", "a examiné", "a annoncé"]
FR_OBJECTS = ["le budget de 1 250 euros", "le plan pour 2025", "une hausse de 3,5 %", "le rapport sur <script>",
              "le contrat O'Neil", "douze nouveaux postes"]


class _Result:
    def __init__(self, score: float, signature: str) -> None:
        self.corpus_score = score
        self.signature = signature


def build_model(count: int) -> Any:
    """The report model of ``count`` synthetic segments, every one listed."""
    import pandas as pd

    from tqe.model import Flag
    from tqe.report import build_table_report

    rng = random.Random(7)
    rows = []
    for index in range(count):
        s, v, o = rng.randrange(len(SUBJECTS)), rng.randrange(len(VERBS)), rng.randrange(len(OBJECTS))
        source = f"{SUBJECTS[s]} {VERBS[v]} {OBJECTS[o]} on day {index}."
        reference = f"{FR_SUBJECTS[s]} {FR_VERBS[v]} {FR_OBJECTS[o]} le jour {index}."
        # the translation changes a word or two of the reference
        words = reference.split()
        for _ in range(rng.randrange(1, 3)):
            words[rng.randrange(len(words))] = rng.choice(["hier", "la", "nouvelle", "<i>", "&", "\"vite\""])
        flags = []
        if index % 3 == 0:
            flags.append(Flag(check="numbers", severity=rng.choice(["critical", "major", "minor"]),
                              message=f"number {index} of the source is missing <here>"))
        if index % 7 == 0:
            flags.append(Flag(check="chrf-score", severity="minor", message="chrF 31.2 is below 40.0"))
        rows.append({
            "id": f"{index // 5 + 1}.{index % 5 + 1}", "paragraph": index // 5 + 1, "link": "1-1",
            "source": source, "translation": " ".join(words), "references": [reference],
            "bleu": rng.uniform(5, 95), "chrf": rng.uniform(20, 98), "flags": flags,
        })
    metrics = {"bleu": _Result(41.3, "nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.4.3"),
               "chrf": _Result(62.8, "nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.4.3")}
    return build_table_report(pd.DataFrame(rows), metrics, title="Benchmark <report>", inputs={"translation": "mt.fr.txt"},
                              show_all=True, thresholds={"chrf": 40.0})


def timed(render: Callable[[], Any], repeat: int) -> tuple[float, float, int]:
    """Best CPU and best wall-clock seconds of ``repeat`` calls, and the output's length."""
    best_cpu = best_wall = float("inf")
    size = 0
    for _ in range(repeat):
        cpu, wall = time.process_time(), time.perf_counter()
        size = len(render())
        best_cpu = min(best_cpu, time.process_time() - cpu)
        best_wall = min(best_wall, time.perf_counter() - wall)
    return best_cpu, best_wall, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("segments", nargs="?", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", choices=["html", "markdown", "terminal"],
                        help="print a cProfile of one render of this format instead of timing")
    args = parser.parse_args()

    from tqe.report import render_terminal
    from tqe.report.html import render_html
    from tqe.report.markdown import render_markdown

    start = time.perf_counter()
    model = build_model(args.segments)
    built = time.perf_counter() - start
    renderers = {
        "html": lambda: render_html(model),
        "markdown": lambda: render_markdown(model),
        "terminal": lambda: render_terminal(model, color=True, width=100),
    }
    if args.profile:
        import cProfile
        import pstats

        renderers[args.profile]()  # templates compiled before the profile
        profiler = cProfile.Profile()
        profiler.runcall(renderers[args.profile])
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
        return
    print(f"{args.segments} segments, every one listed; report model (word diffs included) built in {built:.2f} s")
    print("| format | CPU s (best of %d) | wall s | output |" % args.repeat)
    print("|---|---:|---:|---:|")
    for name, render in renderers.items():
        cpu, wall, size = timed(render, args.repeat)
        print(f"| {name} | {cpu:.2f} | {wall:.2f} | {size / 1e6:.1f} MB |")


if __name__ == "__main__":
    main()
