"""The run history as a text table, JSON, CSV and an HTML page with a trend chart per metric.

Pure functions of the DataFrame :func:`tqe.store.history.list_runs` returns; all text in the
HTML is escaped, and CSV cells are neutralised against spreadsheet formulas.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from tqe.io.write import neutralise_formula
from tqe.metrics import metric_info
from tqe.numbers import finite_or_none
from tqe.report._format import format_delta, format_score, metric_label
from tqe.report._table import LEFT, RIGHT, text_table
from tqe.report.terminal import sanitize

if TYPE_CHECKING:
    import pandas as pd


def _metric_names(runs: pd.DataFrame) -> list[str]:
    return [column for column in runs.columns if f"{column}_change" in runs.columns]


def history_records(runs: pd.DataFrame) -> list[dict[str, Any]]:
    """One JSON-ready dict per run."""
    names = _metric_names(runs)
    records = []
    for row in runs.to_dict("records"):
        records.append({
            "run": int(row["run"]),
            "revision": row["revision"],
            "created_at": row["created_at"],
            "document": row["document"],
            "source": row["source"],
            "segments": int(row["segments"]),
            "tqe_version": row["tqe_version"],
            "flags": {severity: int(row.get(f"flags_{severity}", 0) or 0) for severity in ("critical", "major", "minor")},
            "scores": {
                name: {
                    "score": finite_or_none(row[name]),
                    "change": finite_or_none(row[f"{name}_change"]),
                    **({"significant": _mark(row.get(f"{name}_significant"))} if f"{name}_significant" in row else {}),
                }
                for name in names
                if finite_or_none(row[name]) is not None
            },
        })
    return records


def _mark(value: Any) -> bool | None:
    """A significance mark as JSON: True, False or None (not tested)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return bool(value)


def _change_text(name: str, entry: dict[str, Any]) -> str:
    """``+1.2`` with ``*`` when the change is significant, ``(n.s.)`` when tested and not."""
    change = _format_score(name, entry["change"], delta=True)
    if not change:
        return ""
    mark = entry.get("significant")
    return change + ("*" if mark else " n.s." if mark is False else "")


def history_json(runs: pd.DataFrame) -> str:
    from tqe.io.write import strict_json

    return strict_json(history_records(runs), indent=2) + "\n"


def history_csv(runs: pd.DataFrame) -> str:
    """CSV with text cells neutralised against spreadsheet formulas."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(list(runs.columns))
    for row in runs.itertuples(index=False):
        writer.writerow([
            "" if isinstance(value, float) and math.isnan(value) else neutralise_formula(value)
            for value in row
        ])
    return buffer.getvalue()


def _format_score(name: str, value: float | None, delta: bool = False) -> str:
    if value is None:
        return "" if delta else "–"
    return format_delta(name, value) if delta else format_score(name, value)


def history_table(runs: pd.DataFrame) -> str:
    """A plain text table: one line per run, each metric with its change from the previous run."""
    names = _metric_names(runs)
    header = ["run", "revision", "date", "source", "segs", "flags c/M/m"] + [metric_label(n) for n in names]
    rows = []
    for record in history_records(runs):
        cells = [
            f"#{record['run']}", sanitize(str(record["revision"])), str(record["created_at"])[:16].replace("T", " "),
            sanitize(str(record["source"])), str(record["segments"]),
            "/".join(str(record["flags"][s]) for s in ("critical", "major", "minor")),
        ]
        for name in names:
            entry = record["scores"].get(name)
            if entry is None:
                cells.append("–")
                continue
            change = _change_text(name, entry)
            cells.append(_format_score(name, entry["score"]) + (f" ({change})" if change else ""))
        rows.append(cells)
    align = [LEFT, LEFT, LEFT, LEFT, RIGHT, RIGHT] + [RIGHT] * len(names)
    text = "".join(line + "\n" for line in text_table(header, rows, align))
    if any("significant" in entry for record in history_records(runs) for entry in record["scores"].values()):
        text += "* significant change from the previous run (paired bootstrap, p < 0.05); n.s. not significant\n"
    return text


def _axis_range(name: str, values: Sequence[float]) -> tuple[float, float]:
    """The y range of a trend chart: from the metric's natural floor (0) to its ceiling (100 on
    sacrebleu's scale, 1 for COMET), widened only if a score falls outside. A chart that zooms on
    the scores' own range makes a one-point change look like a collapse."""
    ceiling = metric_info(name).scale
    low = min([0.0, *values])
    high = max([ceiling, *values])
    return low, high


