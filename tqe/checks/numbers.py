"""``numbers``: the numbers of the source must appear in the translation, compared by value.

translate-toolkit's ``numbers`` check is not used: it compares digit strings, so it reports
"3.5%" -> "3,5 %" as different numbers and sees no difference between "50,000" and "50 000"
only by accident (it looks for "50" and "000" separately). English and French write the same
value differently (50,000 = 50 000 = 50 000 with a no-break space; 3.5 = 3,5; 3 p.m. = 15 h),
so this check parses each number into a value and compares values. A number written in the
English way inside the French translation ("1,500", "3.5") matches its value but gets a minor
flag, because a French reader takes "1,500" for one and a half.

A number's value includes the scale written after it ("$1 trillion" = "1 000 milliards de
dollars"; "$1.2bn" = "1,2 Md$"; French "billion" is an English trillion), and numbers written
in words are read too (three = 3 = trois, twenty-first = 21, quatre-vingt-dix = 90; see
:func:`tqe.numbers.spelled_numbers`). Decades match both French forms (the 1990s = les
années 1990 = les années 90). Two joined numbers may share one scale word ("$2.1 billion and
$2.3 billion" = "2,1 et 2,3 milliards"); the zero minutes of a time are no number ("2:00
a.m." = "2 h"); a version keeps its dot ("version 2.3", "Ubuntu 24.04"); an imperial measure
may be converted and rounded ("5 miles" = "8 km", "100°F" = "38 °C").
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from decimal import Decimal

import tqe.checks.textrules as textrules
from tqe.checks.base import CheckContext, Flag, fold, shown, word_list
from tqe.numbers import spelled_numbers

_GROUP_SPACES = "\u00a0\u202f\u2009\u2007"  # no-break, narrow no-break, thin, figure space


@dataclass(frozen=True)
class Number:
    """A number as written, the values it may mean in its language, and values it would mean
    if it were (wrongly) written the English way in French text. A ``spelled`` number is
    written in words ("three", "trois"): it matches digits and words of the other side, but
    is reported only when the other side has a different number too (words such as "both" ->
    "les deux" make a spelled number appear without any error)."""

    text: str
    values: frozenset[Decimal]
    english_values: frozenset[Decimal] = frozenset()
    spelled: bool = False
    unit: str = ""  # a unit of measure written after it, as a key of the conversion tables

    def shown(self) -> str:
        """The number as a message quotes it; with its value when it says billion or trillion
        ("1 billion (1 000 000 000)": French reads billion as a million million)."""
        text = shown(self.text)
        values = self.values or self.english_values
        if len(values) == 1 and re.search(r"(?i)(?:b|tr)illion", text) and not self.spelled:
            return f"{text} ({french_format(next(iter(values)))})"
        return text


# scale words and letters after digits: "$1 trillion", "1.2bn", "5k", "£3.2m"; "m" and "k"
# may also be metres and kilometres ("100m race"), so those keep the bare value too
_ENGLISH_SCALE = re.compile(
    r"(?:[ \u00a0-](?P<word>thousand|million|billion|trillion)s?\b|\s?(?P<strict>bn|tn)\b|(?P<letter>[kKmM])\b)"
)
_ENGLISH_SCALE_VALUES = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12,
                         "bn": 10**9, "tn": 10**12, "k": 10**3, "m": 10**6}
# French: "1 000 milliards", "1,2 milliard", "3 M$", "1,2 Md$", "5 k€"; un billion is 10^12
_FRENCH_SCALE = re.compile(
    rf"(?:[ {_GROUP_SPACES}](?P<word>mille|millions?|milliards?|billions?)\b"
    rf"|[ {_GROUP_SPACES}]?(?P<strict>Mds?|Mrds?|G(?=\s?[$€£]))(?![^\W\d_])"
    rf"|[ {_GROUP_SPACES}]?(?P<letter>[kM])(?=\s?[$€£]))"
)
_FRENCH_SCALE_VALUES = {"mille": 10**3, "million": 10**6, "milliard": 10**9, "billion": 10**12,
                        "md": 10**9, "mds": 10**9, "mrd": 10**9, "mrds": 10**9, "g": 10**9, "k": 10**3, "m": 10**6}


def _scaled(number: Number, text: str, end: int, pattern: re.Pattern[str], scales: dict[str, int]) -> tuple[Number, int]:
    """``number`` times the scale word or letter written right after it (at ``end``)."""
    number, end, _ = _scaled_by(number, text, end, pattern, scales)
    return number, end


def _scaled_by(
    number: Number, text: str, end: int, pattern: re.Pattern[str], scales: dict[str, int]
) -> tuple[Number, int, int | None]:
    """:func:`_scaled`, with the factor of the scale word (None without one)."""
    scale = pattern.match(text, end)
    if scale is None:
        return number, end, None
    name = next(group for group in ("word", "strict", "letter") if scale.group(group))
    written = scale.group(name)
    factor = scales[written.casefold().rstrip("s") if name == "word" else written.casefold()]
    keep = name == "letter"  # "5k" may be 5 km, "100m" 100 metres

    def times(values: frozenset[Decimal]) -> frozenset[Decimal]:
        scaled = {(value * factor).normalize() for value in values}
        return frozenset(scaled | set(values)) if keep else frozenset(scaled)

    scaled_number = Number(number.text + text[end : scale.end()], times(number.values), times(number.english_values))
    return scaled_number, scale.end(), None if keep else factor


#: words joining two numbers that may share the scale word written after the second one:
#: "$2.1 billion and $2.3 billion" = "2,1 et 2,3 milliards", "between 2 and 3 million"
_SHARED_SCALE_JOINS = {"en": re.compile(r"[\s$€£]*(?:and|to|or|-|–)[\s$€£]*", re.IGNORECASE),
                       "fr": re.compile(r"\s*(?:et|à|ou|-|–)\s*")}


def _share_scales(found: list[tuple[Number, int, int, int | None]], text: str, language: str) -> list[Number]:
    """The numbers of ``found`` (number, start, end, scale factor); a number without a scale
    that is joined to a scaled one may also carry its scale ("2,1 et 2,3 milliards" reads
    2,1 milliards too)."""
    numbers = []
    for index, (number, _, end, factor) in enumerate(found):
        if factor is None and index + 1 < len(found):
            following, start, _, following_factor = found[index + 1]
            if following_factor is not None and _SHARED_SCALE_JOINS[language].fullmatch(text[end:start]):
                number = replace(
                    number,
                    values=number.values | {(value * following_factor).normalize() for value in number.values},
                    english_values=number.english_values | {(value * following_factor).normalize() for value in number.english_values},
                )
        numbers.append(number)
    return numbers


def _zero_minutes(text: str, start: int, written: str) -> bool:
    """Whether ``written`` at ``start`` is the ``00`` of a time ("2:00 a.m.", "14 h 00"):
    no number of its own, since French writes "2 h" and English "2 a.m." as well."""
    return written == "00" and re.search(r"\d(?::|\s?h\s?)$", text[:start]) is not None


@functools.lru_cache(maxsize=4096)
def _value(digits: str) -> Decimal:
    return Decimal(digits).normalize() if digits else Decimal(0)


@functools.lru_cache(maxsize=4096)
def _english_reading(written: str) -> tuple[Decimal, "Number", bool, bool]:
    """What the digits ``written`` say alone: their value, that value as a number, whether it
    may be an hour (1 to 12) and whether it may be a decade ("1990", "90")."""
    value = _value(_ENGLISH_GROUPING.sub("", written))
    return value, Number(written, frozenset({value})), 1 <= value <= 12, _DECADE.fullmatch(written) is not None


_ENGLISH_NUMBER = re.compile(
    rf"""(?<![\d])(?:
        (?P<comma>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?)        # 50,000  1,234.5
      | (?P<spaced>\d{{1,3}}(?:[{_GROUP_SPACES}]\d{{3}})+(?:\.\d+)?)  # 50 000 (SI style)
      | (?P<decimal>\d+\.\d+)                              # 3.5
      | (?P<integer>\d+)                                   # 2024, 3rd, G7
    )(?![\d])""",
    re.VERBOSE,
)
_CLOCK = re.compile(r"(?::\d{2})?\s*(?P<half>[ap])\.?\s?m\b\.?", re.IGNORECASE)
_ENGLISH_GROUPING = re.compile(rf"[,{_GROUP_SPACES}]")
_NOT_DIGIT = re.compile(r"\D")
_COMMA_THOUSANDS = re.compile(r"\d{1,3},\d{3}")
_DOT_THOUSANDS = re.compile(r"\d{1,3}\.\d{3}")
_SEASON = re.compile(r"(?<!\d)(\d\d)\d\d[-–/]$")  # "2022-" before "23"
_DECADE = re.compile(r"\d?\d?\d0")
_DECADE_S = re.compile(r"['’]?s\b")
#: the characters a match of _ENGLISH_NUMBER or _FRENCH_NUMBER can start with
_DIGIT = re.compile(r"\d")
_DIGIT_OR_ROMAN = re.compile(r"[\dIVXLC]")


def _matches(pattern: re.Pattern[str], starts: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)``, trying ``pattern`` only where ``starts`` finds a character
    its matches can start with: a pattern that opens with a look-behind is otherwise tried,
    and its alternatives with it, at every character of the text."""
    position = 0
    while (start := starts.search(text, position)) is not None:
        match = pattern.match(text, start.start())  # its look-behind still sees the text before
        if match is None:
            position = start.start() + 1
        else:
            yield match
            position = match.end()


