"""Small text comparisons several checks share: empty or blank text, a copy of the source,
bracket and double-space counts, web and e-mail addresses.

These are the pofilter-style checks every localisation QA tool has; tqe keeps its own
versions so that the checks depend on nothing but the standard library.
"""

from __future__ import annotations

import re

BRACKETS = "()[]{}"

#: a web address: a scheme or ``www.``, then the characters addresses are made of; the
#: punctuation that ends a sentence is stripped by the caller
_URL = re.compile(r"(?:https?://|ftp://|www\.)[\w/.:;+\-~%#$?=&,()@!*']+", re.IGNORECASE)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}(?![\w-])")


def is_empty(source: str, translation: str) -> bool:
    """The source has text and the translation is the empty string."""
    return bool(source.strip()) and translation == ""


def is_blank(source: str, translation: str) -> bool:
    """The source has text and the translation holds only white space."""
    return bool(source.strip()) and translation != "" and not translation.strip()


def is_copy(source: str, translation: str) -> bool:
    """The translation is the source again, ignoring case and surrounding space.

    A source shorter than two characters, or one with nothing that has a lower-case form (all
    capitals, digits, symbols), may legitimately stay as it is and is never a copy.
    """
    source, translation = source.strip(), translation.strip()
    if len(source) < 2 or source.upper() == source:
        return False
    return source.casefold() == translation.casefold()


def bracket_differences(source: str, translation: str) -> list[tuple[str, int, int]]:
    """``(bracket, count in source, count in translation)`` for each bracket whose counts differ."""
    return [
        (bracket, source.count(bracket), translation.count(bracket))
        for bracket in BRACKETS
        if source.count(bracket) != translation.count(bracket)
    ]


def double_spaces_differ(source: str, translation: str) -> bool:
    """The two texts hold a different number of double spaces."""
    return source.count("  ") != translation.count("  ")


def find_urls(text: str) -> list[str]:
    """Web addresses (``http(s)://``, ``ftp://``, ``www.``) in the order they appear."""
    return _URL.findall(text)


def find_emails(text: str) -> list[str]:
    """E-mail addresses in the order they appear."""
    return _EMAIL.findall(text)
