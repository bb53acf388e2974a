"""Flag settings: score thresholds, checks on or off, glossary files.

Settings come from ``tqe.toml`` or from ``[tool.tqe]`` in ``pyproject.toml`` (same keys),
found in the start directory, or from a file given explicitly; command-line options then
override them with :meth:`FlagConfig.with_overrides` / :meth:`FlagConfig.with_threshold`.

The file format (every key optional)::

    [flags]
    disable = ["typography", "double-space"]   # checks to turn off ("scores" turns off
                                               # every score flag, "chrf-score" one metric's)
    enable = ["numbers", "empty"]              # run only these checks (default: all)
    opt_in = []                                # also run these checks, if any is off by default
    min_segments = 10        # relative score flags and the length-ratio norm need this many
    length_ratio_z = 3.5     # robust z-score beyond which a length ratio is flagged
    length_min_chars = 20    # sources shorter than this are not length-checked
    waivers = "tqe-waivers.toml"             # waived flags (tqe.waivers); default: this
                                             # file in the working folder, if there is one

    [flags.severity]         # change a check's severity
    named-entities = "major"

    [flags.thresholds.chrf]  # one table per metric; it replaces that metric's defaults
    below = 40               # absolute: flag a segment scoring below 40 ...
    severity = "major"       # ... with this severity (default "major")
    percentile = 5           # relative: flag the document's bottom 5% ...
    robust_z = -3            # ... or segments 3 robust deviations worse than the median
    relative_severity = "minor"                # severity of relative flags (default "minor")

    [flags.thresholds.ter]
    above = 80               # for error rates (TER), where higher is worse

    [glossary]
    path = "references/glossary.tsv"   # CSV/TSV with a header: source, target
    dnt = "references/dnt.txt"         # do-not-translate terms, one per line

Paths are relative to the settings file. Default thresholds: chrF below 40, chrF++ below 38
and COMET below 0.6 are major; for BLEU, chrF, chrF++, TER and COMET a segment 3 robust
deviations worse than the document median is minor (``robust_z = -3``). No percentile by
default: a bottom percentile flags a fixed share of every document, even a flawless one;
robust z only flags real outliers.
"""

from __future__ import annotations

import dataclasses
import math
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tqe.checks import CHECKS, SEVERITIES
from tqe.checks import OPT_IN_CHECKS
from tqe.checks import LengthSettings
from tqe.checks.reference import REFERENCE_CHECKS
from tqe.checks.tags import TAGS_CHECK

#: flags made from the error spans an xCOMET model returns
COMET_SPANS_CHECK = "comet-span"
from tqe.errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

CONFIG_FILE = "tqe.toml"


def _finite_number(value: object) -> bool:
    """An int or float that is neither NaN nor infinite: ``nan`` would silently turn a check
    off (every comparison with it is false), ``inf`` flag everything or nothing."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


@dataclass(frozen=True)
class MetricThreshold:
    """When a segment's score for ``metric`` is flagged.

    ``below``/``above`` are absolute limits (``above`` for error rates such as TER), flagged
    with ``severity``. ``percentile`` (bottom N% of the document) and ``robust_z`` (a negative
    number: how many robust standard deviations worse than the document median; "worse" is
    lower, or higher for TER) are relative, flagged with ``relative_severity``.
    """

    metric: str
    below: float | None = None
    percentile: float | None = None
    robust_z: float | None = None
    severity: str = "major"
    above: float | None = None
    relative_severity: str = "minor"

    def __post_init__(self) -> None:
        for name in ("severity", "relative_severity"):
            value = getattr(self, name)
            if value not in SEVERITIES:
                raise ConfigError(
                    f"flags.thresholds.{self.metric}.{name} must be one of {', '.join(SEVERITIES)}, not {value!r}"
                )
        for name in ("below", "above", "percentile", "robust_z"):
            value = getattr(self, name)
            if value is not None and not _finite_number(value):
                kind = "finite number" if isinstance(value, float) else "number"
                raise ConfigError(f"flags.thresholds.{self.metric}.{name} must be a {kind}, not {value!r}")
        if self.percentile is not None and not 0 < self.percentile < 100:
            raise ConfigError(f"flags.thresholds.{self.metric}.percentile must be between 0 and 100, not {self.percentile}")
        if self.robust_z is not None and self.robust_z >= 0:
            raise ConfigError(
                f"flags.thresholds.{self.metric}.robust_z must be negative (e.g. -3: three deviations worse than the median)"
            )

    @property
    def absolute(self) -> float | None:
        """The absolute limit, whichever side it is on."""
        return self.below if self.below is not None else self.above


def _default_thresholds() -> tuple[MetricThreshold, ...]:
    """Each registered metric's default limits, as its registry record states them."""
    from tqe.metrics import METRIC_INFO

    thresholds = []
    for name, info in METRIC_INFO.items():
        side = "below" if info.higher_is_better else "above"
        thresholds.append(MetricThreshold(name, robust_z=info.default_robust_z, **{side: info.default_limit}))
    return tuple(thresholds)