# ------------------------------------------------------------------ converted units of measure
# A translation for French readers may convert imperial units ("5 miles" -> "8 km", "100°F" ->
# "38 °C"); the converted number is rounded, so it matches within CONVERSION_TOLERANCE.

_IMPERIAL_UNIT = re.compile(
    r"[ \u00a0-]?(?P<unit>miles?|mi\b|feet|foot|ft\b|inch(?:es)?|in\.|yards?|yd\b|pounds?|lbs?\b|"
    r"fluid ounces?|fl\.? ?oz\b|ounces?|oz\b|"
    r"gallons?|gal\b|acres?|square (?:feet|foot|miles?)|sq\.? ?ft\b|°\s?F\b|degrees Fahrenheit)",
    re.IGNORECASE,
)
_METRIC_UNIT = re.compile(
    rf"[ {_GROUP_SPACES}]?(?P<unit>km²|m²|km|kilomètres?|mètres? carrés?|mètres?|cm|centimètres?|mm|m\b|"
    r"kg|kilos?|kilogrammes?|grammes?|g\b|litres?|l\b|L\b|ml|mL|cl|cL|dl|centilitres?|millilitres?|hectares?|ha\b|"
    r"°\s?C\b|degrés(?: Celsius)?)"
)
#: imperial unit -> (metric unit, factor); Fahrenheit is converted apart
_TO_METRIC = {
    "mile": ("m", Decimal("1609.344")), "foot": ("m", Decimal("0.3048")), "inch": ("m", Decimal("0.0254")),
    "yard": ("m", Decimal("0.9144")), "pound": ("g", Decimal("453.59237")), "ounce": ("g", Decimal("28.349523")),
    "fluid ounce": ("l", Decimal("0.0295735296")),
    "gallon": ("l", Decimal("3.785411784")), "acre": ("m²", Decimal("4046.8564224")),
    "square foot": ("m²", Decimal("0.09290304")), "square mile": ("m²", Decimal("2589988.110336")),
}
#: metric unit as written -> (base unit, factor)
_METRIC_FACTORS = {
    "km": ("m", Decimal(1000)), "kilomètre": ("m", Decimal(1000)), "m": ("m", Decimal(1)), "mètre": ("m", Decimal(1)),
    "cm": ("m", Decimal("0.01")), "centimètre": ("m", Decimal("0.01")), "mm": ("m", Decimal("0.001")),
    "kg": ("g", Decimal(1000)), "kilo": ("g", Decimal(1000)), "kilogramme": ("g", Decimal(1000)),
    "g": ("g", Decimal(1)), "gramme": ("g", Decimal(1)), "l": ("l", Decimal(1)), "litre": ("l", Decimal(1)),
    "ml": ("l", Decimal("0.001")), "cl": ("l", Decimal("0.01")), "dl": ("l", Decimal("0.1")),
    "centilitre": ("l", Decimal("0.01")), "millilitre": ("l", Decimal("0.001")), "km²": ("m²", Decimal(10**6)), "m²": ("m²", Decimal(1)),
    "mètre carré": ("m²", Decimal(1)), "hectare": ("m²", Decimal(10**4)), "ha": ("m²", Decimal(10**4)),
    "°c": ("°c", Decimal(1)), "degrés": ("°c", Decimal(1)), "degrés celsius": ("°c", Decimal(1)),
}
#: a converted value is rounded by the translator: "5 miles" (8.05 km) -> "8 km"
CONVERSION_TOLERANCE = Decimal("0.06")


