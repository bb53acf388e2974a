"""Ranking several systems at once: sacrebleu's multi-system paired tests, ranks, clusters."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from sacrebleu.significance import PairedTest

from tqe.cli import cli
from tqe.metrics.lexical import _build
from tqe.compare import ranking
from tqe.compare.ranking import disagreements, rank_metric
from tqe.pipeline import score
from tqe.significance import MeanScorer, SignificanceOptions
from tqe.report.ranking import ranking_html, ranking_markdown

SAMPLES = Path(__file__).resolve().parent.parent / "references"
SOURCE, REFERENCE = SAMPLES / "source.en.txt", SAMPLES / "reference.fr.txt"
SYSTEMS = [SAMPLES / f"translation.v{n}.fr.txt" for n in (1, 2, 3)]



def rank_files(source, translations, references, *, metrics=None, segmentation="sentences", test="bs"):
    """Score each file as ``tqe compare A B C --source`` does, then rank them."""

    def score_file(path):
        return score(source, path, references, metrics=metrics, segmentation=segmentation, flags=True)

    return ranking.rank_files(score_file, translations, metrics=metrics, options=SignificanceOptions(test=test))


@pytest.fixture(autouse=True)
def _default_seed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SACREBLEU_SEED", raising=False)


@pytest.mark.parametrize("test", ["bs", "ar"])
@pytest.mark.parametrize(("metric", "kind"), [("bleu", "bleu"), ("chrf", "chrf"), ("ter", "ter")])
def test_every_system_equals_sacrebleu_multi_system_paired_test(metric: str, kind: str, test: str) -> None:
    ranking = rank_files(SOURCE, SYSTEMS, [REFERENCE], metrics=[metric], segmentation="lines", test=test)
    lines = [path.read_text(encoding="utf-8").splitlines() for path in SYSTEMS]
    reference = REFERENCE.read_text(encoding="utf-8").splitlines()
    _, scores = PairedTest([(p.name, l) for p, l in zip(SYSTEMS, lines)], {metric: _build(kind, {})}, [reference],
                           test_type=test)()
    (column,) = [key for key in scores if key != "System"]
    ours = {s.system: s for s in ranking.metrics[metric].systems}
    for path, theirs in zip(SYSTEMS, scores[column]):
        mine = ours[path.name]
        assert mine.score == pytest.approx(theirs.score, abs=1e-9)
        assert mine.p_value == theirs.p_value  # None for the baseline
        if test == "bs":
            assert (mine.mean, mine.ci) == pytest.approx((theirs.mean, theirs.ci), abs=1e-9)


def test_ranks_and_clusters_follow_scores_and_significance() -> None:
    rng = np.random.default_rng(7)
    base = rng.uniform(0.4, 0.9, 300)
    noise = 0.05 * rng.standard_normal(300)
    systems = {
        "a": base,
        "b": base + noise - noise.mean() + 0.001,  # a's mean plus 0.001, with noise: not significant
        "c": base - 0.2,  # clearly worse
        "d": base + 0.15,  # clearly better
    }
    stats = [np.column_stack([scores, np.ones_like(scores)]) for scores in systems.values()]
    result = rank_metric("comet", list(systems), stats, MeanScorer())
    by_name = {s.system: s for s in result.systems}
    assert by_name["d"].rank == 1 and by_name["c"].rank == 4
    assert by_name["d"].cluster == 1 and by_name["a"].cluster == by_name["b"].cluster == 2 and by_name["c"].cluster == 3
    assert by_name["a"].p_value is None and by_name["c"].p_value < 0.05 and by_name["b"].p_value >= 0.05


def test_ter_ranks_lower_first() -> None:
    ranking = rank_files(SOURCE, SYSTEMS, [REFERENCE], metrics=["ter"], segmentation="lines")
    ranked = ranking.metrics["ter"].ranked()
    assert [s.score for s in ranked] == sorted(s.score for s in ranked)


def test_cli_ranks_three_files_as_strict_json_and_gates_on_the_last_two() -> None:
    args = ["compare", SYSTEMS[1], SYSTEMS[2], SYSTEMS[0], "--source", SOURCE, "-r", REFERENCE, "-m", "bleu,chrf", "-f", "json", "-q"]
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout, parse_constant=lambda token: pytest.fail(f"not JSON: {token}"))
    assert record["baseline"] == "translation.v2.fr.txt"
    ranked = [s["system"] for s in record["metrics"]["bleu"]["systems"]]
    assert ranked[0] == "translation.v3.fr.txt" and ranked[-1] == "translation.v1.fr.txt"
    assert [s["rank"] for s in record["metrics"]["bleu"]["systems"]] == [1, 2, 3]
    gate = CliRunner().invoke(cli, [str(a) for a in [*args, "--fail-on-regression"]])
    assert gate.exit_code == 3  # the last two: v3 -> v1 is a significant drop
    assert "Regression: bleu dropped from" in gate.stderr


def test_html_page_has_the_ranking_chart_and_disagreements_escaped(tmp_path: Path) -> None:
    ranking = rank_files(SOURCE, SYSTEMS, [REFERENCE], metrics=["bleu", "chrf"])
    page = ranking_html(ranking)
    assert page.count('<svg class="ci"') == 2
    top = disagreements(ranking)
    assert len(top) == 10 and list(top["spread"]) == sorted(top["spread"], reverse=True)
    assert "Where the systems disagree most" in page and "<del>" in page
    assert "<script" not in page
    markdown = ranking_markdown(ranking)
    assert re.search(r"\| 1 \| 1 \| translation\.v3\.fr\.txt \|", markdown)


def test_ranking_needs_files_or_runs_not_a_mix(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["compare", str(SYSTEMS[0]), str(SYSTEMS[1]), "latest", "--db", str(tmp_path / "h.db")])
    assert result.exit_code == 2 and "not a mix" in result.output


def test_revisions_range_ranks_saved_runs_in_order(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    for label, path in (("r1", SYSTEMS[0]), ("r2", SYSTEMS[1]), ("r3", SYSTEMS[2])):
        saved = CliRunner().invoke(cli, ["score", str(SOURCE), str(path), "-r", str(REFERENCE), "-m", "bleu", "--save",
                                         "--revision", label, "--db", str(db), "-q", "-o", str(tmp_path / f"{label}.json")])
        assert saved.exit_code == 0, saved.output
    result = CliRunner().invoke(cli, ["compare", "--revisions", "r1..r3", "--db", str(db), "-f", "json", "-q"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["baseline"] == "r1" and sorted(record["systems"]) == ["r1", "r2", "r3"]
    assert [s["system"] for s in record["metrics"]["bleu"]["systems"]] == ["r3", "r2", "r1"]
    two = CliRunner().invoke(cli, ["compare", "--revisions", "r2..r3", "--db", str(db), "-f", "json", "-q"])
    assert two.exit_code == 0 and json.loads(two.stdout)["a"] == "#2 (r2)"
    bad = CliRunner().invoke(cli, ["compare", "--revisions", "r1", "--db", str(db)])
    assert bad.exit_code == 2 and "'r1' is not FIRST..LAST" in bad.output
