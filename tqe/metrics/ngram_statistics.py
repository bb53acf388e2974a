"""sacrebleu's BLEU and chrF segment statistics, the same integers, computed faster.

sacrebleu extracts each segment's n-gram statistics with Python loops over every n-gram
(``_get_match_statistics``, ``_compute_segment_statistics``) and tokenizes BLEU's 13a text
with regular expressions whose replacement templates are expanded in Python at every space.
That extraction is nearly all of a scoring run. Here the same statistics come from the same
n-grams with the work moved into C:

* chrF's character n-grams of a whole list of segments at once (:func:`_char_statistics`):
  each n-gram is the integer ``segment * V**n + its characters in base V`` (V the number of
  distinct characters in the list), so counting n-grams is sorting integers with numpy and
  the matched count ``sum(min(hyp count, ref count))`` of each segment is a lookup and a
  ``bincount``. When those integers would not fit in 64 bits, the list is halved;
* elsewhere (BLEU, chrF++'s word n-grams) the matched count of an order is a set
  intersection; when either side's n-grams of that order are all distinct (nearly always
  from trigrams on) it is the size of that intersection, otherwise the minimum is taken over
  the shared n-grams only, never over every n-gram of the hypothesis. BLEU's word n-grams
  are tuples made by ``zip``;
* the 13a tokenizer works word by word (its rules never join across whitespace, see
  :func:`tokens_13a`) and each distinct word is tokenized once: the first rule (a space on
  each side of 28 punctuation characters) is one ``str.replace`` per character the word
  holds; the three context rules are sacrebleu's own regular expressions, run only on words
  holding the character they act on, with replacement functions instead of templates.

Every other choice is sacrebleu's: preprocessing (lowercasing, whitespace removal,
``_remove_punctuation`` for chrF++ words, tokenizers other than 13a), the reference with the
best chrF F-score, BLEU's merged reference counts and closest reference length, references
left out as ``None``, the warning about tokenized hypotheses. :func:`statistics` answers for
the metric objects it knows (BLEU, chrF, chrF++) and returns None for the rest (TER), which
go through sacrebleu. ``tests/test_ngram_statistics.py`` compares every statistic with
``_extract_corpus_statistics`` on random and real text, for each option.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

#: per order: (number of n-grams, their counts or None when all are distinct, their set)
_Order = tuple[int, "Counter[Any] | None", "set[Any] | Any"]

#: sacrebleu's 13a rule ``([\{-\~\[-\` -\&\(-\+\:-\@\/])`` -> `` \1 ``: one ``str.replace`` per
#: character the line holds (the space first, so that the spaces added after it stay single)
_13A_SPACED = tuple((character, f" {character} ") for character in " {|}~[\\]^_`!\"#$%&()*+:;<=>?@/")
#: sacrebleu's three context rules, in its order, with their replacements
_13A_PERIOD_AFTER = re.compile(r"([^0-9])([\.,])")
_13A_PERIOD_BEFORE = re.compile(r"([\.,])([^0-9])")
_13A_DASH = re.compile(r"([0-9])(-)")


def _after(match: re.Match[str]) -> str:  # r"\1 \2 "
    return f"{match[1]} {match[2]} "


def _before(match: re.Match[str]) -> str:  # r" \1 \2"
    return f" {match[1]} {match[2]}"


#: chrF++'s punctuation (sacrebleu's CHRF._PUNCTS)
_CHRF_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def _word_tokens_13a(word: str) -> tuple[str, ...]:
    """The 13a tokens of one whitespace-free word: its rules, with a space on each side as
    the context the word has in its line."""
    for character, spaced in _13A_SPACED[1:]:
        if character in word:
            word = word.replace(character, spaced)
    word = f" {word} "
    if "." in word or "," in word:
        word = _13A_PERIOD_BEFORE.sub(_before, _13A_PERIOD_AFTER.sub(_after, word))
    if "-" in word:
        word = _13A_DASH.sub(_after, word)
    return tuple(word.split())


#: each word's 13a tokens, as words recur; emptied when it reaches :data:`_WORD_CACHE_SIZE`
_WORD_CACHE: dict[str, tuple[str, ...]] = {}
_WORD_CACHE_SIZE = 200_000


def tokens_13a(line: str) -> list[str]:
    """The tokens of sacrebleu's ``Tokenizer13a()(line)``. Its rules look at two characters
    at a time and never join across whitespace (a space is neither a digit, a period, a comma
    nor a dash, and no rule can consume one and then match from it), so a line's tokens are
    its whitespace-separated words' tokens, and each distinct word is tokenized once."""
    line = line.replace("<skipped>", "").replace("-\n", "").replace("\n", " ")
    if "&" in line:
        line = line.replace("&quot;", '"').replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
    cache = _WORD_CACHE
    tokens: list[str] = []
    for word in line.split():
        word_tokens = cache.get(word)
        if word_tokens is None:
            if len(cache) >= _WORD_CACHE_SIZE:
                cache.clear()
            word_tokens = cache[word] = _word_tokens_13a(word)
        tokens += word_tokens
    return tokens