def _imperial_key(written: str) -> str:
    unit = re.sub(r"\s+", " ", written.casefold().rstrip("."))
    if "f" in unit and ("°" in unit or "fahrenheit" in unit):
        return "°f"
    for key, forms in (("square foot", ("square feet", "square foot", "sq ft", "sq. ft", "sqft")),
                       ("square mile", ("square mile", "square miles")), ("mile", ("mile", "miles", "mi")),
                       ("foot", ("feet", "foot", "ft")), ("inch", ("inch", "inches", "in")), ("yard", ("yard", "yards", "yd")),
                       ("pound", ("pound", "pounds", "lb", "lbs")), ("ounce", ("ounce", "ounces", "oz")),
                       ("fluid ounce", ("fluid ounce", "fluid ounces", "fl oz", "fl. oz", "fl.oz")),
                       ("gallon", ("gallon", "gallons", "gal")), ("acre", ("acre", "acres"))):
        if unit in forms:
            return key
    return ""


def _metric_key(written: str) -> str:
    unit = re.sub(r"\s+", " ", written.casefold())
    unit = re.sub(r"^°\s?c$", "°c", unit)
    if unit not in _METRIC_FACTORS and unit.endswith("s"):
        unit = unit[:-1]
    unit = unit.replace("mètres carré", "mètre carré")
    return unit if unit in _METRIC_FACTORS else ""


