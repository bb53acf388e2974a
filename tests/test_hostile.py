"""Hostile inputs and output targets, generated in tmp_path so that anyone can rerun the pass.

An -o that names an input, outputs that are devices, FIFOs, symlinks or standard output,
inputs that are FIFOs, devices, sockets or directories, inputs over the size limit, running
out of memory, and terminal escapes in names: each gives one exact ``Error:`` line (or the
documented behaviour), and the input files stay byte-identical.
"""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from tqe.cli import cli

SOURCE = "The council approved the budget. Work starts in March.\nThank you.\n"
TRANSLATION = "Le conseil a approuvé le budget. Les travaux débutent en mars.\nMerci.\n"
REFERENCE = "Le conseil a adopté le budget. Les travaux commencent en mars.\nMerci beaucoup.\n"
TABLE_TSV = "source\ttranslation\treference\nThank you.\tMerci.\tMerci beaucoup.\n"
TABLE_CSV = "source,translation,reference\nThank you.,Merci.,Merci beaucoup.\n"

LIMIT_HINT = "split it, or raise the limit with TQE_MAX_INPUT_BYTES"
NOT_REGULAR_HINT = "not a regular file; save its content to a file and give that"


#: Installed in this process and in every child: should a regression try to replace a file
#: under /dev (as root it can turn /dev/null into a regular file), it fails instead.
DEVICE_GUARD = """
import os, tempfile
def _tqe_guard(function, name):
    def guarded(*args, **kwargs):
        paths = [kwargs.get("dir")] if name == "mkstemp" else list(args[1:2]) + [kwargs.get("dst")]
        for path in filter(None, paths):
            for seen in (os.path.abspath(path), os.path.realpath(path)):
                if seen in ("/dev", "/proc") or seen.startswith(("/dev/", "/proc/")):
                    raise AssertionError(f"{name} on {path}: a device would be replaced")
        return function(*args, **kwargs)
    return guarded
os.replace = _tqe_guard(os.replace, "replace")
os.rename = _tqe_guard(os.rename, "rename")
tempfile.mkstemp = _tqe_guard(tempfile.mkstemp, "mkstemp")
"""


@pytest.fixture(autouse=True)
def device_guard():
    saved = os.replace, os.rename, tempfile.mkstemp
    exec(DEVICE_GUARD, {})
    yield
    os.replace, os.rename, tempfile.mkstemp = saved


def tqe_command(args: list[object]) -> list[str]:
    """A child ``tqe`` process with the device guard installed."""
    return [sys.executable, "-c", DEVICE_GUARD + "from tqe.cli import main; main()", *map(str, args)]


def make_fifo(path) -> None:
    """A named pipe at ``path``; the test is skipped where the platform has none."""
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes on this platform")
    os.mkfifo(path)


def run(*args: object, input: bytes | str | None = None):
    return CliRunner().invoke(cli, [str(arg) for arg in args], input=input)


def error_line(result) -> str:
    """The whole of stderr, which must be exactly one line."""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.fixture
def docs(tmp_path: Path) -> dict[str, Path]:
    """Tiny inputs of every kind a command reads."""
    contents = {
        "source": ("s.en", SOURCE),
        "translation": ("t.fr", TRANSLATION),
        "other": ("t2.md", TRANSLATION.replace("Merci.", "Merci bien.")),
        "reference": ("r.fr", REFERENCE),
        "tsv": ("v.tsv", TABLE_TSV),
        "csv": ("v.csv", TABLE_CSV),
        "glossary": ("g.tsv", "en\tfr\nbudget\tbudget\n"),
        "dnt": ("d.txt", "March\n"),
        "config": ("c.toml", "[thresholds]\n"),
    }
    paths = {}
    for key, (name, text) in contents.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        paths[key] = path
    return paths


def snapshot(folder: Path) -> dict[str, bytes | str]:
    """Every entry of ``folder``: the bytes of a regular file, else what it is."""
    entries: dict[str, bytes | str] = {}
    for entry in sorted(folder.iterdir()):
        if entry.is_symlink():
            entries[entry.name] = f"link to {os.readlink(entry)}"
        elif entry.is_file():
            entries[entry.name] = entry.read_bytes()
        else:
            entries[entry.name] = stat.filemode(entry.lstat().st_mode)
    return entries


