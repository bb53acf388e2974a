"""tqe history / tqe compare / score --save on the command line: outputs and exact exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from tqe.cli import input_options, report_errors
from tqe.cli_history import (
    REGRESSION_EXIT_CODE,
    SaveSettings,
    compare,
    db_option,
    history,
    save_if_asked,
    save_options,
)
from tqe import __version__
from tqe.document import build_segments
from tqe.pipeline import ScoreResult, score_segments
from tqe.store.history import save_run

SAMPLES = Path(__file__).resolve().parent.parent / "references"

SOURCES = [f"Sentence number {i} is about the water supply." for i in range(30)]
REFERENCES = [f"La phrase numéro {i} parle de l'approvisionnement en eau." for i in range(30)]
WORSE = [f"Phrase {i} eau." if i % 2 else ref for i, ref in enumerate(REFERENCES)]


@click.command("score")
@input_options
@save_options
@db_option
@click.option("-q", "--quiet", is_flag=True)
@report_errors
def score_and_save(source, translation, references, table, segmentation, save, revision, force, db, quiet) -> None:
    """What tqe score does with --save, --revision, --force and --db."""
    from tqe.pipeline import score

    result = score(source, translation, references, table=table, metrics=["bleu", "chrf"], segmentation=segmentation)
    save_if_asked(result, SaveSettings(save=save, db=db, revision=revision, force=force, quiet=quiet))


tqe = click.Group("tqe", commands=[history, compare, score_and_save])


@pytest.fixture(autouse=True)
def _default_seed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SACREBLEU_SEED", raising=False)


def run(*args: str):
    return CliRunner().invoke(tqe, [str(a) for a in args])


def scored(translations) -> ScoreResult:
    return score_segments(build_segments(SOURCES, translations, [REFERENCES], segmentation="lines"), ["bleu", "chrf"])


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "history.db"
    save_run(path, scored(REFERENCES), source_path="source.en.txt", revision="good", tqe_version=__version__)
    save_run(path, scored(WORSE), source_path="source.en.txt", revision="<b>bad</b>", tqe_version=__version__)
    return path


def test_score_save_records_a_run_that_history_lists(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    args = [SAMPLES / "source.en.txt", SAMPLES / "translation.v1.fr.txt", "-r", SAMPLES / "reference.fr.txt"]
    first = run("score", *args, "--save", "--db", db, "--revision", "v1")
    assert first.exit_code == 0, first.output
    assert first.stderr == "Saved run #1 (revision v1).\n"
    args[1] = SAMPLES / "translation.v2.fr.txt"
    assert run("score", *args, "--save", "--db", db, "--revision", "v2", "-q").exit_code == 0
    listed = run("history", "--db", db, "-f", "json")
    assert listed.exit_code == 0
    runs = json.loads(listed.stdout)
    assert [r["revision"] for r in runs] == ["v1", "v2"]
    assert runs[1]["scores"]["bleu"]["change"] == pytest.approx(runs[1]["scores"]["bleu"]["score"] - runs[0]["scores"]["bleu"]["score"])
    assert runs[0]["source"] == "source.en.txt" and runs[0]["scores"]["bleu"]["change"] is None

    compared = run("compare", "v1", "v2", "--db", db, "-f", "json", "--fail-on-regression", "--max-segment-drop", "90")
    assert compared.exit_code == 0, compared.output
    record = json.loads(compared.stdout)
    assert record["metrics"]["bleu"]["verdict"] == "better" and record["regressions"] == []
    assert {s["status"] for s in record["segments"]} == {"changed"}


def test_revision_needs_save(tmp_path: Path) -> None:
    args = [SAMPLES / "source.en.txt", SAMPLES / "translation.v1.fr.txt", "-r", SAMPLES / "reference.fr.txt"]
    result = run("score", *args, "--revision", "v1")
    assert result.exit_code == 2 and "--revision needs --save" in result.output


def test_history_formats(db: Path, tmp_path: Path) -> None:
    table = run("history", "--db", db, "-f", "table")
    assert table.exit_code == 0
    lines = table.stdout.splitlines()
    assert lines[0].split()[:5] == ["run", "revision", "date", "source", "segs"]
    assert lines[1].startswith("#1") and "<b>bad</b>" in lines[2] and "(-" in lines[2]

    csv_text = run("history", "source.en.txt", "--db", db, "-f", "csv").stdout
    assert csv_text.splitlines()[0].startswith(
        "run,revision,created_at,document,source,segments,tqe_version,flags_critical,flags_major,flags_minor,bleu,bleu_change"
    )

    page = tmp_path / "history.html"
    assert run("history", "--db", db, "-o", page).exit_code == 0
    html = page.read_text(encoding="utf-8")
    assert html.count("<svg") == 2 and "<polyline" in html
    assert "&lt;b&gt;bad&lt;/b&gt;" in html and "<b>bad</b>" not in html
    assert "<script" not in html

    missing = run("history", "missing.txt", "--db", db, "-f", "json")
    assert missing.exit_code == 1 and missing.stdout == ""
    assert missing.stderr == f"Error: no runs of missing.txt in {db}\n"


def test_history_of_an_empty_database_notes_it(tmp_path: Path) -> None:
    from tqe.store.db import connect

    empty = tmp_path / "empty.db"
    connect(empty).close()
    result = run("history", "--db", empty, "-f", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == []
    assert result.stderr.startswith("Note: no runs in ") and result.stderr.count("\n") == 1


def test_saving_a_label_twice_is_refused_unless_forced(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    args = [SAMPLES / "source.en.txt", SAMPLES / "translation.v1.fr.txt", "-r", SAMPLES / "reference.fr.txt",
            "--save", "--db", db]
    assert run("score", *args, "--revision", "v1").exit_code == 0
    assert run("score", *args, "--revision", "v2").exit_code == 0
    again = run("score", *args, "--revision", "v1")
    assert again.exit_code == 1
    assert again.stderr == ("Error: revision 'v1' already labels run #1 of source.en.txt; choose another --revision, "
                            "or add --force to replace that run\n")
    assert len(json.loads(run("history", "--db", db, "-f", "json").stdout)) == 2

    forced = run("score", *args, "--revision", "v1", "--force")
    assert forced.exit_code == 0, forced.output
    assert forced.stderr.splitlines() == ["Replaced run(s) #1 of source.en.txt (revision v1).",
                                          "Saved run #3 (revision v1)."]
    assert [r["run"] for r in json.loads(run("history", "--db", db, "-f", "json").stdout)] == [2, 3]
    assert run("compare", "v1", "v2", "--db", db, "-f", "json").exit_code == 0


@pytest.mark.parametrize("label", ["latest", "previous", "LATEST", "#1", "12"])
def test_reserved_revision_labels_are_one_error_line(tmp_path: Path, label: str) -> None:
    db = tmp_path / "h.db"
    args = [SAMPLES / "source.en.txt", SAMPLES / "translation.v1.fr.txt", "-r", SAMPLES / "reference.fr.txt"]
    result = run("score", *args, "--save", "--db", db, "--revision", label)
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == (f"Error: revision label {label!r} is reserved: tqe compare and tqe history read it as a "
                             "run reference (latest, previous, #ID, run id); choose another --revision\n")
    assert not db.exists()


def test_force_needs_save(tmp_path: Path) -> None:
    args = [SAMPLES / "source.en.txt", SAMPLES / "translation.v1.fr.txt", "-r", SAMPLES / "reference.fr.txt"]
    result = run("score", *args, "--force")
    assert result.exit_code == 2 and "--force needs --save" in result.output


def test_score_saves_only_after_the_output_is_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A failed write saves nothing, so running the command again saves one run, not two."""
    import tqe.io.write
    from tqe.cli import cli
    from tqe.errors import InputError

    db, out = tmp_path / "h.db", tmp_path / "scores.json"
    args = ["score", SAMPLES / "source.en.txt", SAMPLES / "translation.v1.fr.txt", "-r", SAMPLES / "reference.fr.txt",
            "-m", "bleu,chrf", "--no-flags", "-o", out, "--save", "--db", db, "--revision", "v1"]
    real_write = tqe.io.write.write_output

    def full_disk(path, data):
        raise InputError(f"cannot write {path}: No space left on device")

    monkeypatch.setattr(tqe.io.write, "write_output", full_disk)
    failed = CliRunner().invoke(cli, [str(a) for a in args])
    assert failed.exit_code == 1 and failed.stderr == f"Error: cannot write {out}: No space left on device\n"
    assert not out.exists() and not db.exists()

    monkeypatch.setattr(tqe.io.write, "write_output", real_write)
    retried = CliRunner().invoke(cli, [str(a) for a in args])
    assert retried.exit_code == 0, retried.output
    assert retried.stderr == f"Saved run #1 (revision v1).\nWrote {out}\n"
    assert json.loads(out.read_text(encoding="utf-8"))["metrics"]["bleu"]["score"] > 0
    assert [r["revision"] for r in json.loads(run("history", "--db", db, "-f", "json").stdout)] == ["v1"]

    out.unlink()
    taken = CliRunner().invoke(cli, [str(a) for a in args])  # a taken label fails before anything is written
    assert taken.exit_code == 1 and "already labels run #1" in taken.stderr and not out.exists()


