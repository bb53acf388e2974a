"""Progress: every stage that can take seconds reports (stage, done, total); the CLI draws one
bar per stage on a terminal and writes nothing to stderr off a terminal or with -q."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import tqe.cli_progress
from tqe.cli import cli
from tqe.cli_progress import ProgressBars, stage_label, stderr_progress
from tqe.compare import compare
from tqe.compare.ranking import rank_runs
from tqe.config import FlagConfig
from tqe.document import build_segments
from tqe.flag import flag_segments
from tqe.metrics.lexical import PROGRESS_SEGMENTS, Bleu, Chrf
from tqe.pipeline import score

SAMPLES = Path(__file__).resolve().parent.parent / "references"
SOURCE, TRANSLATION, REFERENCE = (SAMPLES / name for name in ("source.en.txt", "translation.v1.fr.txt", "reference.fr.txt"))


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[str, int, int]] = []

    def __call__(self, stage: str, done: int, total: int) -> None:
        self.calls.append((stage, done, total))

    def stages(self) -> list[str]:
        return list(dict.fromkeys(stage for stage, _, _ in self.calls))

    def of(self, stage: str) -> list[tuple[int, int]]:
        return [(done, total) for name, done, total in self.calls if name == stage]


def _finished_bars(text: str) -> list[str]:
    """Each bar as it was last drawn (cursor show/hide codes removed)."""
    text = re.sub("\x1b\\[\\?25[hl]", "", text)
    return [line.rsplit("\r", 1)[-1].rstrip() for line in text.split("\n")[:-1]]


def _lines(count: int) -> tuple[list[str], list[str]]:
    hypotheses = [f"Le chat numéro {i} dort sur le tapis rouge." for i in range(count)]
    references = [f"Le chat {i} dort sur un tapis rouge." for i in range(count)]
    return hypotheses, references


# ---- the library reports ----------------------------------------------------------------


def test_score_reports_align_each_metric_and_the_checks_in_order():
    progress = Recorder()
    score(SOURCE, TRANSLATION, [REFERENCE], metrics=["bleu", "chrf"], progress=progress)
    assert progress.stages() == ["align", "bleu", "chrf", "checks"]
    for stage in ("bleu", "chrf", "checks"):
        reports = progress.of(stage)
        assert reports[0] == (0, 49) and reports[-1] == (49, 49)
        assert [done for done, _ in reports] == sorted(done for done, _ in reports)


def test_lexical_statistics_report_in_chunks_with_the_same_numbers():
    hypotheses, references = _lines(PROGRESS_SEGMENTS * 2 + 7)
    progress = Recorder()
    with_progress = Chrf(workers=1, progress=progress).compute(None, hypotheses, [references])
    without = Chrf(workers=1).compute(None, hypotheses, [references])
    total = len(hypotheses)
    assert progress.of("chrf") == [(0, total), (PROGRESS_SEGMENTS, total), (2 * PROGRESS_SEGMENTS, total), (total, total)]
    assert with_progress.segment_scores == without.segment_scores
    assert with_progress.corpus_score == without.corpus_score


def test_parallel_statistics_report_as_chunks_finish():
    hypotheses, references = _lines(4100)
    progress = Recorder()
    parallel = Bleu(workers=2, progress=progress).compute(None, hypotheses, [references])
    serial = Bleu(workers=1).compute(None, hypotheses, [references])
    done = [count for count, _ in progress.of("bleu")]
    assert done[0] == 0 and done[-1] == 4100 and len(done) == 1 + 8  # four chunks per worker
    assert done == sorted(done)
    assert parallel.segment_scores == serial.segment_scores and parallel.corpus_score == serial.corpus_score


def test_checks_report_every_few_hundred_segments():
    hypotheses, references = _lines(450)
    segments = build_segments(references, hypotheses, [], segmentation="lines")
    progress = Recorder()
    flagged = flag_segments(segments, FlagConfig(), progress=progress)
    assert progress.of("checks") == [(0, 450), (200, 450), (400, 450), (450, 450)]
    assert list(flagged["flags"]) == list(flag_segments(segments, FlagConfig())["flags"])


# ---- the CLI adapter --------------------------------------------------------------------


def test_bars_draw_one_line_per_stage_and_end_it():
    terminal = FakeTerminal()
    bars = ProgressBars(terminal)
    for done in (0, 5, 10):
        bars("align", done, 10)
    bars("chrf", 0, 3)
    bars("chrf", 3, 3)
    bars("checks", 0, 0)  # nothing to show
    bars("comet", 0, 8)
    bars("comet", 2, 8)
    bars.close()  # interrupted: the line still ends
    text = terminal.getvalue()
    finished = _finished_bars(text)
    assert [line.split("[")[0].strip() for line in finished] == ["Aligning", "Scoring chrF", "Scoring COMET"]
    assert finished[0].endswith("10/10") and finished[1].endswith("3/3") and finished[2].endswith("2/8")
    assert text.endswith("\n") and "Checking" not in text


def test_stage_labels():
    assert [stage_label(s) for s in ("align", "bleu", "chrf++", "checks", "write", "significance", "ranking",
                                     "other")] == [
        "Aligning", "Scoring BLEU", "Scoring chrF++", "Checking", "Writing", "Resampling", "Ranking", "Scoring other"]


class _SysWithTerminal:
    """``sys`` as tqe.cli_progress sees it, with stderr a terminal."""

    def __init__(self, stderr: io.StringIO) -> None:
        self.stderr = stderr

    def __getattr__(self, name: str):
        return getattr(sys, name)


def _report(tmp_path: Path, *extra: str):
    return CliRunner().invoke(cli, ["report", str(SOURCE), str(TRANSLATION), "-r", str(REFERENCE), "-m", "bleu,chrf",
                                    "-o", str(tmp_path / "report.html"), *extra])


def test_report_on_a_terminal_shows_a_bar_for_every_stage(tmp_path, monkeypatch):
    terminal = FakeTerminal()
    monkeypatch.setattr(tqe.cli_progress, "sys", _SysWithTerminal(terminal))
    result = _report(tmp_path)
    assert result.exit_code == 0, result.output
    finished = [line.split("[")[0].strip() for line in _finished_bars(terminal.getvalue())]
    assert finished == ["Aligning", "Scoring BLEU", "Scoring chrF", "Checking", "Writing"]
    assert result.stderr.startswith("Wrote ")


def test_quiet_on_a_terminal_draws_nothing(tmp_path, monkeypatch):
    terminal = FakeTerminal()
    monkeypatch.setattr(tqe.cli_progress, "sys", _SysWithTerminal(terminal))
    result = _report(tmp_path, "-q")
    assert result.exit_code == 0, result.output
    assert terminal.getvalue() == "" and result.stderr == ""


def test_off_a_terminal_stderr_has_only_the_summary(tmp_path):
    result = _report(tmp_path)
    assert result.exit_code == 0, result.output
    assert result.stderr == f"Wrote {tmp_path / 'report.html'} (7 of 49 segments flagged)\n"


@pytest.mark.parametrize("quiet", [True, False])
def test_no_callback_off_a_terminal(quiet, monkeypatch):
    monkeypatch.setattr(tqe.cli_progress, "sys", _SysWithTerminal(io.StringIO()))
    assert stderr_progress(quiet) is None


# ---- compare, ranking, waive and score -o ---------------------------------------------------

VERSIONS = [SAMPLES / f"translation.v{n}.fr.txt" for n in (1, 2, 3)]


@pytest.fixture(scope="module")
def scored_versions():
    return [score(SOURCE, version, [REFERENCE], metrics=["bleu", "chrf"], flags=False) for version in VERSIONS]


def test_compare_reports_each_metric_tested_with_the_same_numbers(scored_versions):
    progress = Recorder()
    a, b = scored_versions[:2]
    with_progress = compare(a, b, progress=progress)
    assert progress.calls == [("significance", 0, 2), ("significance", 1, 2), ("significance", 2, 2)]
    assert with_progress.metrics == compare(a, b).metrics


def test_ranking_reports_each_system_of_each_metric_then_its_tests(scored_versions):
    progress = Recorder()
    labels = ["v1", "v2", "v3"]
    with_progress = rank_runs(scored_versions, labels, progress=progress)
    steps = 2 * (3 + 1)  # two metrics: three systems' statistics and the tests each
    assert progress.calls == [("ranking", done, steps) for done in range(steps + 1)]
    assert with_progress.metrics == rank_runs(scored_versions, labels).metrics


def _on_terminal(monkeypatch) -> FakeTerminal:
    terminal = FakeTerminal()
    monkeypatch.setattr(tqe.cli_progress, "sys", _SysWithTerminal(terminal))
    return terminal


def _bar_labels(terminal: FakeTerminal) -> list[str]:
    return [line.split("[")[0].strip() for line in _finished_bars(terminal.getvalue())]


def _compare(*args: object):
    return CliRunner().invoke(cli, ["compare", *map(str, args), "--source", str(SOURCE), "-r", str(REFERENCE),
                                    "-m", "bleu,chrf"])


def test_compare_of_two_files_shows_each_file_the_tests_and_the_writing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    terminal = _on_terminal(monkeypatch)
    result = _compare(VERSIONS[0], VERSIONS[1], "-o", tmp_path / "changes.html")
    assert result.exit_code == 0, result.output
    per_file = ["Aligning", "Scoring BLEU", "Scoring chrF", "Checking"]
    assert _bar_labels(terminal) == per_file + per_file + ["Resampling", "Writing"]
    assert _finished_bars(terminal.getvalue())[-2].endswith("2/2")
    assert result.stderr == f"Wrote {tmp_path / 'changes.html'}\n"


def test_ranking_on_a_terminal_shows_the_ranking_stage(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    terminal = _on_terminal(monkeypatch)
    result = CliRunner().invoke(cli, ["compare", *map(str, VERSIONS), "--source", str(SOURCE), "-r", str(REFERENCE),
                                      "-m", "bleu", "-o", str(tmp_path / "ranking.md")])
    assert result.exit_code == 0, result.output
    assert _bar_labels(terminal) == ["Aligning", "Scoring BLEU", "Checking"] * 3 + ["Ranking", "Writing"]
    assert _finished_bars(terminal.getvalue())[-2].endswith("4/4")  # three systems, then the tests
    assert (tmp_path / "ranking.md").read_text(encoding="utf-8").startswith("#")


def test_compare_quiet_on_a_terminal_and_off_a_terminal_draw_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    terminal = _on_terminal(monkeypatch)
    quiet = _compare(VERSIONS[0], VERSIONS[1], "-f", "json", "-q")
    assert quiet.exit_code == 0, quiet.output
    assert terminal.getvalue() == "" and quiet.stderr == ""
    monkeypatch.setattr(tqe.cli_progress, "sys", sys)
    plain = _compare(VERSIONS[0], VERSIONS[1], "-o", tmp_path / "changes.json")
    assert plain.exit_code == 0, plain.output
    assert plain.stderr == f"Wrote {tmp_path / 'changes.json'}\n"


def test_score_to_a_file_shows_the_writing_and_to_stdout_does_not(tmp_path, monkeypatch):
    terminal = _on_terminal(monkeypatch)
    arguments = ["score", str(SOURCE), str(TRANSLATION), "-r", str(REFERENCE), "-m", "chrf"]
    written = CliRunner().invoke(cli, [*arguments, "-o", str(tmp_path / "scores.json")])
    assert written.exit_code == 0, written.output
    assert _bar_labels(terminal) == ["Aligning", "Scoring chrF", "Checking", "Writing"]
    assert (tmp_path / "scores.json").read_text(encoding="utf-8").startswith("{")
    terminal.seek(0)
    terminal.truncate()
    printed = CliRunner().invoke(cli, [*arguments, "-f", "json"])
    assert printed.exit_code == 0, printed.output
    assert _bar_labels(terminal) == ["Aligning", "Scoring chrF", "Checking"]
    assert printed.stdout.startswith("{")


def test_waive_on_a_terminal_shows_reading_and_checking(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    source, translation = tmp_path / "source.en.txt", tmp_path / "translation.fr.txt"
    source.write_text("The meeting is on 12 May.\nThank you.\n", encoding="utf-8")
    translation.write_text("La réunion a lieu le 13 mai.\nMerci.\n", encoding="utf-8")
    terminal = _on_terminal(monkeypatch)
    result = CliRunner().invoke(cli, ["waive", str(source), str(translation), "--segment", "1.1", "--check", "numbers",
                                      "--waivers", str(tmp_path / "waivers.toml")])
    assert result.exit_code == 0, result.output
    assert _bar_labels(terminal) == ["Aligning", "Checking"]
    assert result.stderr == "Waived numbers on segment 1.1 in waivers.toml\n"  # relative to the working folder


def test_history_significance_reports_each_run_of_each_metric(scored_versions, tmp_path, monkeypatch):
    from tqe.compare import comparable_runs, history_significance
    from tqe.store.history import list_runs, save_run

    db = tmp_path / "history.db"
    for number, result in enumerate(scored_versions[:2], start=1):
        save_run(db, result, source_path=SOURCE, translation_path=VERSIONS[number - 1], reference_paths=[REFERENCE],
                 revision=f"v{number}", tqe_version="test")
    runs = list_runs(db, None, comparable=comparable_runs)
    progress = Recorder()
    marked = history_significance(db, runs, progress=progress)
    assert progress.calls == [("significance", done, 4) for done in range(5)]  # two runs, BLEU and chrF
    assert marked.equals(history_significance(db, runs))
    terminal = _on_terminal(monkeypatch)
    shown = CliRunner().invoke(cli, ["history", "--db", str(db), "--significance", "-f", "json"])
    assert shown.exit_code == 0, shown.output
    assert _bar_labels(terminal) == ["Resampling"] and _finished_bars(terminal.getvalue())[0].endswith("4/4")
