"""QA reports: build one neutral model, then render it as HTML, Markdown, terminal text or a sheet.

>>> report = build_report(result, title="Report")   # result: tqe.score(...) or tqe.pipeline.run(...)
>>> write_report(report, "reports/a.html")   # .html, .md, .xlsx or .csv, chosen by extension
>>> print(render_terminal(report, color=False))
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tqe.errors import ConfigError
from tqe.io.write import atomic_write
from tqe.report.model import (
    CorpusScore,
    Distribution,
    Flag,
    Report,
    ReportItem,
    WaivedEntry,
    build_report,
    build_table_report,
)
from tqe.report.terminal import render_terminal

__all__ = [
    "REPORT_FORMATS",
    "CorpusScore",
    "Distribution",
    "Flag",
    "Report",
    "ReportItem",
    "WaivedEntry",
    "build_report",
    "build_table_report",
    "render",
    "render_terminal",
    "write_report",
]


def _html(report: Report) -> bytes:
    from tqe.report.html import render_html

    return render_html(report).encode("utf-8")


def _markdown(report: Report) -> bytes:
    from tqe.report.markdown import render_markdown

    return render_markdown(report).encode("utf-8")


def _csv(report: Report) -> bytes:
    from tqe.report.sheet import render_csv

    # A byte-order mark makes Excel read the file as UTF-8 (French accents intact).
    return render_csv(report).encode("utf-8-sig")


def _xlsx(report: Report) -> bytes:
    from tqe.report.sheet import render_xlsx

    return render_xlsx(report)


REPORT_FORMATS: dict[str, Callable[[Report], bytes]] = {
    ".html": _html,
    ".htm": _html,
    ".md": _markdown,
    ".markdown": _markdown,
    ".xlsx": _xlsx,
    ".csv": _csv,
}
"""Report file extension -> renderer giving the file's bytes."""


def render(report: Report, suffix: str) -> bytes:
    """The report as the bytes of a file with extension ``suffix`` (".html", ".md", ...)."""
    renderer = REPORT_FORMATS.get(suffix.lower())
    if renderer is None:
        shown = suffix or "no extension"
        raise ConfigError(
            f"cannot write a report with {shown}: name the file .html, .md, .xlsx or .csv"
        )
    return renderer(report)


def write_report(
    report: Report, path: str | Path, progress: Callable[[str, int, int], None] | None = None
) -> Path:
    """Render ``report`` in the format its extension names and write it atomically to ``path``;
    ``progress("write", 0, 1)`` before and ``("write", 1, 1)`` once written."""
    target = Path(path)
    if progress:
        progress("write", 0, 1)
    written = atomic_write(target, render(report, target.suffix))
    if progress:
        progress("write", 1, 1)
    return written
