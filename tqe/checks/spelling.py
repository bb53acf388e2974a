"""``spelling``: French words that look misspelled ("renouveller", "developpement").

The dictionary is pyspellchecker's French list (MIT, built from OpenSubtitles word counts,
140,000 words); wordfreq's French frequencies decide when a word outside it is a typo. A
word is flagged (minor) only when all of these hold:

- neither the dictionary has it nor is it common in French (Zipf < 3.0: rarer than about
  one in a million words): technical words the list misses ("hydrologue",
  "microplastiques", "blanchissement") are in wordfreq or have no near neighbour;
- the dictionary offers a correction one or two edits away that is at least 30 times more
  frequent (1.5 on the Zipf scale): "renouveller" (2.6) -> "renouveler" (3.6);
- it is not a name (capitalised or in capitals), a number, a hyphenated compound, a word of
  the source, a glossary or do-not-translate term, an address or code, nor a word that leans
  English (``english-words`` reports those); an elided article ("l'", "qu'") is removed
  first, and a word with letters French does not use (mojibake: ``encoding``) is skipped.

Measured false alarms: 0 flagged segments out of 123 clean ones (the sample reference, the
alignment test corpus and the news passage of the tests: about 2,100 words) and 0 out of the
255 clean segments of the labelled flag set, so the check runs by default. Jargon, neologisms
and lower-case brand names a real document meets go into a project dictionary (``dictionary
= "words.txt"`` under ``[glossary]``: one word per line), which this check and
``english-words`` accept. Hunspell-based spell checkers need enchant and a system dictionary,
which a plain ``pip install`` does not bring, so they are not used.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

from tqe.checks.base import CheckContext, Flag
from tqe.checks.presence import language_free

if TYPE_CHECKING:  # pragma: no cover
    from spellchecker import SpellChecker

#: a word this common in French (Zipf scale: 2.5 is about one in three million words) is not
#: a typo, unless it only differs from a far more frequent word by accents or doubled letters
MAX_FRENCH_ZIPF = 2.5
#: a correction one edit away must be this much more frequent (1.5: about 30 times)…
MIN_CORRECTION_LEAD = 1.5
#: …one that only adds accents or doubles a letter, this much (1.0: ten times)
MIN_KEY_CORRECTION_LEAD = 1.0

_TOKEN = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_ELISION = re.compile(r"^(?:[ldjmnstc]|qu|jusqu|lorsqu|puisqu|quoiqu|presqu)['’]", re.IGNORECASE)
_DOUBLED = re.compile(r"(.)\1")
_BARE = str.maketrans("àâäçéèêëîïôöùûüÿ", "aaaceeeeiioouuuy")
_FRENCH_LETTERS = re.compile(r"^[a-zàâäçéèêëîïôöùûüÿœæ]+$")


@lru_cache(maxsize=1)
def french_dictionary() -> SpellChecker:
    """pyspellchecker's French dictionary, loaded on first use (about a second)."""
    from spellchecker import SpellChecker

    return SpellChecker(language="fr", distance=1)


def spelling_key(word: str) -> str:
    """``word`` without accents and doubled letters: what a typist most often gets wrong
    ("developpement", "renouveller" and "professionelle" share the key of the right word)."""
    return _DOUBLED.sub(_first_letter, word.translate(_BARE))


def _first_letter(match: re.Match[str]) -> str:
    """``_DOUBLED``'s replacement, as a function: faster than re's ``\\1`` template."""
    return match.group(1)


@lru_cache(maxsize=1)
def _by_key() -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    for word in french_dictionary().word_frequency.keys():
        index.setdefault(spelling_key(word), []).append(word)
    return {key: tuple(words) for key, words in index.items()}


@lru_cache(maxsize=20_000)
def correction(word: str) -> str | None:
    """The likely correct spelling of a lower-case French ``word``, or None when it looks right."""
    from tqe.language import zipf

    dictionary = french_dictionary()
    if word in dictionary:
        return None
    if zipf(word, "en") >= 3.0 and zipf(word, "en") - zipf(word, "fr") >= 0.9:
        return None  # an English word: english-words decides about it
    candidates = set(_by_key().get(spelling_key(word), ())) - {word}
    lead = MIN_KEY_CORRECTION_LEAD
    if not candidates:
        if zipf(word, "fr") >= MAX_FRENCH_ZIPF:
            return None
        candidates = (dictionary.candidates(word) or set()) - {word}
        lead = MIN_CORRECTION_LEAD
    best = max(sorted(candidates), key=lambda candidate: zipf(candidate, "fr"), default=None)
    if best is None or zipf(best, "fr") - zipf(word, "fr") < lead:
        return None
    return best


