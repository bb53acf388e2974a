"""COMET speed: tqe against ``comet-score`` on the same checkpoint and inputs.

Builds, offline, a reference-based COMET model of realistic size with random weights (XLM-R
base dimensions: 12 layers, hidden 768, 250,002-token embedding table, wmt22-comet-da's
regression head), and N segments (default 300) from the bundled sample in references/ (or
synthetic sentences if it is missing). Every run is a fresh process, so interpreter start,
imports and model loading count everywhere:

  * comet-score:  ``comet-score -s -t -r --model CKPT --gpus 0 --quiet --only_system``
  * COMET API:    ``load_from_checkpoint`` + ``predict`` (what tqe's scores must equal)
  * tqe cold:     tqe's Comet metric with an empty cache
  * tqe re-run:   the same after changing 5% of the translations (cache from the cold run)

then checks tqe's scores against the COMET API's and prints a table. A second, larger set
(--cache-segments) repeats the cold / re-run pair: a re-run pays fixed costs (importing torch
and COMET, loading the model) whatever changed, so its share of the cold run falls as the
document grows.

Run by hand: python benchmarks/bench_comet.py [--segments N] [--cache-segments M]
[--repeat R] [--work DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "references"
BATCH_SIZE = 16
CHANGED_SHARE = 0.05

# wmt22-comet-da's head on an XLM-R base encoder
MODEL_OPTIONS = {
    "hidden_sizes": [3072, 1024],
    "layer_transformation": "sparsemax",
    "layer_norm": False,
    "pool": "avg",
}

_TQE_RUN = """
import json, sys
from tqe.metrics.comet import Comet
from tqe.store.cache import CometCache
model, src, mt, ref, db, out = sys.argv[1:7]
lines = lambda p: open(p, encoding="utf-8").read().splitlines()
result = Comet(model=model, gpus=0, batch_size=int(sys.argv[7]), cache=CometCache(db)).compute(
    lines(src), lines(mt), [lines(ref)])
