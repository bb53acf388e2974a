"""Reading inputs: encodings, line ends, bad files; atomic writes; tables."""

from __future__ import annotations

import io
import os
import stat
import sys
import threading

import pytest

from tqe.errors import ConfigError, InputError
from tqe.io import atomic_write, read_lines, read_table, write_output
from tqe.io.text import DEFAULT_MAX_INPUT_BYTES, max_input_bytes, read_input_bytes
from tqe.io.write import neutralise_formula, output_kind


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
    with pytest.raises(InputError, match=f"^{tmp_path} is a directory, not a file$"):
        read_lines(tmp_path)


@pytest.mark.parametrize(
    "value,expected",
    [(None, DEFAULT_MAX_INPUT_BYTES), ("", DEFAULT_MAX_INPUT_BYTES), ("1000", 1000), ("2K", 2048),
     ("3m", 3 * 1024**2), ("1GB", 1024**3), (" 7 ", 7)],
)
def test_input_size_limit_from_the_environment(monkeypatch, value, expected):
    if value is None:
        monkeypatch.delenv("TQE_MAX_INPUT_BYTES", raising=False)
    else:
        monkeypatch.setenv("TQE_MAX_INPUT_BYTES", value)
    assert max_input_bytes() == expected


@pytest.mark.parametrize("value", ["0", "-5", "1.5G", "lots", "10T"])
def test_bad_input_size_limit(monkeypatch, value):
    monkeypatch.setenv("TQE_MAX_INPUT_BYTES", value)
    with pytest.raises(ConfigError, match=r"TQE_MAX_INPUT_BYTES=.* is not a size; give a number of bytes"):
        max_input_bytes()


def test_file_at_the_limit_is_read_and_one_byte_more_is_not(tmp_path, monkeypatch):
    path = tmp_path / "a.txt"
    path.write_bytes(b"x" * 10)
    monkeypatch.setenv("TQE_MAX_INPUT_BYTES", "10")
    assert read_input_bytes(path) == b"x" * 10
    path.write_bytes(b"x" * 11)
    with pytest.raises(InputError, match=f"^{path} is 11 bytes, over the input limit of 10 bytes;"):
        read_lines(path)


def test_file_growing_after_the_size_check_is_cut_at_the_limit(tmp_path, monkeypatch):
    """The read is bounded by limit + 1 bytes, whatever the size said at the stat."""
    path = tmp_path / "a.txt"
    path.write_bytes(b"x" * 5)
    monkeypatch.setenv("TQE_MAX_INPUT_BYTES", "10")
    real_fstat = os.fstat

    def fstat_then_grow(fd):
        result = real_fstat(fd)  # the size seen before reading is the small one
        with open(path, "ab") as handle:
            handle.write(b"y" * 100)
        return result

    monkeypatch.setattr(os, "fstat", fstat_then_grow)
    with pytest.raises(InputError, match="is 11 bytes, over the input limit of 10 bytes"):
        read_input_bytes(path)


def test_standard_input_is_read_with_the_limit(monkeypatch):
    class Stdin:
        buffer = io.BytesIO(b"z" * 50)

    monkeypatch.setattr(sys, "stdin", Stdin)
    monkeypatch.setenv("TQE_MAX_INPUT_BYTES", "20")
    with pytest.raises(InputError, match="^standard input is over the input limit of 20 bytes"):
        read_input_bytes("-")
    assert Stdin.buffer.tell() == 21  # limit + 1 bytes read, not the whole stream


def make_fifo(path) -> None:
    """A named pipe at ``path``; the test is skipped where the platform has none."""
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes on this platform")
    os.mkfifo(path)


def _bounded(function, *args):
    """Call ``function`` in a thread; fail (instead of hanging) if it blocks."""
    outcome: list[BaseException | object] = []

    def target():
        try:
            outcome.append(function(*args))
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            outcome.append(exc)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(timeout=10)
    assert outcome, f"{function.__name__} blocked"
    return outcome[0]


