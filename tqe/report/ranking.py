"""Render a ranking of several systems (:class:`tqe.compare.ranking.Ranking`): a text table, Markdown
and a self-contained HTML page (ranking table per metric, a confidence-interval chart, and the
segments where the systems disagree most, with word diffs against the best system).

Pure functions of the ranking; the HTML page is a template with autoescaping (all text escaped).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tqe.diff import word_diff
from tqe.report._format import format_score, metric_label
from tqe.report._table import LEFT, RIGHT, text_table
from tqe.report.markdown import escape_text
from tqe.report.terminal import sanitize

if TYPE_CHECKING:  # pragma: no cover
    from tqe.compare.ranking import MetricRanking, Ranking


def _p(value: float | None) -> str:
    return "baseline" if value is None else f"{value:.4f}"


def _rows(result: MetricRanking) -> list[list[str]]:
    return [
        [str(s.rank), str(s.cluster), s.system, format_score(result.metric, s.score),
         f"±{format_score(result.metric, s.ci)}", _p(s.p_value)]
        for s in result.ranked()
    ]


HEADER = ["rank", "cluster", "system", "score", "95% CI", "p vs baseline"]
_ALIGN = [RIGHT, RIGHT, LEFT, RIGHT, RIGHT, RIGHT]


def _explain(ranking: Ranking) -> str:
    return (f"Baseline: {ranking.labels[0]}. Systems that share a cluster are not significantly different from "
            f"the one ranked above them (p ≥ {ranking.alpha:g}).")


def ranking_table(ranking: Ranking) -> str:
    """Plain text: one table per metric."""
    lines = [_explain(ranking), *ranking.notes, ""]
    for name, result in ranking.metrics.items():
        rows = [[sanitize(cell) for cell in row] for row in _rows(result)]
        lines.append(f"{metric_label(name)} ({result.segments} segments, {result.test}; {result.signature})")
        lines += text_table(HEADER, rows, _ALIGN, indent="  ")
        lines.append("")
    if ranking.flag_counts:
        lines.append("Flags: " + "; ".join(
            f"{sanitize(label)} " + ", ".join(f"{count} {severity}" for severity, count in counts.items())
            for label, counts in ranking.flag_counts.items()))
    return "\n".join(lines).rstrip() + "\n"


def ranking_markdown(ranking: Ranking) -> str:
    lines = ["# System ranking", "", escape_text(_explain(ranking)), ""]
    lines += [f"- {escape_text(note)}" for note in ranking.notes]
    for name, result in ranking.metrics.items():
        lines += ["", f"## {metric_label(name)}", "", f"{result.segments} segments, {result.test}; `{result.signature}`", ""]
        lines += ["| " + " | ".join(HEADER) + " |", "|---:|---:|---|---:|---:|---:|"]
        lines += ["| " + " | ".join(escape_text(cell) for cell in row) + " |" for row in _rows(result)]
    return "\n".join(lines) + "\n"


def _ci_chart(result: MetricRanking, width: int = 640) -> dict[str, Any]:
    """Each system's score with its 95% interval as a horizontal bar, best first (what the
    ``ci`` chart of ``templates/charts.html`` draws)."""
    ranked = result.ranked()
    row_h, left, right = 26, 190, 60
    height = row_h * len(ranked) + 24
    low = min(s.mean - s.ci for s in ranked)
    high = max(s.mean + s.ci for s in ranked)
    pad = max((high - low) * 0.1, 1e-9)
    low, high = low - pad, high + pad

    def x(value: float) -> float:
        return left + (width - left - right) * (value - low) / (high - low)

    rows = []
    for row, s in enumerate(ranked):
        y = 16 + row * row_h
        rows.append({
            "system": s.system, "cluster": s.cluster % 6, "y": y, "text_y": y + 4,
            "x1": f"{x(s.mean - s.ci):.1f}", "x2": f"{x(s.mean + s.ci):.1f}", "x": f"{x(s.score):.1f}",
            "score": format_score(result.metric, s.score), "ci": format_score(result.metric, s.ci),
        })
    return {"label": metric_label(result.metric), "width": width, "height": height, "rows": rows,
            "name_x": left - 8, "score_x": width - right + 6}


def _disagreements(ranking: Ranking) -> dict[str, Any] | None:
    """The segments where the systems disagree most, each system's translation diffed against
    the best system's."""
    from tqe.compare.ranking import disagreements

    first = next(iter(ranking.metrics.values()), None)
    if first is None:
        return None
    best = first.ranked()[0].system
    segments = []
    for row in disagreements(ranking).to_dict("records"):
        metric = row["spread_metric"]
        best_translation = row[f"translation:{best}"]
        segments.append({
            "id": row["id"], "label": metric_label(metric), "spread": format_score(metric, row["spread"]),
            "source": row["source"], "references": list(row["references"]),
            "best_translation": best_translation, "best_score": format_score(metric, row[f"{metric}:{best}"]),
            "others": [
                {"label": label, "diff": word_diff(best_translation, row[f"translation:{label}"]),
                 "score": format_score(metric, row[f"{metric}:{label}"])}
                for label in ranking.labels if label != best
            ],
        })
    return {"best": best, "segments": segments}


def ranking_html(ranking: Ranking, title: str = "System ranking") -> str:
    """A self-contained page: a table and an interval chart per metric, flags per system and
    the segments where the systems disagree most; all text escaped (autoescaping templates)."""
    from tqe.report._jinja import render_page

    sections = [
        {"label": metric_label(name), "segments": result.segments, "test": result.test,
         "signature": result.signature, "rows": _rows(result), "chart": _ci_chart(result)}
        for name, result in ranking.metrics.items()
    ]
    severities = list(next(iter(ranking.flag_counts.values())).keys()) if ranking.flag_counts else []
    return render_page(
        "ranking.html", title=title, explanation=_explain(ranking), notes=list(ranking.notes), sections=sections,
        header=HEADER, flag_counts=ranking.flag_counts, severities=severities, disagreements=_disagreements(ranking),
    )
