"""The flag set's errors one by one: every false alarm and every planted error its check missed.

Companion of ``bench_flags.py`` (same set, same settings): where that script counts, this one
lists, so that a cause can be seen and fixed by a general rule. Printed, grouped by check:

- every flag of a check on a segment that carries no planted error the check is meant for
  (a false alarm, or a flag on a segment with an error of another kind), with its severity,
  message, source and translation;
- every planted error that its meant check did not find, with the checks that fired instead.

Run by hand: python benchmarks/flag_errors.py [CHECK ...] [--all-checks] [--data DIR]
(CHECK names limit the listing to those checks).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_flags  # noqa: E402
from tqe.model import Flag  # noqa: E402


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("checks", nargs="*", help="only these checks")
    parser.add_argument("--data", type=Path, default=bench_flags.DATA, help="the labelled set (default: %(default)s)")
    parser.add_argument("--all-checks", action="store_true", help="run every check, also those off by default")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(bench_flags.ROOT))
    import tqe

    config = bench_flags.flag_config(args.data, args.all_checks)
    labels = bench_flags.load_labels(args.data / "labels.tsv")
    segments: list[bench_flags.FlaggedSegment] = []
    flags: list[list[dict]] = []
    for name, source, translation, references in bench_flags.find_documents(args.data):
        if references:
            result = tqe.score(source, translation, references, metrics=["bleu", "chrf"], flag_config=config)
        else:
            result = tqe.flag_result(tqe.ScoreResult(segments=tqe.load_segments(source, translation), metrics={}), config)
        for row in result.segments.itertuples(index=False):
            rule_flags = [flag for flag in row.flags if bench_flags.is_rule_check(flag.check)]
            segments.append(bench_flags.FlaggedSegment(
                name, str(row.id), int(row.paragraph), str(row.source or ""), str(row.translation or ""),
                frozenset(flag.check for flag in rule_flags),
            ))
            flags.append(rule_flags)
    matches = bench_flags.match_labels(segments, labels)
    kinds: dict[int, list[str]] = {}
    for label, found in zip(labels, matches):
        for index in found:
            kinds.setdefault(index, []).append(label.kind)

    wanted = set(args.checks)
    by_check: dict[str, list[tuple[bench_flags.FlaggedSegment, Flag, list[str]]]] = {}
    for index, (segment, segment_flags) in enumerate(zip(segments, flags)):
        meant = {check for kind in kinds.get(index, []) for check in bench_flags.MEANT_CHECKS.get(kind, ())}
        for flag in segment_flags:
            if flag.check not in meant and (not wanted or flag.check in wanted):
                by_check.setdefault(flag.check, []).append((segment, flag, kinds.get(index, [])))
    for check, items in sorted(by_check.items()):
        print(f"== {check}: {len(items)} flag(s) not meant for the segment's error")
        for segment, flag, segment_kinds in items:
            carried = ", ".join(segment_kinds) or "none"
            print(f"- {segment.document} {segment.segment_id} (planted: {carried}) [{flag.severity}] {flag.message}")
            print(f"    en: {segment.source}\n    fr: {segment.translation}")
    print("== planted errors missed by their check")
    for label, found in zip(labels, matches):
        meant = set(bench_flags.MEANT_CHECKS.get(label.kind, ()))
        if any(segments[index].checks & meant for index in found) or (wanted and not meant & wanted):
            continue
        instead = sorted({check for index in found for check in segments[index].checks})
        print(f"- {label.document} line {label.line} {label.kind} {label.text!r}; flagged by: {', '.join(instead) or 'nothing'}")
        for index in found:
            print(f"    en: {segments[index].source}\n    fr: {segments[index].translation}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