def test_history_change_skips_runs_scored_against_other_references(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    other_refs = [r + " Fin." for r in REFERENCES]
    save_run(db, scored(WORSE), source_path="source.en.txt", revision="a", tqe_version=__version__)
    against_other = score_segments(build_segments(SOURCES, REFERENCES, [other_refs], segmentation="lines"), ["bleu", "chrf"])
    save_run(db, against_other, source_path="source.en.txt", revision="b", tqe_version=__version__)
    refused = run("compare", "a", "b", "--db", db, "-f", "json")
    assert refused.exit_code == 1 and "references differ" in refused.stderr
    runs = json.loads(run("history", "--db", db, "-f", "json").stdout)
    assert runs[1]["scores"]["bleu"]["change"] is None and runs[1]["scores"]["chrf"]["change"] is None


def test_identical_revisions_show_p_1_and_no_difference(db: Path) -> None:
    table = run("compare", "good", "good", "--db", db, "-f", "table")
    assert table.exit_code == 0, table.output
    bleu_line = next(line for line in table.stdout.splitlines() if line.startswith("BLEU:"))
    assert "p = 1.0000" in bleu_line and bleu_line.endswith(": no difference")
    assert "significant" not in bleu_line
    record = json.loads(run("compare", "good", "good", "--db", db, "-f", "json").stdout)
    assert record["metrics"]["bleu"]["verdict"] == "no difference"
    assert record["metrics"]["bleu"]["significance"]["p_value"] == 1.0
    assert record["metrics"]["bleu"]["significance"]["p_value_sacrebleu"] < 0.05


@pytest.mark.parametrize("name", ["cmp.txt", "cmp.pdf", "cmp"])
def test_compare_refuses_an_unknown_output_extension_before_any_work(tmp_path: Path, name: str) -> None:
    target = tmp_path / name
    # the database does not exist: the option must fail first, with click's exit status 2
    result = run("compare", "1", "2", "--db", tmp_path / "none.db", "-o", target)
    assert result.exit_code == 2, result.output
    assert "Invalid value for '-o' / '--output'" in result.stderr
    assert ".html" in result.stderr and ".xlsx" in result.stderr and ".json" in result.stderr
    assert not target.exists() and not (tmp_path / "none.db").exists()


def test_history_without_database_is_an_error(tmp_path: Path) -> None:
    result = run("history", "--db", tmp_path / "none.db")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: no run history at ") and result.stderr.count("\n") == 1


def test_regression_exits_3_with_one_line_per_reason(db: Path) -> None:
    result = run("compare", "good", "<b>bad</b>", "--db", db, "-f", "json", "--fail-on-regression")
    assert result.exit_code == REGRESSION_EXIT_CODE == 3
    record = json.loads(result.stdout)
    assert record["metrics"]["bleu"]["verdict"] == "worse"
    assert record["metrics"]["bleu"]["significance"]["p_value"] < 0.05
    low, high = record["metrics"]["bleu"]["significance"]["ci95"]
    assert low < record["metrics"]["bleu"]["delta"] < high < 0
    assert result.stderr.splitlines() == [f"Regression: {reason}" for reason in record["regressions"]]
    assert len(record["regressions"]) == 2

    with_segments = run("compare", "previous", "latest", "--db", db, "-f", "json", "--fail-on-regression", "--max-segment-drop", "50")
    assert with_segments.exit_code == 3
    assert any("segment 2.1 bleu dropped by" in line for line in with_segments.stderr.splitlines())

    assert run("compare", "previous", "latest", "--db", db, "-f", "json").exit_code == 0
    assert run("compare", "latest", "previous", "--db", db, "-f", "json", "--fail-on-regression").exit_code == 0


def test_no_significance_gate_counts_any_drop(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    save_run(db, scored(REFERENCES), revision="a", tqe_version=__version__)
    slightly = REFERENCES[:-1] + ["La phrase numéro 29 parle de l'eau."]
    save_run(db, scored(slightly), revision="b", tqe_version=__version__)
    assert run("compare", "a", "b", "--db", db, "-f", "json", "--fail-on-regression").exit_code == 0
    result = run("compare", "a", "b", "--db", db, "-f", "json", "--fail-on-regression", "--no-significance")
    assert result.exit_code == 3


def test_compare_two_files_matches_sacrebleu(tmp_path: Path) -> None:
    from sacrebleu.significance import PairedTest

    from tqe.metrics.lexical import _build

    v1, v2, ref = (SAMPLES / n for n in ("translation.v1.fr.txt", "translation.v2.fr.txt", "reference.fr.txt"))
    result = run("compare", v1, v2, "--source", SAMPLES / "source.en.txt", "-r", ref, "-m", "bleu",
                 "--segmentation", "lines", "--test", "ar", "-f", "json")
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    lines = [p.read_text(encoding="utf-8").splitlines() for p in (v1, v2, ref)]
    _, scores = PairedTest([("v1", lines[0]), ("v2", lines[1])], {"bleu": _build("bleu", {})}, [lines[2]], test_type="ar")()
    (name,) = [k for k in scores if k != "System"]
    assert record["metrics"]["bleu"]["significance"]["p_randomization"] == scores[name][1].p_value
    assert record["metrics"]["bleu"]["significance"]["p_value"] == scores[name][1].p_value
    assert record["a"] == "translation.v1.fr.txt"


def test_compare_writes_reports_in_the_report_formats(db: Path, tmp_path: Path) -> None:
    for name in ("cmp.html", "cmp.md", "cmp.csv", "cmp.json"):
        target = tmp_path / name
        result = run("compare", "1", "2", "--db", db, "-o", target)
        assert result.exit_code == 0, result.output
        assert result.stdout == ""
        text = target.read_text(encoding="utf-8-sig")
        assert "2.1" in text
    assert "&lt;b&gt;bad&lt;/b&gt;" in (tmp_path / "cmp.html").read_text(encoding="utf-8")
    assert json.loads((tmp_path / "cmp.json").read_text(encoding="utf-8"))["metrics"]["bleu"]["verdict"] == "worse"


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["nope", "latest"], 1, "Error: no run 'nope'"),
        (["--test", "t", "1", "2"], 2, "Invalid value for '--test'"),
        (["1", "2", "--fail-on-regression", "--max-segment-drop", "-1"], 2, "Invalid value for '--max-segment-drop'"),
        (["1", "2", "--max-segment-drop", "5"], 2, "need --fail-on-regression"),
        (["1", "2", "-r", "ref.txt"], 2, "does not exist"),
        (["1", "2", "-m", "ter"], 1, "Error: ter was not scored in revision A and B"),
    ],
)
def test_compare_exit_codes(db: Path, args, code, message) -> None:
    result = run("compare", *args, "--db", db)
    assert result.exit_code == code, result.output
    assert message in result.output