def _converted(source: Number, target: Number) -> bool:
    """Whether ``target`` (with a metric unit) is ``source`` (with an imperial unit) converted
    and rounded."""
    if not source.unit or not target.unit or source.spelled or target.spelled:
        return False
    base, target_factor = _METRIC_FACTORS[target.unit]
    for value in source.values:
        if source.unit == "°f":
            expected, wanted_base = (value - 32) * 5 / 9, "°c"
        else:
            wanted_base, factor = _TO_METRIC[source.unit]
            if wanted_base != base and source.unit == "ounce":  # "24 oz" of a drink -> "70 cl"
                wanted_base, factor = _TO_METRIC["fluid ounce"]
            expected = value * factor
        if wanted_base != base:
            continue
        for found in target.values:
            # a converted value is rounded, often to a whole number of the unit the translator
            # chose ("2 miles" = 3.2 km -> "environ 3 km"; 0 °F = -17.8 °C -> -18 °C)
            whole = Decimal("0.5") * target_factor if found == found.to_integral_value() else Decimal(0)
            tolerance = max(abs(expected) * CONVERSION_TOLERANCE, whole)
            if abs(found * target_factor - expected) <= tolerance:
                return True
    return False


def english_numbers(text: str) -> list[Number]:
    """Numbers of an English text; "3 p.m." may match 3 or 15 (French uses the 24-hour clock)."""
    found: list[tuple[Number, int, int, int | None]] = []
    for match in _matches(_ENGLISH_NUMBER, _DIGIT, text):
        written = match.group(0)
        start, end = match.span()
        if written == "00" and _zero_minutes(text, start, written):
            continue
        value, plain, small, decade_like = _english_reading(written)
        values = None  # {value} and what else it may mean, when it may mean more
        if small and match.lastgroup == "integer" and (clock := _CLOCK.match(text, end)):
            values = {value, value + 12 if clock.group("half").lower() == "p" and value < 12 else value}
            if clock.group("half").lower() == "a" and value == 12:
                values.add(Decimal(0))
        # as searched in text[:start]: five characters, then at most a line end
        if len(written) == 2 and (season := _SEASON.search(text, max(0, start - 6), start)):
            values = values or {value}
            values.add(_value(season.group(1) + written))  # "2022-23" is "2022-2023" in French
        if decade_like and _DECADE_S.match(text, end):
            # a decade: "the 1990s" is "les années 1990" or "les années 90", "the '90s" too
            values = values or {value}
            decade = int(written) % 100
            if len(written) == 2:
                values.update({Decimal(1900 + decade), Decimal(2000 + decade)})
            elif len(written) == 4:
                values.add(Decimal(decade))
        number, factor = plain if values is None else Number(written, frozenset(values)), None
        if _ENGLISH_SCALE.match(text, end):
            number, end, factor = _scaled_by(number, text, end, _ENGLISH_SCALE, _ENGLISH_SCALE_VALUES)
        unit = _IMPERIAL_UNIT.match(text, end)
        if unit:
            number = replace(number, unit=_imperial_key(unit.group("unit")))
        found.append((number, start, end, factor))
    return [*_share_scales(found, text, "en"), *_in_words(text, "en")]


