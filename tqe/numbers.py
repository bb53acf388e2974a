"""Numbers as reports and stores want them (a finite float, or None for "no score"), and
numbers as English and French write them in words (read by the ``numbers`` check)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any


def finite_or_none(value: Any) -> float | None:
    """``value`` as a float, or None when it is missing, not a number, NaN or infinite.

    Segment scores arrive as floats, numpy scalars, None or NaN (a metric that did not run);
    JSON, SQLite and reports all need the same answer for "no score".
    """
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


# ------------------------------------------------------------------ numbers written in words
# "three", "twenty-five", "two million", "trois", "vingt et un", "quatre-vingt-dix" as values,
# so that the numbers check can compare "three" with "3" and "trois", and "three" with
# "quatre". Words too ambiguous to count as numbers on their own ("one", "first", "second";
# "un", "une", "premier", "second") still count inside a longer number ("twenty-one").

_EN_UNITS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
_EN_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_EN_ORDINALS = (
    "zeroth first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
    "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth"
).split()
_EN_TENS_ORDINALS = {word[:-1] + "ieth": value for word, value in _EN_TENS.items()}
ENGLISH_SCALES = {"hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9, "trillion": 10**12}

_FR_UNITS = (
    "zéro un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize"
).split()
_FR_TENS = {"vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60, "quatre-vingt": 80}
#: French long scale: un billion is a million million (an English trillion)
FRENCH_SCALES = {"cent": 100, "mille": 1000, "million": 10**6, "milliard": 10**9, "billion": 10**12}


def _french_ordinal(cardinal: str) -> str:
    stem = {"cinq": "cinqu", "neuf": "neuv"}.get(cardinal, cardinal.rstrip("e"))
    return stem + "ième"


def _table(language: str) -> dict[str, tuple[int, str]]:
    """Number word -> (value, kind): kind is "unit" (0-19), "tens", "scale" or "ordinal"."""
    table: dict[str, tuple[int, str]] = {}
    if language == "en":
        table.update({word: (value, "unit") for value, word in enumerate(_EN_UNITS)})
        table.update({word: (value, "tens") for word, value in _EN_TENS.items()})
        table.update({word: (value, "ordinal") for value, word in enumerate(_EN_ORDINALS)})
        table.update({word: (value, "ordinal") for word, value in _EN_TENS_ORDINALS.items()})
        for word, value in ENGLISH_SCALES.items():
            table[word] = (value, "scale")
            table[word + "th"] = (value, "ordinal")
    else:
        table.update({word: (value, "unit") for value, word in enumerate(_FR_UNITS)})
        table["une"] = (1, "unit")
        table.update({word: (value, "tens") for word, value in _FR_TENS.items()})
        table["quatre-vingts"] = (80, "tens")
        for value, word in enumerate(_FR_UNITS[2:], start=2):
            table[_french_ordinal(word)] = (value, "ordinal")
        table.update({_french_ordinal(word): (value, "ordinal") for word, value in _FR_TENS.items()})
        table["unième"] = (1, "ordinal")
        for word, value in FRENCH_SCALES.items():
            table[word] = (value, "scale")
            table[word + "s"] = (value, "scale")
            table[_french_ordinal(word)] = (value, "ordinal")
    return table


_TABLES = {language: _table(language) for language in ("en", "fr")}
#: words that are not numbers on their own: the article, "first" ("at first"), "second" (time)
_NOT_ALONE = {"en": {"one", "first", "second", "zeroth"}, "fr": {"un", "une", "premier", "première", "second", "seconde", "unième"}}
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
#: the words that can start a spelled number: a run of words of ``_NOT_ALONE`` alone is one
#: word long (none of them continues another) and is never a number
_STARTERS = {language: frozenset(_TABLES[language]) - _NOT_ALONE[language] for language in _TABLES}
_CONNECTORS = {"en": "and", "fr": "et"}
#: the words a spelled number is made of
_NUMBER_WORDS = {language: frozenset(_TABLES[language]) | {_CONNECTORS[language]} for language in _TABLES}
_LETTERS = re.compile(r"[^\W\d_]+")
#: Latin letters, punctuation and the euro sign: those that casefold to one character
#: casefold to a letter exactly when they are one, so a text of them whose casefolded form
#: is as long has its words at the same places
_LATIN = re.compile(r"[\x00-\u024f\u2000-\u206f\u20ac]*")


#: what is known of space-free pieces of text (the words of a document recur): the number words
#: of a piece, with their places in it, and whether one can start a number; False for a piece
#: not made of Latin characters that casefold to one (its words may depend on the text around)
_PIECES: dict[str, dict[str, tuple[tuple[tuple[int, int, str], ...], bool] | bool]] = {language: {} for language in _TABLES}
#: the pieces with no word that can start a number: a text made only of them has none
_CLEAN_PIECES: dict[str, set[str]] = {language: set() for language in _TABLES}
_PIECES_LIMIT = 50_000  # per language: about 10 MB at most; the frequent pieces come first


def _read_piece(piece: str, language: str) -> tuple[tuple[tuple[int, int, str], ...], bool] | bool:
    """The number words of ``piece`` (no white space) and whether one is a starter, or False
    when its letters are not all Latin ones that casefold to one character: then its words
    could differ read alone (see :func:`_number_words`)."""
    pieces = _PIECES[language]
    known = pieces.get(piece)
    if known is not None:
        return known
    lowered = piece.casefold()
    if len(lowered) != len(piece) or "quatre-vingt" in lowered or _LATIN.fullmatch(piece) is None:
        known = False
    else:
        number_words = _NUMBER_WORDS[language]
        words = tuple(
            (match.start(), match.end(), word) for match in _LETTERS.finditer(lowered) if (word := match.group()) in number_words
        )
        known = words, not _STARTERS[language].isdisjoint([word for _, _, word in words])
    if len(pieces) < _PIECES_LIMIT:
        pieces[piece] = known
        if known is not False and not known[1]:
            _CLEAN_PIECES[language].add(piece)
    return known


def _no_number_word(text: str, language: str) -> bool:
    """True when no word of ``text`` can start a number (False: it may have one)."""
    pieces = set(text.split())
    clean = _CLEAN_PIECES[language]
    if pieces <= clean:
        return True
    for piece in pieces - clean:
        known = _read_piece(piece, language)
        if known is False or known[1]:
            return False
    return True


def _number_words_by_piece(text: str, language: str) -> list[tuple[int, int, str]] | None:
    """:func:`_number_words` read piece by piece (None: a piece is not made of Latin letters)."""
    words: list[tuple[int, int, str]] = []
    starter = False
    position = 0
    pieces = _PIECES[language]
    for piece in text.split():
        known = pieces.get(piece)
        if known is None:
            known = _read_piece(piece, language)
        if known is False:
            return None
        start = text.find(piece, position)  # white space, then the piece
        position = start + len(piece)
        if known[0]:
            words.extend((start + word_start, start + word_end, word) for word_start, word_end, word in known[0])
            starter = starter or known[1]
    return words if starter else []


@dataclass(frozen=True)
class SpelledNumber:
    """A number written in words: where it is, as written, and its value."""

    start: int
    end: int
    text: str
    value: int


def _split_words(text: str, language: str) -> list[tuple[int, int, str]]:
    """Words of ``text`` with their offsets; hyphenated number words ("twenty-five",
    "dix-sept") split, while "quatre-vingt(s)" stays one word."""
    words = []
    for match in _WORD.finditer(text):
        lowered = match.group(0).casefold()
        if "quatre-vingt" in lowered:
            lowered = lowered.replace("quatre-vingt", "quatre_vingt")
        offset = match.start()
        for part in lowered.split("-"):
            words.append((offset, offset + len(part), part.replace("_", "-")))
            offset += len(part) + 1
    return words


def _number_words(text: str, language: str) -> list[tuple[int, int, str]]:
    """The words of :func:`_split_words` that are number words or the connector ("and",
    "et"); none when no word can start a number. Leaving the other words out changes no
    number: between two words that were not neighbours there is a word, which ends a number."""
    lowered = text.casefold()
    if len(lowered) == len(text) and "quatre-vingt" not in lowered and _LATIN.fullmatch(text):
        # the words are the casefolded text's runs of letters, at the same places
        if _STARTERS[language].isdisjoint(_LETTERS.findall(lowered)):
            return []
        return [
            (match.start(), match.end(), word)
            for match in _LETTERS.finditer(lowered)
            if (word := match.group()) in _NUMBER_WORDS[language]
        ]
    # most sentences have no number word: one look at all their words at once says so
    joined = " ".join(_WORD.findall(text)).casefold()
    if "quatre-vingt" not in joined and _STARTERS[language].isdisjoint(joined.replace("-", " ").split(" ")):
        return []
    return [word for word in _split_words(text, language) if word[2] in _NUMBER_WORDS[language]]


def spelled_numbers(text: str, language: str) -> list[SpelledNumber]:
    """Numbers written in words in ``text`` (``language``: "en" or "fr"), with their values.

    A scale word alone counts only as "a hundred/thousand/million…" in English and "cent" or
    "mille" in French ("des millions", "45 pour cent" and "3 millions" are not spelled
    numbers: the last one is read with its digits)."""
    table, not_alone = _TABLES[language], _NOT_ALONE[language]
    connector = _CONNECTORS[language]
    if _no_number_word(text, language):
        return []
    words = _number_words_by_piece(text, language)
    if words is None:
        words = _number_words(text, language)
    numbers: list[SpelledNumber] = []
    index = 0
    while index < len(words):
        if words[index][2] not in table:
            index += 1
            continue
        run = [index]
        position = index + 1
        while position < len(words):
            gap = text[words[position - 1][1] : words[position][0]]
            if gap.strip(" -\u00a0") or len(gap) > 2:
                break
            word = words[position][2]
            if word == connector and position + 1 < len(words) and words[position + 1][2] in table:
                # "hundred and five", "vingt et un", "soixante et onze"; not "two and three"
                previous = table[words[position - 1][2]]
                following = table[words[position + 1][2]]
                if (language == "en" and previous[1] == "scale") or (
                    language == "fr" and previous[1] == "tens" and following[0] in (1, 11)
                ):
                    position += 1
                    continue
                break
            if word not in table or not _follows(table[words[run[-1]][2]], table[word], language):
                break
            run.append(position)
            position += 1
        index = position
        parts = [words[i][2] for i in run if words[i][2] != connector]
        if len(parts) == 1 and parts[0] in not_alone:
            continue
        start, end = words[run[0]][0], words[run[-1]][1]
        before = text[:start].rstrip()
        if table[parts[0]][1] == "scale":
            if before[-1:].isdigit() or re.search(r"(?:\d[\d.,]*\s*(?:k|m|M|bn)?)$", before):
                continue  # "3 millions", "2,5 milliards": read with the digits
            if language == "en" and not re.search(r"(?i)\ba$", before):
                continue  # "hundreds", "million" without "a"
            if language == "fr" and (parts[0] not in ("cent", "mille") or re.search(r"(?i)\bpour$", before)):
                continue  # "des millions", "pour cent"
            if language == "en":
                start = len(before) - 1
        value = _combine([table[part][0] for part in parts], [table[part][1] for part in parts])
        numbers.append(SpelledNumber(start, end, text[start:end], value))
    return numbers


def _follows(previous: tuple[int, str], word: tuple[int, str], language: str) -> bool:
    """Whether number word ``word`` continues the number that ends with ``previous``:
    "twenty-five", "two hundred", "hundred and five", "dix-sept", "soixante-douze"; not
    "second three" (a second three-year term) nor "un deuxième"."""
    (before, before_kind), (value, kind) = previous, word
    if before_kind == "ordinal":
        return False
    if kind == "scale" or (kind == "ordinal" and value >= 100):
        return before_kind != "scale" or before < value
    if before_kind == "scale":
        return True
    if before_kind == "tens":
        limit = 20 if language == "fr" and before in (60, 80) else 10  # soixante-douze, quatre-vingt-dix
        return kind != "tens" and value < limit
    return language == "fr" and before == 10 and kind != "tens" and 7 <= value <= 9  # dix-sept


def _combine(values: list[int], kinds: list[str]) -> int:
    """The value of number words in order: units and tens add up, scales multiply what
    precedes them ("two hundred thousand" = 200 000, "quatre-vingt-dix" = 90)."""
    total = current = 0
    for value, kind in zip(values, kinds):
        if kind == "scale" or (kind == "ordinal" and value >= 100):
            if value == 100:
                current = (current or 1) * 100
            else:
                total += (current or 1) * value
                current = 0
        else:
            current += value
    return total + current
