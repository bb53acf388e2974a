"""Which language a word or a whole document is in, from word frequencies (wordfreq).

wordfreq (code Apache-2.0, frequency data CC BY-SA 4.0) gives each word's frequency in many
languages on the Zipf scale (log10 of occurrences per billion words: 7 for "the", 3 for a
word met once in a million, 0 for an unknown word). Comparing a word's English and French
frequencies tells an English word left in a French sentence ("settings": 4.2 in English,
2.2 in French) from a loanword French really uses ("parking": 4.5 and 4.2). Summed over a
whole document, the same numbers tell which language the document is in: a unigram
naive-Bayes guess among a handful of languages, which on a page of text is as sure as a
language identifier and needs no model download.

:func:`document_languages` is the guardrail of the flag stage: a translation that is not
French or a source that is not English gives one warning (and the checks that assume those
languages do not run) instead of hundreds of flags; a translation with nothing French in it,
two files swapped among them, is an :class:`~tqe.errors.InputError`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from tqe.errors import InputError

#: the languages a document is compared against (a few, for speed; each is a wordfreq list)
LANGUAGES: dict[str, str] = {
    "en": "English",
    "fr": "French",
    "de": "German",
    "es": "Spanish",
    "it": "Italian",
    "pt": "Portuguese",
    "nl": "Dutch",
}

#: checks that read the translation as French (its words, spelling, typography, formats)
FRENCH_TARGET_CHECKS = frozenset(
    {"typography", "english-words", "spelling", "polarity", "polarity-reference", "glossary", "numbers"}
)
#: checks that read the source as English (its words, names, number formats, negations)
ENGLISH_SOURCE_CHECKS = frozenset({"english-words", "spelling", "polarity", "glossary", "numbers", "named-entities"})

#: a document needs this many words before its language is judged
MIN_DOCUMENT_WORDS = 20
#: a segment needs this many words to count as "French" for the nothing-French test
MIN_SEGMENT_WORDS = 4
#: another language must be this much more likely per word (Zipf units: 0.5 is about three
#: times) than the expected one; a German, Spanish or English page beats French by about 2
MIN_MARGIN = 0.5
#: the Zipf value given to a word a language's short list does not have (it stops near 3)
_UNKNOWN_ZIPF = 2.0
#: a longer document is first judged on this many of its segments, spread evenly over it:
#: looking up every distinct word of a long document in seven word lists takes seconds
SAMPLE_SEGMENTS = 1000
#: the sample's answer stands when none of its comparisons is closer than this (Zipf units
#: per word) to going the other way: about five standard errors of the mean of a thousand
#: segments, even of a document half English, half French. A document in the expected
#: language is clear by MIN_MARGIN; closer calls are judged on every segment
SAMPLE_DOUBT = 0.3

_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")


@lru_cache(maxsize=200_000)
def zipf(word: str, language: str, wordlist: str = "best") -> float:
    """The Zipf frequency of ``word`` (any case) in ``language``; 0.0 when wordfreq has none.

    ``wordlist="small"`` reads wordfreq's short lists (words above about 1 in a million),
    which load in a hundredth of a second instead of about half a second per language.
    """
    from wordfreq import zipf_frequency

    return float(zipf_frequency(word.replace("’", "'"), language, wordlist=wordlist))


def words(text: str) -> list[str]:
    """The words of ``text`` (letters, with inner hyphens and apostrophes), as written."""
    return _WORD.findall(text)


def _scores(tokens: Sequence[str]) -> dict[str, float]:
    """Log-likelihood of ``tokens`` in each language (higher is more likely).

    Each distinct word is looked up once; the sum still adds one value per token in text
    order, so it is the same float as adding them as they come."""
    distinct = set(tokens)
    scores = {}
    for language in LANGUAGES:
        value = {token: max(zipf(token, language, "small"), _UNKNOWN_ZIPF) for token in distinct}
        scores[language] = sum(map(value.__getitem__, tokens))
    return scores


def guess_language(texts: Sequence[str], min_words: int = MIN_DOCUMENT_WORDS, expected: str | None = None) -> str | None:
    """The most likely of :data:`LANGUAGES` for all ``texts`` together; None when they have
    fewer than ``min_words`` words (too little to judge). With ``expected``, another language
    must beat it clearly (by :data:`MIN_MARGIN` per word) to be the answer."""
    guess = _guess(texts, min_words, expected)
    return guess[0] if guess is not None else None


def _guess(texts: Sequence[str], min_words: int, expected: str | None) -> tuple[str, float] | None:
    """:func:`guess_language`'s answer and how far (Zipf units per word) the closest of the
    comparisons it made is from going the other way; None with too few words."""
    tokens = [token.casefold() for text in texts for token in words(text)]
    if len(tokens) < min_words:
        return None
    scores = _scores(tokens)
    best = max(scores, key=scores.__getitem__)
    lead = min((scores[best] - score for language, score in scores.items() if language != best), default=0.0)
    margin = (scores[best] - scores[expected]) / len(tokens) if expected is not None else math.inf
    if margin < MIN_MARGIN:
        return str(expected), MIN_MARGIN - margin
    return best, min(margin - MIN_MARGIN, lead / len(tokens))


@dataclass(frozen=True)
class DocumentLanguages:
    """The languages guessed for a document's source and translation (None: too little text)."""

    source: str | None
    translation: str | None

    @property
    def source_ok(self) -> bool:
        return self.source in (None, "en")

    @property
    def translation_ok(self) -> bool:
        return self.translation in (None, "fr")

    @property
    def skipped_checks(self) -> frozenset[str]:
        """The checks that must not run because a side is not in the language they read."""
        skipped: frozenset[str] = frozenset()
        if not self.translation_ok:
            skipped |= FRENCH_TARGET_CHECKS
        if not self.source_ok:
            skipped |= ENGLISH_SOURCE_CHECKS
        return skipped

    @property
    def problem(self) -> str | None:
        """What is wrong, in a few words ("the translation reads as German, not French"); None
        when both sides are in the expected language or too short to judge."""
        problems = []
        if not self.source_ok:
            problems.append(f"the source reads as {LANGUAGES[str(self.source)]}, not English")
        if not self.translation_ok:
            problems.append(f"the translation reads as {LANGUAGES[str(self.translation)]}, not French")
        return " and ".join(problems) or None