def _in_words(text: str, language: str) -> list[Number]:
    return [
        Number(number.text, frozenset({Decimal(number.value)}), spelled=True)
        for number in spelled_numbers(text, language)
    ]


# A document repeats its translations ("Yes.", headings, a phrase used in every section): the
# numbers of a text are read once for the last few thousand texts. Tuples: nobody changes them.
_CACHE_SIZE = 4096


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _cached_in_words(text: str, language: str) -> tuple[Number, ...]:
    return tuple(_in_words(text, language))


_FRENCH_NUMBER = re.compile(
    rf"""(?<![\d])(?:
        (?P<spaced>\d{{1,3}}(?:[ {_GROUP_SPACES}]\d{{3}})+(?:,\d+)?)  # 50 000  1 234,5
      | (?P<commas>\d{{1,3}}(?:,\d{{3}}){{2,}}(?:\.\d+)?)        # 1,000,000 (English way)
      | (?P<comma>\d+,\d+)                                    # 3,5  (or English 1,500)
      | (?P<dot>\d+\.\d+)                                     # 3.5 (English way) or 1.500
      | (?P<integer>\d+)
    )(?![\d])
    | \b(?P<roman>[IVXLC]{{2,}}|[VX])(?:e|ème)\b                # XXIe siècle, Ve République
    """,
    re.VERBOSE,
)
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def _roman(numeral: str) -> int:
    total = 0
    for char, following in zip(numeral, numeral[1:] + " "):
        value = _ROMAN[char]
        total += -value if following != " " and _ROMAN[following] > value else value
    return total


def french_numbers(text: str, split_plain_spaces: bool = False) -> list[Number]:
    """Numbers of a French text, digits and words. With ``split_plain_spaces``, "12 500" is
    read as 12 and 500 (an ordinary space may just separate two numbers); no-break spaces
    always group digits."""
    return [*_french_digits(text, split_plain_spaces), *_in_words(text, "fr")]


