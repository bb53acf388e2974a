"""``english-words``: English words left inside a French translation ("Appuyez sur Sign out").

Whether a word is English is read from wordfreq's frequencies (tqe.language.zipf), not from a
hand list: "settings" is 4.2 on the Zipf scale in English and 2.2 in French, while loanwords
French really uses have close values ("parking" 4.5 / 4.2, "week-end" 5.3 / 4.5, "cloud"
4.5 / 4.0). Only strong evidence makes a flag:

- **a run** of two or more adjacent words that each lean English (English Zipf >= 3.0 and at
  least 0.9 above French), whose English leads add up to 3.0 or more and one of which is
  rare in French (<= 3.5): "Sign out" (2.1 + 2.1; "sign" 3.0 in French), "the settings"
  (2.4 + 2.0), while French pairs of loanwords ("big data" 1.2 + 1.3, "open space") stay
  under and expressions French uses ("made in France": 3.9 and 5.2 in French) are not rare. Every word of the run must also be in the source: it is a piece
  of the source left untranslated. Major: a reader meets English in the middle of French.
- **a single word** common in English (>= 3.5), rare in French (<= 3.3), ten times more
  frequent in English and also in the source: "Tap", "outlet", "settings". Minor: one word
  can be a deliberate loan or an interface label the reviewer knows to keep. Once a sentence
  has such evidence, the other source words in it that lean English join the message
  ("Plug" in "Plug le chargeur dans une outlet"), and two words or more are major: a pattern
  of pieces left untranslated, not one loan.

Names never count: a word capitalised mid-sentence (alone), in capitals or camelCase, a
title-case run ("Clean Rivers Alliance"), a word the source capitalises mid-sentence, the
do-not-translate terms and the glossary's French terms; web and e-mail addresses, code and
placeholders are masked. A brand that is an English word ("Outlook", "Slack") opening both
sentences looks like "Tap" and gets a minor flag unless the do-not-translate file lists it. A sentence that reads as English as a whole, or a copy of the
source, is left to ``untranslated`` (one flag per problem). translate-toolkit's only
language test is ``untranslated``'s whole-string copy, so this check is tqe's own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import NamedTuple

from tqe.checks.base import CheckContext, Flag, quoted
from tqe.checks.presence import language_free, untranslated_problem

#: a word leans English when it is at least this frequent in English (Zipf scale)…
LEAN_MIN_ENGLISH = 3.0
#: …and at least this much more frequent in English than in French (0.9: about 8 times)
LEAN_MIN_LEAD = 0.9
#: a run of leaning words is flagged when their English leads add up to this much…
RUN_MIN_TOTAL_LEAD = 3.0
#: …and one of them is rare in French (at most this Zipf value): "made in" (3.9 and 5.2 in
#: French) is an expression French uses, "Sign out" (3.0) is not
RUN_MAX_FRENCH = 3.5
#: a single word is flagged when it is at least this frequent in English…
SINGLE_MIN_ENGLISH = 3.5
#: …at most this frequent in French (3.3: about 2 in a million words)…
SINGLE_MAX_FRENCH = 3.3
#: …at least this much more frequent in English, and in the source
SINGLE_MIN_LEAD = 1.0

_TOKEN = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
#: French elided articles and pronouns glued to the next word ("l'outlet" is "outlet")
_ELISION = re.compile(r"^(?:[ldjmnstc]|qu|jusqu|lorsqu|puisqu|quoiqu)['’]", re.IGNORECASE)
_SPACE_ONLY = re.compile(r"^[ \t\u00a0\u202f\u2009]+$")
#: a word right after one of these (spaces between) opens a sentence or a quotation
_OPENERS = frozenset('.!?…:;"“«([—–')
_NOT_A_WORD = re.compile(r"^[A-Z][A-Z-]+$|[a-z][A-Z]")  # acronyms, camelCase
#: the small words a title keeps in lower case ("Lord of the Rings", "Board of Directors")
_TITLE_CONNECTORS = frozenset("a an and at by for in of on or the to with".split())


#: a text cut into [gap, token, gap, token, …, gap] (a token is a match of _TOKEN)
_TOKENS_AND_GAPS = re.compile(f"({_TOKEN.pattern})")
_SPACES_BEFORE = " \t\n\u00a0\u202f"


class _Word(NamedTuple):
    """A token of _TOKEN as the check reads it, whatever its place in the text."""

    text: str  # as written, without an elided French article
    elided: int  # the length of the elided article glued to it ("l'outlet": 2), else 0
    folded: str  # text casefolded, ’ as '
    capitalised: bool
    word: bool  # not an acronym or camelCase
    lead: float | None  # see _folded_lead


@lru_cache(maxsize=50_000)
def _word(token: str) -> _Word:
    elision = _ELISION.match(token) if "'" in token or "’" in token else None
    elided = elision.end() if elision and len(token) > elision.end() else 0
    text = token[elided:]
    folded = text.casefold().replace("’", "'")
    return _Word(text, elided, folded, text[:1].isupper(), not _NOT_A_WORD.search(text), _folded_lead(folded))


def _initial(parts: list[str], index: int, word: _Word) -> bool:
    """The ``index``-th token of ``parts`` (see _TOKENS_AND_GAPS) opens a sentence or a
    quotation: an opener, then spaces only, in the 20 characters before it, or only spaces
    from the start of the text."""
    if word.elided:
        return False
    gap = parts[2 * index]
    before = gap[-20:].rstrip(_SPACES_BEFORE)
    if before:
        return before[-1] in _OPENERS
    # nothing but spaces: a token before them ends the 20 characters with a letter
    return index == 0 and len(gap) <= 20


def _mask(text: str, terms: Iterable[str]) -> str:
    """``text`` with addresses, code and the given terms blanked (same length)."""
    masked = language_free(text)
    for term in terms:
        if term.strip():
            masked = re.sub(re.escape(term), lambda m: " " * len(m.group()), masked, flags=re.IGNORECASE)
    return masked


def _frequencies(folded: str) -> tuple[float, float]:
    """English and French Zipf frequencies of a word; a plural too rare in English to judge
    on its own is read as its singular ("kernels" 3.0 / 1.5 as "kernel" 3.6 / 2.6), in both
    languages, since both mark the plural with -s."""
    from tqe.language import zipf

    english, french = zipf(folded, "en"), zipf(folded, "fr")
    if english < LEAN_MIN_ENGLISH and folded.endswith("s") and not folded.endswith("ss") and len(folded) > 4:
        singular = folded[:-1]
        if zipf(singular, "en") > english:
            return zipf(singular, "en"), zipf(singular, "fr")
    return english, french


@lru_cache(maxsize=50_000)
def _folded_lead(folded: str) -> float | None:
    english, french = _frequencies(folded)
    if english >= LEAN_MIN_ENGLISH and english - french >= LEAN_MIN_LEAD:
        return english - french
    return None


@lru_cache(maxsize=50_000)
def _token_lead(token: str) -> float | None:
    """:func:`_folded_lead` of a token as written, its elided article removed."""
    return _folded_lead(_ELISION.sub("", token.casefold()).replace("’", "'"))


@lru_cache(maxsize=50_000)
def _chunk_leans(chunk: str) -> bool:
    """A token of a space-free piece of text leans English (no token holds a space, so the
    tokens of a text are those of its pieces)."""
    return any(map(_token_lead, _TOKEN.findall(chunk)))


def _french(folded: str) -> float:
    from tqe.language import zipf

    return zipf(folded, "fr")


def _strong_single(word: _Word) -> bool:
    english, french = _frequencies(word.folded)
    return english >= SINGLE_MIN_ENGLISH and french <= SINGLE_MAX_FRENCH and english - french >= SINGLE_MIN_LEAD


def _spaces_only(gap: str) -> bool:
    return gap == " " or bool(_SPACE_ONLY.match(gap))


def _title_case(run: list[_Word]) -> bool:
    return all(word.capitalised or word.folded in _TITLE_CONNECTORS for word in run) and run[0].capitalised


def english_words(source: str, translation: str, protected: Iterable[str] = ()) -> tuple[list[str], list[str]]:
    """The English runs and the single English words left in ``translation`` (see module doc).

    ``protected`` terms (do-not-translate terms, glossary French terms) never count.
    """
    protected = tuple(protected)
    if not any(map(_chunk_leans, translation.split())):
        return [], []  # most sentences: no word leans English
    source_parts = _TOKENS_AND_GAPS.split(_mask(source, protected))
    source_words = list(map(_word, source_parts[1::2]))
    in_source = {word.folded for word in source_words}
    source_names = {word.folded for index, word in enumerate(source_words)
                    if word.capitalised and not _initial(source_parts, index, word)}
    masked = _mask(translation, protected)
    parts = _TOKENS_AND_GAPS.split(masked)
    tokens = list(map(_word, parts[1::2]))
    #: the words (token indexes) in order; two in a row are adjacent when only spaces part them
    words = [index for index, word in enumerate(tokens) if word.word]

    found_runs: list[str] = []
    singles: list[str] = []
    weak: list[str] = []  # leaning English and in the source, but common in French too
    # stretches of adjacent words leaning English
    stretch: list[int] = []
    for index in [*words, None]:
        word = tokens[index] if index is not None else None
        if word is not None and word.lead is not None:
            if not stretch or (index == stretch[-1] + 1 and not word.elided and _spaces_only(parts[2 * index])):
                stretch.append(index)
                continue
        if len(stretch) >= 2:
            run = [tokens[item] for item in stretch]
            total = sum(item.lead for item in run)  # type: ignore[misc]
            rare = any(_french(item.folded) <= RUN_MAX_FRENCH for item in run)
            if total >= RUN_MIN_TOTAL_LEAD and rare and not _title_case(run) and all(w.folded in in_source for w in run):
                start = len("".join(parts[: 2 * stretch[0] + 1])) + run[0].elided
                found_runs.append(masked[start: len("".join(parts[: 2 * stretch[-1] + 2]))])
                stretch = []
        for item_index in stretch:
            item = tokens[item_index]
            name = (item.capitalised and not _initial(parts, item_index, item)) or item.folded in source_names
            if name or item.folded not in in_source or item.text in singles + weak:
                continue
            (singles if _strong_single(item) else weak).append(item.text)
        stretch = [index] if word is not None and word.lead is not None else []
    if found_runs or singles:  # with strong evidence in the sentence, weaker words join it
        singles = [tokens[index].text for index in words if tokens[index].text in singles + weak]
        singles = list(dict.fromkeys(singles))
    return found_runs, singles


def check_english_words(source: str, translation: str, ctx: CheckContext) -> list[Flag]:
    """English words left in the French translation: major for a run, minor for one word."""
    if not source.strip() or not translation.strip():
        return []
    targets = [target for entry in ctx.glossary for target in entry.targets]
    runs, singles = english_words(source, translation, (*ctx.dnt_terms, *targets))
    if ctx.accepted_words:  # the project dictionary's words are never English left behind
        singles = [word for word in singles if word.casefold() not in ctx.accepted_words]
        runs = [run for run in runs if not all(word.casefold() in ctx.accepted_words for word in run.split())]
    if not runs and not singles:
        return []
    if untranslated_problem(source, translation, ctx.dnt_terms):
        return []  # the whole sentence is English: untranslated says so
    found = runs + singles
    several = bool(runs) or len(singles) > 1
    return [
        ctx.flag(
            "english-words",
            "major" if several else "minor",
            f"English {'words' if several else 'word'} left in the French translation: {quoted(found)}",
        )
    ]
