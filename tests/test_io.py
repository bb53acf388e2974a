"""Reading inputs: encodings, line ends, bad files; atomic writes; tables."""

from __future__ import annotations

import os

import pytest

from tqe.errors import InputError
from tqe.io import atomic_write, read_lines, read_table
from tqe.io.write import neutralise_formula


def test_bom_and_crlf_are_accepted(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes("\ufeffUne ligne.\r\nDeux\u00a0lignes.\r\n".encode("utf-8"))
    assert read_lines(path) == ["Une ligne.", "Deux\u00a0lignes."]


def test_last_line_without_newline(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("a\nb", encoding="utf-8")
    assert read_lines(path) == ["a", "b"]


def test_invalid_utf8_names_the_line(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("ok\nencore ok\nd\u00e9j\u00e0\n".encode("latin-1"))
    with pytest.raises(InputError, match=r"latin1.txt is not valid UTF-8 \(line 3"):
        read_lines(path)


def test_binary_file(tmp_path):
    path = tmp_path / "model.bin"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(InputError, match="binary"):
        read_lines(path)


@pytest.mark.parametrize("content", ["", "\n\n  \n"])
def test_empty_file(tmp_path, content):
    path = tmp_path / "empty.txt"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match="empty.txt is empty"):
        read_lines(path)


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        read_lines(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="is a directory"):
        read_lines(tmp_path)


def test_atomic_write_replaces_whole_file_and_leaves_no_temp(tmp_path):
    target = tmp_path / "out" / "report.json"
    atomic_write(target, "first")
    atomic_write(target, b"second")
    assert target.read_text() == "second"
    assert os.listdir(target.parent) == ["report.json"]


def test_atomic_write_gives_a_new_file_the_usual_mode(tmp_path):
    umask = os.umask(0o022)
    try:
        target = atomic_write(tmp_path / "report.html", "x")
    finally:
        os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o644


def test_atomic_write_failure_keeps_old_content(tmp_path, monkeypatch):
    target = tmp_path / "report.json"
    target.write_text("old")

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(InputError, match="No space left"):
        atomic_write(target, "new")
    assert target.read_text() == "old"
    assert os.listdir(tmp_path) == ["report.json"]


@pytest.mark.parametrize("value,expected", [("=1+1", "'=1+1"), ("+33 1", "'+33 1"), ("-x", "'-x"), ("@SUM(A1)", "'@SUM(A1)"), ("ok", "ok"), (3.5, 3.5)])
def test_neutralise_formula(value, expected):
    assert neutralise_formula(value) == expected


def test_read_tsv_csv_jsonl(tmp_path):
    (tmp_path / "a.tsv").write_text("source\ttranslation\treference\nHello.\tBonjour.\tSalut.\n", encoding="utf-8")
    (tmp_path / "a.csv").write_text('source,translation\n"Hello, world.","Bonjour, le monde."\n', encoding="utf-8")
    (tmp_path / "a.jsonl").write_text(
        '{"source": "Hi.", "translation": "Salut.", "references": ["Bonjour.", "Coucou."]}\n', encoding="utf-8"
    )
    tsv, csv_, jsonl = (read_table(tmp_path / f"a.{ext}") for ext in ("tsv", "csv", "jsonl"))
    assert tsv.iloc[0].to_dict() == {"source": "Hello.", "translation": "Bonjour.", "references": ("Salut.",)}
    assert csv_.iloc[0]["translation"] == "Bonjour, le monde." and csv_.iloc[0]["references"] == ()
    assert jsonl.iloc[0]["references"] == ("Bonjour.", "Coucou.")


def test_table_without_translation_column(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("source,target\nHello,Bonjour\n", encoding="utf-8")
    with pytest.raises(InputError, match="bad.csv has no 'translation' column"):
        read_table(path)


def test_jsonl_syntax_error_names_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"source": "a", "translation": "b"}\n{oops\n', encoding="utf-8")
    with pytest.raises(InputError, match="bad.jsonl line 2 is not valid JSON"):
        read_table(path)


def test_table_row_without_reference_is_an_error(tmp_path):
    path = tmp_path / "m.jsonl"
    path.write_text(
        '{"source": "Hello there.", "translation": "Bonjour.", "reference": "Salut."}\n'
        '{"source": "Good night.", "translation": "Bonne nuit."}\n',
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="m.jsonl line 2 has no reference; give every row a reference or none"):
        read_table(path)


def test_empty_reference_column_means_no_reference(tmp_path):
    path = tmp_path / "a.tsv"
    path.write_text("source\ttranslation\treference\nHello.\tBonjour.\t\n", encoding="utf-8")
    assert read_table(path).iloc[0]["references"] == ()


@pytest.mark.parametrize(
    "content,message",
    [
        ("source\ttranslation\treference\nHi.\tSalut.\n", "line 2 has 2 fields, the header has 3"),
        ('source,translation\n"Hello, world.,Bonjour\n', "is not valid CSV"),
        ('source,translation\nHi,Salut\n"unterminated,x\n', "is not valid CSV"),
    ],
)
def test_malformed_delimited_tables(tmp_path, content, message):
    path = tmp_path / ("t.tsv" if "\t" in content else "t.csv")
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        read_table(path)


def test_utf16_is_named(tmp_path):
    path = tmp_path / "u16.txt"
    path.write_bytes("Bonjour\n".encode("utf-16"))
    with pytest.raises(InputError, match="u16.txt is UTF-16 text; re-save it as UTF-8"):
        read_lines(path)


def test_table_of_blank_cells_has_no_header(tmp_path):
    path = tmp_path / "blank.csv"
    path.write_text(",,\n,,\n", encoding="utf-8")
    with pytest.raises(InputError, match="blank.csv has no header row"):
        read_table(path)


@pytest.mark.parametrize(
    "name,column",
    [("source", "source"), (" Translation ", "translation"), ("REFERENCE", "reference"), ("reference_2", "reference2"),
     ("Reference3", "reference3"), ("references", "references"), ("reference_", None), ("referee", None), ("id", None)],
)
def test_known_columns_ignore_case_and_spaces(name, column):
    from tqe.io.table import known_column

    assert known_column(name) == column


def test_table_reads_known_columns_once_and_in_file_order(tmp_path):
    path = tmp_path / "t.tsv"
    path.write_text("note\tReference2\tTranslation\tsource\treference\nx\tB\tSalut.\tHi.\tA\n", encoding="utf-8")
    assert read_table(path).iloc[0].to_dict() == {"source": "Hi.", "translation": "Salut.", "references": ("B", "A")}
    path.write_text("source\ttranslation\tTRANSLATION\nHi.\tSalut.\tCoucou.\n", encoding="utf-8")
    with pytest.raises(InputError, match="columns 'translation' and 'TRANSLATION' are both the translation column"):
        read_table(path)


def test_missing_column_lists_every_header_found(tmp_path):
    path = tmp_path / "t.jsonl"
    path.write_text('{"Source": "Hi.", "target": "Salut.", "id": 1}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"^t.jsonl has no 'translation' column \(found: Source, target, id\)$"):
        read_table(path)
