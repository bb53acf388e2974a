"""Self-contained HTML rendering of a report: one file, inline CSS, a little inline JS, inline SVG.

Every piece of text from the data goes through ``esc`` (``html.escape`` with quotes) before it
touches markup; data for the script sits only in escaped ``data-*`` attributes. A
Content-Security-Policy allows no network access and only the report's own style and script
(by hash), so even a missed escape could not load or run anything.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import math
from functools import cache
from importlib import resources

from tqe.model import SEVERITIES
from tqe.diff import DiffOp
from tqe.metrics import metric_info
from tqe.report._format import (
    diff_title,
    format_delta,
    format_score,
    item_meta,
    metric_label,
)
from tqe.report.model import (
    Distribution,
    Flag,
    Report,
    ReportItem,
)

_BINS = 20


def esc(value: object) -> str:
    """Escape any value for HTML text or a double-quoted attribute."""
    return html.escape(str(value), quote=True)


@cache
def _asset(name: str) -> str:
    return resources.files("tqe.report").joinpath("templates", name).read_text(encoding="utf-8")


def _csp_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _diff_html(ops: tuple[DiffOp, ...]) -> str:
    parts = []
    for op in ops:
        if op.space_before:
            parts.append(" ")
        if op.kind == "delete":
            parts.append(f"<del>{esc(op.text)}</del>")
        elif op.kind == "insert":
            parts.append(f"<ins>{esc(op.text)}</ins>")
        else:
            parts.append(esc(op.text))
    return "".join(parts)


def _axis_range(distribution: Distribution) -> tuple[float, float]:
    values = list(distribution.scores)
    if distribution.threshold is not None:
        values.append(distribution.threshold)
    if metric_info(distribution.metric).percent:
        top = round(max(values, default=100.0), 6)  # 100.00000000000001 is still 100
        return 0.0, max(100.0, math.ceil(top / 10) * 10)
    low = min(0.0, math.floor(min(values, default=0.0) * 10) / 10)
    high = max(1.0, math.ceil(max(values, default=1.0) * 10) / 10)
    return low, high


def _tick(metric: str, value: float) -> str:
    if metric_info(metric).percent:
        return f"{value:.0f}" if value == int(value) else format_score(metric, value)
    return f"{value:g}"


def _histogram(distribution: Distribution) -> str:
    """An inline SVG histogram of segment scores with the flag threshold as a dashed line."""
    width, height = 320, 150
    left, right, top, bottom = 34, 310, 16, 120
    low, high = _axis_range(distribution)
    span = high - low
    counts = [0] * _BINS
    for score in distribution.scores:
        index = int((score - low) / span * _BINS)
        counts[min(max(index, 0), _BINS - 1)] += 1
    tallest = max(counts, default=0) or 1
    bar_width = (right - left) / _BINS

    def x_of(value: float) -> float:
        return left + (value - low) / span * (right - left)

    label = metric_label(distribution.metric)
    description = f"Distribution of {len(distribution.scores)} segment {label} scores"
    if distribution.threshold is not None:
        description += f", flag threshold {format_score(distribution.metric, distribution.threshold)}"
    parts = [
        (
            f'<svg viewBox="0 0 {width} {height}" role="img" aria-label="{esc(description)}" '
            'xmlns="http://www.w3.org/2000/svg">'
        )
    ]
    for index, count in enumerate(counts):
        if not count:
            continue
        bar_height = count / tallest * (bottom - top)
        bin_low = low + index * span / _BINS
        bin_high = bin_low + span / _BINS
        tip = (
            f"{count} segments from {format_score(distribution.metric, bin_low)} "
            f"to {format_score(distribution.metric, bin_high)}"
        )
        parts.append(
            f'<rect class="bar" x="{left + index * bar_width + 0.5:.1f}" y="{bottom - bar_height:.1f}" '
            f'width="{bar_width - 1:.1f}" height="{bar_height:.1f}"><title>{esc(tip)}</title></rect>'
        )
    parts.append(f'<line class="axis" x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}"/>')
    parts.append(f'<line class="axis" x1="{left}" y1="{top}" x2="{left}" y2="{bottom}"/>')
    middle = (low + high) / 2
    for value, anchor in ((low, "start"), (middle, "middle"), (high, "end")):
        parts.append(
            f'<text class="tick" x="{x_of(value):.1f}" y="{bottom + 14}" text-anchor="{anchor}">'
            f"{esc(_tick(distribution.metric, value))}</text>"
        )
    parts.append(f'<text class="tick" x="{left - 4}" y="{top + 4}" text-anchor="end">{tallest}</text>')
    parts.append(f'<text class="tick" x="{left - 4}" y="{bottom}" text-anchor="end">0</text>')
    if distribution.threshold is not None:
        x = x_of(distribution.threshold)
        threshold_text = f"threshold {format_score(distribution.metric, distribution.threshold)}"
        anchor = "start" if x < (left + right) / 2 else "end"
        offset = 4 if anchor == "start" else -4
        parts.append(
            f'<line class="threshold" x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{bottom}">'
            f"<title>{esc(threshold_text)}</title></line>"
        )
        parts.append(
            f'<text class="threshold-label" x="{x + offset:.1f}" y="{top - 2}" '
            f'text-anchor="{anchor}">{esc(threshold_text)}</text>'
        )
    parts.append(f'<text class="tick" x="{(left + right) / 2:.1f}" y="{height - 2}" text-anchor="middle">'
                 f"{esc(label)}</text>")
    parts.append("</svg>")
    return "".join(parts)


def _distribution_figure(distribution: Distribution) -> str:
    label = metric_label(distribution.metric)
    caption = f"{label}: {len(distribution.scores)} segments"
    if distribution.threshold is not None:
        side = "below" if distribution.higher_is_better else "above"
        caption += f", {distribution.below_threshold} {side} the flag threshold"
    return f"<figure>{_histogram(distribution)}<figcaption>{esc(caption)}</figcaption></figure>"


def _flag_html(flag: Flag, *, resolved: bool = False) -> str:
    classes = "flag resolved" if resolved else "flag"
    badges = f'<span class="badge {esc(flag.severity)}">{esc(flag.severity)}</span>'
    if flag.change:
        badges += f' <span class="badge new">{esc(flag.change)}</span>'
    if resolved:
        badges += ' <span class="badge resolved">resolved</span>'
    return (
        f'<li class="{classes}" data-check="{esc(flag.check)}" data-severity="{esc(flag.severity)}">'
        f'{badges} <code>{esc(flag.check)}</code> <span class="message">{esc(flag.message)}</span></li>'
    )


def _text_row(label: str, text: str, css_class: str = "") -> str:
    classes = " ".join(name for name in (css_class, "empty" if not text else "") if name)
    class_attr = f' class="{esc(classes)}"' if classes else ""
    body = esc(text) if text else "(empty)"
    return f"<dt>{esc(label)}</dt><dd{class_attr}>{body}</dd>"


def _translation_row(item: ReportItem) -> str:
    """The Translation row with xCOMET's error spans marked; built from escaped slices of the
    translation, so span text is never markup."""
    if not item.error_spans or not item.translation:
        return _text_row("Translation", item.translation)
    parts = []
    for text, span in item.translation_pieces():
        if span is None:
            parts.append(esc(text))
        else:
            severity = esc(span.severity)
            parts.append(f'<mark class="span-{severity}" title="COMET: {severity}">{esc(text)}</mark>')
    return f"<dt>{esc('Translation')}</dt><dd>{''.join(parts)}</dd>"


def _document_positions(items: tuple[ReportItem, ...]) -> list[int]:
    """Each item's rank in document order (paragraph, then the numbers of its id)."""

    def key(index: int) -> tuple:
        item = items[index]
        numbers = tuple(int(part) if part.isdigit() else 0 for part in str(item.id).split("."))
        return (item.paragraph, numbers, index)

    ranks = [0] * len(items)
    for rank, index in enumerate(sorted(range(len(items)), key=key)):
        ranks[index] = rank
    return ranks