def tokenize_13a(line: str) -> str:
    """sacrebleu's ``Tokenizer13a()(line)``."""
    return " ".join(tokens_13a(line))


def _order(grams: list[Any], maybe_distinct: bool) -> _Order:
    if maybe_distinct:
        distinct = set(grams)
        if len(distinct) == len(grams):
            return len(grams), None, distinct
    counts = Counter(grams)
    return len(grams), counts, counts.keys()


def _matched(hyp: _Order, ref: _Order) -> int:
    """``sum(min(hyp count, ref count))`` over the n-grams both sides have."""
    _, hyp_counts, hyp_keys = hyp
    _, ref_counts, ref_keys = ref
    shared = hyp_keys & ref_keys
    if hyp_counts is None or ref_counts is None:
        return len(shared)  # one side has each n-gram once: min(1, count) == 1
    return sum(map(min, map(hyp_counts.__getitem__, shared), map(ref_counts.__getitem__, shared)))


def _char_orders(text: str, max_order: int) -> list[_Order]:
    orders = [_order(list(text), False)] if max_order >= 1 else []
    for n in range(2, max_order + 1):
        orders.append(_order([text[i : i + n] for i in range(len(text) - n + 1)], n > 2))
    return orders


def _counted(keys: Any) -> tuple[Any, Any]:
    """The distinct values of an integer array, sorted, and how often each occurs."""
    import numpy as np

    ordered = np.sort(keys)
    if not len(ordered):
        return ordered, ordered
    ends = np.flatnonzero(ordered[1:] != ordered[:-1])
    counts = np.empty(len(ends) + 1, dtype=np.int64)
    counts[0] = ends[0] + 1 if len(ends) else len(ordered)
    counts[1:-1] = np.diff(ends)
    if len(ends):
        counts[-1] = len(ordered) - 1 - ends[-1]
    return ordered[np.append(ends, len(ordered) - 1)], counts


def _positions(lengths: Any) -> tuple[Any, Any]:
    """For the items of segments of ``lengths`` laid end to end: each one's segment, and how
    many items its segment has from it on (itself included)."""
    import numpy as np

    segment = np.repeat(np.arange(len(lengths), dtype=np.int64), lengths)
    offsets = np.arange(int(lengths.sum()), dtype=np.int64) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    return segment, np.repeat(lengths, lengths) - offsets


