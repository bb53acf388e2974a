"""Flag quality: precision and recall of tqe's QA checks on a labelled English–French set.

The set (benchmarks/data/flags/, described in its README.md) has clean professional
translations, where every flag is a false alarm, and copies of them with planted errors listed
in labels.tsv. Each document is read, aligned and flagged through tqe's Python API with the
set's glossary and do-not-translate list; no COMET and, without a reference, no metric, so only
the rule-based checks run. A planted error is mapped to the segment whose translation (or, for
an omission or a duplicate, whose source) contains the label's text, so the figures do not
depend on segment ids; a duplicate that tqe splits into a 1-0 and a 0-1 segment counts both.

Printed: per check, the segments it flags and its precision (share of them that carry a real
error); per error kind, the recall by any check and by the check meant for it; overall
segment-level precision, recall and F1 against "the segment has a real error"; the share of
clean segments with a rule flag; and the floors of the flag-quality goal, passed or failed.

Run by hand: python benchmarks/bench_flags.py [--json] [--all-checks] [--strict] [--data DIR]
(``--strict``: exit status 1 when a floor is not met).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "data" / "flags"

#: each planted error kind and the check(s) meant to catch it; a check that tqe does not have
#: (yet) counts as finding nothing
MEANT_CHECKS: dict[str, tuple[str, ...]] = {
    "number": ("numbers",),
    "scale": ("numbers",),
    "omission": ("empty",),
    "addition": ("addition",),
    "untranslated": ("untranslated",),
    "english-words": ("english-words",),
    "caps-copy": ("untranslated",),
    "duplicate": ("duplicate",),
    "entity-swap": ("named-entities",),
    "negation": ("polarity",),
    "direction": ("polarity",),
    "question-mark": ("end-punctuation",),
    "encoding": ("encoding",),
    "brackets": ("brackets",),
    "url-email": ("urls", "emails"),
    "glossary": ("glossary",),
    "dnt": ("dnt",),
    "spelling": ("spelling",),
}

#: kinds labelled by their source sentence whose wrong translation is still in the text (a copy
#: of the neighbour): when tqe splits the sentence into a 1-0 and a 0-1 segment, the paragraph's
#: 0-1 segment carries the same error
DISPLACED_KINDS = frozenset({"duplicate"})

#: the goal's floors
MAX_CLEAN_SHARE = 0.02
MIN_PRECISION = 0.7

CLEAN_PREFIX = "clean/"


@dataclass(frozen=True)
class Label:
    """One planted error: in ``document``, paragraph ``line`` (1-based), the segment whose
    translation (``side == "fr"``) or source (``side == "en"``) contains ``text``."""

    document: str
    line: int
    kind: str
    side: str
    text: str


@dataclass(frozen=True)
class FlaggedSegment:
    """What the bench needs of one tqe segment: where it is, its texts, its rule checks."""

    document: str
    segment_id: str
    paragraph: int
    source: str
    translation: str
    checks: frozenset[str] = field(default_factory=frozenset)


def load_labels(path: Path) -> list[Label]:
    """Read labels.tsv (header: document, line, kind, side, text)."""
    labels = []
    with open(path, encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle, delimiter="\t"), start=2):
            side = row["side"].strip()
            if side not in ("fr", "en") or not row["text"]:
                raise ValueError(f"{path}, line {number}: side must be fr or en and text not empty")
            labels.append(Label(row["document"].strip(), int(row["line"]), row["kind"].strip(), side, row["text"]))
    return labels


def find_documents(data: Path) -> list[tuple[str, Path, Path, list[Path]]]:
    """Every ``FOLDER/NAME.en.txt`` with its ``NAME.fr.txt`` (and ``NAME.ref.fr.txt`` when there
    is one), named ``FOLDER/NAME``."""
    documents = []
    for source in sorted(data.glob("*/*.en.txt")):
        name = source.name[: -len(".en.txt")]
        translation = source.with_name(f"{name}.fr.txt")
        reference = source.with_name(f"{name}.ref.fr.txt")
        if translation.exists():
            refs = [reference] if reference.exists() else []
            documents.append((f"{source.parent.name}/{name}", source, translation, refs))
    return documents


def is_rule_check(name: str) -> bool:
    """Rule-based checks, not score thresholds (``chrf-score``) or model error spans."""
    return not name.endswith("-score") and name != "comet-span"


def flag_config(data: Path, all_checks: bool = False):
    """tqe's default flag settings with the set's glossary and do-not-translate list (the
    working directory's tqe.toml is not read, so the figures do not depend on where it runs)."""
    from tqe import FlagConfig
    from tqe.checks import CHECKS

    glossary, dnt = data / "glossary.tsv", data / "dnt.txt"
    options = {
        "glossary_path": glossary if glossary.exists() else None,
        "dnt_path": dnt if dnt.exists() else None,
    }
    if all_checks:
        options.update(enabled_checks=frozenset(CHECKS), disabled_checks=frozenset())
    return FlagConfig(**options)


def flag_documents(documents: Iterable[tuple[str, Path, Path, list[Path]]], config) -> list[FlaggedSegment]:
    """Read, align and flag each document with tqe's Python API; lexical metrics only when the
    document has a reference."""
    import tqe

    segments: list[FlaggedSegment] = []
    for name, source, translation, references in documents:
        if references:
            result = tqe.score(source, translation, references, metrics=["bleu", "chrf"], flag_config=config)
        else:
            table = tqe.load_segments(source, translation)
            result = tqe.flag_result(tqe.ScoreResult(segments=table, metrics={}), config)
        for row in result.segments.itertuples(index=False):
            checks = frozenset(flag.check for flag in row.flags if is_rule_check(flag.check))
            segments.append(
                FlaggedSegment(name, str(row.id), int(row.paragraph), str(row.source or ""), str(row.translation or ""), checks)
            )
    return segments


def match_labels(segments: Sequence[FlaggedSegment], labels: Sequence[Label]) -> list[list[int]]:
    """For each label, the indices of the segments that carry it (empty: not found)."""
    by_paragraph: dict[tuple[str, int], list[int]] = {}
    for index, segment in enumerate(segments):
        by_paragraph.setdefault((segment.document, segment.paragraph), []).append(index)
    matches = []
    for label in labels:
        candidates = by_paragraph.get((label.document, label.line), [])
        text_of = (lambda s: s.translation) if label.side == "fr" else (lambda s: s.source)
        found = [index for index in candidates if label.text in text_of(segments[index])]
        if label.kind in DISPLACED_KINDS and any(not segments[index].translation.strip() for index in found):
            # the sentence became a 1-0 segment and its stand-in a 0-1 segment: both carry the error
            found += [index for index in candidates if not segments[index].source.strip() and index not in found]
        matches.append(found)
    return matches


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def evaluate(
    segments: Sequence[FlaggedSegment],
    labels: Sequence[Label],
    available_checks: Iterable[str],
    meant_checks: Mapping[str, Sequence[str]] = MEANT_CHECKS,
) -> dict:
    """Precision per check, recall per error kind, segment-level P/R/F1, the clean-text flag
    share and the floors, as one JSON-ready dict."""
    available = set(available_checks)
    matches = match_labels(segments, labels)
    erroneous = {index for found in matches for index in found}

    fired = sorted({check for segment in segments for check in segment.checks})
    per_check = {}
    for check in sorted(available | set(fired)):
        flagged = [i for i, segment in enumerate(segments) if check in segment.checks]
        true = sum(1 for i in flagged if i in erroneous)
        on_clean = sum(1 for i in flagged if segments[i].document.startswith(CLEAN_PREFIX))
        per_check[check] = {
            "flagged": len(flagged),
            "true": true,
            "precision": _ratio(true, len(flagged)),
            "on_clean": on_clean,
        }

    per_kind = {}
    kinds = list(dict.fromkeys([*meant_checks, *(label.kind for label in labels)]))
    for kind in kinds:
        own = [(label, found) for label, found in zip(labels, matches) if label.kind == kind]
        if not own:
            continue
        meant = tuple(meant_checks.get(kind, ()))
        any_found = sum(1 for _, found in own if any(segments[i].checks for i in found))
        meant_found = sum(1 for _, found in own if any(segments[i].checks & set(meant) for i in found))
        per_kind[kind] = {
            "instances": len(own),
            "found": any_found,
            "recall": _ratio(any_found, len(own)),
            "meant_checks": list(meant),
            "missing_checks": [check for check in meant if check not in available],
            "found_by_meant": meant_found,
            "recall_meant": _ratio(meant_found, len(own)),
        }

    flagged = {i for i, segment in enumerate(segments) if segment.checks}
    true_positive = len(flagged & erroneous)
    precision = _ratio(true_positive, len(flagged))
    recall = _ratio(true_positive, len(erroneous))
    f1 = 2 * precision * recall / (precision + recall) if precision and recall else (0.0 if flagged or erroneous else None)
    clean = [i for i, segment in enumerate(segments) if segment.document.startswith(CLEAN_PREFIX)]
    clean_flagged = sum(1 for i in clean if i in flagged)

    unmatched = [
        {"document": label.document, "line": label.line, "kind": label.kind, "text": label.text}
        for label, found in zip(labels, matches)
        if not found
    ]
    shared = [
        segments[i].document + " " + segments[i].segment_id
        for i in sorted(erroneous)
        if sum(1 for found in matches if i in found) > 1
    ]
    failing_precision = sorted(
        check for check, row in per_check.items() if row["precision"] is not None and row["precision"] < MIN_PRECISION
    )
    kinds_missed = sorted(kind for kind, row in per_kind.items() if row["found_by_meant"] == 0)
    clean_share = _ratio(clean_flagged, len(clean))
    return {
        "documents": len({segment.document for segment in segments}),
        "per_check": per_check,
        "per_kind": per_kind,
        "overall": {
            "segments": len(segments),
            "with_error": len(erroneous),
            "flagged": len(flagged),
            "true_positive": true_positive,
            "precision": precision,
            "recall": recall,
            "f1": f1,
        },
        "clean": {"segments": len(clean), "flagged": clean_flagged, "share": clean_share},
        "floors": {
            "clean_share_at_most": MAX_CLEAN_SHARE,
            "clean_share_ok": clean_share is not None and clean_share <= MAX_CLEAN_SHARE,
            "precision_at_least": MIN_PRECISION,
            "checks_below_precision": failing_precision,
            "kinds_not_found_by_meant_check": kinds_missed,
        },
        "unmatched_labels": unmatched,
        "segments_with_several_labels": shared,
    }


def floors_met(report: dict) -> bool:
    """Whether the set meets every floor of the flag-quality goal."""
    floors = report["floors"]
    return bool(
        floors["clean_share_ok"]
        and not floors["checks_below_precision"]
        and not floors["kinds_not_found_by_meant_check"]
    )


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def render(report: dict) -> str:
    """The report as plain-text tables (Markdown pipe tables, so they paste into README)."""
    lines = [f"documents: {report['documents']}, segments: {report['overall']['segments']}", ""]
    lines += ["| check | flagged segments | with a real error | precision | on clean text |", "|---|---:|---:|---:|---:|"]
    for check, row in report["per_check"].items():
        if row["flagged"]:
            lines.append(f"| `{check}` | {row['flagged']} | {row['true']} | {_pct(row['precision'])} | {row['on_clean']} |")
    silent = [check for check, row in report["per_check"].items() if not row["flagged"]]
    if silent:
        lines += ["", "checks that flagged nothing: " + ", ".join(silent)]
    lines += ["", "| error kind | planted | found by any check | recall | meant check | found by it | recall |",
              "|---|---:|---:|---:|---|---:|---:|"]
    for kind, row in report["per_kind"].items():
        meant = ", ".join(
            f"`{check}`" + (" (missing)" if check in row["missing_checks"] else "") for check in row["meant_checks"]
        ) or "-"
        lines.append(
            f"| {kind} | {row['instances']} | {row['found']} | {_pct(row['recall'])} | {meant} | "
            f"{row['found_by_meant']} | {_pct(row['recall_meant'])} |"
        )
    overall, clean, floors = report["overall"], report["clean"], report["floors"]
    lines += [
        "",
        f"segments with a real error: {overall['with_error']}; flagged: {overall['flagged']}; both: {overall['true_positive']}",
        f"segment level: precision {_pct(overall['precision'])}, recall {_pct(overall['recall'])}, F1 {_pct(overall['f1'])}",
        f"clean text: {clean['flagged']} of {clean['segments']} segments carry a rule flag ({(clean['share'] or 0):.1%})",
        "",
        "floors:",
        f"  clean segments with a rule flag <= {floors['clean_share_at_most']:.0%}: "
        + ("pass" if floors["clean_share_ok"] else "FAIL"),
        f"  every check's precision >= {floors['precision_at_least']}: "
        + ("pass" if not floors["checks_below_precision"] else "FAIL (" + ", ".join(floors["checks_below_precision"]) + ")"),
        "  every error kind found by its check: "
        + ("pass" if not floors["kinds_not_found_by_meant_check"] else "FAIL (" + ", ".join(floors["kinds_not_found_by_meant_check"]) + ")"),
    ]
    if report["unmatched_labels"]:
        lines += ["", "labels that match no segment (counted as not found):"]
        lines += [f"  {u['document']} line {u['line']} {u['kind']}: {u['text']!r}" for u in report["unmatched_labels"]]
    if report["segments_with_several_labels"]:
        lines += ["", "segments carrying more than one planted error: " + ", ".join(report["segments_with_several_labels"])]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA, help="the labelled set (default: %(default)s)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--all-checks", action="store_true", help="run every check, also those off by default")
    parser.add_argument("--strict", action="store_true", help="exit with status 1 when a floor is not met")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from tqe.checks import CHECKS

    labels = load_labels(args.data / "labels.tsv")
    segments = flag_documents(find_documents(args.data), flag_config(args.data, args.all_checks))
    report = evaluate(segments, labels, CHECKS)
    print(json.dumps(report, indent=2, ensure_ascii=False) if args.json else render(report))
    return 1 if args.strict and not floors_met(report) else 0


if __name__ == "__main__":
    raise SystemExit(main())
