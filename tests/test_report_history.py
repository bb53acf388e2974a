"""The history page's trend chart: honest axes, revision labels, changes shown."""

from __future__ import annotations

import re

from tqe.report.history import trend_svg


def _records(scores: list[float], revisions: list[str]) -> list[dict]:
    records = []
    for number, (score, revision) in enumerate(zip(scores, revisions), start=1):
        change = None if number == 1 else score - scores[number - 2]
        records.append({"run": number, "revision": revision, "scores": {"bleu": {"score": score, "change": change}},
                        "comet": None})
    return records


def _ys(svg: str) -> list[float]:
    return [float(value) for value in re.findall(r'<circle cx="[\d.]+" cy="([\d.]+)"', svg)]


def test_axis_starts_at_the_floor_so_a_small_drop_looks_small() -> None:
    svg = trend_svg("bleu", _records([46.8, 45.6], ["v1", "v2"]))
    ticks = re.findall(r'<text class="tick"[^>]*>([^<]+)</text>', svg)
    assert ticks == ["0.0", "50.0", "100.0"]
    high, low = _ys(svg)
    # 1.2 points of a 0-100 axis drawn 166 px tall: under 3 px, not the whole chart
    assert 0 < low - high < 3


def test_comet_axis_runs_from_zero_to_one_and_widens_for_negative_scores() -> None:
    records = [{"run": 1, "revision": "a", "scores": {"comet": {"score": 0.81, "change": None}}},
               {"run": 2, "revision": "b", "scores": {"comet": {"score": -0.2, "change": -1.01}}}]
    ticks = re.findall(r'<text class="tick"[^>]*>([^<]+)</text>', trend_svg("comet", records))
    assert ticks == ["-0.200", "0.400", "1.000"]


def test_x_axis_names_revisions_and_points_show_their_change() -> None:
    svg = trend_svg("bleu", _records([40.0, 42.5], ["release-1", "<b>release-2</b>"]))
    assert re.findall(r'<text class="revision"[^>]*>([^<]+)</text>', svg) == ["release-1", "&lt;b&gt;release-2&lt;…"]
    assert re.findall(r'<text class="value"[^>]*>([^<]+)</text>', svg) == ["40.0", "42.5 (+2.5)"]


def test_history_counts_flags_per_run_and_marks_significant_changes(tmp_path) -> None:
    import json
    from pathlib import Path

    from click.testing import CliRunner

    from tqe.cli import cli

    samples = Path(__file__).resolve().parent.parent / "references"
    db = tmp_path / "h.db"
    for label, name in (("r1", "translation.v1.fr.txt"), ("r2", "translation.v2.fr.txt"), ("r3", "translation.v2.fr.txt")):
        saved = CliRunner().invoke(cli, ["score", str(samples / "source.en.txt"), str(samples / name), "-r",
                                         str(samples / "reference.fr.txt"), "-m", "bleu,chrf", "--save", "--revision",
                                         label, "--db", str(db), "-q", "-o", str(tmp_path / f"{label}.json")])
        assert saved.exit_code == 0, saved.output
    plain = json.loads(CliRunner().invoke(cli, ["history", "--db", str(db), "-f", "json"]).stdout)
    v1_flags = json.loads((tmp_path / "r1.json").read_text(encoding="utf-8"))["segments"]
    expected = {s: sum(f["severity"] == s for seg in v1_flags for f in seg["flags"]) for s in ("critical", "major", "minor")}
    assert plain[0]["flags"] == expected and sum(expected.values()) > 0
    assert "significant" not in plain[1]["scores"]["bleu"]  # only with --significance
    result = CliRunner().invoke(cli, ["history", "--db", str(db), "-f", "json", "--significance"])
    marked = json.loads(result.stdout)
    assert marked[0]["scores"]["bleu"]["significant"] is None  # nothing before the first run
    assert marked[1]["scores"]["bleu"]["significant"] is True  # v1 -> v2: +5 BLEU, p < 0.05
    assert marked[2]["scores"]["bleu"]["significant"] is False  # v2 -> v2: no change
    table = CliRunner().invoke(cli, ["history", "--db", str(db), "-f", "table", "--significance"]).stdout
    assert "*)" in table and "n.s.)" in table and "flags c/M/m" in table
