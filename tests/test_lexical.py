"""BLEU / chrF numbers must equal sacrebleu's own command line on the same segments."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import sacrebleu

from tqe.errors import MetricError
from tqe.metrics import get_metric
from tqe.metrics import lexical

HYPS = [
    "Le conseil a approuvé un budget de 50 000 euros pour 2025.",
    "Les travaux commenceront en mars, selon la mairie.",
    "Is this still English?",
    "",
    "La ville « verte » compte 3,5 km de pistes cyclables !",
    "Mme Martin a présenté le rapport ; il a été adopté.",
]
REFS = [
    "Le conseil a adopté un budget de 50 000 euros pour 2025.",
    "Selon la mairie, les travaux débuteront en mars.",
    "Est-ce encore de l'anglais ?",
    "Une phrase omise.",
    "La ville « verte » compte 3,5 km de pistes cyclables !",
    "Mme Martin a présenté le rapport, qui a été adopté.",
]
REFS2 = [
    "Le conseil municipal a voté un budget de 50 000 euros pour 2025.",
    "Les travaux commenceront en mars, d'après la mairie.",
    "Est-ce toujours de l'anglais ?",
    "",
    "La ville verte compte 3,5 kilomètres de pistes cyclables.",
    "Mme Martin a présenté le rapport et il a été adopté.",
]

SACREBLEU = [sys.executable, "-m", "sacrebleu"]


def _write(tmp_path: Path, name: str, lines: list[str]) -> str:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def _cli_corpus(tmp_path: Path, refs: list[list[str]]) -> dict[str, dict]:
    ref_files = [_write(tmp_path, f"ref{i}.txt", r) for i, r in enumerate(refs)]
    hyp_file = _write(tmp_path, "hyp.txt", HYPS)
    out = subprocess.run(
        [*SACREBLEU, *ref_files, "-i", hyp_file, "-m", "bleu", "chrf", "-w", "6", "-f", "json"],
        check=True, capture_output=True, text=True,
    ).stdout
    return {entry["name"]: entry for entry in json.loads(out)}


def _cli_sentences(tmp_path: Path, refs: list[list[str]], metric: str) -> list[float]:
    ref_files = [_write(tmp_path, f"ref{i}.txt", r) for i, r in enumerate(refs)]
    hyp_file = _write(tmp_path, "hyp.txt", HYPS)
    out = subprocess.run(
        [*SACREBLEU, *ref_files, "-i", hyp_file, "-m", metric, "-sl", "-b", "-w", "6"],
        check=True, capture_output=True, text=True,
    ).stdout
    return [float(line) for line in out.split()]


@pytest.mark.parametrize("refs", [[REFS], [REFS, REFS2]], ids=["one-ref", "two-refs"])
def test_corpus_and_segment_scores_equal_sacrebleu_cli(tmp_path, refs):
    bleu = get_metric("bleu").compute(None, HYPS, refs)
    chrf = get_metric("chrf").compute(None, HYPS, refs)
    cli = _cli_corpus(tmp_path, refs)
    assert round(bleu.corpus_score, 6) == pytest.approx(cli["BLEU"]["score"], abs=1e-6)
    assert round(chrf.corpus_score, 6) == pytest.approx(cli["chrF2"]["score"], abs=1e-6)
    assert bleu.signature == cli["BLEU"]["signature"]
    assert chrf.signature == cli["chrF2"]["signature"]
    assert [round(s, 6) for s in bleu.segment_scores] == pytest.approx(_cli_sentences(tmp_path, refs, "bleu"), abs=1e-6)
    assert [round(s, 6) for s in chrf.segment_scores] == pytest.approx(_cli_sentences(tmp_path, refs, "chrf"), abs=1e-6)
    assert "eff:yes" in bleu.segment_signature and "eff:no" in bleu.signature
    assert f"nrefs:{len(refs)}" in bleu.signature


def test_chrf_plus_plus_and_ter_match_sacrebleu_api():
    chrfpp = get_metric("chrf++").compute(None, HYPS, [REFS])
    ter = get_metric("ter").compute(None, HYPS, [REFS])
    assert chrfpp.corpus_score == pytest.approx(sacrebleu.corpus_chrf(HYPS, [REFS], word_order=2).score)
    assert ter.corpus_score == pytest.approx(sacrebleu.corpus_ter(HYPS, [REFS]).score)
    assert ter.segment_scores == pytest.approx([sacrebleu.sentence_ter(h, [r]).score for h, r in zip(HYPS, REFS)])
    assert "nw:2" in chrfpp.signature


def test_parallel_statistics_give_identical_numbers(monkeypatch):
    hyps, refs = HYPS * 50, [REFS * 50]
    serial = lexical.Bleu(workers=1).compute(None, hyps, refs)
    monkeypatch.setattr(lexical, "PARALLEL_MIN_SEGMENTS", 10)
    parallel = lexical.Bleu(workers=2).compute(None, hyps, refs)
    assert parallel.segment_scores == serial.segment_scores
    assert parallel.corpus_score == serial.corpus_score
    assert parallel.signature == serial.signature


def test_statistics_are_extracted_once_per_metric(monkeypatch):
    calls = []
    original = lexical.segment_statistics

    def counting(metric, hypotheses, references):
        calls.append(len(hypotheses))
        return original(metric, hypotheses, references)

    monkeypatch.setattr(lexical, "segment_statistics", counting)
    lexical.Chrf(workers=1).compute(None, HYPS, [REFS])
    assert calls == [len(HYPS)]


def test_lexical_metric_without_reference_is_an_error():
    with pytest.raises(MetricError, match="needs at least one reference"):
        get_metric("bleu").compute(None, HYPS, None)


def test_unknown_metric():
    with pytest.raises(MetricError, match="unknown metric 'bleuu'"):
        get_metric("bleuu")
