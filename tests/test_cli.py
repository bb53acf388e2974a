"""The command line: exact outputs, exit codes and one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from tqe.cli import cli

SOURCE = [
    "The council approved a budget of 50,000 euros. Work starts in March.",
    "Dr. Klein opened the new plant. Was it worth it?",
    "Thank you.",
]
TRANSLATION = [
    "Le conseil a approuvé un budget de 50 000 euros. Les travaux débutent en mars.",
    "Le Dr Klein a ouvert la nouvelle usine. Cela en valait-il la peine ?",
    "Merci.",
]
REFERENCE = [
    "Le conseil a adopté un budget de 50 000 euros. Les travaux commencent en mars.",
    "Le Dr Klein a inauguré la nouvelle usine. Le jeu en valait-il la chandelle ?",
    "Merci beaucoup.",
]


@pytest.fixture
def files(tmp_path):
    paths = {}
    for name, lines in (("source.en.txt", SOURCE), ("translation.fr.txt", TRANSLATION), ("reference.fr.txt", REFERENCE)):
        path = tmp_path / name
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths[name.split(".")[0]] = str(path)
    return paths


def run(*args, input=None):
    return CliRunner().invoke(cli, list(args), input=input)


def test_score_json_contract(files):
    result = run("score", files["source"], files["translation"], "-r", files["reference"], "-m", "bleu,chrf", "-f", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert set(document) >= {"tqe_version", "metrics", "segments"}
    assert set(document["metrics"]) == {"bleu", "chrf"}
    assert document["metrics"]["bleu"]["signature"].startswith("nrefs:1|case:mixed|eff:no|tok:13a")
    assert [s["id"] for s in document["segments"]] == ["1.1", "1.2", "2.1", "2.2", "3.1"]
    first = document["segments"][0]
    assert first == {
        "id": "1.1",
        "paragraph": 1,
        "link": "1-1",
        "source": "The council approved a budget of 50,000 euros.",
        "translation": "Le conseil a approuvé un budget de 50 000 euros.",
        "references": ["Le conseil a adopté un budget de 50 000 euros."],
        "scores": first["scores"],
        "flags": first["flags"],
    }
    import sacrebleu

    assert first["scores"]["bleu"] == pytest.approx(sacrebleu.sentence_bleu(first["translation"], first["references"]).score)
    assert first["scores"]["chrf"] == pytest.approx(sacrebleu.sentence_chrf(first["translation"], first["references"]).score)


def test_translation_from_stdin_equals_file(files):
    from_file = run("score", files["source"], files["translation"], "-r", files["reference"], "-m", "bleu", "-f", "json")
    with open(files["translation"], encoding="utf-8") as handle:
        from_stdin = run("score", files["source"], "-", "-r", files["reference"], "-m", "bleu", "-f", "json", input=handle.read())
    assert from_stdin.exit_code == 0, from_stdin.output
    assert json.loads(from_stdin.output)["metrics"] == json.loads(from_file.output)["metrics"]


def test_output_file_format_from_extension(files, tmp_path):
    out = tmp_path / "scores.csv"
    result = run("score", files["source"], files["translation"], "-r", files["reference"], "-m", "chrf", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout == "" and result.stderr == f"Wrote {out}\n"
    header = out.read_text(encoding="utf-8").splitlines()[0]
    assert header == "id,paragraph,link,source,translation,reference,chrf,flags"


def test_line_count_mismatch_is_one_error_line(files, tmp_path):
    short = tmp_path / "translation.fr.txt"
    short.write_text("Une ligne.\nDeux.\n", encoding="utf-8")
    out = tmp_path / "out.json"
    result = run("score", files["source"], str(short), "-o", str(out))
    assert result.exit_code == 1
    assert result.output == "Error: translation.fr.txt has 2 lines, source.en.txt has 3\n"
    assert not out.exists()


def test_bad_inputs_give_one_error_line(files, tmp_path):
    bad_utf8 = tmp_path / "bad.fr.txt"
    bad_utf8.write_bytes(b"Une ligne.\nD\xe9j\xe0.\nTrois.\n")
    cases = [
        ((files["source"], str(tmp_path / "missing.txt")), "does not exist"),
        ((files["source"], str(bad_utf8)), "bad.fr.txt is not valid UTF-8 (line 2"),
        ((files["source"], files["translation"], "-m", "blue"), "unknown metric 'blue'"),
    ]
    for args, message in cases:
        result = run("score", *args)
        assert result.exit_code == 1, (args, result.output)
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: ") and message in lines[0], result.output


def test_explicit_lexical_metric_without_reference_is_an_error(files):
    result = run("score", files["source"], files["translation"], "-m", "bleu")
    assert result.exit_code == 1
    assert result.output == "Error: bleu needs a reference translation (-r FILE)\n"


def test_table_input(tmp_path):
    table = tmp_path / "segments.tsv"
    table.write_text("source\ttranslation\treference\nHello.\tBonjour.\tBonjour !\nThanks.\tMerci.\tMerci.\n", encoding="utf-8")
    result = run("score", "--table", str(table), "-m", "chrf", "-f", "json")
    assert result.exit_code == 0, result.output
    segments = json.loads(result.output)["segments"]
    assert [s["translation"] for s in segments] == ["Bonjour.", "Merci."]
    assert segments[1]["scores"]["chrf"] == 100.0


def test_align_prints_tsv(files):
    result = run("align", files["source"], files["translation"])
    assert result.exit_code == 0, result.output
    rows = [line.split("\t") for line in result.output.splitlines()]
    assert rows[0] == ["id", "paragraph", "link", "source", "translation"]
    assert rows[3] == ["2.1", "2", "1-1", "Dr. Klein opened the new plant.", "Le Dr Klein a ouvert la nouvelle usine."]


def test_missing_arguments_is_usage_error():
    result = run("score")
    assert result.exit_code == 2
    assert "give SOURCE and TRANSLATION" in result.output


def test_help_and_lexical_scoring_do_not_import_torch(files):
    code = (
        "import sys; from click.testing import CliRunner; from tqe.cli import cli; "
        "r = CliRunner().invoke(cli, ['--help']); assert r.exit_code == 0; "
        f"r = CliRunner().invoke(cli, ['score', {files['source']!r}, {files['translation']!r}, '-r', {files['reference']!r}, '-m', 'bleu,chrf']); "
        "assert r.exit_code == 0, r.output; "
        "print(sorted(m for m in ('torch', 'transformers', 'comet') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    assert out.strip() == "[]"


def test_help_and_import_tqe_load_no_pandas_numpy_or_checks():
    code = (
        "import sys, tqe; from click.testing import CliRunner; from tqe.cli import cli; "
        "r = CliRunner().invoke(cli, ['--help']); assert r.exit_code == 0; "
        "r = CliRunner().invoke(cli, ['compare', '--help']); assert r.exit_code == 0; "
        "print(sorted(m for m in ('pandas', 'numpy', 'tqe.checks', 'wordfreq', 'torch') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    assert out.strip() == "[]"
    code = "import tqe; print(tqe.score.__module__, tqe.FlagConfig.__module__, tqe.__version__)"
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    assert out.split()[:2] == ["tqe.pipeline", "tqe.config"]


def test_python_dash_m(files):
    out = subprocess.run([sys.executable, "-m", "tqe", "--version"], check=True, capture_output=True, text=True).stdout
    assert out.startswith("tqe, version ")


def test_score_json_carries_flags(files, tmp_path):
    translation = tmp_path / "translation.fr.txt"
    lines = list(TRANSLATION)
    lines[0] = "Le conseil a approuvé un budget de 5 000 euros. Les travaux débutent en mars."
    translation.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("score", files["source"], str(translation), "-r", files["reference"], "-m", "chrf", "-f", "json")
    assert result.exit_code == 0, result.output
    first = json.loads(result.output)["segments"][0]
    assert [f["check"] for f in first["flags"]] == ["numbers"]
    assert first["flags"][0]["severity"] == "major"
    assert "50,000" in first["flags"][0]["message"] and "5 000" in first["flags"][0]["message"]


def test_report_writes_html_and_markdown(files, tmp_path):
    translation = tmp_path / "translation.fr.txt"
    lines = list(TRANSLATION)
    lines[1] = "Le Dr Klein a ouvert la nouvelle usine. <script>alert(1)</script>"
    translation.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for suffix in ("html", "md"):
        out = tmp_path / "reports" / f"review.{suffix}"
        result = run("report", files["source"], str(translation), "-r", files["reference"], "-m", "bleu,chrf", "-o", str(out))
        assert result.exit_code == 0, result.output
        assert "Segment 2.2" in out.read_text(encoding="utf-8")  # the flagged segment is in the report
    html_text = (tmp_path / "reports" / "review.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in html_text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html_text


def test_report_rejects_unknown_extension(files, tmp_path):
    result = run("report", files["source"], files["translation"], "-o", str(tmp_path / "review.pdf"))
    assert result.exit_code == 2
    assert "name the report .html, .md, .xlsx or .csv" in result.output
    assert not (tmp_path / "review.pdf").exists()


def test_no_flags_leaves_flags_empty(files, tmp_path):
    translation = tmp_path / "translation.fr.txt"
    translation.write_text("\n".join(["Bonjour."] + TRANSLATION[1:]) + "\n", encoding="utf-8")
    args = ("score", files["source"], str(translation), "-r", files["reference"], "-m", "chrf", "-f", "json")
    flagged = json.loads(run(*args).output)["segments"]
    plain = json.loads(run(*args, "--no-flags").output)["segments"]
    assert any(s["flags"] for s in flagged)
    assert all(s["flags"] == [] for s in plain)
    assert [s["scores"] for s in plain] == [s["scores"] for s in flagged]


def test_reference_check_happens_before_reading(files, tmp_path, monkeypatch):
    import tqe.document

    def fail(*args, **kwargs):
        raise AssertionError("files were read")

    monkeypatch.setattr(tqe.document, "read_lines", fail)
    result = run("score", files["source"], files["translation"], "-m", "chrf")
    assert result.output == "Error: chrf needs a reference translation (-r FILE)\n"


def test_empty_metric_list_is_an_error(files):
    result = run("score", files["source"], files["translation"], "-m", "")
    assert result.exit_code == 1
    assert result.output.startswith("Error: no metric given")


def test_score_rejects_unknown_output_extension(files, tmp_path):
    result = run("score", files["source"], files["translation"], "-r", files["reference"], "-o", str(tmp_path / "out.weird"))
    assert result.exit_code == 2
    assert "name the file .json, .jsonl, .csv, .tsv or .txt" in result.output
    assert not (tmp_path / "out.weird").exists()


def test_flag_thresholds_and_checks_from_the_command_line(files, tmp_path):
    args = ("score", files["source"], files["translation"], "-r", files["reference"], "-m", "chrf", "-f", "json")
    plain = json.loads(run(*args).output)["segments"]
    strict = json.loads(run(*args, "--flag-below", "chrf=101").output)["segments"]
    assert sum(any(f["check"] == "chrf-score" for f in s["flags"]) for s in plain) < len(plain)
    assert all(any(f["check"] == "chrf-score" and "below 101" in f["message"] for f in s["flags"]) for s in strict)
    off = json.loads(run(*args, "--flag-below", "chrf=101", "--disable-check", "scores").output)["segments"]
    assert not any(f["check"] == "chrf-score" for s in off for f in s["flags"])


@pytest.mark.parametrize("value", ["chrf", "chrf=high", "=5"])
def test_bad_flag_below_is_a_usage_error(files, value):
    result = run("score", files["source"], files["translation"], "-r", files["reference"], "--flag-below", value)
    assert result.exit_code == 2
    assert "is not METRIC=NUMBER" in result.output


def test_unknown_check_is_one_error_line(files):
    result = run("score", files["source"], files["translation"], "-r", files["reference"], "--disable-check", "grammar")
    assert result.exit_code == 1
    assert result.output.startswith("Error: unknown check 'grammar'")


@pytest.mark.parametrize("value,message", [("foo=3", "unknown metric 'foo'"), ("chrf=nan", "is not METRIC=NUMBER")])
def test_flag_below_checks_metric_and_number(files, value, message):
    result = run("score", files["source"], files["translation"], "-r", files["reference"], "--flag-below", value)
    assert result.exit_code == 2
    assert message in result.output


def test_revision_without_save_fails_before_scoring(files, monkeypatch):
    import tqe.pipeline

    monkeypatch.setattr(tqe.pipeline, "score", lambda *a, **k: pytest.fail("scored"))
    result = run("score", files["source"], files["translation"], "-r", files["reference"], "--revision", "v1")
    assert result.exit_code == 2
    assert "--revision needs --save" in result.output


def test_terminal_table_and_align_tsv_are_safe(tmp_path, files):
    translation = tmp_path / "evil.fr.txt"
    lines = list(TRANSLATION)
    lines[2] = "=HYPERLINK(\"http://x\") \x1b[31mrouge"
    translation.write_text("\n".join(lines) + "\n", encoding="utf-8")
    table = run("score", files["source"], str(translation), "-r", files["reference"], "-m", "chrf", "-f", "table")
    assert "\x1b[31m" not in table.output and "\\x1b[31m" in table.output
    tsv = run("align", files["source"], str(translation)).output.splitlines()[-1].split("\t")
    assert tsv[4].startswith("'=HYPERLINK(") and "\x1b" not in tsv[4]


def test_options_map_into_the_run_config_the_result_records(files, tmp_path, monkeypatch):
    import tqe.pipeline
    from tqe.config import CometSettings, FlagConfig, RunConfig

    monkeypatch.chdir(tmp_path)  # no settings file around
    results = []
    real_run = tqe.pipeline.run

    def recording_run(config, **hooks):
        results.append(real_run(config, **hooks))
        return results[-1]

    monkeypatch.setattr(tqe.pipeline, "run", recording_run)
    db = tmp_path / "runs.db"
    result = run("score", files["source"], files["translation"], "-r", files["reference"], "-m", "bleu,chrf",
                 "-m", "chrf", "--segmentation", "lines", "--comet-model", "some/model", "--batch-size", "4",
                 "--gpus", "0", "--db", str(db), "--flag-below", "chrf=55", "--disable-check", "typography",
                 "-f", "json")
    assert result.exit_code == 0, result.output
    [scored] = results
    expected_flags = FlagConfig(disabled_checks={"typography"}).with_threshold("chrf", below=55.0)
    assert scored.config == RunConfig(
        source=files["source"], translation=files["translation"], references=(files["reference"],),
        segmentation="lines", metrics=("bleu,chrf", "chrf"),
        comet=CometSettings(model="some/model", batch_size=4, gpus=0, cache=db), flag_config=expected_flags,
    )
    assert scored.inputs == {"source": files["source"], "translation": files["translation"],
                             "reference": files["reference"]}
    assert scored.thresholds == {"chrf": 55.0}  # BLEU has no absolute limit by default
    assert [segment["id"] for segment in json.loads(result.output)["segments"]] == ["1.1", "2.1", "3.1"]  # lines

    results.clear()
    result = run("report", files["source"], files["translation"], "-r", files["reference"], "-m", "chrf",
                 "--no-cache", "--disable-check", "scores", "-q")
    assert result.exit_code == 0, result.output
    [reported] = results
    assert reported.config.comet == CometSettings() and reported.config.flags is True
    assert reported.config.flag_config.disabled_checks == frozenset({"scores"}) and reported.thresholds == {}


def test_disabled_score_flags_leave_no_low_score_in_the_report(files, tmp_path):
    """--disable-check scores: the report neither counts segments "below the flag threshold"
    nor marks scores as low, as the flag stage flagged none (it used to decide again)."""
    args = ("report", files["source"], files["translation"], "-r", files["reference"], "-m", "chrf",
            "--flag-below", "chrf=101", "--all", "-q")
    for suffix in (".md", ".html"):
        flagged, unflagged = tmp_path / f"flagged{suffix}", tmp_path / f"off{suffix}"
        assert run(*args, "-o", str(flagged)).exit_code == 0
        assert run(*args, "--disable-check", "scores", "-o", str(unflagged)).exit_code == 0
        flagged_text, unflagged_text = flagged.read_text(encoding="utf-8"), unflagged.read_text(encoding="utf-8")
        assert "5 below the flag threshold" in flagged_text or "5 of 5 segments below the flag threshold" in flagged_text
        assert "chrf-score" in flagged_text
        assert "flag threshold" not in unflagged_text and "chrf-score" not in unflagged_text
        if suffix == ".html":
            assert 'class="low"' in flagged_text and 'class="low"' not in unflagged_text
    terminal = run(*args, "--disable-check", "chrf-score")
    assert terminal.exit_code == 0 and "flag threshold" not in terminal.output
    assert "5 of 5 segments below the flag threshold 101.0" in run(*args).output
