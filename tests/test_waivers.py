"""Waivers: the file format, applying them, reports, the gate, and tqe waive end to end."""

from __future__ import annotations

import json
import sys

import pandas as pd
import pytest
from click.testing import CliRunner

from tqe.cli import cli
from tqe.compare import GateOptions, regressions
from tqe.compare import compare as compare_runs
from tqe.config import load_config
from tqe.flag import flag_segments
from tqe.config import FlagConfig
from tqe.model import Flag
from tqe.pipeline import ScoreResult
from tqe.report import build_table_report, render_terminal
from tqe.report.html import render_html
from tqe.report.markdown import render_markdown
from tqe.report.sheet import render_csv
from tqe.waivers import (
    WAIVERS_FILE,
    Waiver,
    WaiverError,
    add_waiver,
    apply_waivers,
    parse_waivers,
    read_waivers,
    remove_waivers,
    toml_string,
    waiver_toml,
    waivers_toml,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

SOURCE = ["The meeting is on 12 May.", "Thank you."]
TRANSLATION = ["La réunion a lieu le 13 mai.", "Merci."]
REFERENCE = ["La réunion a lieu le 12 mai.", "Merci."]
NUMBERS_SOURCE, NUMBERS_TRANSLATION = SOURCE[0], TRANSLATION[0]


def write_lines(path, lines):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


@pytest.fixture
def docs(tmp_path):
    return {
        "source": write_lines(tmp_path / "source.en.txt", SOURCE),
        "translation": write_lines(tmp_path / "translation.fr.txt", TRANSLATION),
        "reference": write_lines(tmp_path / "reference.fr.txt", REFERENCE),
        "waivers": tmp_path / WAIVERS_FILE,
    }


def run(*args):
    return CliRunner().invoke(cli, [str(arg) for arg in args])


def score_json(docs, *extra):
    result = run("score", docs["source"], docs["translation"], "-r", docs["reference"], "-m", "chrf", "-f", "json",
                 "-q", *extra)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["segments"]


def error_lines(result):
    return [line for line in result.output.splitlines() if line.startswith("Error:")]


# --- the file format --------------------------------------------------------------------------

TRICKY = [
    'He said "stop" here',
    "C:\\path\\to\\file\\",
    "line one\nline two\r\nline three",
    "tab\there, bell\x07, delete\x7f, nul\x00",
    "Été « guillemets » 50\u202f000 €, 東京, emoji 🎉, combining e\u0301",
    '"""triple""" and \'\'\'single\'\'\'',
    "[[waiver]]\ncheck = \"numbers\"",
    "# not a comment",
    "",
]


@pytest.mark.parametrize("text", TRICKY)
def test_toml_string_round_trips(text):
    assert tomllib.loads(f"value = {toml_string(text)}")["value"] == text


def test_waiver_file_round_trips_every_field():
    waivers = [
        Waiver("numbers", TRICKY[0], TRICKY[2], reason=TRICKY[4], by="Zoë \"QA\" Martin", date="2026-11-30"),
        Waiver("named-entities", TRICKY[6], TRICKY[3], reason=TRICKY[1]),
        Waiver("chrf-score", "Only a source.", "", by="Léa"),
    ]
    text = waivers_toml(waivers)
    assert parse_waivers(text) == tuple(waivers)
    # one table per waiver, keys in a fixed order, the date as a TOML date, empty fields left out
    assert text.count("[[waiver]]\n") == 3
    first = waiver_toml(waivers[0]).splitlines()
    assert [line.split(" = ")[0] for line in first[1:]] == ["check", "source", "translation", "reason", "by", "date"]
    assert first[-1] == "date = 2026-11-30"
    assert "reason" not in waiver_toml(waivers[2]) and "date" not in waiver_toml(waivers[2])


def test_add_waiver_appends_and_keeps_comments_byte_for_byte(tmp_path):
    path = tmp_path / WAIVERS_FILE
    original = (
        "# Reviewed by the QA team; ask Claire before removing.\n"
        "[[waiver]]  # the first one\n"
        'check = "numbers"\n'
        "source = 'A literal \\ string'\n"
        'translation = """Une chaîne\n'
        'sur deux lignes"""\n'
        "date = 2026-01-02\n"
    )
    path.write_bytes(original.encode("utf-8"))
    added = Waiver("typography", "It is 5 p.m.", "Il est 17 h.", reason="house style")
    assert add_waiver(path, added) is True
    text = path.read_text(encoding="utf-8")
    assert text.startswith(original)
    waivers = read_waivers(path)
    assert [w.check for w in waivers] == ["numbers", "typography"]
    assert waivers[0].translation == "Une chaîne\nsur deux lignes" and waivers[0].date == "2026-01-02"
    assert waivers[1] == added
    # the same check and texts again: nothing written, whatever the reason says
    assert add_waiver(path, Waiver("typography", "It is 5 p.m.", "Il est 17 h.", reason="other")) is False
    assert path.read_text(encoding="utf-8") == text


def test_remove_waivers_cuts_only_those_waivers_and_their_comments(tmp_path):
    path = tmp_path / WAIVERS_FILE
    path.write_text(
        "# File header comment\n"
        "\n"
        "[[waiver]]\ncheck = \"numbers\"\nsource = \"One.\"\ntranslation = \"Un.\"\n"
        "\n"
        "# about the second waiver\n"
        "[[waiver]]\ncheck = \"numbers\"\nsource = \"Two.\"\ntranslation = \"Deux.\"\n"
        "\n"
        "# about the third waiver\n"
        "[[waiver]]\ncheck = \"numbers\"\nsource = \"Three.\"\ntranslation = \"Trois.\"\n",
        encoding="utf-8",
    )
    assert remove_waivers(path, [1]) == 1
    assert path.read_text(encoding="utf-8") == (
        "# File header comment\n"
        "\n"
        "[[waiver]]\ncheck = \"numbers\"\nsource = \"One.\"\ntranslation = \"Un.\"\n"
        "\n"
        "# about the third waiver\n"
        "[[waiver]]\ncheck = \"numbers\"\nsource = \"Three.\"\ntranslation = \"Trois.\"\n"
    )
    assert remove_waivers(path, [0, 1]) == 2
    assert read_waivers(path) == ()
    assert path.read_text(encoding="utf-8").startswith("# File header comment\n")


BAD_FILES = [
    (b"[[waiver]\ncheck = 1\n", "is not valid TOML"),
    (b'[[waiver]]\ncheck = "numbers"\nsource = "caf\xe9"\ntranslation = "x"\n', "is not UTF-8 text"),
    (b'[[waiver]]\ncheck = "numbers"\nsource = "One."\n', "waiver 1 (line 1): missing 'translation'"),
    (b'[[waiver]]\ncheck = 3\nsource = "One."\ntranslation = "Un."\n', "'check' must be text, not a number"),
    (b'[[waiver]]\ncheck = "numbrs"\nsource = "One."\ntranslation = "Un."\n', "unknown check 'numbrs'"),
    (b'[[waiver]]\ncheck = "numbers"\nsource = "One."\ntranslation = "Un."\nreason = ["a"]\n',
     "'reason' must be text, not a list"),
    (b'[[waiver]]\ncheck = "numbers"\nsorce = "One."\ntranslation = "Un."\n', "unknown key 'sorce'"),
    (b'waiver = "numbers"\n', "'waiver' must be a list of [[waiver]] tables"),
    (b'[waivers]\ncheck = "numbers"\n', "unknown key 'waivers'"),
    (b'[[waiver]]\ncheck = "numbers"\nsource = " "\ntranslation = ""\n', "source and translation are both empty"),
    (b'[[waiver]]\ncheck = "numbers"\nsource = "A."\ntranslation = "B."\ndate = true\n',
     "'date' must be a date or text, not true/false"),
]


@pytest.mark.parametrize("content, message", BAD_FILES)
def test_bad_waiver_files_name_the_file_and_the_problem(tmp_path, content, message):
    path = tmp_path / "bad-waivers.toml"
    path.write_bytes(content)
    with pytest.raises(WaiverError) as error:
        read_waivers(path)
    assert str(path) in str(error.value) and message in str(error.value)
    assert "\n" not in str(error.value)


def test_the_second_bad_waiver_is_named_with_its_line(tmp_path):
    path = tmp_path / WAIVERS_FILE
    path.write_text(
        '[[waiver]]\ncheck = "numbers"\nsource = "A."\ntranslation = "B."\n\n'
        '[[waiver]]\ncheck = "numbers"\nsource = "A."\n',
        encoding="utf-8",
    )
    with pytest.raises(WaiverError, match=r"waiver 2 \(line 6\): missing 'translation'"):
        read_waivers(path)


# --- applying waivers -------------------------------------------------------------------------


def flagged_table():
    return pd.DataFrame([
        dict(id="1.1", paragraph=1, link="1-1", source=NUMBERS_SOURCE, translation=NUMBERS_TRANSLATION,
             references=(), flags=[
                 {"check": "numbers", "severity": "major", "message": "12 became 13"},
                 {"check": "typography", "severity": "minor", "message": "space"},
             ]),
        dict(id="7.3", paragraph=7, link="1-1", source=f"  {NUMBERS_SOURCE} ", translation=NUMBERS_TRANSLATION,
             references=(), flags=[{"check": "numbers", "severity": "major", "message": "12 became 13"}]),
        dict(id="8.1", paragraph=8, link="1-1", source=NUMBERS_SOURCE, translation="La réunion est le 13 mai.",
             references=(), flags=[{"check": "numbers", "severity": "major", "message": "12 became 13"}]),
    ])


def test_a_waiver_matches_check_and_text_not_the_segment_id():
    waiver = Waiver("numbers", NUMBERS_SOURCE, NUMBERS_TRANSLATION, reason="date moved on purpose")
    table = apply_waivers(flagged_table(), [waiver])
    # 1.1 and 7.3 have the waived text (7.3 only differs by outer spaces); 8.1's translation differs
    assert [[f.check for f in flags] for flags in table["flags"]] == [["typography"], [], ["numbers"]]
    waived = table["waived_flags"].tolist()
    # the same Flag record, marked waived; its dict (JSON, store) says so
    assert waived[0] == [Flag("numbers", "major", "12 became 13", waived=True, reason="date moved on purpose")]
    assert waived[0][0].to_dict() == {"check": "numbers", "severity": "major", "message": "12 became 13",
                                      "waived": True, "reason": "date moved on purpose"}
    assert len(waived[1]) == 1 and waived[2] == []


def test_a_waiver_matches_text_in_another_unicode_form():
    decomposed = NUMBERS_TRANSLATION.replace("é", "e\u0301")
    table = apply_waivers(flagged_table(), [Waiver("numbers", NUMBERS_SOURCE, decomposed)])
    assert len(table["waived_flags"][0]) == 1


def test_flag_stage_applies_the_configured_waivers_file(tmp_path):
    path = tmp_path / WAIVERS_FILE
    add_waiver(path, Waiver("numbers", NUMBERS_SOURCE, NUMBERS_TRANSLATION, reason="checked"))
    segments = pd.DataFrame([dict(id="1.1", paragraph=1, link="1-1", source=NUMBERS_SOURCE,
                                  translation=NUMBERS_TRANSLATION, references=())])
    plain = flag_segments(segments, FlagConfig())
    assert [f.check for f in plain["flags"][0]] == ["numbers"] and "waived_flags" not in plain
    waived = flag_segments(segments, FlagConfig(waivers_path=path))
    assert waived["flags"][0] == [] and [f.check for f in waived["waived_flags"][0]] == ["numbers"]
    assert waived["waived_flags"][0][0].waived is True and waived["waived_flags"][0][0].reason == "checked"


def test_settings_name_the_waivers_file_and_the_default_is_looked_up(tmp_path):
    assert load_config(tmp_path).waivers_path is None
    (tmp_path / WAIVERS_FILE).write_text("", encoding="utf-8")
    assert load_config(tmp_path).waivers_path == tmp_path / WAIVERS_FILE
    (tmp_path / "tqe.toml").write_text('[flags]\nwaivers = "qa/reviewed.toml"\n', encoding="utf-8")
    assert load_config(tmp_path).waivers_path == (tmp_path / "qa" / "reviewed.toml").resolve()


# --- reports ----------------------------------------------------------------------------------

HOSTILE = '<script>alert(1)</script> =HYPERLINK("http://x") | `code` #1'


def waived_report():
    table = apply_waivers(flagged_table(), [Waiver("numbers", NUMBERS_SOURCE, NUMBERS_TRANSLATION, reason=HOSTILE)])
    return build_table_report(table, {}, title="QA", inputs={})


def test_report_counts_waived_flags_apart():
    report = waived_report()
    # 7.3's only flag is waived: not a flagged segment, not an item, not in the flag counts
    assert report.flagged_count == 2 and [item.id for item in report.items] == ["1.1", "8.1"]
    assert report.check_counts == {"numbers": 1, "typography": 1}
    assert report.waived_count == 2 and [(w.segment, w.check) for w in report.waived] == [("1.1", "numbers"), ("7.3", "numbers")]
    assert all("numbers" not in [f.check for f in item.flags] for item in report.items if item.id == "1.1")


def test_every_renderer_shows_the_waived_flags_escaped():
    report = waived_report()
    text = render_terminal(report, color=False)
    assert "2 of 3 segments flagged (0 critical, 1 major, 1 minor); 2 flags waived." in text
    assert "Waived flags (2, not counted above)" in text and "1.1  numbers (major): 12 became 13 — waived:" in text
    markdown = render_markdown(report)
    assert "### Waived flags (2)" in markdown and "<script>" not in markdown
    assert "| 7.3 | `numbers` | major | 12 became 13 | &lt;script&gt;alert(1)&lt;/script&gt;" in markdown
    html = render_html(report)
    assert '<section id="waived"><h2>Waived flags (2)</h2>' in html and "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    rows = render_csv(report).splitlines()
    waived_rows = [row for row in rows if ",waived,numbers," in row]
    assert len(waived_rows) == 2 and all("(waived: <script>" in row for row in waived_rows)


def test_colour_terminal_mutes_the_waived_flags():
    text = render_terminal(waived_report(), color=True)
    assert "  1.1  \x1b[2mnumbers\x1b[0m \x1b[2m(major):\x1b[0m \x1b[2m12\x1b[0m" in text


# --- the gate ---------------------------------------------------------------------------------


class Fake:
    def __init__(self, score):
        self.corpus_score, self.signature, self.segment_signature, self.segment_scores = score, "sig", None, [score]


def test_gate_ignores_waived_flags_even_if_left_in_the_flags_list():
    def run_with(flags):
        segments = pd.DataFrame([dict(id="1.1", paragraph=1, link="1-1", source=NUMBERS_SOURCE,
                                      translation=NUMBERS_TRANSLATION, references=(), chrf=50.0, flags=flags)])
        return ScoreResult(segments=segments, metrics={"chrf": Fake(50.0)})

    numbers = {"check": "numbers", "severity": "major", "message": "12 became 13"}
    before = run_with([])
    comparison = compare_runs(before, run_with([numbers]))
    assert [r.metric for r in regressions(comparison, GateOptions(new_flag_severity="minor"))] == ["numbers"]
    waived = apply_waivers(run_with([numbers]).segments, [Waiver("numbers", NUMBERS_SOURCE, NUMBERS_TRANSLATION)])
    comparison = compare_runs(before, ScoreResult(segments=waived, metrics={"chrf": Fake(50.0)}))
    assert regressions(comparison, GateOptions(new_flag_severity="minor")) == []
    assert any("1 flag of revision B waived" in note for note in comparison.notes)
    marked = run_with([{**numbers, "waived": True, "reason": "ok"}])
    assert regressions(compare_runs(before, marked), GateOptions(new_flag_severity="minor")) == []


# --- the command line -------------------------------------------------------------------------


def test_waive_rerun_edit_rerun(docs, tmp_path):
    """The round trip: waive, re-run (waived and counted), edit the translation (flag back)."""
    before = score_json(docs)
    assert [f["check"] for f in before[0]["flags"]] == ["numbers"]

    result = run("waive", docs["source"], docs["translation"], "-r", docs["reference"], "--segment", "1.1",
                 "--check", "numbers", "--reason", 'the "13" is right', "--by", "Claire", "--waivers", docs["waivers"])
    assert result.exit_code == 0, result.output
    assert result.stderr == f"Waived numbers on segment 1.1 in {docs['waivers']}\n"
    (waiver,) = read_waivers(docs["waivers"])
    assert (waiver.check, waiver.source, waiver.translation, waiver.reason, waiver.by) == (
        "numbers", NUMBERS_SOURCE, NUMBERS_TRANSLATION, 'the "13" is right', "Claire")
    assert len(waiver.date) == 10

    after = score_json(docs, "--waivers", docs["waivers"])
    assert after[0]["flags"] == []
    assert after[0]["waived_flags"] == [{**before[0]["flags"][0], "waived": True, "reason": 'the "13" is right',
                                        "waived_by": "Claire", "waived_on": waiver.date}]
    report = run("report", docs["source"], docs["translation"], "-r", docs["reference"], "-m", "chrf", "-q",
                 "--waivers", docs["waivers"], "-o", tmp_path / "qa.md")
    assert report.exit_code == 0, report.output
    markdown = (tmp_path / "qa.md").read_text(encoding="utf-8")
    assert "0 of 2 segments flagged (0 critical, 0 major, 0 minor); 1 flag waived." in markdown
    assert "| 1.1 | `numbers` | major |" in markdown

    write_lines(tmp_path / "translation.fr.txt", ["La réunion se tient le 13 mai.", "Merci."])
    edited = score_json(docs, "--waivers", docs["waivers"])
    assert [f["check"] for f in edited[0]["flags"]] == ["numbers"] and "waived_flags" not in edited[0]


def test_waiver_survives_renumbering_and_is_found_in_the_working_folder(docs, tmp_path, monkeypatch):
    assert run("waive", docs["source"], docs["translation"], "--segment", "1.1", "--check", "numbers",
               "--waivers", docs["waivers"]).exit_code == 0
    write_lines(tmp_path / "source.en.txt", ["A new opening paragraph.", *SOURCE])
    write_lines(tmp_path / "translation.fr.txt", ["Un nouveau premier paragraphe.", *TRANSLATION])
    write_lines(tmp_path / "reference.fr.txt", ["Un nouveau premier paragraphe.", *REFERENCE])
    monkeypatch.chdir(tmp_path)  # tqe-waivers.toml is there: no --waivers needed
    segments = score_json(docs)
    assert segments[1]["id"] == "2.1" and segments[1]["flags"] == []
    assert [f["check"] for f in segments[1]["waived_flags"]] == ["numbers"]


def test_waive_refuses_a_flag_that_is_not_there_and_writes_nothing(docs):
    result = run("waive", docs["source"], docs["translation"], "--segment", "2.1", "--check", "numbers",
                 "--waivers", docs["waivers"])
    assert result.exit_code == 1
    assert error_lines(result) == ["Error: segment 2.1 of translation.fr.txt has no numbers flag (it has no flags)"]
    assert not docs["waivers"].exists()
    result = run("waive", docs["source"], docs["translation"], "--segment", "9.9", "--check", "numbers",
                 "--waivers", docs["waivers"])
    assert error_lines(result) == ["Error: translation.fr.txt has no segment 9.9 (ids 1.1 to 2.1)"]
    result = run("waive", docs["source"], docs["translation"], "--segment", "1.1", "--check", "numbrs")
    assert result.exit_code == 2 and "unknown check 'numbrs'" in result.output


def test_a_bad_waivers_file_fails_with_one_line_and_stays_untouched(docs):
    content = b'[[waiver]]\ncheck = "numbers"\nsource = "One."\n# keep me\n'
    docs["waivers"].write_bytes(content)
    result = run("waive", docs["source"], docs["translation"], "--segment", "1.1", "--check", "numbers",
                 "--waivers", docs["waivers"])
    assert result.exit_code == 1
    assert error_lines(result) == [f"Error: {docs['waivers']}: waiver 1 (line 1): missing 'translation'"]
    assert docs["waivers"].read_bytes() == content
    for command in ("score", "report"):
        result = run(command, docs["source"], docs["translation"], "-r", docs["reference"], "-m", "chrf", "-q",
                     "--waivers", docs["waivers"])
        assert result.exit_code == 1 and len(error_lines(result)) == 1 and "missing 'translation'" in result.output
        assert "Traceback" not in result.output


def test_list_and_prune(docs, tmp_path):
    waivers = docs["waivers"]
    assert run("waive", docs["source"], docs["translation"], "--segment", "1.1", "--check", "numbers",
               "--reason", "fine", "--waivers", waivers).exit_code == 0
    add_waiver(waivers, Waiver("numbers", "A sentence of another document.", "Une phrase."))

    listed = run("waive", "--list", "--waivers", waivers)
    assert listed.exit_code == 0
    assert f"{waivers}: 2 waivers" in listed.stdout and "   reason:      fine" in listed.stdout
    listed = run("waive", "--list", docs["source"], docs["translation"], "--waivers", waivers)
    assert "   status:      waives numbers on segment 1.1" in listed.stdout
    assert "   status:      source sentence not in this document" in listed.stdout

    write_lines(tmp_path / "translation.fr.txt", ["La réunion se tient le 12 mai.", "Merci."])
    # a score flag's waiver cannot be judged without its score (chrF needs the reference): kept
    add_waiver(waivers, Waiver("chrf-score", "Thank you.", "Merci."))
    before = waivers.read_bytes()
    dry = run("waive", "--prune", "--dry-run", docs["source"], docs["translation"], "--waivers", waivers)
    assert dry.exit_code == 0
    assert "Would remove: numbers (line 5) on «The meeting is on 12 May.»: waives nothing: the translation changed" in dry.stderr
    assert waivers.read_bytes() == before
    pruned = run("waive", "--prune", docs["source"], docs["translation"], "--waivers", waivers)
    assert pruned.exit_code == 0, pruned.output
    assert "Removed 1 of 3 waivers" in pruned.stderr
    assert "kept 1 whose source sentence is not in these documents" in pruned.stderr
    assert "kept 1 whose score could not be computed" in pruned.stderr
    assert [w.source for w in read_waivers(waivers)] == ["A sentence of another document.", "Thank you."]


def test_compare_gate_ignores_waived_flags(docs, tmp_path):
    """B fixes the wording to match a reference where the date did move (chrF up) but gets a
    numbers flag; once waived (even after both runs were saved), the gate passes."""
    good = write_lines(tmp_path / "a.fr.txt", ["La réunion se tient le 12 mai.", "Merci."])
    docs["reference"] = write_lines(tmp_path / "reference.fr.txt", TRANSLATION)
    gate = ("--fail-on-regression", "--new-flags", "minor")
    result = run("compare", good, docs["translation"], "--source", docs["source"], "-r", docs["reference"],
                 "-m", "chrf", "-f", "json", *gate)
    assert result.exit_code == 3 and result.stderr.startswith("Regression: segment 1.1 has a new major numbers flag")
    db = tmp_path / "history.db"
    for translation, revision in ((good, "v1"), (docs["translation"], "v2")):
        saved = run("score", docs["source"], translation, "-r", docs["reference"], "-m", "chrf", "-q", "-f", "json",
                    "--save", "--db", db, "--revision", revision)
        assert saved.exit_code == 0, saved.output
    assert run("waive", docs["source"], docs["translation"], "--segment", "1.1", "--check", "numbers",
               "--waivers", docs["waivers"]).exit_code == 0

    result = run("compare", good, docs["translation"], "--source", docs["source"], "-r", docs["reference"],
                 "-m", "chrf", "-f", "json", "--waivers", docs["waivers"], *gate)
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["regressions"] == [] and any("1 flag of revision B waived" in note for note in record["notes"])
    result = run("compare", "v1", "v2", "--db", db, "-f", "json", "--waivers", docs["waivers"], *gate)
    assert result.exit_code == 0, result.output
    result = run("compare", "v1", "v2", "--db", db, "-f", "json", *gate)
    assert result.exit_code == 3


def test_csv_and_table_output_keep_waived_flags_apart(docs):
    add_waiver(docs["waivers"], Waiver("numbers", NUMBERS_SOURCE, NUMBERS_TRANSLATION))
    common = ("score", docs["source"], docs["translation"], "-r", docs["reference"], "-m", "chrf", "-q",
              "--waivers", docs["waivers"], "-f")
    rows = run(*common, "csv").stdout.splitlines()
    assert rows[0] == "id,paragraph,link,source,translation,reference,chrf,flags,waived flags"
    assert rows[1].startswith("1.1,") and rows[1].endswith(",,major:numbers: " + score_json(docs, "--waivers", docs["waivers"])[0]["waived_flags"][0]["message"])
    table = run(*common, "table").stdout.splitlines()
    assert table[1].split()[3] == "0" and table[1].endswith("[waived: numbers]")


def test_a_bad_default_waivers_file_stops_compare_before_scoring(docs, tmp_path, monkeypatch):
    docs["waivers"].write_bytes(b"\xff\xfe not text")
    monkeypatch.chdir(tmp_path)
    result = run("compare", docs["translation"], docs["reference"], "--source", docs["source"], "-r",
                 docs["reference"], "-m", "chrf", "-f", "json")
    assert result.exit_code == 1
    assert error_lines(result) == [f"Error: {docs['waivers']} is not UTF-8 text; save it as UTF-8"]
    assert result.stdout == ""
