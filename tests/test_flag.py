"""The flag policy: checks plus absolute and document-relative score thresholds."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from tqe.config import FlagConfig, MetricThreshold
from tqe.errors import InputError
from tqe.flag import (
    SEVERITIES,
    flag_segments,
    score_flags,
)

DATA = Path(__file__).parent / "data"


def segments(rows: list[tuple[str, str, str]], **metrics: list[float]) -> pd.DataFrame:
    """A segments table from (link, source, translation) rows and metric columns."""
    table = pd.DataFrame(
        {
            "id": [f"1.{number}" for number in range(1, len(rows) + 1)],
            "paragraph": [1] * len(rows),
            "link": [link for link, _, _ in rows],
            "source": [source for _, source, _ in rows],
            "translation": [translation for _, _, translation in rows],
            "references": [()] * len(rows),
        }
    )
    for name, values in metrics.items():
        table[name] = values
    return table


CLEAN = ("1-1", "The plant is open.", "L'usine est ouverte.")


def chrf_scores() -> list[float]:
    """Twenty scores around 60 with one weak (30) and one unusual (44) segment."""
    scores = [58.0, 59.0, 60.0, 61.0, 62.0] * 4
    scores[3], scores[7] = 30.0, 44.0
    return scores


def test_absolute_and_robust_z_thresholds() -> None:
    threshold = MetricThreshold("chrf", below=40, robust_z=-3)
    flags = score_flags(chrf_scores(), threshold)
    flagged = {index: flag for index, flag in enumerate(flags) if flag is not None}
    assert set(flagged) == {3, 7}
    assert flagged[3].check == "chrf-score" and flagged[3].severity == "major"
    assert "chrF 30.0 is below 40.0" in flagged[3].message and "robust z" in flagged[3].message
    assert flagged[7].severity == "minor"
    assert "far below this document's median 59.5" in flagged[7].message


def test_robust_z_matches_the_modified_z_score_formula() -> None:
    scores = [40.0, 50.0, 60.0, 70.0, 80.0] * 4  # spread wide enough that no floor applies
    scores[7] = 10.0
    median = float(pd.Series(scores).median())
    mad = float((pd.Series(scores) - median).abs().median())
    expected_z = 0.6745 * (10.0 - median) / mad  # Iglewicz and Hoaglin's modified z-score
    flag = score_flags(scores, MetricThreshold("chrf", robust_z=-3))[7]
    assert flag is not None and f"(robust z {expected_z:+.1f})" in flag.message


def test_percentile_flags_the_bottom_share() -> None:
    scores = [float(score) for score in range(50, 70)]  # 20 distinct scores
    flags = score_flags(scores, MetricThreshold("chrf", percentile=10))
    assert [index for index, flag in enumerate(flags) if flag] == [0, 1]
    assert "worst 10%" in flags[0].message


def test_percentile_does_not_flag_a_tied_majority() -> None:
    scores = [0.0] * 12 + [20.0, 30.0, 40.0]  # sentence BLEU is often 0
    assert not any(score_flags(scores, MetricThreshold("bleu", percentile=5)))


def test_relative_thresholds_wait_for_enough_segments() -> None:
    scores = [60.0, 61.0, 62.0, 59.0, 10.0]
    flags = score_flags(scores, MetricThreshold("chrf", robust_z=-3, percentile=20), min_segments=10)
    assert flags == [None] * 5
    flags = score_flags(scores, MetricThreshold("chrf", below=40, robust_z=-3), min_segments=10)
    assert [bool(flag) for flag in flags] == [False, False, False, False, True]


def test_ter_is_worse_when_higher() -> None:
    scores = [30.0, 31.0, 29.0, 32.0, 28.0] * 4
    scores[5] = 90.0
    flags = score_flags(scores, MetricThreshold("ter", above=80, robust_z=-3))
    [index] = [index for index, flag in enumerate(flags) if flag]
    assert index == 5
    assert flags[5].severity == "major"
    assert "TER 90.0 is above 80.0" in flags[5].message and "far above" in flags[5].message


def test_nan_scores_are_never_flagged() -> None:
    flags = score_flags([math.nan] * 12 + [0.1], MetricThreshold("comet", below=0.6, robust_z=-3))
    assert flags[:12] == [None] * 12 and flags[12] is not None


def test_identical_scores_give_no_relative_flags() -> None:
    assert not any(score_flags([70.0] * 15, MetricThreshold("chrf", robust_z=-3)))


def test_flag_segments_adds_sorted_flags_and_keeps_the_input() -> None:
    rows = [CLEAN] * 11 + [("1-1", "50,000 people say so: is it true?", "5 000 personnes le disent: c'est vrai.")]
    table = segments(rows, chrf=[60.0] * 11 + [20.0])
    flagged = flag_segments(table, FlagConfig())
    assert "flags" not in table.columns  # a copy: the input is unchanged
    assert list(flagged.columns) == [*table.columns, "flags"]
    assert flagged["flags"].iloc[0] == []
    last = flagged["flags"].iloc[-1]
    assert [flag.severity for flag in last] == sorted(
        (flag.severity for flag in last), key=SEVERITIES.index
    )
    checks = [flag.check for flag in last]
    assert {"numbers", "end-punctuation", "typography", "chrf-score"} <= set(checks)
    assert last[-1].severity == "minor"
    assert set(last[0].to_dict()) == {"check", "severity", "message"} and not last[0].waived


def test_omission_and_addition_links() -> None:
    rows = [CLEAN, ("1-0", "This sentence was dropped.", ""), ("0-1", "", "Une phrase ajoutée.")]
    flagged = flag_segments(segments(rows), FlagConfig())
    assert [flag.check for flag in flagged["flags"].iloc[1]] == ["empty"]
    assert flagged["flags"].iloc[1][0].severity == "critical"
    assert [flag.check for flag in flagged["flags"].iloc[2]] == ["addition"]


def test_disabled_checks_and_scores() -> None:
    rows = [("1-1", "Is it true?", "C'est vrai.")] * 2
    table = segments(rows, chrf=[10.0, 90.0])
    config = FlagConfig(disabled_checks=frozenset({"end-punctuation", "consistency", "scores"}))
    assert all(flags == [] for flags in flag_segments(table, config)["flags"])
    only_numbers = FlagConfig(enabled_checks=frozenset({"numbers"}), disabled_checks=frozenset({"chrf-score"}))
    assert all(flags == [] for flags in flag_segments(table, only_numbers)["flags"])


def test_metric_columns_limit_score_flags() -> None:
    table = segments([CLEAN] * 2, chrf=[10.0, 90.0], comet=[0.1, 0.9])
    flagged = flag_segments(table, FlagConfig(), metric_columns=["comet"])
    assert [flag.check for flag in flagged["flags"].iloc[0]] == ["comet-score"]
    flagged = flag_segments(table, FlagConfig())
    assert [flag.check for flag in flagged["flags"].iloc[0]] == ["chrf-score", "comet-score"]


def test_severity_override() -> None:
    rows = [("1-1", "Is it true?", "Est-ce vrai?")]
    config = FlagConfig(severities={"typography": "major"})
    [flag] = flag_segments(segments(rows), config)["flags"].iloc[0]
    assert (flag.check, flag.severity) == ("typography", "major")


def test_glossary_files_from_the_config(tmp_path: Path) -> None:
    dnt = tmp_path / "dnt.txt"
    dnt.write_text("AquaTrack\n", encoding="utf-8")
    rows = [("1-1", "The AquaTrack water main broke.", "La conduite d'eau Aquatrack a cédé.")]
    config = FlagConfig(glossary_path=DATA / "glossary.tsv", dnt_path=dnt)
    checks = [flag.check for flag in flag_segments(segments(rows), config)["flags"].iloc[0]]
    assert checks == ["glossary", "dnt"]


def test_missing_glossary_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="glossary file not found"):
        flag_segments(segments([CLEAN]), FlagConfig(glossary_path=tmp_path / "nope.tsv"))


def test_flags_per_segment_with_severities() -> None:
    rows = [CLEAN, ("1-0", "Dropped.", ""), ("1-1", "Is it 5?", "C'est 6.")]
    flagged = flag_segments(segments(rows), FlagConfig())
    found = [[(flag.check, flag.severity) for flag in flags] for flags in flagged["flags"]]
    assert found == [[], [("empty", "critical")], [("numbers", "major"), ("end-punctuation", "major")]]


def test_robust_z_needs_a_real_spread():
    """Nearly all segments at 100: an 88 is not 'far below the median'."""
    from tqe.config import MetricThreshold
    from tqe.flag import score_flags

    scores = [100.0] * 9 + [99.0, 98.0, 97.0, 88.0]
    flags = score_flags(scores, MetricThreshold("chrf", robust_z=-3.0), min_segments=10)
    assert flags == [None] * len(scores)
    flags = score_flags(scores + [40.0], MetricThreshold("chrf", robust_z=-3.0), min_segments=10)
    assert flags[-1] is not None and "robust z" in flags[-1].message