def _french_digits(text: str, split_plain_spaces: bool = False) -> list[Number]:
    numbers: list[Number] = []
    found: list[tuple[Number, int, int, int | None]] = []
    for match in _matches(_FRENCH_NUMBER, _DIGIT_OR_ROMAN, text):
        written = match.group(0)
        if written == "00" and _zero_minutes(text, match.start(), written):
            continue
        kind = match.lastgroup  # the one alternative that matched
        if kind == "roman":
            numbers.append(Number(written, frozenset({Decimal(_roman(match.group("roman")))})))
            continue
        if kind == "spaced" and split_plain_spaces and " " in written:
            pieces = _french_digits(written.replace(" ", "\n"))
            last, _ = _scaled(pieces[-1], text, match.end(), _FRENCH_SCALE, _FRENCH_SCALE_VALUES)
            numbers.extend([*pieces[:-1], last])
            continue
        number = _french_number(written, kind)
        end, factor = match.end(), None
        if _FRENCH_SCALE.match(text, end):
            number, end, factor = _scaled_by(number, text, end, _FRENCH_SCALE, _FRENCH_SCALE_VALUES)
        unit = _METRIC_UNIT.match(text, end)
        if unit:
            number = replace(number, unit=_metric_key(unit.group("unit")))
        found.append((number, match.start(), end, factor))
    return [*numbers, *_share_scales(found, text, "fr")]


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _french_number(written: str, kind: str) -> Number:
    """The number ``written`` as matched by the ``kind`` alternative of ``_FRENCH_NUMBER``."""
    if kind == "spaced":
        return Number(written, frozenset({_value(_NOT_DIGIT.sub("", written.split(",")[0]) + _decimals(written, ","))}))
    if kind == "commas":
        return Number(written, frozenset(), frozenset({_value(written.replace(",", ""))}))
    if kind == "comma":
        english = {_value(written.replace(",", ""))} if _COMMA_THOUSANDS.fullmatch(written) else set()
        return Number(written, frozenset({_value(written.replace(",", "."))}), frozenset(english))
    if kind == "dot":
        english = {_value(written)}
        if _DOT_THOUSANDS.fullmatch(written):
            english.add(_value(written.replace(".", "")))
        return Number(written, frozenset(), frozenset(english))
    return Number(written, frozenset({_value(written)}))


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _cached_french_digits(text: str, split_plain_spaces: bool) -> tuple[Number, ...]:
    return tuple(_french_digits(text, split_plain_spaces))


def _decimals(written: str, mark: str) -> str:
    return "." + written.split(mark, 1)[1] if mark in written else ""


def french_format(value: Decimal) -> str:
    """``Decimal('50000')`` -> ``50 000``, ``Decimal('3.5')`` -> ``3,5`` (shown with plain spaces)."""
    whole, _, decimals = format(value, "f").partition(".")
    grouped = f"{int(whole):,}".replace(",", " ") if len(whole) >= 4 else whole
    return grouped + ("," + decimals if decimals else "")


def _words(pairs: Iterable[tuple[int, str]]) -> dict[int, tuple[str, ...]]:
    table: dict[int, list[str]] = {}
    for value, words in pairs:
        table.setdefault(value, []).extend(words.split("|"))
    return {value: tuple(words) for value, words in table.items()}


# Small numbers are often spelled out on one side only ("two" -> "2", "12" -> "douze").
_ENGLISH_WORDS = _words(
    enumerate(
        word_list(
            "zero one|first|once two|second|twice three|third four|fourth five|fifth "
            "six|sixth seven|seventh eight|eighth nine|ninth ten|tenth eleven|eleventh "
            "twelve|twelfth|dozen thirteen|thirteenth fourteen|fourteenth fifteen|fifteenth "
            "sixteen|sixteenth seventeen|seventeenth eighteen|eighteenth nineteen|nineteenth "
            "twenty|twentieth"
        )
    )
)
_ENGLISH_WORDS.update(
    _words([(30, "thirty"), (40, "forty"), (50, "fifty"), (60, "sixty"), (70, "seventy"),
            (80, "eighty"), (90, "ninety"), (100, "hundred"), (1000, "thousand"),
            (10**6, "million"), (10**9, "billion")])
)
_FRENCH_CARDINALS = word_list(
    "zéro un|une deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze "
    "quinze seize dix-sept dix-huit dix-neuf vingt"
)