def test_files_need_a_source_and_same_signatures(db: Path, tmp_path: Path) -> None:
    v1, v2 = SAMPLES / "translation.v1.fr.txt", SAMPLES / "translation.v2.fr.txt"
    missing = run("compare", v1, v2)
    assert missing.exit_code == 2 and "needs --source FILE" in missing.output
    not_files = run("compare", "1", v2, "--source", SAMPLES / "source.en.txt", "--db", db)
    assert not_files.exit_code == 2 and "'1' is not a file" in not_files.output

    other = tmp_path / "other.db"
    save_run(other, scored(REFERENCES), revision="one", tqe_version=__version__)
    two_refs = score_segments(build_segments(SOURCES, REFERENCES, [REFERENCES, REFERENCES], segmentation="lines"), ["bleu"])
    save_run(other, two_refs, revision="two", tqe_version=__version__)
    result = run("compare", "one", "two", "--db", other, "-m", "bleu")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: bleu signatures differ: nrefs:1|") and " vs nrefs:2|" in result.stderr


def test_sample_number_regression_fails_the_gate_on_new_flags() -> None:
    """references/README.md: v2 turns 8,900 into 9 800 in segment 11.3 while BLEU goes up."""
    v1, v2 = SAMPLES / "translation.v1.fr.txt", SAMPLES / "translation.v2.fr.txt"
    args = ["compare", v1, v2, "--source", SAMPLES / "source.en.txt", "-r", SAMPLES / "reference.fr.txt",
            "-m", "bleu,chrf", "-f", "json", "--fail-on-regression"]
    assert run(*args).exit_code == 0
    result = run(*args, "--new-flags", "major")
    assert result.exit_code == 3
    assert any(line.startswith("Regression: segment 11.3 has a new major numbers flag") for line in result.stderr.splitlines())


