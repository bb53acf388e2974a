"""Progress bars on stderr for the library's ``progress(stage, done, total)`` callback.

The library reports each stage as it moves ("align", each metric by name, "checks", "write")
and never draws anything; this adapter draws one click progress bar per stage. The CLI uses
it only when stderr is a terminal and ``-q`` is not given.
"""

from __future__ import annotations

from typing import IO, Any

import click

#: what each stage's bar is labelled; a metric's stage is "Scoring" and its label
STAGE_LABELS = {"align": "Aligning", "checks": "Checking", "write": "Writing"}
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
