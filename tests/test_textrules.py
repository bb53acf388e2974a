"""The pofilter-style comparisons in tqe.checks.textrules."""

from __future__ import annotations

import pytest

from tqe.checks import textrules


@pytest.mark.parametrize(
    ("source", "translation", "empty", "blank"),
    [
        ("Hello.", "", True, False),
        ("Hello.", "   ", False, True),
        ("Hello.", "\u00a0", False, True),
        ("Hello.", "Bonjour.", False, False),
        ("", "", False, False),
        ("  ", "", False, False),
    ],
)
def test_empty_and_blank(source: str, translation: str, empty: bool, blank: bool) -> None:
    assert textrules.is_empty(source, translation) is empty
    assert textrules.is_blank(source, translation) is blank


@pytest.mark.parametrize(
    ("source", "translation", "copy"),
    [
        ("Sign out of the app.", "Sign out of the app.", True),
        ("Sign out of the app.", "  sign OUT of the app. ", True),
        ("NATO", "NATO", False),  # nothing has a lower-case form: may stay as it is
        ("2024", "2024", False),
        ("A", "A", False),
        ("Sign out of the app.", "Déconnectez-vous de l'application.", False),
    ],
)
def test_copy_of_the_source(source: str, translation: str, copy: bool) -> None:
    assert textrules.is_copy(source, translation) is copy


def test_bracket_differences_name_each_bracket_and_both_counts() -> None:
    assert textrules.bracket_differences("a (b) [c]", "a (b [c]]") == [(")", 1, 0), ("]", 1, 2)]
    assert textrules.bracket_differences("a (b)", "x (y)") == []


def test_double_spaces_compare_counts() -> None:
    assert textrules.double_spaces_differ("a b", "a  b")
    assert textrules.double_spaces_differ("a  b", "a b")
    assert not textrules.double_spaces_differ("a  b", "x  y")


@pytest.mark.parametrize(
    ("text", "urls"),
    [
        ("See https://nrwa.org/report?id=3&x=y.", ["https://nrwa.org/report?id=3&x=y."]),
        ("Voir www.example.com/a:b, puis ftp://files.example.org/x.", ["www.example.com/a:b,", "ftp://files.example.org/x."]),
        ("HTTPS://EXAMPLE.ORG", ["HTTPS://EXAMPLE.ORG"]),
        ("no address here: http is a word", []),
    ],
)
def test_find_urls(text: str, urls: list[str]) -> None:
    assert textrules.find_urls(text) == urls


@pytest.mark.parametrize(
    ("text", "emails"),
    [
        ("Write to info@nrwa.org.", ["info@nrwa.org"]),
        ("Écrivez à jean.dupont+qa@mail.example.fr ou à x_y@a-b.co.uk !", ["jean.dupont+qa@mail.example.fr", "x_y@a-b.co.uk"]),
        ("@handle and user@localhost are not addresses", []),
    ],
)
def test_find_emails(text: str, emails: list[str]) -> None:
    assert textrules.find_emails(text) == emails