def _snapshot(path: Path) -> tuple[bytes, int, list[str]]:
    return path.read_bytes(), path.stat().st_mtime_ns, sorted(p.name for p in path.parent.iterdir())


@pytest.mark.parametrize("journal", ["wal", "delete"])
def test_history_and_compare_only_read_the_database(db: Path, journal: str) -> None:
    import sqlite3

    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA journal_mode = {journal}")
    conn.close()
    db.chmod(0o444)  # what a reader may meet; root ignores it, so the file itself is checked
    before = _snapshot(db)
    assert not any(name.endswith(("-wal", "-shm")) for name in before[2])
    for args in (["history", "--db", db, "-f", "json"], ["history", "source.en.txt", "--db", db, "-f", "csv"],
                 ["compare", "good", "<b>bad</b>", "--db", db, "-f", "json"]):
        result = run(*args)
        assert result.exit_code == 0, result.output
        assert _snapshot(db) == before


def test_reading_an_older_database_asks_for_an_upgrade_and_leaves_it(tmp_path: Path) -> None:
    from tqe.store.db import MIGRATIONS, connect, migrate_db

    db = tmp_path / "old.db"
    conn = connect(db, migrate=False)
    migrate_db(conn, MIGRATIONS[:1])
    conn.close()
    before = _snapshot(db)
    for args in (["history", "--db", db], ["compare", "latest", "previous", "--db", db]):
        result = run(*args)
        assert result.exit_code == 1
        assert result.output.strip().splitlines() == [
            f"Error: {db} was written by an older tqe; run tqe score --save once to upgrade it"
        ]
        assert _snapshot(db) == before