def misspellings(source: str, translation: str, protected: Iterable[str] = (),
                 accepted: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
    """(word, correction) for each word of ``translation`` that looks misspelled; ``accepted``
    holds the project dictionary's words (casefolded)."""
    return _misspellings(source, translation, _term_words(protected), accepted)


def _misspellings(source: str, translation: str, protected_words: set[str] | frozenset[str],
                  accepted: frozenset[str]) -> list[tuple[str, str]]:
    skip: set[str] | None = None  # most sentences have nothing to skip: built when needed
    found: list[tuple[str, str]] = []
    for misspelt in filter(None, map(_chunk_misspellings, language_free(translation).split())):
        for word, folded, token_folded, fixed in misspelt:
            if skip is None:
                skip = {source_word.casefold().replace("’", "'") for source_word in _TOKEN.findall(source)}
                skip.update(protected_words)
            if folded in skip or token_folded in skip or folded in accepted or token_folded in accepted:
                continue
            if (word, fixed) not in found:
                found.append((word, fixed))
    return found


@lru_cache(maxsize=65536)
def _chunk_misspellings(chunk: str) -> tuple[tuple[str, str, str, str], ...]:
    """(word, casefolded word, casefolded token, correction) for each word of a space-free
    piece of text that looks misspelled, wherever it is (no token holds a space, so a text's
    tokens are its pieces'). Cached: a document repeats its words."""
    found = []
    for token in _TOKEN.findall(chunk):
        candidate = _candidate(token)
        if candidate is not None and (fixed := correction(candidate[1])):
            found.append((*candidate, fixed))
    return tuple(found)


@lru_cache(maxsize=65536)
def _candidate(token: str) -> tuple[str, str, str] | None:
    """(word, casefolded word, casefolded token) of a token the check looks up: its elided
    article removed; None for a name, a compound, a short word or one with letters French does
    not use. Cached: a document repeats its words."""
    elision = _ELISION.match(token)
    word = token[elision.end():] if elision else token
    folded = word.casefold()
    if not word or word[0].isupper() or "-" in word or not _FRENCH_LETTERS.match(folded) or len(folded) < 3:
        return None
    return word, folded, token.casefold()


def _term_words(terms: Iterable[str]) -> set[str]:
    return {word.casefold() for term in terms for word in _TOKEN.findall(term)}


class _Same:
    """A key that a cache compares by identity: a document's glossary is one tuple, which
    would hash in time proportional to its length on every segment."""

    __slots__ = ("value",)

    def __init__(self, value: object) -> None:
        self.value = value

    def __hash__(self) -> int:
        return id(self.value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Same) and other.value is self.value


@lru_cache(maxsize=4)
def _protected_words(dnt_terms: _Same, glossary: _Same) -> frozenset[str]:
    """The casefolded words of the do-not-translate terms and glossary targets, once per document."""
    targets = [target for entry in glossary.value for target in entry.targets]  # type: ignore[attr-defined]
    return frozenset(_term_words((*dnt_terms.value, *targets)))  # type: ignore[misc]


def check_spelling(source: str, translation: str, ctx: CheckContext) -> list[Flag]:
    """French words that look misspelled, each with its likely correction (minor)."""
    if not translation.strip():
        return []
    found = _misspellings(source, translation, _protected_words(_Same(ctx.dnt_terms), _Same(ctx.glossary)),
                         ctx.accepted_words)
    if not found:
        return []
    words = "; ".join(f"'{word}' (did you mean '{fixed}'?)" for word, fixed in found[:5])
    more = f"; and {len(found) - 5} more" if len(found) > 5 else ""
    noun = "misspellings" if len(found) > 1 else "misspelling"
    return [ctx.flag("spelling", "minor", f"possible {noun}: {words}{more}")]