def _item_html(report: Report, item: ReportItem, order: int, position: int | None = None) -> str:
    severity = item.severity or "unflagged"
    scores_json = json.dumps(dict(item.scores), sort_keys=True)
    anchor = f"seg-{item.id}"
    lines = [
        (
            f'<article class="item {esc(severity)}" id="{esc(anchor)}" data-order="{order}" '
            f'data-doc="{order if position is None else position}" '
            f'data-severity="{esc(severity)}" data-scores="{esc(scores_json)}">'
        ),
        f'<header><h3><a href="#{esc(anchor)}">{esc("Segment " + item.id)}</a></h3>'
        f'<span class="meta">{esc(item_meta(item))}</span>'
        + (f' <span class="badge {esc(severity)}">{esc(severity)}</span>' if item.severity else "")
        + "</header>",
        '<dl class="texts">',
        _text_row("Source", item.source),
        _translation_row(item),
    ]
    if item.compare_to is not None:
        lines.append(_text_row(item.compare_label.capitalize(), item.compare_to))
    for label, text in item.extra_texts:
        lines.append(_text_row(label.capitalize(), text))
    if item.compare_to is not None:
        lines.append(
            f'<dt title="{esc(diff_title(item))}">Diff</dt><dd class="diff">{_diff_html(item.diff)}</dd>'
        )
    lines.append("</dl>")
    score_parts = []
    for metric in report.metrics:
        if metric not in item.scores:
            continue
        value = item.scores[metric]
        low = ' class="low"' if report.score_flagged(metric, value) else ""
        delta = ""
        if metric in item.score_deltas:
            delta = f' <span class="delta">({esc(format_delta(metric, item.score_deltas[metric]))})</span>'
        score_parts.append(
            f"<li>{esc(metric_label(metric))} <b{low}>{esc(format_score(metric, value))}</b>{delta}</li>"
        )
    if score_parts:
        lines.append('<ul class="scores">' + "".join(score_parts) + "</ul>")
    flag_parts = [_flag_html(flag) for flag in item.flags]
    flag_parts += [_flag_html(flag, resolved=True) for flag in item.resolved_flags]
    if flag_parts:
        lines.append('<ul class="flags">' + "".join(flag_parts) + "</ul>")
    lines.append("</article>")
    return "\n".join(lines)


