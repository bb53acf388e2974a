"""reference-length: omissions and additions seen against the reference translation."""

from __future__ import annotations

import pandas as pd

from tqe.checks.reference import check_reference_length
from tqe.config import FlagConfig
from tqe.flag import flag_segments

REFERENCE = (
    "Les nouvelles normes de qualité de l'eau entreront en vigueur en 2026 et imposeront des contrôles "
    "trimestriels des polluants émergents, que la réglementation actuelle ne couvre pas encore."
)
OMISSION = (
    "Les nouvelles normes de qualité de l'eau entreront en vigueur en 2026 et imposeront des contrôles "
    "trimestriels des polluants émergents."
)


def test_omitted_clause_is_flagged():
    (flag,) = check_reference_length(OMISSION, [REFERENCE])
    assert (flag.check, flag.severity) == ("reference-length", "minor")
    assert "shorter than the reference" in flag.message and "omission" in flag.message


def test_addition_is_flagged():
    longer = REFERENCE + " Cette mesure, attendue depuis longtemps, sera saluée par les associations."
    (flag,) = check_reference_length(longer, [REFERENCE])
    assert "longer than the reference" in flag.message


def test_paraphrase_and_short_sentences_are_not_flagged():
    assert check_reference_length(REFERENCE, [REFERENCE]) == []
    assert check_reference_length("Merci à tous nos employés.", ["Nous remercions chaleureusement tous nos employés."]) == []
    assert check_reference_length(OMISSION, []) == []
    assert check_reference_length("", [REFERENCE]) == []


def test_closest_of_several_references_counts():
    assert check_reference_length(OMISSION, [REFERENCE, OMISSION + " Voilà."]) == []


def _segments():
    return pd.DataFrame(
        {"id": ["1.1"], "paragraph": [1], "link": ["1-1"],
         "source": ["The new water quality standards take effect in 2026 and require quarterly testing for "
                    "emerging contaminants, which current regulations do not yet cover."],
         "translation": [OMISSION], "references": [(REFERENCE,)]}
    )


def test_flag_stage_runs_it_and_settings_control_it():
    checks = [f.check for f in flag_segments(_segments(), FlagConfig()).loc[0, "flags"]]
    assert "reference-length" in checks
    quiet = flag_segments(_segments(), FlagConfig(disabled_checks=frozenset({"reference-length"})))
    assert "reference-length" not in [f.check for f in quiet.loc[0, "flags"]]
    major = flag_segments(_segments(), FlagConfig(severities={"reference-length": "major"}))
    assert [f.severity for f in major.loc[0, "flags"] if f.check == "reference-length"] == ["major"]
