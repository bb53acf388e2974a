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

Lengths have heavy tails (LENGTH_OUTLIERS), so they cannot outweigh shared content, and three
rules keep links as fine as the shared content supports: a number or name that occurs once on
each side anchors its two sentences into one bead (numbered lists with unrelated lengths stay
1-1); a 2-2 bead needs content crossing between its sentences; a 2-1 or 1-2 bead cannot
absorb a sentence whose numbers or names the other side lacks (that sentence was dropped).
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from array import array
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from nltk.translate.gale_church import LanguageIndependent

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


@functools.lru_cache(maxsize=1 << 16)
def _word_items(word: str, code: str) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
    """What one word adds to sentence_features: (as the sentence's first word, elsewhere).
    Cached: folding accents word by word was most of the time spent reading a document."""
    folded = _fold(word)
    if folded in _STOPWORDS:
        return (), ()
    words = {"en": _ENGLISH_WORDS, "fr": _FRENCH_WORDS}.get(code, {})
    meaning = words.get(folded) or (code == "en" and word[0].isupper() and _ENGLISH_MONTHS.get(folded))
    if meaning:
        return (("number", meaning),), (("number", meaning),)
    items: tuple[tuple[str, str], ...] = (("cognate", folded[:4]),) if len(folded) >= 4 else ()
    if folded in _NOT_NAMES:
        return items, items
    name = (("name", folded[:5]),)  # "Geneva" ~ "Genève", "University" ~ "Université"
    acronym = len(word) >= 2 and word.isupper()
    return (items + name if acronym else items), (items + name if acronym or word[0].isupper() else items)


def sentence_features(sentence: str, lang: str) -> Features:
    """What a sentence can share with its translation: numbers, names, marks, cognate prefixes."""
    code = lang.lower()[:2]
    items = [("number", number) for number in _numbers(sentence, "," if code == "en" else ".")]
    words = _WORD.findall(sentence)
    if words:
        items.extend(_word_items(words[0], code)[0])
        for word in words[1:]:
            items.extend(_word_items(word, code)[1])
    for mark in "?!":
        items.extend([("mark", mark)] * sentence.count(mark))
    if _QUOTES.search(sentence):
        items.append(("quote", "quote"))
    return Counter(items)


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


#: Share of beads whose length ratio says nothing: free rewording, lists of items of any length
#: (numbered steps, table rows). Their standardised length difference follows a Cauchy law of
#: scale 1 instead of Gale–Church's normal law, so a lopsided but true 1-1 bead costs about
#: 5.5 at 7 standard deviations (Gale–Church: about 28) and at most about 9 at any length: the
#: shared numbers, names and cognates can then hold it, instead of a 1-0 next to a 1-2.
LENGTH_OUTLIERS = 0.05


def _length_tail(delta: float) -> float:
    """P(|D| >= |delta|) for D from the mixture: normal, with LENGTH_OUTLIERS Cauchy."""
    delta = abs(delta)
    normal = math.erfc(delta / math.sqrt(2))
    cauchy = 1 - 2 / math.pi * math.atan(delta)
    return (1 - LENGTH_OUTLIERS) * normal + LENGTH_OUTLIERS * cauchy


def length_cost(
    i: int,
    j: int,
    src_lengths: Sequence[int],
    tgt_lengths: Sequence[int],
    shape: tuple[int, int],
    params: type[LanguageIndependent] = EnglishFrench,
) -> float:
    """Gale–Church cost (minus log probability, as NLTK's ``align_log_prob``) of the bead of
    ``shape`` ending before source sentence ``i`` and target sentence ``j``, with heavy tails
    (LENGTH_OUTLIERS) so that lengths alone cannot outweigh any amount of shared content."""
    l_s = sum(src_lengths[i - k - 1] for k in range(shape[0]))
    l_t = sum(tgt_lengths[j - k - 1] for k in range(shape[1]))
    prior = -math.log(params.PRIORS[shape])
    if not l_s and not l_t:
        return prior  # two empty spans: NLTK would divide by zero
    mean = (l_s + l_t / params.AVERAGE_CHARACTERS) / 2
    delta = (l_s * params.AVERAGE_CHARACTERS - l_t) / math.sqrt(mean * params.VARIANCE_CHARACTERS)
    return prior - math.log(_length_tail(delta))


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
    pairs = [empty, empty] + [_joined(singles[k], singles[k + 1]) for k in range(1, len(features))]
    return {1: singles, 2: pairs}


