"""The shared result types: one Flag and one ErrorSpan record, dicts only at the edges."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from tqe.model import (
    ErrorSpan,
    Flag,
    error_spans_of,
    flags_of,
    reference_streams,
    references_of,
    sort_flags,
)


def test_a_flag_round_trips_through_its_dict():
    flag = Flag("numbers", "major", "12 became 13")
    assert flag.to_dict() == {"check": "numbers", "severity": "major", "message": "12 became 13"}
    assert Flag.from_dict(json.loads(json.dumps(flag.to_dict()))) == flag


def test_a_waived_flag_is_the_same_record_with_its_reason():
    waived = Flag("numbers", "major", "12 became 13").waive("checked", by="Claire", on="2026-11-30")
    assert isinstance(waived, Flag) and waived.waived and waived.reason == "checked"
    assert waived.to_dict() == {"check": "numbers", "severity": "major", "message": "12 became 13",
                                "waived": True, "reason": "checked", "waived_by": "Claire",
                                "waived_on": "2026-11-30"}
    assert Flag.from_dict(waived.to_dict()) == waived
    # an empty reason still writes the waived mark and the reason key
    assert Flag("a", "minor", "m").waive("").to_dict()["reason"] == ""


def test_a_flag_is_a_record_not_a_dict():
    flag = Flag("typography", "minor", "space before ':'")
    assert flag.check == "typography" and flag.waived is False and flag.reason == ""
    with pytest.raises(TypeError, match="not subscriptable"):
        flag["check"]  # noqa: B018 - the dict bridge is gone: code reads attributes
    for dict_only in ("get", "keys", "items"):
        assert not hasattr(flag, dict_only)
    with pytest.raises(TypeError):
        dict(flag)  # type: ignore[call-overload]


def test_an_unknown_severity_is_refused():
    with pytest.raises(ValueError, match="unknown severity"):
        Flag("x", "fatal", "m")
    with pytest.raises(ValueError, match="unknown severity"):
        Flag.from_dict({"check": "x", "severity": "fatal"})


def test_flags_of_accepts_records_and_dicts_and_nothing_else():
    flag = Flag("empty", "critical", "no translation")
    assert flags_of([flag, flag.to_dict()]) == [flag, flag]
    assert flags_of(float("nan")) == [] and flags_of(None) == [] and flags_of("flags") == []
    assert [f.check for f in sort_flags([Flag("a", "minor", ""), Flag("b", "critical", ""), Flag("c", "minor", "")])] == [
        "b", "a", "c"
    ]


TRANSLATION = "Ma sœur a décrit un rapport détaillé."


def test_an_error_span_is_checked_against_its_translation():
    # xCOMET writes its "<s>" token before a span that opens the translation
    opening = ErrorSpan.from_dict(
        {"text": "<s> Ma sœur", "confidence": 0.4, "severity": "major", "start": 0, "end": 7}, TRANSLATION
    )
    assert opening == ErrorSpan(0, 7, "major", "Ma sœur", 0.4)
    # a leading space inside the offsets is trimmed from the span
    spaced = ErrorSpan.from_dict({"text": "un rapport", "severity": "critical", "start": 16, "end": 27}, TRANSLATION)
    assert (spaced.start, spaced.end, spaced.text) == (17, 27, "un rapport")
    assert TRANSLATION[spaced.start:spaced.end] == spaced.text
    # wrong offsets: found by its text; unknown severity: minor; non-finite confidence: none
    moved = ErrorSpan.from_dict({"text": "détaillé", "severity": "weird", "start": 0, "end": 3,
                                 "confidence": math.inf}, TRANSLATION)
    assert moved == ErrorSpan(TRANSLATION.index("détaillé"), TRANSLATION.index("détaillé") + 8, "minor", "détaillé")
    for bad, reason in [({"text": "absent", "start": 0, "end": 6}, "not in its translation"),
                        ({"start": 0, "end": 2}, "no text"), ("span", "not an object")]:
        with pytest.raises(ValueError, match=reason):
            ErrorSpan.from_dict(bad, TRANSLATION)


def test_an_error_span_round_trips_in_xcomet_key_order():
    span = ErrorSpan(3, 7, "minor", "sœur", 0.25)
    assert list(span.to_dict()) == ["text", "confidence", "severity", "start", "end"]
    assert ErrorSpan.from_dict(json.loads(json.dumps(span.to_dict())), TRANSLATION) == span
    assert error_spans_of([span.to_dict(), {"text": "absent"}, span], TRANSLATION) == (span, span)
    assert error_spans_of(float("nan"), TRANSLATION) == () and error_spans_of("text", TRANSLATION) == ()


def test_references_and_their_streams():
    column = pd.Series([("a", "b"), ["c"], "d", float("nan")])
    assert [references_of(value) for value in column] == [("a", "b"), ("c",), ("d",), ()]
    assert reference_streams(column) == [["a", "c", "d", ""], ["b", "", "", ""]]
    assert reference_streams([(), ()]) == []


def test_a_stored_run_is_a_score_result_with_the_flag_and_span_records_saved(tmp_path):
    from tqe import __version__
    from tqe.document import build_segments
    from tqe.metrics.base import MetricResult
    from tqe.model import ScoreResult
    from tqe.store.history import load_run, save_run

    translations = [TRANSLATION, "Il pleut."]
    segments = build_segments(["My sister wrote a detailed report.", "It rains."], translations, [],
                              segmentation="lines")
    spans = [[ErrorSpan(3, 7, "minor", "sœur", 0.25), ErrorSpan(17, 27, "critical", "un rapport")], []]
    flags = [[Flag("comet-span", "critical", "COMET marks 'un rapport' as a critical error"),
              Flag("comet-span", "minor", "COMET marks 'sœur' as a minor error (25% confidence)")], []]
    comet = MetricResult("comet", 0.5, [0.4, 0.9], "comet|model:m|version:2.2.7|refs:0",
                         details={"comet_error_spans": spans})
    segments["comet"] = comet.segment_scores
    segments["comet_error_spans"] = spans
    segments["flags"] = flags
    save_run(tmp_path / "h.db", ScoreResult(segments, {"comet": comet}), revision="v1", tqe_version=__version__)

    run = load_run(tmp_path / "h.db", "v1")
    assert isinstance(run, ScoreResult) and run.info is not None and run.info.revision == "v1"
    assert list(run.segments["flags"]) == flags
    assert all(isinstance(flag, Flag) for cell in run.segments["flags"] for flag in cell)
    assert list(run.segments["comet_error_spans"]) == spans
    assert run.metrics["comet"].details["comet_error_spans"] == spans
    assert all(isinstance(span, ErrorSpan) for cell in run.segments["comet_error_spans"] for span in cell)
    assert run.corpus == {"comet": 0.5}
