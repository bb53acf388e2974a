"""Precision of the rule checks: patterns that a good translation uses and that must not be
flagged, and real errors that must be flagged with a message naming what was expected and
what was found."""

from __future__ import annotations

import pytest

from tqe.checks import CheckContext, GlossaryEntry
from tqe.checks.entities import check_named_entities, ordinary_word, spelled_out
from tqe.checks.punctuation import check_end_punctuation

CTX = CheckContext()
NBSP, NNBSP = "\u00a0", "\u202f"


# --------------------------------------------------------------------------- named entities


@pytest.mark.parametrize(
    ("pattern", "source", "translation"),
    [
        ("acronym plural", "We trained the model on eight GPUs last week.", "Nous avons entraîné le modèle sur huit GPU la semaine dernière."),
        ("acronym possessive", "The budget of NASA's science mission grew again.", "Le budget de la mission scientifique de la NASA a encore augmenté."),
        ("curly possessive", "The budget of NASA’s science mission grew again.", "Le budget de la mission scientifique de la Nasa a encore augmenté."),
        ("hyphenated compound", "Our CPU-based models were slower than expected.", "Nos modèles basés sur CPU étaient plus lents que prévu."),
        ("prefixed compound", "Only non-EU citizens need a visa for this trip.", "Seuls les citoyens hors UE ont besoin d'un visa pour ce voyage."),
        ("curly contraction", "Honestly, I’m not sure that it works.", "Honnêtement, je ne suis pas sûr que cela fonctionne."),
        ("straight contractions", "They said: We'll see, but don't worry about it.", "Ils ont dit : on verra, mais ne vous inquiétez pas."),
        ("interface labels", "To finish, tap Settings and then press Close.", "Pour terminer, touchez Paramètres puis appuyez sur Fermer."),
        ("title-case words", "Please contact our Customer Support team about your Order.", "Veuillez contacter notre service client au sujet de votre commande."),
        ("spelled-out acronym", "The ROI of the project was higher than planned.", "Le retour sur investissement du projet a été plus élevé que prévu."),
        ("reordered acronym", "Companies invest heavily in AI these days.", "Les entreprises investissent beaucoup dans l'intelligence artificielle."),
        ("acronym map", "The WHO and the EU signed the agreement yesterday.", "L'OMS et l'UE ont signé l'accord hier."),
        ("country acronym", "Exports to the USA rose sharply this year.", "Les exportations vers les États-Unis ont fortement augmenté cette année."),
    ],
)
def test_good_translation_patterns_raise_no_named_entity_flag(pattern: str, source: str, translation: str) -> None:
    assert check_named_entities(source, translation, CTX) == [], pattern


def test_glossary_mapped_acronym_is_left_to_the_glossary() -> None:
    ctx = CheckContext(glossary=(GlossaryEntry("KPI", ("indicateur clé de performance",)),))
    source, translation = "Each KPI is reviewed every quarter by the board.", "Chaque indicateur est revu chaque trimestre."
    assert check_named_entities(source, translation, ctx) == []
    [flag] = check_named_entities(source, translation, CTX)
    assert flag.message == "name 'KPI' from the source is not in the translation"


def test_missing_acronym_is_still_flagged_and_named() -> None:
    [flag] = check_named_entities(
        "The report was checked by the NRWA and the ROI was high.", "Le rapport a été vérifié et le rendement était élevé.", CTX
    )
    assert (flag.severity, flag.message) == ("minor", "names 'NRWA' and 'ROI' from the source are not in the translation")


def test_replaced_name_is_major_and_names_both() -> None:
    [flag] = check_named_entities(
        "Last year he bought a Tesla for his daughter.", "L'an dernier, il a acheté une Toyota pour sa fille.", CTX
    )
    assert (flag.check, flag.severity) == ("named-entities", "major")
    assert flag.message == "source has 'Tesla', translation has 'Toyota' instead"


def test_replacement_severity_follows_the_settings() -> None:
    ctx = CheckContext(severities={"named-entities": "minor"})
    [flag] = check_named_entities("Last year he bought a Tesla for his daughter.", "L'an dernier, il a acheté une Toyota pour sa fille.", ctx)
    assert flag.severity == "minor"


def test_name_missing_without_replacement_stays_minor() -> None:
    [flag] = check_named_entities(
        "Last year he bought a Tesla for his daughter.", "L'an dernier, il a acheté une voiture pour sa fille.", CTX
    )
    assert (flag.severity, flag.message) == ("minor", "name 'Tesla' from the source is not in the translation")


def test_ordinary_words_and_names_by_word_frequency() -> None:
    assert ordinary_word("Settings") and ordinary_word("Close") and ordinary_word("Board")
    assert not ordinary_word("Tesla") and not ordinary_word("Smith") and not ordinary_word("Northfield")
    assert ordinary_word("Conseil", "fr") and not ordinary_word("Toyota", "fr")


def test_spelled_out_acronyms() -> None:
    assert spelled_out("ROI", "un bon retour sur investissement")
    assert spelled_out("AI", "l'intelligence artificielle")
    assert not spelled_out("ROI", "un bon rendement")
    assert not spelled_out("EU", "une entreprise")  # two letters: both must be there


# --------------------------------------------------------------------------- end punctuation


@pytest.mark.parametrize(
    ("pattern", "source", "translation"),
    [
        ("period added", "Click the button to continue", "Cliquez sur le bouton pour continuer."),
        ("period dropped from a heading", "Annual results.", "Résultats annuels"),
        ("indirect question made direct", "I wonder whether the plan will work.", f"Je me demande si le plan va fonctionner{NNBSP}?"),
        ("direct question made indirect", "Will the plan work?", "On peut se demander si le plan va fonctionner."),
        ("question kept", "Will the plan work?", f"Le plan va-t-il fonctionner{NNBSP}?"),
    ],
)
def test_end_punctuation_changes_that_are_not_errors(pattern: str, source: str, translation: str) -> None:
    assert check_end_punctuation(source, translation, CTX) == [], pattern


def test_lost_question_mark_is_major_and_names_both_endings() -> None:
    [flag] = check_end_punctuation("How much water does a household use?", "Voyons combien d'eau un ménage consomme.", CTX)
    assert (flag.check, flag.severity) == ("end-punctuation", "major")
    assert flag.message == "the source ends as a question ('?') but the translation ends with '.'"


def test_added_question_mark_is_major() -> None:
    [flag] = check_end_punctuation("The plan will work.", f"Le plan va fonctionner{NNBSP}?", CTX)
    assert flag.severity == "major"
    assert flag.message == "the source ends as a statement ('.') but the translation ends with '?'"
    [flag] = check_end_punctuation("The plan will work", f"Le plan va fonctionner{NNBSP}?", CTX)
    assert flag.severity == "major"
    assert flag.message == "the source has no final punctuation but the translation ends as a question ('?')"


def test_full_stop_dropped_from_a_long_sentence_is_still_minor() -> None:
    [flag] = check_end_punctuation(
        "The new plant will open next spring after two years of work.",
        "La nouvelle usine ouvrira au printemps prochain après deux ans de travaux",
        CTX,
    )
    assert flag.severity == "minor"
    assert flag.message == "the source ends as a statement ('.') but the translation ends with nothing"
