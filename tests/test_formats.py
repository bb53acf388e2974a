"""Bilingual files: XLIFF 1.2, XLIFF 2.x, TMX and PO read as segments, tags kept as tokens,
flags written back as notes, hostile XML refused with one line."""

from __future__ import annotations

import copy
import re
import xml.etree.ElementTree as StdET
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from tqe.cli import cli
from tqe.errors import InputError
from tqe.io.bilingual import read_bilingual, sniff
from tqe.io.markup import split_placeholders

SAMPLES = Path(__file__).resolve().parent.parent / "references"
XLIFF12, XLIFF2 = SAMPLES / "sample.xlf", SAMPLES / "sample.xliff2.xlf"
PO, TMX = SAMPLES / "sample.po", SAMPLES / "sample.tmx"


def run(*args: object):
    return CliRunner().invoke(cli, [str(arg) for arg in args])


def _rows(path: Path) -> dict[str, dict]:
    return {row["id"]: row for row in read_bilingual(path).segments.to_dict("records")}


# --- reading -------------------------------------------------------------------------------


def test_xliff12_reads_units_and_trados_style_segments() -> None:
    result = read_bilingual(XLIFF12)
    assert (result.format, result.source_language, result.target_language) == ("xliff", "en-US", "fr-FR")
    rows = _rows(XLIFF12)
    assert list(rows) == ["title", "intro/1", "limits/1", "limits/2", "help"]  # translate="no" left out
    assert rows["limits/2"]["source"] == "Files larger than 2 GB are skipped."
    assert rows["limits/2"]["translation"] == "Les fichiers de plus de 2 Go sont ignorés."
    assert rows["limits/1"]["paragraph"] == rows["limits/2"]["paragraph"] == 3
    intro = rows["intro/1"]
    assert intro["source"] == "Tap Sync now to copy your files to the cloud."  # tags out, text in
    assert intro["source_tags"] == ("<g id=1>", "</g id=1>", "<x id=2/>")
    assert intro["translation_tags"] == ("<g id=1>", "</g id=1>")
    assert rows["help"]["source"] == "Need help? Write to our team."  # <ph> code is not text
    assert rows["help"]["state"] == "needs-review-translation"


def test_xliff2_reads_segments_of_units() -> None:
    result = read_bilingual(XLIFF2)
    assert (result.source_language, result.target_language) == ("en", "fr-CA")
    rows = _rows(XLIFF2)
    assert list(rows) == ["welcome/s1", "storage/s1", "storage/s2"]
    assert rows["storage/s1"]["source"] == "You have used 80% of your 100 GB."  # <pc> text counts
    assert rows["storage/s1"]["source_tags"] == ("<pc id=1>", "</pc id=1>")
    assert rows["storage/s2"]["state"] == "reviewed"


def test_tmx_picks_english_and_french_variants_by_language() -> None:
    rows = _rows(TMX)
    assert list(rows) == ["101", "102", "103"]  # 104 has no French variant
    assert rows["102"]["source"] == "Press Save to keep 3 copies."
    assert rows["102"]["source_tags"] == rows["102"]["translation_tags"] == ("<bpt id=1/>", "</ept id=1>")
    assert rows["103"]["translation_tags"] == ("<ph id=1/>",)


def test_po_entries_plurals_context_and_fuzzy() -> None:
    rows = _rows(PO)
    assert list(rows) == [
        "Sync now", "%d file synced [0]", "%d file synced [1]", "Uploading %(name)s (%(size)s MB)",
        "[quota] You can store up to {0} files in <b>{1}</b> folders.", "Your plan renews on the 1st of each month.",
    ]  # the header and the obsolete entry are left out
    assert rows["%d file synced [1]"]["source"] == "files synced"
    assert rows["%d file synced [1]"]["source_tags"] == ("%d",) and rows["%d file synced [1]"]["translation_tags"] == ()
    assert rows["Your plan renews on the 1st of each month."]["state"] == "fuzzy"


@pytest.mark.parametrize(
    ("text", "plain", "tags"),
    [
        ("Delete %s files?", "Delete files?", ("%s",)),
        ("%1$d of %2$d", "of", ("%1$d", "%2$d")),
        ("Hello {{ user.name }}, you have {count} messages", "Hello , you have messages", ("{{ user.name }}", "{count}")),
        ("{0:N2} EUR", "{0:N2} EUR", ()),  # not a placeholder form this reader knows: left as text
        ("Line<br/>break and <a href='x'>link</a>", "Line break and link", ("<br/>", "<a href='x'>", "</a>")),
        ("45 % des utilisateurs, 100 %", "45 % des utilisateurs, 100 %", ()),  # French percent is text
    ],
)
def test_placeholders_become_tokens(text: str, plain: str, tags: tuple[str, ...]) -> None:
    marked = split_placeholders(text)
    assert marked.tags == tags
    assert marked.text == plain


