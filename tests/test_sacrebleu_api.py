"""sacrebleu's private API is called in one module, which probes it first."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tqe.errors import MetricError
from tqe.metrics import sacrebleu_api

PRIVATE = {"_extract_corpus_statistics", "_compute_score_from_stats", "_aggregate_and_compute", "_compute_p_value"}
PACKAGE = Path(__file__).resolve().parent.parent / "tqe"


def test_private_sacrebleu_names_appear_only_in_the_adapter() -> None:
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if path.name == "sacrebleu_api.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            name = node.attr if isinstance(node, ast.Attribute) else node.name if isinstance(node, ast.alias) else None
            if name in PRIVATE:
                offenders.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno} {name}")
    assert offenders == []


def test_a_sacrebleu_without_the_private_api_is_one_metric_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from sacrebleu.metrics.base import Metric

    sacrebleu_api.check_sacrebleu.cache_clear()
    monkeypatch.delattr(Metric, "_aggregate_and_compute")
    try:
        with pytest.raises(MetricError, match=r"lacks _aggregate_and_compute, which tqe uses; install sacrebleu>=2\.4,<2\.7"):
            sacrebleu_api.check_sacrebleu()
    finally:
        sacrebleu_api.check_sacrebleu.cache_clear()


def test_the_installed_sacrebleu_passes_the_probe() -> None:
    sacrebleu_api.check_sacrebleu.cache_clear()
    sacrebleu_api.check_sacrebleu()
