"""Markdown rendering of a report, for tickets and pull requests (GitHub-flavoured tables).

Every piece of segment text is escaped: HTML-significant characters become entities and
Markdown punctuation (including ``|`` in tables, ``@`` mentions and ``#`` references) gets a
backslash, so a segment reads as the text it is and never as markup. Word diffs sit in fenced
code blocks, where nothing is interpreted.
"""

from __future__ import annotations

import re

from tqe.diff import format_word_diff
from tqe.report._format import (
    diff_title,
    format_delta,
    format_score,
    item_heading,
    metric_label,
    summary_line,
)
from tqe.report.model import Flag, Report, ReportItem

_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]|~#@])")
_LINE_BREAKS = re.compile(r"[\r\n]+")


def escape_text(text: str) -> str:
    """Escape ``text`` for inline Markdown (also safe inside a table cell)."""
    text = _LINE_BREAKS.sub(" ", text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", text)


def code_span(text: str, *, in_table: bool = False) -> str:
    """``text`` as an inline code span, with a fence longer than any backtick run inside."""
    text = _LINE_BREAKS.sub(" ", text)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    if text.startswith("`") or text.endswith("`") or not text.strip():
        text = f" {text} "
    if in_table:
        text = text.replace("|", "\\|")
    return f"{fence}{text}{fence}"


def code_block(text: str, info: str = "text") -> str:
    """``text`` as a fenced code block whose fence no line inside can close."""
    longest = max((len(run) for run in re.findall(r"`{3,}", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{info}\n{text}\n{fence}"


def _flag_line(flag: Flag, *, resolved: bool = False) -> str:
    line = f"**{escape_text(flag.severity)}** · {code_span(flag.check)} — {escape_text(flag.message)}"
    if flag.change:
        line += f" *({escape_text(flag.change)})*"
    if resolved:
        return f"- ~~{line}~~ *(resolved)*"
    return f"- {line}"


def _scores_text(report: Report, item: ReportItem) -> str:
    parts = []
    for metric in report.metrics:
        if metric not in item.scores:
            continue
        text = f"{metric_label(metric)} {format_score(metric, item.scores[metric])}"
        if metric in item.score_deltas:
            text += f" ({format_delta(metric, item.score_deltas[metric])})"
        parts.append(escape_text(text))
    return " · ".join(parts) or "–"


def _item_section(report: Report, item: ReportItem) -> list[str]:
    heading = escape_text(item_heading(item))
    if item.severity:
        heading += f" — {escape_text(item.severity)}"
    lines = [f"### {heading}", ""]
    flag_lines = [_flag_line(flag) for flag in item.flags]
    flag_lines += [_flag_line(flag, resolved=True) for flag in item.resolved_flags]
    if flag_lines:
        lines += [*flag_lines, ""]
    rows = [("Source", item.source), ("Translation", item.translation)]
    if item.error_spans:
        spans = ", ".join(f"«{span.text}» ({span.severity})" for span in item.error_spans)
        rows.append(("COMET error spans", spans))
    if item.compare_to is not None:
        rows.append((item.compare_label.capitalize(), item.compare_to))
    rows += [(label.capitalize(), text) for label, text in item.extra_texts]
    lines += ["| Field | Text |", "|---|---|"]
    lines += [f"| {escape_text(label)} | {escape_text(text) or '*(empty)*'} |" for label, text in rows]
    lines += [f"| Scores | {_scores_text(report, item)} |", ""]
    if item.compare_to is not None:
        lines += [f"{escape_text(diff_title(item))}:", "", code_block(format_word_diff(list(item.diff))), ""]
    return lines


def render_markdown(report: Report) -> str:
    """The whole report as one Markdown document."""
    lines = [f"# {escape_text(report.title)}", ""]
    if report.inputs:
        lines += ["| Input | Value |", "|---|---|"]
        lines += [f"| {escape_text(name)} | {escape_text(value)} |" for name, value in report.inputs]
        lines.append("")
    for note in report.notes:
        lines.append(f"> {escape_text(note)}")
    if report.notes:
        lines.append("")

    lines += ["## Corpus scores", ""]
    if report.corpus_scores:
        with_delta = any(score.delta is not None for score in report.corpus_scores)
        lines.append("| Metric | Score |" + (" Change |" if with_delta else "") + " Signature |")
        lines.append("|---|---:|" + ("---:|" if with_delta else "") + "---|")
        for score in report.corpus_scores:
            cells = [escape_text(metric_label(score.metric)), format_score(score.metric, score.score)]
            if with_delta:
                cells.append(format_delta(score.metric, score.delta))
            cells.append(code_span(score.signature, in_table=True))
            lines.append("| " + " | ".join(cells) + " |")
    else:
        lines.append("No metric ran.")
    lines.append("")
    for distribution in report.distributions:
        if distribution.threshold is None:
            continue
        side = "below" if distribution.higher_is_better else "above"
        lines.append(
            f"- {escape_text(metric_label(distribution.metric))}: "
            f"{distribution.below_threshold} of {len(distribution.scores)} segments {side} "
            f"the flag threshold {format_score(distribution.metric, distribution.threshold)}"
        )
    if any(d.threshold is not None for d in report.distributions):
        lines.append("")

    lines += ["## Flags", "", escape_text(summary_line(report)), ""]
    if report.check_counts:
        lines += ["| Check | Flags |", "|---|---:|"]
        lines += [f"| {code_span(check, in_table=True)} | {count} |" for check, count in report.check_counts.items()]
        lines.append("")

    if report.waived:
        lines += [
            f"### Waived flags ({report.waived_count})", "",
            "Reviewed as false positives in the waivers file; not counted above.", "",
            "| Segment | Check | Severity | Message | Reason |", "|---|---|---|---|---|",
        ]
        lines += [
            f"| {escape_text(flag.segment)} | {code_span(flag.check, in_table=True)} | {escape_text(flag.severity)} "
            f"| {escape_text(flag.message)} | {escape_text(flag.reason) or '–'} |"
            for flag in report.waived
        ]
        lines.append("")

    lines += ["## Segments", ""]
    if not report.items:
        lines += ["No segment flagged." if not report.show_all else "No segments.", ""]
    for item in report.items:
        lines += _item_section(report, item)
    return "\n".join(lines).rstrip("\n") + "\n"