#: the default limits of every registered metric (see ``MetricInfo`` in ``tqe.metrics``)
DEFAULT_THRESHOLDS: tuple[MetricThreshold, ...] = _default_thresholds()

#: names that turn off score flags: "scores" for all, "<metric>-score" for one metric
SCORE_CHECK_SUFFIX = "-score"


@dataclass(frozen=True)
class FlagConfig:
    """Everything the flag stage needs: score thresholds, which checks run, glossary files."""

    thresholds: tuple[MetricThreshold, ...] = DEFAULT_THRESHOLDS
    disabled_checks: frozenset[str] = frozenset()
    enabled_checks: frozenset[str] | None = None
    severities: Mapping[str, str] = field(default_factory=dict)
    glossary_path: Path | None = None
    dnt_path: Path | None = None
    dictionary_path: Path | None = None  # words spelling and english-words accept
    waivers_path: Path | None = None  # the waivers file (tqe.waivers); a missing file waives nothing
    min_segments: int = 10
    length_ratio_z: float = 3.5
    length_min_chars: int = 20
    origin: Path | None = None  # the settings file these came from, for messages
    opt_in_checks: frozenset[str] = frozenset()  # checks off by default (OPT_IN_CHECKS) to run

    def __post_init__(self) -> None:
        object.__setattr__(self, "disabled_checks", frozenset(self.disabled_checks))
        object.__setattr__(self, "opt_in_checks", frozenset(self.opt_in_checks))
        unknown = sorted(self.opt_in_checks - set(CHECKS) - set(REFERENCE_CHECKS))
        if unknown:
            raise ConfigError(f"unknown check {unknown[0]!r} in opt_in; checks are: {', '.join([*CHECKS, *REFERENCE_CHECKS])}")
        if self.enabled_checks is not None:
            object.__setattr__(self, "enabled_checks", frozenset(self.enabled_checks))
        for path_field in ("glossary_path", "dnt_path", "dictionary_path", "waivers_path", "origin"):
            value = getattr(self, path_field)
            if value is not None and not isinstance(value, Path):
                object.__setattr__(self, path_field, Path(value))
        known = set(CHECKS) | set(REFERENCE_CHECKS) | {"scores", COMET_SPANS_CHECK, TAGS_CHECK} | {t.metric + SCORE_CHECK_SUFFIX for t in self.thresholds}
        for name in sorted(self.disabled_checks | (self.enabled_checks or frozenset())):
            if name not in known and not name.endswith(SCORE_CHECK_SUFFIX):
                raise ConfigError(f"unknown check {name!r}; checks are: {', '.join([*CHECKS, *REFERENCE_CHECKS])}")
        for name, severity in self.severities.items():
            if name not in CHECKS and name not in REFERENCE_CHECKS:
                raise ConfigError(
                    f"unknown check {name!r} in severities; checks are: {', '.join([*CHECKS, *REFERENCE_CHECKS])}"
                )
            if severity not in SEVERITIES:
                raise ConfigError(f"severity of {name!r} must be one of {', '.join(SEVERITIES)}, not {severity!r}")
        if isinstance(self.min_segments, bool) or not isinstance(self.min_segments, int) or self.min_segments < 3:
            raise ConfigError(f"min_segments must be a whole number of at least 3, not {self.min_segments!r}")
        if not _finite_number(self.length_ratio_z) or self.length_ratio_z <= 0:
            raise ConfigError(f"length_ratio_z must be a finite positive number, not {self.length_ratio_z!r}")
        if isinstance(self.length_min_chars, bool) or not isinstance(self.length_min_chars, int) or self.length_min_chars < 0:
            raise ConfigError(f"length_min_chars must be a whole number, not {self.length_min_chars!r}")

    def check_enabled(self, name: str) -> bool:
        """Whether the check (or ``"<metric>-score"`` flag) called ``name`` runs."""
        if name in self.disabled_checks:
            return False
        if name.endswith(SCORE_CHECK_SUFFIX):
            return "scores" not in self.disabled_checks
        if name in OPT_IN_CHECKS and name not in self.opt_in_checks:
            return self.enabled_checks is not None and name in self.enabled_checks
        return self.enabled_checks is None or name in self.enabled_checks

    @property
    def checks(self) -> tuple[str, ...]:
        """The enabled checks, in running order."""
        return tuple(name for name in CHECKS if self.check_enabled(name))

    @property
    def reference_checks(self) -> tuple[str, ...]:
        """The enabled checks that compare with a reference translation."""
        return tuple(name for name in REFERENCE_CHECKS if self.check_enabled(name))

    def threshold(self, metric: str) -> MetricThreshold | None:
        return next((threshold for threshold in self.thresholds if threshold.metric == metric), None)

    def absolute_thresholds(self, metrics: Iterable[str]) -> dict[str, float]:
        """metric -> the absolute limit the flag stage applies to its scores (none where score
        flags are off); a run records them and reports draw them on score distributions."""
        return {t.metric: t.absolute for t in self.score_thresholds(metrics) if t.absolute is not None}

    def with_overrides(self, **changes: Any) -> FlagConfig:
        """A copy with some fields replaced (command-line options); unknown names raise
        ConfigError."""
        names = {item.name for item in dataclasses.fields(self)}
        unknown = sorted(set(changes) - names)
        if unknown:
            raise ConfigError(f"unknown flag setting {unknown[0]!r}; settings are: {', '.join(sorted(names))}")
        return dataclasses.replace(self, **changes)

    def with_threshold(self, metric: str, **values: Any) -> FlagConfig:
        """A copy where ``metric``'s threshold has some values changed (or is created), e.g.
        ``config.with_threshold("chrf", below=50)`` for ``--min-chrf 50``."""
        names = {item.name for item in dataclasses.fields(MetricThreshold)} - {"metric"}
        unknown = sorted(set(values) - names)
        if unknown:
            raise ConfigError(f"unknown threshold setting {unknown[0]!r}; use {', '.join(sorted(names))}")
        current = self.threshold(metric)
        updated = dataclasses.replace(current, **values) if current else MetricThreshold(metric, **values)
        others = tuple(threshold for threshold in self.thresholds if threshold.metric != metric)
        return dataclasses.replace(self, thresholds=(*others, updated))

    def score_thresholds(self, metrics: Iterable[str]) -> tuple[MetricThreshold, ...]:
        """The thresholds the flag stage applies to these metrics' scores: each metric's own,
        unless its score flags are turned off (``scores`` or ``<metric>-score``)."""
        return tuple(
            threshold for threshold in (self.threshold(metric) for metric in metrics)
            if threshold is not None and self.check_enabled(threshold.metric + SCORE_CHECK_SUFFIX)
        )

    @property
    def length_settings(self) -> LengthSettings:
        """What the ``length-ratio`` check needs of these settings."""
        return LengthSettings(self.min_segments, self.length_ratio_z, self.length_min_chars)


