"""``typography`` (French spacing and quotation marks) and ``double-space``.

French puts a space (ideally a narrow no-break space) before ; ! ? and a no-break space
before : and inside « guillemets », and uses « » rather than English quotes. Comparing the spacing
with the English source would count French spacing as a difference, and rewriting every
colon would break times ("14:30" -> "14 :30"), so this check reads the translation alone. An ordinary space counts as
a space: asking for the no-break kind everywhere would flag nearly every translation.
``double-space`` compares the number of double spaces with the source.
"""

from __future__ import annotations

import re

import tqe.checks.textrules as textrules
from tqe.checks.base import CheckContext, Flag, quoted

_SPACE = " \t\u00a0\u202f\u2009"
# a word (or closing quote/bracket) glued to ; ! ? - not "?!" and not inside URLs
_GLUED_MARK = re.compile(rf"(?P<word>[^\s{_SPACE}]*[\w»)\]])(?P<mark>[;!?]+)(?=[\s{_SPACE}»)\]\"”.,]|$)")
# a colon glued to the word before it and followed by a space or the end: not 14:30, not https://
_GLUED_COLON = re.compile(rf"(?P<word>[^\s{_SPACE}]*(?:[^\W\d_]|[»)\]]))(?P<mark>:)(?=[\s{_SPACE}]|$)")
_OPEN_GLUED = re.compile(rf"«(?=[^{_SPACE}\s])")
_CLOSE_GLUED = re.compile(rf"(?<=[^{_SPACE}\s])»")
_ENGLISH_QUOTES = re.compile(r"[\"“”]")
_URL = re.compile(r"\b(?:https?://|www\.)\S+|\S+@\S+\.\w+")
#: a colon right after what _GLUED_COLON's word may end with: _GLUED_COLON can match only
#: where this does (the quick test, found from the rare colon)
_COLON_AFTER_WORD = re.compile(rf":(?<=(?:[^\W\d_]|[»)\]]):)(?=[\s{_SPACE}]|$)")


def check_typography(source: str, translation: str, ctx: CheckContext) -> list[Flag]:
    """French typography of the translation: space before ; : ! ?, spaces inside « », and
    « » instead of English double quotes (only when the translation has no « » at all:
    French uses “ ” for quotes inside quotes)."""
    if not translation.strip():
        return []
    # an address needs "://", "www." or "@" (most sentences have none: a quick test)
    text = _URL.sub(" ", translation) if "://" in translation or "www." in translation or "@" in translation \
        else translation
    problems = []
    # each pattern needs its mark in the text: most sentences have neither (a quick test)
    glued = [m.group("word") + m.group("mark") for m in _GLUED_MARK.finditer(text)] if (
        ";" in text or "!" in text or "?" in text) else []
    glued += [m.group("word") + m.group("mark") for m in _GLUED_COLON.finditer(text)] if (
        ":" in text and _COLON_AFTER_WORD.search(text)) else []
    glued = [token for token in glued if token not in source]  # a name such as "Yahoo!"
    if glued:
        problems.append(f"put a space before ; : ! ? in French ({quoted(glued, 3)})")
    if ("«" in text or "»" in text) and (_OPEN_GLUED.search(text) or _CLOSE_GLUED.search(text)):
        problems.append("put a space inside « guillemets » («\u00a0…\u00a0»)")
    if _ENGLISH_QUOTES.search(text) and "«" not in text:
        problems.append("use « guillemets » for quotations instead of English quotes")
    return [ctx.flag("typography", "minor", "; ".join(problems))] if problems else []


def check_double_space(source: str, translation: str, ctx: CheckContext) -> list[Flag]:
    """Double spaces in the translation that the source does not have."""
    if not translation.strip() or not textrules.double_spaces_differ(source, translation):
        return []
    return [ctx.flag("double-space", "minor", "the translation has double spaces the source does not have")]
