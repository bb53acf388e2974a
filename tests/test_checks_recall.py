"""Checks that find what the older rules missed: capitalised copies of the source, English
words left in French, negation or direction flipped, French spelling; each pattern with the
flag it must raise or the false alarm it must not."""

from __future__ import annotations

import pytest

from tqe.checks import CheckContext, Flag
from tqe.checks.presence import check_untranslated

CTX = CheckContext()


def only(flags: list[Flag], check: str) -> Flag:
    assert len(flags) == 1, flags
    assert flags[0].check == check
    return flags[0]


# ------------------------------------------------------------ untranslated: capitalised copies


def test_copy_of_capitalised_words_is_untranslated() -> None:
    flag = only(check_untranslated("Close #PRS_ORG#.", "Close #PRS_ORG#.", CTX), "untranslated")
    assert flag.severity == "major"
    assert flag.message == "the translation is a copy of the English source ('Close' left in English)"


def test_copy_of_a_title_case_interface_label_is_untranslated() -> None:
    flag = only(check_untranslated("Sign Out", "Sign Out", CTX), "untranslated")
    assert "'Sign', 'Out' left in English" in flag.message


def test_copy_of_a_title_case_heading_is_untranslated() -> None:
    title = "Northfield Regional Water Authority: Annual Report 2023"
    flag = only(check_untranslated(title, title, CTX), "untranslated")
    assert "'Water'" in flag.message and "'Northfield'" not in flag.message


@pytest.mark.parametrize(
    "text",
    [
        "2023",  # a bare number
        "https://www.example.com/Settings",  # a URL
        "help@example.com",
        "OK",  # an acronym French keeps
        "NRWA",
        "ERR_CONNECTION_REFUSED",  # a code string
        "`pip install tqe`",
        "config.yaml",
        "AquaTrack",  # a product name alone
        "Microsoft Teams",
        "Emmanuel Macron",  # a person's name
        "Tesla",
        "Parking",  # loanwords usual in French
        "Email",
        "Cloud",
    ],
)
def test_copy_that_is_the_same_in_french_is_not_untranslated(text: str) -> None:
    assert check_untranslated(text, text, CTX) == []


def test_capitalised_copy_of_a_do_not_translate_term_is_not_untranslated() -> None:
    ctx = CheckContext(dnt_terms=("Smart Home",))
    assert check_untranslated("Smart Home", "Smart Home", ctx) == []
    assert only(check_untranslated("Smart Home", "Smart Home", CTX), "untranslated")


def test_translated_capitalised_label_is_not_untranslated() -> None:
    assert check_untranslated("Sign Out", "Se déconnecter", CTX) == []