def _ordinal(cardinal: str) -> str:
    stem = {"cinq": "cinqu", "neuf": "neuv"}.get(cardinal, cardinal.rstrip("e"))
    return stem + "ième"


_FRENCH_WORDS = _words(
    (value, "|".join([*words.split("|"), *(_ordinal(word) for word in words.split("|"))]))
    for value, words in enumerate(_FRENCH_CARDINALS)
)
# merged, not updated: 1 is "un" as well as "premier", 12 "douze" as well as "douzaine"
_FRENCH_WORDS = _words(
    [*((value, "|".join(words)) for value, words in _FRENCH_WORDS.items()),
     (1, "premier|première|1er|1re"), (2, "second|seconde|deux"), (12, "douzaine"),
     (15, "quinzaine"), (20, "vingtaine"), (30, "trente|trentaine"),
     (40, "quarante|quarantaine"), (50, "cinquante|cinquantaine"), (60, "soixante"),
     (70, "soixante-dix"), (80, "quatre-vingts|quatre-vingt"), (90, "quatre-vingt-dix"),
     (100, "cent|cents|centaine"), (1000, "mille|millier"), (10**6, "million|millions"),
     (10**9, "milliard|milliards")]
)


def _spelled(value: Decimal, text: str, table: dict[int, tuple[str, ...]]) -> bool:
    if value != value.to_integral_value() or int(value) not in table:
        return False
    return _spelled_pattern(int(value), table is _ENGLISH_WORDS).search(_folded(text)) is not None


@functools.lru_cache(maxsize=None)  # one per word of the two tables
def _spelled_pattern(value: int, english: bool) -> re.Pattern[str]:
    """Any of the words of ``value`` (folded), as a whole word."""
    words = (_ENGLISH_WORDS if english else _FRENCH_WORDS)[value]
    return re.compile(rf"(?<![\w-])(?:{'|'.join(re.escape(fold(word)) for word in words)})(?![\w-])")


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _folded(text: str) -> str:
    return fold(text)


@dataclass(frozen=True)
class _Comparison:
    missing: list[Number]
    extra: list[Number]
    english_format: list[tuple[Number, Decimal]]

    @property
    def problems(self) -> int:
        return len(self.missing) + len(self.extra)


def _compare(source: str, source_numbers: list[Number], translation: str, target_numbers: list[Number]) -> _Comparison:
    unused = list(target_numbers)
    unmatched: list[Number] = []
    for number in source_numbers:
        values = number.values
        for index, target in enumerate(unused):
            if not values.isdisjoint(target.values):
                del unused[index]
                break
        else:
            unmatched.append(number)
    if not unmatched and not unused:
        return _Comparison([], [], [])
    english_format = []
    missing = []
    for number in unmatched:
        found = next((target for target in unused if number.values & target.english_values), None)
        if found is not None:
            unused.remove(found)
            if not (found.text == number.text and _version_number(source, number.text)):
                english_format.append((found, min(number.values & found.english_values)))
        elif (converted := next((target for target in unused if _converted(number, target)), None)) is not None:
            unused.remove(converted)
        elif not any(_spelled(value, translation, _FRENCH_WORDS) for value in number.values):
            missing.append(number)
    # a value the source has, written once more ("24/7" -> "24 h/24, 7 j/7"), is no change
    source_values = frozenset().union(*(number.values for number in source_numbers))
    extra = [
        number
        for number in unused
        if number.values.isdisjoint(source_values)
        and not any(_spelled(value, source, _ENGLISH_WORDS) for value in number.values | number.english_values)
    ]
    # a number in words counts only against a change on the other side ("three" -> "quatre")
    changed = bool(missing), bool(extra)
    missing = [number for number in missing if not number.spelled or changed[1]]
    extra = [number for number in extra if not number.spelled or changed[0]]
    return _Comparison(missing, extra, english_format)


