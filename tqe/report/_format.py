"""Number and label formatting shared by every renderer, so all reports show the same figures."""

from __future__ import annotations

from tqe.metrics import metric_info, metric_label  # noqa: F401  (re-exported: the renderers import it from here)
from tqe.report.model import Report, ReportItem


def format_score(metric: str, value: float | None) -> str:
    """One decimal on the 0-100 scale (as sacrebleu prints), three on COMET's 0-1 scale."""
    if value is None:
        return "–"
    return f"{value:.{metric_info(metric).decimals}f}"


def format_delta(metric: str, value: float | None) -> str:
    """A signed score change, for example "+1.2" or "-0.034"."""
    if value is None:
        return ""
    return f"{value:+.{metric_info(metric).decimals}f}"


def summary_line(report: Report) -> str:
    """One sentence: how many segments are flagged and how many flags of each severity."""
    counts = ", ".join(f"{count} {name}" for name, count in report.severity_counts.items())
    noun = "segment" if report.segment_count == 1 else "segments"
    line = f"{report.flagged_count} of {report.segment_count} {noun} flagged ({counts})"
    if report.flag_scope:
        line = f"{report.flag_scope}: {line}"
    if report.resolved_count:
        line += f"; {report.resolved_count} flags resolved"
    if report.waived_count:
        line += f"; {report.waived_count} {'flag' if report.waived_count == 1 else 'flags'} waived"
    return line + "."


def item_meta(item: ReportItem) -> str:
    """Where a segment sits and how it aligned, for example "paragraph 3 · link 1-1"."""
    return f"paragraph {item.paragraph} · link {item.link}"


def item_heading(item: ReportItem) -> str:
    """Segment id, paragraph and alignment link, for example "Segment 3.2 · paragraph 3 · link 1-1"."""
    return f"Segment {item.id} · {item_meta(item)}"


def diff_title(item: ReportItem) -> str:
    """What the word diff compares, for example "Diff (reference → translation)"."""
    return f"Diff ({item.compare_label} → translation)"
