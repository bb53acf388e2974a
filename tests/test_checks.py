"""Each rule-based check on small English -> French cases that must and must not flag."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pandas as pd
import pytest

from tqe.checks import (
    CHECKS,
    CheckContext,
    Flag,
    GlossaryEntry,
    build_context,
    load_dnt,
    load_glossary,
    run_checks,
)
from tqe.checks.base import fold, quoted
from tqe.checks.consistency import check_consistency
from tqe.checks.encoding import check_encoding
from tqe.checks.entities import check_named_entities
from tqe.checks.glossary import check_dnt, check_glossary
from tqe.checks.length import check_length_ratio
from tqe.checks.links import check_emails, check_urls
from tqe.checks.numbers import check_numbers, english_numbers, french_numbers
from tqe.checks.presence import check_addition, check_empty, check_untranslated
from tqe.checks.punctuation import check_brackets, check_end_punctuation, ending
from tqe.checks.typography import check_double_space, check_typography
from tqe.config import FlagConfig
from tqe.errors import InputError
from tqe.flag import flag_segments

DATA = Path(__file__).parent / "data"
CTX = CheckContext()
NBSP, NNBSP = "\u00a0", "\u202f"


def messages(flags: list[Flag]) -> list[str]:
    return [flag.message for flag in flags]


# ------------------------------------------------------------------ empty, addition, untranslated


def test_empty_translation_is_critical_and_quotes_the_source() -> None:
    [flag] = check_empty("The plant closed in May.", "", CTX)
    assert (flag.check, flag.severity) == ("empty", "critical")
    assert "The plant closed in May." in flag.message


def test_blank_translation_is_empty_too() -> None:
    [flag] = check_empty("The plant closed.", "  \u00a0 ", CTX)
    assert flag.severity == "critical" and "blank" in flag.message


def test_translated_sentence_is_not_empty() -> None:
    assert check_empty("The plant closed.", "L'usine a fermé.", CTX) == []
    assert check_empty("", "", CTX) == []


def test_addition_without_source() -> None:
    [flag] = check_addition("", "Une phrase ajoutée.", CTX)
    assert (flag.check, flag.severity) == ("addition", "major")
    assert "Une phrase ajoutée." in flag.message
    assert check_addition("Source.", "Traduction.", CTX) == []


def test_copy_of_the_source_is_untranslated() -> None:
    [flag] = check_untranslated("The water is safe to drink.", "The water is safe to drink.", CTX)
    assert (flag.check, flag.severity) == ("untranslated", "major")


def test_english_sentence_inside_a_french_segment_is_untranslated() -> None:
    translation = (
        "Rien de cela n'est dû au hasard. On behalf of the Board, I thank our 640 employees, "
        "who kept the system running day and night."
    )
    [flag] = check_untranslated("None of this happens by chance. On behalf of the Board...", translation, CTX)
    assert "On behalf of the Board" in flag.message
    assert "Rien de cela" not in flag.message


@pytest.mark.parametrize(
    ("source", "translation"),
    [
        ("Emmanuel Macron", "Emmanuel Macron"),  # a name is the same in French
        ("COVID-19", "COVID-19"),
        ("The cat sat on the mat with the dog.", "Le chat était assis sur le tapis avec le chien."),
        ("It was a record year for the plant.", "Ce fut une année record pour l'usine."),
        # a quoted English title in a French sentence is not untranslated text
        ("He read the book on the train.", "Il a lu « The Lord of the Rings » dans le train."),
    ],
)
def test_names_and_french_sentences_are_not_untranslated(source: str, translation: str) -> None:
    assert check_untranslated(source, translation, CTX) == []


# ------------------------------------------------------------------------------------ numbers


@pytest.mark.parametrize(
    "translation",
    ["50 000 personnes", f"50{NBSP}000 personnes", f"50{NNBSP}000 personnes", "50\u2009000 personnes"],
)
def test_thousands_separators_of_both_languages_match(translation: str) -> None:
    assert check_numbers("50,000 people", translation, CTX) == []


def test_wrong_number_is_major_and_quotes_both_numbers() -> None:
    [flag] = check_numbers("50,000 people", "5 000 personnes", CTX)
    assert (flag.check, flag.severity) == ("numbers", "major")
    assert flag.message == "number 50,000 in the source is missing; the translation has 5 000"


@pytest.mark.parametrize(
    ("source", "translation"),
    [
        ("3.5%", "3,5 %"),
        ("20%", f"20{NNBSP}%"),
        ("In 2023, 500 people came.", "En 2023, 500 personnes sont venues."),
        ("On March 1, 2024, at 3 p.m.", "Le 1er mars 2024, à 15 h"),
        ("at 3:30 pm", "à 15 h 30"),
        ("the 21st century", "le XXIe siècle"),
        ("the Fifth Republic", "la Ve République"),
        ("2 people", "deux personnes"),
        ("two people", "2 personnes"),
        ("12 500 metres", "12 500 mètres"),
        ("in 2023 2 teams", "en 2023 2 équipes"),  # a plain space may separate two numbers
        ("$1.2 billion", "1,2 milliard de dollars"),
        ("6/15/2024", "15/06/2024"),
        ("the 2022-23 season", "la saison 2022-2023"),
        ("in the 1990s", "dans les années 1990"),
        ("No numbers here.", "Aucun chiffre ici."),
    ],
)
def test_same_values_in_french_formats_raise_nothing(source: str, translation: str) -> None:
    assert check_numbers(source, translation, CTX) == []


def test_changed_year_is_flagged() -> None:
    [flag] = check_numbers("It opened in 1960.", "Elle a ouvert en 1906.", CTX)
    assert "1960" in flag.message and "1906" in flag.message


def test_missing_and_extra_numbers_are_reported_on_their_own() -> None:
    [missing] = check_numbers("from 5 to 7 days", "de 5 jours", CTX)
    assert missing.message == "number 7 in the source is missing from the translation"
    [extra] = check_numbers("a few days", "3 jours", CTX)
    assert extra.message == "the translation has number 3, not in the source"


def test_english_format_in_french_is_minor() -> None:
    [flag] = check_numbers("1,500 jobs", "1,500 emplois", CTX)
    assert flag.severity == "minor"
    assert "1,500" in flag.message and "1 500" in flag.message
    [flag] = check_numbers("3.5%", "3.5 %", CTX)
    assert flag.severity == "minor" and "3,5" in flag.message


def test_number_parsers_read_values() -> None:
    assert [set(number.values) for number in english_numbers("1,234.5 and 7")] == [{1234.5}, {7}]
    assert [set(number.values) for number in french_numbers(f"1{NBSP}234,5 et 7")] == [{1234.5}, {7}]


# ----------------------------------------------------------------------------- punctuation


def test_question_turned_statement_is_major() -> None:
    [flag] = check_end_punctuation(
        "How much water does a household use?", "Voyons combien d'eau un ménage consomme.", CTX
    )
    assert (flag.check, flag.severity) == ("end-punctuation", "major")
    assert "question" in flag.message


@pytest.mark.parametrize(
    ("source", "translation"),
    [
        ("Is it true?", "Est-ce vrai ?"),
        ("Is it true?", f"Est-ce vrai{NNBSP}?"),
        ('He said "no."', "Il a dit « non »."),  # the full stop moves outside the quotes
        ('He asked: "Why?"', "Il a demandé : « Pourquoi ? »"),
        ("Wait...", "Attendez…"),
        ("Annual Report 2023", "Rapport annuel 2023"),
    ],
)
def test_same_sentence_type_raises_nothing(source: str, translation: str) -> None:
    assert check_end_punctuation(source, translation, CTX) == []


def test_exclamation_to_statement_is_minor() -> None:
    [flag] = check_end_punctuation("Stop!", "Arrêtez.", CTX)
    assert flag.severity == "minor"


def test_ending_reads_past_closing_quotes() -> None:
    assert ending("Il a dit « non ! »") == "!"
    assert ending("Vraiment ?!") == "?"


def test_brackets_lost_or_added() -> None:
    [flag] = check_brackets("The authority (NRWA) said", "La régie NRWA) a dit", CTX)
    assert flag.check == "brackets" and "'('" in flag.message
    assert check_brackets("The authority (NRWA) said", "La régie (NRWA) a dit", CTX) == []


# ------------------------------------------------------------------------------ typography


@pytest.mark.parametrize(
    ("translation", "quoted_token"),
    [
        ("Est-ce vrai?", "vrai?"),
        ("Il a déclaré: non.", "déclaré:"),
        ("Attention!", "Attention!"),
        ("Oui; non.", "Oui;"),
    ],
)
def test_missing_space_before_high_punctuation(translation: str, quoted_token: str) -> None:
    [flag] = check_typography("x", translation, CTX)
    assert (flag.check, flag.severity) == ("typography", "minor")
    assert quoted_token in flag.message


@pytest.mark.parametrize(
    "translation",
    [
        "Est-ce vrai ?",
        f"Est-ce vrai{NNBSP}? Il a déclaré{NBSP}: « non ».",
        "À 14:30, voir https://example.org/a:b ou écrire à info@example.org.",
        "Il a dit : « C’est “faux” ».",  # English quotes inside guillemets are French usage
        "Quoi ?!",
    ],
)
def test_correct_french_typography_raises_nothing(translation: str) -> None:
    assert check_typography("x", translation, CTX) == []


def test_guillemets_without_inner_spaces_and_english_quotes() -> None:
    [flag] = check_typography("x", "Il a dit «non».", CTX)
    assert "guillemets" in flag.message
    [flag] = check_typography('He said "no".', 'Il a dit "non".', CTX)
    assert "instead of English quotes" in flag.message


def test_brand_with_exclamation_mark_is_kept_as_in_the_source() -> None:
    assert check_typography("Yahoo! said", "Yahoo! a annoncé", CTX) == []


def test_double_space_not_in_the_source() -> None:
    assert check_double_space("a b", "a  b", CTX)[0].check == "double-space"
    assert check_double_space("a  b", "a  b", CTX) == []


# ---------------------------------------------------------------------------------- links


def test_changed_url_and_email_are_flagged() -> None:
    [flag] = check_urls("See https://nrwa.org/report.", "Voir https://nrwa.fr/rapport.", CTX)
    assert "'https://nrwa.org/report'" in flag.message and "'https://nrwa.fr/rapport'" in flag.message
    [flag] = check_emails("Write to info@nrwa.org.", "Écrivez à info@nrwa.fr.", CTX)
    assert "info@nrwa.org" in flag.message


def test_url_followed_by_french_punctuation_is_unchanged() -> None:
    assert check_urls("Visit www.nrwa.org, now.", "Consultez www.nrwa.org : maintenant.", CTX) == []


@pytest.mark.parametrize(
    ("check", "source", "translation", "address"),
    [(check_urls, "Visit WWW.NRWA.ORG now.", "Consultez maintenant.", "WWW.NRWA.ORG"),
     (check_urls, "See the report.", "Voir ftp://nrwa.fr/rapport.", "ftp://nrwa.fr/rapport"),
     (check_emails, "Write to us.", "Écrivez à info@nrwa.fr.", "info@nrwa.fr")],
)
def test_an_address_on_one_side_only_is_flagged(check, source: str, translation: str, address: str) -> None:
    """Each side is looked at, whatever case the address is written in."""
    [flag] = check(source, translation, CTX)
    assert f"'{address}'" in flag.message


# -------------------------------------------------------------------------------- encoding


def test_mojibake_is_flagged_with_the_probable_text() -> None:
    [flag] = check_encoding("The president said", "Le prÃ©sident a dÃ©clarÃ©", CTX)
    assert (flag.check, flag.severity) == ("encoding", "major")
    assert "'prÃ©sident' (probably 'président')" in flag.message


def test_replacement_character_in_the_source_is_flagged_as_source() -> None:
    [flag] = check_encoding("Caf\ufffd open", "Café ouvert", CTX)
    assert flag.message.startswith("the source has replacement characters")


def test_correct_french_is_not_mojibake() -> None:
    text = f"Il a dit «{NBSP}non{NBSP}» à l’équipe… Œuvre, 20{NNBSP}%, São Paulo, Zürich, 5 €."
    assert check_encoding("He said no.", text, CTX) == []


# ----------------------------------------------------------------------------- length ratio


def _ctx_for(sources: list[str], translations: list[str]) -> CheckContext:
    return build_context(sources, translations)


def test_much_shorter_translation_in_a_regular_document() -> None:
    sources = [f"Sentence number {i} of the annual report is about water." for i in range(12)]
    translations = [f"La phrase numéro {i} du rapport annuel porte sur l'eau potable." for i in range(12)]
    ctx = _ctx_for(sources, translations)
    assert ctx.length is not None and ctx.length.from_document
    [flag] = check_length_ratio(sources[0], "La phrase.", ctx)
    assert (flag.check, flag.severity) == ("length-ratio", "major")
    assert "shorter" in flag.message
    [flag] = check_length_ratio(sources[0], translations[0] * 3, ctx)
    assert "longer" in flag.message
    assert check_length_ratio(sources[0], translations[0], ctx) == []


def test_short_document_uses_the_english_french_prior_and_short_sources_are_skipped() -> None:
    ctx = _ctx_for(["One sentence of reasonable length here."], ["Une phrase de longueur raisonnable ici."])
    assert ctx.length is not None and not ctx.length.from_document
    assert check_length_ratio("One sentence of reasonable length here.", "Une phrase.", ctx)
    assert check_length_ratio("OK.", "D'accord, c'est entendu.", ctx) == []


# ------------------------------------------------------------------------------ consistency


def test_same_source_translated_differently() -> None:
    sources = ["The plant met every standard.", "It was hot.", "The plant met every standard."]
    translations = ["L'usine a respecté toutes les normes.", "Il faisait chaud.", "L'usine a satisfait à chaque norme."]
    ctx = build_context(sources, translations, ["1.1", "1.2", "2.1"])
    [flag] = check_consistency(sources[0], translations[0], ctx)
    assert (flag.check, flag.severity) == ("consistency", "minor")
    assert "segment 2.1" in flag.message and "L'usine a satisfait à chaque norme." in flag.message


def test_same_translation_for_different_sources() -> None:
    sources = ["The plant met every standard.", "The plant met most standards."]
    translations = ["L'usine a respecté toutes les normes."] * 2
    ctx = build_context(sources, translations, ["1.1", "1.2"])
    [flag] = check_consistency(sources[0], translations[0], ctx)
    assert "different source sentence in segment 1.2" in flag.message


def test_repeated_pair_and_typographic_variants_are_consistent() -> None:
    sources = ["The plant met every standard.", "The plant met every standard.", "Yes.", "Yes."]
    translations = ["L’usine a respecté toutes les normes.", "L'usine a respecté toutes les normes.", "Oui.", "D'accord."]
    ctx = build_context(sources, translations)
    assert all(check_consistency(s, t, ctx) == [] for s, t in zip(sources, translations))


# --------------------------------------------------------------------------- named entities


def test_missing_person_name_is_minor_and_quoted() -> None:
    [flag] = check_named_entities(
        "The UN and NATO met in Brussels with Emmanuel Macron.", "L'ONU et l'OTAN se sont réunies avec le président.", CTX
    )
    assert (flag.check, flag.severity) == ("named-entities", "minor")
    assert "'Brussels'" in flag.message and "'Emmanuel Macron'" in flag.message


def test_missing_acronym_is_flagged() -> None:
    [flag] = check_named_entities("The NRWA replaced 18 miles of pipe.", "La régie a remplacé 18 miles de tuyaux.", CTX)
    assert "'NRWA'" in flag.message


@pytest.mark.parametrize(
    ("source", "translation"),
    [
        ("The UN and NATO met in Brussels on Monday.", "L'ONU et l'OTAN se sont réunies lundi à Bruxelles."),
        ("Apple unveiled the iPhone 15 in California.", "Apple a présenté l'iPhone 15 en Californie."),
        ("Chinese and Russian officials met British diplomats.", "Des responsables chinois et russes ont vu des diplomates britanniques."),
        ("In 2023, the Northfield Regional Water Authority (NRWA) delivered water.", "En 2023, la Régie régionale de l'eau de Northfield (NRWA) a fourni de l'eau."),
        ("She chairs the Board of Directors since May.", "Elle préside le conseil d'administration depuis mai."),
        ("By mid-August, Lake Corran had fallen.", "À la mi-août, le lac Corran avait baissé."),
        ("He met Mr. Delaney in Germany.", "Il a rencontré M. Delaney en Allemagne."),
        ("The COVID-19 pandemic hit NATO members.", "La pandémie de Covid-19 a touché les membres de l'Otan."),
        ("English-speaking fans cheered.", "Les supporters anglophones ont applaudi."),
        ("Sales rose to £3.2m in the 1990s.", "Les ventes ont atteint 3,2 millions de livres dans les années 1990."),
    ],
)
def test_names_in_their_french_forms_raise_nothing(source: str, translation: str) -> None:
    assert check_named_entities(source, translation, CTX) == []


# ------------------------------------------------------------------------ glossary and dnt


def test_load_glossary_tsv_with_alternatives() -> None:
    entries = load_glossary(DATA / "glossary.tsv")
    assert entries[0] == GlossaryEntry("water main", ("conduite principale",))
    assert entries[1].targets == ("compteur intelligent", "compteur communicant")


def test_load_glossary_csv_with_bom_quotes_and_semicolons() -> None:
    assert load_glossary(DATA / "glossary.csv")[0] == GlossaryEntry("central bank", ("banque centrale",))
    assert load_glossary(DATA / "glossary_semicolon.csv") == (GlossaryEntry("leak detection", ("détection des fuites",)),)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("glossary_bad_header.tsv", "needs a header row"),
        ("glossary_bad_row.tsv", "line 3: expected an English and a French term"),
        ("glossary_missing.tsv", "glossary file not found"),
    ],
)
def test_bad_glossary_is_one_clear_input_error(name: str, expected: str) -> None:
    with pytest.raises(InputError, match=expected) as caught:
        load_glossary(DATA / name)
    assert "\n" not in str(caught.value)


def test_glossary_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "glossary.tsv"
    path.write_bytes("source\ttarget\nrate\tdébit\n".encode("latin-1"))
    with pytest.raises(InputError, match=r"glossary\.tsv is not valid UTF-8 \(line 2"):
        load_glossary(path)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("source\ttarget\n".encode("utf-16"), "is UTF-16 text; re-save it as UTF-8"),
        (b"source\ttarget\n\x00\x01", "contains NUL bytes"),
    ],
)
def test_glossary_decoding_errors_match_the_input_files(tmp_path: Path, raw: bytes, expected: str) -> None:
    path = tmp_path / "glossary.tsv"
    path.write_bytes(raw)
    with pytest.raises(InputError, match=expected):
        load_glossary(path)
    with pytest.raises(InputError, match=expected):
        load_dnt(path)



@pytest.mark.parametrize("term", ["\u0301", "\u0301\u0308", "...", " - ", "«»", "\u00a0?\u200b"])
def test_term_without_letter_or_digit_is_refused_naming_its_line(tmp_path: Path, term: str) -> None:
    glossary = tmp_path / "glossary.tsv"
    glossary.write_text(f"source\ttarget\nwater main\tconduite principale\n\n{term}\tterme\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"glossary\.tsv, line 4: the English term has no letter or digit"):
        load_glossary(glossary)
    glossary.write_text(f"source\ttarget\nwater main\tconduite|{term}\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"glossary\.tsv, line 2: the French term has no letter or digit"):
        load_glossary(glossary)
    dnt = tmp_path / "dnt.txt"
    dnt.write_text(f"AquaTrack\n{term}x\n{term}\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"dnt\.txt, line 3: the term has no letter or digit"):
        load_dnt(dnt)


def test_a_lone_accent_term_would_match_almost_every_segment() -> None:
    # why such terms are refused: the pattern of a term that folds to nothing matches
    # wherever two non-word characters meet
    ctx = CheckContext(glossary=(GlossaryEntry("\u0301", ("accent",)),))
    assert check_glossary("The rate rose.", "Le taux a augmenté.", ctx) != []


def test_glossary_rows_are_numbered_by_the_line_they_start_on(tmp_path: Path) -> None:
    glossary = tmp_path / "glossary.csv"
    glossary.write_text('source,target\n"water\nmain",conduite\n"",x\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"glossary\.csv, line 4: a term is empty"):
        load_glossary(glossary)


def test_glossary_term_missing_is_major() -> None:
    ctx = CheckContext(glossary=load_glossary(DATA / "glossary.tsv"))
    source = "Crews replaced 18 miles of water main."
    [flag] = check_glossary(source, "Les équipes ont remplacé 18 miles d'eau principale.", ctx)
    assert (flag.check, flag.severity) == ("glossary", "major")
    assert "'water main' should be translated as 'conduite principale'" in flag.message
    assert check_glossary(source, "Les équipes ont remplacé 18 miles de conduite principale.", ctx) == []


def test_glossary_allows_plurals_case_and_alternatives() -> None:
    ctx = CheckContext(glossary=load_glossary(DATA / "glossary.tsv"))
    assert check_glossary("Smart Meters were installed.", "Des compteurs communicants ont été posés.", ctx) == []
    assert check_glossary("The interest rate rose.", "Le taux d'intérêt a augmenté.", ctx) == []
    assert check_glossary("Nothing relevant.", "Rien à voir.", ctx) == []


def test_dnt_list_and_check(tmp_path: Path) -> None:
    path = tmp_path / "dnt.txt"
    path.write_text("# product names\nAquaTrack\n\nMyNRWA\n", encoding="utf-8")
    terms = load_dnt(path)
    assert terms == ("AquaTrack", "MyNRWA")
    ctx = CheckContext(dnt_terms=terms)
    [flag] = check_dnt("Use the AquaTrack app.", "Utilisez l'application Aquatrack.", ctx)
    assert (flag.check, flag.severity) == ("dnt", "major") and "'AquaTrack'" in flag.message
    assert check_dnt("Use the AquaTrack app.", "Utilisez l'application AquaTrack.", ctx) == []


def test_dnt_csv_skips_header(tmp_path: Path) -> None:
    path = tmp_path / "dnt.csv"
    path.write_text("term\nAquaTrack\n", encoding="utf-8")
    assert load_dnt(path) == ("AquaTrack",)



# One pattern per term, tried on every segment: the glossary and dnt semantics that the
# compiled termbase must reproduce exactly.
def naive_english(term: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + r"[\s-]+".join(re.escape(word) for word in fold(term).split()) + r"(?:s|es)?(?!\w)")


def naive_french(term: str) -> re.Pattern[str]:
    words = [re.escape(word) + r"(?:s|x|e|es)?" for word in fold(term).split()]
    return re.compile(r"(?<!\w)" + r"[\s-]+".join(words) + r"(?!\w)")


def naive_glossary(source: str, translation: str, glossary: tuple[GlossaryEntry, ...]) -> list[str]:
    wrong = []
    for entry in glossary:
        if naive_english(entry.source).search(fold(source)) and not any(
            naive_french(target).search(fold(translation)) for target in entry.targets
        ):
            wrong.append(entry.source)
    return wrong


def naive_dnt(source: str, translation: str, terms: tuple[str, ...]) -> list[str]:
    def found(term: str, text: str) -> bool:
        return re.search(rf"(?<!\w){re.escape(term)}(?!\w)", text) is not None

    return [term for term in terms if found(term, source) and not found(term, translation)]


WORDS = ["water", "main", "mains", "box", "boxes", "bus", "e-mail", "c++", ".net", "l'eau", "l’eau", "Été",
         "ete", "naïve", "NAIVE", "x", "s", "es", "smart", "meter", "meters", "Meter", "AquaTrack", "aquatrack",
         "taux", "d'intérêt", "intérêts", "compteur", "compteurs", "intelligente", "Straße", "strasse", "ﬁle", "file"]
SEPARATORS = [" ", " ", " ", "-", " - ", ", ", "  ", "\u00a0", "/", "."]


def random_text(rng: random.Random, words: int) -> str:
    parts = [rng.choice(WORDS) + rng.choice(["", "", "", "s", "es", "e", "x"]) for _ in range(words)]
    return "".join(part + rng.choice(SEPARATORS) for part in parts).strip()


def test_compiled_termbase_matches_exactly_like_one_pattern_per_term() -> None:
    rng = random.Random(9)
    for _ in range(40):
        glossary = tuple(
            GlossaryEntry(term, (random_text(rng, rng.randint(1, 2)),))
            for term in dict.fromkeys(" ".join(rng.sample(WORDS, rng.randint(1, 3))) for _ in range(30))
        )
        dnt = tuple(dict.fromkeys(rng.choice([" ", "-", ""]).join(rng.sample(WORDS, rng.randint(1, 2))) for _ in range(20)))
        ctx = CheckContext(glossary=glossary, dnt_terms=dnt)
        for _ in range(25):
            source, translation = random_text(rng, rng.randint(1, 12)), random_text(rng, rng.randint(1, 12))
            expected = naive_glossary(source, translation, glossary)
            flags = check_glossary(source, translation, ctx)
            assert [flag.message for flag in flags] == (
                ["glossary: " + "; ".join(
                    f"'{term}' should be translated as "
                    + " or ".join(f"'{target}'" for target in dict(((e.source, e.targets) for e in glossary))[term])
                    for term in expected
                )] if expected else []
            ), (source, translation)
            missing = naive_dnt(source, translation, dnt)
            dnt_flags = check_dnt(source, translation, ctx)
            assert len(dnt_flags) == (1 if missing else 0)
            if missing:
                assert dnt_flags[0].message.startswith(f"do-not-translate term{'s' if len(missing) > 1 else ''} {quoted(missing)} ")


def test_large_glossary_compiles_only_the_terms_a_segment_could_hold(monkeypatch: pytest.MonkeyPatch) -> None:
    from tqe.checks import glossary as glossary_module

    compiled: list[str] = []
    english_pattern = glossary_module._english_pattern
    monkeypatch.setattr(glossary_module, "_english_pattern", lambda term: compiled.append(term) or english_pattern(term))
    glossary = tuple(GlossaryEntry(f"term{number} pipe", (f"terme{number}",)) for number in range(20000))
    glossary += (GlossaryEntry("term17 valve", ("vanne",)),)
    ctx = CheckContext(glossary=glossary)
    for _ in range(3):
        [flag] = check_glossary("The Term17 pipes and the term18-pipe leaked.", "Le terme17 fuyait.", ctx)
        assert flag.message == "glossary: 'term18 pipe' should be translated as 'terme18'"
    assert compiled == ["term17 pipe", "term18 pipe"]


def test_fast_fold_of_ascii_terms_is_fold() -> None:
    from tqe.checks.glossary import _fold

    for text in ["Water  Main", " a\tb\x1cc ", "L'EAU", "C++ / .NET", "x\x0b\x1fy", "Été", "ﬁle\u00a0Box"]:
        assert _fold(text) == fold(text)


# --------------------------------------------------------------------------- registry, runner


def test_registry_names() -> None:
    assert {"empty", "untranslated", "numbers", "end-punctuation", "length-ratio", "encoding", "consistency",
            "named-entities", "typography", "glossary", "dnt", "addition"} <= set(CHECKS)


def test_run_checks_sorts_by_severity_and_skips_content_checks_on_empty() -> None:
    flags = run_checks("Is the water safe? 50,000 people ask.", "L'eau est sûre. 5 000 personnes demandent:", CTX)
    assert [flag.severity for flag in flags] == sorted(
        (flag.severity for flag in flags), key=["critical", "major", "minor"].index
    )
    assert {flag.check for flag in flags} >= {"numbers", "end-punctuation", "typography"}
    assert [flag.check for flag in run_checks("Hello 5.", "", CTX)] == ["empty"]


def test_flag_to_dict() -> None:
    assert Flag("numbers", "major", "m").to_dict() == {"check": "numbers", "severity": "major", "message": "m"}


# ------------------------------------------------------------- no false alarms on clean text

NEWS = [
    (
        ("The European Central Bank raised its key interest rate by 0.25 percentage points on Thursday, "
         "to 4.5%, its highest level since 2001."),
        ("La Banque centrale européenne a relevé jeudi son principal taux d’intérêt de 0,25 point de "
         f"pourcentage, à 4,5{NNBSP}%, son plus haut niveau depuis 2001."),
    ),
    (
        "“Inflation is still too high,” ECB President Christine Lagarde told reporters in Frankfurt.",
        (f"«{NBSP}L’inflation reste trop élevée{NBSP}», a déclaré la présidente de la BCE, Christine Lagarde, "
         "aux journalistes à Francfort."),
    ),
    (
        "Consumer prices in the euro area rose 5.3% in August from a year earlier, according to Eurostat.",
        (f"Selon Eurostat, les prix à la consommation dans la zone euro ont augmenté de 5,3{NNBSP}% en août "
         "sur un an."),
    ),
    ("Will the bank stop here?", f"La banque va-t-elle s’arrêter là{NNBSP}?"),
    (
        ("Economists are divided: some expect another increase in December, while others believe rates "
         "have peaked."),
        (f"Les économistes sont partagés{NBSP}: certains prévoient une nouvelle hausse en décembre, tandis "
         "que d’autres estiment que les taux ont atteint leur sommet."),
    ),
    (
        "In Germany, the largest economy in the bloc, output shrank by 0.1% in the second quarter.",
        "En Allemagne, première économie du bloc, la production a reculé de 0,1 % au deuxième trimestre.",
    ),
    (
        "The decision will raise borrowing costs for about 350 million people in 20 countries.",
        "Cette décision va renchérir le coût du crédit pour quelque 350 millions de personnes dans 20 pays.",
    ),
    (
        "Markets reacted calmly, and the euro fell 0.6% against the dollar to $1.0730 by 3 p.m. in London.",
        ("Les marchés ont réagi avec calme et l’euro a reculé de 0,6 % face au dollar, à 1,0730 dollar, "
         "vers 15 h à Londres."),
    ),
    (
        "The bank's next policy meeting is scheduled for October 26.",
        "La prochaine réunion de politique monétaire de la banque est prévue le 26 octobre.",
    ),
    (
        "Mortgage holders in Spain and Italy, where most loans carry variable rates, will feel the change first.",
        ("Les emprunteurs immobiliers d’Espagne et d’Italie, où la plupart des prêts sont à taux variable, "
         "seront les premiers à ressentir ce changement."),
    ),
    (
        "The US Federal Reserve, which meets next week, is expected to keep its rates unchanged.",
        "La Réserve fédérale américaine, qui se réunit la semaine prochaine, devrait laisser ses taux inchangés.",
    ),
]


def news_segments() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": [f"1.{number}" for number in range(1, len(NEWS) + 1)],
            "paragraph": [1] * len(NEWS),
            "link": ["1-1"] * len(NEWS),
            "source": [source for source, _ in NEWS],
            "translation": [translation for _, translation in NEWS],
            "references": [()] * len(NEWS),
        }
    )


def test_clean_news_translation_raises_no_flag() -> None:
    flagged = flag_segments(news_segments(), FlagConfig())
    raised = [(row.id, flag) for row in flagged.itertuples() for flag in row.flags]
    assert raised == []


def test_clean_news_with_plain_spaces_raises_no_flag() -> None:
    """Ordinary spaces where typographers use no-break ones are not worth a flag."""
    segments = news_segments()
    segments["translation"] = segments["translation"].str.replace(NBSP, " ").str.replace(NNBSP, " ")
    flagged = flag_segments(segments, FlagConfig())
    assert [flag for flags in flagged["flags"] for flag in flags] == []


def test_consistency_lists_few_segment_ids_for_many_repeats() -> None:
    sources = ["The plant met every standard this year."] * 9
    translations = ["L'usine a respecté toutes les normes cette année."] * 8 + ["L'usine a tenu toutes les normes."]
    ctx = build_context(sources, translations)
    [flag] = check_consistency(sources[0], translations[0], ctx)
    assert "segment 9:" in flag.message
    [flag] = check_consistency(sources[8], translations[8], ctx)
    assert "segments 1, 2, 3, 4, 5 and 3 more" in flag.message


def test_numbers_are_found_as_a_scan_of_every_character_finds_them() -> None:
    """The numbers check tries its number patterns only where a digit (or a Roman numeral)
    starts; the look-behinds still see the text before, "2022-\\n23" is still a season."""
    from tqe.checks import numbers

    rng = random.Random(5)
    alphabet = "0123456789" * 3 + "IVXLCe ème,.:\u00a0\u202f-–/\n's’a٣"
    texts = ["2022-\n23", "les 1990s et XXIe siècle", "1,500 et 12 500", "٣٣ et 3"] + [
        "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 25))) for _ in range(3000)
    ]
    for text in texts:
        for pattern, starts in ((numbers._ENGLISH_NUMBER, numbers._DIGIT), (numbers._FRENCH_NUMBER, numbers._DIGIT_OR_ROMAN)):
            expected = [(match.span(), match.groupdict()) for match in pattern.finditer(text)]
            assert [(match.span(), match.groupdict()) for match in numbers._matches(pattern, starts, text)] == expected
        for start in range(len(text) + 1):
            whole = re.search(r"(?<!\d)(\d\d)\d\d[-–/]$", text[:start])
            bounded = numbers._SEASON.search(text, max(0, start - 6), start)
            assert (whole and whole.groups()) == (bounded and bounded.groups()), (text, start)
    assert {number.values for number in english_numbers("the 2022-\n23 season")} >= {frozenset({2023, 23})}


@pytest.mark.parametrize(
    ("source", "names"),
    [("We met Dr. von Braun at NASA's office with h2o and iPhone users.", [("Braun",), ("NASA",), ("h2o",), ("iPhone",)]),
     ("the report of the Board of Directors, said Klein; the Northfield Regional Water Authority agreed",
      [("Board", "Directors"), ("Klein",), ("Northfield", "Authority")]),
     ("Then tap Edit Profile and call Northfield.", [("Northfield",)]),
     ("Tap Edit Profile.", [])],
)
def test_name_candidates_around_lower_case_words(source: str, names: list[tuple[str, ...]]) -> None:
    """Lower-case words outside a name are passed over quickly; inside one (a connector, a
    word after a title) or next to one (what a label follows) they still count."""
    from tqe.checks.entities import candidates

    assert candidates(source) == names


def test_new_names_of_the_translation_skip_its_lower_case_words() -> None:
    from tqe.checks.entities import translation_names

    assert translation_names("Tesla said.", "selon l'entreprise Toyota et la Banque Harwick, a dit Tesla.") == [
        "Toyota", "Harwick"
    ]


@pytest.mark.parametrize(
    "text",
    ["Hello World", "The end. Next Step", "• Close it", "a (Big Deal)", "x \u00a0 Y z", "«  Titre » Nom",
     "  Indented Name", "non-EU AT&T: Mr. Smith", "3 Pommes et Poires", "word Word — Other"],
)
def test_sentence_start_of_each_word_reads_like_the_text_scan(text: str) -> None:
    from tqe.checks.entities import _TOKEN, _opens, _sentence_start, _tokens

    tokens, gaps = _tokens(text)
    starts = [match.start() for match in _TOKEN.finditer(text)]
    assert tokens == [match.group(0) for match in _TOKEN.finditer(text)]
    assert [_opens(gaps, index) for index in range(len(tokens))] == [_sentence_start(text, start) for start in starts]


def test_name_lists_are_fresh_copies_of_the_cached_ones() -> None:
    from tqe.checks.entities import candidates, translation_names

    names = candidates("Yesterday we met Tesla engineers in Toulouse and talked.")
    assert names == [("Tesla",), ("Toulouse",)]
    names.clear()
    assert candidates("Yesterday we met Tesla engineers in Toulouse and talked.") == [("Tesla",), ("Toulouse",)]
    new = translation_names("Tesla said.", "selon Toyota.")
    new.append("x")
    assert translation_names("Tesla said.", "selon Toyota.") == ["Toyota"]


@pytest.mark.parametrize(
    ("source", "translation", "severity"),
    [("The loan from Kraemer Bank was repaid.", "Le prêt de la Harwick Bank a été remboursé.", "major"),
     ("The loan from Kraemer Bank was repaid.", "Le prêt de la Kraemer Bank a été remboursé.", None),
     ("The loan from Kraemer Bank was repaid.", "Le prêt de la banque a été remboursé par Harwick.", None)],
)
def test_translation_names_are_read_only_when_a_name_is_half_kept(
    source: str, translation: str, severity: str | None
) -> None:
    flags = check_named_entities(source, translation, build_context([source], [translation]))
    assert [flag.severity for flag in flags] == ([severity] if severity else [])


@pytest.mark.parametrize(
    ("source", "translation", "missing"),
    [("The vote in Europe was close to a record.", "Le vote européen était proche d'un record.", []),
     ("The vote in Europe was close to a record.", "Le vote eur. était proche d'un record.", ["Europe"]),
     ("The visit of Lady Ann ended quickly.", "La visite de Ann a vite pris fin.", []),
     ("The visit of Lady Ann ended quickly.", "La visite d'Anne a vite pris fin.", ["Lady Ann"])],
)
def test_a_name_word_counts_by_its_first_four_letters(source: str, translation: str, missing: list[str]) -> None:
    from tqe.checks.entities import missing_names

    assert missing_names(source, translation) == missing


def test_numbers_of_a_repeated_translation_are_compared_with_each_source() -> None:
    """A translation met again is read once; its numbers still meet each source afresh."""
    ctx = CheckContext()
    translation = "Il reste 12 places et trois billets."
    assert check_numbers("There are 12 seats and three tickets left.", translation, ctx) == []
    [flag] = check_numbers("There are 15 seats and three tickets left.", translation, ctx)
    assert flag.severity == "major" and "15" in flag.message and "12" in flag.message
    assert check_numbers("There are 12 seats and three tickets left.", translation, ctx) == []
