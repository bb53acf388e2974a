"""COMET from the command line, on tiny checkpoints the tests build themselves."""

from __future__ import annotations

import json
import sqlite3

import pytest
from click.testing import CliRunner
from comet_fixture import require_comet_extra

from tqe.cli import cli

pytestmark = pytest.mark.comet


@pytest.fixture
def files(tmp_path, comet_sample):
    paths = {}
    for index, name in enumerate(("source.en.txt", "translation.fr.txt", "reference.fr.txt")):
        path = tmp_path / name
        path.write_text("\n".join(triple[index] for triple in comet_sample[:12]) + "\n", encoding="utf-8")
        paths[name.split(".")[0]] = str(path)
    return paths


def _score(files, *args):
    result = CliRunner().invoke(
        cli, ["score", files["source"], files["translation"], "-r", files["reference"], "--segmentation", "lines",
              "-f", "json", "-q", "--gpus", "0", *args],
    )
    return result


def _cached_rows(db):
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT COUNT(*) FROM comet_cache").fetchone()[0]


def test_score_with_comet_equals_comet_predict_and_is_cached(files, comet_models, tmp_path):
    from comet import load_from_checkpoint

    model_dir = comet_models["regression"]
    db = tmp_path / "history.db"
    first = _score(files, "-m", "comet,chrf", "--comet-model", str(model_dir), "--db", str(db))
    assert first.exit_code == 0, first.output
    document = json.loads(first.output)
    comet = document["metrics"]["comet"]
    assert comet["signature"] == f"comet|model:{model_dir}|version:2.2.7|refs:1"

    model = load_from_checkpoint(str(model_dir / "checkpoints" / "model.ckpt"))
    samples = [{"src": s["source"], "mt": s["translation"], "ref": s["references"][0]} for s in document["segments"]]
    expected = model.predict(samples, batch_size=16, gpus=0, progress_bar=False)
    assert [s["scores"]["comet"] for s in document["segments"]] == pytest.approx(expected.scores, abs=1e-6)
    assert comet["score"] == pytest.approx(expected.system_score, abs=1e-6)
    assert _cached_rows(db) == len(document["segments"])

    again = _score(files, "-m", "comet,chrf", "--comet-model", str(model_dir), "--db", str(db))
    assert json.loads(again.output)["metrics"]["comet"]["score"] == comet["score"]
    assert _cached_rows(db) == len(document["segments"])


def test_explicit_comet_that_cannot_load_is_one_error_line(files, tmp_path):
    require_comet_extra("comet", "torch")  # without them the line names the missing extra instead
    result = _score(files, "-m", "comet", "--comet-model", str(tmp_path / "no-such-model"), "--no-cache")
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and "no-such-model" in lines[0]


def test_default_metrics_skip_comet_with_a_warning(files, tmp_path):
    require_comet_extra("comet", "torch")  # without them the reason names the missing extra instead
    result = CliRunner().invoke(
        cli, ["score", files["source"], files["translation"], "-r", files["reference"], "--segmentation", "lines",
              "-f", "json", "--comet-model", str(tmp_path / "no-such-model"), "--db", str(tmp_path / "h.db")],
    )
    assert result.exit_code == 0, result.output
    warning = [line for line in result.stderr.splitlines() if line.startswith("Warning: comet skipped")]
    assert len(warning) == 1
    document = json.loads(result.stdout)
    assert set(document["metrics"]) == {"bleu", "chrf"}
    assert "no-such-model" in document["skipped"]["comet"]
    assert not (tmp_path / "h.db").exists()


def test_xcomet_error_spans_become_flags(files, comet_models, tmp_path):
    result = _score(files, "-m", "comet", "--comet-model", str(comet_models["xcomet"]), "--no-cache")
    assert result.exit_code == 0, result.output
    segments = json.loads(result.output)["segments"]
    with_spans = [s for s in segments if s.get("comet_error_spans")]
    assert with_spans  # the random-weight tiny model marks something
    for segment in with_spans:
        span_flags = [f for f in segment["flags"] if f["check"] == "comet-span"]
        assert len(span_flags) == len(segment["comet_error_spans"])
        for flag, span in zip(sorted(span_flags, key=lambda f: f["message"]), sorted(segment["comet_error_spans"], key=lambda s: s["text"].strip())):
            assert span["text"].strip() in flag["message"]
    off = _score(files, "-m", "comet", "--comet-model", str(comet_models["xcomet"]), "--no-cache", "--disable-check", "comet-span")
    assert not any(f["check"] == "comet-span" for s in json.loads(off.output)["segments"] for f in s["flags"])


def test_a_corrupted_cache_value_is_recomputed_with_one_warning_and_json_stays_finite(files, comet_models, tmp_path):
    model_dir = comet_models["regression"]
    db = tmp_path / "history.db"
    first = _score(files, "-m", "comet", "--comet-model", str(model_dir), "--db", str(db))
    assert first.exit_code == 0, first.output
    clean = json.loads(first.stdout)["metrics"]["comet"]["score"]
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE comet_cache SET score = 9e999 WHERE rowid = 1")
        conn.execute("UPDATE comet_cache SET score = 'oops' WHERE rowid = 2")
        conn.execute("UPDATE comet_cache SET error_spans = '[{' WHERE rowid = 3")

    args = ["score", files["source"], files["translation"], "-r", files["reference"], "--segmentation", "lines",
            "-f", "json", "--gpus", "0", "-m", "comet", "--comet-model", str(model_dir), "--db", str(db)]
    again = CliRunner().invoke(cli, args)
    assert again.exit_code == 0, again.output
    assert again.stderr.splitlines() == [
        f"Warning: ignored 3 damaged COMET cache rows in {db} (error spans are not valid JSON, score is not a "
        "finite number, score stored as str, not a number); scoring them again"
    ]
    assert "Infinity" not in again.stdout and "NaN" not in again.stdout
    assert json.loads(again.stdout)["metrics"]["comet"]["score"] == pytest.approx(clean, abs=1e-5)
    with sqlite3.connect(db) as conn:  # repaired in place: the next run hears nothing
        assert conn.execute("SELECT count(*) FROM comet_cache WHERE typeof(score) != 'real' "
                            "OR abs(score) > 1000 OR error_spans IS NOT NULL").fetchone()[0] == 0
    assert CliRunner().invoke(cli, args).stderr == ""