_VERSION_WORDS = r"version|release|v|update|build|patch|beta|rc"


def _version_number(source: str, written: str) -> bool:
    """Whether the dotted number ``written`` names a version in ``source`` ("version 2.3", "the
    1.4 release", "Ubuntu 24.04": after a capitalised name that does not open the sentence).
    A version keeps its dot in French: it is a label, not a decimal."""
    if "." not in written:
        return False
    number = re.escape(written)
    for match in re.finditer(rf"(?<![\w.]){number}(?![\w]|\.\d)", source):
        before, after = source[: match.start()], source[match.end() :]
        if re.search(rf"(?i)\b(?:{_VERSION_WORDS})\.?\s?$", before) or re.match(rf"(?i)\s(?:{_VERSION_WORDS})\b", after):
            return True
        name = re.search(r"(\S+)\s+(\w*[A-Z][\w-]*)\s$", before)  # "Ubuntu 24.04", "iOS 17.2"
        if name and not re.search(r"[.!?:]$", name.group(1)):
            return True
    return False


def _without_addresses(text: str) -> str:
    """``text`` with its web and e-mail addresses blanked: their digits ("/results/2025") are
    the ``urls`` and ``emails`` checks' business, one flag per problem."""
    if "@" not in text and "://" not in text and "www." not in text.lower():
        return text  # no address can be found: each needs one of these
    for address in [*textrules.find_urls(text), *textrules.find_emails(text)]:
        text = text.replace(address, " " * len(address))
    return text


def _listed(numbers: list[Number]) -> str:
    texts = [number.shown() for number in numbers]
    return texts[0] if len(texts) == 1 else ", ".join(texts[:-1]) + " and " + texts[-1]


_PLAIN_SPACED = re.compile(r"\d \d")


def check_numbers(source: str, translation: str, ctx: CheckContext) -> list[Flag]:
    """Numbers that differ in value between source and translation (major), and English
    number formats left in the French text (minor)."""
    if not source.strip() or not translation.strip():
        return []
    source, translation = _without_addresses(source), _without_addresses(translation)
    source_numbers = english_numbers(source)
    # reading "12 500" as 12 and 500 changes nothing in a text with no digit after a plain space
    splits = (False, True) if _PLAIN_SPACED.search(translation) else (False,)
    # french_numbers(translation, split), its words read once for both splits
    in_words = _cached_in_words(translation, "fr")
    comparisons = [
        _compare(source, source_numbers, translation, [*_cached_french_digits(translation, split), *in_words])
        for split in splits
    ]
    best = min(comparisons, key=lambda comparison: comparison.problems)
    flags = []
    if best.missing and best.extra:
        noun = "number" if len(best.missing) == 1 else "numbers"
        verb = "is" if len(best.missing) == 1 else "are"
        message = f"{noun} {_listed(best.missing)} in the source {verb} missing; the translation has {_listed(best.extra)}"
        flags.append(ctx.flag("numbers", "major", message))
    elif best.missing:
        noun = "number" if len(best.missing) == 1 else "numbers"
        verb = "is" if len(best.missing) == 1 else "are"
        flags.append(ctx.flag("numbers", "major", f"{noun} {_listed(best.missing)} in the source {verb} missing from the translation"))
    elif best.extra:
        noun = "number" if len(best.extra) == 1 else "numbers"
        flags.append(ctx.flag("numbers", "major", f"the translation has {noun} {_listed(best.extra)}, not in the source"))
    for number, value in best.english_format:
        flags.append(
            ctx.flag(
                "numbers",
                "minor",
                f"number {shown(number.text)} is written the English way; in French write {french_format(value)}",
            )
        )
    return flags