def test_missing_database_on_a_read_path_is_one_line(tmp_path: Path) -> None:
    db = tmp_path / "none.db"
    result = run("history", "--db", db)
    assert result.exit_code == 1 and result.output.startswith("Error: no run history at ")
    assert not db.exists() and list(tmp_path.iterdir()) == []


def test_damaged_run_is_one_error_line_not_a_traceback(db: Path) -> None:
    import sqlite3

    conn = sqlite3.connect(db)
    conn.execute("UPDATE segments SET refs = 'not json' WHERE run_id = 2")
    conn.commit()
    conn.close()
    for args in (["history", "--db", db], ["compare", "good", "<b>bad</b>", "--db", db]):
        result = run(*args)
        assert result.exit_code == 1, result.output
        expected = (f"Error: cannot read run #2 in {db}: its stored data is damaged "
                    "(JSONDecodeError: Expecting value: line 1 column 1 (char 0))")
        assert result.output.splitlines() == [expected]


def test_history_rejects_unknown_output_extension(tmp_path):
    out = tmp_path / "x.pdf"
    result = CliRunner().invoke(history, ["--db", str(tmp_path / "h.db"), "-o", str(out)])
    assert result.exit_code == 2
    assert "name the file .json, .csv, .html, .htm, .txt" in result.output
    assert not out.exists()


