"""Sentence splitting for English and French with NLTK Punkt, fully offline.

Punkt normally loads trained parameters with ``nltk.data``; tqe cannot download them, so the
parameters (abbreviations, words that usually start a sentence) are written here in code and a
few typographic rules are added on top: French spacing before ``? ! : ;``, guillemets, the
ellipsis character, quotes closing after the final period, and "etc." ending a sentence.
"""

from __future__ import annotations

import functools
import re

from nltk.tokenize.punkt import (
    _ORTHO_BEG_UC,
    _ORTHO_MID_LC,
    PunktLanguageVars,
    PunktParameters,
    PunktSentenceTokenizer,
    PunktToken,
)

from tqe.errors import ConfigError

LANGUAGES = ("en", "fr")

# Abbreviations as Punkt stores them: lower case, without the final period.
_ENGLISH_ABBREVIATIONS = """
mr mrs ms messrs dr prof st jr sr mt ft gen col lt sgt capt cmdr adm gov sen rep rev hon pres
e.g i.e etc vs cf al approx ca est dept univ assn bros inc ltd co corp plc llc
no nos fig figs vol vols pp p ch eq a.m p.m u.s u.k u.n u.s.a e.u d.c ph.d
jan feb mar apr jun jul aug sep sept oct nov dec
""".split()

_FRENCH_ABBREVIATIONS = """
m mm mme mmes mlle mlles dr pr st ste p pp ex c.-à-d c-à-d cf etc env av apr j.-c ap
éd coll chap art al vol fig tél réf n no nos hab min ibid op cit suiv sqq
janv févr fév avr juil sept oct nov déc
""".split()

# Abbreviations that (almost) never end a sentence: titles and those announcing what follows.
_ENGLISH_NEVER_FINAL = frozenset(
    "mr mrs ms messrs dr prof gen col lt sgt capt cmdr adm gov sen rep rev hon pres mt "
    "e.g i.e vs cf approx fig figs vol vols pp p".split()
)
_FRENCH_NEVER_FINAL = frozenset(
    "m mm mme mmes mlle mlles dr pr st ste p pp ex c.-à-d c-à-d cf env av vol fig art n no nos réf tél".split()
)

# Abbreviations that end the sentence when a capitalised word follows ("…, pears, etc. Then",
# "until 10 p.m. Will…"): in running text that is far more often a new sentence than a name.
_FINAL_BEFORE_CAPITAL = frozenset({"etc", "a.m", "p.m"})

# Frequent sentence-initial words: seen in lower case inside sentences, so a capitalised one
# after an abbreviation or an initial is evidence of a new sentence (Punkt's orthographic rule).
_ENGLISH_STARTERS = """
the a an this that these those it its he she we they i you there here in on at but and or
however for if when as after before our his her their my all some many most what how why
where who which yes then so also by with from to one two each every since while although
during today yesterday finally meanwhile moreover thus
""".split()

_FRENCH_STARTERS = """
le la les l un une des du de d ce cet cette ces c il elle ils elles on nous vous je j tu
mais et ou en dans pour par sur avec après avant si quand comme alors puis ensuite cependant
pourtant toutefois enfin donc ainsi aujourd hier selon depuis pendant chaque tous toutes
qu quel quelle quels quelles pourquoi comment où oui non
""".split()

# Characters a sentence cannot start with: they close or continue the previous sentence.
_CONTINUATION_START = ",;:)]}»”’"
_LEADING_WORD = re.compile(r"[^\W\d_]+")


class _OrthoContext(dict):
    """Punkt's orthographic table; unknown words read as 0 without being stored."""

    def __missing__(self, key: str) -> int:
        return 0


class _LanguageVars(PunktLanguageVars):
    """Punkt's regular expressions, with the ellipsis character as a possible sentence end and
    closing quotes (» ” ’, after any kind of space) kept with the sentence they close; opening
    ones (« “) stay with the next sentence, since French puts a space after «."""

    sent_end_chars = (".", "?", "!", "\u2026")
    re_boundary_realignment = re.compile(r"[\"')\]}\u2019\u201d\xbb]+?(?:\s+|(?=--)|$)", re.MULTILINE)


class _Tokenizer(PunktSentenceTokenizer):
    """Punkt with fixed rules for abbreviations that never, or nearly always, end a sentence."""

    def __init__(self, params: PunktParameters, never_final: frozenset[str]) -> None:
        super().__init__(lang_vars=_LanguageVars())
        self._params = params
        self._never_final = never_final

    def _second_pass_annotation(self, aug_tok1: PunktToken, aug_tok2: PunktToken | None) -> str | None:
        reason = super()._second_pass_annotation(aug_tok1, aug_tok2)
        if aug_tok2 is None or not aug_tok1.period_final:
            return reason
        word = aug_tok1.type_no_period
        if word in self._never_final:
            aug_tok1.sentbreak = False
            aug_tok1.abbr = True
            return "abbreviation that never ends a sentence"
        if (word in _FINAL_BEFORE_CAPITAL or aug_tok1.ellipsis) and aug_tok2.first_upper:
            aug_tok1.sentbreak = True
            return "abbreviation or ellipsis before a capitalised word"
        return reason


def _normalise_lang(lang: str) -> str:
    code = str(lang).strip().lower().replace("_", "-").split("-")[0]
    if code not in LANGUAGES:
        raise ConfigError(f"unsupported language {lang!r} for sentence splitting; use one of: {', '.join(LANGUAGES)}")
    return code


@functools.lru_cache(maxsize=None)
def _tokenizer(lang: str) -> _Tokenizer:
    """Build (once per language) a Punkt tokenizer from the parameters in this module."""
    if lang == "en":
        abbreviations, never_final, starters = _ENGLISH_ABBREVIATIONS, _ENGLISH_NEVER_FINAL, _ENGLISH_STARTERS
    else:
        abbreviations, never_final, starters = _FRENCH_ABBREVIATIONS, _FRENCH_NEVER_FINAL, _FRENCH_STARTERS
    params = PunktParameters()
    params.abbrev_types = set(abbreviations)
    params.sent_starters = set(starters)
    params.ortho_context = _OrthoContext({word: _ORTHO_MID_LC | _ORTHO_BEG_UC for word in starters})
    return _Tokenizer(params, never_final)


def _continues_previous(sentence: str) -> bool:
    """True when a piece cannot start a sentence: closing punctuation or a lower-case word
    (``"Stop?" he asked``); mixed-case brand names such as "iPhone" do start sentences."""
    if sentence[0] in _CONTINUATION_START:
        return True
    match = _LEADING_WORD.match(sentence)
    return match is not None and match.group().islower()


def split_sentences(text: str, lang: str) -> list[str]:
    """Split a paragraph into sentences (``lang`` "en" or "fr"); stripped, no empty strings."""
    code = _normalise_lang(lang)
    if not text or not text.strip():
        return []
    spans = list(_tokenizer(code).span_tokenize(text))
    sentences: list[str] = []
    start: int | None = None
    end = 0
    for span_start, span_end in spans:
        piece = text[span_start:span_end].strip()
        if not piece:
            continue
        if start is not None and _continues_previous(piece):
            end = span_end
            continue
        if start is not None:
            sentences.append(text[start:end].strip())
        start, end = span_start, span_end
    if start is not None:
        sentences.append(text[start:end].strip())
    return [sentence for sentence in sentences if sentence]