def _controls_html(report: Report) -> str:
    severities = list(SEVERITIES)
    for item in report.items:
        for flag in item.flags:
            if flag.severity not in severities:
                severities.append(flag.severity)
    boxes = "".join(
        f'<label><input type="checkbox" name="severity" value="{esc(name)}" checked> {esc(name)}</label>'
        for name in severities
    )
    checks = "".join(f'<option value="{esc(check)}">{esc(check)}</option>' for check in report.checks)
    sorts = ['<option value="doc">document order</option>']
    if report.list_order:
        sorts.insert(0, f'<option value="list">{esc(report.list_order)}</option>')
    for metric in report.metrics:
        label = metric_label(metric)
        sorts.append(f'<option value="asc:{esc(metric)}">{esc(label)}, lowest first</option>')
        sorts.append(f'<option value="desc:{esc(metric)}">{esc(label)}, highest first</option>')
    parts = [
        '<form id="controls" hidden>',
        f"<fieldset><legend>Severity</legend>{boxes}</fieldset>",
        f'<label>Check <select name="check"><option value="">all checks</option>{checks}</select></label>',
        f'<label>Sort <select name="sort">{"".join(sorts)}</select></label>',
    ]
    if any(not item.flagged for item in report.items):
        parts.append('<label><input type="checkbox" name="unflagged" checked> show unflagged</label>')
    parts.append('<output id="shown"></output>')
    parts.append("</form>")
    return "".join(parts)


def _corpus_html(report: Report) -> str:
    if not report.corpus_scores:
        return "<p>No metric ran.</p>"
    with_delta = any(score.delta is not None for score in report.corpus_scores)
    head = "<tr><th>Metric</th><th>Score</th>" + ("<th>Change</th>" if with_delta else "")
    rows = [f'<table class="corpus"><thead>{head}<th>Signature</th></tr></thead><tbody>']
    for score in report.corpus_scores:
        delta = f'<td class="num">{esc(format_delta(score.metric, score.delta))}</td>' if with_delta else ""
        rows.append(
            f"<tr><td>{esc(metric_label(score.metric))}</td>"
            f'<td class="num">{esc(format_score(score.metric, score.score))}</td>{delta}'
            f'<td class="signature"><code>{esc(score.signature)}</code></td></tr>'
        )
    rows.append("</tbody></table>")
    return "".join(rows)


