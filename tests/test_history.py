"""Run history: writes and reads, migrations, concurrent writers, killed writers, revisions."""

from __future__ import annotations

import json
import math
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest

from tqe import __version__
from tqe.document import build_segments
from tqe.errors import StoreError
from tqe.metrics.base import MetricResult
from tqe.model import ErrorSpan, Flag
from tqe.pipeline import ScoreResult, score_segments
from tqe.store import history
from tqe.store.db import MIGRATIONS, connect, migrate_db, schema_version
from tqe.compare import comparable_runs
from tqe.gitrev import git_revision
from tqe.store.history import document_id, find_run, load_run, save_run

ROOT = Path(__file__).resolve().parent.parent

SOURCES = ["The reservoir is full. It rained.", "The pumps were repaired.", "Costs rose."]
REFERENCES = ["Le réservoir est plein. Il a plu.", "Les pompes ont été réparées.", "Les coûts ont augmenté."]


def list_runs(db, document=None):
    """The history table with the changes ``tqe history`` shows (tqe compare's rule)."""
    return history.list_runs(db, document, comparable=comparable_runs)


def scored(translations, flags=None) -> ScoreResult:
    segments = build_segments(SOURCES, translations, [REFERENCES], segmentation="lines")
    result = score_segments(segments, ["bleu", "chrf"])
    if flags is not None:
        result.segments["flags"] = flags
    return result


