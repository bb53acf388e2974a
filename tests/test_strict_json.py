"""Every command's JSON output is strict JSON: no NaN, Infinity or -Infinity, even where a value
is missing (added or removed segments, a skipped metric, the first run of a history)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tqe.cli import cli

SAMPLES = Path(__file__).resolve().parent.parent / "references"
SOURCE, REFERENCE = SAMPLES / "source.en.txt", SAMPLES / "reference.fr.txt"
V1, V2, V3 = (SAMPLES / f"translation.v{n}.fr.txt" for n in (1, 2, 3))


def strict(text: str) -> object:
    def refuse(token: str) -> None:
        raise ValueError(f"not JSON: {token}")

    return json.loads(text, parse_constant=refuse)


def run(*args: object) -> str:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="module")
def edited(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """v2 with a sentence added to paragraph 3 and paragraph 5's last sentence dropped."""
    lines = V2.read_text(encoding="utf-8").splitlines()
    lines[2] += " Une phrase ajoutée sans source."
    lines[4] = lines[4].rsplit(". ", 1)[0] + "."
    path = tmp_path_factory.mktemp("json") / "edited.fr.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_score_json_and_jsonl_are_strict(edited: Path) -> None:
    record = strict(run("score", SOURCE, edited, "-r", REFERENCE, "-f", "json", "-q"))
    assert record["segments"] and "comet" in record["skipped"]
    for line in run("score", SOURCE, edited, "-f", "jsonl", "-q").splitlines():
        strict(line)  # no reference: scores are missing, never NaN


def test_compare_json_with_added_and_removed_segments_is_strict(edited: Path) -> None:
    for args in (["-r", REFERENCE, "-m", "bleu,chrf"], []):
        record = strict(run("compare", V1, edited, "--source", SOURCE, *args, "-f", "json", "-q"))
        statuses = {segment["status"] for segment in record["segments"]}
        assert {"added", "changed"} <= statuses


def test_ranking_json_is_strict() -> None:
    record = strict(run("compare", V1, V2, V3, "--source", SOURCE, "-r", REFERENCE, "-m", "bleu", "-f", "json", "-q"))
    assert [s["p_value"] is None for s in record["metrics"]["bleu"]["systems"]].count(True) == 1


def test_history_json_is_strict(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    for label, path in (("a", V1), ("b", V2)):
        run("score", SOURCE, path, "-r", REFERENCE, "-m", "bleu", "--save", "--revision", label, "--db", db, "-q",
            "-o", tmp_path / f"{label}.json")
    records = strict(run("history", "--db", db, "-f", "json", "--significance"))
    assert records[0]["scores"]["bleu"]["change"] is None and records[1]["scores"]["bleu"]["significant"] is True


def test_strict_json_one_pass_and_walked_paths_write_the_same_text():
    """Documents without a non-finite float are written in one pass; the text is the walked one."""
    import json as _json

    import numpy as np

    from tqe.io.write import finite_json, strict_json
    from tqe.model import ErrorSpan, Flag

    clean = {"a": [1.5, np.float64(2.25), np.float32(0.5)], "flags": [Flag("numbers", "major", "x")],
             "spans": (ErrorSpan(0, 3, "minor", "abc", 0.5),), "text": "é\u2028"}
    walked = _json.dumps(finite_json(clean), ensure_ascii=False, allow_nan=False, indent=2)
    assert strict_json(clean, indent=2) == walked
    for bad in (float("nan"), float("inf"), np.float32("nan"), np.float64("-inf")):
        document = {"segments": [{"score": bad, "flags": [Flag("numbers", "minor", "y")]}]}
        assert _json.loads(strict_json(document)) == {"segments": [{"score": None, "flags": [Flag("numbers", "minor", "y").to_dict()]}]}
    try:
        strict_json({"x": object()})
    except TypeError:
        pass
    else:
        raise AssertionError("an object json cannot write must stay an error")


def test_json_output_has_one_segment_per_line_and_reads_as_the_whole_document():
    """``-f json`` writes each segment on one line (json's C encoder), the rest indented; it
    reads back exactly as the one-piece document would."""
    import json as _json

    from tqe.io.write import strict_json
    from tqe.output import metrics_summary, segment_records, to_json
    from tqe.pipeline import score
    from tqe.version import __version__

    samples = Path(__file__).resolve().parent.parent / "references"
    result = score(samples / "source.en.txt", samples / "translation.v1.fr.txt", [samples / "reference.fr.txt"],
                   metrics=["bleu", "chrf"])
    text = to_json(result)
    whole = {"tqe_version": __version__, "metrics": metrics_summary(result), "skipped": dict(result.skipped),
             "segments": segment_records(result)}
    assert _json.loads(text) == _json.loads(strict_json(whole, indent=2))
    segment_lines = [line for line in text.splitlines() if line.startswith('    {"id": ')]
    assert len(segment_lines) == len(result.segments) and text.endswith("\n  ]\n}\n")
    empty = type(result)(segments=result.segments.iloc[0:0], metrics=result.metrics)
    assert _json.loads(to_json(empty))["segments"] == [] and '"segments": []\n}' in to_json(empty)