def _short(text: str, limit: int = 14) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _trend_chart(name: str, records: Sequence[dict[str, Any]], width: int = 640, height: int = 220) -> dict[str, Any]:
    """What the trend chart of one metric shows, coordinates formatted (see :func:`trend_svg`)."""
    points = [(r, r["scores"][name]["score"]) for r in records if name in r["scores"]]
    left, right, top, bottom = 48, 12, 22, 34
    inner_w, inner_h = width - left - right, height - top - bottom
    low, high = _axis_range(name, [value for _, value in points])

    def x(index: int) -> float:
        return left + (inner_w * index / (len(points) - 1) if len(points) > 1 else inner_w / 2)

    def y(value: float) -> float:
        return top + inner_h * (1 - (value - low) / (high - low))

    chart_points = []
    for index, (record, value) in enumerate(points):
        change = record["scores"][name].get("change")
        change_text = f" ({_change_text(name, record['scores'][name])})" if change is not None else ""
        chart_points.append({
            "x": f"{x(index):.1f}", "y": f"{y(value):.1f}", "value_y": f"{y(value) - 8:.1f}",
            "title": f"#{record['run']} {record['revision']}: {_format_score(name, value)}{change_text}",
            "value": _format_score(name, value) + change_text,
            "revision": _short(str(record["revision"])),
        })
    return {
        "label": metric_label(name),
        "title": f"{metric_label(name)} by revision",
        "width": width,
        "height": height,
        "axes": [(left, top + inner_h, left + inner_w, top + inner_h), (left, top, left, top + inner_h)],
        "ticks": [{"x": left - 6, "y": f"{y(tick) + 4:.1f}", "text": _format_score(name, tick)}
                  for tick in (low, (low + high) / 2, high)],
        "path": " ".join(f"{x(i):.1f},{y(v):.1f}" for i, (_, v) in enumerate(points)) if len(points) > 1 else "",
        "points": chart_points,
        "revision_y": height - 10,
    }


def trend_svg(name: str, records: Sequence[dict[str, Any]], width: int = 640, height: int = 220) -> str:
    """An inline SVG line chart of one metric's document score across runs (oldest left).

    The y axis runs from the metric's floor to its ceiling (see :func:`_axis_range`); each
    point is labelled with its score and its change from the previous comparable run, and the x
    axis with the revision labels.
    """
    from tqe.report._jinja import environment

    charts = environment().get_template("charts.html").make_module()
    return str(charts.trend(_trend_chart(name, records, width, height)))


def history_html(runs: pd.DataFrame, title: str = "tqe run history") -> str:
    """A self-contained page: the runs table and one trend chart per metric; all text escaped."""
    from tqe.report._jinja import render_page

    records = history_records(runs)
    names = _metric_names(runs)
    rows = []
    for record in records:
        scores = []
        for name in names:
            entry = record["scores"].get(name)
            if entry is None:
                scores.append({"text": "–", "change": None, "direction": ""})
                continue
            change = entry["change"]
            direction = ""
            if change:
                improved = change > 0 if metric_info(name).higher_is_better else change < 0
                direction = "up" if improved else "down"
            scores.append({
                "text": _format_score(name, entry["score"]),
                "change": _change_text(name, entry) if change is not None else None,
                "direction": direction,
            })
        rows.append({**record, "flags": [record["flags"][s] for s in ("critical", "major", "minor")], "scores": scores})
    headers = ["Run", "Revision", "Date", "Source", "Segments", "Critical", "Major", "Minor"] + [metric_label(n) for n in names]
    return render_page(
        "history.html", title=title, headers=headers, rows=rows, charts=[_trend_chart(n, records) for n in names]
    )