def text_args(docs: dict[str, Path]) -> list[object]:
    return ["score", docs["source"], docs["translation"], "-r", docs["reference"], "-m", "bleu"]


# --- 1. -o naming an input is refused, nothing touched ---------------------------------------


def _same_as_input_cases(docs: dict[str, Path], tmp_path: Path) -> dict[str, tuple[list[object], Path, Path]]:
    """name -> (arguments, the -o value, the input it names)."""
    t, r, db = docs["translation"], docs["reference"], tmp_path / "h.db"
    score = text_args(docs)
    return {
        "score translation": (score + ["-f", "json", "-o", t], t, t),
        "score reference": (score + ["-f", "json", "-o", r], r, r),
        "score source": (score + ["-f", "json", "-o", docs["source"]], docs["source"], docs["source"]),
        "score table": (["score", "--table", docs["tsv"], "-m", "bleu", "-o", docs["tsv"]], docs["tsv"], docs["tsv"]),
        "report table": (["report", "--table", docs["csv"], "-m", "bleu", "-o", docs["csv"]], docs["csv"], docs["csv"]),
        "align": (["align", docs["source"], t, "-o", t], t, t),
        "glossary": (score + ["--glossary", docs["glossary"], "-f", "tsv", "-o", docs["glossary"]],
                     docs["glossary"], docs["glossary"]),
        "dnt": (score + ["--dnt", docs["dnt"], "-o", docs["dnt"]], docs["dnt"], docs["dnt"]),
        "config": (score + ["--config", docs["config"], "-f", "json", "-o", docs["config"]], docs["config"], docs["config"]),
        "score db": (score + ["--save", "--db", db, "-f", "json", "-o", db], db, db),
        "history db": (["history", "--db", db, "-f", "json", "-o", db], db, db),
        "compare translation": (["compare", t, docs["other"], "--source", docs["source"], "-r", r, "-m", "bleu",
                                 "-o", docs["other"]], docs["other"], docs["other"]),
        "compare reference": (["compare", t, docs["other"], "--source", docs["source"], "-r", r, "-m", "bleu",
                               "-f", "json", "-o", tmp_path / "alias.json"], tmp_path / "alias.json", r),
    }


CASES = ["score translation", "score reference", "score source", "score table", "report table", "align", "glossary",
         "dnt", "config", "score db", "history db", "compare translation"]


@pytest.mark.parametrize("case", CASES)
def test_output_naming_an_input_is_refused_and_nothing_is_touched(docs, tmp_path, case):
    args, output, _ = _same_as_input_cases(docs, tmp_path)[case]
    before = snapshot(tmp_path)
    result = run(*args)
    assert result.exit_code == 1, result.output
    assert error_line(result) == f"Error: -o {output} is also an input; write the output to another file"
    assert snapshot(tmp_path) == before  # no file changed, none created (not even the database)


def test_output_through_a_symlink_or_hard_link_to_an_input_is_refused(docs, tmp_path):
    link = tmp_path / "link.json"
    link.symlink_to(docs["translation"])
    hard = tmp_path / "hard.json"
    os.link(docs["reference"], hard)
    before = snapshot(tmp_path)
    for output, named in ((link, docs["translation"]), (hard, docs["reference"])):
        result = run(*text_args(docs), "-o", output)
        assert result.exit_code == 1, result.output
        assert error_line(result) == f"Error: -o {output} is the input {named}; write the output to another file"
    assert snapshot(tmp_path) == before


def test_new_output_resolving_to_an_input_through_a_symlinked_folder_is_refused(docs, tmp_path):
    (tmp_path / "alias").symlink_to(tmp_path, target_is_directory=True)
    db, output = tmp_path / "h.db", tmp_path / "alias" / "h.db"  # neither exists yet
    result = run("history", "--db", db, "-f", "json", "-o", output)
    assert result.exit_code == 1, result.output
    assert error_line(result) == f"Error: -o {output} is the input {db}; write the output to another file"
    assert not db.exists()