def _matched_per_segment(hyp_keys: Any, ref_keys: Any, scale: int, count: int) -> Any:
    """``sum(min(hyp count, ref count))`` per segment, for n-grams as ``segment * scale + gram``."""
    import numpy as np

    hyp_keys, hyp_counts = _counted(hyp_keys)
    ref_keys, ref_counts = _counted(ref_keys)
    if not len(ref_keys) or not len(hyp_keys):
        return np.zeros(count, dtype=np.int64)
    at = np.minimum(np.searchsorted(ref_keys, hyp_keys), len(ref_keys) - 1)
    shared = ref_keys[at] == hyp_keys
    weights = np.minimum(hyp_counts[shared], ref_counts[at[shared]])
    return np.bincount(hyp_keys[shared] // scale, weights=weights, minlength=count).astype(np.int64)


def _char_statistics(hypotheses: list[str], references: list[str], max_order: int) -> list[list[int]] | None:
    """chrF's character statistics ``[hyp, ref, matched] * max_order`` of each pair, for the
    whole list at once: each character n-gram becomes the integer ``segment * V**n + its
    characters in base V`` (V the distinct characters of the list), so counting and matching
    n-grams is sorting integers. None when those integers would not fit in 64 bits."""
    import numpy as np

    count = len(hypotheses)
    hyp_lengths = np.fromiter(map(len, hypotheses), dtype=np.int64, count=count)
    ref_lengths = np.fromiter(map(len, references), dtype=np.int64, count=count)
    # one code unit per character of the Python string, lone surrogates included
    hyp_chars = np.frombuffer("".join(hypotheses).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    ref_chars = np.frombuffer("".join(references).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    present = np.zeros(int(max(hyp_chars.max(initial=0), ref_chars.max(initial=0))) + 1, dtype=bool)
    present[hyp_chars] = True
    present[ref_chars] = True
    # each character's rank among the characters of the list
    rank = np.cumsum(present, dtype=np.int64) - 1
    base = max(int(rank[-1]) + 1, 1)
    if count * base**max_order >= 2**63:
        return None
    sides = [(rank[chars], *_positions(lengths)) for chars, lengths in ((hyp_chars, hyp_lengths), (ref_chars, ref_lengths))]
    polynomials = [ids.copy() for ids, _, _ in sides]
    columns = []
    for n in range(1, max_order + 1):
        scale = base**n
        keys = []
        for side, (ids, segment, left) in enumerate(sides):
            starts = len(ids) - n + 1
            if n > 1 and starts > 0:
                # add the n-th character: positions whose n-gram would cross the end are masked
                polynomial = polynomials[side]
                polynomial[:starts] = polynomial[:starts] * base + ids[n - 1 :]
            valid = left >= n
            keys.append(segment[valid] * scale + polynomials[side][valid])
        hyp_total = np.maximum(hyp_lengths - n + 1, 0)
        ref_total = np.maximum(ref_lengths - n + 1, 0)
        columns += [np.where(ref_total > 0, hyp_total, 0), ref_total, _matched_per_segment(*keys, scale, count)]
    return np.stack(columns, axis=1).tolist() if columns else [[] for _ in range(count)]


def _word_statistics(hyp_tokens: list[list[str]], ref_tokens: list[list[str]], max_order: int) -> list[list[int]]:
    """BLEU's statistics ``[hyp length, ref length, matched * max_order, total * max_order]``
    of each pair with one reference, for the whole list at once. The words are numbered,
    then each order's n-grams are numbered from the previous order's
    numbers and the next word, so ``segment * n-grams + number`` always fits in 64 bits."""
    import numpy as np

    count = len(hyp_tokens)
    hyp_lengths = np.fromiter(map(len, hyp_tokens), dtype=np.int64, count=count)
    ref_lengths = np.fromiter(map(len, ref_tokens), dtype=np.int64, count=count)
    # a dict numbers the words (pandas.factorize takes strings with different lone surrogates
    # for the same word)
    vocabulary: dict[str, int] = {}
    number = vocabulary.setdefault
    ids = np.fromiter((number(word, len(vocabulary)) for tokens in (*hyp_tokens, *ref_tokens) for word in tokens),
                      dtype=np.int64)
    base = len(vocabulary) + 1
    hyp_count = int(hyp_lengths.sum())
    hyp_segment, hyp_left = _positions(hyp_lengths)
    ref_segment, ref_left = _positions(ref_lengths)
    grams = ids.copy()
    matched, total = [], []
    for n in range(1, max_order + 1):
        starts = len(ids) - n + 1
        if n > 1 and starts > 0:
            # number each n-gram from its (n-1)-gram's number and its last word; positions whose
            # n-gram would cross the end of a segment are masked below
            grams[:starts] = grams[:starts] * base + ids[n - 1 :]
            grams = np.unique(grams, return_inverse=True)[1].astype(np.int64)
        scale = int(grams.max(initial=0)) + 1
        hyp_valid, ref_valid = hyp_left >= n, ref_left >= n
        matched.append(_matched_per_segment(
            hyp_segment[hyp_valid] * scale + grams[:hyp_count][hyp_valid],
            ref_segment[ref_valid] * scale + grams[hyp_count:][ref_valid],
            scale, count,
        ))
        total.append(np.maximum(hyp_lengths - n + 1, 0))
    return np.stack([hyp_lengths, ref_lengths, *matched, *total], axis=1).tolist()


def _chrf_words(text: str) -> list[str]:
    """sacrebleu's ``CHRF._remove_punctuation``."""
    tokenized: list[str] = []
    for word in text.split():
        if len(word) == 1:
            tokenized.append(word)
        elif word[-1] in _CHRF_PUNCTUATION:
            tokenized += [word[:-1], word[-1]]
        elif word[0] in _CHRF_PUNCTUATION:
            tokenized += [word[0], word[1:]]
        else:
            tokenized.append(word)
    return tokenized


def _char_rows(hypotheses: list[str], references: list[str], max_order: int) -> list[list[int]]:
    """:func:`_char_statistics`, in halves while the integers would not fit, and one pair at
    a time with Python's counters for an alphabet too large even for one pair."""
    rows = _char_statistics(hypotheses, references, max_order)
    if rows is not None:
        return rows
    if len(hypotheses) > 1:
        half = len(hypotheses) // 2
        return (_char_rows(hypotheses[:half], references[:half], max_order)
                + _char_rows(hypotheses[half:], references[half:], max_order))
    rows = []
    for hyp, ref in zip(_char_orders(hypotheses[0], max_order), _char_orders(references[0], max_order)):
        rows += (hyp[0] if ref[0] else 0, ref[0], _matched(hyp, ref))
    return [rows]


def _word_rows(metric: Any, hypotheses: list[str], references: list[str]) -> list[list[int]]:
    """chrF++'s word statistics ``[hyp, ref, matched] * word_order`` of each pair."""
    rows = []
    for hypothesis, reference in zip(hypotheses, references):
        hyp_words, ref_words = _chrf_words(hypothesis), _chrf_words(reference)
        row: list[int] = []
        for n in range(1, metric.word_order + 1):
            hyp = _order([" ".join(hyp_words[i : i + n]) for i in range(len(hyp_words) - n + 1)], n > 1)
            ref = _order([" ".join(ref_words[i : i + n]) for i in range(len(ref_words) - n + 1)], n > 1)
            row += (hyp[0] if ref[0] else 0, ref[0], _matched(hyp, ref))
        rows.append(row)
    return rows


def _chrf_statistics(metric: Any, hypotheses: Sequence[str], references: Sequence[Sequence[str]]) -> list:
    from tqe.metrics.sacrebleu_api import score_from_sum

    def prepared(text: str) -> str:
        return text.lower() if metric.lowercase else text

    def characters(text: str) -> str:
        return text if metric.whitespace else "".join(text.split())

    hypotheses = [prepared(hypothesis) for hypothesis in hypotheses]
    hyp_characters = [characters(hypothesis) for hypothesis in hypotheses]
    # each reference stream against every hypothesis ('' where a segment lacks that reference)
    per_stream = []
    for stream in references:
        lines = [prepared(line) if line is not None else "" for line in stream]
        rows = _char_rows(hyp_characters, [characters(line) for line in lines], metric.char_order)
        if metric.word_order > 0:
            rows = [chars + words for chars, words in zip(rows, _word_rows(metric, hypotheses, lines))]
        per_stream.append(rows)
    if len(per_stream) == 1 and all(line is not None for line in references[0]):
        return per_stream[0]
    stats = []
    for index, refs in enumerate(zip(*references)):
        present = [stream for stream, line in enumerate(refs) if line is not None]
        best: list[int] = []
        best_f_score = -1.0
        for stream in present:  # sacrebleu keeps the first reference with the best F-score
            row = per_stream[stream][index]
            f_score = score_from_sum(metric, row).score if len(present) > 1 else 0.0
            if f_score > best_f_score:
                best_f_score, best = f_score, row
        stats.append(best)
    return stats


def _word_orders(tokens: list[str], max_order: int) -> list[_Order]:
    orders = [_order(tokens, False)] if max_order >= 1 else []
    for n in range(2, max_order + 1):
        orders.append(_order(list(zip(*(tokens[i:] for i in range(n)))), n > 2))
    return orders


def _merged(orders: list[list[_Order]]) -> list[_Order]:
    """sacrebleu's merged reference n-grams: each n-gram with its largest count in any
    reference."""
    if len(orders) == 1:
        return orders[0]
    merged = []
    for per_reference in zip(*orders):
        counts: Counter[Any] = Counter()
        for total, reference_counts, keys in per_reference:
            for gram, count in (reference_counts.items() if reference_counts is not None else ((g, 1) for g in keys)):
                if count > counts[gram]:
                    counts[gram] = count
        merged.append((sum(counts.values()), counts, counts.keys()))
    return merged


def _closest_length(hyp_len: int, ref_lens: list[int]) -> int:
    """sacrebleu's ``BLEU._get_closest_ref_len``."""
    closest_diff, closest_len = -1, -1
    for ref_len in ref_lens:
        diff = abs(hyp_len - ref_len)
        if closest_diff == -1 or diff < closest_diff:
            closest_diff, closest_len = diff, ref_len
        elif diff == closest_diff and ref_len < closest_len:
            closest_len = ref_len
    return closest_len


def _bleu_statistics(metric: Any, hypotheses: Sequence[str], references: Sequence[Sequence[str]]) -> list:
    tokenizer = metric.tokenizer
    lowercase, max_order = metric.lowercase, metric.max_ngram_order
    thirteen_a = type(tokenizer).__name__ == "Tokenizer13a"

    def tokens(text: str) -> list[str]:
        text = (text.lower() if lowercase else text).rstrip()
        return tokens_13a(text) if thirteen_a else tokenizer(text).split()

    if len(references) == 1 and all(line is not None for line in references[0]):
        return _word_statistics([tokens(line) for line in hypotheses], [tokens(line) for line in references[0]],
                                max_order)
    stats = []
    for hypothesis, refs in zip(hypotheses, zip(*references)):
        ref_tokens = [tokens(line) for line in refs if line is not None]
        hyp_tokens = tokens(hypothesis)
        ref_orders = _merged([_word_orders(words, max_order) for words in ref_tokens]) if ref_tokens else []
        correct, total = [0] * max_order, [0] * max_order
        for n, hyp in enumerate(_word_orders(hyp_tokens, max_order)):
            total[n] = hyp[0]
            if ref_orders:
                correct[n] = _matched(hyp, ref_orders[n])
        ref_len = _closest_length(len(hyp_tokens), [len(words) for words in ref_tokens])
        stats.append([len(hyp_tokens), ref_len, *correct, *total])
    return stats


def _warn_if_tokenized(metric: Any, hypotheses: Sequence[str]) -> None:
    """sacrebleu's warning about hypotheses that look tokenized (its ``force`` option off)."""
    if getattr(metric, "_force", True) or sum(1 for hypothesis in hypotheses if hypothesis.endswith(" .")) < 100:
        return
    logger = logging.getLogger("sacrebleu")
    logger.warning("That's 100 lines that end in a tokenized period ('.')")
    logger.warning("It looks like you forgot to detokenize your test data, which may hurt your score.")
    logger.warning("If you insist your data is detokenized, or don't care, you can suppress this message with "
                   "the `force` parameter.")


def statistics(metric: Any, hypotheses: Sequence[str], references: Sequence[Sequence[str]]) -> list | None:
    """``metric._extract_corpus_statistics(hypotheses, references)`` for a sacrebleu BLEU or
    CHRF object; None for another metric."""
    from tqe.metrics.sacrebleu_api import check_sacrebleu

    check_sacrebleu()
    kind = type(metric).__name__
    if kind == "CHRF":
        extract = _chrf_statistics
    elif kind == "BLEU":
        extract = _bleu_statistics
    else:
        return None
    _warn_if_tokenized(metric, hypotheses)
    return extract(metric, hypotheses, references)