# ---------------------------------------------------------------------------- loading

_FLAG_KEYS = {"disable", "enable", "severity", "thresholds", "min_segments", "length_ratio_z", "length_min_chars",
              "waivers"}
_FLAG_KEYS.add("opt_in")  # checks off by default to turn on (OPT_IN_CHECKS)
_THRESHOLD_KEYS = {"below", "above", "percentile", "robust_z", "severity", "relative_severity"}
_GLOSSARY_KEYS = {"path", "dnt", "dictionary"}


def find_config(start_dir: Path) -> tuple[Path, Mapping[str, Any]] | None:
    """The settings in ``start_dir``: ``tqe.toml`` first, else ``[tool.tqe]`` of
    ``pyproject.toml``; None when neither is there."""
    candidate = Path(start_dir) / CONFIG_FILE
    if candidate.is_file():
        return candidate, _read_toml(candidate)
    pyproject = Path(start_dir) / "pyproject.toml"
    if pyproject.is_file():
        section = _tool_section(_read_toml(pyproject))
        if section is not None:
            if not isinstance(section, dict):
                raise ConfigError(f"{pyproject}: [tool.tqe] must be a table")
            return pyproject, section
    return None


def load_config(start_dir: str | Path = ".", explicit: str | Path | None = None) -> FlagConfig:
    """Read flag settings: ``explicit`` if given (a tqe.toml-style file, or a pyproject.toml,
    whose ``[tool.tqe]`` is used), else the file :func:`find_config` finds, else defaults.
    Bad TOML, unknown keys and bad values raise ConfigError naming the key and the file."""
    start_dir = Path(start_dir)
    if explicit is not None:
        explicit = Path(explicit)
        if not explicit.is_file():
            raise ConfigError(f"settings file not found: {explicit}")
        document: Mapping[str, Any] = _read_toml(explicit)
        if explicit.name == "pyproject.toml":
            document = _tool_section(document) or {}
        found: tuple[Path, Mapping[str, Any]] | None = (explicit, document)
    else:
        found = find_config(start_dir)
    if found is None:
        return _default_waivers(FlagConfig(), start_dir)
    path, data = found
    try:
        config = _parse(data, path)
    except ConfigError as error:
        raise ConfigError(f"{path}: {error}") from None
    return _default_waivers(config, start_dir)