def test_compare_output_linked_to_a_reference_is_refused(docs, tmp_path):
    args, output, reference = _same_as_input_cases(docs, tmp_path)["compare reference"]
    output.symlink_to(reference)
    before = snapshot(tmp_path)
    result = run(*args)
    assert result.exit_code == 1, result.output
    assert error_line(result) == f"Error: -o {output} is the input {reference}; write the output to another file"
    assert snapshot(tmp_path) == before


def test_glossary_named_in_the_default_settings_file_is_an_input_too(docs, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "tqe.toml").write_text('[glossary]\npath = "g.tsv"\n', encoding="utf-8")
    before = snapshot(tmp_path)
    for output in ("tqe.toml", "g.tsv"):
        result = run(*text_args(docs), "-f", "tsv", "-o", output)
        assert result.exit_code == 1, result.output
        named = output if output == "tqe.toml" else str(tmp_path / "g.tsv")
        what = "also an input" if output == "tqe.toml" else f"the input {named}"
        assert error_line(result) == f"Error: -o {output} is {what}; write the output to another file"
    assert snapshot(tmp_path) == before


def test_default_database_is_an_input_too(docs, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("history", "-f", "json", "-o", ".tqe/history.db")
    assert result.exit_code == 1, result.output
    assert error_line(result) == "Error: -o .tqe/history.db is also an input; write the output to another file"
    assert not (tmp_path / ".tqe").exists()


# --- 2. output targets ---------------------------------------------------------------------


@pytest.mark.parametrize("name", ["-", "/dev/stdout"])
def test_dash_and_dev_stdout_write_to_stdout_and_create_no_file(docs, tmp_path, monkeypatch, name):
    monkeypatch.chdir(tmp_path)
    before = snapshot(tmp_path)
    result = run(*text_args(docs), "-f", "json", "-o", name)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("{") and '"bleu"' in result.stdout
    assert snapshot(tmp_path) == before


def test_align_dash_writes_tsv_to_stdout(docs, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("align", docs["source"], docs["translation"], "-o", "-")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "id\tparagraph\tlink\tsource\ttranslation"
    assert not (tmp_path / "-").exists()


def test_real_stdout_receives_dev_stdout_output(docs, tmp_path):
    """Outside the test runner: /dev/stdout is the process's real standard output (a pipe)."""
    done = subprocess.run(
        tqe_command([*text_args(docs), "-f", "json", "-o", "/dev/stdout"]),
        capture_output=True, timeout=120, env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(b"{") and b'"bleu"' in done.stdout


def _char_device(path: str) -> None:
    if not os.path.exists(path) or not stat.S_ISCHR(os.stat(path).st_mode) or not os.access(path, os.W_OK):
        pytest.skip(f"no writable {path} here")


def test_dev_null_is_written_through_and_stays_a_device(docs):
    _char_device("/dev/null")
    result = run(*text_args(docs), "-f", "json", "-o", "/dev/null")
    assert result.exit_code == 0, result.output
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_dev_full_is_one_error_and_stays_a_device(docs, tmp_path):
    _char_device("/dev/full")
    before = snapshot(tmp_path)
    result = run(*text_args(docs), "-f", "json", "-o", "/dev/full")
    assert result.exit_code == 1, result.output
    assert error_line(result) == "Error: cannot write /dev/full: No space left on device"
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)
    assert snapshot(tmp_path) == before


def test_fifo_output_is_written_through(docs, tmp_path):
    fifo = tmp_path / "out.tsv"
    make_fifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = run("align", docs["source"], docs["translation"], "-o", fifo)
    reader.join(timeout=30)
    assert result.exit_code == 0, result.output
    assert received and received[0].startswith(b"id\tparagraph\tlink\tsource\ttranslation\n1.1\t")
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no temporary file


def test_symlink_output_writes_its_target_and_stays_a_link(docs, tmp_path):
    target = tmp_path / "real.json"
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to("real.json")
    result = run(*text_args(docs), "-o", link)
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and os.readlink(link) == "real.json"
    assert target.read_text(encoding="utf-8").startswith("{")


def test_dangling_symlink_output_creates_its_target(docs, tmp_path):
    link = tmp_path / "link.tsv"
    link.symlink_to(tmp_path / "made" / "aligned.tsv")
    result = run("align", docs["source"], docs["translation"], "-o", link)
    assert result.exit_code == 0, result.output
    assert link.is_symlink()
    assert (tmp_path / "made" / "aligned.tsv").read_text(encoding="utf-8").startswith("id\tparagraph")


def test_xlsx_report_through_a_symlink_writes_the_target(docs, tmp_path):
    target = tmp_path / "real.xlsx"
    target.write_bytes(b"old")
    link = tmp_path / "review.xlsx"
    link.symlink_to(target)
    result = run("report", *text_args(docs)[1:], "--all", "-q", "-o", link)
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and target.read_bytes().startswith(b"PK\x03\x04")


def test_xlsx_report_to_a_fifo_is_written_through(docs, tmp_path):
    fifo = tmp_path / "review.xlsx"
    make_fifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = run("report", *text_args(docs)[1:], "-q", "-o", fifo)
    reader.join(timeout=30)
    assert result.exit_code == 0, result.output
    assert received and received[0].startswith(b"PK\x03\x04")
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_directory_as_output_is_one_error(docs, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    result = run(*text_args(docs), "-f", "json", "-o", folder)
    assert result.exit_code == 1, result.output
    assert error_line(result) == f"Error: {folder} is a directory; give -o a file name"


# --- 3 and 12. inputs: only regular files, within the size limit -----------------------------


def _run_bounded(args: list[object], env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run tqe in a child process, so that a regression that blocks fails instead of hanging."""
    return subprocess.run(
        tqe_command(args), capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1]), **(env or {})},
    )


@pytest.mark.parametrize("role", ["translation", "reference", "table", "glossary", "db", "history db"])
def test_fifo_without_writer_is_refused_without_blocking(docs, tmp_path, role):
    fifo = tmp_path / "pipe.tsv"
    make_fifo(fifo)
    args = {
        "translation": ["score", docs["source"], fifo, "-m", "bleu"],
        "reference": ["score", docs["source"], docs["translation"], "-r", fifo, "-m", "bleu"],
        "table": ["score", "--table", fifo, "-m", "bleu"],
        "glossary": [*text_args(docs), "--glossary", fifo],
        "db": [*text_args(docs), "--save", "--db", fifo],
        "history db": ["history", "--db", fifo],
    }[role]
    before = snapshot(tmp_path)
    done = _run_bounded(args)
    assert done.returncode == 1, done.stderr
    assert done.stderr == f"Error: {fifo} is a named pipe (FIFO), {NOT_REGULAR_HINT}\n"
    assert snapshot(tmp_path) == before


def test_fifo_glossary_named_in_the_settings_file_does_not_block(docs, tmp_path):
    fifo = tmp_path / "terms.tsv"
    make_fifo(fifo)
    config = tmp_path / "fifo.toml"
    config.write_text(f'[glossary]\npath = "{fifo}"\n', encoding="utf-8")
    done = _run_bounded([*text_args(docs), "--config", config])
    assert done.returncode == 1, done.stderr
    assert done.stderr == f"Error: glossary file {fifo} is a named pipe (FIFO), {NOT_REGULAR_HINT}\n"


@pytest.mark.parametrize("role", ["source", "translation", "table", "dnt"])
def test_dev_zero_is_refused_before_reading(docs, role):
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero here")
    args = {
        "source": ["score", "/dev/zero", docs["translation"], "-m", "bleu"],
        "translation": ["score", docs["source"], "/dev/zero", "-m", "bleu"],
        "table": ["score", "--table", "/dev/zero", "-m", "bleu"],
        "dnt": [*text_args(docs), "--dnt", "/dev/zero"],
    }[role]
    done = _run_bounded(args)
    assert done.returncode == 1, done.stderr
    assert done.stderr == f"Error: /dev/zero is a character device, {NOT_REGULAR_HINT}\n"


def test_socket_is_refused(docs, tmp_path):
    path = tmp_path / "s.sock"
    if not hasattr(socket, "AF_UNIX"):
        pytest.skip("no unix sockets on this platform")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        server.bind(str(path))
    except OSError as exc:  # e.g. a path too long for AF_UNIX
        pytest.skip(f"cannot bind a unix socket here: {exc}")
    try:
        result = run("score", docs["source"], path, "-m", "bleu")
    finally:
        server.close()
    assert result.exit_code == 1, result.output
    assert error_line(result) == f"Error: {path} is a socket, {NOT_REGULAR_HINT}"


@pytest.mark.parametrize("role", ["source", "translation", "reference", "table", "glossary", "dnt", "config", "db",
                                  "compare source"])
def test_directory_as_input_is_one_error_line(docs, tmp_path, role):
    folder = tmp_path / "folder.tsv"
    folder.mkdir()
    s, t, r = docs["source"], docs["translation"], docs["reference"]
    args = {
        "source": ["score", folder, t, "-m", "bleu"],
        "translation": ["score", s, folder, "-m", "bleu"],
        "reference": ["score", s, t, "-r", folder, "-m", "bleu"],
        "table": ["report", "--table", folder, "-m", "bleu"],
        "glossary": ["score", s, t, "-r", r, "--glossary", folder],
        "dnt": ["report", s, t, "-r", r, "--dnt", folder],
        "config": ["score", s, t, "-r", r, "--config", folder],
        "db": ["score", s, t, "-r", r, "--save", "--db", folder],
        "compare source": ["compare", t, docs["other"], "--source", folder],
    }[role]
    before = snapshot(tmp_path)
    result = run(*args)
    assert result.exit_code == 1, result.output
    assert error_line(result) == f"Error: {folder} is a directory, not a file"
    assert snapshot(tmp_path) == before


def test_input_over_the_size_limit_is_refused_before_reading(docs, tmp_path, monkeypatch):
    size = docs["translation"].stat().st_size
    monkeypatch.setenv("TQE_MAX_INPUT_BYTES", str(size - 1))
    result = run(*text_args(docs))
    assert result.exit_code == 1, result.output
    assert error_line(result) == (
        f"Error: {docs['translation']} is {size:,} bytes, over the input limit of {size - 1:,} bytes; {LIMIT_HINT}"
    )


def test_table_and_glossary_over_the_size_limit(docs, monkeypatch):
    monkeypatch.setenv("TQE_MAX_INPUT_BYTES", "40")
    size = docs["tsv"].stat().st_size
    result = run("score", "--table", docs["tsv"], "-m", "bleu")
    assert error_line(result) == f"Error: {docs['tsv']} is {size:,} bytes, over the input limit of 40 bytes; {LIMIT_HINT}"
    monkeypatch.setenv("TQE_MAX_INPUT_BYTES", "100")
    glossary = docs["glossary"]
    glossary.write_text("en\tfr\n" + "budget\tbudget\n" * 10, encoding="utf-8")
    size = glossary.stat().st_size
    result = run(*text_args(docs), "--glossary", glossary)
    assert result.exit_code == 1, result.output
    assert error_line(result) == (
        f"Error: glossary file {glossary} is {size:,} bytes, over the input limit of 100 bytes; {LIMIT_HINT}"
    )


def test_standard_input_over_the_size_limit(docs, monkeypatch):
    monkeypatch.setenv("TQE_MAX_INPUT_BYTES", "1K")
    result = run("score", docs["source"], "-", "-r", docs["reference"], "-m", "bleu", input=TRANSLATION * 100)
    assert result.exit_code == 1, result.output
    assert error_line(result) == f"Error: standard input is over the input limit of 1,024 bytes; {LIMIT_HINT}"
    # within the limit, the same input is read
    result = run("score", docs["source"], "-", "-r", docs["reference"], "-m", "bleu", "-f", "json", input=TRANSLATION)
    assert result.exit_code == 0, result.output


def test_a_bad_size_limit_is_one_error(docs, monkeypatch):
    monkeypatch.setenv("TQE_MAX_INPUT_BYTES", "lots")
    result = run(*text_args(docs))
    assert result.exit_code == 1, result.output
    assert error_line(result) == (
        "Error: TQE_MAX_INPUT_BYTES='lots' is not a size; give a number of bytes, e.g. 500000000 or 500M"
    )


def test_memory_error_while_reading_is_one_error_naming_the_file(docs, monkeypatch):
    import tqe.io.text as text_module

    real_fdopen = os.fdopen

    class Exhausted:
        """A file whose read runs out of memory, as a huge input would."""

        def __init__(self, *args, **kwargs):
            self.handle = real_fdopen(*args, **kwargs)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def fileno(self):
            return self.handle.fileno()

        def read(self, *args):
            raise MemoryError

    monkeypatch.setattr(text_module.os, "fdopen", Exhausted)
    result = run(*text_args(docs))
    assert result.exit_code == 1, result.output
    assert error_line(result) == (
        f"Error: not enough memory to read {docs['source']}; split it into smaller files, or lower "
        "TQE_MAX_INPUT_BYTES so that such files are refused before reading"
    )


def test_memory_error_in_a_later_stage_is_one_error(docs, monkeypatch):
    import tqe.output

    def exhausted(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(tqe.output, "render", exhausted)
    result = run(*text_args(docs), "-f", "json")
    assert result.exit_code == 1, result.output
    assert error_line(result) == "Error: not enough memory; give smaller inputs (split the document) or free memory"


# --- 10. terminal escapes never reach the terminal raw ---------------------------------------


def test_escape_in_a_missing_file_name_is_shown_escaped(docs, tmp_path):
    name = tmp_path / "t\x1b]0;owned\x07\x1b[2J.fr"
    result = run("score", docs["source"], name, "-r", docs["reference"], "-m", "bleu")
    assert result.exit_code == 1
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert error_line(result) == f"Error: {tmp_path}/t\\x1b]0;owned\\x07\\x1b[2J.fr does not exist"


def test_bidi_override_and_newline_in_a_directory_name_are_shown_escaped(docs, tmp_path):
    folder = tmp_path / "rf.\u202etxt\nError: fake"
    folder.mkdir()
    result = run("score", docs["source"], docs["translation"], "-r", folder, "-m", "bleu")
    assert result.exit_code == 1
    assert error_line(result) == f"Error: {tmp_path}/rf.\\u202etxt\\nError: fake is a directory, not a file"


def test_escape_in_a_table_header_is_shown_escaped(tmp_path):
    table = tmp_path / "v.tsv"
    table.write_text("src\x1b[31m\ttranslation\nThank you.\tMerci.\n", encoding="utf-8")
    result = run("score", "--table", table, "-m", "bleu")
    assert result.exit_code == 1
    line = error_line(result)
    assert line.startswith("Error: v.tsv ") and "src\\x1b[31m" in line and "\x1b" not in line


def test_escape_in_comet_model_is_shown_escaped_in_warning_and_error(docs):
    from comet_fixture import require_comet_extra

    require_comet_extra("comet", "torch")  # without them the messages name the missing extra, not the model
    model = "bad\x1b[31mmodel\x9b2J"
    shown = "bad\\x1b[31mmodel\\x9b2J"
    warned = run(*text_args(docs)[:-2], "--comet-model", model, "-f", "json")
    assert warned.exit_code == 0, warned.output
    assert "\x1b" not in warned.stderr and "\x9b" not in warned.stderr
    assert error_line(warned).startswith(f"Warning: comet skipped: {shown} ")
    failed = run(*text_args(docs)[:-2], "-m", "comet", "--comet-model", model)
    assert failed.exit_code == 1
    assert error_line(failed).startswith(f"Error: {shown} ")


def test_escape_in_an_output_name_of_a_usage_error_is_shown_escaped(docs, tmp_path):
    result = run(*text_args(docs), "-o", tmp_path / "out\x1b[8m.pdf")
    assert result.exit_code == 2
    assert "\x1b" not in result.stderr
    assert "out\\x1b[8m.pdf: name the file .json" in result.stderr
