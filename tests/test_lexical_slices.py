"""Statistics extracted in slices (bounded memory on long documents) and segment scores computed
by the workers give the numbers of one extraction in one process."""

from __future__ import annotations

import pytest

from tqe.metrics import lexical

HYPS = [
    "Le conseil a approuvé un budget de 50 000 euros pour 2025.",
    "Les travaux commenceront en mars, selon la mairie.",
    "",
    "La ville « verte » compte 3,5 km de pistes cyclables !",
    "Mme Martin a présenté le rapport ; il a été adopté.",
] * 7
REFS = [
    "Le conseil a adopté un budget de 50 000 euros pour 2025.",
    "Selon la mairie, les travaux débuteront en mars.",
    "Une phrase omise.",
    "La ville « verte » compte 3,5 km de pistes cyclables !",
    "Mme Martin a présenté le rapport, qui a été adopté.",
] * 7


@pytest.mark.parametrize("metric", [lexical.Bleu, lexical.Chrf, lexical.ChrfPlusPlus])
def test_slices_and_workers_give_the_numbers_of_one_extraction(metric, monkeypatch: pytest.MonkeyPatch) -> None:
    whole = metric(workers=1).compute(None, HYPS, [REFS])
    monkeypatch.setattr(lexical, "EXTRACTION_SLICE", 4)
    sliced = metric(workers=1)
    assert sliced.statistics(HYPS, [REFS]) == metric(workers=1).statistics(HYPS[:4], [REFS[:4]]) + \
        sliced.statistics(HYPS[4:], [REFS[4:]])
    assert sliced.compute(None, HYPS, [REFS]) == whole
    monkeypatch.setattr(lexical, "PARALLEL_MIN_SEGMENTS", 10)
    parallel = metric(workers=2).compute(None, HYPS, [REFS])
    assert parallel == whole


def test_a_long_document_is_cut_into_bounded_slices(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lexical, "EXTRACTION_SLICE", 4)
    jobs = lexical._jobs("bleu", {}, HYPS, [REFS], workers=2)
    assert [len(job[2]) for job in jobs] == [4] * 8 + [3]
    assert [text for job in jobs for text in job[2]] == HYPS
    assert [text for job in jobs for text in job[3][0]] == REFS
