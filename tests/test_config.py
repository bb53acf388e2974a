"""Flag settings from tqe.toml or [tool.tqe], command-line overrides, and clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from tqe.config import DEFAULT_THRESHOLDS, FlagConfig, MetricThreshold, load_config
from tqe.errors import ConfigError

TQE_TOML = """
[flags]
disable = ["typography"]
severity = { named-entities = "major" }
min_segments = 20

[flags.thresholds.chrf]
below = 40
percentile = 5

[flags.thresholds.ter]
above = 80
severity = "critical"

[glossary]
path = "references/glossary.tsv"
dnt = "references/dnt.txt"
"""


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_settings_file(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    assert config == FlagConfig()
    assert config.threshold("chrf") == MetricThreshold("chrf", below=40.0, robust_z=-3.0)
    assert config.threshold("comet").below == 0.6
    assert config.checks[0] == "empty" and "typography" in config.checks
    assert config.absolute_thresholds(["bleu", "chrf", "chrf++", "comet"]) == {"chrf": 40.0, "chrf++": 38.0, "comet": 0.6}
    assert config.with_overrides(disabled_checks=frozenset({"chrf-score"})).absolute_thresholds(["chrf", "comet"]) == {"comet": 0.6}


def test_tqe_toml(tmp_path: Path) -> None:
    write(tmp_path / "tqe.toml", TQE_TOML)
    config = load_config(tmp_path)
    assert config.origin == tmp_path / "tqe.toml"
    assert not config.check_enabled("typography") and config.check_enabled("numbers")
    assert config.severities == {"named-entities": "major"}
    assert config.min_segments == 20
    # a metric table replaces that metric's defaults; other metrics keep theirs
    assert config.threshold("chrf") == MetricThreshold("chrf", below=40, percentile=5)
    assert config.threshold("ter") == MetricThreshold("ter", above=80, severity="critical")
    assert config.threshold("comet") == {t.metric: t for t in DEFAULT_THRESHOLDS}["comet"]
    # paths are relative to the settings file
    assert config.glossary_path == (tmp_path / "references" / "glossary.tsv").resolve()
    assert config.dnt_path == (tmp_path / "references" / "dnt.txt").resolve()


def test_pyproject_tool_tqe(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n\n[tool.tqe.flags]\nenable = ["numbers", "empty"]\n')
    config = load_config(tmp_path)
    assert config.checks == ("empty", "numbers")
    assert config.origin == tmp_path / "pyproject.toml"


def test_pyproject_without_tool_tqe_gives_defaults(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n')
    assert load_config(tmp_path) == FlagConfig()


def test_tqe_toml_wins_over_pyproject_and_explicit_wins_over_both(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.tqe.flags]\ndisable = ["numbers"]\n')
    write(tmp_path / "tqe.toml", '[flags]\ndisable = ["typography"]\n')
    assert load_config(tmp_path).disabled_checks == {"typography"}
    explicit = write(tmp_path / "strict.toml", '[flags]\ndisable = ["brackets"]\n')
    assert load_config(tmp_path, explicit).disabled_checks == {"brackets"}
    assert load_config(tmp_path, tmp_path / "pyproject.toml").disabled_checks == {"numbers"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[flags\n", "is not valid TOML"),
        ("[flags]\ndisabled = []\n", "unknown key 'flags.disabled'"),
        ("[flagz]\n", "unknown key 'flagz'"),
        ("[flags.thresholds.chrf]\nbellow = 40\n", "unknown key 'flags.thresholds.chrf.bellow'"),
        ("[flags.thresholds.chrf]\nbelow = \"forty\"\n", "flags.thresholds.chrf.below must be a number"),
        ("[flags.thresholds.chrf]\nseverity = \"high\"\n", "flags.thresholds.chrf.severity must be one of critical, major, minor"),
        ("[flags.thresholds.chrf]\npercentile = 150\n", "percentile must be between 0 and 100"),
        ("[flags.thresholds.chrf]\nrobust_z = 3\n", "robust_z must be negative"),
        ("[flags.thresholds.chrff]\nbelow = 40\n", "unknown metric in [flags.thresholds.chrff]"),
        ("[flags]\ndisable = [\"typo\"]\n", "unknown check 'typo'"),
        ("[flags]\ndisable = \"typography\"\n", "flags.disable must be a list"),
        ("[flags]\nmin_segments = 1\n", "min_segments must be a whole number of at least 3"),
        ("[flags.severity]\ntypography = \"urgent\"\n", "severity of 'typography' must be one of"),
        ("[glossary]\npath = 3\n", "glossary.path must be a file path"),
        ("[flags]\nlength_ratio_z = nan\n", "length_ratio_z must be a finite positive number, not nan"),
        ("[flags]\nlength_ratio_z = -inf\n", "length_ratio_z must be a finite positive number, not -inf"),
        ("[flags]\nlength_min_chars = inf\n", "length_min_chars must be a whole number, not inf"),
        ("[flags.thresholds.chrf]\npercentile = nan\n", "flags.thresholds.chrf.percentile must be a finite number, not nan"),
        ("[flags.thresholds.bleu]\nrobust_z = -inf\n", "flags.thresholds.bleu.robust_z must be a finite number, not -inf"),
        ("[flags.thresholds.ter]\nabove = 1e999\n", "flags.thresholds.ter.above must be a finite number, not inf"),
        ("a = " + "[" * 50_000 + "]" * 50_000 + "\n", "tqe.toml is nested too deeply to read"),
        ("[flags]\nmin_segments = " + "1" * 5000 + "\n", "tqe.toml is not valid TOML: a number has more than"),
    ],
)
def test_bad_settings_give_one_line_naming_file_and_key(tmp_path: Path, text: str, expected: str) -> None:
    write(tmp_path / "tqe.toml", text)
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    message = str(caught.value)
    assert expected in message
    assert "tqe.toml" in message
    assert "\n" not in message


@pytest.mark.parametrize("raw", ["[flags]\nmin_segments = 20 # réglé\n".encode("latin-1"), "[flags]\n".encode("utf-16")])
def test_settings_file_that_is_not_utf8_is_one_line(tmp_path: Path, raw: bytes) -> None:
    (tmp_path / "tqe.toml").write_bytes(raw)
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    message = str(caught.value)
    assert "tqe.toml is not UTF-8 text" in message
    assert "\n" not in message


def test_missing_explicit_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="settings file not found"):
        load_config(tmp_path, tmp_path / "nope.toml")


def test_overrides_for_the_command_line(tmp_path: Path) -> None:
    config = FlagConfig().with_overrides(glossary_path=str(tmp_path / "g.tsv"), disabled_checks={"typography"})
    assert config.glossary_path == tmp_path / "g.tsv"
    assert config.disabled_checks == frozenset({"typography"})
    stricter = config.with_threshold("chrf", below=50)
    assert stricter.threshold("chrf") == MetricThreshold("chrf", below=50, robust_z=-3.0)
    assert config.threshold("chrf").below == 40.0  # the original is unchanged
    assert stricter.with_threshold("bleu", below=10).threshold("bleu").below == 10
    with pytest.raises(ConfigError, match="unknown flag setting 'glossary'"):
        config.with_overrides(glossary="x")
    with pytest.raises(ConfigError, match="unknown threshold setting 'min'"):
        config.with_threshold("chrf", min=3)
    with pytest.raises(ConfigError, match="unknown check"):
        config.with_overrides(disabled_checks={"nonsense"})


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -float("inf")])
def test_non_finite_numbers_are_refused_in_code_too(value: float) -> None:
    with pytest.raises(ConfigError, match="length_ratio_z must be a finite positive number"):
        FlagConfig(length_ratio_z=value)
    with pytest.raises(ConfigError, match="flags.thresholds.chrf.below must be a finite number"):
        FlagConfig().with_threshold("chrf", below=value)


# ---- RunConfig: one run's settings, built once ----------------------------------------------


def test_run_config_is_frozen_and_normalises_its_inputs(tmp_path: Path) -> None:
    import dataclasses

    from tqe.config import CometSettings, RunConfig

    config = RunConfig(tmp_path / "source.en.txt", "mt.fr.txt", [tmp_path / "ref.fr.txt", "ref2.fr.txt"],
                       metrics=["bleu", "chrf"], comet=CometSettings(model=tmp_path / "model", cache=".tqe/h.db"))
    assert config.source == str(tmp_path / "source.en.txt")
    assert config.references == (str(tmp_path / "ref.fr.txt"), "ref2.fr.txt")
    assert config.metrics == ("bleu", "chrf")
    assert config.comet.model == str(tmp_path / "model") and config.comet.cache == Path(".tqe/h.db")
    assert config.flag_config == FlagConfig() and config.flags is True
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.metrics = ("ter",)  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.comet.batch_size = 1  # type: ignore[misc]
    assert RunConfig(table="t.tsv", references="ref.fr.txt", metrics="chrf").references == ("ref.fr.txt",)
    assert RunConfig(table="t.tsv", metrics=None, flag_config=None).flag_config == FlagConfig()


def test_run_config_names_its_inputs_by_role() -> None:
    from tqe.config import RunConfig

    assert RunConfig("s.txt", "-", ["r1.txt", "r2.txt"]).inputs() == {
        "source": "s.txt", "translation": "-", "reference": "r1.txt", "reference 2": "r2.txt",
    }
    assert RunConfig(table="doc.xlf").inputs() == {"source": "doc.xlf", "translation": "doc.xlf"}


@pytest.mark.parametrize("settings,message", [
    ({"source": "s.txt"}, "give source and translation files, or a table"),
    ({}, "give source and translation files, or a table"),
    ({"source": "s.txt", "translation": "t.txt", "table": "t.tsv"},
     "give either source and translation files or a table, not both"),
    ({"table": "t.tsv", "segmentation": "words"}, "segmentation must be one of sentences, lines, not 'words'"),
    ({"table": "t.tsv", "flags": "yes"}, "flags must be True or False, not 'yes'"),
    ({"table": "t.tsv", "flag_config": {"disabled_checks": ["scores"]}}, "flag_config must be a FlagConfig, not dict"),
])
def test_bad_run_config_is_one_config_error_line(settings: dict, message: str) -> None:
    from tqe.config import RunConfig
    from tqe.errors import TqeError

    with pytest.raises(ConfigError) as caught:
        RunConfig(**settings)
    assert str(caught.value) == message
    assert isinstance(caught.value, TqeError) and "\n" not in str(caught.value)


@pytest.mark.parametrize("options,message", [
    ({"batch_size": 0}, "the COMET batch size must be a whole number of at least 1, not 0"),
    ({"batch_size": True}, "the COMET batch size must be a whole number of at least 1, not True"),
    ({"gpus": -1}, "gpus must be 0 (CPU) or more, not -1"),
    ({"chunk_size": 2.5}, "the COMET chunk size must be a whole number of at least 1, not 2.5"),
    ({"modle": "x"}, "unknown COMET option 'modle'; options are: batch_size, cache, chunk_size, gpus, model, verbose"),
])
def test_bad_comet_settings_are_config_errors(options: dict, message: str) -> None:
    from tqe.config import CometSettings

    with pytest.raises(ConfigError) as caught:
        CometSettings.from_options(options)
    assert str(caught.value) == message


def test_comet_settings_are_the_comet_metrics_keyword_arguments() -> None:
    import inspect

    from tqe.config import CometSettings, RunConfig
    from tqe.metrics.comet import DEFAULT_BATCH_SIZE, Comet

    accepted = set(inspect.signature(Comet).parameters)
    assert set(CometSettings().options()) <= accepted
    assert CometSettings().batch_size == DEFAULT_BATCH_SIZE
    options = RunConfig(table="t.tsv", comet=CometSettings(model="m", batch_size=4, gpus=0)).metric_options()
    assert options == {"comet": {"model": "m", "batch_size": 4, "gpus": 0, "cache": None, "chunk_size": None,
                                 "verbose": False}}


def test_score_thresholds_leave_out_metrics_whose_score_flags_are_off() -> None:
    config = FlagConfig()
    assert [t.metric for t in config.score_thresholds(["bleu", "chrf", "unknown"])] == ["bleu", "chrf"]
    assert config.with_overrides(disabled_checks={"scores"}).score_thresholds(["bleu", "chrf"]) == ()
    assert [t.metric for t in config.with_overrides(disabled_checks={"chrf-score"}).score_thresholds(["bleu", "chrf"])] \
        == ["bleu"]


def test_length_settings_reach_the_length_ratio_check() -> None:
    from tqe.checks import LengthSettings, build_context

    config = FlagConfig(min_segments=3, length_ratio_z=2.0, length_min_chars=5)
    assert config.length_settings == LengthSettings(min_segments=3, ratio_z=2.0, min_chars=5)
    sources = ["The tank is full.", "The pumps run.", "Costs went up."]
    translations = ["Le réservoir est plein.", "Les pompes tournent.", "Les coûts ont augmenté."]
    ctx = build_context(sources, translations, length=config.length_settings)
    assert (ctx.length_ratio_z, ctx.length_min_chars, ctx.length.from_document) == (2.0, 5, True)
    default = build_context(sources, translations)  # three segments are too few for the default norm
    assert (default.length_ratio_z, default.length_min_chars, default.length.from_document) == (3.5, 20, False)
