"""Machine-readable forms of a scored document: JSON (the documented contract), JSONL, CSV, TSV
and a plain text table. Pure functions from a ScoreResult to text."""

from __future__ import annotations

import csv
import io
from typing import Any

from tqe.io.write import finite_json, neutralise_formula, strict_json  # noqa: F401  (JSON helpers re-exported)
from tqe.model import COMET_ERROR_SPANS, FLAGS, REFERENCES, WAIVED_FLAGS, ScoreResult, error_spans_of, flags_of
from tqe.numbers import finite_or_none
from tqe.report.terminal import sanitize

FORMATS = ("table", "json", "jsonl", "csv", "tsv")


def _metric_names(result: ScoreResult) -> list[str]:
    return list(result.metrics)


def segment_records(result: ScoreResult) -> list[dict[str, Any]]:
    """One JSON-ready dict per segment, in source order."""
    names = _metric_names(result)
    frame = result.segments
    rows = len(frame)

    def column(name: str) -> list[Any]:
        # plain Python values, column by column (DataFrame.to_dict boxes every cell)
        return frame[name].tolist() if name in frame else [None] * rows

    scores = [column(name) for name in names]
    records = []
    for index, (segment_id, paragraph, link, source, translation, references, flags, spans, waived) in enumerate(zip(
        column("id"), column("paragraph"), column("link"), column("source"), column("translation"), column(REFERENCES),
        column(FLAGS), column(COMET_ERROR_SPANS), column(WAIVED_FLAGS),
    )):
        record = {
            "id": segment_id,
            "paragraph": int(paragraph),
            "link": link,
            "source": source,
            "translation": translation,
            "references": list(references),
            "scores": {name: finite_or_none(values[index]) for name, values in zip(names, scores)},
            "flags": [flag.to_dict() for flag in flags_of(flags)],
        }
        if isinstance(spans, (list, tuple)) and spans:
            record[COMET_ERROR_SPANS] = [span.to_dict() for span in error_spans_of(spans, str(translation))]
        if isinstance(waived, (list, tuple)) and waived:  # reviewed false positives (tqe.waivers), each "waived": true
            record[WAIVED_FLAGS] = [flag.to_dict() for flag in flags_of(waived)]
        records.append(record)
    return records


def metrics_summary(result: ScoreResult) -> dict[str, dict[str, Any]]:
    return {
        name: {
            "score": metric.corpus_score,
            "signature": metric.signature,
            "segment_signature": metric.segment_signature,
        }
        for name, metric in result.metrics.items()
    }


def to_json(result: ScoreResult) -> str:
    from tqe.version import __version__

    head = strict_json(
        {"tqe_version": __version__, "metrics": metrics_summary(result), "skipped": dict(result.skipped)}, indent=2
    )
    # one segment object per line, as README shows it: json's C encoder writes each line (with
    # indent=, json falls back to its pure-Python encoder, the slowest part of a long run)
    segments = [strict_json(record) for record in segment_records(result)]
    body = "[\n    " + ",\n    ".join(segments) + "\n  ]" if segments else "[]"
    return head[: -len("\n}")] + ',\n  "segments": ' + body + "\n}\n"


def to_jsonl(result: ScoreResult) -> str:
    return "".join(strict_json(record) + "\n" for record in segment_records(result))


def _flag_text(flags: list[dict[str, Any]]) -> str:
    return "; ".join(f"{f['severity']}:{f['check']}: {f['message']}" for f in flags)


