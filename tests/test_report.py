"""Report model and renderers: golden Markdown and HTML, escaping, formula neutralising, dispatch.

Set TQE_UPDATE_GOLDEN=1 to rewrite tests/golden/ after an intended change, then review the diff.
"""

from __future__ import annotations

import csv
import html
import io
import math
import os
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from tqe.errors import ConfigError
from tqe.report import (
    build_table_report,
    render,
    render_terminal,
    write_report,
)
from tqe.report.html import render_html
from tqe.report.markdown import code_block, code_span, render_markdown
from tqe.report.sheet import header, render_xlsx

GOLDEN = Path(__file__).parent / "golden"
XSS_SOURCE = "Click <script>alert(1)</script> now."
XSS_TRANSLATION = 'Cliquez " onmouseover="alert(1)" <img src=x onerror=alert(2)> maintenant.'


@dataclass(frozen=True)
class FakeResult:
    corpus_score: float
    signature: str


def flag(check: str, severity: str, message: str) -> dict[str, str]:
    return {"check": check, "severity": severity, "message": message}


def sample_segments() -> pd.DataFrame:
    """Five segments covering a replacement diff, a clean segment, hostile text, an empty
    translation without reference, and text that a spreadsheet would run as a formula."""
    rows = [
        dict(id="1.1", paragraph=1, link="1-1", source="The cat is black.",
             translation="Le chat était noir !", references=("Le chat est noir.",),
             bleu=23.5, chrf=61.25, comet=0.8123,
             flags=[flag("low_chrf", "major", "chrF 61.2 below 65")]),
        dict(id="1.2", paragraph=1, link="2-1", source="It sleeps. It dreams.",
             translation="Il dort et rêve.", references=("Il dort et il rêve.",),
             bleu=70.0, chrf=88.0, comet=0.9, flags=[]),
        dict(id="2.1", paragraph=2, link="1-1", source=XSS_SOURCE,
             translation=XSS_TRANSLATION, references=("Cliquez | ici `code` maintenant.",),
             bleu=10.0, chrf=30.5, comet=float("nan"),
             flags=[flag("markup", "critical", 'tag <script> lost " onmouseover=x | `tick`'),
                    flag("low_chrf", "minor", "chrF 30.5 below 65")]),
        dict(id="3.1", paragraph=3, link="1-0", source="Goodbye.", translation="",
             references=(), bleu=0.0, chrf=0.0, comet=0.1,
             flags=[flag("empty_translation", "critical", "the translation is empty")]),
        dict(id="4.1", paragraph=4, link="1-1", source="Sum it: -5 @home",
             translation="=SUM(A1:A9)", references=("+33 1 23", "@ref deux"),
             bleu=5.0, chrf=12.0, comet=0.3,
             flags=[flag("number", "major", "-5 missing")]),
    ]
    return pd.DataFrame(rows)


def sample_metrics() -> dict[str, FakeResult]:
    return {
        "bleu": FakeResult(21.7, "nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.5.1"),
        "chrf": FakeResult(48.33, "nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.5.1"),
        "comet": FakeResult(0.5311, "Unbabel/wmt22-comet-da|comet:2.2.7"),
    }


