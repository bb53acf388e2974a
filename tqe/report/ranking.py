"""Render a ranking of several systems (:class:`tqe.ranking.Ranking`): a text table, Markdown
and a self-contained HTML page (ranking table per metric, a confidence-interval chart, and the
segments where the systems disagree most, with word diffs against the best system).

Pure functions of the ranking; all text in HTML is escaped.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from tqe.diff import word_diff
from tqe.report._format import format_score, metric_label
from tqe.report._table import LEFT, RIGHT, text_table
from tqe.report.markdown import escape_text
from tqe.report.terminal import sanitize

if TYPE_CHECKING:  # pragma: no cover
    from tqe.ranking import MetricRanking, Ranking


def _esc(value: object) -> str:
    return html.escape(str(value), quote=True)


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


def _ci_chart(result: MetricRanking, width: int = 640) -> str:
    """Each system's score with its 95% interval as a horizontal bar, best first."""
    ranked = result.ranked()
    row_h, left, right = 26, 190, 60
    height = row_h * len(ranked) + 24
    low = min(s.mean - s.ci for s in ranked)
    high = max(s.mean + s.ci for s in ranked)
    pad = max((high - low) * 0.1, 1e-9)
    low, high = low - pad, high + pad

    def x(value: float) -> float:
        return left + (width - left - right) * (value - low) / (high - low)

    parts = [f'<svg class="ci" role="img" aria-label="{_esc(metric_label(result.metric))} with 95% intervals" '
             f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">']
    for row, s in enumerate(ranked):
        y = 16 + row * row_h
        parts.append(f'<text x="{left - 8}" y="{y + 4}" text-anchor="end">{_esc(s.system[:28])}</text>')
        parts.append(f'<line class="cluster-{s.cluster % 6}" x1="{x(s.mean - s.ci):.1f}" y1="{y}" '
                     f'x2="{x(s.mean + s.ci):.1f}" y2="{y}" stroke-width="3"/>')
        parts.append(f'<circle cx="{x(s.score):.1f}" cy="{y}" r="4"><title>{_esc(s.system)}: '
                     f'{_esc(format_score(result.metric, s.score))} ± {_esc(format_score(result.metric, s.ci))}'
                     f'</title></circle>')
        parts.append(f'<text x="{width - right + 6}" y="{y + 4}">{_esc(format_score(result.metric, s.score))}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def _diff_html(old: str, new: str) -> str:
    parts = []
    for op in word_diff(old, new):
        if op.space_before:
            parts.append(" ")
        tag = {"delete": "del", "insert": "ins"}.get(op.kind)
        parts.append(f"<{tag}>{_esc(op.text)}</{tag}>" if tag else _esc(op.text))
    return "".join(parts)


_CSS = """
body{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem;color:#1b1b1b}
table{border-collapse:collapse;margin:.5rem 0 1rem}th,td{padding:.3rem .6rem;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}
td.num{text-align:right;font-variant-numeric:tabular-nums}code{font-size:.85em;color:#555}
svg text{font-size:12px;fill:#333}svg circle{fill:#1b1b1b}
.cluster-0{stroke:#6a3d9a}.cluster-1{stroke:#1f5fbf}.cluster-2{stroke:#2e7d32}.cluster-3{stroke:#ef6c00}.cluster-4{stroke:#c62828}.cluster-5{stroke:#00838f}
del{background:#fde2e1;text-decoration:line-through}ins{background:#dcf5dc;text-decoration:none}
.best{font-weight:600}
"""


def ranking_html(ranking: Ranking, title: str = "System ranking") -> str:
    from tqe.ranking import disagreements

    sections = []
    for name, result in ranking.metrics.items():
        head = "".join(f"<th>{_esc(h)}</th>" for h in HEADER)
        body = "".join(
            "<tr>" + "".join(f'<td class="num">{_esc(c)}</td>' if i in (0, 1, 3, 4, 5) else f"<td>{_esc(c)}</td>"
                             for i, c in enumerate(row)) + "</tr>"
            for row in _rows(result)
        )
        sections.append(
            f"<section><h2>{_esc(metric_label(name))}</h2>"
            f"<p>{result.segments} segments, {_esc(result.test)}; <code>{_esc(result.signature)}</code></p>"
            f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{_ci_chart(result)}</section>"
        )
    first = next(iter(ranking.metrics.values()), None)
    disagreement = ""
    if first is not None:
        best = first.ranked()[0].system
        top = disagreements(ranking)
        items = []
        for row in top.to_dict("records"):
            metric = row["spread_metric"]
            texts = [f"<dt>Source</dt><dd>{_esc(row['source'])}</dd>"]
            texts += [f"<dt>Reference</dt><dd>{_esc(ref)}</dd>" for ref in row["references"]]
            texts.append(f'<dt class="best">{_esc(best)} (best)</dt><dd>{_esc(row[f"translation:{best}"])} '
                         f'<code>{_esc(format_score(metric, row[f"{metric}:{best}"]))}</code></dd>')
            for label in ranking.labels:
                if label == best:
                    continue
                texts.append(f"<dt>{_esc(label)}</dt><dd>{_diff_html(row[f'translation:{best}'], row[f'translation:{label}'])} "
                             f"<code>{_esc(format_score(metric, row[f'{metric}:{label}']))}</code></dd>")
            items.append(f"<article><h3>Segment {_esc(row['id'])} · {_esc(metric_label(metric))} spread "
                         f"{_esc(format_score(metric, row['spread']))}</h3><dl>{''.join(texts)}</dl></article>")
        disagreement = ("<section><h2>Where the systems disagree most</h2><p>Word diffs against the best system "
                        f"({_esc(best)}).</p>{''.join(items)}</section>")
    flags = ""
    if ranking.flag_counts:
        rows = "".join(f"<tr><td>{_esc(label)}</td>" + "".join(f'<td class="num">{count}</td>' for count in counts.values())
                       + "</tr>" for label, counts in ranking.flag_counts.items())
        severities = next(iter(ranking.flag_counts.values())).keys()
        flags = ("<section><h2>Flags per system</h2><table><thead><tr><th>system</th>"
                 + "".join(f"<th>{_esc(s)}</th>" for s in severities) + f"</tr></thead><tbody>{rows}</tbody></table></section>")
    notes = "".join(f"<p>{_esc(note)}</p>" for note in ranking.notes)
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
        f"<title>{_esc(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n<h1>{_esc(title)}</h1>\n"
        f"<p>{_esc(_explain(ranking))}</p>{notes}\n" + "\n".join(sections) + flags + disagreement + "\n</body>\n</html>\n"
    )
