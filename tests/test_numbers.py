"""tqe.numbers and tqe.signature: the shared small parsers (scores, numbers in words, signatures)."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from tqe.numbers import finite_or_none, spelled_numbers
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


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("three people and twenty-five dogs", "en", [("three", 3), ("twenty-five", 25)]),
        ("one of them, two hundred and five", "en", [("two hundred and five", 205)]),
        ("a million people, millions of them, a hundred", "en", [("a million", 10**6), ("a hundred", 100)]),
        ("two thousand three hundred", "en", [("two thousand three hundred", 2300)]),
        ("the third time, the twenty-first", "en", [("third", 3), ("twenty-first", 21)]),
        ("a second three-year term", "en", [("three", 3)]),  # not 2 + 3
        ("at first, wait a second", "en", []),
        ("trois personnes et vingt et un chats", "fr", [("trois", 3), ("vingt et un", 21)]),
        ("quatre-vingt-dix-neuf, soixante et onze, soixante-douze", "fr",
         [("quatre-vingt-dix-neuf", 99), ("soixante et onze", 71), ("soixante-douze", 72)]),
        ("deux cent mille, mille deux cents, dix-sept", "fr", [("deux cent mille", 200_000), ("mille deux cents", 1200), ("dix-sept", 17)]),
        ("45 pour cent, des millions, 3 millions, un million", "fr", [("un million", 10**6)]),
        ("un, une, premier, la troisième fois", "fr", [("troisième", 3)]),
        ("un deuxième mandat", "fr", [("deuxième", 2)]),
    ],
)
def test_spelled_numbers(text: str, language: str, expected: list[tuple[str, int]]) -> None:
    assert [(number.text, number.value) for number in spelled_numbers(text, language)] == expected


def test_spelled_number_offsets_point_at_the_words() -> None:
    text = "Il y a vingt et un chats."
    [number] = spelled_numbers(text, "fr")
    assert text[number.start : number.end] == "vingt et un"


def test_spelled_numbers_of_latin_text_read_from_the_casefolded_text_as_from_each_word() -> None:
    """The quick path reads number words in the casefolded text, at the same places."""
    from tqe import numbers

    letter = re.compile(r"[^\W\d_]")
    for code in range(0x2100):
        char = chr(code)
        if numbers._LATIN.fullmatch(char) and len(char.casefold()) == 1:
            assert bool(letter.match(char)) == bool(letter.match(char.casefold())), hex(code)
    cases = {
        ("Twenty-Five and a HUNDRED and five", "en"): [("Twenty-Five", 25), ("a HUNDRED and five", 105)],
        ("Straße drei, DREI-HUNDERT: two thousand", "en"): [("two thousand", 2000)],  # ß casefolds to two letters
        ("Quatre-Vingt-Dix et vingt et un", "fr"): [("Quatre-Vingt-Dix", 90), ("vingt et un", 21)],
        ("Soixante-Douze et trois", "fr"): [("Soixante-Douze", 72), ("trois", 3)],
    }
    for (text, language), expected in cases.items():
        assert [(number.text, number.value) for number in spelled_numbers(text, language)] == expected
        assert [(text[number.start : number.end], number.value) for number in spelled_numbers(text, language)] == expected


def test_spelled_numbers_read_the_same_from_known_pieces_at_other_places() -> None:
    """Number words are kept per space-free piece: met again elsewhere, in another sentence or
    next to other words, a piece gives the same words at its new place."""
    first = "We waited twenty-five minutes, then three more."
    again = "Then three more. Only twenty-five minutes,  twenty-five!"
    for text in (first, again, first):
        found = [(text[number.start : number.end], number.value) for number in spelled_numbers(text, "en")]
        assert found == [(number.text, number.value) for number in spelled_numbers(text, "en")]
    assert [(n.text, n.value) for n in spelled_numbers(again, "en")] == [
        ("three", 3), ("twenty-five", 25), ("twenty-five", 25)]
    # a piece already read ("hundred,": no number alone, without "a") still continues "two"
    assert [(n.text, n.value) for n in spelled_numbers("hundred, sir", "en")] == []
    assert [(n.text, n.value) for n in spelled_numbers("two hundred, sir", "en")] == [("two hundred", 200)]
    # a piece whose letters casefold to more than one character is read with the whole text
    assert [(n.text, n.value) for n in spelled_numbers("Straße three Straße", "en")] == [("three", 3)]
