"""Comparisons that do not mislead: strict JSON and no 'nan' for added or removed segments,
change labels that weigh new flags, flags-only comparison, sort controls that do what they say."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from comparing import compare_files
from click.testing import CliRunner

from tqe.cli import cli
from tqe.report.comparison import comparison_report
from tqe.report.html import render_html
from tqe.report.markdown import render_markdown

SAMPLES = Path(__file__).resolve().parent.parent / "references"
SOURCE = SAMPLES / "source.en.txt"
REFERENCE = SAMPLES / "reference.fr.txt"
V1, V2 = SAMPLES / "translation.v1.fr.txt", SAMPLES / "translation.v2.fr.txt"
ADDED_SENTENCE = "Une phrase ajoutée qui ne traduit rien de la source."


def _strict_json(text: str) -> object:
    def refuse(token: str) -> None:
        raise ValueError(f"not JSON: {token}")

    return json.loads(text, parse_constant=refuse)


@pytest.fixture(scope="module")
def with_added_sentence(tmp_path_factory: pytest.TempPathFactory) -> Path:
    lines = V2.read_text(encoding="utf-8").splitlines()
    lines[2] = f"{lines[2]} {ADDED_SENTENCE}"
    path = tmp_path_factory.mktemp("compare") / "b.fr.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(*args: object):
    return CliRunner().invoke(cli, [str(arg) for arg in args])


def test_added_segment_is_null_in_strict_json(with_added_sentence: Path) -> None:
    result = run("compare", V1, with_added_sentence, "--source", SOURCE, "-r", REFERENCE, "-m", "bleu,chrf",
                 "-f", "json", "-q")
    assert result.exit_code == 0, result.output
    record = _strict_json(result.stdout)
    [added] = [segment for segment in record["segments"] if segment["status"] == "added"]
    assert added["id_a"] is None and added["translation_a"] is None
    assert added["translation_b"] == ADDED_SENTENCE and added["change"] == "added"


@pytest.mark.parametrize("render", [render_markdown, render_html], ids=["markdown", "html"])
def test_added_segment_never_reads_nan_in_reports(with_added_sentence: Path, render) -> None:
    comparison = compare_files(SOURCE, V1, with_added_sentence, [REFERENCE], metrics=["bleu", "chrf"])
    text = render(comparison_report(comparison))
    assert ADDED_SENTENCE in text
    assert not re.search(r"\bnan\b", text, re.IGNORECASE)


def test_added_segment_never_reads_nan_in_the_terminal(with_added_sentence: Path) -> None:
    result = run("compare", V1, with_added_sentence, "--source", SOURCE, "-r", REFERENCE, "-m", "bleu,chrf",
                 "-f", "table", "-q")
    assert result.exit_code == 0, result.output
    assert ADDED_SENTENCE in result.stdout
    assert not re.search(r"\bnan\b", result.stdout, re.IGNORECASE)


def test_scores_up_with_a_new_major_flag_is_a_regression_not_an_improvement() -> None:
    """references/README.md: v2 turns 8,900 into 9 800 in 11.3 while BLEU and chrF go up."""
    comparison = compare_files(SOURCE, V1, V2, [REFERENCE], metrics=["bleu", "chrf"])
    row = comparison.segments[comparison.segments["id_b"] == "11.3"].iloc[0]
    assert row["worst_gain"] > 0  # the scores did go up
    assert "11.3" in list(comparison.regressed()["id_b"])
    assert "11.3" not in list(comparison.improved()["id_b"])
    changes = comparison.changes()
    assert changes[row.name] == "regressed: scores up, new major flag"
    report = comparison_report(comparison)
    first = report.items[0]  # the most serious new flag comes first, before mere score drops
    assert first.id == "11.3"
    assert dict(first.extra_texts)["change"] == "regressed: scores up, new major flag"


def test_regressions_are_ordered_by_new_flag_severity_then_score_drop() -> None:
    comparison = compare_files(SOURCE, V1, V2, [REFERENCE], metrics=["bleu", "chrf"])
    regressed = comparison.regressed()
    keys = list(zip(regressed["new_flag_rank"], regressed["worst_gain"]))
    assert keys == sorted(keys)


def test_two_files_without_a_reference_compare_their_flags(with_added_sentence: Path) -> None:
    result = run("compare", V1, V2, "--source", SOURCE, "-f", "json", "-q")
    assert result.exit_code == 0, result.output
    record = _strict_json(result.stdout)
    assert record["metrics"] == {}
    assert any("only their flags are compared" in note for note in record["notes"])
    [segment] = [s for s in record["segments"] if s["id_b"] == "11.3"]
    assert segment["change"] == "regressed: new major flag"
    assert [flag["check"] for flag in segment["new_flags"]] == ["numbers"]


def test_flags_only_comparison_still_gates_on_new_flags() -> None:
    result = run("compare", V1, V2, "--source", SOURCE, "-f", "json", "-q", "--fail-on-regression",
                 "--new-flags", "major")
    assert result.exit_code == 3
    assert "segment 11.3 has a new major numbers flag" in result.stderr


def test_comparison_html_sorts_by_change_or_by_document_order() -> None:
    comparison = compare_files(SOURCE, V1, V2, [REFERENCE], metrics=["bleu", "chrf"])
    report = comparison_report(comparison)
    page = render_html(report)
    options = re.findall(r'<option value="(list|doc)">([^<]*)</option>', page)
    assert options[0] == ("list", "change: regressed first")  # the order the page opens in
    assert ("doc", "document order") in options
    articles = re.findall(r'id="seg-([^"]+)" data-order="(\d+)" data-doc="(\d+)"', page)
    by_doc = [seg for seg, _, _ in sorted(articles, key=lambda a: int(a[2]))]

    def position(seg: str) -> tuple[int, ...]:
        return tuple(int(part) for part in seg.split("."))

    assert by_doc == sorted(by_doc, key=position)
    assert [seg for seg, _, _ in articles] != by_doc  # listed by change, so the two orders differ


def test_comparison_flag_counts_say_what_they_count() -> None:
    comparison = compare_files(SOURCE, V1, V2, [REFERENCE], metrics=["bleu", "chrf"])
    text = render_markdown(comparison_report(comparison))
    assert "translation.v2.fr.txt (every segment, listed or not): " in text


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".md", ".html"])
def test_compare_report_files_never_read_nan(with_added_sentence: Path, tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"comparison{suffix}"
    result = run("compare", V1, with_added_sentence, "--source", SOURCE, "-r", REFERENCE, "-m", "bleu,chrf",
                 "-o", out, "-q")
    assert result.exit_code == 0, result.output
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        cells = [str(cell.value) for sheet in load_workbook(out) for row in sheet.iter_rows() for cell in row
                 if cell.value is not None]
        text = "\n".join(cells)
    else:
        text = out.read_text(encoding="utf-8")
    assert ADDED_SENTENCE in text
    assert not re.search(r"\bnan\b", text, re.IGNORECASE)
