"""Is there a translation at all, and is it French: ``empty``, ``addition``, ``untranslated``."""

from __future__ import annotations

import re

from tqe.checks import textrules
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


def check_untranslated(source: str, translation: str, ctx: CheckContext) -> list[Flag]:
    """The translation is a copy of the source, or still reads as English.

    The copy test is :func:`tqe.checks.textrules.is_copy` (same text ignoring case, all-capital
    strings allowed). tqe adds two things: a copy with no translatable word (a name such as
    "Emmanuel Macron", an acronym, a number) is fine, and a translation whose function words
    are mostly English ("the", "of", "with"...) is flagged even when it differs from the
    source, which catches a sentence left in English inside a longer segment.
    """
    if not source.strip() or not translation.strip():
        return []
    translatable = [word for word in _WORD.findall(source) if word.islower() and len(word) >= 3]
    if not translatable:
        return []
    if textrules.is_copy(source, translation):
        return [ctx.flag("untranslated", "major", "the translation is a copy of the English source")]
    for sentence in _SENTENCE_END.split(translation):
        total, english, french = _language_counts(sentence)
        if total >= 6 and english >= 3 and english > 2 * french:
            return [
                ctx.flag(
                    "untranslated",
                    "major",
                    f"the translation still reads as English: '{shown(sentence)}'",
                )
            ]
    return []
