"""Run the checks of a long document over every core, as statistics extraction does.

Each segment's checks depend only on the segment and the document context, so the segments
are cut into one slice per core and each slice is checked in a worker process; the flags
come back in segment order and are exactly those of one process. Below
:data:`PARALLEL_MIN_SEGMENTS` segments, starting workers costs more than it saves.

The word lists and dictionaries the checks load on first use (wordfreq, the spelling
dictionary and its index: about 3 s) are loaded before the workers start, so that on Linux
they inherit them instead of each loading its own copy.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor

from tqe.checks import run_checks
from tqe.checks.base import CheckContext, Flag

#: below this many segments, worker processes cost more than they save
PARALLEL_MIN_SEGMENTS = 2000


def available_cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def _check_slice(job: tuple[list[str], list[str], CheckContext, tuple[str, ...]]) -> list[list[Flag]]:
    sources, translations, ctx, names = job
    return [run_checks(source, translation, ctx, names) for source, translation in zip(sources, translations)]


def _load_word_lists(names: Sequence[str]) -> None:
    """Load what the named checks read on first use, once, before workers are started."""
    from tqe.checks.entities import _frequencies
    from tqe.language import zipf

    for language in ("en", "fr"):
        zipf("the", language)
        _frequencies(language)
    if "spelling" in names:
        from tqe.checks.spelling import _by_key

        _by_key()


def check_segments(
    sources: Sequence[str],
    translations: Sequence[str],
    ctx: CheckContext,
    names: Sequence[str],
    workers: int | None = None,
) -> list[list[Flag]]:
    """:func:`tqe.checks.run_checks` on every segment, over ``workers`` processes (all cores by
    default) when the document has :data:`PARALLEL_MIN_SEGMENTS` segments or more."""
    names = tuple(names)
    workers = available_cores() if workers is None else max(1, workers)
    if workers == 1 or len(sources) < PARALLEL_MIN_SEGMENTS:
        return _check_slice((list(sources), list(translations), ctx, names))
    _load_word_lists(names)
    size = -(-len(sources) // workers)
    jobs = [
        (list(sources[start : start + size]), list(translations[start : start + size]), ctx, names)
        for start in range(0, len(sources), size)
    ]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return [flags for part in pool.map(_check_slice, jobs) for flags in part]
