"""Is there a translation at all, and is it French: ``empty``, ``addition``, ``untranslated``."""

from __future__ import annotations

import re
from functools import lru_cache

import tqe.checks.textrules as textrules
from tqe.checks.base import CheckContext, Flag, shown, word_set


def check_empty(source: str, translation: str, ctx: CheckContext) -> list[Flag]:
    """A source sentence with no translation (an omission, link ``1-0``), or a blank one.

    An empty string is an omission; white space only is a blank translation.
    """
    if not source.strip():
        return []
    if textrules.is_empty(source, translation):
        message = f"the translation is empty: the source sentence '{shown(source)}' was left out"
        return [ctx.flag("empty", "critical", message)]
    if textrules.is_blank(source, translation):
        return [ctx.flag("empty", "critical", "the translation is blank (only spaces)")]
    return []


def check_addition(source: str, translation: str, ctx: CheckContext) -> list[Flag]:
    """Translation text with no source sentence behind it (alignment link ``0-1``)."""
    if source.strip() or not translation.strip():
        return []
    return [
        ctx.flag(
            "addition",
            "major",
            f"the translation adds '{shown(translation)}', which matches no source sentence",
        )
    ]


# Function words that are frequent in one language and absent from the other. Words that
# exist in both (a, on, en, as, est, son, plus, pour...) are left out on purpose.
_ENGLISH_WORDS = word_set(
    "the and of to is are was were be been being have has had this that these those with from "
    "by for it its they their them we our you your he his she her which who what when where "
    "why how would will should could not but or at into about after before over than then "
    "there here also only just all any some many more most other such said says year years "
    "people first last do does did can may might must"
)
_FRENCH_WORDS = word_set(
    "le la les des du de et un une est sont été être avec dans pour par sur au aux ce cette "
    "ces qui que quoi dont où il ils elle elles nous vous leur leurs sa ses pas ne mais ou "
    "donc très aussi selon entre depuis après avant comme tous toutes ont était étaient sera "
    "seront fait faire"
)
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def _language_counts(text: str) -> tuple[int, int, int]:
    found = _WORD.findall(text)
    words = [word.casefold() for word in found]
    # capitalised words are left out of the English count: a quoted English title or a name
    # ("The Lord of the Rings", "New York Times") in a French sentence is not untranslated
    english = sum(word in _ENGLISH_WORDS for word in found if word.islower())
    french = sum(word in _FRENCH_WORDS or word.split("'")[0] in {"l", "d", "qu", "n", "s", "c", "j"} for word in words)
    return len(words), english, french


#: a sentence reads as English with at least this many English function words
_MIN_ENGLISH_WORDS = 3


@lru_cache(maxsize=65536)
def _english_count(chunk: str) -> int:
    """:func:`_language_counts`' English words of a space-free piece of text: no word holds a
    space, so a text's count is the sum of its pieces'."""
    return _language_counts(chunk)[1]


@lru_cache(maxsize=65536)
def _has_translatable(chunk: str) -> bool:
    """A space-free piece of text holds a lower-case word of three letters or more."""
    return any(word.islower() and len(word) >= 3 for word in _WORD.findall(chunk))


#: a copy made only of capitalised words is flagged when one of its words is at least this
#: frequent in English (Zipf scale: 3.5 is about 3 in a million words)…
COPY_MIN_ENGLISH_ZIPF = 3.5
#: …and at least this much more frequent in English than in French (1.0: ten times)
COPY_MIN_ENGLISH_LEAD = 1.0

_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&.-]*$")
_COPY_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
#: what stays the same in any language: `code` and <tags> (which may hold spaces), then any
#: space-free token with an address or identifier in it: @ / _ = \\ # { } % <, a dot between
#: letters (nrwa.example.org, config.yaml) or an inner capital (camelCase)
_SPANS = re.compile(r"`[^`]*`|<[^>]*>|\{[^}]*\}")
_TOKEN_OR_SPACE = re.compile(r"\S+")
_CODE_CHARS = frozenset("@/_=\\#{}%<>`")
_CODE_SHAPE = re.compile(r"[^\W\d_]\.[^\W\d_]|[a-z][A-Z]")
#: the quick test for code: a code character, or one of _CODE_SHAPE's shapes found from its
#: rarer character (a dot between letters, a capital after a lower-case letter)
_CODE_CHAR = re.compile("[" + re.escape("".join(sorted(_CODE_CHARS))) + "]")
_DOTTED = re.compile(r"\.(?<=[^\W\d_]\.)[^\W\d_]")
_CAMEL = re.compile(r"[A-Z](?<=[a-z][A-Z])")
#: a whole space-free token (_TOKEN_OR_SPACE) with a code character or a code shape in it;
#: only tried where a token starts, and read once up to its first code character
_CODE_TOKEN = re.compile(r"(?<!\S)\S*?(?:[" + re.escape("".join(sorted(_CODE_CHARS))) + "]|" + _CODE_SHAPE.pattern + r")\S*")
#: a short capitalised string with no sentence punctuation and a name in it is a product name
_NAME_MAX_WORDS = 3
_SENTENCE_PUNCTUATION = re.compile(r"[.!?…:;]\s*$")


