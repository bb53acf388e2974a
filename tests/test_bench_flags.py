"""The flag-quality bench scores what it should: arithmetic checked against hand counts."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_SPEC = importlib.util.spec_from_file_location("bench_flags", ROOT / "benchmarks" / "bench_flags.py")
bench = importlib.util.module_from_spec(_SPEC)
sys.modules.setdefault("bench_flags", bench)  # dataclasses look their module up there
_SPEC.loader.exec_module(bench)

Seg = bench.FlaggedSegment
Label = bench.Label


def _mini_set():
    """Two documents: a clean one with one false alarm, and a planted copy with five labels."""
    segments = [
        Seg("clean/mini", "1.1", 1, "Sales rose 5%.", "Les ventes ont augmenté de 5 %."),
        Seg("clean/mini", "1.2", 1, "Tap Save.", "Appuyez sur Enregistrer.", frozenset({"named-entities"})),
        Seg("clean/mini", "2.1", 2, "Revenue fell.", "Le chiffre d'affaires a baissé."),
        Seg("clean/mini", "2.2", 2, "Others were more cautious.", "D'autres étaient plus prudents."),
        Seg("planted-a/mini", "1.1", 1, "Sales rose 5%.", "Les ventes ont augmenté de 7 %.", frozenset({"numbers"})),
        Seg("planted-a/mini", "1.2", 1, "Tap Save.", "Appuyez sur Enregistrer.", frozenset({"named-entities"})),
        Seg("planted-a/mini", "2.1", 2, "Revenue fell.", "", frozenset({"empty"})),
        Seg("planted-a/mini", "2.2", 2, "Others were more cautious.", "Others were more cautious."),
        Seg("planted-a/mini", "3.1", 3, "The order includes options.", "", frozenset({"empty"})),
        Seg("planted-a/mini", "3.2", 3, "", "La commande est ferme.", frozenset({"addition"})),
    ]
    labels = [
        Label("planted-a/mini", 1, "number", "fr", "de 7 %"),
        Label("planted-a/mini", 2, "omission", "en", "Revenue fell"),
        Label("planted-a/mini", 2, "untranslated", "fr", "Others were more"),
        Label("planted-a/mini", 3, "duplicate", "en", "includes options"),
        Label("planted-a/mini", 1, "negation", "fr", "ne baissent pas"),  # matches no segment
    ]
    return segments, labels


AVAILABLE = ("empty", "addition", "untranslated", "numbers", "named-entities")


def test_labels_map_to_segments_by_substring_and_displaced_duplicates():
    segments, labels = _mini_set()
    assert bench.match_labels(segments, labels) == [[4], [6], [7], [8, 9], []]


def test_precision_recall_and_f1_match_hand_counts():
    segments, labels = _mini_set()
    report = bench.evaluate(segments, labels, AVAILABLE)

    # erroneous: planted 1.1, 2.1, 2.2, 3.1, 3.2 (5); flagged: clean 1.2 + planted 1.1, 1.2, 2.1,
    # 3.1, 3.2 (6); both: 4
    assert report["overall"] == {
        "segments": 10, "with_error": 5, "flagged": 6, "true_positive": 4,
        "precision": pytest.approx(4 / 6), "recall": pytest.approx(4 / 5), "f1": pytest.approx(8 / 11),
    }
    checks = report["per_check"]
    assert checks["named-entities"] == {"flagged": 2, "true": 0, "precision": 0.0, "on_clean": 1}
    assert checks["empty"] == {"flagged": 2, "true": 2, "precision": 1.0, "on_clean": 0}
    assert checks["addition"]["precision"] == 1.0
    assert checks["untranslated"] == {"flagged": 0, "true": 0, "precision": None, "on_clean": 0}

    kinds = report["per_kind"]
    assert (kinds["number"]["found"], kinds["number"]["found_by_meant"]) == (1, 1)
    assert (kinds["untranslated"]["found"], kinds["untranslated"]["recall"]) == (0, 0.0)
    # found by `empty`, but the check meant for duplicates does not exist
    assert kinds["duplicate"]["found"] == 1 and kinds["duplicate"]["found_by_meant"] == 0
    assert kinds["duplicate"]["missing_checks"] == ["duplicate"]
    assert kinds["negation"]["found"] == 0 and kinds["negation"]["missing_checks"] == ["polarity"]
    assert "scale" not in kinds  # no instance planted: no row

    assert report["clean"] == {"segments": 4, "flagged": 1, "share": 0.25}
    floors = report["floors"]
    assert floors["clean_share_ok"] is False
    assert floors["checks_below_precision"] == ["named-entities"]
    assert floors["kinds_not_found_by_meant_check"] == ["duplicate", "negation", "untranslated"]
    assert report["unmatched_labels"] == [
        {"document": "planted-a/mini", "line": 1, "kind": "negation", "text": "ne baissent pas"}
    ]
    json.dumps(report)  # the --json output


def test_render_names_failing_floors():
    segments, labels = _mini_set()
    text = bench.render(bench.evaluate(segments, labels, AVAILABLE))
    assert "segment level: precision 0.67, recall 0.80, F1 0.73" in text
    assert "every check's precision >= 0.7: FAIL (named-entities)" in text
    assert "| duplicate | 1 | 1 | 1.00 | `duplicate` (missing) | 0 | 0.00 |" in text
    assert "planted-a/mini line 1 negation: 'ne baissent pas'" in text


def test_runs_tqe_on_a_two_document_set(tmp_path):
    (tmp_path / "clean").mkdir()
    (tmp_path / "planted-a").mkdir()
    source = "The plant will open in 2027. It will employ 300 people.\nPrices rose sharply last year.\n"
    (tmp_path / "clean" / "doc.en.txt").write_text(source, encoding="utf-8")
    (tmp_path / "planted-a" / "doc.en.txt").write_text(source, encoding="utf-8")
    (tmp_path / "clean" / "doc.fr.txt").write_text(
        "L'usine ouvrira en 2027. Elle emploiera 300 personnes.\nLes prix ont fortement augmenté l'an dernier.\n",
        encoding="utf-8",
    )
    (tmp_path / "planted-a" / "doc.fr.txt").write_text(
        "L'usine ouvrira en 2027.\nPrices rose sharply last year.\n", encoding="utf-8"
    )
    (tmp_path / "labels.tsv").write_text(
        "document\tline\tkind\tside\ttext\n"
        "planted-a/doc\t1\tomission\ten\temploy 300\n"
        "planted-a/doc\t2\tuntranslated\tfr\tPrices rose\n",
        encoding="utf-8",
    )
    documents = bench.find_documents(tmp_path)
    assert [name for name, *_ in documents] == ["clean/doc", "planted-a/doc"]
    segments = bench.flag_documents(documents, bench.flag_config(tmp_path))
    labels = bench.load_labels(tmp_path / "labels.tsv")
    matches = bench.match_labels(segments, labels)
    assert [[segments[i].segment_id for i in found] for found in matches] == [["1.2"], ["2.1"]]
    report = bench.evaluate(segments, labels, AVAILABLE)
    assert report["per_kind"]["omission"]["found_by_meant"] == 1  # `empty`
    assert report["per_kind"]["untranslated"]["found_by_meant"] == 1
    assert report["clean"]["segments"] == 3


def test_floors_met_only_when_every_floor_passes():
    segments, labels = _mini_set()
    report = bench.evaluate(segments, labels, AVAILABLE)
    assert bench.floors_met(report) is False
    clean = [s for s in segments if s.document.startswith("clean/") and not s.checks]
    found = [Label("planted-a/mini", 1, "number", "fr", "de 7 %")]
    perfect = bench.evaluate([*clean, segments[4]], found, AVAILABLE, {"number": ("numbers",)})
    assert bench.floors_met(perfect) is True


def _labels_found_once(data):
    """The set's labels, after checking that each names every kind and text found exactly once
    in its line."""
    labels = bench.load_labels(data / "labels.tsv")
    assert {label.kind for label in labels} == set(bench.MEANT_CHECKS)
    for label in labels:
        folder, name = label.document.split("/")
        suffix = "fr" if label.side == "fr" else "en"
        lines = (data / folder / f"{name}.{suffix}.txt").read_text(encoding="utf-8").splitlines()
        assert lines[label.line - 1].count(label.text) == 1, label
    return labels


def test_shipped_labels_name_text_that_is_in_the_set():
    data = bench.DATA
    labels = _labels_found_once(data)
    counts = {kind: sum(1 for label in labels if label.kind == kind) for kind in bench.MEANT_CHECKS}
    assert min(counts.values()) >= 8


def test_heldout_set_is_well_formed():
    data = bench.DATA.parent / "flags-heldout"
    labels = _labels_found_once(data)
    for source in sorted((data / "clean").glob("*.en.txt")):
        name = source.name.removesuffix(".en.txt")
        english = source.read_text(encoding="utf-8")
        for folder in ("clean", "planted-a", "planted-b"):
            assert (data / folder / source.name).read_text(encoding="utf-8") == english
            french = (data / folder / f"{name}.fr.txt").read_text(encoding="utf-8")
            assert len(french.splitlines()) == len(english.splitlines()), (folder, name)
    counts = {kind: sum(1 for label in labels if label.kind == kind) for kind in bench.MEANT_CHECKS}
    assert min(counts.values()) >= 5