def test_save_into_a_busy_database_says_so_and_saves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sqlite3

    from tqe.store import db as store_db

    db = tmp_path / "h.db"
    save_run(db, scored(REFERENCES), source_path="source.en.txt", revision="good", tqe_version=__version__)
    monkeypatch.setattr(store_db, "BUSY_TIMEOUT_MS", 200)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        args = [SAMPLES / "source.en.txt", SAMPLES / "translation.v1.fr.txt", "-r", SAMPLES / "reference.fr.txt"]
        result = run("score", *args, "--save", "--db", db, "--revision", "v1")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.exit_code == 1
    assert result.stderr == (f"Error: cannot save the run: the database {db} is busy: another process has been "
                             "writing to it for more than 0.2 s; run the command again once it has finished, or "
                             "give --db a different file (leave this one in place while it is in use)\n")
    assert [r["revision"] for r in json.loads(run("history", "--db", db, "-f", "json").stdout)] == ["good"]


def test_history_and_compare_read_a_wal_database_in_a_read_only_folder(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As root every folder is writable, so the read-only mount is simulated where tqe checks it."""
    from tqe.store import db as store_db

    before = _snapshot(db)
    real_access = store_db.os.access
    monkeypatch.setattr(store_db.os, "access",  # a read-only mount: nothing can be written there
                        lambda path, mode, **kw: False if mode & store_db.os.W_OK else real_access(path, mode, **kw))
    listed = run("history", "--db", db, "-f", "json")
    assert listed.exit_code == 0, listed.output
    assert [r["revision"] for r in json.loads(listed.stdout)] == ["good", "<b>bad</b>"]
    compared = run("compare", "good", "<b>bad</b>", "--db", db, "-f", "json")
    assert compared.exit_code == 0, compared.output
    assert _snapshot(db) == before  # and no -shm/-wal file was created beside it


def test_gate_fails_a_revision_with_no_segments(tmp_path: Path) -> None:
    """A collapse to zero segments cannot be tested for significance; it must not pass."""
    from dataclasses import replace

    db = tmp_path / "h.db"
    good = scored(REFERENCES)
    empty = ScoreResult(segments=good.segments.iloc[0:0],
                        metrics={n: replace(m, corpus_score=0.0, segment_scores=[]) for n, m in good.metrics.items()},
                        skipped={})
    save_run(db, good, source_path="source.en.txt", revision="good", tqe_version=__version__)
    save_run(db, empty, source_path="source.en.txt", revision="empty", tqe_version=__version__)
    result = run("compare", "good", "empty", "--db", db, "-f", "json", "--fail-on-regression")
    assert result.exit_code == REGRESSION_EXIT_CODE, result.output
    lines = result.stderr.splitlines()
    assert lines[0] == "Regression: B has no segments (A has 30): nothing in B could be scored or tested"
    assert lines[1].startswith("Regression: bleu dropped from ") and lines[1].endswith(
        "to 0, more than 1 point, and significance could not be tested (no segment in common)")
    assert json.loads(result.stdout)["metrics"]["bleu"]["verdict"] == "not tested"
