"""The Ray engine gives the numbers, flags and cache of a single-process run.

A local Ray instance with 2 CPUs runs for the whole session; tables are split into small blocks
so that every run shards. COMET uses the tiny checkpoints of tests/comet_fixture.py.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from comet_fixture import sample_sentences

REPO = Path(__file__).resolve().parents[1]
TOLERANCE = 1e-6
RAY_REASON = "needs Ray from the [ray] extra: pip install 'tqe-eval[ray]'"


@pytest.fixture(scope="session")
def ray_local() -> Any:
    """A local Ray instance with 2 CPUs, shut down at the end of the session."""
    ray = pytest.importorskip("ray", reason=RAY_REASON)
    pytest.importorskip("pyarrow", reason=RAY_REASON)
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield ray
    ray.shutdown()


def _rows(count: int) -> list[dict[str, str]]:
    """Sample sentences plus rows that raise flags: numbers changed, no translation, English
    left, the same source translated differently far apart (in other blocks)."""
    rows = [{"source": s, "translation": t, "reference": r} for s, t, r in sample_sentences(count)]
    rows[3] = {"source": "The budget rose by 12% in 2024.", "translation": "Le budget a augmenté de 21 % en 2024.",
               "reference": "Le budget a augmenté de 12 % en 2024."}
    rows[7] = {"source": "The old farmer sold the harbour.", "translation": "",
               "reference": "Le vieux fermier a vendu le port."}
    rows[11] = {"source": "Click the Save button to keep your changes.",
                "translation": "Click the Save button to keep your changes.",
                "reference": "Cliquez sur le bouton Enregistrer pour garder vos modifications."}
    rows[5] = dict(rows[count - 2], translation=rows[count - 2]["translation"] + " Vraiment.")
    return rows


def _write_jsonl(path: Path, rows: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def table(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _write_jsonl(tmp_path_factory.mktemp("ray") / "table.jsonl", _rows(120))


def _local(table: Path, metrics: list[str], **options: Any) -> Any:
    from tqe.pipeline import score

    return score(table=table, metrics=metrics, **options)


def _assert_same_result(ours: Any, theirs: Any, close: tuple[str, ...] = ()) -> None:
    """Every column, flag and document number equal; the ``close`` metrics within TOLERANCE."""
    import pandas as pd

    assert list(ours.metrics) == list(theirs.metrics)
    assert ours.skipped == theirs.skipped
    assert ours.thresholds == theirs.thresholds  # the absolute limits the flags applied
    for name, result in theirs.metrics.items():
        mine = ours.metrics[name]
        assert (mine.signature, mine.segment_signature) == (result.signature, result.segment_signature)
        if name in close:
            assert abs(mine.corpus_score - result.corpus_score) <= TOLERANCE
            assert max(abs(a - b) for a, b in zip(mine.segment_scores, result.segment_scores)) <= TOLERANCE
        else:
            assert mine.corpus_score == result.corpus_score
            assert mine.segment_scores == result.segment_scores
    assert list(ours.segments.columns) == list(theirs.segments.columns)
    exact = [column for column in theirs.segments.columns if column not in close]
    pd.testing.assert_frame_equal(ours.segments[exact], theirs.segments[exact])


def test_lexical_scores_and_flags_equal_a_single_process_run(ray_local, table) -> None:
    from tqe.distributed.engine import RayOptions, score_table_ray

    metrics = ["bleu", "chrf", "chrf++", "ter"]
    ours = score_table_ray(table, metrics, options=RayOptions(block_rows=16))
    theirs = _local(table, metrics)
    _assert_same_result(ours, theirs)
    assert len(ours.segments) == 120
    flagged = {check for flags in ours.segments["flags"] for check in (flag.check for flag in flags)}
    # document-level checks see the whole table, not one block of 16
    assert {"numbers", "empty", "untranslated", "consistency"} <= flagged
    assert any(check.endswith("-score") for check in flagged)  # thresholds from every block's scores


def test_streamed_jsonl_is_the_single_process_jsonl_and_parquet_holds_the_same(ray_local, table, tmp_path) -> None:
    import pyarrow.parquet as pq

    from tqe.distributed.engine import RayOptions, write_scores_ray
    from tqe.model import Flag
    from tqe.output import to_jsonl

    metrics = ["bleu", "ter"]
    theirs = _local(table, metrics)
    run = write_scores_ray(table, tmp_path / "scores.jsonl", metrics, options=RayOptions(block_rows=32))
    assert (tmp_path / "scores.jsonl").read_text(encoding="utf-8") == to_jsonl(theirs)
    assert run.segment_count == 120 and run.corpus == theirs.corpus
    assert all(result.segment_scores == [] for result in run.metrics.values())  # nothing gathered

    write_scores_ray(table, tmp_path / "scores.parquet", metrics, options=RayOptions(block_rows=32))
    stored = pq.read_table(tmp_path / "scores.parquet").to_pydict()
    assert stored["id"] == list(theirs.segments["id"])
    assert stored["bleu"] == list(theirs.segments["bleu"]) and stored["ter"] == list(theirs.segments["ter"])
    assert [[Flag.from_dict(item) for item in json.loads(text)] for text in stored["flags"]] == list(theirs.segments["flags"])
    assert stored["references"] == [list(refs) for refs in theirs.segments["references"]]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["scores.jsonl", "scores.parquet"]  # no temporaries


def test_a_parquet_table_scores_as_its_jsonl(ray_local, table, tmp_path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from tqe.distributed.engine import RayOptions, score_table_ray

    rows = [json.loads(line) for line in table.read_text(encoding="utf-8").splitlines()]
    pq.write_table(pa.Table.from_pylist([{"Source": r["source"], "translation": r["translation"],
                                          "references": [r["reference"]]} for r in rows]), tmp_path / "t.parquet")
    from_parquet = score_table_ray(tmp_path / "t.parquet", ["chrf"], options=RayOptions(block_rows=50))
    _assert_same_result(from_parquet, _local(table, ["chrf"]))


def test_bad_parquet_columns_are_one_line_errors(tmp_path) -> None:
    pa = pytest.importorskip("pyarrow", reason=RAY_REASON)
    import pyarrow.parquet as pq

    from tqe.distributed.table import read_segments
    from tqe.errors import InputError

    pq.write_table(pa.table({"source": ["a"], "translation": [3]}), tmp_path / "numbers.parquet")
    with pytest.raises(InputError, match=r"numbers.parquet, column 'translation': expected strings, found int64"):
        read_segments(tmp_path / "numbers.parquet")
    pq.write_table(pa.table({"source": ["a", "b"], "translation": ["x", "y"], "reference": ["r", None]}),
                   tmp_path / "gap.parquet")
    with pytest.raises(InputError, match="gap.parquet row 2 has no reference; give every row a reference or none"):
        read_segments(tmp_path / "gap.parquet")
    pq.write_table(pa.table({"source": ["a", "b"], "translation": ["x", "y"], "references": [["r"], ["r", "s"]]}),
                   tmp_path / "uneven.parquet")
    with pytest.raises(InputError, match="uneven.parquet row 1 has no reference2; give every row a reference2 or none"):
        read_segments(tmp_path / "uneven.parquet")
    (tmp_path / "junk.parquet").write_bytes(b"not parquet")
    with pytest.raises(InputError, match="junk.parquet is not a readable Parquet file"):
        read_segments(tmp_path / "junk.parquet")


def _comet_options(model: Path, cache: Path | None) -> dict[str, dict[str, Any]]:
    return {"comet": {"model": str(model), "gpus": 0, "batch_size": 8, **({"cache": cache} if cache else {})}}


@pytest.mark.comet
def test_comet_equals_a_single_process_run_and_the_cache_resumes(ray_local, comet_models, tmp_path) -> None:
    from tqe.distributed.engine import RayOptions, write_scores_ray
    from tqe.store.cache import CometCache

    rows = _rows(64)
    path = _write_jsonl(tmp_path / "t.jsonl", rows)
    model = comet_models["regression"]
    metrics = ["bleu", "comet"]
    theirs = _local(path, metrics, metric_options=_comet_options(model, None))
    options = RayOptions(block_rows=16, workers=2)
    cache = tmp_path / "cache.db"

    first = write_scores_ray(path, tmp_path / "a.jsonl", metrics, metric_options=_comet_options(model, cache),
                             options=options)
    assert first.comet_computed == 64 and CometCache(cache).count() == 64
    records = [json.loads(line) for line in (tmp_path / "a.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [record["id"] for record in records] == list(theirs.segments["id"])  # input order
    comet = [record["scores"]["comet"] for record in records]
    assert max(abs(a - b) for a, b in zip(comet, theirs.segments["comet"])) <= TOLERANCE
    assert len({round(score, 4) for score in comet}) > 10  # the scores vary
    assert abs(first.corpus["comet"] - theirs.corpus["comet"]) <= TOLERANCE
    assert first.corpus["bleu"] == theirs.corpus["bleu"]
    assert first.metrics["comet"].signature == theirs.metrics["comet"].signature

    again = write_scores_ray(path, tmp_path / "b.jsonl", metrics, metric_options=_comet_options(model, cache),
                             options=options)
    assert again.comet_computed == 0  # everything from the cache, no model loaded
    assert (tmp_path / "b.jsonl").read_text(encoding="utf-8") == (tmp_path / "a.jsonl").read_text(encoding="utf-8")

    for index in (5, 33, 60):  # about 5% of the rows change
        rows[index] = dict(rows[index], translation=rows[index]["translation"] + " Modifié.")
    _write_jsonl(path, rows)
    changed = write_scores_ray(path, tmp_path / "c.jsonl", metrics, metric_options=_comet_options(model, cache),
                               options=options)
    assert changed.comet_computed == 3 and CometCache(cache).count() == 67
    records = [json.loads(line) for line in (tmp_path / "c.jsonl").read_text(encoding="utf-8").splitlines()]
    fresh = _local(path, metrics, metric_options=_comet_options(model, None))
    assert max(abs(r["scores"]["comet"] - f) for r, f in zip(records, fresh.segments["comet"])) <= TOLERANCE


def _comet_worker_pids() -> set[int]:
    """The COMET actor processes of this test's own Ray instance: processes descending from
    this one whose command line names the worker class (read from /proc)."""
    parents: dict[int, int] = {}
    commands: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            commands[int(entry.name)] = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        parents[int(entry.name)] = int(stat[stat.rindex(")") + 2 :].split()[1])

    def ours(pid: int) -> bool:
        while pid > 1:
            pid = parents.get(pid, 0)
            if pid == os.getpid():
                return True
        return False

    return {pid for pid, command in commands.items() if "CometWorker" in command and ours(pid)}


@pytest.mark.comet
def test_a_killed_comet_worker_is_replaced_and_the_result_is_complete_and_identical(
    ray_local, comet_models, tmp_path
) -> None:
    if not Path("/proc/self/stat").exists():
        pytest.skip("finds the worker process through /proc (Linux)")
    from tqe.distributed.engine import RayOptions, RunHooks, score_table_ray

    path = _write_jsonl(tmp_path / "t.jsonl", _rows(96))
    model = comet_models["regression"]
    killed: list[int] = []
    seen_after: set[int] = set()

    def kill_once(stage: str, done: int, total: int) -> None:
        """After the first block is back, SIGKILL the worker while it scores the next ones."""
        pids = _comet_worker_pids()
        if done and done < total and not killed and pids:
            pid = sorted(pids)[0]
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)
        elif killed:
            seen_after.update(pids - set(killed))

    ours = score_table_ray(path, ["chrf", "comet"], metric_options=_comet_options(model, None),
                           options=RayOptions(block_rows=8, workers=1), hooks=RunHooks(progress=kill_once))
    theirs = _local(path, ["chrf", "comet"], metric_options=_comet_options(model, None))
    assert killed, "no worker was killed: the run ended before the second block"
    assert seen_after, "no new worker replaced the killed one"
    _assert_same_result(ours, theirs, close=("comet",))


@pytest.mark.comet
def test_a_comet_error_in_a_worker_is_one_error_line(ray_local, comet_models, tmp_path) -> None:
    import shutil

    from click.testing import CliRunner

    from tqe.cli import cli

    model = tmp_path / "damaged"
    shutil.copytree(comet_models["regression"], model)
    (model / "checkpoints" / "model.ckpt").write_bytes(b"not a checkpoint")  # the driver never loads it
    path = _write_jsonl(tmp_path / "t.jsonl", _rows(20))
    done = CliRunner().invoke(cli, ["score", "--table", str(path), "--engine", "ray", "-m", "comet", "--gpus", "0",
                                    "--comet-model", str(model), "--no-cache", "-o", str(tmp_path / "out.jsonl")])
    assert done.exit_code == 1
    assert done.output.startswith(f"Error: cannot load COMET model {model}: ") and done.output.count("\n") == 1
    assert not (tmp_path / "out.jsonl").exists()


def test_bad_rows_are_one_error_line_before_any_worker(tmp_path, monkeypatch) -> None:
    pytest.importorskip("ray", reason=RAY_REASON)
    from click.testing import CliRunner

    import tqe.distributed.engine as engine
    from tqe.cli import cli

    def no_ray(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("Ray started for a table with a bad row")

    monkeypatch.setattr(engine, "_ray_session", no_ray)
    (tmp_path / "bad.jsonl").write_text('{"source": "a", "translation": "b"}\n{"source": "c", "translation": 7}\n')
    done = CliRunner().invoke(cli, ["score", "--table", str(tmp_path / "bad.jsonl"), "--engine", "ray",
                                    "-m", "bleu,comet", "-o", str(tmp_path / "out.jsonl")])
    assert done.exit_code == 1
    assert done.output == ("Error: bad.jsonl line 2, column 'translation': expected a string, found a number; "
                           "put the text in quotes\n")
    assert not (tmp_path / "out.jsonl").exists()


def test_without_ray_the_engine_is_one_line_naming_the_extra(tmp_path, monkeypatch) -> None:
    import importlib.util

    from click.testing import CliRunner

    from tqe.cli import cli

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "ray" else real(name, *a))
    _write_jsonl(tmp_path / "t.jsonl", _rows(12))
    done = CliRunner().invoke(cli, ["score", "--table", str(tmp_path / "t.jsonl"), "--engine", "ray", "-m", "bleu"])
    assert done.exit_code == 1
    assert done.output == ("Error: --engine ray needs Ray, which is not installed; install it with: "
                           "pip install 'tqe-eval[ray]'\n")


def test_ray_options_need_the_ray_engine(tmp_path) -> None:
    from click.testing import CliRunner

    from tqe.cli import cli

    _write_jsonl(tmp_path / "t.jsonl", _rows(12))
    done = CliRunner().invoke(cli, ["score", "--table", str(tmp_path / "t.jsonl"), "--ray-workers", "2"])
    assert done.exit_code == 2 and "--ray-address and --ray-workers need --engine ray" in done.output
    done = CliRunner().invoke(cli, ["score", "source.txt", "mt.txt", "--engine", "ray"])
    assert done.exit_code == 2 and "--engine ray scores one --table FILE" in done.output


def test_cli_ray_run_streams_parquet_and_prints_the_document_scores(ray_local, table, tmp_path) -> None:
    import pyarrow.parquet as pq
    from click.testing import CliRunner

    from tqe.cli import cli

    theirs = _local(table, ["bleu", "chrf"])
    out = tmp_path / "scores.parquet"
    done = CliRunner().invoke(cli, ["score", "--table", str(table), "--engine", "ray", "-m", "bleu,chrf",
                                    "-o", str(out)])
    assert done.exit_code == 0, done.output
    assert done.output == (f"Wrote {out} (120 segments; bleu {theirs.corpus['bleu']:.4g}, "
                           f"chrf {theirs.corpus['chrf']:.4g})\n")
    assert pq.read_table(out).column("chrf").to_pylist() == list(theirs.segments["chrf"])

    done = CliRunner().invoke(cli, ["score", "--table", str(table), "--engine", "ray", "-m", "bleu,chrf", "-f", "json"])
    local = CliRunner().invoke(cli, ["score", "--table", str(table), "-m", "bleu,chrf", "-f", "json"])
    assert done.exit_code == 0 and done.output == local.output


def test_the_default_engine_never_imports_ray(tmp_path) -> None:
    _write_jsonl(tmp_path / "t.jsonl", _rows(12))
    code = (
        "import sys\nfrom click.testing import CliRunner\nfrom tqe.cli import cli\n"
        "assert '--engine [local|ray]' in CliRunner().invoke(cli, ['score', '--help']).output\n"
        f"done = CliRunner().invoke(cli, ['score', '--table', {str(tmp_path / 't.jsonl')!r}, '-m', 'bleu', '-f', 'json'])\n"
        "assert done.exit_code == 0, done.output\n"
        "print(sorted(name for name in sys.modules if name == 'ray' or name.startswith('ray.')))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