@pytest.mark.parametrize("reader", [read_lines, read_input_bytes])
def test_fifo_is_refused_without_blocking(tmp_path, reader):
    fifo = tmp_path / "pipe.tsv"
    make_fifo(fifo)
    error = _bounded(reader, fifo)
    assert isinstance(error, InputError)
    assert str(error).startswith(f"{fifo} is a named pipe (FIFO), not a regular file")


def test_table_reader_does_not_block_on_a_fifo(tmp_path):
    fifo = tmp_path / "pipe.tsv"
    make_fifo(fifo)
    assert isinstance(_bounded(read_table, fifo), InputError)


def test_fifo_is_refused_when_it_replaces_the_file_after_the_check(tmp_path, monkeypatch):
    """Opening does not block even if a FIFO appears between the stat and the open."""
    path = tmp_path / "a.txt"
    path.write_text("a\n", encoding="utf-8")
    real_open = os.open

    def swap_then_open(name, flags, *args):
        path.unlink()
        make_fifo(path)
        return real_open(name, flags, *args)

    monkeypatch.setattr(os, "open", swap_then_open)
    error = _bounded(read_input_bytes, path)
    assert isinstance(error, InputError) and "is a named pipe (FIFO)" in str(error)


def test_symlink_to_a_regular_file_is_read(tmp_path):
    target = tmp_path / "a.txt"
    target.write_text("une ligne\n", encoding="utf-8")
    (tmp_path / "link.txt").symlink_to(target)
    assert read_lines(tmp_path / "link.txt") == ["une ligne"]


def test_write_output_dash_writes_stdout_and_creates_no_file(tmp_path, monkeypatch, capfdbinary):
    monkeypatch.chdir(tmp_path)
    write_output("-", b"\x00binary\xff")
    assert capfdbinary.readouterr().out == b"\x00binary\xff"
    assert os.listdir(tmp_path) == []


def test_write_output_to_a_fifo_writes_through(tmp_path):
    fifo = tmp_path / "out.json"
    make_fifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    assert output_kind(fifo) == "through"
    write_output(fifo, "données")
    reader.join(timeout=10)
    assert received == ["données".encode("utf-8")]
    assert stat.S_ISFIFO(fifo.lstat().st_mode) and os.listdir(tmp_path) == ["out.json"]


def test_write_output_follows_a_chain_of_symlinks(tmp_path):
    final = tmp_path / "data" / "out.json"
    final.parent.mkdir()
    final.write_text("old", encoding="utf-8")
    os.chmod(final, 0o640)
    (tmp_path / "middle.json").symlink_to(final)
    (tmp_path / "first.json").symlink_to("middle.json")
    write_output(tmp_path / "first.json", "new")
    assert final.read_text(encoding="utf-8") == "new" and final.stat().st_mode & 0o777 == 0o640
    assert os.readlink(tmp_path / "first.json") == "middle.json"
    assert os.readlink(tmp_path / "middle.json") == str(final)
    assert sorted(os.listdir(final.parent)) == ["out.json"]


def test_write_output_refuses_a_directory_and_a_socket(tmp_path):
    import socket

    with pytest.raises(InputError, match=f"^{tmp_path} is a directory; give -o a file name$"):
        write_output(tmp_path, "x")
    path = tmp_path / "s.sock"
    if not hasattr(socket, "AF_UNIX"):
        pytest.skip("no unix sockets on this platform")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        server.bind(str(path))
    except OSError as exc:
        pytest.skip(f"cannot bind a unix socket here: {exc}")
    try:
        with pytest.raises(InputError, match=f"^cannot write {path}: it is a socket;"):
            write_output(path, "x")
    finally:
        server.close()
    assert stat.S_ISSOCK(path.lstat().st_mode)


def test_write_output_through_a_symlink_loop_is_one_error(tmp_path):
    (tmp_path / "a.json").symlink_to("b.json")
    (tmp_path / "b.json").symlink_to("a.json")
    with pytest.raises(InputError, match="^cannot write .*a.json: Too many levels of symbolic links"):
        write_output(tmp_path / "a.json", "x")


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