def document_languages(sources: Sequence[str], translations: Sequence[str]) -> DocumentLanguages:
    """Guess the language of a whole source and a whole translation (see :func:`_document_languages`).

    The scoring pipeline asks before scoring and the flag stage again: the last answer is kept."""
    return _document_languages(tuple(sources), tuple(translations))


def _document_language(texts: tuple[str, ...], expected: str) -> str | None:
    """``guess_language(texts, expected=expected)``, from an even sample of a long document
    when the sample's answer is clear by :data:`SAMPLE_DOUBT` (it is for a document in one
    language)."""
    if len(texts) > SAMPLE_SEGMENTS:
        guess = _guess(texts[:: -(-len(texts) // SAMPLE_SEGMENTS)], MIN_DOCUMENT_WORDS, expected)
        if guess is not None and guess[1] >= SAMPLE_DOUBT:
            return guess[0]
    return guess_language(texts, expected=expected)


@lru_cache(maxsize=1)
def _document_languages(sources: tuple[str, ...], translations: tuple[str, ...]) -> DocumentLanguages:
    """Guess the language of a whole source and a whole translation (not segment by segment;
    a long one from a sample of its segments when that is clear, see :data:`SAMPLE_SEGMENTS`).

    Raises InputError when the translation is long enough to judge and not one of its
    segments reads as French: the wrong file was given (or the two files were swapped).
    """
    languages = DocumentLanguages(_document_language(sources, "en"), _document_language(translations, "fr"))
    if languages.translation_ok:
        return languages
    if not any(guess_language([text], MIN_SEGMENT_WORDS, expected="fr") == "fr" for text in translations):
        found = LANGUAGES[str(languages.translation)]
        if languages.source == "fr":
            raise InputError(
                f"the translation reads as {found} and the source as French: the two files look "
                "swapped; give the English source first and the French translation second"
            )
        raise InputError(
            f"the translation has no French text (it reads as {found}); give a French translation of the English source"
        )
    return languages