def _joined(first: Span, second: Span) -> Span:
    """The span of two consecutive sentences, from theirs."""
    items = dict(first[0])
    for key, count in second[0].items():
        items[key] = items.get(key, 0) + count
    return items, tuple(a + b for a, b in zip(first[1], second[1]))


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
#: Per source position i (0 to n_source), the first and last target position a path may reach.
Bounds = Sequence[tuple[int, int]]

#: Item kinds that anchor a link when they occur once in each paragraph: numbers and names are
#: shared by chance in 3% of unrelated sentence pairs, but an item that the whole paragraph has
#: only once on each side says where that sentence went, whatever the lengths say.
ANCHOR_KINDS = frozenset({"number", "name"})


def _unique_items(features: Sequence[Features]) -> dict[tuple[str, str], int]:
    """Anchor-kind items that occur exactly once in the paragraph, with their sentence."""
    counts: Counter = Counter()
    where: dict[tuple[str, str], int] = {}
    for index, sentence in enumerate(features):
        for key, count in sentence.items():
            if key[0] in ANCHOR_KINDS:
                counts[key] += count
                where[key] = index
    return {key: where[key] for key, count in counts.items() if count == 1}


def _longest_chain(pairs: Sequence[tuple[int, int]], strict: bool) -> list[tuple[int, int]]:
    """The longest subsequence of ``pairs`` in order on both sides (``strict``: increasing,
    else non-decreasing, so a sentence may anchor two neighbours); the first found on ties.
    Pairs that cross the chain are left out."""
    if strict:
        ordered = sorted(set(pairs), key=lambda pair: (pair[0], -pair[1]))
        place = bisect_left
    else:
        ordered = sorted(set(pairs))
        place = bisect_right
    tails: list[int] = []  # tails[k]: index in ordered of the smallest end of a chain of k + 1
    tail_ends: list[int] = []  # the target sentence of each tail, for bisection
    previous: list[int] = []
    for index, (_, j) in enumerate(ordered):
        k = place(tail_ends, j)
        previous.append(tails[k - 1] if k else -1)
        if k == len(tails):
            tails.append(index)
            tail_ends.append(j)
        else:
            tails[k], tail_ends[k] = index, j
    chain: list[tuple[int, int]] = []
    index = tails[-1] if tails else -1
    while index >= 0:
        chain.append(ordered[index])
        index = previous[index]
    return chain[::-1]


def anchors(
    src_features: Sequence[Features], tgt_features: Sequence[Features], *, strict: bool = False
) -> list[tuple[int, int]]:
    """(source sentence, target sentence) pairs that must share a bead: both hold the same
    number or name, which occurs nowhere else in either paragraph. Pairs that would cross the
    others are dropped (the longest chain in order is kept; ``strict``: at most one pair per
    sentence)."""
    source, target = _unique_items(src_features), _unique_items(tgt_features)
    return _longest_chain([(source[key], target[key]) for key in source.keys() & target.keys()], strict)


