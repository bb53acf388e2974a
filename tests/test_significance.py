"""Paired significance against sacrebleu's own implementation on the same inputs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sacrebleu.significance import PairedTest, _paired_ar_test, _paired_bs_test

from tqe.errors import CompareError
from tqe.metrics.lexical import _build
from tqe.significance import (
    BETTER,
    NO_DIFFERENCE,
    WORSE,
    MeanScorer,
    SignificanceOptions,
    paired_significance,
    sacrebleu_metric,
    score_significance,
    text_significance,
    verdict,
)

SAMPLES = Path(__file__).resolve().parent.parent / "references"


def _lines(name: str) -> list[str]:
    return (SAMPLES / name).read_text(encoding="utf-8").splitlines()


@pytest.fixture(autouse=True)
def _default_seed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SACREBLEU_SEED", raising=False)  # sacrebleu's default seed, 12345


@pytest.mark.parametrize(
    "metric, kind, options",
    [("bleu", "bleu", {}), ("chrf", "chrf", {}), ("chrf++", "chrf", {"word_order": 2}), ("ter", "ter", {})],
)
@pytest.mark.parametrize("test_type", ["bs", "ar"])
def test_p_values_equal_sacrebleu_paired_test(metric, kind, options, test_type) -> None:
    reference = _lines("reference.fr.txt")
    baseline = _lines("translation.v1.fr.txt")
    system = _lines("translation.v2.fr.txt")
    _, scores = PairedTest([("v1", baseline), ("v2", system)], {metric: _build(kind, options)}, [reference], test_type=test_type)()
    (name,) = [key for key in scores if key != "System"]
    expected = scores[name][1]

    ours = text_significance(metric, baseline, system, [reference], options=SignificanceOptions(test=test_type))

    assert ours.p_value == expected.p_value
    assert ours.score_b == expected.score
    assert ours.score_a == scores[name][0].score
    assert ours.segments == len(reference)


def test_bootstrap_interval_brackets_the_delta() -> None:
    reference = _lines("reference.fr.txt")
    result = text_significance("chrf", _lines("translation.v1.fr.txt"), _lines("translation.v2.fr.txt"), [reference])
    assert result.ci_low < result.delta < result.ci_high
    assert result.bootstrap_samples == 1000 and result.randomization_trials == 10000


class _MeanMetric:
    """A sacrebleu-shaped metric whose 'hypotheses' are segment indices into fixed scores."""

    def __init__(self, scores_by_system: dict[str, list[float]]) -> None:
        self.scores_by_system = scores_by_system

    def _extract_corpus_statistics(self, hypotheses, references):
        system, _ = hypotheses[0].split(":")
        return [[self.scores_by_system[system][int(h.split(":")[1])], 1.0] for h in hypotheses]

    def _compute_score_from_stats(self, stats):
        return _Score(float(stats[0] / stats[1]))

    def _aggregate_and_compute(self, stats):
        total = np.asarray(stats, dtype=float).sum(axis=0)
        return _Score(float(total[0] / total[1]))


class _Score:
    def __init__(self, score: float) -> None:
        self.score = score


def test_mean_metric_tests_follow_sacrebleu_algorithms() -> None:
    rng = np.random.default_rng(7)
    scores_a = list(rng.uniform(0.5, 0.9, size=60))
    scores_b = [s + d for s, d in zip(scores_a, rng.normal(0.02, 0.05, size=60))]
    fake = _MeanMetric({"a": scores_a, "b": scores_b})
    hyps_a = [f"a:{i}" for i in range(60)]
    hyps_b = [f"b:{i}" for i in range(60)]
    stats_a = fake._extract_corpus_statistics(hyps_a, None)
    from sacrebleu.significance import Result

    baseline = {"comet": (stats_a, Result(fake._aggregate_and_compute(stats_a).score))}
    _, bs = _paired_bs_test(baseline, "b", hyps_b, None, {"comet": fake}, 1000, -1, 12345)
    _, ar = _paired_ar_test(baseline, "b", hyps_b, None, {"comet": fake}, 10000, -1, 12345)

    ours = score_significance("comet", scores_a, scores_b)

    assert ours.p_bootstrap == bs["comet"].p_value
    assert ours.p_randomization == ar["comet"].p_value
    assert ours.score_b == pytest.approx(float(np.mean(scores_b)))
    assert ours.delta > 0


def test_identical_systems_are_not_different() -> None:
    scores = [0.7, 0.8, 0.75, 0.6, 0.9]
    result = score_significance("comet", scores, scores)
    assert result.delta == 0
    # sacrebleu counts resampled differences strictly above the real one, so identical
    # systems get its smallest p-value; the verdict does not call a zero difference significant
    assert result.p_bootstrap == 1 / 1001 and result.p_randomization == 1 / 10001
    assert result.verdict == NO_DIFFERENCE


def test_clear_drop_is_worse_and_ter_direction_is_reversed() -> None:
    good = [0.9] * 40 + [0.8] * 40
    bad = [s - 0.3 for s in good]
    assert score_significance("comet", good, bad).verdict == WORSE
    assert score_significance("comet", bad, good).verdict == BETTER
    assert verdict("ter", -5.0, 0.001) == BETTER
    assert verdict("ter", 5.0, 0.001) == WORSE
    assert verdict("bleu", 5.0, 0.2) == NO_DIFFERENCE


def test_test_choice_picks_the_p_value() -> None:
    stats = [[0.5, 1.0], [0.6, 1.0], [0.7, 1.0]]
    other = [[0.4, 1.0], [0.7, 1.0], [0.9, 1.0]]
    bs = paired_significance("comet", stats, other, MeanScorer(), SignificanceOptions(test="bs"))
    ar = paired_significance("comet", stats, other, MeanScorer(), SignificanceOptions(test="ar"))
    assert bs.p_value == bs.p_bootstrap and ar.p_value == ar.p_randomization
    with pytest.raises(ValueError):
        paired_significance("comet", stats, other, MeanScorer(), SignificanceOptions(test="t"))


def test_stored_signature_must_match_the_rebuilt_metric() -> None:
    metric = sacrebleu_metric("bleu")
    metric.num_refs = 1
    signature = str(metric.get_signature())
    assert sacrebleu_metric("bleu", signature) is not None
    with pytest.raises(CompareError, match="bleu"):
        sacrebleu_metric("bleu", signature.replace("tok:13a", "tok:intl"))
