"""Terminal rendering of a report: ANSI colours when asked, plain text otherwise, wrapped to a width.

Segment text can carry control characters (an ANSI escape in a translation could rewrite the
user's terminal), so they and the Unicode bidirectional overrides are shown as visible
``\\x1b``-style escapes instead.
"""

from __future__ import annotations

import re

from tqe.report._format import (
    format_delta,
    format_score,
    item_heading,
    metric_label,
    summary_line,
)
from tqe.report._table import LEFT, RIGHT, text_table
from tqe.report.model import Flag, Report, ReportItem

_RESET = "\x1b[0m"
STYLES = {
    "title": "1",
    "heading": "1",
    "muted": "2",
    "delete": "31",
    "insert": "32",
    "critical": "1;31",
    "major": "33",
    "minor": "36",
    "low": "1;31",
    "span-critical": "4;1;31",
    "span-major": "4;33",
    "span-minor": "4;36",
}

_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_WHITESPACE = re.compile(r"[\t\n\r]+")

Piece = tuple[str, str | None]


def sanitize(text: str) -> str:
    """Make ``text`` safe to print: tabs and line breaks become spaces, other control
    characters and bidi overrides become visible escapes."""
    text = _WHITESPACE.sub(" ", text)
    return _UNSAFE.sub(lambda match: ascii(match.group())[1:-1], text)


class _Painter:
    def __init__(self, color: bool) -> None:
        self.color = color

    def paint(self, text: str, style: str | None) -> str:
        if not self.color or not style or not text:
            return text
        return f"\x1b[{STYLES[style]}m{text}{_RESET}"

    def line(self, pieces: list[Piece]) -> str:
        return "".join(self.paint(text, style) for text, style in pieces)


def _words(pieces: list[Piece]) -> list[list[Piece]]:
    """Split styled pieces into words (each a list of pieces) at spaces."""
    words: list[list[Piece]] = [[]]
    for text, style in pieces:
        for index, chunk in enumerate(text.split(" ")):
            if index:
                words.append([])
            if chunk:
                words[-1].append((chunk, style))
    return [word for word in words if word]


def _wrap(pieces: list[Piece], width: int) -> list[list[Piece]]:
    """Greedy word wrap of styled pieces to ``width`` visible characters (long words split)."""
    width = max(width, 10)
    lines: list[list[Piece]] = [[]]
    used = 0
    for word in _words(pieces):
        length = sum(len(text) for text, _ in word)
        if used and used + 1 + length > width:
            lines.append([])
            used = 0
        if used:
            lines[-1].append((" ", None))
            used += 1
        for text, style in word:
            while used + len(text) > width:
                room = width - used
                lines[-1].append((text[:room], style))
                lines.append([])
                used = 0
                text = text[room:]
            lines[-1].append((text, style))
            used += len(text)
    return lines


def _field(painter: _Painter, label: str, pieces: list[Piece], label_width: int, width: int) -> list[str]:
    indent = "  "
    wrapped = _wrap(pieces, width - len(indent) - label_width) or [[]]
    out = []
    for index, line_pieces in enumerate(wrapped):
        prefix = label.ljust(label_width) if index == 0 else " " * label_width
        out.append((indent + painter.paint(prefix, "muted") + painter.line(line_pieces)).rstrip())
    return out


def _diff_pieces(item: ReportItem) -> list[Piece]:
    pieces: list[Piece] = []
    for op in item.diff:
        if op.space_before:
            pieces.append((" ", None))
        text = sanitize(op.text)
        if op.kind == "delete":
            pieces.append((f"[-{text}-]", "delete"))
        elif op.kind == "insert":
            pieces.append((f"{{+{text}+}}", "insert"))
        else:
            pieces.append((text, None))
    return pieces


def _translation_pieces(item: ReportItem) -> list[Piece]:
    """The translation with xCOMET's error spans underlined in their severity's colour."""
    if not item.error_spans:
        return [(sanitize(item.translation) or "(empty)", None)]
    return [
        (sanitize(text), None if span is None else f"span-{span.severity}")
        for text, span in item.translation_pieces()
    ]


def _flag_pieces(flag: Flag, resolved: bool = False) -> list[Piece]:
    pieces: list[Piece] = [(sanitize(flag.severity).upper(), flag.severity if flag.severity in STYLES else None)]
    if flag.change:
        pieces.append((f" ({sanitize(flag.change)})", "muted"))
    if resolved:
        pieces.append((" (resolved)", "insert"))
    pieces.append((f" {sanitize(flag.check)}: {sanitize(flag.message)}", None))
    return pieces


