"""Revision comparison: segment matching by source text, deltas, significance, the gate, the report."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from comparing import compare_files
from sacrebleu.significance import PairedTest

from tqe.compare import (
    ADDED,
    CHANGED,
    MOVED,
    REMOVED,
    UNCHANGED,
    GateOptions,
    match_segments,
    regressions,
)
from tqe.compare import compare as compare_runs
from tqe.document import build_segments
from tqe.errors import CompareError
from tqe.metrics.base import MetricResult
from tqe.metrics.lexical import _build
from tqe.pipeline import ScoreResult, score_segments
from tqe.report.comparison import comparison_report, significance_line

SAMPLES = Path(__file__).resolve().parent.parent / "references"

SOURCES = [
    "The reservoir is full.",
    "Rain fell all week.",
    "The pumps were repaired.",
    "Water use fell by ten percent.",
    "The board met twice.",
]
REFERENCES = [
    "Le réservoir est plein.",
    "Il a plu toute la semaine.",
    "Les pompes ont été réparées.",
    "La consommation d'eau a baissé de dix pour cent.",
    "Le conseil s'est réuni deux fois.",
]


def scored(sources, translations, references, metrics=("bleu", "chrf")) -> ScoreResult:
    segments = build_segments(sources, translations, [references], segmentation="lines")
    return score_segments(segments, list(metrics))


@pytest.fixture(autouse=True)
def _default_seed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SACREBLEU_SEED", raising=False)


def _frame(sources, translations=None) -> pd.DataFrame:
    return pd.DataFrame({"source": sources, "translation": translations or [""] * len(sources)})


def test_match_by_source_text_reports_added_removed_and_moved() -> None:
    old = _frame(["a", "b", "c", "d", "e"])
    new = _frame(["a", "c", "x", "d", "b"])
    pairs = match_segments(old, new)
    # "e" (removed) follows "d", its predecessor in the old order
    assert pairs == [(0, 0, False), (2, 1, False), (None, 2, False), (3, 3, False), (4, None, False), (1, 4, True)]


def test_duplicated_sources_pair_in_order_and_sourceless_segments_need_the_same_text() -> None:
    old = _frame(["Yes.", "x", "Yes.", ""], ["Oui.", "x", "Oui !", "Ajout."])
    new = _frame(["Yes.", "Yes.", "", "x"], ["Oui.", "Oui.", "Autre ajout.", "x"])
    pairs = match_segments(old, new)
    assert {(a, b) for a, b, _ in pairs} == {(0, 0), (2, 1), (1, 3), (None, 2), (3, None)}
    # "x" went from before the second "Yes." to after it: one of the two counts as moved
    assert sum(moved for _, _, moved in pairs) == 1


def test_unchanged_segments_keep_exactly_their_scores() -> None:
    old = scored(SOURCES, ["Le réservoir est plein.", "Il pleuvait.", "Les pompes sont réparées.", "L'eau a baissé.", "Le conseil a siégé."], REFERENCES)
    new_translations = ["Le réservoir est plein.", "Il a plu toute la semaine.", "Les pompes sont réparées.", "L'eau a baissé.", "Le conseil a siégé."]
    new = scored(SOURCES, new_translations, REFERENCES)
    comparison = compare_runs(old, new)
    table = comparison.segments
    unchanged = table[table["status"] == UNCHANGED]
    assert len(unchanged) == 4
    for metric in ("bleu", "chrf"):
        assert (unchanged[f"{metric}_a"] == unchanged[f"{metric}_b"]).all()
        assert (unchanged[f"{metric}_delta"] == 0.0).all()
    changed = table[table["status"] == CHANGED]
    assert list(changed["id_b"]) == ["2.1"]
    assert changed["bleu_delta"].iloc[0] > 0
    assert comparison.metrics["bleu"].delta == pytest.approx(new.corpus["bleu"] - old.corpus["bleu"])
    assert list(comparison.improved()["id_b"]) == ["2.1"] and comparison.regressed().empty


def test_source_edit_reports_added_removed_and_moved_segments() -> None:
    translations = ["Le réservoir est plein.", "Il a plu.", "Les pompes ont été réparées.", "L'eau a baissé.", "Le conseil s'est réuni."]
    old = scored(SOURCES, translations, REFERENCES)
    # paragraph 2 rewritten, paragraphs 3 and 5 swapped, a new paragraph at the end
    new_sources = [SOURCES[0], "It rained every day.", SOURCES[4], SOURCES[3], SOURCES[2], "Costs rose."]
    new_refs = [REFERENCES[0], "Il a plu chaque jour.", REFERENCES[4], REFERENCES[3], REFERENCES[2], "Les coûts ont augmenté."]
    new_translations = [translations[0], "Il a plu tous les jours.", translations[4], translations[3], "Les pompes sont réparées.", "Les coûts ont monté."]
    new = scored(new_sources, new_translations, new_refs)

    comparison = compare_runs(old, new)
    table = comparison.segments
    by_status = {status: list(group["id_b"].fillna(group["id_a"])) for status, group in table.groupby("status")}
    assert by_status[ADDED] == ["2.1", "6.1"]
    assert by_status[REMOVED] == ["2.1"]  # the old id of the rewritten paragraph
    assert len(by_status[MOVED]) == 2  # two of the three reordered segments kept their order
    assert comparison.counts[UNCHANGED] + comparison.counts[MOVED] + comparison.counts[CHANGED] == 4
    pumps = table[table["source"] == SOURCES[2]].iloc[0]
    assert pumps["translation_changed"] and pumps["id_a"] == "3.1" and pumps["id_b"] == "5.1"
    assert pumps["bleu_delta"] < 0
    assert comparison.metrics["bleu"].significance.segments == 4
    assert any("4 segments whose source text is in both" in note for note in comparison.notes)


def test_files_compare_with_sacrebleu_p_values() -> None:
    source = SAMPLES / "source.en.txt"
    v1, v2 = SAMPLES / "translation.v1.fr.txt", SAMPLES / "translation.v2.fr.txt"
    reference = SAMPLES / "reference.fr.txt"
    comparison = compare_files(source, v1, v2, [reference], metrics=["bleu", "ter"], segmentation="lines")
    lines = {path: path.read_text(encoding="utf-8").splitlines() for path in (v1, v2, reference)}
    for metric, kind in (("bleu", "bleu"), ("ter", "ter")):
        for test in ("bs", "ar"):
            _, scores = PairedTest([("v1", lines[v1]), ("v2", lines[v2])], {metric: _build(kind, {})}, [lines[reference]], test_type=test)()
            (name,) = [key for key in scores if key != "System"]
            ours = comparison.metrics[metric].significance
            assert (ours.p_bootstrap if test == "bs" else ours.p_randomization) == scores[name][1].p_value
            assert comparison.metrics[metric].score_b == pytest.approx(scores[name][1].score)
    assert comparison.metrics["bleu"].verdict == "better"
    assert comparison.metrics["ter"].verdict == "better"  # TER went down
    assert comparison.label_a == "translation.v1.fr.txt"


def test_different_signatures_are_refused_with_what_differs() -> None:
    old = scored(SOURCES, REFERENCES, REFERENCES, metrics=("bleu",))
    new = scored(SOURCES, REFERENCES, REFERENCES, metrics=("bleu",))
    changed = replace(new.metrics["bleu"], signature=new.metrics["bleu"].signature.replace("nrefs:1", "nrefs:2"))
    other = ScoreResult(new.segments, {"bleu": changed})
    with pytest.raises(CompareError) as caught:
        compare_runs(old, other)
    message = str(caught.value)
    assert message.startswith("bleu signatures differ: nrefs:1|") and " vs nrefs:2|" in message
    assert "\n" not in message


def test_different_comet_models_are_named() -> None:
    old = scored(SOURCES, REFERENCES, REFERENCES, metrics=("bleu",))

    def with_comet(result: ScoreResult, model: str) -> ScoreResult:
        comet = MetricResult("comet", 0.8, [0.8] * 5, f"comet|model:{model}|version:2.2.7|refs:1")
        segments = result.segments.copy()
        segments["comet"] = comet.segment_scores
        return ScoreResult(segments, {**result.metrics, "comet": comet})

    with pytest.raises(CompareError, match=r"^comet models differ: Unbabel/wmt22-comet-da vs Unbabel/XCOMET-XL$"):
        compare_runs(with_comet(old, "Unbabel/wmt22-comet-da"), with_comet(old, "Unbabel/XCOMET-XL"))
    same = compare_runs(with_comet(old, "m"), with_comet(old, "m"))
    assert same.metrics["comet"].verdict == "no difference"


def test_other_mismatches_are_refused() -> None:
    base = scored(SOURCES, REFERENCES, REFERENCES, metrics=("bleu",))
    other_refs = scored(SOURCES, REFERENCES, [r + " Fin." for r in REFERENCES], metrics=("bleu",))
    with pytest.raises(CompareError, match="references differ for 5 matched segment"):
        compare_runs(base, other_refs)
    other_doc = scored(["Something else."], ["Autre chose."], ["Autre chose."], metrics=("bleu",))
    with pytest.raises(CompareError, match="share no source segment"):
        compare_runs(base, other_doc)
    chrf_only = scored(SOURCES, REFERENCES, REFERENCES, metrics=("chrf",))
    with pytest.raises(CompareError, match="no metric in common"):
        compare_runs(base, chrf_only)
    with pytest.raises(CompareError, match="chrf was not scored in revision A"):
        compare_runs(base, chrf_only, metrics=["chrf"])


def _degraded(count: int = 40) -> tuple[ScoreResult, ScoreResult]:
    sources = [f"Sentence number {i} is about the water supply." for i in range(count)]
    references = [f"La phrase numéro {i} parle de l'approvisionnement en eau." for i in range(count)]
    worse = [f"Phrase {i} eau." if i % 2 else r for i, r in enumerate(references)]
    return scored(sources, references, references), scored(sources, worse, references)


def test_gate_finds_a_significant_drop_and_segment_drops_worst_first() -> None:
    good, bad = _degraded()
    comparison = compare_runs(good, bad)
    assert comparison.metrics["bleu"].verdict == "worse"
    corpus = regressions(comparison)
    assert {r.metric for r in corpus} == {"bleu", "chrf"} and all(r.segment is None for r in corpus)
    with_segments = regressions(comparison, GateOptions(max_segment_drop=50))
    segment_drops = [r for r in with_segments if r.segment]
    assert len(segment_drops) > 0
    assert [r.drop for r in segment_drops] == sorted((r.drop for r in segment_drops), reverse=True)
    assert all(r.drop > 50 for r in segment_drops)
    assert regressions(compare_runs(bad, good)) == []


def test_gate_without_significance_counts_any_drop_and_never_unchanged_texts() -> None:
    good = scored(SOURCES, REFERENCES, REFERENCES)
    slightly = scored(SOURCES, REFERENCES[:-1] + ["Le conseil s'est réuni trois fois."], REFERENCES)
    comparison = compare_runs(good, slightly)
    assert comparison.metrics["bleu"].verdict == "no significant difference"
    assert regressions(comparison) == []
    assert {r.metric for r in regressions(comparison, GateOptions(require_significant=False))} == {"bleu", "chrf"}
    same = compare_runs(good, good)
    assert regressions(same, GateOptions(max_segment_drop=0, require_significant=False)) == []


def test_report_lists_regressions_first_with_diff_deltas_and_flags() -> None:
    from tqe.report import render_terminal
    from tqe.report.html import render_html
    from tqe.report.markdown import render_markdown

    good, bad = _degraded(10)
    flagged_good = good.segments.copy()
    flagged_good["flags"] = [[{"check": "numbers", "severity": "major", "message": "old"}]] + [[] for _ in range(9)]
    flagged_bad = bad.segments.copy()
    flagged_bad["flags"] = [[] for _ in range(9)] + [[{"check": "<script>", "severity": "minor", "message": "new & bad"}]]
    comparison = compare_runs(ScoreResult(flagged_good, good.metrics), ScoreResult(flagged_bad, bad.metrics))
    report = comparison_report(comparison)
    regressed_ids = list(comparison.regressed()["id_b"])
    assert [item.id for item in report.items[: len(regressed_ids)]] == regressed_ids
    first = report.items[0]
    assert first.compare_to and first.diff and first.score_deltas["bleu"] < 0
    resolved = [item for item in report.items if item.resolved_flags]
    assert resolved and resolved[0].id == "1.1"
    new = [item for item in report.items if any(flag.change == "new" for flag in item.flags)]
    assert new and new[0].id == "10.1"
    assert report.resolved_count == 1
    assert any(note.startswith("BLEU:") and "worse" in note for note in report.notes)
    html = render_html(report)
    assert "&lt;script&gt;" in html
    assert "Previous revision" in render_terminal(report, color=False)
    assert "new &amp; bad" in html and "new &amp; bad" in render_markdown(report)


def test_removed_segment_item_keeps_old_text() -> None:
    old = scored(SOURCES, REFERENCES, REFERENCES)
    new = scored(SOURCES[:4], REFERENCES[:4], REFERENCES[:4])
    comparison = compare_runs(old, new)
    report = comparison_report(comparison)
    (removed,) = [item for item in report.items if ("change", "removed segment") in item.extra_texts]
    assert removed.compare_to == REFERENCES[4] and removed.translation == ""
    assert math.isclose(comparison.metrics["bleu"].score_a, old.corpus["bleu"])


def test_gate_on_new_flags_by_severity() -> None:
    base = scored(SOURCES, REFERENCES, REFERENCES)
    old_segments = base.segments.copy()
    old_segments["flags"] = [[{"check": "numbers", "severity": "major", "message": "kept"}]] + [[] for _ in range(4)]
    new_segments = base.segments.copy()
    new_segments["flags"] = [
        [{"check": "numbers", "severity": "major", "message": "kept"}],
        [{"check": "typography", "severity": "minor", "message": "new minor"}],
        [{"check": "untranslated", "severity": "critical", "message": "new critical"}],
        [], [],
    ]
    comparison = compare_runs(ScoreResult(old_segments, base.metrics), ScoreResult(new_segments, base.metrics))
    assert regressions(comparison) == []
    assert [r.segment for r in regressions(comparison, GateOptions(new_flag_severity="major"))] == ["3.1"]
    assert [r.segment for r in regressions(comparison, GateOptions(new_flag_severity="minor"))] == ["2.1", "3.1"]
    with pytest.raises(CompareError, match="unknown severity"):
        regressions(comparison, GateOptions(new_flag_severity="blocker"))
    report = comparison_report(comparison)
    assert report.severity_counts == {"critical": 1, "major": 1, "minor": 1}
    assert list(report.check_counts.items()) == [("numbers", 1), ("typography", 1), ("untranslated", 1)]
    assert report.flagged_count == 3 and report.segment_count == 5


def test_identical_revisions_read_as_no_difference_with_p_1() -> None:
    base = scored(SOURCES, REFERENCES, REFERENCES, metrics=("bleu",))
    same = compare_runs(base, base)
    result = same.metrics["bleu"]
    assert result.delta == 0 and result.verdict == "no difference"
    assert result.p_value == 1.0
    assert result.significance.p_value == result.significance.p_bootstrap < 0.05  # sacrebleu's for a zero difference
    line = significance_line(result)
    assert "p = 1.0000" in line and line.endswith(": no difference")
    assert "0.0010" not in line and "significant" not in line


def test_files_that_no_metric_could_score_compare_flags_and_say_why(monkeypatch: pytest.MonkeyPatch) -> None:
    import tqe.pipeline

    def unscored(source, translation, references, **_: object) -> ScoreResult:
        segments = build_segments(SOURCES, REFERENCES, [], segmentation="lines")
        skipped = {
            "bleu": "bleu needs a reference translation (-r FILE)",
            "chrf": "chrf needs a reference translation (-r FILE)",
            "comet": "COMET model m is not in the Hugging Face cache",
        }
        return ScoreResult(segments, {}, skipped)

    monkeypatch.setattr(tqe.pipeline, "score", unscored)
    comparison = compare_files(SAMPLES / "source.en.txt", SAMPLES / "translation.v1.fr.txt",
                               SAMPLES / "translation.v2.fr.txt")
    assert comparison.metrics == {}
    assert comparison.notes[0] == (
        "No scores: bleu and chrf need a reference (-r FILE); "
        "comet skipped: COMET model m is not in the Hugging Face cache."
    )
    assert "No metric scored these revisions: only their flags are compared." in comparison.notes


def test_compare_files_flags_each_file_once_with_the_given_config(monkeypatch: pytest.MonkeyPatch) -> None:
    import tqe.flag
    from tqe.config import FlagConfig

    seen: list[object] = []
    original = tqe.flag.flag_segments

    def counting(segments, config, *args, **kwargs):
        seen.append(config)
        return original(segments, config, *args, **kwargs)

    monkeypatch.setattr(tqe.flag, "flag_segments", counting)
    config = FlagConfig()
    comparison = compare_files(SAMPLES / "source.en.txt", SAMPLES / "translation.v1.fr.txt",
                               SAMPLES / "translation.v2.fr.txt", [SAMPLES / "reference.fr.txt"],
                               metrics=["bleu"], segmentation="lines", flag_config=config)
    assert seen == [config, config]
    assert all(item is config for item in seen)
    assert "new_flags" in comparison.segments.columns

    seen.clear()
    compare_files(SAMPLES / "source.en.txt", SAMPLES / "translation.v1.fr.txt",
                  SAMPLES / "translation.v2.fr.txt", [SAMPLES / "reference.fr.txt"],
                  metrics=["bleu"], segmentation="lines")
    assert len(seen) == 2  # flags stay on without a config: default thresholds


def test_gate_fails_a_collapse_that_cannot_be_tested() -> None:
    good = scored(SOURCES, REFERENCES, REFERENCES)
    empty = ScoreResult(segments=good.segments.iloc[0:0],
                        metrics={n: replace(m, corpus_score=0.0, segment_scores=[]) for n, m in good.metrics.items()},
                        skipped={})
    comparison = compare_runs(good, empty)
    assert {m.verdict for m in comparison.metrics.values()} == {"not tested"}
    found = regressions(comparison)
    assert [r.message for r in found] == [
        "B has no segments (A has 5): nothing in B could be scored or tested",
        "bleu dropped from 100 to 0, more than 1 point, and significance could not be tested (no segment in common)",
        "chrf dropped from 100 to 0, more than 1 point, and significance could not be tested (no segment in common)",
    ]
    assert [r.metric for r in regressions(comparison, GateOptions(require_significant=False))] == ["segments", "bleu", "chrf"]
    assert regressions(compare_runs(empty, good)) == []  # from nothing to something is no regression


def test_gate_ignores_a_small_untested_drop() -> None:
    good = scored(SOURCES, REFERENCES, REFERENCES)
    slightly = replace(good, metrics={n: replace(m, corpus_score=m.corpus_score - 0.5) for n, m in good.metrics.items()})
    untested = compare_runs(good, slightly)
    untested = replace(untested, metrics={n: replace(m, significance=None, not_tested_reason="no references")
                                          for n, m in untested.metrics.items()})
    assert regressions(untested) == []
    far = replace(untested, metrics={n: replace(m, score_b=m.score_a - 5) for n, m in untested.metrics.items()})
    assert [r.metric for r in regressions(far)] == ["bleu", "chrf"]


def test_tqe_compare_is_the_public_compare_function_and_the_package() -> None:
    import tqe
    import tqe.compare.gate  # importing a module of the package keeps tqe.compare callable

    old = scored(SOURCES, ["Le réservoir est plein.", "Il a plu.", "Les pompes.", "L'eau.", "Le conseil."],
                 REFERENCES)
    new = scored(SOURCES, REFERENCES, REFERENCES)
    comparison = tqe.compare(old, new, label_a="v1", label_b="v2")
    assert (comparison.label_a, comparison.label_b) == ("v1", "v2")
    assert comparison.metrics["bleu"].delta > 0
    assert tqe.compare.regressions(comparison) == []
    assert "compare" in dir(tqe)


def test_compare_never_loads_the_scoring_pipeline() -> None:
    import subprocess
    import sys

    code = "import sys, tqe.compare, tqe.compare.ranking; print('tqe.pipeline' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parent.parent,
                          capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
