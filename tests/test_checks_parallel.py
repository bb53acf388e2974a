"""The fast paths of the checks give exactly the flags of the plain computation: checks spread
over worker processes, and the short-cuts some checks take before their costly part."""

from __future__ import annotations

import random
import unicodedata
from difflib import SequenceMatcher
from pathlib import Path

import pytest

import tqe
from tqe.checks import CHECKS, build_context, run_checks
from tqe.checks import parallel
from tqe.checks.base import fold
from tqe.checks.duplicate import _alike
from tqe.checks.presence import language_free
from tqe.config import FlagConfig
from tqe.flag import flag_segments
from tqe.language import LANGUAGES, _scores, zipf

FLAG_SET = Path(__file__).parent.parent / "benchmarks" / "data" / "flags"


def _flag_set_segments() -> tuple[list[str], list[str]]:
    """The labelled flag set's planted documents: every check fires somewhere in them."""
    sources: list[str] = []
    translations: list[str] = []
    for source in sorted((FLAG_SET / "planted-a").glob("*.en.txt")):
        translation = source.with_name(source.name.replace(".en.", ".fr."))
        table = tqe.load_segments(source, translation)
        sources += [text if isinstance(text, str) else "" for text in table["source"]]
        translations += [text if isinstance(text, str) else "" for text in table["translation"]]
    return sources, translations


def test_checks_over_two_workers_give_the_flags_of_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    sources, translations = _flag_set_segments()
    assert len(sources) > 50
    ctx = build_context(sources, translations)
    names = tuple(CHECKS)
    serial = [run_checks(source, translation, ctx, names) for source, translation in zip(sources, translations)]
    assert sum(map(len, serial)) > 20  # the planted errors are found
    monkeypatch.setattr(parallel, "PARALLEL_MIN_SEGMENTS", 10)
    for workers in (2, 3):
        assert [flags for flags, _ in parallel.check_segments(sources, translations, ctx, names, workers=workers)] == serial


def test_reference_checks_run_with_the_others_and_polarity_wins() -> None:
    sources = ["Sales did not rise.", "Sales rose 5% this year in every region we serve.", "Sales rose."]
    translations = ["Les ventes ont augmenté.", "Les ventes ont augmenté.", "Les ventes ont augmenté."]
    references = [["Les ventes n'ont pas augmenté."], ["Les ventes ont augmenté de 5 % cette année dans toutes nos régions."], None]
    ctx = build_context(sources, translations)
    checked = parallel.check_segments(
        sources, translations, ctx, ("polarity",), references=references,
        reference_names=("reference-length", "polarity-reference"),
    )
    (first_flags, first_refs), (_, second_refs), (_, third_refs) = checked
    assert [flag.check for flag in first_flags] == ["polarity"]
    assert "polarity-reference" not in {flag.check for flag in first_refs}  # the source's flag is the one to act on
    assert [flag.check for flag in second_refs] == ["reference-length"]
    assert third_refs == []


def test_reference_flags_take_the_configured_severity() -> None:
    sources, translations = ["Sales rose 5% this year in every region we serve."], ["Les ventes ont augmenté."]
    references = [["Les ventes ont augmenté de 5 % cette année dans toutes nos régions."]]
    for severities, expected in (({}, "minor"), ({"reference-length": "critical"}, "critical")):
        ctx = build_context(sources, translations, severities=severities)
        [(_, from_references)] = parallel.check_segments(
            sources, translations, ctx, (), references=references, reference_names=("reference-length",),
        )
        assert [(flag.check, flag.severity) for flag in from_references] == [("reference-length", expected)]


def test_flag_segments_spreads_a_long_document_without_changing_its_flags(monkeypatch: pytest.MonkeyPatch) -> None:
    source = next((FLAG_SET / "planted-a").glob("*.en.txt"))
    table = tqe.load_segments(source, source.with_name(source.name.replace(".en.", ".fr.")))
    serial = list(flag_segments(table, FlagConfig())["flags"])
    monkeypatch.setattr(parallel, "PARALLEL_MIN_SEGMENTS", 5)
    monkeypatch.setattr(parallel, "available_cores", lambda: 2)
    assert list(flag_segments(table, FlagConfig())["flags"]) == serial


def _slow_fold(text: str) -> str:
    import re

    apostrophes = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u201c": '"', "\u201d": '"'})
    decomposed = unicodedata.normalize("NFKD", text.translate(apostrophes).casefold())
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return re.sub(r"[\s\u00a0\u202f\u2009\u2007]+", " ", stripped).strip()


@pytest.mark.parametrize(
    "text",
    ["Plain ASCII,  two  spaces ", "Été à l’école", "\u00bd km\u00a0!", "ﬁnal STRASSE straße", "İstanbul", "",
     "\u0149 \u2019a\u02bc", "e\u0301\u0327 \u1e69 \u0345\u1fb3", "\u2007 \uac00\u00a0\t\u202f", "« Œuvre » — ½"],
)
def test_fold_takes_its_ascii_short_cut_without_changing_the_result(text: str) -> None:
    assert fold(text) == _slow_fold(text)


