"""Spreadsheet export of a report (CSV, XLSX): one row per segment shown, safe to open in Excel.

A translation such as ``=HYPERLINK("http://x")`` or ``+cmd|...`` would run as a formula when
the file is opened, so every text cell starting with ``= + - @``, a tab or a carriage return
gets a leading apostrophe (OWASP's CSV injection advice) and XLSX cells are stored as strings,
never formulas. Numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
import re
from typing import cast

from tqe.diff import format_word_diff
from tqe.io.write import neutralise_formula
from tqe.report._format import metric_label
from tqe.report.model import Flag, Report

Cell = str | int | float | None

# Characters XML 1.0 (and so XLSX) cannot hold.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _flag_text(flags: tuple[Flag, ...], field: str) -> str:
    return "; ".join(getattr(flag, field) for flag in flags)


def header(report: Report) -> list[str]:
    """Column names, with one score column (and one change column in a revision report) per metric."""
    columns = [
        "id",
        "paragraph",
        "link",
        "severity",
        "checks",
        "messages",
        "source",
        "translation",
        report.compare_label,
        "word diff",
    ]
    if any(item.resolved_flags for item in report.items):
        columns.append("resolved checks")
    with_deltas = any(item.score_deltas for item in report.items)
    for metric in report.metrics:
        columns.append(metric_label(metric))
        if with_deltas:
            columns.append(f"{metric_label(metric)} change")
    return columns


def rows(report: Report) -> list[list[Cell]]:
    """One row per report item, formula-neutralised, in the order of ``header``."""
    with_resolved = any(item.resolved_flags for item in report.items)
    with_deltas = any(item.score_deltas for item in report.items)
    table = []
    for item in report.items:
        row: list[Cell] = [
            item.id,
            item.paragraph,
            item.link,
            item.severity or "",
            _flag_text(item.flags, "check"),
            _flag_text(item.flags, "message"),
            item.source,
            item.translation,
            item.compare_to if item.compare_to is not None else "",
            format_word_diff(list(item.diff)) if item.compare_to is not None else "",
        ]
        if with_resolved:
            row.append(_flag_text(item.resolved_flags, "check"))
        for metric in report.metrics:
            row.append(item.scores.get(metric))
            if with_deltas:
                row.append(item.score_deltas.get(metric))
        # neutralise_formula returns non-text cells unchanged, so a row stays a row of cells
        table.append([cast(Cell, neutralise_formula(cell)) for cell in row])
    width = len(header(report))
    for flag in report.waived:  # apart, after the segments: severity "waived"
        message = f"{flag.message} (waived: {flag.reason})" if flag.reason else f"{flag.message} (waived)"
        row = [flag.segment, None, "", "waived", flag.check, message, flag.source, flag.translation]
        row += [None] * (width - len(row))
        table.append([cast(Cell, neutralise_formula(cell)) for cell in row])
    return table


def render_csv(report: Report) -> str:
    """The rows as CSV text (write it as UTF-8 with a BOM so Excel reads accents right)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise_formula(name) for name in header(report)])
    for row in rows(report):
        writer.writerow(["" if cell is None else cell for cell in row])
    return buffer.getvalue()


def _string_cell(sheet, row: int, column: int, text: str):  # type: ignore[no-untyped-def]
    cell = sheet.cell(row=row, column=column)
    cell.value = _XML_ILLEGAL.sub("\ufffd", text)
    cell.data_type = "s"
    return cell


XLSX_HINT = "writing .xlsx needs openpyxl: pip install 'tqe-eval[xlsx]' (or write .csv)"


def require_xlsx() -> None:
    """:class:`DependencyError` when openpyxl is missing, before any work is done."""
    import importlib.util

    from tqe.errors import DependencyError

    if importlib.util.find_spec("openpyxl") is None:
        raise DependencyError(XLSX_HINT)


def render_xlsx(report: Report) -> bytes:
    """The rows as an XLSX workbook (sheet "Segments", plus "Corpus scores"), as bytes."""
    require_xlsx()
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Segments"
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for column, name in enumerate(header(report), start=1):
        _string_cell(sheet, 1, column, str(neutralise_formula(name))).font = bold
    for row_number, row in enumerate(rows(report), start=2):
        for column, value in enumerate(row, start=1):
            if isinstance(value, str):
                _string_cell(sheet, row_number, column, value).alignment = wrap
            elif value is not None:
                sheet.cell(row=row_number, column=column, value=value).alignment = wrap
    sheet.freeze_panes = "B2"
    widths = {"source": 45, "translation": 45, report.compare_label: 45, "word diff": 50, "messages": 40}
    for column, name in enumerate(header(report), start=1):
        letter = sheet.cell(row=1, column=column).column_letter
        sheet.column_dimensions[letter].width = widths.get(name, max(10, len(name) + 2))

    scores = workbook.create_sheet("Corpus scores")
    for column, name in enumerate(["metric", "score", "change", "signature"], start=1):
        _string_cell(scores, 1, column, name).font = bold
    for row_number, score in enumerate(report.corpus_scores, start=2):
        _string_cell(scores, row_number, 1, str(neutralise_formula(metric_label(score.metric))))
        scores.cell(row=row_number, column=2, value=score.score)
        if score.delta is not None:
            scores.cell(row=row_number, column=3, value=score.delta)
        _string_cell(scores, row_number, 4, str(neutralise_formula(score.signature)))
    scores.column_dimensions["D"].width = 80

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
