"""Hostile tables, glossaries and settings files, generated in tmp_path: each gives exactly one
``Error:`` line naming the file, the line (and column) and the fix, exit code 1, no traceback
and no output file; the inputs that are merely unusual are read as documented."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tqe.cli import cli

SOURCE = "Crews replaced the water main near the station."
TRANSLATION = "Les équipes ont remplacé la conduite près de la gare."
REFERENCE = "Les équipes ont remplacé la conduite principale près de la gare."
FIELD_LIMIT = csv.field_size_limit()


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def score_table(tmp_path: Path, name: str, content: str):
    """``tqe score --table`` on a file written from ``content``, asked to write a JSON file."""
    table = tmp_path / name
    table.write_text(content, encoding="utf-8")
    output = tmp_path / "out.json"
    result = run("score", "--table", str(table), "-m", "chrf", "-o", str(output))
    return result, output


def jsonl(*rows: str) -> str:
    return "".join(row + "\n" for row in rows)


ROW = '"source": "Hello.", "translation": "Bonjour."'

# ----------------------------------------------------------------------------- tables

BAD_TABLES = [
    # known columns only once each
    ("dup.csv", "source,translation,translation\nHello.,Bonjour.,Salut.\n",
     "dup.csv line 1: column 'translation' appears twice; remove or rename one"),
    ("case.tsv", "source\ttranslation\tSource\nHello.\tBonjour.\tHi.\n",
     "case.tsv line 1: columns 'source' and 'Source' are both the source column (names ignore case); remove or rename one"),
    ("refs.csv", "source,translation,reference_2,reference2\nHello.,Bonjour.,Salut.,Coucou.\n",
     "refs.csv line 1: columns 'reference_2' and 'reference2' are both the reference2 column; remove or rename one"),
    ("list.csv", "source,translation,references\nHello.,Bonjour.,Salut.\n",
     "list.csv line 1: a 'references' column is a JSONL list; in a CSV table name the columns reference, reference2, reference3…"),
    ("dupkey.jsonl", jsonl('{"source": "Hello.", "translation": "Bonjour.", "source": "Hi."}'),
     "dupkey.jsonl line 1: key 'source' appears twice; remove or rename one"),
    ("casekey.jsonl", jsonl(f"{{{ROW}}}", '{"source": "Hi.", "Translation": "Salut.", "translation": "Salut."}'),
     "casekey.jsonl line 2: keys 'Translation' and 'translation' are both the translation column (names ignore case); remove or rename one"),
    # reference and references
    ("both.jsonl", jsonl(f'{{{ROW}, "reference": "Salut.", "references": ["Salut."]}}'),
     "both.jsonl line 1: both 'reference' and 'references' are given; give the references either as one 'references' list "
     "or as reference, reference2… keys"),
    ("both2.jsonl", jsonl(f'{{{ROW}, "references": ["Salut."], "reference_2": "Coucou."}}'),
     "both2.jsonl line 1: both 'reference_2' and 'references' are given; give the references either as one 'references' list "
     "or as reference, reference2… keys"),
    # references must be a list of strings
    ("refnum.jsonl", jsonl(f'{{{ROW}, "references": ["Salut.", 3]}}'),
     "refnum.jsonl line 1, column 'references': item 2 is a number, not a string; put the text in quotes"),
    ("refnull.jsonl", jsonl(f'{{{ROW}, "references": [null]}}'),
     "refnull.jsonl line 1, column 'references': item 1 is null, not a string; put the text in quotes"),
    ("refstr.jsonl", jsonl(f'{{{ROW}, "references": "Salut."}}'),
     "refstr.jsonl line 1, column 'references': expected a list of strings, found a string; "
     "write [\"…\"], or use a 'reference' key for one reference"),
    ("refobj.jsonl", jsonl(f'{{{ROW}, "references": {{"fr": "Salut."}}}}'),
     "refobj.jsonl line 1, column 'references': expected a list of strings, found an object; "
     "write [\"…\"], or use a 'reference' key for one reference"),
    # every cell is a string
    ("object.jsonl", jsonl('{"source": "Hello.", "translation": {"text": "Bonjour."}}'),
     "object.jsonl line 1, column 'translation': expected a string, found an object; put the text in quotes"),
    ("list.jsonl", jsonl('{"source": ["Hello."], "translation": "Bonjour."}'),
     "list.jsonl line 1, column 'source': expected a string, found a list; put the text in quotes"),
    ("number.jsonl", jsonl(f"{{{ROW}}}", '{"source": "Hi.", "translation": 12}'),
     "number.jsonl line 2, column 'translation': expected a string, found a number; put the text in quotes"),
    ("bool.jsonl", jsonl('{"source": true, "translation": "Bonjour."}'),
     "bool.jsonl line 1, column 'source': expected a string, found true; put the text in quotes"),
    ("nan.jsonl", jsonl(f"{{{ROW}}}", '{"source": "Hi.", "translation": NaN}'),
     "nan.jsonl line 2, column 'translation': expected a string, found NaN, which is not JSON; put the text in quotes"),
    ("inf.jsonl", jsonl('{"source": "Hello.", "translation": "Bonjour.", "reference": -Infinity}'),
     "inf.jsonl line 1, column 'reference': expected a string, found -Infinity, which is not JSON; put the text in quotes"),
    # parser limits
    ("deep.jsonl", jsonl(f'{{{ROW}, "meta": ' + "[" * 100_000 + "]" * 100_000 + "}"),
     "deep.jsonl line 1 is nested too deeply to read; a row is one JSON object of strings"),
    ("digits.jsonl", jsonl('{"source": "Hello.", "translation": ' + "7" * 5000 + "}"),
     "digits.jsonl line 1, column 'translation': expected a string, found a number; put the text in quotes"),
    ("long.csv", 'source,translation\nHello.,Bonjour.\nHi.,"' + "x" * (FIELD_LIMIT + 10) + "\n",
     f"long.csv line 3: a field is longer than {FIELD_LIMIT:,} characters; look for a quote (\") that is never closed"),
    ("long.tsv", "source\ttranslation\nHello.\t" + "x" * 200_000 + "\n",
     f"long.tsv line 2: a field is longer than {FIELD_LIMIT:,} characters; split the segment into rows"),
]


@pytest.mark.parametrize(("name", "content", "error"), BAD_TABLES, ids=[case[0] for case in BAD_TABLES])
def test_bad_table_is_one_error_line(tmp_path: Path, name: str, content: str, error: str) -> None:
    result, output = score_table(tmp_path, name, content)
    assert (result.exit_code, result.stderr) == (1, f"Error: {error}\n")
    assert result.stdout == "" and not output.exists()


def scored(result, output: Path) -> list[dict]:
    assert result.exit_code == 0, result.output
    return json.loads(output.read_text(encoding="utf-8"))["segments"]


def test_null_is_an_empty_cell_and_unknown_keys_are_ignored_whatever_they_hold(tmp_path: Path) -> None:
    content = jsonl(
        '{"source": "Hello.", "translation": "Bonjour.", "references": ["Salut."], "id": 7, "meta": {"x": [NaN]}, '
        '"big": ' + "9" * 5000 + ', "Note": null, "note": true}',
        '{"source": "Good night.", "translation": null, "references": ["Bonne nuit."]}',
    )
    segments = scored(*score_table(tmp_path, "ok.jsonl", content))
    assert [(s["source"], s["translation"], s["references"]) for s in segments] == [
        ("Hello.", "Bonjour.", ["Salut."]),
        ("Good night.", "", ["Bonne nuit."]),
    ]
    assert "empty" in [flag["check"] for flag in segments[1]["flags"]]


def test_jsonl_lines_end_at_newlines_only(tmp_path: Path) -> None:
    # U+2028 and U+0085 are valid inside a JSON string; str.splitlines() would cut the row there
    content = jsonl('{"source": "Hello\u2028there.", "translation": "Bonjour\u0085toi.", "reference": "Salut toi."}')
    [segment] = scored(*score_table(tmp_path, "seps.jsonl", content))
    assert (segment["source"], segment["translation"]) == ("Hello\u2028there.", "Bonjour\u0085toi.")


def test_header_names_ignore_case_and_unknown_columns_are_ignored(tmp_path: Path) -> None:
    content = "Source,TRANSLATION,Reference_2,comment,comment\nHello.,Bonjour.,Salut.,a,b\n"
    [segment] = scored(*score_table(tmp_path, "mixed.csv", content))
    assert (segment["source"], segment["translation"], segment["references"]) == ("Hello.", "Bonjour.", ["Salut."])


# --------------------------------------------------------------- glossaries and DNT lists


@pytest.fixture
def document(tmp_path: Path) -> list[str]:
    paths = []
    for name, text in (("source.en.txt", SOURCE), ("translation.fr.txt", TRANSLATION), ("reference.fr.txt", REFERENCE)):
        (tmp_path / name).write_text(text + "\n", encoding="utf-8")
        paths.append(str(tmp_path / name))
    return paths


def score_with(document: list[str], tmp_path: Path, *options: str):
    source, translation, reference = document
    output = tmp_path / "out.json"
    result = run("score", source, translation, "-r", reference, "-m", "chrf", "-o", str(output), *options)
    return result, output


BAD_TERMS = [
    ("accent.tsv", "--glossary", "source\ttarget\nwater main\tconduite principale\n\u0301\tx\n",
     "glossary file {path}, line 3: the English term has no letter or digit (only accents, punctuation or spaces); "
     "fix or remove the row"),
    ("punct.csv", "--glossary", "source,target\nwater main,conduite principale|...\n",
     "glossary file {path}, line 2: the French term has no letter or digit (only accents, punctuation or spaces); "
     "fix or remove the row"),
    ("dnt.txt", "--dnt", "# names\nAquaTrack\n\n\u0301\u0301\n",
     "do-not-translate file {path}, line 4: the term has no letter or digit (only accents, punctuation or spaces); "
     "fix or remove the line"),
    ("dnt.tsv", "--dnt", "term\nAquaTrack\n- -\n",
     "do-not-translate file {path}, line 3: the term has no letter or digit (only accents, punctuation or spaces); "
     "fix or remove the line"),
    ("long.csv", "--glossary", 'source,target\nwater main,conduite principale\n"' + "x" * 200_000 + '",y\n',
     "glossary file {path}, line 3: a field is longer than " + f"{FIELD_LIMIT:,}"
     ' characters; a term should be a few words (look for a quote (") that is never closed)'),
    ("long_dnt.csv", "--dnt", 'term\nAquaTrack\n"' + "x" * 200_000 + "\n",
     "do-not-translate file {path}, line 3: a field is longer than " + f"{FIELD_LIMIT:,}"
     ' characters; a term should be a few words (look for a quote (") that is never closed)'),
]


@pytest.mark.parametrize(("name", "option", "content", "error"), BAD_TERMS, ids=[case[0] for case in BAD_TERMS])
def test_bad_term_file_is_one_error_line(document, tmp_path: Path, name: str, option: str, content: str, error: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    result, output = score_with(document, tmp_path, option, str(path))
    assert (result.exit_code, result.stderr) == (1, "Error: " + error.format(path=path) + "\n")
    assert result.stdout == "" and not output.exists()


def test_good_glossary_still_flags_after_the_checks(document, tmp_path: Path) -> None:
    glossary = tmp_path / "glossary.tsv"
    glossary.write_text("source\ttarget\nwater main\tconduite principale\nstation\tgare\n", encoding="utf-8")
    result, output = score_with(document, tmp_path, "--glossary", str(glossary))
    [segment] = scored(result, output)
    assert [flag["message"] for flag in segment["flags"] if flag["check"] == "glossary"] == [
        "glossary: 'water main' should be translated as 'conduite principale'"
    ]


# ------------------------------------------------------------------------- settings files

BAD_SETTINGS = [
    ("nested.toml", "a = " + "[" * 100_000 + "]" * 100_000 + "\n",
     "{path} is nested too deeply to read (arrays or tables inside each other); tqe's settings are at most three tables deep"),
    ("tables.toml", "a = " + "{b = " * 5000 + "1" + "}" * 5000 + "\n",
     "{path} is nested too deeply to read (arrays or tables inside each other); tqe's settings are at most three tables deep"),
    ("digits.toml", "[flags]\nmin_segments = " + "7" * 5000 + "\n",
     "{path} is not valid TOML: a number has more than " + str(getattr(sys, "get_int_max_str_digits", lambda: 0)())
     + " digits"),
    ("nan.toml", "[flags]\nlength_ratio_z = nan\n", "{path}: length_ratio_z must be a finite positive number, not nan"),
    ("inf.toml", "[flags]\nlength_ratio_z = inf\n", "{path}: length_ratio_z must be a finite positive number, not inf"),
    ("below.toml", "[flags.thresholds.chrf]\nbelow = -inf\n", "{path}: flags.thresholds.chrf.below must be a finite number, not -inf"),
    ("z.toml", "[flags.thresholds.comet]\nrobust_z = -inf\n", "{path}: flags.thresholds.comet.robust_z must be a finite number, not -inf"),
    ("above.toml", "[flags.thresholds.ter]\nabove = nan\n", "{path}: flags.thresholds.ter.above must be a finite number, not nan"),
    ("minseg.toml", "[flags]\nmin_segments = nan\n", "{path}: min_segments must be a whole number of at least 3, not nan"),
]


@pytest.mark.parametrize(("name", "content", "error"), BAD_SETTINGS, ids=[case[0] for case in BAD_SETTINGS])
def test_bad_settings_file_is_one_error_line(document, tmp_path: Path, name: str, content: str, error: str) -> None:
    if name == "digits.toml" and not hasattr(sys, "get_int_max_str_digits"):
        pytest.skip("this Python has no limit on the digits of an int")
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    result, output = score_with(document, tmp_path, "--config", str(path))
    assert (result.exit_code, result.stderr) == (1, "Error: " + error.format(path=path) + "\n")
    assert result.stdout == "" and not output.exists()