def test_fold_through_its_per_character_table_is_a_whole_text_decomposition() -> None:
    """Accents, ligatures, marks in any order, curly apostrophes, spaces of every kind."""
    rng = random.Random(11)
    alphabet = "aeÉéèçœŒß\u0301\u0323\u0307\u0345\u0149\u2019\u02bc\u201c \u00a0\u202f\t\uac00ﬁİ½x"
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        assert fold.__wrapped__(text) == _slow_fold(text), repr(text)


def test_near_copy_bounds_never_change_difflibs_answer() -> None:
    rng = random.Random(7)
    alphabet = "abcde fghij"
    for _ in range(3000):
        first = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        second = list(first)
        for _ in range(rng.randint(0, 6)):  # a few edits: many pairs near the thresholds
            position = rng.randint(0, len(second))
            if rng.random() < 0.5 and position < len(second):
                del second[position]
            else:
                second.insert(position, rng.choice(alphabet))
        second_text = "".join(second)
        ratio = 1.0 if first == second_text else SequenceMatcher(None, first, second_text, autojunk=False).ratio()
        for threshold in (0.8, 0.9):
            assert _alike(first, second_text, threshold) == (ratio >= threshold), (first, second_text)


@pytest.mark.parametrize(
    "text",
    ["see https://nrwa.example.org/report", "plain words only", "call getUserName() now", "`code` and <b>tag</b>", "50 %"],
)
def test_language_free_short_cut_blanks_what_the_full_pass_blanks(text: str) -> None:
    from tqe.checks import presence

    spans_blanked = presence._SPANS.sub(lambda match: " " * len(match.group()), text)
    expected = presence._TOKEN_OR_SPACE.sub(
        lambda match: match.group()
        if presence._CODE_CHARS.isdisjoint(match.group()) and not presence._CODE_SHAPE.search(match.group())
        else " " * len(match.group()),
        spans_blanked,
    )
    assert language_free(text) == expected
    assert len(expected) == len(text)


def test_document_scores_are_the_sums_of_each_token_in_order() -> None:
    tokens = "le chat est sur le tapis and the cat is on the mat le le".split()
    scores = _scores(tokens)
    for language in LANGUAGES:
        assert scores[language] == sum(max(zipf(token, language, "small"), 2.0) for token in tokens)


class _NeverDisjoint:
    """Stands for the starter words so that ``spelled_numbers`` never takes its short-cut."""

    def isdisjoint(self, other: object) -> bool:
        return False


NUMBER_TEXTS = [
    "one of them", "at first, the second one", "one hundred and five", "a hundred people", "twenty-five",
    "un chat et une souris", "vingt et un", "quatre-vingt-dix-sept", "soixante-douze", "le premier des deux",
    "des millions", "3 millions", "cent", "deux mille vingt-quatre", "no number here", "", "İki ﬁve",
    "the one-off second-hand offer", "un unième", "one first", "mille et une nuits",
]


@pytest.mark.parametrize("text", NUMBER_TEXTS)
def test_spelled_numbers_short_cut_finds_what_the_full_scan_finds(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from tqe import numbers

    fast = {language: numbers.spelled_numbers(text, language) for language in ("en", "fr")}
    monkeypatch.setattr(numbers, "_STARTERS", {"en": _NeverDisjoint(), "fr": _NeverDisjoint()})
    assert fast == {language: numbers.spelled_numbers(text, language) for language in ("en", "fr")}


@pytest.mark.parametrize(
    "text",
    ["Hello", "", "   ", "The end. Next", "• Close", "a (Big", "x \u00a0 Y", "line\n", "ok.\n", "«  Titre", "word Word"],
)
def test_sentence_start_reads_like_the_pattern(text: str) -> None:
    from tqe.checks.entities import _SENTENCE_START, _sentence_start

    for end in range(len(text) + 1):
        assert _sentence_start(text, end) == bool(_SENTENCE_START.search(text[:end])), (text, end)


@pytest.mark.parametrize(
    ("source", "translation"),
    [("It costs 12,500 dollars.", "Il coûte 12 500 dollars."), ("We have 12 and 500.", "Nous avons 12 500."),
     ("Pay 1,234.5 now", "Payez 1\u202f234,5 maintenant"), ("Three apples", "Quatre pommes")],
)
def test_numbers_reads_plain_spaces_both_ways_only_where_they_occur(source: str, translation: str) -> None:
    from tqe.checks import numbers as number_check

    found = number_check.check_numbers(source, translation, build_context([source], [translation]))
    comparisons = [
        number_check._compare(source, number_check.english_numbers(source), translation,
                              number_check.french_numbers(translation, split))
        for split in (False, True)
    ]
    best = min(comparisons, key=lambda comparison: comparison.problems)
    assert bool(found) == bool(best.missing or best.extra or best.english_format)