def sample_report(show_all: bool = False, segments: pd.DataFrame | None = None):
    return build_table_report(
        sample_segments() if segments is None else segments,
        sample_metrics(),
        title="QA report: sample <doc>",
        inputs={"source": "sample.en.txt", "translation": "sample.fr.txt", "reference": "sample.ref.fr.txt"},
        show_all=show_all,
        thresholds={"chrf": 65.0, "comet": 0.5},
    )


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("TQE_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    assert path.exists(), f"golden file {path} missing: run with TQE_UPDATE_GOLDEN=1"
    assert text == path.read_bytes().decode("utf-8"), f"{name} differs from the golden file"


# ---- model ----------------------------------------------------------------------------------


def test_items_are_flagged_segments_in_document_order():
    report = sample_report()
    assert [item.id for item in report.items] == ["1.1", "2.1", "3.1", "4.1"]
    assert report.segment_count == 5 and report.flagged_count == 4
    assert [item.id for item in sample_report(show_all=True).items] == ["1.1", "1.2", "2.1", "3.1", "4.1"]


def test_item_diffs_translation_against_first_reference():
    item = sample_report().items[0]
    assert item.compare_to == "Le chat est noir." and item.compare_label == "reference"
    assert [(op.kind, op.text) for op in item.diff] == [
        ("equal", "Le chat"), ("delete", "est"), ("insert", "était"),
        ("equal", "noir"), ("delete", "."), ("insert", "!"),
    ]
    second_reference = sample_report().items[3]
    assert second_reference.compare_to == "+33 1 23"
    assert second_reference.extra_texts == (("reference 2", "@ref deux"),)


def test_item_without_reference_has_no_diff():
    item = sample_report().items[2]
    assert item.id == "3.1" and item.compare_to is None and item.diff == ()


def test_scores_severity_and_counts():
    report = sample_report()
    hostile = report.items[1]
    assert hostile.scores == {"bleu": 10.0, "chrf": 30.5}  # NaN COMET is left out
    assert hostile.severity == "critical"
    assert report.items[0].severity == "major"
    assert report.severity_counts == {"critical": 2, "major": 2, "minor": 1}
    assert report.check_counts == {"empty_translation": 1, "low_chrf": 2, "markup": 1, "number": 1}
    assert [(c.metric, c.score) for c in report.corpus_scores] == [("bleu", 21.7), ("chrf", 48.33), ("comet", 0.5311)]


def test_distributions_hold_every_finite_segment_score_and_threshold():
    distributions = {d.metric: d for d in sample_report().distributions}
    assert distributions["chrf"].scores == (61.25, 88.0, 30.5, 0.0, 12.0)
    assert distributions["chrf"].threshold == 65.0 and distributions["chrf"].below_threshold == 4
    assert len(distributions["comet"].scores) == 4
    assert distributions["bleu"].threshold is None


def test_table_without_flags_column_reports_no_items():
    segments = sample_segments().drop(columns=["flags"])
    report = sample_report(segments=segments)
    assert report.items == () and report.flagged_count == 0
    assert len(sample_report(show_all=True, segments=segments).items) == 5


# ---- golden files ---------------------------------------------------------------------------


def test_markdown_matches_golden():
    check_golden("report.md", render_markdown(sample_report()))


def test_html_matches_golden():
    check_golden("report.html", render_html(sample_report(show_all=True)))


# ---- escaping -------------------------------------------------------------------------------


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def test_html_escapes_every_piece_of_text():
    page = render_html(sample_report(show_all=True))
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img" not in page and "&lt;img src=x onerror=alert(2)&gt;" in page
    assert '" onmouseover=' not in page and "&#34; onmouseover=&#34;alert(1)&#34;" in page
    assert "QA report: sample &lt;doc&gt;" in page
    parser = _Elements()
    parser.feed(page)
    tags = [tag for tag, _ in parser.tags]
    assert tags.count("script") == 1 and "img" not in tags
    for _, attrs in parser.tags:
        assert not any(name.startswith("on") for name in attrs)
    flag_attrs = [attrs for tag, attrs in parser.tags if tag == "li" and attrs.get("data-check") == "markup"]
    assert flag_attrs and flag_attrs[0]["data-severity"] == "critical"



def test_html_word_diff_escapes_deleted_inserted_and_kept_text():
    segments = pd.DataFrame([dict(id="1.1", paragraph=1, link="1-1", source="Keep it.",
                                  translation='keep <i onclick=x>new</i> "q" & more',
                                  references=("keep <b>old</b> 'q' & more",), flags=[flag("markup", "major", "m")])])
    page = render_html(sample_report(segments=segments))
    diff = re.search(r'<dd class="diff">(.*?)</dd>', page).group(1)
    assert set(re.findall(r"</?(\w+)", diff)) == {"del", "ins"}
    text = re.sub(r"</?(?:del|ins)>", "", diff)
    assert not re.search(r"[<>\"']|&(?!amp;|lt;|gt;|#34;|#39;)", text)
    assert html.unescape(text).startswith("keep <") and "onclick" in text

def test_html_is_self_contained():
    page = render_html(sample_report())
    assert not re.search(r"""(src|href)=["']?(https?:|//)""", page)
    assert "@import" not in page and "url(" not in page
    parser = _Elements()
    parser.feed(page)
    policies = [a["content"] for tag, a in parser.tags if tag == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert policies and policies[0].startswith("default-src 'none';")


def _cells(row: str) -> list[str]:
    return [cell.strip() for cell in re.split(r"(?<!\\)\|", row.strip())[1:-1]]


def test_markdown_escapes_markup_and_table_cells():
    text = render_markdown(sample_report())
    outside_code = re.sub(r"^```text\n.*?\n```$", "", text, flags=re.DOTALL | re.MULTILINE)
    assert "<script>" not in outside_code and "<img" not in outside_code
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "\\`code\\`" in text
    for line in text.splitlines():
        if line.startswith("| ") and not line.startswith("| Metric"):
            assert len(_cells(line)) in (2, 3), line
    # the flag message with a backtick run and a pipe stays in one list line
    assert "tag &lt;script&gt; lost \" onmouseover=x \\| \\`tick\\`" in text
    assert "| Reference | Cliquez \\| ici \\`code\\` maintenant. |" in text


def test_markdown_code_cannot_be_closed_by_its_content():
    assert code_block("a ``` b") == "````text\na ``` b\n````"
    assert code_span("x `` y") == "```x `` y```"
    assert code_span("`x") == "`` `x ``"


def test_markdown_word_diff_is_in_a_fenced_block_in_git_style():
    text = render_markdown(sample_report())
    assert "```text\nLe chat [-est-]{+était+} noir[-.-] {+!+}\n```" in text


# ---- terminal -------------------------------------------------------------------------------


def test_terminal_plain_has_no_escapes_and_shows_git_style_diff():
    text = render_terminal(sample_report(), color=False)
    assert "\x1b" not in text
    assert "Le chat [-est-]{+était+} noir[-.-] {+!+}" in text
    assert "CRITICAL markup:" in text


def test_terminal_colour_marks_deletions_red_and_insertions_green():
    text = render_terminal(sample_report(), color=True)
    assert "\x1b[31m[-est-]\x1b[0m" in text
    assert "\x1b[32m{+était+}\x1b[0m" in text
    assert "\x1b[1;31mCRITICAL\x1b[0m" in text


def test_terminal_neutralises_control_characters_in_segment_text():
    segments = sample_segments()
    segments.loc[0, "translation"] = "Le chat\x1b[2J\u202e noir"
    text = render_terminal(sample_report(segments=segments), color=False)
    assert "\x1b" not in text and "\u202e" not in text
    assert "Le chat\\x1b[2J\\u202e noir" in text


def test_terminal_wraps_segment_lines_to_width():
    segments = sample_segments()
    segments.loc[0, "translation"] = " ".join(["mot"] * 80)
    text = render_terminal(sample_report(segments=segments), color=False, width=60)
    item_lines = text.split("── Segment 1.1", 1)[1].splitlines()[1:12]
    assert all(len(line) <= 60 for line in item_lines)
    assert sum("mot mot" in line for line in item_lines) >= 4


# ---- spreadsheets ---------------------------------------------------------------------------


def test_csv_neutralises_formulas_and_keeps_numbers():
    data = render(sample_report(), ".csv")
    assert data.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert table[0][:10] == ["id", "paragraph", "link", "severity", "checks", "messages",
                             "source", "translation", "reference", "word diff"]
    assert len(table) == 1 + 4
    row = dict(zip(table[0], table[4]))
    assert row["translation"] == "'=SUM(A1:A9)"
    assert row["reference"] == "'+33 1 23"
    assert row["messages"] == "'-5 missing"
    assert row["chrF"] == "12.0" and row["paragraph"] == "4"
    empty = dict(zip(table[0], table[3]))
    assert empty["COMET"] == "0.1" and empty["word diff"] == ""
    assert dict(zip(table[0], table[2]))["COMET"] == ""


def test_xlsx_cells_are_text_not_formulas():
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.load_workbook(io.BytesIO(render_xlsx(sample_report())))
    sheet = workbook["Segments"]
    names = [cell.value for cell in sheet[1]]
    assert names == header(sample_report())
    row = {name: cell for name, cell in zip(names, sheet[5])}
    for column in ("translation", "reference", "messages"):
        assert row[column].value.startswith("'"), column
        assert row[column].data_type == "s", column
    assert row["translation"].value == "'=SUM(A1:A9)"
    assert row["chrF"].value == 12.0 and row["chrF"].data_type == "n"
    assert row["paragraph"].value == 4
    formulas = [c for r in sheet.iter_rows() for c in r if c.data_type == "f"]
    assert formulas == []
    assert workbook["Corpus scores"]["B2"].value == pytest.approx(21.7)


def test_xlsx_drops_characters_xml_cannot_hold():
    openpyxl = pytest.importorskip("openpyxl")
    segments = sample_segments()
    segments.loc[0, "translation"] = "Le\x01chat"
    workbook = openpyxl.load_workbook(io.BytesIO(render_xlsx(sample_report(segments=segments))))
    assert workbook["Segments"]["H2"].value == "Le\ufffdchat"


# ---- writing --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, start",
    [("r.html", b"<!DOCTYPE html>"), ("r.HTM", b"<!DOCTYPE html>"), ("r.md", b"# QA report"),
     ("r.xlsx", b"PK"), ("r.csv", b"\xef\xbb\xbfid,")],
)
def test_write_report_chooses_format_by_extension(tmp_path, name, start):
    target = tmp_path / "reports" / name
    written = write_report(sample_report(), target)
    assert written == target
    assert target.read_bytes().startswith(start)
    assert sorted(p.name for p in target.parent.iterdir()) == [name]


@pytest.mark.parametrize("name", ["report.pdf", "report"])
def test_write_report_refuses_unknown_extension_in_one_line(tmp_path, name):
    with pytest.raises(ConfigError) as error:
        write_report(sample_report(), tmp_path / name)
    message = str(error.value)
    assert "\n" not in message and ".html, .md, .xlsx or .csv" in message
    assert not (tmp_path / name).exists()


def test_render_formats_agree_on_scores():
    report = sample_report()
    for text in (render_markdown(report), render_html(report), render_terminal(report, color=False)):
        assert "61.2" in text and "0.812" in text and "48.3" in text
    assert not math.isnan(report.items[0].scores["comet"])


def test_histogram_axis_stays_0_to_100_for_float_noise_and_grows_for_ter():
    from tqe.report.html import _axis_range
    from tqe.report.model import Distribution

    assert _axis_range(Distribution("bleu", (3.0, 100.00000000000001), None, True)) == (0.0, 100.0)
    assert _axis_range(Distribution("ter", (20.0, 134.0), 60.0, False)) == (0.0, 140.0)
    assert _axis_range(Distribution("comet", (-0.12, 0.91), 0.5, True)) == (-0.2, 1.0)


def test_distribution_marks_the_flagged_side_of_its_threshold() -> None:
    from tqe.report.model import Distribution

    chrf = Distribution("chrf", (30.0, 50.0), threshold=40.0, higher_is_better=True)
    ter = Distribution("ter", (30.0, 80.0), threshold=60.0, higher_is_better=False)
    assert (chrf.is_flagged(39.9), chrf.is_flagged(40.0), ter.is_flagged(60.1), ter.is_flagged(60.0)) == (True, False, True, False)
    assert (chrf.below_threshold, ter.below_threshold) == (1, 1)
    assert not Distribution("comet", (0.1,), threshold=None, higher_is_better=True).is_flagged(0.1)


# ---- xCOMET error spans ---------------------------------------------------------------------

SPAN_TRANSLATION = "Voici <b>gras</b> et un chat noir."


def span(text: str, severity: str, start: object, end: object) -> dict[str, object]:
    return {"text": text, "severity": severity, "confidence": 0.83, "start": start, "end": end}


def span_report(spans: list):
    """A one-segment report whose translation carries ``spans``."""
    segments = pd.DataFrame([
        {"id": "1.1", "paragraph": 1, "link": "1-1", "source": "Here is <b>bold</b> and a black cat.",
         "translation": SPAN_TRANSLATION, "references": (), "comet": 0.4,
         "comet_error_spans": spans, "flags": [flag("comet-span", "major", "COMET marks a span")]},
    ])
    return build_table_report(segments, {"comet": FakeResult(0.4, "xcomet")}, title="spans", inputs={})


def test_error_spans_are_checked_against_the_translation():
    bold = SPAN_TRANSLATION.index("<b>gras</b>")
    item = span_report([
        span("<b>gras</b> ", "major", bold, bold + 12),   # trailing space: trimmed to the text
        span("chat", "critical", 0, 4),                   # wrong offsets: found by its text
        span("absent", "minor", 0, 6),                     # wrong offsets and not in the text
        span("noir", "minor", 28, 999),                    # out of range: found by its text
        span("Voici", "weird", -3, 5),                     # unknown severity counts as minor
        span("", "major", 0, 0),
        "not a span",
    ]).items[0]
    chat = SPAN_TRANSLATION.index("chat")
    noir = SPAN_TRANSLATION.index("noir")
    assert [(s.start, s.end, s.severity, s.text) for s in item.error_spans] == [
        (0, 5, "minor", "Voici"),
        (bold, bold + 11, "major", "<b>gras</b>"),
        (chat, chat + 4, "critical", "chat"),
        (noir, noir + 4, "minor", "noir"),
    ]
    assert all(SPAN_TRANSLATION[s.start:s.end] == s.text for s in item.error_spans)


def test_reports_without_span_column_have_no_spans():
    assert all(item.error_spans == () for item in sample_report(show_all=True).items)
    segments = sample_segments()
    segments["comet_error_spans"] = [float("nan"), None, [], "text", [{"text": "x"}]]
    report = sample_report(show_all=True, segments=segments)
    assert all(item.error_spans == () for item in report.items)
    assert render_markdown(report) == render_markdown(sample_report(show_all=True))
    assert render_html(report) == render_html(sample_report(show_all=True))


def test_html_marks_error_spans_with_escaped_text():
    bold = SPAN_TRANSLATION.index("<b>")
    page = render_html(span_report([span("<b>gras</b>", "major", bold, bold + 11)]))
    assert (
        '<dd>Voici <mark class="span-major" title="COMET: major">&lt;b&gt;gras&lt;/b&gt;</mark>'
        " et un chat noir.</dd>"
    ) in page
    assert "<b>gras" not in page
    parser = _Elements()
    parser.feed(page)
    assert [attrs for tag, attrs in parser.tags if tag == "mark"] == [
        {"class": "span-major", "title": "COMET: major"}
    ]


def test_html_overlapping_and_bad_spans_do_not_break_the_line():
    spans = [
        span("un chat noir", "minor", 23, 35),
        span("chat", "critical", 26, 30),
        span("chat noir", "major", 26, 35),
        span("gras", "major", 10 ** 9, -1),
        span("nowhere", "critical", "a", None),
        span("Voici", "minor", 0, 5),
    ]
    page = render_html(span_report(spans))
    line = re.search(r"<dt>Translation</dt><dd>(.*?)</dd>", page).group(1)
    assert re.sub(r"<[^>]+>", "", line) == html.escape(SPAN_TRANSLATION, quote=True)
    assert line.count("<mark") == line.count("</mark>") == 3
    assert '<mark class="span-critical" title="COMET: critical">chat</mark>' in line
    assert '<mark class="span-major" title="COMET: major">gras</mark>' in line
    assert ' et un <mark class="span-critical"' in line  # the spans over "chat" lose to it


def test_terminal_underlines_error_spans_only_with_colour():
    chat = SPAN_TRANSLATION.index("chat")
    report = span_report([span("chat", "critical", chat, chat + 4), span("gras", "minor", 0, 1)])
    coloured = render_terminal(report, color=True)
    assert "un \x1b[4;1;31mchat\x1b[0m noir." in coloured
    assert "<b>\x1b[4;36mgras\x1b[0m</b>" in coloured
    plain = render_terminal(report, color=False)
    assert "\x1b" not in plain
    assert f"Translation  {SPAN_TRANSLATION}" in plain


def test_markdown_lists_error_spans_escaped():
    bold = SPAN_TRANSLATION.index("<b>")
    text = render_markdown(span_report([
        span("<b>gras</b>", "major", bold, bold + 11), span("chat", "minor", 0, 2),
    ]))
    assert "| COMET error spans | «&lt;b&gt;gras&lt;/b&gt;» (major), «chat» (minor) |" in text
    assert "<b>" not in text


# ---- a report from a scored result ----------------------------------------------------------


def test_report_of_a_result_takes_inputs_thresholds_and_notes_from_it():
    from tqe.pipeline import ScoreResult
    from tqe.report import build_report

    result = ScoreResult(
        segments=sample_segments(), metrics=sample_metrics(), skipped={"ter": "not asked for"},
        inputs={"source": "docs/sample.en.txt", "translation": "-", "reference": "refs/sample.ref.fr.txt",
                "reference 2": "refs/other.fr.txt"},
        thresholds={"chrf": 65.0},
    )
    report = build_report(result, show_all=True)
    assert report == build_table_report(
        result.segments, result.metrics, title="Translation QA: -", show_all=True, thresholds={"chrf": 65.0},
        inputs={"source": "sample.en.txt", "translation": "standard input", "reference": "sample.ref.fr.txt",
                "reference 2": "other.fr.txt"},
        notes=["ter skipped: not asked for"],
    )
    assert build_report(result, title="Review").title == "Review"
    assert [(d.metric, d.threshold) for d in report.distributions] == [("bleu", None), ("chrf", 65.0), ("comet", None)]


def test_report_draws_only_the_thresholds_the_flag_stage_applied():
    """A result whose score flags were off records no threshold: nothing is counted or marked
    as past one, whatever the scores."""
    from tqe.pipeline import ScoreResult
    from tqe.report import build_report

    unflagged = build_report(ScoreResult(segments=sample_segments(), metrics=sample_metrics()), show_all=True)
    assert unflagged.title == "Translation QA" and unflagged.inputs == ()
    assert all(d.threshold is None and d.below_threshold == 0 for d in unflagged.distributions)
    assert not any(unflagged.score_flagged("chrf", score) for score in (0.0, 12.0, 30.5))
    assert "flag threshold" not in render_markdown(unflagged) and 'class="low"' not in render_html(unflagged)
