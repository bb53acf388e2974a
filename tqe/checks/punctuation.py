"""``end-punctuation`` and ``brackets``: sentence type and paired punctuation kept.

translate-toolkit's ``endpunc`` is not used: for a French target it demands the exact French
spacing before "?" (so "Vrai?" fails, which is a typography matter, reported by
``typography``), and it fails on the normal English -> French move of a full stop outside
closing quotes ('said "no."' -> 'a dit « non ».'). This check compares only the kind of
sentence ending: question, exclamation, statement, ellipsis, colon. Its ``brackets`` check
fits as it is and is called for the decision.
"""

from __future__ import annotations
import re

import tqe.checks.textrules as textrules
from tqe.checks.base import CheckContext, Flag

_CLOSERS = " \t\n\u00a0\u202f\u2009\"'’”»)]}*_"
_KINDS = {
    "?": "a question",
    "!": "an exclamation",
    ".": "a statement",
    "…": "an unfinished sentence (…)",
    ":": "an introduction (:)",
    ";": "a clause (;)",
    "": "no final punctuation",
}


def ending(text: str) -> str:
    """The final punctuation mark of ``text``, past closing quotes and brackets ("" if none).

    "?!" counts as a question and "..." as "…".
    """
    stripped = text.rstrip(_CLOSERS)
    if stripped.endswith("..."):
        return "…"
    tail = stripped[-3:]
    if "?" in tail and tail.rstrip("?!") != tail:
        return "?"
    if stripped and stripped[-1] in _KINDS:
        return stripped[-1]
    return ""


# An indirect question ends with a full stop in English and often with "?" in French ("I
# wonder whether it works." -> "Je me demande si ça marche ?"), and the other way round: the
# sentence asks in both, so the change is not an error.
_INDIRECT_QUESTION = re.compile(
    r"\b(?:whether"
    r"|(?:wonder|ask)(?:s|ed|ing)?\s+(?:\w+\s+){0,2}?(?:if|why|how|what|when|where|who|which)"
    r"|(?:demand\w*|savoir)\s+(?:\w+\s+){0,2}?(?:si|s'|pourquoi|comment|quand|où|qui|quel\w*|combien|ce qu\w*))\b",
    re.IGNORECASE,
)
#: at most this many words: a heading or a label, whose final full stop is a matter of style
_HEADING_WORDS = 6


def _word_count(text: str) -> int:
    return len(re.findall(r"\w+", text))


def check_end_punctuation(source: str, translation: str, ctx: CheckContext) -> list[Flag]:
    """The translation ends differently from the source: a question lost or added is major
    (the meaning changed); other differences (! for ., a lost full stop) are minor.

    Not flagged: a full stop added where the source has no final punctuation (French style
    often ends a list item or a chat message with one), a full stop dropped from a short
    heading-like line, and an indirect question written as a direct one or back ("I wonder
    whether X." -> "Je me demande si X ?").
    """
    if not source.strip() or not translation.strip():
        return []
    source_end, translation_end = ending(source), ending(translation)
    if source_end == translation_end:
        return []
    if source_end == "" and translation_end == ".":
        return []
    if source_end == "." and translation_end == "" and _word_count(source) <= _HEADING_WORDS:
        return []
    if {source_end, translation_end} == {".", "?"} and _INDIRECT_QUESTION.search(
        source if source_end == "." else translation
    ):
        return []
    severity = "major" if "?" in (source_end, translation_end) else "minor"
    shown_end = f"'{translation_end}'" if translation_end else "nothing"
    source_kind, translation_kind = _KINDS[source_end], _KINDS[translation_end]
    message = (
        f"the source ends as {source_kind} ('{source_end}') but the translation ends with {shown_end}"
        if source_end
        else f"the source has no final punctuation but the translation ends as {translation_kind} ('{translation_end}')"
    )
    return [ctx.flag("end-punctuation", severity, message)]


def check_brackets(source: str, translation: str, ctx: CheckContext) -> list[Flag]:
    """Brackets ( ) [ ] { } that the translation lost or added."""
    if not source.strip() or not translation.strip():
        return []
    differences = textrules.bracket_differences(source, translation)
    if not differences:
        return []
    described = [f"'{bracket}' {want} in the source, {have} in the translation" for bracket, want, have in differences]
    return [ctx.flag("brackets", "minor", "brackets differ: " + "; ".join(described))]