def _flag_counts_html(report: Report) -> str:
    badges = " ".join(
        f'<span class="badge {esc(name)}">{esc(name)} {count}</span>'
        for name, count in report.severity_counts.items()
    )
    noun = "segment" if report.segment_count == 1 else "segments"
    flagged = f"{report.flagged_count} of {report.segment_count} {noun} flagged"
    if report.flag_scope:
        flagged = f"{report.flag_scope}: {flagged}"
    if report.resolved_count:
        flagged += f", {report.resolved_count} flags resolved"
    parts = [f'<p class="summary">{esc(flagged)}</p>', f'<p class="counts">{badges}</p>']
    if report.check_counts:
        parts.append('<table class="checks"><thead><tr><th>Check</th><th>Flags</th></tr></thead><tbody>')
        parts += [
            f'<tr><td><code>{esc(check)}</code></td><td class="num">{count}</td></tr>'
            for check, count in report.check_counts.items()
        ]
        parts.append("</tbody></table>")
    return "".join(parts)


def _waived_html(report: Report) -> str:
    """The waived flags in a muted table of their own, apart from the segments."""
    rows = "".join(
        f'<tr><td>{esc(flag.segment)}</td><td><code>{esc(flag.check)}</code></td>'
        f'<td>{esc(flag.severity)}</td><td>{esc(flag.message)}</td><td>{esc(flag.reason) or "–"}</td>'
        f'<td><span class="text">{esc(flag.source)}</span><span class="text">{esc(flag.translation)}</span></td></tr>'
        for flag in report.waived
    )
    return (
        f'<section id="waived"><h2>Waived flags ({report.waived_count})</h2>'
        '<p class="legend">Reviewed as false positives in the waivers file; not counted above.</p>'
        '<table class="waived"><thead><tr><th>Segment</th><th>Check</th><th>Severity</th><th>Message</th>'
        f"<th>Reason</th><th>Source / translation</th></tr></thead><tbody>{rows}</tbody></table></section>"
    )


def _legend_html(report: Report) -> str:
    other = esc(report.compare_label)
    return (
        f"In each diff, <del>struck text</del> is only in the {other} and "
        f"<ins>underlined text</ins> only in the translation."
    )


def render_html(report: Report) -> str:
    """The whole report as one self-contained HTML document."""
    style = _asset("report.css")
    script = _asset("report.js")
    policy = (
        f"default-src 'none'; style-src {_csp_hash(style)}; script-src {_csp_hash(script)}; "
        "img-src 'none'; base-uri 'none'; form-action 'none'"
    )
    inputs = "".join(f"<dt>{esc(name)}</dt><dd>{esc(value)}</dd>" for name, value in report.inputs)
    notes = "".join(f'<p class="note">{esc(note)}</p>' for note in report.notes)
    distributions = "".join(_distribution_figure(d) for d in report.distributions)
    if report.items:
        positions = _document_positions(report.items)
        items = "\n".join(
            _item_html(report, item, order, position)
            for order, (item, position) in enumerate(zip(report.items, positions))
        )
    else:
        items = "<p>No segment flagged.</p>" if not report.show_all else "<p>No segments.</p>"
    body = [
        '<div class="page">',
        f"<header><h1>{esc(report.title)}</h1>",
        f'<dl class="inputs">{inputs}</dl>' if inputs else "",
        notes,
        "</header>",
        "<main>",
        '<div class="overview">',
        f'<section id="corpus"><h2>Corpus scores</h2>{_corpus_html(report)}</section>',
        f'<section id="flag-counts"><h2>Flags</h2>{_flag_counts_html(report)}</section>',
        "</div>",
    ]
    if distributions:
        body.append(
            f'<section id="distribution"><h2>Score distribution</h2><div class="charts">{distributions}</div></section>'
        )
    body += [
        _waived_html(report) if report.waived else "",
        '<section id="segments"><h2>Segments</h2>',
        f'<p class="legend">{_legend_html(report)}</p>' if report.items else "",
        _controls_html(report) if report.items else "",
        f'<div id="items">\n{items}\n</div>',
        "</section>",
        "</main>",
        "</div>",
    ]
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{esc(policy)}">\n'
        f"<title>{esc(report.title)}</title>\n"
        f"<style>{style}</style>\n"
        "</head>\n<body>\n"
        + "\n".join(part for part in body if part)
        + f"\n<script>{script}</script>\n"
        "</body>\n</html>\n"
    )
