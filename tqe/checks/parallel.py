"""Run the checks of a long document over every core, as statistics extraction does.

Each segment's checks (and its reference checks) depend only on the segment and the
document context, so the segments are cut into one slice per core and each slice is checked
in a worker process; the flags come back in segment order and are exactly those of one
process. Below
:data:`PARALLEL_MIN_SEGMENTS` segments, starting workers costs more than it saves.

The word lists and dictionaries the checks load on first use (wordfreq, the spelling
dictionary and its index: about 3 s) are loaded before the workers start, so that on Linux
they inherit them instead of each loading its own copy.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor

from tqe.checks import run_checks
from tqe.checks.base import CheckContext, Flag
from tqe.checks.reference import REFERENCE_CHECKS

#: below this many segments, worker processes cost more than they save
PARALLEL_MIN_SEGMENTS = 2000
#: with a progress callback, a single process checks (and reports) this many segments at a time
PROGRESS_SEGMENTS = 200


def available_cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


#: one slice of the work: sources, translations, references of each segment, context, check
#: names, reference check names
_Job = tuple[list[str], list[str], list[tuple[str, ...]], CheckContext, tuple[str, ...], tuple[str, ...]]
#: per segment: its flags, and its reference checks' flags
_Checked = list[tuple[list[Flag], list[Flag]]]


def check_segment(
    source: str,
    translation: str,
    references: Sequence[str],
    ctx: CheckContext,
    names: Sequence[str],
    reference_names: Sequence[str],
) -> tuple[list[Flag], list[Flag]]:
    """One segment's flags from the checks ``names`` (:func:`tqe.checks.run_checks`), and from
    the reference checks ``reference_names`` in that order, with the severities of
    ``ctx.severities``; ``polarity-reference`` is left out where ``polarity`` already flags
    the segment (one flip, one flag: the source's is the one a reviewer acts on)."""
    flags = run_checks(source, translation, ctx, names)
    from_references = []
    for name in reference_names:
        if name == "polarity-reference" and any(flag.check == "polarity" for flag in flags):
            continue
        for flag in REFERENCE_CHECKS[name](translation, tuple(references)):
            from_references.append(Flag(flag.check, ctx.severities.get(name, flag.severity), flag.message))
    return flags, from_references


def _check_slice(job: _Job) -> _Checked:
    sources, translations, references, ctx, names, reference_names = job
    return [check_segment(source, translation, refs, ctx, names, reference_names)
            for source, translation, refs in zip(sources, translations, references)]


def load_word_lists(names: Sequence[str]) -> None:
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
    *,
    references: Sequence[Sequence[str] | None] | None = None,
    reference_names: Sequence[str] = (),
    workers: int | None = None,
    done: Callable[[int], None] | None = None,
) -> _Checked:
    """Per segment, :func:`check_segment`'s two lists of flags (the reference checks run
    only when ``references`` are given). Over ``workers`` processes (all cores by default)
    from :data:`PARALLEL_MIN_SEGMENTS` segments. ``done(segments so far)`` is called as
    slices finish, in order."""
    names, reference_names = tuple(names), tuple(reference_names) if references is not None else ()
    refs = [tuple(segment_references or ()) for segment_references in references] if references is not None \
        else [()] * len(sources)
    workers = available_cores() if workers is None else max(1, workers)
    serial = workers == 1 or len(sources) < PARALLEL_MIN_SEGMENTS
    if serial and done is None:
        return _check_slice((list(sources), list(translations), refs, ctx, names, reference_names))
    # with a progress callback, slices small enough for progress to move
    size = PROGRESS_SEGMENTS if serial else -(-len(sources) // (workers * (4 if done else 1)))
    jobs: list[_Job] = [
        (list(sources[start : start + size]), list(translations[start : start + size]), refs[start : start + size],
         ctx, names, reference_names)
        for start in range(0, len(sources), max(size, 1))
    ]
    checked: _Checked = []
    if serial:
        parts: Iterable[_Checked] = map(_check_slice, jobs)
        return _gather(parts, checked, done)
    load_word_lists((*names, *reference_names))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return _gather(pool.map(_check_slice, jobs), checked, done)


def _gather(parts: Iterable[_Checked], checked: _Checked, done: Callable[[int], None] | None) -> _Checked:
    for part in parts:
        checked.extend(part)
        if done is not None:
            done(len(checked))
    return checked
