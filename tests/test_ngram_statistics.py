"""tqe.metrics.ngram_statistics gives sacrebleu's own statistics, integer for integer.

Every test extracts the same text with sacrebleu's ``_extract_corpus_statistics`` and with
tqe's faster path, over random text built to hit the corners (repeated n-grams, digits next to
periods and commas, dashes, HTML entities, whitespace of every kind, characters outside the
BMP, empty lines), the bundled sample, several references with some missing, and each option
of BLEU and chrF that changes the statistics.
"""

from __future__ import annotations

import logging
import random
from pathlib import Path

import pytest
from sacrebleu.metrics import BLEU, CHRF
from sacrebleu.tokenizers.tokenizer_13a import Tokenizer13a

from tqe.metrics import ngram_statistics
from tqe.metrics.ngram_statistics import statistics, tokenize_13a

SAMPLE = Path(__file__).resolve().parent.parent / "references"
#: pieces random text is made of: words that repeat, punctuation that 13a splits, numbers
#: with periods, commas and dashes, entities, odd whitespace and characters
PIECES = [
    "le", "la", "les", "chat", "chats", "est", "noir", "l'homme", "aujourd'hui", "n'est", "pas",
    "3.5", "1,000", "2-3", "10-", "U.S.", "e.g.", "a.b", ",", ".", "..", "-", "--", "!", "?", ";", ":",
    "(", ")", "[x]", "{y}", "«", "»", "&quot;", "&amp;", "&lt;", "&gt;", "&", "<skipped>", "-\n", "\n", "\t",
    "\u00a0", "\u2009", "  ", "É", "été", "ÉTÉ", "straße", "😀", "𝔘", "ĳ", "İ", "x" * 8, "aaaa", "abab",
    "\udcff", "a\udce9b", "\ud800",  # lone surrogates, as surrogateescape reading leaves them
]


def random_line(rng: random.Random) -> str:
    words = [rng.choice(PIECES) for _ in range(rng.randint(0, 25))]
    return "".join(word + rng.choice(["", " ", " ", " ", "  "]) for word in words)


def random_corpus(seed: int, count: int = 300) -> tuple[list[str], list[str], list[str]]:
    rng = random.Random(seed)
    hyps = [random_line(rng) for _ in range(count)]
    # references that share much with the hypothesis, so that matches are many
    refs = [hyp if rng.random() < 0.1 else random_line(rng) + " " + hyp[: rng.randint(0, len(hyp))] for hyp in hyps]
    others = [random_line(rng) for _ in range(count)]
    return hyps, refs, others


def sacrebleu_statistics(metric_class, options, hyps, refs):
    return metric_class(**options)._extract_corpus_statistics(hyps, refs)


def fast_statistics(metric_class, options, hyps, refs):
    return statistics(metric_class(**options), hyps, refs)


@pytest.mark.parametrize("seed", range(6))
def test_13a_tokenizer_matches_sacrebleu(seed):
    rng = random.Random(seed)
    sacrebleu_tokenizer = Tokenizer13a()
    for _ in range(500):
        line = random_line(rng)
        assert tokenize_13a(line) == sacrebleu_tokenizer(line), repr(line)


CHRF_OPTIONS = [
    {},
    {"word_order": 2},
    {"word_order": 1},
    {"char_order": 4},
    {"char_order": 1},
    {"lowercase": True},
    {"whitespace": True},
    {"whitespace": True, "lowercase": True, "word_order": 2, "char_order": 3},
]
BLEU_OPTIONS = [
    {},
    {"lowercase": True},
    {"tokenize": "none"},
    {"tokenize": "intl"},
    {"tokenize": "char"},
    {"max_ngram_order": 2},
    {"max_ngram_order": 6},
]


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize(("metric_class", "options"),
                         [(CHRF, options) for options in CHRF_OPTIONS] + [(BLEU, options) for options in BLEU_OPTIONS])
def test_one_reference_matches_sacrebleu(metric_class, options, seed):
    hyps, refs, _ = random_corpus(seed)
    expected = sacrebleu_statistics(metric_class, options, hyps, [refs])
    assert fast_statistics(metric_class, options, hyps, [refs]) == expected


@pytest.mark.parametrize(("metric_class", "options"),
                         [(CHRF, {}), (CHRF, {"word_order": 2}), (BLEU, {}), (BLEU, {"lowercase": True})])
def test_several_references_some_missing_match_sacrebleu(metric_class, options):
    hyps, refs, others = random_corpus(7)
    # the second reference is missing for every third segment, the first for others (sacrebleu's
    # BLEU cannot score a segment with no reference at all)
    second = [line if index % 3 else None for index, line in enumerate(others)]
    first = [line if index % 3 != 1 else None for index, line in enumerate(refs)]
    # segments that have both references, so that the best one must be chosen
    for streams in ([refs, others], [first, second], [refs, second, hyps]):
        assert fast_statistics(metric_class, options, hyps, streams) == \
            sacrebleu_statistics(metric_class, options, hyps, streams)