def test_save_and_load_keep_every_segment_score_and_flag(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    flags = [[{"check": "numbers", "severity": "major", "message": "8,900 ≠ 9 800"}], [], []]
    result = scored(REFERENCES, flags)
    info = save_run(db, result, source_path="src.txt", translation_path="mt.txt",
                    reference_paths=["ref.txt"], revision="v1", tqe_version=__version__)
    assert info.id == 1 and info.revision == "v1" and info.segment_count == 3
    assert info.source_path == str(Path("src.txt").resolve())

    run = load_run(db, "v1")
    assert run.info.id == 1 and run.info.reference_paths == (str(Path("ref.txt").resolve()),)
    columns = ["id", "paragraph", "link", "source", "translation", "references"]
    pd.testing.assert_frame_equal(run.segments[columns], result.segments[columns])
    for name in ("bleu", "chrf"):
        assert list(run.segments[name]) == list(result.segments[name])
        assert run.metrics[name].corpus_score == result.metrics[name].corpus_score
        assert run.metrics[name].signature == result.metrics[name].signature
        assert run.metrics[name].segment_signature == result.metrics[name].segment_signature
    assert list(run.segments["flags"]) == [[Flag.from_dict(flag) for flag in cell] for cell in flags]
    assert run.corpus == result.corpus


def test_missing_scores_details_and_skipped_metrics_round_trip(tmp_path: Path) -> None:
    segments = build_segments(SOURCES, REFERENCES, [], segmentation="lines")
    # raw xCOMET dicts, as a run saved before spans were checked holds them ("absent" fits nowhere)
    spans = [[{"text": "plein", "severity": "minor"}, {"text": "absent", "severity": "major"}], [], None]
    comet = MetricResult("comet", 0.5, [0.9, math.nan, 0.1], "comet|model:m|version:2.2.7|refs:0",
                         details={"comet_error_spans": spans})
    segments["comet"] = comet.segment_scores
    segments["comet_error_spans"] = spans
    result = ScoreResult(segments, {"comet": comet}, {"bleu": "bleu needs a reference translation (-r FILE)"})
    save_run(tmp_path / "h.db", result, revision="qe", tqe_version=__version__)
    run = load_run(tmp_path / "h.db", "latest")
    assert run.skipped == result.skipped
    assert run.segments["comet"].iloc[0] == 0.9 and math.isnan(run.segments["comet"].iloc[1])
    assert run.metrics["comet"].details["comet_error_spans"] == [
        [ErrorSpan.from_dict(spans[0][0], REFERENCES[0])], [], None
    ]
    assert list(run.segments["references"]) == [(), (), ()]
    conn = sqlite3.connect(tmp_path / "h.db")
    assert conn.execute("SELECT model FROM run_metrics").fetchone()[0] == "m"


def test_flag_and_span_records_are_stored_as_their_dicts(tmp_path: Path) -> None:
    segments = build_segments(SOURCES, REFERENCES, [], segmentation="lines")
    spans = [[ErrorSpan(17, 22, "minor", "plein", 0.5)], [], []]
    flags = [[Flag("comet-span", "minor", "COMET marks 'plein' as a minor error (50% confidence)")], [], []]
    comet = MetricResult("comet", 0.5, [0.9, 0.8, 0.1], "comet|model:m|version:2.2.7|refs:0",
                         details={"comet_error_spans": spans})
    segments["comet"] = comet.segment_scores
    segments["comet_error_spans"] = spans
    segments["flags"] = flags
    save_run(tmp_path / "h.db", ScoreResult(segments, {"comet": comet}), revision="qe", tqe_version=__version__)
    run = load_run(tmp_path / "h.db", "latest")
    conn = sqlite3.connect(tmp_path / "h.db")
    [(details,)] = conn.execute("SELECT details FROM segments WHERE position = 0").fetchall()
    assert json.loads(details) == {"comet_error_spans": [spans[0][0].to_dict()]}
    [(check, severity, message)] = conn.execute("SELECT check_name, severity, message FROM segment_flags").fetchall()
    assert Flag(check, severity, message) == flags[0][0]
    assert run.metrics["comet"].details["comet_error_spans"] == spans
    assert list(run.segments["comet_error_spans"]) == spans and list(run.segments["flags"]) == flags


def test_history_lists_runs_with_change_from_previous_revision(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    save_run(db, scored(["Le réservoir. Il a plu.", "Pompes.", "Coûts."]), source_path="a/source.en.txt", revision="v1", tqe_version=__version__)
    save_run(db, scored(REFERENCES), source_path="a/source.en.txt", revision="v2", tqe_version=__version__)
    other = ScoreResult(*_other_document())
    save_run(db, other, source_path="b/other.txt", revision="x1", tqe_version=__version__)

    runs = list_runs(db)
    assert list(runs["run"]) == [1, 2, 3]
    assert list(runs["revision"]) == ["v1", "v2", "x1"]
    assert math.isnan(runs["bleu_change"].iloc[0])
    assert runs["bleu_change"].iloc[1] == pytest.approx(runs["bleu"].iloc[1] - runs["bleu"].iloc[0])
    assert math.isnan(runs["bleu_change"].iloc[2])  # a different document has no previous run

    assert list(list_runs(db, "source.en.txt")["run"]) == [1, 2]
    assert list(list_runs(db, runs["document"].iloc[2][:8])["run"]) == [3]
    with pytest.raises(StoreError, match=r"^no runs of missing\.txt in .*h\.db$"):
        list_runs(db, "missing.txt")


def _other_document():
    segments = build_segments(["Other text."], ["Autre texte."], [["Autre texte."]], segmentation="lines")
    result = score_segments(segments, ["bleu"])
    return result.segments, result.metrics


def test_run_references(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    for label in ("v1", "v2", "v3"):
        save_run(db, scored(REFERENCES), source_path="s.txt", revision=label, tqe_version=__version__)
    assert find_run(db, "latest").revision == "v3"
    assert find_run(db, "previous").revision == "v2"
    assert find_run(db, "2").revision == "v2"
    assert find_run(db, "#1").revision == "v1"
    assert find_run(db, "3").revision == "v3"
    assert find_run(db, "v1").id == 1
    with pytest.raises(StoreError, match="no run 'v9'"):
        find_run(db, "v9")
    with pytest.raises(StoreError, match="no run history at"):
        list_runs(tmp_path / "none.db")


@pytest.mark.parametrize("label", ["latest", "Previous", " latest ", "#1", "#x", "2", "007"])
def test_reserved_labels_are_refused(tmp_path: Path, label: str) -> None:
    db = tmp_path / "h.db"
    with pytest.raises(StoreError, match=r"^revision label '.+' is reserved: tqe compare and tqe history read it "
                                         r"as a run reference \(latest, previous, #ID, run id\); choose another --revision$"):
        save_run(db, scored(REFERENCES), source_path="s.txt", revision=label, tqe_version=__version__)
    assert not db.exists()


def test_a_label_is_unique_per_document_unless_forced(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    first = save_run(db, scored(REFERENCES), source_path="a/source.en.txt", revision="v1", tqe_version=__version__)
    with pytest.raises(StoreError, match=r"^revision 'v1' already labels run #1 of source\.en\.txt; choose another "
                                         r"--revision, or add --force to replace that run$"):
        save_run(db, scored(REFERENCES[:2] + ["Autre."]), source_path="a/source.en.txt", revision="v1", tqe_version=__version__)
    assert list(list_runs(db)["run"]) == [1]
    replaced = save_run(db, scored(REFERENCES[:2] + ["Autre."]), source_path="a/source.en.txt", revision="v1",
                        force=True, tqe_version=__version__)
    assert first.replaced == () and replaced.replaced == (1,)
    assert list(list_runs(db)["run"]) == [2]
    assert load_run(db, "v1").segments["translation"].iloc[2] == "Autre."
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT DISTINCT run_id FROM segment_scores").fetchall() == [(2,)]  # no orphans left


def test_a_taken_default_label_gets_a_suffix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "h.db"
    monkeypatch.setattr(history, "default_revision", lambda path: "abc1234")
    labels = [save_run(db, scored(REFERENCES), source_path="s.txt", tqe_version=__version__).revision for _ in range(3)]
    assert labels == ["abc1234", "abc1234-2", "abc1234-3"]
    assert find_run(db, "abc1234-2").id == 2


def test_a_label_on_several_runs_of_an_older_database_is_an_error(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    save_run(db, scored(REFERENCES), revision="first", tqe_version=__version__)
    save_run(db, scored(REFERENCES), source_path="source.en.txt", revision="same", tqe_version=__version__)
    save_run(db, scored(REFERENCES), source_path="source.en.txt", revision="other", tqe_version=__version__)
    conn = sqlite3.connect(db)  # what an older tqe, which allowed it, may have left
    conn.execute("UPDATE runs SET revision = 'same' WHERE id = 3")
    conn.commit()
    conn.close()
    assert find_run(db, "#2").id == 2
    with pytest.raises(StoreError, match=r"^revision 'same' matches runs #2, #3 of source\.en\.txt; use #ID$"):
        find_run(db, "same")
    with pytest.raises(StoreError, match="matches runs #2, #3"):
        load_run(db, "same")
    assert find_run(db, "#3").revision == "same"


def test_same_label_on_different_documents(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    save_run(db, scored(REFERENCES), source_path="a/source.en.txt", revision="v1", tqe_version=__version__)
    other = save_run(db, ScoreResult(*_other_document()), source_path="b/other.txt", revision="v1", tqe_version=__version__)
    assert other.replaced == ()  # another document: the label is still unique per document
    with pytest.raises(StoreError, match=r"^revision 'v1' matches runs #1 of source\.en\.txt, #2 of other\.txt; "
                                         r"use #ID or --document$"):
        find_run(db, "v1")
    assert find_run(db, "v1", "other.txt").id == 2


def test_change_only_from_a_run_with_the_same_references_and_signature(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    other_refs = [r + " Fin." for r in REFERENCES]
    with_other_refs = score_segments(build_segments(SOURCES, REFERENCES, [other_refs], segmentation="lines"), ["bleu"])
    two_refs = score_segments(build_segments(SOURCES, REFERENCES, [REFERENCES, other_refs], segmentation="lines"), ["bleu"])
    save_run(db, scored(["Le réservoir. Il a plu.", "Pompes.", "Coûts."]), source_path="s.txt", revision="r1", tqe_version=__version__)
    save_run(db, with_other_refs, source_path="s.txt", revision="other-refs", tqe_version=__version__)  # same signature, other texts
    save_run(db, two_refs, source_path="s.txt", revision="two-refs", tqe_version=__version__)  # another signature (nrefs:2)
    save_run(db, scored(REFERENCES), source_path="s.txt", revision="r1-again", tqe_version=__version__)

    runs = list_runs(db).set_index("revision")
    assert math.isnan(runs.loc["other-refs", "bleu_change"])
    assert math.isnan(runs.loc["two-refs", "bleu_change"])
    # the latest run compares with the last one scored like it, run 1, not the run just before
    assert runs.loc["r1-again", "bleu_change"] == pytest.approx(runs.loc["r1-again", "bleu"] - runs.loc["r1", "bleu"])
    assert runs.loc["r1-again", "chrf_change"] == pytest.approx(runs.loc["r1-again", "chrf"] - runs.loc["r1", "chrf"])


def test_document_id_ignores_alignment_and_translation() -> None:
    one = pd.DataFrame({"paragraph": [1, 1, 2], "source": ["A b.", "C d.", "E."]})
    merged = pd.DataFrame({"paragraph": [1, 2, 2], "source": ["A  b. C d.", "", "E."]})
    edited = pd.DataFrame({"paragraph": [1, 1, 2], "source": ["A b.", "C e.", "E."]})
    assert document_id(one) == document_id(merged)
    assert document_id(one) != document_id(edited)
    assert len(document_id(one)) == 64


def test_fresh_database_has_every_migration_and_old_one_upgrades(tmp_path: Path) -> None:
    conn = connect(tmp_path / "new.db")
    assert schema_version(conn) == len(MIGRATIONS) >= 2
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"runs", "run_metrics", "segments", "segment_scores", "segment_flags", "comet_cache"} <= tables
    conn.close()

    old = connect(tmp_path / "old.db", migrate=False)
    migrate_db(old, MIGRATIONS[:1])
    old.execute("INSERT INTO comet_cache (key, model_id, score) VALUES ('k', 'm', 0.5)")
    old.close()
    save_run(tmp_path / "old.db", scored(REFERENCES), revision="v1", tqe_version=__version__)
    upgraded = sqlite3.connect(tmp_path / "old.db")
    assert upgraded.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert upgraded.execute("SELECT score FROM comet_cache WHERE key = 'k'").fetchone()[0] == 0.5
    assert upgraded.execute("SELECT count(*) FROM runs").fetchone()[0] == 1


def test_failure_between_segment_inserts_leaves_no_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "h.db"
    save_run(db, scored(REFERENCES), revision="kept", tqe_version=__version__)
    real_rows = history._segment_rows

    def failing_rows(run_id, result):
        for number, row in enumerate(real_rows(run_id, result)):
            if number == 2:
                raise RuntimeError("disk pulled")
            yield row

    monkeypatch.setattr(history, "_segment_rows", failing_rows)
    with pytest.raises(RuntimeError, match="disk pulled"):
        save_run(db, scored(REFERENCES), revision="lost", tqe_version=__version__)
    conn = sqlite3.connect(db)
    assert [row[0] for row in conn.execute("SELECT revision FROM runs")] == ["kept"]
    assert conn.execute("SELECT count(*) FROM segments").fetchone()[0] == 3
    assert conn.execute("SELECT count(*) FROM segment_scores").fetchone()[0] == 6


def _script(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "writer.py"
    path.write_text(textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(ROOT / 'tests')!r})
        from test_history import scored, REFERENCES
        from tqe import __version__
        from tqe.store import history
        db = sys.argv[1]
        {textwrap.indent(textwrap.dedent(body), '        ').strip()}
    """), encoding="utf-8")
    return path


def test_killed_writer_leaves_no_half_written_run(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    save_run(db, scored(REFERENCES), revision="kept", tqe_version=__version__)
    script = _script(tmp_path, """
        import time
        real_rows = history._segment_rows
        def slow_rows(run_id, result):
            for number, row in enumerate(real_rows(run_id, result)):
                if number == 1:
                    print("inside", flush=True)
                    time.sleep(60)
                yield row
        history._segment_rows = slow_rows
        history.save_run(db, scored(REFERENCES), revision="killed", tqe_version=__version__)
    """)
    process = subprocess.Popen([sys.executable, str(script), str(db)], stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout.readline().strip() == "inside"
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    assert [row["revision"] for _, row in list_runs(db).iterrows()] == ["kept"]
    conn = connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT count(*) FROM segments").fetchone()[0] == 3
    save_run(db, scored(REFERENCES), revision="after", tqe_version=__version__)  # the write lock was released
    assert list(list_runs(db)["revision"]) == ["kept", "after"]


def test_concurrent_writers_both_complete(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    script = _script(tmp_path, """
        for number in range(10):
            history.save_run(db, scored(REFERENCES), revision=f"{sys.argv[2]}-{number}", tqe_version=__version__)
    """)
    writers = [subprocess.Popen([sys.executable, str(script), str(db), name]) for name in ("a", "b")]
    assert [writer.wait(timeout=120) for writer in writers] == [0, 0]
    runs = list_runs(db)
    assert sorted(runs["revision"]) == sorted(f"{name}-{n}" for name in "ab" for n in range(10))
    conn = connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    counts = conn.execute("SELECT run_id, count(*) FROM segments GROUP BY run_id").fetchall()
    assert len(counts) == 20 and all(count == 3 for _, count in counts)
    assert conn.execute("SELECT count(*) FROM segment_scores").fetchone()[0] == 20 * 3 * 2


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_default_revision_is_the_git_commit_of_a_clean_translation(tmp_path: Path) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    repo = tmp_path / "repo"
    repo.mkdir()
    translation = repo / "mt.fr.txt"
    translation.write_text("Bonjour.\n", encoding="utf-8")
    untracked = repo / "draft.fr.txt"
    untracked.write_text("Salut.\n", encoding="utf-8")

    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True, env=env).stdout.strip()

    git("init", "-q")
    git("add", "mt.fr.txt")
    git("commit", "-q", "-m", "first")
    commit = git("log", "-1", "--format=%h")
    assert history.default_revision(translation) == commit
    assert git_revision(untracked) is None
    translation.write_text("Bonjour !\n", encoding="utf-8")
    assert git_revision(translation) is None
    label = history.default_revision(translation)
    assert label.endswith("Z") and label[:4].isdigit() and "T" in label
    assert git_revision(tmp_path / "missing.txt") is None


@pytest.mark.parametrize(
    "damage, reader",
    [
        ("UPDATE runs SET reference_paths = '[not json' WHERE id = 2", "list"),
        ("UPDATE runs SET reference_paths = '[not json' WHERE id = 2", "find"),
        ("UPDATE runs SET segment_count = 'many' WHERE id = 2", "find"),
        ("UPDATE segments SET refs = '{' WHERE run_id = 2", "list"),
        ("UPDATE segments SET refs = '{' WHERE run_id = 2", "load"),
        ("UPDATE runs SET skipped = 'oops' WHERE id = 2", "load"),
        ("UPDATE run_metrics SET details = '[\"gone\"' WHERE run_id = 2", "load"),
        ("UPDATE segment_flags SET position = 99 WHERE run_id = 2", "load"),
        ("UPDATE run_metrics SET corpus_score = 9e999 WHERE run_id = 2", "list"),
        ("UPDATE run_metrics SET corpus_score = '9e999' WHERE run_id = 2", "load"),
        ("UPDATE run_metrics SET corpus_score = 'high' WHERE run_id = 2", "find"),
        ("UPDATE run_metrics SET corpus_score = x'00' WHERE run_id = 2", "list"),
        ("UPDATE segment_scores SET score = -9e999 WHERE run_id = 2", "load"),
        ("UPDATE segment_scores SET score = 'n/a' WHERE run_id = 2", "load"),
    ],
)
def test_damaged_run_is_one_store_error_naming_the_database_and_run(tmp_path: Path, damage: str, reader: str) -> None:
    db = tmp_path / "h.db"
    save_run(db, scored(REFERENCES), revision="v1", tqe_version=__version__)
    flags = [[{"check": "numbers", "severity": "major", "message": "x"}], [], []]
    save_run(db, scored(["Le réservoir est plein.", "Les pompes.", "Les coûts ont augmenté."], flags), revision="v2", tqe_version=__version__)
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute(damage)
    conn.commit()
    conn.close()
    read = {"list": lambda: list_runs(db), "find": lambda: find_run(db, "v2"), "load": lambda: load_run(db, "v2")}
    with pytest.raises(StoreError) as caught:
        read[reader]()
    message = str(caught.value)
    assert "\n" not in message and str(db) in message and "#2" in message


def _with_inserted_sentence(reference: str) -> ScoreResult:
    """A run with one more segment: a translation sentence with no source, scored against
    ``reference``."""
    result = scored(REFERENCES)
    inserted = result.segments.iloc[[-1]].assign(
        id="3.2", source="", translation="Une phrase ajoutée.", references=[(reference,)], bleu=math.nan, chrf=math.nan
    )
    return ScoreResult(pd.concat([result.segments, inserted], ignore_index=True), result.metrics)


def test_history_change_exactly_when_tqe_compare_accepts_the_runs(tmp_path: Path) -> None:
    from tqe.compare import compare
    from tqe.errors import CompareError

    db = tmp_path / "h.db"
    for label, reference in (("a", "Référence."), ("b", "Autre référence."), ("c", "Autre référence.")):
        save_run(db, _with_inserted_sentence(reference), source_path="s.txt", revision=label, tqe_version=__version__)
    runs = list_runs(db).set_index("revision")
    # the inserted sentences match by their text, and their references differ: compare refuses
    with pytest.raises(CompareError, match="references differ for 1 matched segment"):
        compare(load_run(db, "a"), load_run(db, "b"))
    assert math.isnan(runs.loc["b", "bleu_change"]) and pd.isna(runs.loc["b", "bleu_previous"])
    compare(load_run(db, "b"), load_run(db, "c"))
    assert runs.loc["c", "bleu_previous"] == 2 and runs.loc["c", "bleu_change"] == 0


def test_the_store_imports_neither_scoring_nor_comparison() -> None:
    code = ("import sys, tqe.store.history; "
            "print(sorted(m for m in sys.modules if m in ('tqe.pipeline', 'tqe.document', 'tqe.compare')))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
