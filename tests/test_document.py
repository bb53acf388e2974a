"""Combining the translation's and the references' alignments into one segmentation."""

from __future__ import annotations

from tqe.document import build_segments, merge_alignments


def _view(segments):
    return [(seg.source, seg.translation, seg.references) for seg in segments]


def test_one_to_one_everywhere():
    beads = [((0,), (0,)), ((1,), (1,))]
    assert _view(merge_alignments(2, beads, [beads])) == [((0,), [0], [[0]]), ((1,), [1], [[1]])]


def test_reference_merge_widens_the_segment():
    mt = [((0,), (0,)), ((1,), (1,)), ((2,), (2,))]
    ref = [((0, 1), (0,)), ((2,), (1,))]
    assert _view(merge_alignments(3, mt, [ref])) == [((0, 1), [0, 1], [[0]]), ((2,), [2], [[1]])]


def test_translation_omission_keeps_an_empty_segment():
    mt = [((0,), (0,)), ((1,), ()), ((2,), (1,))]
    assert _view(merge_alignments(3, mt, [])) == [((0,), [0], []), ((1,), [], []), ((2,), [1], [])]


def test_translation_addition_is_its_own_segment_in_place():
    mt = [((0,), (0,)), ((), (1,)), ((1,), (2,))]
    ref = [((0,), (0,)), ((1,), (1,))]
    assert _view(merge_alignments(2, mt, [ref])) == [((0,), [0], [[0]]), ((), [1], [[]]), ((1,), [2], [[1]])]


def test_reference_addition_joins_previous_segment():
    mt = [((0,), (0,)), ((1,), (1,))]
    ref = [((0,), (0,)), ((), (1,)), ((1,), (2,))]
    assert _view(merge_alignments(2, mt, [ref])) == [((0,), [0], [[0, 1]]), ((1,), [1], [[2]])]


def test_lines_segmentation_keeps_lines_and_marks_missing_sides():
    segments = build_segments(
        ["One. Two.", "Three.", "", "Four."],
        ["Un. Deux.", "", "", "Quatre."],
        [["Un. Deux.", "Trois.", "", "Quatre."]],
        segmentation="lines",
    )
    assert list(segments["id"]) == ["1.1", "2.1", "4.1"]
    assert list(segments["link"]) == ["1-1", "1-0", "1-1"]
    assert list(segments["translation"]) == ["Un. Deux.", "", "Quatre."]
    assert list(segments["references"]) == [("Un. Deux.",), ("Trois.",), ("Quatre.",)]


def test_sentence_segmentation_splits_and_aligns_paragraphs():
    segments = build_segments(
        ["Dr. Klein opened the plant in 2019. It cost $4.5 million. Was it worth it?"],
        ["Le Dr Klein a ouvert l'usine en 2019 ; elle a coûté 4,5 millions de dollars. Cela en valait-il la peine ?"],
        [["Le Dr Klein a inauguré l'usine en 2019. Elle a coûté 4,5 millions de dollars. Le jeu en valait-il la chandelle ?"]],
    )
    assert list(segments["link"]) == ["2-1", "1-1"]
    assert segments.loc[0, "source"] == "Dr. Klein opened the plant in 2019. It cost $4.5 million."
    assert segments.loc[0, "references"] == ("Le Dr Klein a inauguré l'usine en 2019. Elle a coûté 4,5 millions de dollars.",)
    assert list(segments["id"]) == ["1.1", "1.2"]


def test_build_segments_refuses_unequal_counts():
    import pytest

    from tqe.errors import InputError

    with pytest.raises(InputError, match="the translation has 1 line, the source has 2"):
        build_segments(["One.", "Two."], ["Un."])


def test_reference_never_makes_segments_coarser_than_each_side_supports():
    """Translation and reference each pair 1-1 with the source; the reference's lengths are
    lopsided (a short sentence made long, a long one short) but still 1-1: two segments."""
    source = (
        "The plan was approved. It will cost about twelve million euros over five years and will mostly "
        "pay for new trams on the eastern lines."
    )
    translation = (
        "Le plan a été approuvé. Il coûtera environ douze millions d'euros sur cinq ans et servira surtout "
        "à acheter de nouveaux trams pour les lignes de l'est."
    )
    reference = (
        "Le plan a finalement été approuvé par le conseil municipal de la ville après de longs débats. "
        "Coût : douze millions d’euros en cinq ans, surtout pour des trams."
    )
    segments = build_segments([source], [translation], [[reference]])
    assert list(segments["link"]) == ["1-1", "1-1"]
    assert list(segments["source"]) == [
        "The plan was approved.",
        "It will cost about twelve million euros over five years and will mostly pay for new trams on the eastern lines.",
    ]
    assert segments.loc[1, "references"] == ("Coût : douze millions d’euros en cinq ans, surtout pour des trams.",)


def test_progress_is_reported_while_aligning_and_at_the_end():
    calls = []
    build_segments(["One. Two."] * 120, ["Un. Deux."] * 120, progress=lambda *call: calls.append(call))
    assert calls[-1] == ("align", 120, 120)
    assert {("align", 50, 120), ("align", 100, 120)} <= set(calls)
    done = [count for _, count, _ in calls]
    assert done == sorted(done)


def test_empty_documents_give_an_empty_table_with_every_column():
    segments = build_segments([""], [""])
    assert list(segments.columns) == ["id", "paragraph", "link", "source", "translation", "references"]
    assert len(segments) == 0
    assert all(dtype == object for dtype in segments.dtypes)  # not float columns


def test_load_segments_reads_files_into_the_same_table_as_build_segments(tmp_path):
    """load_segments releases each input line once aligned; the table is build_segments'."""
    from tqe.document import load_segments

    source = ["Dr. Klein opened the plant in 2019. It cost $4.5 million.", "", "Was it worth it?", "Title"]
    translation = ["Le Dr Klein a ouvert l'usine en 2019 ; elle a coûté 4,5 millions de dollars.", "", "Cela valait-il la peine ?", ""]
    reference = ["Le Dr Klein a ouvert l'usine en 2019. Elle a coûté 4,5 millions de dollars.", "", "Le jeu en valait-il la chandelle ?", "Titre"]
    paths = []
    for name, lines in (("src.en", source), ("mt.fr", translation), ("ref.fr", reference)):
        paths.append(tmp_path / name)
        paths[-1].write_text("\n".join(lines) + "\n", encoding="utf-8")
    loaded = load_segments(paths[0], paths[1], [paths[2]])
    built = build_segments(source, translation, [reference])
    assert loaded.equals(built)
    assert list(loaded["id"]) == ["1.1", "3.1", "4.1"]
    assert list(loaded["link"]) == ["2-1", "1-1", "1-0"]
