"""``encoding`` skips ftfy on texts without a character that mojibake needs: that quick test
must never hide a text ftfy would call garbled."""

from __future__ import annotations

import itertools
import re

import pytest
from ftfy import badness

from tqe.checks import CheckContext
from tqe.checks.encoding import _SUSPECT, MOJIBAKE_CHARACTERS, check_encoding

try:  # Python 3.11+
    import re._constants as sre_constants
    import re._parser as sre_parse
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

_LISTED = re.compile("[" + MOJIBAKE_CHARACTERS + "]")


def _characters(op, argument) -> set[str] | None:
    """The characters one position of a pattern accepts, or None when it is not a plain set."""
    if op == sre_constants.LITERAL:
        return {chr(argument)}
    if op != sre_constants.IN:
        return None
    characters: set[str] = set()
    for item, value in argument:
        if item == sre_constants.LITERAL:
            characters.add(chr(value))
        elif item == sre_constants.RANGE:
            characters.update(map(chr, range(value[0], value[1] + 1)))
        else:  # a negated set or a category (\w, \s): not a plain set
            return None
    return characters


def _branches():
    parsed = sre_parse.parse(badness.BADNESS_RE.pattern, badness.BADNESS_RE.flags)
    (op, (_, branches)), = parsed.data
    assert op == sre_constants.BRANCH
    return branches


def test_every_ftfy_pattern_needs_a_listed_character():
    branches = _branches()
    assert len(branches) > 20
    for branch in branches:
        # each position of a branch (not a repeat) must be matched: one whose characters are
        # all listed means no text without a listed character matches the branch
        positions = [characters for op, argument in branch.data
                     if (characters := _characters(op, argument)) is not None]
        assert any(all(_LISTED.match(character) for character in characters) for characters in positions), \
            branch


def test_no_garbled_pair_escapes_the_quick_test():
    alphabet = {character for branch in _branches() for op, argument in branch.data
                if (characters := _characters(op, argument)) is not None for character in characters}
    alphabet |= {chr(code) for code in range(32, 127)} | set("éèêàçîôûùœ«»’\u00a0\u202f")
    garbled = [first + second for first, second in itertools.product(sorted(alphabet), repeat=2)
               if badness.is_bad(first + second)]
    assert len(garbled) > 1000
    assert [pair for pair in garbled if not _SUSPECT.search(pair)] == []


@pytest.mark.parametrize("translation", [
    "Le café est fermé.",
    "« Quelle journée ! » a-t-il dit à l'équipe, le 3 août.",
    "Œuvre d’art — 25 °C, 12,5 % de hausse.",
])
def test_clean_french_is_not_flagged(translation):
    assert check_encoding("The café is closed.", translation, CheckContext()) == []


@pytest.mark.parametrize("translation, found", [
    ("Le cafÃ© est fermÃ©.", "garbled characters 'cafÃ©' (probably 'café')"),
    ("Le caf\ufffd est ferm\ufffd.", "replacement characters"),
    ("Le café\x07 est fermé.", "invisible control characters"),
])
def test_broken_french_is_flagged(translation, found):
    flags = check_encoding("The café is closed.", translation, CheckContext())
    assert len(flags) == 1 and found in flags[0].message