def _default_waivers(config: FlagConfig, start_dir: Path) -> FlagConfig:
    """The waivers file of ``start_dir`` when the settings name none and it is there."""
    from tqe.model import WAIVERS_FILE

    default = start_dir / WAIVERS_FILE
    if config.waivers_path is None and default.is_file():
        return dataclasses.replace(config, waivers_path=default)
    return config


def _tool_section(pyproject: Mapping[str, Any]) -> Any:
    tool = pyproject.get("tool")
    return tool.get("tqe") if isinstance(tool, dict) else None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path} is not valid TOML: {error}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path} is not UTF-8 text; save it as UTF-8") from None
    except RecursionError:
        raise ConfigError(
            f"{path} is nested too deeply to read (arrays or tables inside each other); "
            "tqe's settings are at most three tables deep"
        ) from None
    except ValueError as error:  # tomllib lets the int conversion limit through
        if "integer string conversion" in str(error):
            raise ConfigError(
                f"{path} is not valid TOML: a number has more than {sys.get_int_max_str_digits()} digits"
            ) from None
        raise ConfigError(f"{path} is not valid TOML: {error}") from None
    except OSError as error:
        raise ConfigError(f"cannot read {path}: {error.strerror}") from None


def _table(value: Any, name: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise ConfigError(f"{name} must be a table")
    return value


def _unknown(table: Mapping[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise ConfigError(f"unknown key '{where}{unknown[0]}'; allowed: {', '.join(sorted(allowed))}")


def _names(value: Any, key: str) -> frozenset[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"flags.{key} must be a list of check names")
    return frozenset(value)


def _parse(data: Mapping[str, Any], path: Path) -> FlagConfig:
    _unknown(data, {"flags", "glossary"}, "")
    flags = _table(data.get("flags", {}), "[flags]")
    _unknown(flags, _FLAG_KEYS, "flags.")
    glossary = _table(data.get("glossary", {}), "[glossary]")
    _unknown(glossary, _GLOSSARY_KEYS, "glossary.")

    from tqe.metrics import METRICS

    thresholds = {threshold.metric: threshold for threshold in DEFAULT_THRESHOLDS}
    for metric, table in _table(flags.get("thresholds", {}), "[flags.thresholds]").items():
        if metric not in METRICS:
            raise ConfigError(f"unknown metric in [flags.thresholds.{metric}]; metrics are: {', '.join(METRICS)}")
        table = _table(table, f"[flags.thresholds.{metric}]")
        _unknown(table, _THRESHOLD_KEYS, f"flags.thresholds.{metric}.")
        thresholds[metric] = MetricThreshold(metric, **table)

    settings: dict[str, Any] = {"thresholds": tuple(thresholds.values()), "origin": path}
    if "disable" in flags:
        settings["disabled_checks"] = _names(flags["disable"], "disable")
    if "enable" in flags:
        settings["enabled_checks"] = _names(flags["enable"], "enable")
    if "opt_in" in flags:
        settings["opt_in_checks"] = _names(flags["opt_in"], "opt_in")
    if "severity" in flags:
        settings["severities"] = dict(_table(flags["severity"], "[flags.severity]"))
    for key in ("min_segments", "length_ratio_z", "length_min_chars"):
        if key in flags:
            settings[key] = flags[key]
    if "waivers" in flags:
        if not isinstance(flags["waivers"], str) or not flags["waivers"]:
            raise ConfigError("flags.waivers must be a file path")
        settings["waivers_path"] = (path.parent / flags["waivers"]).resolve()
    for key, setting in (("path", "glossary_path"), ("dnt", "dnt_path"), ("dictionary", "dictionary_path")):
        if key in glossary:
            if not isinstance(glossary[key], str) or not glossary[key]:
                raise ConfigError(f"glossary.{key} must be a file path")
            settings[setting] = (path.parent / glossary[key]).resolve()
    return FlagConfig(**settings)


# ---------------------------------------------------------------------------- run settings

#: how SOURCE and TRANSLATION become segments: split and align sentences, or keep the lines
SEGMENTATIONS = ("sentences", "lines")


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass(frozen=True)
class CometSettings:
    """How COMET runs: the model (None: tqe picks one by whether there is a reference), the
    batch size, the GPUs (None: one when torch sees one; 0: the CPU), the score cache (an
    SQLite file; None: no cache), segments per predict call (None: adaptive) and whether
    COMET's own output is shown."""

    model: str | None = None
    batch_size: int = 16
    gpus: int | None = None
    cache: Path | None = None
    chunk_size: int | None = None
    verbose: bool = False

    def __post_init__(self) -> None:
        import os

        if not _whole(self.batch_size) or self.batch_size < 1:
            raise ConfigError(f"the COMET batch size must be a whole number of at least 1, not {self.batch_size!r}")
        if self.gpus is not None and (not _whole(self.gpus) or self.gpus < 0):
            raise ConfigError(f"gpus must be 0 (CPU) or more, not {self.gpus!r}")
        if self.chunk_size is not None and (not _whole(self.chunk_size) or self.chunk_size < 1):
            raise ConfigError(f"the COMET chunk size must be a whole number of at least 1, not {self.chunk_size!r}")
        if isinstance(self.model, os.PathLike):
            object.__setattr__(self, "model", os.fspath(self.model))
        if isinstance(self.cache, (str, os.PathLike)):
            object.__setattr__(self, "cache", Path(self.cache))

    @classmethod
    def from_options(cls, options: Mapping[str, Any] | None) -> CometSettings:
        """Settings from a mapping of COMET's option names (``{"model": …, "batch_size": …}``);
        an unknown name is a ConfigError naming the ones there are."""
        names = {item.name for item in dataclasses.fields(cls)}
        unknown = sorted(set(options or {}) - names)
        if unknown:
            raise ConfigError(f"unknown COMET option {unknown[0]!r}; options are: {', '.join(sorted(names))}")
        return cls(**dict(options or {}))

    def options(self) -> dict[str, Any]:
        """The keyword arguments of :class:`tqe.metrics.comet.Comet`."""
        return {item.name: getattr(self, item.name) for item in dataclasses.fields(self)}


def _paths(value: Any) -> tuple[str, ...]:
    """Reference files as a tuple of strings (one path on its own counts as one file)."""
    import os

    if value is None:
        return ()
    if isinstance(value, (str, os.PathLike)):
        return (os.fspath(value),)
    return tuple(os.fspath(item) for item in value)


@dataclass(frozen=True)
class RunConfig:
    """Everything one run reads and does, built once and carried whole.

    The inputs are SOURCE and TRANSLATION files with optional references, or one ``table``
    (TSV/CSV/JSONL, or an XLIFF/TMX/PO file) that holds both; ``segmentation`` says how files
    become segments. ``metrics`` are the metric names as chosen (empty: the default set, each
    when it can run; names are checked by :func:`tqe.pipeline.run` before any file is read),
    ``comet`` how COMET runs, ``flag_config`` the flag settings and ``flags`` whether the flag
    stage runs at all. The command line builds one from its options and the settings file;
    :func:`tqe.score` from its arguments. Bad values are a ConfigError when it is built.
    """

    source: str | None = None
    translation: str | None = None
    references: tuple[str, ...] = ()
    table: str | None = None
    segmentation: str = "sentences"
    metrics: tuple[str, ...] = ()
    comet: CometSettings = CometSettings()
    flag_config: FlagConfig = field(default_factory=FlagConfig)
    flags: bool = True

    def __post_init__(self) -> None:
        import os

        for name in ("source", "translation", "table"):
            value = getattr(self, name)
            if isinstance(value, os.PathLike):
                object.__setattr__(self, name, os.fspath(value))
        object.__setattr__(self, "references", _paths(self.references))
        metrics = self.metrics
        object.__setattr__(self, "metrics", (metrics,) if isinstance(metrics, str) else tuple(metrics or ()))
        if self.flag_config is None:
            object.__setattr__(self, "flag_config", FlagConfig())
        if self.comet is None:
            object.__setattr__(self, "comet", CometSettings())
        if self.table is not None and (self.source is not None or self.translation is not None):
            raise ConfigError("give either source and translation files or a table, not both")
        if self.table is None and (self.source is None or self.translation is None):
            raise ConfigError("give source and translation files, or a table")
        if self.segmentation not in SEGMENTATIONS:
            raise ConfigError(f"segmentation must be one of {', '.join(SEGMENTATIONS)}, not {self.segmentation!r}")
        if not isinstance(self.flag_config, FlagConfig):
            raise ConfigError(f"flag_config must be a FlagConfig, not {type(self.flag_config).__name__}")
        if not isinstance(self.comet, CometSettings):
            raise ConfigError(f"comet must be CometSettings, not {type(self.comet).__name__}")
        if not isinstance(self.flags, bool):
            raise ConfigError(f"flags must be True or False, not {self.flags!r}")

    def inputs(self) -> dict[str, str]:
        """The files the run reads, by role: source, translation, reference, reference 2…
        (a table stands for both source and translation)."""
        names = {"source": self.source or self.table, "translation": self.translation or self.table}
        for number, reference in enumerate(self.references, start=1):
            names["reference" if number == 1 else f"reference {number}"] = reference
        return {role: str(name) for role, name in names.items()}

    def metric_options(self) -> dict[str, dict[str, Any]]:
        """Each metric's options (only COMET has any), as :func:`tqe.pipeline.score_segments`
        takes them."""
        return {"comet": self.comet.options()}
