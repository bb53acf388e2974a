"""Progress: every stage that can take seconds reports (stage, done, total); the CLI draws one
bar per stage on a terminal and writes nothing to stderr off a terminal or with -q."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import tqe.cli
import tqe.cli_run
from tqe.cli import cli
from tqe.cli_progress import ProgressBars, stage_label
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
    assert [stage_label(s) for s in ("align", "bleu", "chrf++", "checks", "write", "other")] == [
        "Aligning", "Scoring BLEU", "Scoring chrF++", "Checking", "Writing", "Scoring other"]


class _SysWithTerminal:
    """``sys`` as tqe.cli_run sees it, with stderr a terminal."""

    def __init__(self, stderr: io.StringIO) -> None:
        self.stderr = stderr

    def __getattr__(self, name: str):
        return getattr(sys, name)


def _report(tmp_path: Path, *extra: str):
    return CliRunner().invoke(cli, ["report", str(SOURCE), str(TRANSLATION), "-r", str(REFERENCE), "-m", "bleu,chrf",
                                    "-o", str(tmp_path / "report.html"), *extra])


def test_report_on_a_terminal_shows_a_bar_for_every_stage(tmp_path, monkeypatch):
    terminal = FakeTerminal()
    monkeypatch.setattr(tqe.cli_run, "sys", _SysWithTerminal(terminal))
    result = _report(tmp_path)
    assert result.exit_code == 0, result.output
    finished = [line.split("[")[0].strip() for line in _finished_bars(terminal.getvalue())]
    assert finished == ["Aligning", "Scoring BLEU", "Scoring chrF", "Checking", "Writing"]
    assert result.stderr.startswith("Wrote ")


def test_quiet_on_a_terminal_draws_nothing(tmp_path, monkeypatch):
    terminal = FakeTerminal()
    monkeypatch.setattr(tqe.cli_run, "sys", _SysWithTerminal(terminal))
    result = _report(tmp_path, "-q")
    assert result.exit_code == 0, result.output
    assert terminal.getvalue() == "" and result.stderr == ""


def test_off_a_terminal_stderr_has_only_the_summary(tmp_path):
    result = _report(tmp_path)
    assert result.exit_code == 0, result.output
    assert result.stderr == f"Wrote {tmp_path / 'report.html'} (7 of 49 segments flagged)\n"


@pytest.mark.parametrize("quiet", [True, False])
def test_no_callback_off_a_terminal(quiet, monkeypatch):
    monkeypatch.setattr(tqe.cli_run, "sys", _SysWithTerminal(io.StringIO()))
    assert tqe.cli_run.stderr_progress(quiet) is None