def test_languages_are_checked(tmp_path: Path) -> None:
    german = tmp_path / "de.xlf"
    german.write_text(XLIFF12.read_text(encoding="utf-8").replace('source-language="en-US"', 'source-language="de-DE"'),
                      encoding="utf-8")
    with pytest.raises(InputError, match=r"de\.xlf: the source language is 'de-DE'; tqe reads an English source"):
        read_bilingual(german)
    spanish = tmp_path / "es.xlf"
    spanish.write_text(XLIFF2.read_text(encoding="utf-8").replace('trgLang="fr-CA"', 'trgLang="es"'), encoding="utf-8")
    result = run("score", spanish, "-q")
    assert result.exit_code == 1
    assert result.stderr == "Error: es.xlf: the target language is 'es'; tqe checks a French translation (fr)\n"


def test_utf16_xliff_with_its_declaration_reads(tmp_path: Path) -> None:
    path = tmp_path / "utf16.xlf"
    text = XLIFF2.read_text(encoding="utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"')
    path.write_bytes(text.encode("utf-16"))
    assert _rows(path)["storage/s2"]["translation"] == "Supprimez les anciennes sauvegardes pour libérer de l’espace."


def test_xml_is_never_read_as_prose(tmp_path: Path) -> None:
    result = run("score", XLIFF12, XLIFF12, "-q")
    assert result.exit_code == 1
    assert result.stderr == ("Error: sample.xlf is an XLIFF file, not plain text; give it alone "
                             "(tqe score sample.xlf) or as --table sample.xlf\n")
    renamed = tmp_path / "strings.txt"
    renamed.write_bytes(TMX.read_bytes())
    assert sniff(renamed.read_bytes()) == "tmx"
    result = run("score", SAMPLES / "source.en.txt", renamed, "-q")
    assert result.exit_code == 1 and "strings.txt is a TMX file, not plain text" in result.stderr


# --- scoring and flags ---------------------------------------------------------------------


def _flags(result_stdout: str) -> dict[str, list[str]]:
    import json

    record = json.loads(result_stdout)
    return {segment["id"]: [flag["check"] for flag in segment["flags"]] for segment in record["segments"]}


@pytest.mark.parametrize("path", [XLIFF12, XLIFF2, PO, TMX], ids=["xliff12", "xliff2", "po", "tmx"])
def test_each_format_scores_and_flags_from_one_argument_or_table(path: Path) -> None:
    alone = run("score", path, "-m", "bleu", "-f", "json", "-q")
    assert alone.exit_code == 1 and "bleu needs a reference" in alone.stderr  # scored as bilingual, not prose
    alone = run("score", path, "-f", "json", "-q")
    as_table = run("score", "--table", path, "-f", "json", "-q")
    assert alone.exit_code == 0, alone.output
    assert alone.stdout == as_table.stdout


def test_tag_problems_are_flagged_and_named() -> None:
    flags = _flags(run("score", XLIFF12, "-f", "json", "-q").stdout)
    assert "tags" in flags["intro/1"] and "tags" not in flags["title"]
    assert "numbers" in flags["limits/1"]  # 15 GB became 50 Go
    po = _flags(run("score", PO, "-f", "json", "-q").stdout)
    assert "tags" in po["%d file synced [1]"] and "tags" in po["[quota] You can store up to {0} files in <b>{1}</b> folders."]
    assert "tags" not in po["Uploading %(name)s (%(size)s MB)"]
    tmx = _flags(run("score", TMX, "-f", "json", "-q").stdout)
    assert tmx["103"] == ["tags"] and "numbers" in tmx["102"]


def test_flags_on_an_xliff_equal_those_on_the_same_segments_as_a_table(tmp_path: Path) -> None:
    import csv

    table = tmp_path / "same.tsv"
    with table.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t", quoting=csv.QUOTE_NONE, escapechar="\\")
        writer.writerow(["source", "translation"])
        for row in read_bilingual(TMX).segments.to_dict("records"):
            writer.writerow([row["source"], row["translation"]])
    from_tmx = _flags(run("score", TMX, "-f", "json", "-q").stdout)
    from_table = _flags(run("score", "--table", table, "-f", "json", "-q").stdout)
    assert [[c for c in checks if c != "tags"] for checks in from_tmx.values()] == list(from_table.values())


# --- write back ----------------------------------------------------------------------------


def _std_units(path: Path) -> list[tuple[str, str, str, list[str]]]:
    """Every unit as a second parser (the standard library's) sees it: id, source and target
    text (tags included), and its notes that tqe did not write."""
    root = StdET.parse(path).getroot()
    units = []
    for element in root.iter():
        name = element.tag.rsplit("}", 1)[-1]
        if name not in ("trans-unit", "unit"):
            continue
        texts = {}
        notes = []
        for child in element.iter():
            child_name = child.tag.rsplit("}", 1)[-1]
            if child_name in ("source", "target", "seg-source"):
                detached = copy.copy(child)
                detached.tail = None  # the white space after an element is layout, not content
                texts.setdefault(child_name, []).append(StdET.tostring(detached, encoding="unicode"))
            if child_name == "note" and child.get("from") != "tqe" and child.get("category") != "tqe":
                notes.append(child.text or "")
        units.append((element.get("id"), repr(texts.get("source")), repr(texts.get("target")), notes))
    return units


@pytest.mark.parametrize("path", [XLIFF12, XLIFF2], ids=["xliff12", "xliff2"])
def test_xliff_round_trip_adds_notes_and_keeps_everything_else(path: Path, tmp_path: Path) -> None:
    out = tmp_path / f"reviewed{path.suffix}"
    result = run("report", path, "-o", out, "-q")
    assert result.exit_code == 0, result.output
    assert _std_units(out) == _std_units(path)  # an independent parser sees the same units
    before, after = read_bilingual(path).segments, read_bilingual(out).segments
    assert before.drop(columns=["state"]).equals(after.drop(columns=["state"]))
    notes = re.findall(r'<note (?:from|category)="tqe" priority="(\d)">tqe (\w+) ([\w-]+) \[([^\]]+)\]', out.read_text("utf-8"))
    flagged = _flags(run("score", path, "-f", "json", "-q").stdout)
    assert sorted((segment, check) for _, _, check, segment in notes) == sorted(
        (segment, check) for segment, checks in flagged.items() for check in checks
    )
    again = tmp_path / f"again{path.suffix}"
    assert run("report", out, "-o", again, "-q").exit_code == 0
    assert again.read_bytes() == out.read_bytes()  # a second review replaces tqe's notes


def test_xliff_mark_state_marks_flagged_segments_only(tmp_path: Path) -> None:
    out = tmp_path / "marked.xlf"
    assert run("report", XLIFF12, "-o", out, "--mark-state", "-q").exit_code == 0
    states = {row["id"]: row["state"] for row in read_bilingual(out).segments.to_dict("records")}
    assert states["intro/1"] == states["limits/1"] == "needs-review-translation"
    assert states["title"] == "translated"
    out2 = tmp_path / "marked2.xlf"
    assert run("report", XLIFF2, "-o", out2, "--mark-state", "-q").exit_code == 0
    text = out2.read_text("utf-8")
    assert text.count('subState="tqe:needs-review"') == 1 and 'id="s2" state="reviewed"' in text


def _independent_po(path: Path) -> list[tuple[str, str]]:
    """msgid/msgstr pairs of single-line, non-plural, non-obsolete entries, read with a regex."""
    text = path.read_text(encoding="utf-8")
    return re.findall(r'^msgid "(.+)"\nmsgstr "(.*)"$', text, re.MULTILINE)


def test_po_round_trip_adds_comments_and_keeps_entries(tmp_path: Path) -> None:
    out = tmp_path / "reviewed.po"
    result = run("report", PO, "-o", out, "--mark-state", "-q")
    assert result.exit_code == 0, result.output
    assert _independent_po(out) == _independent_po(PO)
    original, reviewed = polib.pofile(str(PO)), polib.pofile(str(out))
    assert [(e.msgctxt, e.msgid, e.msgid_plural, e.msgstr, e.msgstr_plural, e.occurrences, e.comment, e.obsolete)
            for e in original] == [
        (e.msgctxt, e.msgid, e.msgid_plural, e.msgstr, e.msgstr_plural, e.occurrences, e.comment, e.obsolete)
        for e in reviewed
    ]
    assert original.metadata == reviewed.metadata
    plural = reviewed.find("%d file synced")
    assert plural.tcomment.startswith("tqe: major tags:") and "fuzzy" in plural.flags and "c-format" in plural.flags
    assert "fuzzy" not in reviewed.find("Sync now").flags and not reviewed.find("Sync now").tcomment


def test_write_back_needs_a_bilingual_input(tmp_path: Path) -> None:
    result = run("report", SAMPLES / "source.en.txt", SAMPLES / "translation.v1.fr.txt", "-o", tmp_path / "x.xlf", "-q")
    assert result.exit_code == 2 and "flags are written back only into an XLIFF or PO input" in result.output
    assert not (tmp_path / "x.xlf").exists()


# --- hostile XML ---------------------------------------------------------------------------

HOSTILE = {
    "xxe": (b'<?xml version="1.0"?><!DOCTYPE xliff [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
            b'<xliff version="1.2"><file source-language="en" target-language="fr"><body>'
            b'<trans-unit id="1"><source>&e;</source><target>x</target></trans-unit></body></file></xliff>',
            "declares XML entities or a remote DTD"),
    "billion-laughs": (b'<?xml version="1.0"?><!DOCTYPE xliff [<!ENTITY a "aaaaaaaaaa">'
                       + b"".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'.encode() for i in range(8))
                       + b']><xliff version="1.2"><file source-language="en" target-language="fr"><body>'
                       b'<trans-unit id="1"><source>&i;</source><target>x</target></trans-unit></body></file></xliff>',
                       "Maximum entity amplification factor exceeded"),  # libxml2 stops the bomb itself
    "remote-dtd": (b'<?xml version="1.0"?><!DOCTYPE xliff SYSTEM "http://203.0.113.9/xliff.dtd">'
                   b'<xliff version="1.2"><file source-language="en" target-language="fr"><body>'
                   b'<trans-unit id="1"><source>a</source><target>b</target></trans-unit></body></file></xliff>',
                   "declares XML entities or a remote DTD"),
    "malformed": (b'<?xml version="1.0"?><xliff version="1.2"><file><body><trans-unit id="1"><source>a</target>',
                  "is not well-formed XML (line 1)"),
    "truncated": (XLIFF12.read_bytes()[:700], "is not well-formed XML"),
    "wrong-namespace": (b'<?xml version="1.0"?><xliff xmlns="urn:example:not-xliff" version="9.9"><file/></xliff>',
                        "unknown XLIFF namespace 'urn:example:not-xliff'"),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_xml_is_one_error_line_and_no_output(case: str, tmp_path: Path) -> None:
    data, expected = HOSTILE[case]
    path = tmp_path / f"{case}.xlf"
    path.write_bytes(data)
    out = tmp_path / "reviewed.xlf"
    result = run("report", path, "-o", out, "-q")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {case}.xlf") and expected in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.output
    assert not out.exists()
    assert "root:" not in result.stderr  # /etc/passwd never read into anything


def test_xlsx_without_openpyxl_is_one_line_before_any_work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    import tqe.pipeline

    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "openpyxl" else real_find_spec(name, *a))
    scored = []
    monkeypatch.setattr(tqe.pipeline, "score", lambda *a, **k: scored.append(1))
    out = tmp_path / "r.xlsx"
    result = run("report", SAMPLES / "source.en.txt", SAMPLES / "translation.v1.fr.txt", "-o", out, "-q")
    assert result.exit_code == 1
    assert result.stderr == "Error: writing .xlsx needs openpyxl: pip install 'tqe-eval[xlsx]' (or write .csv)\n"
    assert scored == [] and not out.exists()


@pytest.mark.comet
def test_comet_scores_on_an_xliff_equal_those_on_the_same_segments_as_a_table(
    comet_models: dict[str, Path], tmp_path: Path
) -> None:
    import json

    table = tmp_path / "same.jsonl"
    segments = read_bilingual(XLIFF12).segments
    table.write_text("".join(json.dumps({"source": s, "translation": t}, ensure_ascii=False) + "\n"
                             for s, t in zip(segments["source"], segments["translation"])), encoding="utf-8")
    model = str(comet_models["referenceless"])
    scores = []
    for args in ([XLIFF12], ["--table", table]):
        result = run("score", *args, "-m", "comet", "--comet-model", model, "--no-cache", "--no-flags", "-f", "json", "-q")
        assert result.exit_code == 0, result.output
        record = json.loads(result.stdout)
        scores.append(([s["scores"]["comet"] for s in record["segments"]], record["metrics"]["comet"]["score"]))
    assert scores[0] == scores[1] and len(scores[0][0]) == 5
