"""Progress bars on stderr for the library's ``progress(stage, done, total)`` callback.

The library reports each stage as it moves ("align", each metric by name, "checks", "write";
"significance" and "ranking" in ``tqe compare``) and never draws anything; this adapter draws
one click progress bar per stage. The CLI uses it only when stderr is a terminal and ``-q`` is
not given (:func:`stderr_progress`).
"""

from __future__ import annotations

import sys
from typing import IO, Any, Callable, TypeVar

import click

#: what each stage's bar is labelled; a metric's stage is "Scoring" and its label
STAGE_LABELS = {"align": "Aligning", "checks": "Checking", "write": "Writing", "significance": "Resampling",
                "ranking": "Ranking"}
_LABEL_WIDTH = 15


def stage_label(stage: str) -> str:
    """The bar label of ``stage``, for example "Aligning" or "Scoring chrF"."""
    if stage in STAGE_LABELS:
        return STAGE_LABELS[stage]
    from tqe.metrics import METRICS, metric_label

    return f"Scoring {metric_label(stage) if stage in METRICS else stage}"


class ProgressBars:
    """A ``progress(stage, done, total)`` callback drawing a click progress bar per stage on
    ``stream``: a new bar when the stage (or its total) changes, ended with a line break once
    ``done`` reaches ``total`` or when :meth:`close` is called."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self._bar: Any = None  # the click progress bar being drawn
        self._stage: tuple[str, int] | None = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self._bar is not None and self._stage != (stage, total):
            self.close()
        if total <= 0:
            return
        if self._bar is None:
            self._bar = click.progressbar(
                length=total, label=stage_label(stage).ljust(_LABEL_WIDTH), file=self.stream, show_pos=True
            )
            self._bar.__enter__()
            self._stage = (stage, total)
        step = min(done, total) - self._bar.pos
        if step > 0:
            self._bar.update(step)
        if done >= total:
            self.close()

    def close(self) -> None:
        """End the bar being drawn, if any, so that later output starts on its own line."""
        bar, self._bar, self._stage = self._bar, None, None
        if bar is not None:
            bar.render_finish()


Progress = Callable[[str, int, int], None]
_Written = TypeVar("_Written")


def stderr_progress(quiet: bool) -> Progress | None:
    """Progress bars on stderr, only on a terminal and without -q (else None: nothing drawn)."""
    if quiet or not sys.stderr.isatty():
        return None
    bars = ProgressBars(sys.stderr)
    context = click.get_current_context(silent=True)
    if context is not None:
        context.call_on_close(bars.close)  # an error stops a bar: its line ends before "Error: ..."
    return bars


def writing(progress: Progress | None, write: Callable[[], _Written]) -> _Written:
    """Run ``write`` (render and write a file) as the "write" stage of ``progress``."""
    if progress is not None:
        progress("write", 0, 1)
    written = write()
    if progress is not None:
        progress("write", 1, 1)
    return written
