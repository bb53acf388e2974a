"""The metric registry: one MetricInfo record per metric, consistent with the metric classes."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import pytest

from tqe.errors import MetricError
from tqe.metrics import (
    DEFAULT_METRICS,
    METRIC_INFO,
    METRICS,
    SEGMENT_MEAN,
    SUFFICIENT_STATISTICS,
    get_metric,
    metric_class,
    metric_info,
    metric_label,
)

SACREBLEU_NAMES = ("bleu", "chrf", "chrf++", "ter")


def test_every_registered_metric_has_one_record_under_its_own_name():
    assert list(METRIC_INFO) == list(METRICS)
    for name, info in METRIC_INFO.items():
        assert info.name == name
        assert METRICS[name] == info.import_path
    assert set(DEFAULT_METRICS) <= set(METRIC_INFO)


def test_records_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        metric_info("chrf").higher_is_better = False  # type: ignore[misc]


def test_labels_as_reports_print_them():
    assert [metric_label(name) for name in METRIC_INFO] == ["BLEU", "chrF", "chrF++", "TER", "COMET"]


def test_only_ter_is_lower_is_better():
    assert [name for name, info in METRIC_INFO.items() if not info.higher_is_better] == ["ter"]


def test_scales_decimals_and_points():
    for name in SACREBLEU_NAMES:
        info = metric_info(name)
        assert (info.scale, info.decimals, info.points(1.5)) == (100.0, 1, 1.5)
    comet = metric_info("comet")
    assert (comet.scale, comet.decimals) == (1.0, 3)
    assert comet.points(0.015) == pytest.approx(1.5)


def test_statistics_kind_follows_the_metric_implementation():
    for name in SACREBLEU_NAMES:
        assert metric_info(name).statistics == SUFFICIENT_STATISTICS
        assert hasattr(metric_class(name), "statistics")  # sacrebleu's sufficient statistics
    assert metric_info("comet").statistics == SEGMENT_MEAN


@pytest.mark.parametrize("name", SACREBLEU_NAMES)
def test_sacrebleu_metrics_need_a_reference_and_score_on_a_0_100_scale(name):
    info = metric_info(name)
    metric = get_metric(name, workers=1)
    assert info.needs_reference is True and metric.needs_reference is True
    sentences = ["Le chat est assis sur le tapis rouge.", "Il pleut depuis ce matin sur la ville."]
    result = metric.compute(sentences, sentences, [sentences])
    best = 0.0 if not info.higher_is_better else info.scale
    assert result.corpus_score == pytest.approx(best)


def test_comet_reference_need_depends_on_the_model():
    # the class answers per model (a property); the registry says it depends
    assert metric_info("comet").needs_reference is None
    assert isinstance(metric_class("comet").needs_reference, property)


def test_default_thresholds_and_spreads():
    assert {name: info.default_limit for name, info in METRIC_INFO.items()} == {
        "bleu": None, "chrf": 40.0, "chrf++": 38.0, "ter": None, "comet": 0.6,
    }
    assert all(info.default_robust_z == -3.0 for info in METRIC_INFO.values())
    assert metric_info("comet").min_spread == 0.05
    assert all(metric_info(name).min_spread == 5.0 for name in SACREBLEU_NAMES)


def test_settings_defaults_come_from_the_records():
    from tqe.config import DEFAULT_THRESHOLDS, MetricThreshold

    assert DEFAULT_THRESHOLDS == (
        MetricThreshold("bleu", robust_z=-3.0),
        MetricThreshold("chrf", below=40.0, robust_z=-3.0),
        MetricThreshold("chrf++", below=38.0, robust_z=-3.0),
        MetricThreshold("ter", robust_z=-3.0),
        MetricThreshold("comet", below=0.6, robust_z=-3.0),
    )


def test_a_default_limit_of_a_lower_is_better_metric_is_an_upper_limit(monkeypatch):
    from tqe import config

    monkeypatch.setitem(METRIC_INFO, "ter", dataclasses.replace(metric_info("ter"), default_limit=80.0))
    ter = {t.metric: t for t in config._default_thresholds()}["ter"]
    assert (ter.above, ter.below) == (80.0, None)


def test_an_unregistered_name_gets_neutral_facts():
    info = metric_info("my-metric")
    assert (info.label, info.scale, info.higher_is_better, info.statistics) == ("my-metric", 1.0, True, SEGMENT_MEAN)
    assert info.default_limit is None and info.default_robust_z is None
    with pytest.raises(MetricError, match="unknown metric 'my-metric'"):
        metric_class("my-metric")


# --- no second home for metric facts ---------------------------------------------------------

PACKAGE = Path(__file__).resolve().parents[1] / "tqe"
OLD_TABLES = {"LOWER_IS_BETTER", "PERCENT_METRICS", "SACREBLEU_METRICS", "_MIN_SPREAD", "_MIN_SPREAD_DEFAULT",
              "METRIC_LABELS"}


def _metric_fact_tables(tree: ast.AST) -> list[tuple[int, str]]:
    """Old table names, and literal collections naming two metrics or more (a list, tuple or
    set of names, or a dict keyed by them): each is a metric fact kept outside the registry."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id in OLD_TABLES:
            found.append((node.lineno, node.id))
        elif isinstance(node, ast.Attribute) and node.attr in OLD_TABLES:
            found.append((node.lineno, node.attr))
        elif isinstance(node, ast.alias) and node.name in OLD_TABLES:
            found.append((getattr(node, "lineno", 0), node.name))
        elif isinstance(node, (ast.List, ast.Tuple, ast.Set, ast.Dict)):
            items = node.keys if isinstance(node, ast.Dict) else node.elts
            names = [item.value for item in items
                     if isinstance(item, ast.Constant) and isinstance(item.value, str) and item.value in METRIC_INFO]
            if len(names) >= 2:
                found.append((node.lineno, f"literal {names}"))
    return found


def test_the_guard_sees_the_tables_it_forbids():
    sample = ast.parse(
        "from tqe.metrics import LOWER_IS_BETTER\n"
        "PERCENTS = frozenset({'bleu', 'chrf'})\n"
        "LABELS = {'bleu': 'BLEU', 'comet': 'COMET'}\n"
        "x = significance.SACREBLEU_METRICS\n"
        "options = {'comet': {}}\n"  # one metric's options: not a table of facts
    )
    assert sorted(line for line, _ in _metric_fact_tables(sample)) == [1, 2, 3, 4]


def test_no_metric_fact_table_outside_the_registry():
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.parent.name == "metrics" and path.parent.parent == PACKAGE:
            continue
        for line, what in _metric_fact_tables(ast.parse(path.read_text(encoding="utf-8"))):
            offenders.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {what}")
    assert offenders == [], "metric facts belong in tqe.metrics (MetricInfo):\n" + "\n".join(offenders)


def test_flagging_reads_labels_from_the_registry_not_the_report_package():
    import subprocess
    import sys

    code = "import sys, tqe.flag; print(sorted(m for m in sys.modules if m.startswith('tqe.report')))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            cwd=PACKAGE.parent, env={"PYTHONPATH": str(PACKAGE.parent), "PATH": ""})
    assert result.stdout.strip() == "[]"