json.dump({"scores": result.segment_scores, "system": result.corpus_score}, open(out, "w"))
"""

_API_RUN = """
import json, sys, warnings
warnings.simplefilter("ignore")
from comet import load_from_checkpoint
ckpt, src, mt, ref, out = sys.argv[1:6]
lines = lambda p: open(p, encoding="utf-8").read().splitlines()
data = [{"src": s, "mt": t, "ref": r} for s, t, r in zip(lines(src), lines(mt), lines(ref))]
model = load_from_checkpoint(ckpt)
prediction = model.predict(data, batch_size=int(sys.argv[6]), gpus=0, progress_bar=False)
json.dump({"scores": prediction.scores, "system": prediction.system_score}, open(out, "w"))
"""


def sample_triples(count: int) -> list[tuple[str, str, str]]:
    """``count`` distinct (source, translation, reference) segments from the bundled sample."""
    sys.path.insert(0, str(ROOT))
    try:
        from tqe.document import load_segments

        segments = load_segments(
            SAMPLE / "source.en.txt", SAMPLE / "translation.v1.fr.txt", [SAMPLE / "reference.fr.txt"]
        )
        rows = [
            (row.source, row.translation, row.references[0])
            for row in segments.itertuples(index=False)
            if row.source and row.translation and row.references and row.references[0]
        ]
    except Exception as exc:  # noqa: BLE001 - any trouble with the sample: use synthetic text
        print(f"(sample not usable: {exc}; using synthetic sentences)", file=sys.stderr)
        rows = []
    if not rows:
        sys.path.insert(0, str(ROOT / "tests"))
        from comet_fixture import sample_sentences

        return sample_sentences(count)
    triples = []
    for i in range(count):
        source, translation, reference = rows[i % len(rows)]
        variant = i // len(rows)
        if variant:  # keep repeated rows distinct so every segment is really scored
            source, translation, reference = (
                f"{text} ({variant})" for text in (source, translation, reference)
            )
        triples.append((source, translation, reference))
    return triples


def build_model(folder: Path, texts: list[str]) -> Path:
    """The benchmark model (built once per work folder)."""
    if (folder / "checkpoints" / "model.ckpt").is_file():
        return folder
    sys.path.insert(0, str(ROOT / "tests"))
    from comet_fixture import BASE_ENCODER, build_comet_model

    print("building an XLM-R base-sized COMET model with random weights...", file=sys.stderr)
    return build_comet_model(
        folder, "regression", encoder=BASE_ENCODER, texts=texts, vocab_size=8000,
        whole_words=True, **MODEL_OPTIONS,
    )


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def timed(command: list[str], env: dict[str, str], repeat: int) -> float:
    """Best wall-clock seconds of ``repeat`` runs of one process (shared machines are noisy)."""
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
        elapsed = time.perf_counter() - started
        if done.returncode != 0:
            sys.exit(f"failed: {' '.join(command[:3])}...\n{done.stderr[-3000:]}")
        best = min(best, elapsed)
    return best


class Inputs:
    """Source, translation, revised translation (5% changed) and reference files for N segments."""

    def __init__(self, folder: Path, triples: list[tuple[str, str, str]]) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        step = round(1 / CHANGED_SHARE)
        translations = [t for _, t, _ in triples]
        revised = [t + " (révisé)" if i % step == 0 else t for i, t in enumerate(translations)]
        self.count = len(triples)
        self.changed = sum(a != b for a, b in zip(translations, revised))
        self.src = write_lines(folder / "src.en.txt", [s for s, _, _ in triples])
        self.mt = write_lines(folder / "mt.fr.txt", translations)
        self.mt2 = write_lines(folder / "mt2.fr.txt", revised)
        self.ref = write_lines(folder / "ref.fr.txt", [r for _, _, r in triples])
        self.folder = folder


def tqe_command(model_dir: Path, inputs: Inputs, mt: Path, db: Path, out: Path) -> list[str]:
    return [sys.executable, "-c", _TQE_RUN, str(model_dir), str(inputs.src), str(mt),
            str(inputs.ref), str(db), str(out), str(BATCH_SIZE)]


def cold_and_rerun(
    model_dir: Path, inputs: Inputs, env: dict[str, str], repeat: int
) -> tuple[float, float]:
    """tqe with an empty cache, then with that cache after 5% of the translations changed."""
    cold, rerun = float("inf"), float("inf")
    for _ in range(repeat):
        db = inputs.folder / "history.db"
        for stale in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
            stale.unlink(missing_ok=True)
        out = inputs.folder / "tqe.json"
        cold = min(cold, timed(tqe_command(model_dir, inputs, inputs.mt, db, out), env, 1))
        out2 = inputs.folder / "tqe2.json"
        rerun = min(rerun, timed(tqe_command(model_dir, inputs, inputs.mt2, db, out2), env, 1))
    return cold, rerun


def tokens_per_segment(model_dir: Path, inputs: Inputs) -> float:
    from transformers import XLMRobertaTokenizerFast

    tokenizer = XLMRobertaTokenizerFast.from_pretrained(str(model_dir / "encoder"))
    total = 0
    for path in (inputs.src, inputs.mt, inputs.ref):
        total += sum(len(ids) for ids in tokenizer(path.read_text().splitlines())["input_ids"])
    return total / inputs.count / 3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--segments", type=int, default=300,
                        help="segments for the comparison with comet-score (default 300)")
    parser.add_argument("--cache-segments", type=int, default=1500,
                        help="segments for the second cold / re-run pair (default 1500; 0: skip)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per measurement; best kept")
    parser.add_argument("--work", type=Path, help="keep the model and files here (reused)")
    args = parser.parse_args()

    work = args.work or Path(tempfile.mkdtemp(prefix="tqe-bench-comet-"))
    work.mkdir(parents=True, exist_ok=True)
    triples = sample_triples(max(args.segments, args.cache_segments))
    model_dir = build_model(work / "model", [text for triple in triples[:2000] for text in triple])
    checkpoint = model_dir / "checkpoints" / "model.ckpt"
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}
    comet_score = str(Path(sys.executable).with_name("comet-score"))

    small = Inputs(work / f"n{args.segments}", triples[: args.segments])
    times = {
        "comet-score": timed(
            [comet_score, "-s", str(small.src), "-t", str(small.mt), "-r", str(small.ref),
             "--model", str(checkpoint), "--gpus", "0", "--batch_size", str(BATCH_SIZE),
             "--quiet", "--only_system"],
            env, args.repeat,
        ),
        "COMET API (load + predict)": timed(
            [sys.executable, "-c", _API_RUN, str(checkpoint), str(small.src), str(small.mt),
             str(small.ref), str(small.folder / "api.json"), str(BATCH_SIZE)],
            env, args.repeat,
        ),
    }
    times["tqe cold (empty cache)"], times["tqe re-run"] = cold_and_rerun(
        model_dir, small, env, args.repeat
    )
    api = json.loads((small.folder / "api.json").read_text())
    ours = json.loads((small.folder / "tqe.json").read_text())
    worst = max(abs(a - b) for a, b in zip(api["scores"], ours["scores"]))

    print(f"COMET benchmark on CPU ({os.cpu_count()} cores), batch {BATCH_SIZE}, random-weight "
          f"XLM-R base model ({checkpoint.stat().st_size / 1e9:.2f} GB checkpoint), "
          f"{tokens_per_segment(model_dir, small):.0f} tokens per text on average, "
          f"best of {args.repeat}")
    print(f"\n{small.count} segments ({small.changed} changed for the re-run)")
    print(f"{'run':<28} {'seconds':>8}  {'vs comet-score':>14}")
    for name, seconds in times.items():
        print(f"{name:<28} {seconds:8.1f}  {seconds / times['comet-score']:13.2f}x")
    cold = times["tqe cold (empty cache)"]
    print(f"tqe cold vs comet-score: {cold / times['comet-score'] - 1:+.1%}; "
          f"vs COMET API: {cold / times['COMET API (load + predict)'] - 1:+.1%}")
    print(f"tqe re-run / tqe cold: {times['tqe re-run'] / cold:.1%}")
    print(f"largest segment-score difference, tqe vs COMET predict: {worst:.1e}")

    if args.cache_segments:
        large = Inputs(work / f"n{args.cache_segments}", triples[: args.cache_segments])
        cold, rerun = cold_and_rerun(model_dir, large, env, args.repeat)
        print(f"\n{large.count} segments ({large.changed} changed for the re-run)")
        print(f"{'tqe cold (empty cache)':<28} {cold:8.1f}")
        print(f"{'tqe re-run':<28} {rerun:8.1f}")
        print(f"tqe re-run / tqe cold: {rerun / cold:.1%}")


if __name__ == "__main__":
    main()
