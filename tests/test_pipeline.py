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