@lru_cache(maxsize=4096)
def language_free(text: str) -> str:
    """``text`` with the parts that are the same in every language (addresses, code)
    blanked out by as many spaces, so that positions in it are positions in ``text``."""
    if not _CODE_CHAR.search(text) and not _DOTTED.search(text) and not _CAMEL.search(text):
        return text  # no span (` < { are code characters) and no token with a code shape

    def blank(match: re.Match[str]) -> str:
        return " " * len(match.group())

    if "`" in text or "<" in text or "{" in text:
        text = _SPANS.sub(blank, text)
    return _CODE_TOKEN.sub(blank, text)  # the tokens (_TOKEN_OR_SPACE) with code in them


def english_copy_words(source: str, dnt_terms: tuple[str, ...] = ()) -> list[str]:
    """The words of a capitalised-only source that mark a copy of it as untranslated.

    "Close #PRS_ORG#." or "Sign Out" copied as they are were never translated; "OK", "NRWA",
    "Emmanuel Macron", "AquaTrack", a number, a URL or a code stay the same in French. The
    line between them is drawn with word frequencies (wordfreq): a word counts when it is
    common in English and at least ten times rarer in French ("close": 5.4 vs 3.7; "teams":
    5.0 vs 3.0), which names, acronyms (skipped), product names coined from no English word
    and loanwords French uses ("email", "parking", "cloud") are not. Do-not-translate terms
    never count.
    """
    from tqe.language import zipf

    protected = " ".join(dnt_terms).casefold().split()
    words = _COPY_WORD.findall(language_free(source))
    found, names = [], 0
    for word in words:
        if _ACRONYM.match(word) or word.casefold() in protected:
            continue
        english, french = zipf(word, "en"), zipf(word, "fr")
        if english >= COPY_MIN_ENGLISH_ZIPF and english - french >= COPY_MIN_ENGLISH_LEAD:
            found.append(word)
        else:
            names += 1
    if names and len(words) <= _NAME_MAX_WORDS and not _SENTENCE_PUNCTUATION.search(source):
        return []  # "Microsoft Teams", "Tesla Model S": a product name, kept in French
    return found


def untranslated_problem(source: str, translation: str, dnt_terms: tuple[str, ...] = ()) -> str | None:
    """Why the translation counts as untranslated (the flag's message), or None.

    The copy test is :func:`tqe.checks.textrules.is_copy` (same text ignoring case, all-capital
    strings allowed). A copy with lower-case words of three letters or more is always
    untranslated; a copy made only of capitalised words is when :func:`english_copy_words`
    finds an English word in it. A translation whose function words are mostly English
    ("the", "of", "with"...) is untranslated even when it differs from the source, which
    catches a sentence left in English inside a longer segment.
    """
    if not source.strip() or not translation.strip():
        return None
    translatable = any(map(_has_translatable, language_free(source).split()))
    if not translatable:
        if not textrules.is_copy(source, translation):
            return None
        english = english_copy_words(source, dnt_terms)
        if not english:
            return None
        words = ", ".join(f"'{word}'" for word in english[:5])
        return f"the translation is a copy of the English source ({words} left in English)"
    if textrules.is_copy(source, translation):
        return "the translation is a copy of the English source"
    if sum(map(_english_count, translation.split())) < _MIN_ENGLISH_WORDS:
        return None  # most translations: no sentence of them can read as English
    for sentence in _SENTENCE_END.split(translation):
        total, english, french = _language_counts(sentence)
        if total >= 6 and english >= _MIN_ENGLISH_WORDS and english > 2 * french:
            return f"the translation still reads as English: '{shown(sentence)}'"
    return None


def check_untranslated(source: str, translation: str, ctx: CheckContext) -> list[Flag]:
    """The translation is a copy of the source, or still reads as English (major); see
    :func:`untranslated_problem`."""
    message = untranslated_problem(source, translation, ctx.dnt_terms)
    return [ctx.flag("untranslated", "major", message)] if message else []