def _item_lines(painter: _Painter, report: Report, item: ReportItem, width: int) -> list[str]:
    heading = f"── {sanitize(item_heading(item))} "
    severity = item.severity
    tag = f" {severity.upper()}" if severity else ""
    rule = "─" * max(width - len(heading) - len(tag), 2)
    lines = [painter.paint(heading + rule, "heading") + painter.paint(tag, severity)]
    fields: list[tuple[str, list[Piece]]] = [
        ("Source", [(sanitize(item.source) or "(empty)", None)]),
        ("Translation", _translation_pieces(item)),
    ]
    if item.compare_to is not None:
        fields.append((item.compare_label.capitalize(), [(sanitize(item.compare_to) or "(empty)", None)]))
    fields += [(label.capitalize(), [(sanitize(text) or "(empty)", None)]) for label, text in item.extra_texts]
    if item.compare_to is not None:
        fields.append(("Diff", _diff_pieces(item)))
    score_pieces: list[Piece] = []
    for metric in report.metrics:
        if metric not in item.scores:
            continue
        value = item.scores[metric]
        if score_pieces:
            score_pieces.append((" · ", None))
        score_pieces.append((f"{metric_label(metric)} ", None))
        score_pieces.append((format_score(metric, value), "low" if report.score_flagged(metric, value) else None))
        if metric in item.score_deltas:
            score_pieces.append((f" ({format_delta(metric, item.score_deltas[metric])})", "muted"))
    if score_pieces:
        fields.append(("Scores", score_pieces))
    label_width = max(len(label) for label, _ in [*fields, ("Flags", [])]) + 2
    for label, pieces in fields:
        lines += _field(painter, label, pieces, label_width, width)
    all_flags = [(flag, False) for flag in item.flags] + [(flag, True) for flag in item.resolved_flags]
    for index, (flag, resolved) in enumerate(all_flags):
        lines += _field(painter, "Flags" if index == 0 else "", _flag_pieces(flag, resolved), label_width, width)
    return lines


def _waived_lines(painter: _Painter, report: Report, width: int) -> list[str]:
    """The waived flags, muted and apart from the segments: one entry each, with the reason."""
    if not report.waived:
        return []
    lines = ["", painter.paint(f"Waived flags ({report.waived_count}, not counted above)", "heading")]
    id_width = max(len(sanitize(flag.segment)) for flag in report.waived)
    for flag in report.waived:
        text = f"{sanitize(flag.check)} ({sanitize(flag.severity)}): {sanitize(flag.message)}"
        if flag.reason:
            text += f" — waived: {sanitize(flag.reason)}"
        for index, line_pieces in enumerate(_wrap([(text, "muted")], width - id_width - 4) or [[]]):
            label = sanitize(flag.segment).ljust(id_width) if index == 0 else " " * id_width
            lines.append(f"  {label}  " + painter.line(line_pieces))
    return lines


def render_terminal(report: Report, color: bool, width: int = 100) -> str:
    """The report as terminal text: ANSI colours when ``color``, wrapped to ``width`` columns."""
    painter = _Painter(color)
    lines = [painter.paint(sanitize(report.title), "title")]
    for name, value in report.inputs:
        lines.append(f"{sanitize(name)}: {sanitize(value)}")
    lines += [sanitize(note) for note in report.notes]
    lines += ["", painter.paint("Corpus scores", "heading")]
    with_deltas = any(score.delta is not None for score in report.corpus_scores)
    score_rows = [
        [
            metric_label(score.metric),
            format_score(score.metric, score.score),
            *([f"({format_delta(score.metric, score.delta)})" if score.delta is not None else ""] if with_deltas else []),
            painter.paint(sanitize(score.signature), "muted"),
        ]
        for score in report.corpus_scores
    ]
    lines += text_table(None, score_rows, [LEFT, RIGHT, *([LEFT] if with_deltas else []), LEFT], indent="  ")
    if not report.corpus_scores:
        lines.append("  No metric ran.")
    for distribution in report.distributions:
        if distribution.threshold is not None:
            side = "below" if distribution.higher_is_better else "above"
            lines.append(
                f"  {metric_label(distribution.metric)}: {distribution.below_threshold} of "
                f"{len(distribution.scores)} segments {side} the flag threshold "
                f"{format_score(distribution.metric, distribution.threshold)}"
            )
    lines += ["", painter.paint(summary_line(report), "heading")]
    check_rows = [[sanitize(check), str(count)] for check, count in report.check_counts.items()]
    lines += text_table(None, check_rows, [LEFT, RIGHT], indent="  ")
    lines += _waived_lines(painter, report, width)
    for item in report.items:
        lines.append("")
        lines += _item_lines(painter, report, item, width)
    return "\n".join(lines) + "\n"