@pytest.mark.parametrize(("metric_class", "options"), [(CHRF, {}), (CHRF, {"word_order": 2}), (BLEU, {})])
def test_sample_documents_match_sacrebleu(metric_class, options):
    hyps = (SAMPLE / "translation.v1.fr.txt").read_text(encoding="utf-8").splitlines()
    refs = (SAMPLE / "reference.fr.txt").read_text(encoding="utf-8").splitlines()
    assert len(hyps) == len(refs)
    expected = sacrebleu_statistics(metric_class, options, hyps, [refs])
    assert fast_statistics(metric_class, options, hyps, [refs]) == expected
    # and each line against another line: few matches
    assert fast_statistics(metric_class, options, hyps, [refs[1:] + refs[:1]]) == \
        sacrebleu_statistics(metric_class, options, hyps, [refs[1:] + refs[:1]])


def test_empty_and_tiny_segments_match_sacrebleu():
    hyps = ["", "a", "ab", "", "aaaaaaa", " ", "x y", "😀x"]
    refs = ["x", "", "ab", "", "aaa", "", "x  y", "😀"]
    for metric_class, options in ((CHRF, {}), (CHRF, {"word_order": 2}), (BLEU, {})):
        assert fast_statistics(metric_class, options, hyps, [refs]) == \
            sacrebleu_statistics(metric_class, options, hyps, [refs])


def test_lone_surrogates_are_characters_and_words_of_their_own():
    """Two words that differ only in a lone surrogate are different words (pandas.factorize
    would take them for one), and each surrogate is one character, as in Python."""
    hyps = ["a\udcffbc d", "\ud800x", "\udcff \udcfe"]
    refs = ["a\udcffbc", "\ud800y", "\udcfe \udcfe"]
    for metric_class, options in ((CHRF, {}), (CHRF, {"word_order": 2}), (BLEU, {})):
        assert fast_statistics(metric_class, options, hyps, [refs]) == \
            sacrebleu_statistics(metric_class, options, hyps, [refs])


def test_large_alphabets_are_split_until_the_integers_fit():
    """With some thousand distinct characters, ``segment * V**6`` does not fit in 64 bits for
    the whole list: it is halved until it fits; a single pair with more than 1,448 distinct
    characters is counted with Python's counters. Same statistics either way."""
    rng = random.Random(3)
    wide = [chr(code) for code in range(0x4E00, 0x4E00 + 3000)]  # CJK ideographs
    narrow = wide[:900]
    for alphabet in (wide, narrow):
        hyps = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(60)]
        refs = [hyp[: len(hyp) // 2] + "".join(rng.choice(alphabet) for _ in range(10)) for hyp in hyps]
        characters = {c for line in hyps + refs for c in line}
        assert len(characters) ** 6 * len(hyps) >= 2**63  # the fallback is what is tested
        assert fast_statistics(CHRF, {}, hyps, [refs]) == sacrebleu_statistics(CHRF, {}, hyps, [refs])
    hyps = ["".join(wide[:1500]) + "".join(wide[:40]), "abc"]
    refs = ["".join(wide[20:1520]), "abd"]
    assert len(set(hyps[0] + refs[0])) ** 6 >= 2**63
    assert fast_statistics(CHRF, {}, hyps, [refs]) == sacrebleu_statistics(CHRF, {}, hyps, [refs])


def test_whole_list_path_is_used_for_ordinary_text(monkeypatch):
    """The per-pair fallback is not what answers for European text."""
    calls = []
    original = ngram_statistics._char_statistics

    def counting(*args):
        rows = original(*args)
        calls.append(rows is not None)
        return rows

    monkeypatch.setattr(ngram_statistics, "_char_statistics", counting)
    hyps, refs, _ = random_corpus(1)
    fast_statistics(CHRF, {}, hyps, [refs])
    assert calls == [True]


def test_metrics_it_does_not_know_go_to_sacrebleu():
    from sacrebleu.metrics import TER

    assert statistics(TER(), ["a b"], [["a c"]]) is None


@pytest.mark.parametrize("force", [False, True])
def test_tokenized_text_warning_as_sacrebleu(caplog, force):
    hyps = ["le chat est noir ."] * 120
    refs = [["le chat est noir."] * 120]
    with caplog.at_level(logging.WARNING, logger="sacrebleu"):
        BLEU(force=force)._extract_corpus_statistics(hyps, refs)
    expected = [record.getMessage() for record in caplog.records]
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="sacrebleu"):
        statistics(BLEU(force=force), hyps, refs)
    assert [record.getMessage() for record in caplog.records] == expected
    assert bool(expected) is not force
