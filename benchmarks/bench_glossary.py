"""Glossary and do-not-translate checks with a large termbase.

Writes a synthetic glossary (TSV) and do-not-translate list of N terms each, made of
pseudo-words generated in code, and a 1,000-segment document in which about a third of the
segments use glossary terms (half of them with the required French term, half without) and
some use do-not-translate terms. For each N it prints:

- build: wall-clock and CPU seconds reading both files (load_glossary, load_dnt) and building the document context;
- check: wall-clock and CPU seconds running the glossary and dnt checks on every segment (the termbase is compiled on
  the first segment and kept for the document);
- peak memory: tracemalloc's peak over build and check (a separate, traced pass);
- the number of glossary and dnt flags, so runs can be compared.

Run by hand: python benchmarks/bench_glossary.py [N ...]   (default: 1000 10000 100000)
             python benchmarks/bench_glossary.py --segments 1000 --all-checks 100000
(--all-checks also times every other check, which reads the glossary too.)
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze", "pa", "do", "gu", "fe", "ho", "ja", "qui"]
ENGLISH_FILLER = "the crews replaced several miles of pipe near the station while the council met".split()
FRENCH_FILLER = "les équipes ont remplacé plusieurs kilomètres de tuyaux près de la gare pendant le conseil".split()


def pseudo_word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))


def termbase(count: int, rng: random.Random) -> tuple[list[tuple[str, str]], list[str]]:
    """``count`` (English, French) glossary pairs of 1-3 words and ``count`` DNT names."""
    english: dict[str, str] = {}
    while len(english) < count:
        term = " ".join(pseudo_word(rng) for _ in range(rng.choice((1, 2, 2, 3))))
        english.setdefault(term, " ".join(pseudo_word(rng) for _ in range(rng.randint(1, 3))))
    dnt: set[str] = set()
    while len(dnt) < count:
        dnt.add(pseudo_word(rng).capitalize() + pseudo_word(rng).capitalize())
    return list(english.items()), sorted(dnt)


def document(pairs: list[tuple[str, str]], dnt: list[str], segments: int, rng: random.Random) -> tuple[list[str], list[str]]:
    sources, translations = [], []
    for number in range(segments):
        english = rng.sample(ENGLISH_FILLER, 10)
        french = rng.sample(FRENCH_FILLER, 10)
        if number % 3 == 0:
            source_term, target_term = rng.choice(pairs)
            english.insert(4, source_term + "s")
            french.insert(4, target_term if number % 2 else pseudo_word(rng))
        if number % 7 == 0:
            name = rng.choice(dnt)
            english.insert(2, name)
            french.insert(2, name if number % 2 else name.lower())
        sources.append(" ".join(english) + ".")
        translations.append(" ".join(french) + ".")
    return sources, translations


def run(count: int, segments: int, all_checks: bool) -> None:
    from tqe.checks import CHECKS, build_context, load_dnt, load_glossary, run_checks

    rng = random.Random(count)
    pairs, dnt = termbase(count, rng)
    sources, translations = document(pairs, dnt, segments, rng)
    with tempfile.TemporaryDirectory() as folder:
        glossary_path, dnt_path = Path(folder) / "glossary.tsv", Path(folder) / "dnt.txt"
        glossary_path.write_text("source\ttarget\n" + "".join(f"{en}\t{fr}\n" for en, fr in pairs), encoding="utf-8")
        dnt_path.write_text("".join(f"{term}\n" for term in dnt), encoding="utf-8")

        def build():
            glossary, dnt_terms = load_glossary(glossary_path), load_dnt(dnt_path)
            return build_context(sources, translations, glossary=glossary, dnt_terms=dnt_terms)

        def check(ctx, names):
            return [run_checks(source, translation, ctx, names) for source, translation in zip(sources, translations)]

        start, start_cpu = time.perf_counter(), time.process_time()
        ctx = build()
        built, built_cpu = time.perf_counter(), time.process_time()
        flags = check(ctx, ("glossary", "dnt"))
        checked, checked_cpu = time.perf_counter(), time.process_time()
        line = (
            f"{count:>7} terms, {segments} segments: build {built - start:.2f} s (CPU {built_cpu - start_cpu:.2f} s), "
            f"check {checked - built:.2f} s (CPU {checked_cpu - built_cpu:.2f} s)"
        )
        if all_checks:
            start = time.perf_counter()
            check(build(), tuple(CHECKS))
            line += f", every check (with build) {time.perf_counter() - start:.2f} s"

        tracemalloc.start()
        check(build(), ("glossary", "dnt"))
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    found = [flag.check for segment in flags for flag in segment]
    print(f"{line}, peak memory {peak / 2**20:.0f} MiB ({found.count('glossary')} glossary, {found.count('dnt')} dnt flags)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("counts", nargs="*", type=int, default=[1000, 10000, 100000])
    parser.add_argument("--segments", type=int, default=1000)
    parser.add_argument("--all-checks", action="store_true")
    options = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    for count in options.counts:
        run(count, options.segments, options.all_checks)


if __name__ == "__main__":
    main()