def to_delimited(result: ScoreResult, delimiter: str) -> str:
    """CSV or TSV, one row per segment; text cells are neutralised against formula injection."""
    names = _metric_names(result)
    ref_count = max((len(r) for r in result.segments["references"]), default=0)
    ref_headers = ["reference" if i == 0 else f"reference{i + 1}" for i in range(ref_count)]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    records = segment_records(result)
    waived = any(record.get("waived_flags") for record in records)
    writer.writerow(["id", "paragraph", "link", "source", "translation", *ref_headers, *names, "flags",
                     *(["waived flags"] if waived else [])])
    for record in records:
        refs = record["references"] + [""] * (ref_count - len(record["references"]))
        cells: list[Any] = [record["id"], record["paragraph"], record["link"], record["source"], record["translation"], *refs]
        cells += ["" if record["scores"][n] is None else round(record["scores"][n], 4) for n in names]
        cells.append(_flag_text(record["flags"]))
        if waived:
            cells.append(_flag_text(record.get("waived_flags") or []))
        if delimiter == "\t":
            cells = [c.replace("\t", " ") if isinstance(c, str) else c for c in cells]
        writer.writerow([neutralise_formula(c) for c in cells])
    return buffer.getvalue()


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def to_table(result: ScoreResult, width: int = 100) -> str:
    """A compact text table for a terminal: segment scores, flags, then document scores."""
    from tqe.report._table import LEFT, RIGHT, text_table

    names = _metric_names(result)
    header = ["id", "link", *names, "flags", "translation"]
    rows = []
    for record in segment_records(result):
        scores = ["-" if record["scores"][n] is None else f"{record['scores'][n]:.2f}" for n in names]
        flag_note = ",".join(sorted({f["check"] for f in record["flags"]}))
        waived_checks = ",".join(sorted({f["check"] for f in record.get("waived_flags") or []}))
        if waived_checks:
            flag_note += ("; " if flag_note else "") + f"waived: {waived_checks}"
        rows.append([sanitize(str(record["id"])), sanitize(str(record["link"])), *scores, str(len(record["flags"])),
                     sanitize(record["translation"]), flag_note])
    # the translation gets what the other columns leave of the width (at least 20 characters)
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header) - 1)]
    text_width = max(20, width - sum(widths) - 2 * len(widths))
    for row in rows:
        flag_note = row.pop()
        row[-1] = _shorten(row[-1], text_width) + (f"  [{flag_note}]" if flag_note else "")
    lines = text_table(header, rows, [LEFT, LEFT, *[RIGHT] * len(names), RIGHT, LEFT])
    lines.append("")
    document_rows = [[name.upper(), f"{summary['score']:.2f}", summary["signature"]]
                     for name, summary in metrics_summary(result).items()]
    document_rows += [[name.upper(), "", f"skipped: {reason}"] for name, reason in result.skipped.items()]
    lines += text_table(None, document_rows, [LEFT, RIGHT, LEFT])
    return "\n".join(lines) + "\n"


def render(result: ScoreResult, fmt: str) -> str:
    """Render ``result`` in one of :data:`FORMATS`."""
    if fmt == "json":
        return to_json(result)
    if fmt == "jsonl":
        return to_jsonl(result)
    if fmt == "csv":
        return to_delimited(result, ",")
    if fmt == "tsv":
        return to_delimited(result, "\t")
    if fmt == "table":
        return to_table(result)
    raise ValueError(f"unknown format {fmt!r}")


def segments_tsv(segments) -> str:
    """The aligned segments as TSV (id, paragraph, link, source, translation, references…).

    Control characters are made visible (the TSV is usually read on a terminal) and cells a
    spreadsheet would run as formulas are neutralised."""
    ref_count = max((len(r) for r in segments["references"]), default=0)
    headers = ["id", "paragraph", "link", "source", "translation"] + [
        "reference" if i == 0 else f"reference{i + 1}" for i in range(ref_count)
    ]
    lines = ["\t".join(headers)]
    for row in segments.itertuples(index=False):
        refs = list(row.references) + [""] * (ref_count - len(row.references))
        cells = [row.id, str(row.paragraph), row.link, row.source, row.translation, *refs]
        lines.append("\t".join(str(neutralise_formula(sanitize(c))) for c in cells))
    return "\n".join(lines) + "\n"