def search_bounds(n_source: int, n_target: int, anchor_pairs: Sequence[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """Target positions best_path searches at each source position: those that keep every
    anchor's two sentences in one bead and, for a paragraph of more than BAND_THRESHOLD cells,
    a band of BAND_MARGIN sentences around the straight line between consecutive anchors."""
    bounds = []
    banded = n_source * n_target > BAND_THRESHOLD
    points = [(-1, -1), *anchor_pairs, (n_source, n_target)]
    # Between anchors (a, b) and (c, d): from position i = a + 1 to i = c, target positions
    # b + 1 to d keep both anchors whole. The band follows the line from (a + 1, b + 1) to (c, d).
    for (a, b), (c, d) in zip(points, points[1:]):
        first, last = b + 1, d
        for i in range(a + 1, c + 1):
            lo, hi = first, last
            if banded:
                width = BAND_MARGIN + abs((c - a - 1) - (d - b - 1))
                centre = first + (i - a - 1) * (d - b - 1) / (c - a - 1) if c - a - 1 else first
                lo, hi = max(lo, math.floor(centre - width)), min(hi, math.ceil(centre + width))
            bounds.append((max(lo, 0), min(hi, n_target)))
    return bounds


def best_path(
    n_source: int,
    n_target: int,
    bead_cost: BeadCost,
    bead_types: Sequence[tuple[int, int]] = BEAD_TYPES,
    *,
    bounds: Bounds | None = None,
    allowed: Callable[[int, int, int, int], bool] | None = None,
) -> list[Bead]:
    """Cheapest sequence of beads covering both sides (dynamic programming, ties to the first
    bead type listed). ``bead_cost(i, j, s, t)`` prices the bead ending before source ``i`` and
    target ``j`` with ``s`` source and ``t`` target sentences. Only the target positions in
    ``bounds`` (default: search_bounds without anchors) are searched and stored, so time and
    memory grow with the paragraph's length times the band's width, not with its area.
    ``allowed(i, j, s, t)``, asked only of a bead that would be the cheapest so far, can rule it
    out (the same as an infinite cost, for rules dearer to check than the cost)."""
    if bounds is None:
        bounds = search_bounds(n_source, n_target)
    inf = math.inf
    lows: list[int] = []
    costs: list[array] = []
    backs: list[bytearray] = []  # 0: unreachable, k: bead_types[k - 1]
    shapes = list(enumerate(bead_types, start=1))
    for i in range(n_source + 1):
        lo, hi = bounds[i]
        width = max(0, hi - lo + 1)
        row = array("d", [inf]) * width
        back = bytearray(width)
        lows.append(lo)
        costs.append(row)
        backs.append(back)
        for j in range(lo, hi + 1):
            if i == 0 and j == 0:
                row[0] = 0.0
                continue
            best, best_shape = inf, 0
            for number, (s, t) in shapes:
                if s > i or t > j:
                    continue
                k = j - t - lows[i - s]
                previous = costs[i - s]
                if k < 0 or k >= len(previous) or previous[k] == inf:
                    continue
                total = previous[k] + bead_cost(i, j, s, t)
                if total < best and (allowed is None or allowed(i, j, s, t)):
                    best, best_shape = total, number
            row[j - lo], back[j - lo] = best, best_shape
    beads: list[Bead] = []
    i, j = n_source, n_target
    while i or j:
        k = j - lows[i]
        number = backs[i][k] if 0 <= k < len(backs[i]) else 0
        if not number:  # unreachable only if every bead type was infinitely expensive
            raise ValueError("no alignment path")
        s, t = bead_types[number - 1]
        beads.append((tuple(range(i - s, i)), tuple(range(j - t, j))))
        i, j = i - s, j - t
    beads.reverse()
    return beads


def _has_anchor_kind(span: Span) -> bool:
    """Whether a span holds a number or a name."""
    return bool(span[1][_LETTER_INDEX["n"]] or span[1][_LETTER_INDEX["N"]])


def _shared(source: dict[str, int], target: dict[str, int]) -> int:
    """How many items two spans share (counted with repetition)."""
    return sum(min(source[key], target[key]) for key in source.keys() & target.keys())


@dataclass(frozen=True)
class Side:
    """One side of a paragraph, prepared once however many texts it is aligned with."""

    lengths: list[int]
    features: list[Features]
    spans: dict[int, list[Span]]

    @classmethod
    def of(cls, sentences: Sequence[str], lang: str) -> Side:
        features = [sentence_features(sentence, lang) for sentence in sentences]
        return cls([len(sentence) for sentence in sentences], features, _spans(features))


def align_sides(source: Side, target: Side) -> list[Bead]:
    """align_sentences on sides already prepared (see Side.of)."""
    n_source, n_target = len(source.lengths), len(target.lengths)
    if not n_source or not n_target:
        return [((i,), ()) for i in range(n_source)] + [((), (j,)) for j in range(n_target)]
    src_lengths, tgt_lengths = source.lengths, target.lengths
    # spans[s][i]: the s sentences ending before sentence i, prepared once for every bead.
    src_spans, tgt_spans = source.spans, target.spans
    # The Gale–Church cost depends only on the two spans' lengths and the bead's shape.
    length_costs: dict[tuple[int, int, int, int], float] = {}
    cognate_cache: dict[tuple[int, int], float] = {}
    shared_singles: dict[tuple[int, int], int] = {}

    def shared_single(i: int, j: int) -> int:
        """Items shared by source sentence i - 1 and target sentence j - 1."""
        count = shared_singles.get((i, j))
        if count is None:
            count = shared_singles[i, j] = _shared(src_spans[1][i][0], tgt_spans[1][j][0])
        return count

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

    def rules(anchor_pairs: Sequence[tuple[int, int]]) -> Callable[[int, int, int, int], bool]:
        anchored = set(anchor_pairs)

        def allowed(i: int, j: int, s: int, t: int) -> bool:
            if s == 2 and t == 2:
                return two_by_two_allowed(i, j)
            if s + t == 3:
                return merge_allowed(i, j, s, t)
            return True

        def two_by_two_allowed(i: int, j: int) -> bool:
            # Only where two 1-1 beads would lose shared evidence: an item of one source
            # sentence found only in the other target sentence (content moved across the cut),
            # and no anchor says the two 1-1 beads are right while none crosses them.
            across = _shared(src_spans[2][i][0], tgt_spans[2][j][0]) > shared_single(i - 1, j - 1) + shared_single(i, j)
            if not across:
                return False
            straight = (i - 2, j - 2) in anchored or (i - 1, j - 1) in anchored
            crossed = (i - 2, j - 1) in anchored or (i - 1, j - 2) in anchored
            return crossed or not straight

        def merge_allowed(i: int, j: int, s: int, t: int) -> bool:
            # Not where one of the two sentences holds a number or name the other side lacks
            # and adds nothing to what the bead shares: that sentence was left out, not merged.
            if s == 2:  # source sentences i - 2 and i - 1, target sentence j - 1
                sentences = (src_spans[1][i - 1], src_spans[1][i])
                shared_by_the_other = (lambda: shared_single(i, j), lambda: shared_single(i - 1, j))
                whole = (src_spans[2][i][0], tgt_spans[1][j][0])
            else:  # source sentence i - 1, target sentences j - 2 and j - 1
                sentences = (tgt_spans[1][j - 1], tgt_spans[1][j])
                shared_by_the_other = (lambda: shared_single(i, j), lambda: shared_single(i, j - 1))
                whole = (src_spans[1][i][0], tgt_spans[2][j][0])
            for sentence, other_shares in zip(sentences, shared_by_the_other):
                if _has_anchor_kind(sentence) and _shared(*whole) == other_shares():
                    return False
            return True

        return allowed

    # Anchors that no sequence of beads can keep together (one sentence anchored to three
    # others) leave no path: then keep at most one anchor per sentence, then none.
    tries = (
        lambda: anchors(source.features, target.features),
        lambda: anchors(source.features, target.features, strict=True),
        lambda: [],
    )
    for anchored in tries:
        anchor_pairs = anchored()
        try:
            return best_path(
                n_source,
                n_target,
                bead_cost,
                bounds=search_bounds(n_source, n_target, anchor_pairs),
                allowed=rules(anchor_pairs),
            )
        except ValueError:
            continue
    raise ValueError("no alignment path")


def align_sentences(
    source: Sequence[str], target: Sequence[str], *, src_lang: str = "en", tgt_lang: str = "fr"
) -> list[Bead]:
    """Align the sentences of one paragraph and its translation.

    Returns beads in order, each a pair (source indices, target indices), together covering
    every index of both sides exactly once, e.g. ``[((0,), (0,)), ((1, 2), (1,)), ((3,), ())]``.
    Bead types: 1-1, 1-0, 0-1, 2-1, 1-2 and 2-2. A sentence pair holding the only occurrence
    of a number or name on each side stays in one bead (anchors), and a 2-2 bead is chosen only
    where content crosses between its sentences, never where two 1-1 beads would hold the same
    shared items.
    """
    return align_sides(Side.of(source, src_lang), Side.of(target, tgt_lang))


def link_type(bead: Bead) -> str:
    """The bead's shape as "source count-target count", e.g. "2-1" or "1-0"."""
    return f"{len(bead[0])}-{len(bead[1])}"
