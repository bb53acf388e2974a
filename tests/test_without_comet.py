"""Without the [comet] extra, the COMET tests skip with a reason instead of failing."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def test_comet_tests_skip_with_a_reason_when_the_extra_is_missing():
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS.parent), str(TESTS), os.environ.get("PYTHONPATH", "")])}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "without_comet", "-rs",
         str(TESTS / "test_comet.py"), str(TESTS / "test_cli_comet.py"),
         str(TESTS / "test_formats.py::test_comet_scores_on_an_xliff_equal_those_on_the_same_segments_as_a_table"),
         str(TESTS / "test_hostile.py::test_escape_in_comet_model_is_shown_escaped_in_warning_and_error")],
        capture_output=True, text=True, cwd=TESTS.parent, env=env, timeout=300,
    )
    summary = result.stdout.strip().splitlines()[-1]
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "failed" not in summary and "error" not in summary, summary
    skipped = int(re.search(r"(\d+) skipped", summary).group(1))
    assert skipped >= 22, summary  # the tests that need COMET did not run
    reasons = [line for line in result.stdout.splitlines() if line.startswith("SKIPPED")]
    assert reasons and all("from the [comet] extra: pip install 'tqe-eval[comet]'" in line for line in reasons)
