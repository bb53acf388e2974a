"""Text tables (tabulate): numbers to the right, columns as wide as their cells, nothing trailing."""

from __future__ import annotations

import pandas as pd

from tqe.document import build_segments
from tqe.output import to_table
from tqe.pipeline import score_segments
from tqe.compare.ranking import MetricRanking, Ranking, SystemScore
from tqe.report._table import LEFT, RIGHT, text_table
from tqe.report.history import history_table
from tqe.report.ranking import ranking_table


def test_text_table_aligns_numbers_right_and_strips_trailing_spaces():
    lines = text_table(["name", "score"], [["BLEU", "5.0"], ["chrF++", "100.0"]], [LEFT, RIGHT], indent="  ")
    assert lines == [
        "  name    score",
        "  BLEU      5.0",
        "  chrF++  100.0",
    ]


def test_text_table_keeps_cells_as_given():
    # no number parsing: "1.10" stays "1.10", "007" stays "007"
    assert text_table(None, [["1.10", "007"]], [RIGHT, RIGHT]) == ["1.10  007"]
    assert text_table(None, [], [LEFT]) == []


def _runs() -> pd.DataFrame:
    return pd.DataFrame([
        dict(run=1, revision="v1", created_at="2026-01-02T10:11:12", document="abc", source="a.en.txt", segments=7,
             tqe_version="1", flags_critical=0, flags_major=2, flags_minor=1, bleu=41.25, bleu_change=float("nan")),
        dict(run=12, revision="release-2\x1b[2J", created_at="2026-01-03T10:11:12", document="abc", source="a.en.txt",
             segments=1250, tqe_version="1", flags_critical=10, flags_major=0, flags_minor=3, bleu=9.0,
             bleu_change=-32.25),
    ])


def test_history_table_right_aligns_counts_and_scores():
    lines = history_table(_runs()).splitlines()
    assert lines[0].split() == ["run", "revision", "date", "source", "segs", "flags", "c/M/m", "BLEU"]
    assert lines[1].startswith("#1 ") and lines[2].startswith("#12 ")
    # numbers end in the same column as their header
    assert lines[1].index("7") + 1 == lines[2].index("1250") + 4 == lines[0].index("segs") + 4
    assert lines[1].endswith("  41.2") and lines[2].endswith("9.0 (-32.2)")
    assert len(lines[1]) == len(lines[2]) == len(lines[0])
    assert "\x1b" not in "".join(lines) and "\\x1b[2J" in lines[2]
    assert all(line == line.rstrip() for line in lines)


def test_ranking_table_lines_up_columns():
    systems = (
        SystemScore("base", 40.0, 40.1, 1.25, None, 1, 1),
        SystemScore("a-much-longer-name", 9.5, 9.4, 0.5, 0.001, 2, 2),
    )
    metric = MetricRanking("bleu", "sig", "paired bootstrap", 30, systems)
    ranking = Ranking(labels=("base", "a-much-longer-name"), metrics={"bleu": metric}, segments=pd.DataFrame())
    lines = ranking_table(ranking).splitlines()
    header = next(i for i, line in enumerate(lines) if line.lstrip().startswith("rank"))
    head, first, second = lines[header : header + 3]
    assert head.split() == ["rank", "cluster", "system", "score", "95%", "CI", "p", "vs", "baseline"]
    assert first.startswith("     1        1  base ")
    assert first.endswith("40.0    ±1.2       baseline") and second.endswith(" 9.5    ±0.5         0.0010")
    assert len(head) == len(first) == len(second)


def test_score_table_right_aligns_scores_and_fits_the_translation_to_the_width():
    sources = ["The water is clean.", "Thanks."]
    translations = ["L'eau est propre et " + "très " * 40 + "claire.", "Merci."]
    result = score_segments(build_segments(sources, translations, [["L'eau est propre.", "Merci."]],
                                           segmentation="lines"), ["bleu", "chrf"])
    lines = to_table(result, width=80).splitlines()
    assert lines[0].split() == ["id", "link", "bleu", "chrf", "flags", "translation"]
    chrf_end = lines[0].index("chrf") + 4
    assert lines[1][:chrf_end].endswith(" 25.96") and lines[2][:chrf_end].endswith(" 100.00")
    assert len(lines[1]) == 80 and lines[1].endswith("…")
    assert lines[2].endswith("100.00  100.00      0  Merci.")
    document = lines[lines.index("") + 1 :]
    assert [line.split()[0] for line in document] == ["BLEU", "CHRF"]
    assert document[0].index("nrefs") == document[1].index("nrefs")
