"""Sentence alignment inside one paragraph: Gale–Church lengths plus shared-content evidence.

Gale–Church (NLTK's ``nltk.translate.gale_church``) compares only character lengths, so it
readily takes a dropped sentence for a 2-1 merge: its cost for an unaligned sentence grows with
the sentence's length until a merge is always cheaper. Here an unaligned sentence has a fixed
cost, and a second term weighs what a source span and a target span share — numbers (English
and French formats), names and acronyms, ``?``/``!``/quotes, and cognates (shared 4-letter
word prefixes, after Simard et al. 1992 and Melamed 1999) — as a log-likelihood ratio: each
shared item is evidence that the spans translate each other, each unshared one evidence
against. A merge that absorbs a sentence whose content the translation lacks therefore costs
more than leaving that sentence unaligned.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence

from nltk.translate.gale_church import LanguageIndependent, align_log_prob

Bead = tuple[tuple[int, ...], tuple[int, ...]]

#: Bead shapes (source sentences, target sentences) the aligner considers, in tie-break order.
BEAD_TYPES: tuple[tuple[int, int], ...] = ((1, 1), (1, 0), (0, 1), (2, 1), (1, 2), (2, 2))

#: Beyond this many cells (n * m) only a diagonal band of the table is searched.
BAND_THRESHOLD = 40_000
#: Half-width of that band, in sentences, on top of the difference in sentence counts.
BAND_MARGIN = 30


class EnglishFrench(LanguageIndependent):
    """Gale–Church parameters for English to French: French text runs about 15% longer
    (1.18 in tests/data/align_corpus.txt and references/)."""

    AVERAGE_CHARACTERS = 1.15


#: Cost of one unaligned sentence (1-0 or 0-1), the same whatever its length. NLTK's grows with
#: the length (a dropped 100-character sentence costs about 21, a lopsided 2-1 merge about 8),
#: which is what makes Gale–Church turn every dropped sentence into a merge. The probability
#: 0.05 is five times Gale–Church's 1-0 prior, since drafts under review drop sentences more
#: often than the Hansard did; results on the test paragraphs hold from 0.02 to 0.1.
NULL_COST = -math.log(0.05)

# Evidence from shared items. Every item of either span is a trial that succeeds when the other
# span has it too. Per kind: (P(success | the spans translate each other), P(success | they do
# not)); measured on tests/data/align_*.txt and references/ (true pairs vs other pairs of the
# same paragraph): numbers 0.99 vs 0.03, names 0.66 vs 0.01, cognates 0.31 vs 0.02; rounded
# towards caution. A success adds log(p / q) of evidence, a failure log((1 - p) / (1 - q)).
_KIND_PROBABILITIES = {
    "number": (0.9, 0.03),
    "name": (0.6, 0.03),
    "mark": (0.85, 0.05),
    "quote": (0.7, 0.08),
}
_SUCCESS = {kind: math.log(p / q) for kind, (p, q) in _KIND_PROBABILITIES.items()}
_FAILURE = {kind: math.log((1 - p) / (1 - q)) for kind, (p, q) in _KIND_PROBABILITIES.items()}
# Cognates are many and their rate varies with how freely a sentence is translated, so for a true
# pair the rate is itself uncertain: Beta(3, 7) (mean 0.3, fitted to the same data), which makes
# the evidence beta-binomial. A long, freely translated sentence sharing few prefixes then stays
# plausible, while a sentence whose prefixes are all missing still counts against a merge.
_COGNATE_BETA = (3.0, 7.0)
_COGNATE_RANDOM = 0.02
#: Items are not independent (a name and its cognate prefix, a word repeated in the next
#: sentence), so their summed evidence is discounted before it is added to the length cost.
SIMILARITY_WEIGHT = 0.5


# Function words that say nothing about which sentence translates which (only those of four
# letters or more matter: shorter words give no cognate prefix). Compared without accents.
_STOPWORDS = frozenset(
    """
    that this these those with from have been were will would could should which what when where
    there their they them then than into onto over more most also only such some very just about
    after before other because while each both your does being upon under here many much even
    still well among between through during without within against whose whom said says
    dans pour avec sont cette mais leur leurs plus nous vous elle elles tous toutes tout comme
    etre avoir avait avaient etait etaient sera seront sans sous entre aussi bien tres deja encore
    apres avant depuis lors dont quand alors donc ainsi chaque autre autres meme celui celle ceux
    cela ceci notre votre nos peut peuvent faire fait selon contre pendant toujours quel quelle
    quels quelles lequel laquelle lesquels lesquelles auquel auxquels duquel leurs dire
    """.split()
)
# Capitalised words that are not names: titles (whose forms differ: "Mr" / "M."), and function
# words capitalised at the start of a clause.
_NOT_NAMES = frozenset("mr mrs ms dr prof m mm mme mlle pr me st ste".split()) | _STOPWORDS


def _lexicon(pairs: str) -> dict[str, str]:
    return dict(pair.split(":") for pair in pairs.split())


# Words that translate one to one and so count like numbers: number words, weekdays, months
# (folded; English months only when capitalised, since "may", "march" are also verbs). French
# "un"/"une" are left out: they are mostly articles.
_ENGLISH_WORDS = _lexicon(
    """
    two:2 three:3 four:4 five:5 six:6 seven:7 eight:8 nine:9 ten:10 eleven:11 twelve:12 thirteen:13
    fourteen:14 fifteen:15 sixteen:16 seventeen:17 eighteen:18 nineteen:19 twenty:20 thirty:30
    forty:40 fifty:50 sixty:60 seventy:70 eighty:80 ninety:90 hundred:100 thousand:1000
    million:1e6 millions:1e6 billion:1e9 billions:1e9
    monday:day1 tuesday:day2 wednesday:day3 thursday:day4 friday:day5 saturday:day6 sunday:day7
    """
)
_ENGLISH_MONTHS = _lexicon(
    """
    january:month1 february:month2 march:month3 april:month4 may:month5 june:month6 july:month7
    august:month8 september:month9 october:month10 november:month11 december:month12
    """
)
_FRENCH_WORDS = _lexicon(
    """
    deux:2 trois:3 quatre:4 cinq:5 six:6 sept:7 huit:8 neuf:9 dix:10 onze:11 douze:12 treize:13
    quatorze:14 quinze:15 seize:16 vingt:20 trente:30 quarante:40 cinquante:50 soixante:60
    cent:100 cents:100 mille:1000 million:1e6 millions:1e6 milliard:1e9 milliards:1e9
    lundi:day1 mardi:day2 mercredi:day3 jeudi:day4 vendredi:day5 samedi:day6 dimanche:day7
    janvier:month1 fevrier:month2 mars:month3 avril:month4 mai:month5 juin:month6 juillet:month7
    aout:month8 septembre:month9 octobre:month10 novembre:month11 decembre:month12
    """
)

_WORD = re.compile(r"[^\W\d_]+")
_NUMBER_RUN = re.compile(r"\d+(?:[.,\u00a0\u202f\u2009 ]\d+)*")
_GROUP_SPACES = "\u00a0\u202f\u2009 "
_QUOTES = re.compile('["“”«»„]')
_FOLD = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss"})

Features = Counter  # Counter[tuple[str, str]]: (kind, value) -> count


def _fold(word: str) -> str:
    """Lower case without accents, so "Genève" and "Geneva" share "gene".

    Not tqe.checks.base.fold: this one also splits the ligatures œ and æ ("cœur" -> "coeur"),
    which the cognate prefixes need, and the alignment scores depend on exactly this folding.
    """
    decomposed = unicodedata.normalize("NFKD", word.lower().translate(_FOLD))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _canonical_number(integer: str, decimals: str) -> str:
    integer = integer.lstrip("0") or "0"
    decimals = decimals.rstrip("0")
    return f"{integer}.{decimals}" if decimals else integer


def _numbers(text: str, thousands_mark: str) -> list[str]:
    """Numbers in ``text`` as canonical strings: "50,000" (en), "50 000", "50.000" (fr) -> "50000";
    "3.5", "3,5" -> "3.5". ``thousands_mark`` is "," for English, "." for French; a thin or
    no-break space groups digits in both; the other mark, or any mark not followed by exactly
    three digits, is a decimal point."""
    numbers: list[str] = []
    for run in _NUMBER_RUN.finditer(text):
        parts = re.split(r"([.,\u00a0\u202f\u2009 ])", run.group())
        integer, decimals, grouped = parts[0], "", len(parts[0]) <= 3
        for mark, digits in zip(parts[1::2], parts[2::2]):
            is_group = len(digits) == 3 and grouped and not decimals
            if is_group and (mark in _GROUP_SPACES or mark == thousands_mark):
                integer += digits
            elif mark not in _GROUP_SPACES and not decimals:
                decimals = digits
            else:
                numbers.append(_canonical_number(integer, decimals))
                integer, decimals, grouped = digits, "", len(digits) <= 3
        numbers.append(_canonical_number(integer, decimals))
    return numbers


def sentence_features(sentence: str, lang: str) -> Features:
    """What a sentence can share with its translation: numbers, names, marks, cognate prefixes."""
    code = lang.lower()[:2]
    features: Features = Counter()
    for number in _numbers(sentence, "," if code == "en" else "."):
        features["number", number] += 1
    words = {"en": _ENGLISH_WORDS, "fr": _FRENCH_WORDS}.get(code, {})
    for position, match in enumerate(_WORD.finditer(sentence)):
        word = match.group()
        folded = _fold(word)
        if folded in _STOPWORDS:
            continue
        meaning = words.get(folded) or (code == "en" and word[0].isupper() and _ENGLISH_MONTHS.get(folded))
        if meaning:
            features["number", meaning] += 1
            continue
        if len(folded) >= 4:
            features["cognate", folded[:4]] += 1
        acronym = len(word) >= 2 and word.isupper()
        if (acronym or (position > 0 and word[0].isupper())) and folded not in _NOT_NAMES:
            features["name", folded[:5]] += 1  # "Geneva" ~ "Genève", "University" ~ "Université"
    for mark in "?!":
        if mark in sentence:
            features["mark", mark] += sentence.count(mark)
    if _QUOTES.search(sentence):
        features["quote", "quote"] += 1
    return features


def _log_beta(a: float, b: float) -> float:
    return math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)


def _cognate_evidence(trials: int, successes: int) -> float:
    """log P(successes | translations, beta-binomial) - log P(successes | unrelated, binomial),
    without the binomial coefficient, common to both."""
    if not trials:
        return 0.0
    a, b = _COGNATE_BETA
    translated = _log_beta(successes + a, trials - successes + b) - _log_beta(a, b)
    unrelated = successes * math.log(_COGNATE_RANDOM) + (trials - successes) * math.log(1 - _COGNATE_RANDOM)
    return translated - unrelated


def similarity_cost(source: Features, target: Features) -> float:
    """Minus the log-likelihood ratio that two spans translate each other rather than not,
    from the items they share; below zero when they share more than chance would give."""
    trials: Counter = Counter()
    for (kind, _), count in source.items():
        trials[kind] += count
    for (kind, _), count in target.items():
        trials[kind] += count
    successes: Counter = Counter()
    smaller, larger = (source, target) if len(source) <= len(target) else (target, source)
    for key, count in smaller.items():
        shared = min(count, larger.get(key, 0))
        if shared:
            successes[key[0]] += 2 * shared
    evidence = _cognate_evidence(trials["cognate"], successes["cognate"])
    for kind in _KIND_PROBABILITIES:
        if trials[kind]:
            evidence += successes[kind] * _SUCCESS[kind] + (trials[kind] - successes[kind]) * _FAILURE[kind]
    return -SIMILARITY_WEIGHT * evidence


def length_cost(
    i: int,
    j: int,
    src_lengths: Sequence[int],
    tgt_lengths: Sequence[int],
    shape: tuple[int, int],
    params: type[LanguageIndependent] = EnglishFrench,
) -> float:
    """Gale–Church cost (minus log probability, NLTK's ``align_log_prob``) of the bead of
    ``shape`` ending before source sentence ``i`` and target sentence ``j``."""
    if not any(src_lengths[i - k - 1] for k in range(shape[0])) and not any(
        tgt_lengths[j - k - 1] for k in range(shape[1])
    ):
        return -math.log(params.PRIORS[shape])  # two empty spans: NLTK would divide by zero
    return align_log_prob(i, j, src_lengths, tgt_lengths, shape, params)


# The fast path of align_sentences: similarity_cost on spans prepared once per sentence, giving
# bit-for-bit the same costs (the same integers, then the same floating-point operations in the
# same order), so the beads do not change. A span is (items, trials): items maps "kind letter +
# value" to its count (string keys hash once, so intersecting two spans is cheap); trials holds
# the span's item count per kind, in _SPAN_KINDS order.
_SPAN_KINDS = ("cognate", "number", "name", "mark", "quote")
_KIND_LETTERS = {"cognate": "c", "number": "n", "name": "N", "mark": "m", "quote": "q"}
_LETTER_INDEX = {_KIND_LETTERS[kind]: index for index, kind in enumerate(_SPAN_KINDS)}
_SPAN_SUCCESS = tuple(_SUCCESS[kind] for kind in _SPAN_KINDS[1:])
_SPAN_FAILURE = tuple(_FAILURE[kind] for kind in _SPAN_KINDS[1:])

Span = tuple[dict[str, int], tuple[int, ...]]


def _span(features: Features) -> Span:
    """``features`` in the form _span_similarity takes."""
    trials = [0] * len(_SPAN_KINDS)
    items: dict[str, int] = {}
    for (kind, value), count in features.items():
        letter = _KIND_LETTERS[kind]
        items[letter + value] = count
        trials[_LETTER_INDEX[letter]] += count
    return items, tuple(trials)


def _spans(features: list[Features]) -> dict[int, list[Span]]:
    """Spans of one sentence ([1][i]: sentence i - 1) and of two ([2][i]: sentences i - 2 and
    i - 1), indexed by the sentence they end before, as bead_cost looks them up."""
    empty = _span(Features())
    singles = [empty] + [_span(f) for f in features]
    pairs = [empty, empty] + [_span(features[k - 1] + features[k]) for k in range(1, len(features))]
    return {1: singles, 2: pairs}


def _span_similarity(source: Span, target: Span, cognate_cache: dict[tuple[int, int], float]) -> float:
    """similarity_cost of the spans ``source`` and ``target`` came from, exactly, faster.
    ``cognate_cache`` memoises _cognate_evidence across calls."""
    src_items, src_trials = source
    tgt_items, tgt_trials = target
    successes = [0, 0, 0, 0, 0]
    for key in src_items.keys() & tgt_items.keys():
        successes[_LETTER_INDEX[key[0]]] += 2 * min(src_items[key], tgt_items[key])
    cognates = (src_trials[0] + tgt_trials[0], successes[0])
    evidence = cognate_cache.get(cognates)
    if evidence is None:
        evidence = cognate_cache[cognates] = _cognate_evidence(*cognates)
    for k in range(1, 5):
        trials = src_trials[k] + tgt_trials[k]
        if trials:
            evidence += successes[k] * _SPAN_SUCCESS[k - 1] + (trials - successes[k]) * _SPAN_FAILURE[k - 1]
    return -SIMILARITY_WEIGHT * evidence


BeadCost = Callable[[int, int, int, int], float]


def best_path(
    n_source: int, n_target: int, bead_cost: BeadCost, bead_types: Sequence[tuple[int, int]] = BEAD_TYPES
) -> list[Bead]:
    """Cheapest sequence of beads covering both sides (dynamic programming, ties to the first
    bead type listed). ``bead_cost(i, j, s, t)`` prices the bead ending before source ``i`` and
    target ``j`` with ``s`` source and ``t`` target sentences. Long paragraphs search a band."""
    band = None
    if n_source * n_target > BAND_THRESHOLD:
        band = BAND_MARGIN + abs(n_source - n_target)
    inf = math.inf
    cost = [[inf] * (n_target + 1) for _ in range(n_source + 1)]
    back: list[list[tuple[int, int] | None]] = [[None] * (n_target + 1) for _ in range(n_source + 1)]
    cost[0][0] = 0.0
    for i in range(n_source + 1):
        if band is None:
            j_range = range(n_target + 1)
        else:
            centre = i * n_target / n_source if n_source else 0
            j_range = range(max(0, math.floor(centre - band)), min(n_target, math.ceil(centre + band)) + 1)
        for j in j_range:
            if i == 0 and j == 0:
                continue
            best, best_shape = inf, None
            for s, t in bead_types:
                if s > i or t > j or cost[i - s][j - t] == inf:
                    continue
                total = cost[i - s][j - t] + bead_cost(i, j, s, t)
                if total < best:
                    best, best_shape = total, (s, t)
            cost[i][j], back[i][j] = best, best_shape
    beads: list[Bead] = []
    i, j = n_source, n_target
    while i or j:
        shape = back[i][j]
        if shape is None:  # unreachable only if every bead type was infinitely expensive
            raise ValueError("no alignment path")
        s, t = shape
        beads.append((tuple(range(i - s, i)), tuple(range(j - t, j))))
        i, j = i - s, j - t
    beads.reverse()
    return beads


def align_sentences(
    source: Sequence[str], target: Sequence[str], *, src_lang: str = "en", tgt_lang: str = "fr"
) -> list[Bead]:
    """Align the sentences of one paragraph and its translation.

    Returns beads in order, each a pair (source indices, target indices), together covering
    every index of both sides exactly once, e.g. ``[((0,), (0,)), ((1, 2), (1,)), ((3,), ())]``.
    Bead types: 1-1, 1-0, 0-1, 2-1, 1-2 and 2-2.
    """
    if not source or not target:
        return [((i,), ()) for i in range(len(source))] + [((), (j,)) for j in range(len(target))]
    src_lengths = [len(sentence) for sentence in source]
    tgt_lengths = [len(sentence) for sentence in target]
    src_features = [sentence_features(sentence, src_lang) for sentence in source]
    tgt_features = [sentence_features(sentence, tgt_lang) for sentence in target]
    # spans[s][i]: the s sentences ending before sentence i, prepared once for every bead.
    src_spans = _spans(src_features)
    tgt_spans = _spans(tgt_features)
    # The Gale–Church cost depends only on the two spans' lengths and the bead's shape.
    length_costs: dict[tuple[int, int, int, int], float] = {}
    cognate_cache: dict[tuple[int, int], float] = {}

    def bead_cost(i: int, j: int, s: int, t: int) -> float:
        if s == 0 or t == 0:
            return NULL_COST
        l_s = src_lengths[i - 1] if s == 1 else src_lengths[i - 1] + src_lengths[i - 2]
        l_t = tgt_lengths[j - 1] if t == 1 else tgt_lengths[j - 1] + tgt_lengths[j - 2]
        key = (l_s, l_t, s, t)
        length = length_costs.get(key)
        if length is None:
            length = length_costs[key] = length_cost(i, j, src_lengths, tgt_lengths, (s, t))
        return length + _span_similarity(src_spans[s][i], tgt_spans[t][j], cognate_cache)

    return best_path(len(source), len(target), bead_cost)


def link_type(bead: Bead) -> str:
    """The bead's shape as "source count-target count", e.g. "2-1" or "1-0"."""
    return f"{len(bead[0])}-{len(bead[1])}"
