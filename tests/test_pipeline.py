"""The library's run: tqe.score's keyword API and tqe.pipeline.run with a RunConfig agree,
and the result records the settings, inputs and applied thresholds."""

from __future__ import annotations

from pathlib import Path

import pytest

import tqe
from tqe.config import CometSettings, FlagConfig, RunConfig
from tqe.errors import ConfigError, MetricError
from tqe.pipeline import run

SOURCE = ["The council approved the budget.", "Work starts in March.", "Thank you."]
TRANSLATION = ["Le conseil a approuvé le budget.", "Les travaux débutent en mars.", "Merci."]
REFERENCE = ["Le conseil a adopté le budget.", "Les travaux commencent en mars.", "Merci beaucoup."]


@pytest.fixture
def files(tmp_path: Path) -> dict[str, str]:
    paths = {}
    for name, lines in (("source", SOURCE), ("translation", TRANSLATION), ("reference", REFERENCE)):
        path = tmp_path / f"{name}.txt"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths[name] = str(path)
    return paths


def test_keyword_api_builds_the_run_config_run_takes(files: dict[str, str]) -> None:
    flag_config = FlagConfig().with_threshold("chrf", below=70)
    result = tqe.score(files["source"], Path(files["translation"]), [files["reference"]], metrics=["bleu", "chrf"],
                       segmentation="lines", flag_config=flag_config)
    config = RunConfig(files["source"], files["translation"], (files["reference"],), metrics=("bleu", "chrf"),
                       segmentation="lines", flag_config=flag_config)
    assert result.config == config
    assert result.inputs == {"source": files["source"], "translation": files["translation"],
                             "reference": files["reference"]}
    assert result.thresholds == {"chrf": 70.0}
    again = run(config)
    assert again.segments.equals(result.segments)
    assert again.corpus == result.corpus
    low = [segment for segment, score in zip(result.segments["flags"], result.segments["chrf"]) if score < 70]
    assert low and all(any(flag.check == "chrf-score" for flag in flags) for flags in low)


def test_result_records_no_threshold_where_score_flags_did_not_run(files: dict[str, str]) -> None:
    args = (files["source"], files["translation"], [files["reference"]])
    strict = FlagConfig().with_threshold("chrf", below=101)
    off = tqe.score(*args, metrics=["chrf"], flag_config=strict.with_overrides(disabled_checks={"scores"}))
    assert off.thresholds == {} and not any(flag.check == "chrf-score" for flags in off.segments["flags"]
                                            for flag in flags)
    unflagged = tqe.score(*args, metrics=["chrf"], flag_config=strict, flags=False)
    assert unflagged.thresholds == {} and "flags" not in unflagged.segments
    assert unflagged.config.flags is False


def test_comet_options_become_comet_settings(files: dict[str, str]) -> None:
    result = tqe.score(files["source"], files["translation"], [files["reference"]], metrics=["chrf"], flags=False,
                       metric_options={"comet": {"model": "some/model", "batch_size": 2}})
    assert result.config.comet == CometSettings(model="some/model", batch_size=2)
    with pytest.raises(MetricError, match="bleu takes no options; only comet does"):
        tqe.score(files["source"], files["translation"], metric_options={"bleu": {"tokenize": "intl"}})
    with pytest.raises(ConfigError, match="the COMET batch size must be a whole number of at least 1, not 0"):
        tqe.score(files["source"], files["translation"], metric_options={"comet": {"batch_size": 0}})


def test_bad_settings_fail_before_any_reading(tmp_path: Path) -> None:
    missing = str(tmp_path / "missing.txt")
    with pytest.raises(ConfigError, match="give source and translation files, or a table"):
        tqe.score(missing)
    with pytest.raises(MetricError, match="unknown metric 'blue'"):
        run(RunConfig(missing, missing, metrics=("blue",)))
    with pytest.raises(TypeError):
        tqe.score(missing, missing, metric=["bleu"])  # a misspelt setting is not ignored


def _long_document(count: int):
    import pandas as pd

    return pd.DataFrame({
        "id": [str(i) for i in range(count)],
        "paragraph": list(range(count)),
        "link": ["1-1"] * count,
        "source": [SOURCE[i % 3] + f" {i}" for i in range(count)],
        "translation": [TRANSLATION[i % 3] + f" {i}" for i in range(count)],
        "references": [(REFERENCE[i % 3] + f" {i % 7}",) for i in range(count)],
    })


def test_lexical_metrics_work_in_one_pool_while_meanwhile_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Both metrics' slices are handed to the workers first; ``meanwhile`` runs while they
    work (no slice has been gathered yet); the results are those of one process."""
    from tqe.metrics import lexical
    from tqe.pipeline import score_segments

    monkeypatch.setattr(lexical, "PARALLEL_MIN_SEGMENTS", 10)
    segments = _long_document(40)
    events: list[object] = []
    options = {"bleu": {"workers": 2}, "chrf": {"workers": 2}}
    spread = score_segments(segments, ["bleu", "chrf"], metric_options=options,
                            progress=lambda name, done, total: events.append((name, done)),
                            meanwhile=lambda: events.append("meanwhile"))
    assert events.count("meanwhile") == 1
    before = events[: events.index("meanwhile")]
    assert before == [("bleu", 0), ("chrf", 0)]  # started, nothing gathered
    assert events[-1] == ("chrf", 40) and ("bleu", 40) in events
    single = score_segments(segments, ["bleu", "chrf"], metric_options={"bleu": {"workers": 1}, "chrf": {"workers": 1}})
    for name in ("bleu", "chrf"):
        assert spread.metrics[name] == single.metrics[name]


def test_an_error_while_the_workers_run_stops_them_and_is_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    from tqe.errors import InputError
    from tqe.metrics import lexical
    from tqe.pipeline import score_segments

    monkeypatch.setattr(lexical, "PARALLEL_MIN_SEGMENTS", 10)

    def bad_glossary() -> None:
        raise InputError("glossary.tsv line 3: no French term")

    with pytest.raises(InputError, match="glossary.tsv"):
        score_segments(_long_document(40), ["bleu", "chrf"], metric_options={"bleu": {"workers": 2}},
                       meanwhile=bad_glossary)


def test_a_run_prepares_its_checks_while_scoring_and_flags_as_flag_segments(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from tqe import flag
    from tqe.flag import flag_segments
    from tqe.metrics import lexical
    from tqe.pipeline import score_segments

    monkeypatch.setattr(lexical, "PARALLEL_MIN_SEGMENTS", 10)
    document = _long_document(60)
    paths = {}
    for name, column in (("source", "source"), ("translation", "translation")):
        paths[name] = tmp_path / f"{name}.txt"
        paths[name].write_text("\n".join(document[column]) + "\n", encoding="utf-8")
    paths["reference"] = tmp_path / "reference.txt"
    paths["reference"].write_text("\n".join(refs[0] for refs in document["references"]) + "\n", encoding="utf-8")
    prepared = []
    original = flag.prepare_checks
    monkeypatch.setattr(flag, "prepare_checks", lambda *args: prepared.append(original(*args)) or prepared[-1])
    result = tqe.score(paths["source"], paths["translation"], [paths["reference"]], metrics=["bleu", "chrf"],
                       segmentation="lines")
    assert len(prepared) == 1
    alone = flag_segments(score_segments(result.segments.drop(columns=["flags"]), ["bleu", "chrf"]).segments,
                          FlagConfig(), ["bleu", "chrf"])
    assert list(result.segments["flags"]) == list(alone["flags"])
    assert any(result.segments["flags"])
