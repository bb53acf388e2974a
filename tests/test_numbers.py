"""tqe.numbers and tqe.signature: the shared small parsers."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tqe.numbers import finite_or_none
from tqe.signature import signature_field


@pytest.mark.parametrize(
    "value, expected",
    [(1, 1.0), ("2.5", 2.5), (np.float32(0.5), 0.5), (-0.0, 0.0), (None, None), ("x", None),
     (math.nan, None), (np.nan, None), (math.inf, None), (-math.inf, None), ([1], None)],
)
def test_finite_or_none(value, expected) -> None:
    result = finite_or_none(value)
    assert result == expected and (result is None) == (expected is None)
    assert result is None or type(result) is float


def test_signature_field() -> None:
    bleu = "nrefs:2|case:mixed|eff:no|tok:13a|smooth:exp|version:2.4.2"
    comet = "comet|model:Unbabel/wmt22-comet-da|version:2.2.2|refs:yes"
    assert signature_field(bleu, "nrefs") == "2"
    assert signature_field(bleu, "version") == "2.4.2"
    assert signature_field(comet, "model") == "Unbabel/wmt22-comet-da"
    assert signature_field(comet, "comet") is None  # a bare word is not a field
    assert signature_field(bleu, "model") is None
    assert signature_field(None, "model") is None
    assert signature_field("model:a:b", "model") == "a:b"
