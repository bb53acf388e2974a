"""Precision of the rule checks: patterns that a good translation uses and that must not be
flagged, and real errors that must be flagged with a message naming what was expected and
what was found."""

from __future__ import annotations

import pandas as pd
import pytest

from tqe.checks import CheckContext, Flag, GlossaryEntry, build_context, run_checks
from tqe.checks.duplicate import _anchors
from tqe.checks.entities import check_named_entities, ordinary_word, spelled_out
from tqe.checks.numbers import check_numbers
from tqe.checks.punctuation import check_end_punctuation
from tqe.config import FlagConfig
from tqe.flag import flag_segments

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


# ---------------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("pattern", "source", "translation"),
    [
        ("scale word", "The plan costs $1 trillion over ten years.", "Le plan coûte 1 000 milliards de dollars sur dix ans."),
        ("scale word, digits run together", "The plan costs $1 trillion.", "Le plan coûte 1000 milliards de dollars."),
        ("bn", "Revenue reached $1.2bn last year.", "Le chiffre d'affaires a atteint 1,2 milliard de dollars l'an dernier."),
        ("bn to Md$", "Revenue reached $1.2 bn.", "Le chiffre d'affaires a atteint 1,2 Md$."),
        ("k", "The app has 5k users.", "L'application compte 5 000 utilisateurs."),
        ("M", "They raised $3M in May.", "Ils ont levé 3 millions de dollars en mai."),
        ("a million", "A million people live there.", "Un million de personnes y vivent."),
        ("a million as digits", "Nearly a million people live there.", "Près de 1 million de personnes y vivent."),
        ("words to digits", "We visited three plants.", "Nous avons visité 3 usines."),
        ("digits to words", "We visited 3 plants.", "Nous avons visité trois usines."),
        ("words to words", "We visited twenty-five plants.", "Nous avons visité vingt-cinq usines."),
        ("tens", "She was ninety.", "Elle avait quatre-vingt-dix ans."),
        ("zero", "There were zero incidents.", "Il y a eu zéro incident."),
        ("1st to 1er", "He came 1st in the race.", "Il est arrivé 1er de la course."),
        ("1st to premier", "He came 1st in the race.", "Il est arrivé premier de la course."),
        ("2nd to 2e", "She finished 2nd.", "Elle a terminé 2e."),
        ("2nd to deuxième", "She finished 2nd.", "Elle a terminé deuxième."),
        ("ordinal words", "It was the third attempt.", "C'était la troisième tentative."),
        ("range", "It takes 10-15 days.", "Cela prend 10 à 15 jours."),
        ("range with de", "It takes 10–15 days.", "Cela prend de 10 à 15 jours."),
        ("percent sign", "Turnout was 45%.", f"La participation a été de 45{NNBSP}%."),
        ("pour cent", "Turnout was 45%.", "La participation a été de 45 pour cent."),
        ("decade", "Prices fell in the 1990s.", "Les prix ont baissé dans les années 1990."),
        ("short decade", "Prices fell in the 1990s.", "Les prix ont baissé dans les années 90."),
        ("both", "Both plants were closed.", "Les deux usines ont été fermées."),
        ("one", "One plant in 5 was closed.", "Une usine sur 5 a été fermée."),
        ("second as an ordinal", "A second three-year term began.", "Un deuxième mandat de trois ans a commencé."),
        ("value repeated", "Support is open 24/7.", "L'assistance est ouverte 24 h/24, 7 j/7."),
    ],
)
def test_same_numbers_written_differently_raise_nothing(pattern: str, source: str, translation: str) -> None:
    assert check_numbers(source, translation, CTX) == [], pattern


@pytest.mark.parametrize(
    ("source", "translation", "message"),
    [
        ("The town has 8,900 homes.", "La ville compte 9 800 logements.",
         "number 8,900 in the source is missing; the translation has 9 800"),
        ("We visited three plants.", "Nous avons visité quatre usines.",
         "number three in the source is missing; the translation has quatre"),
        ("It was the third attempt.", "C'était la quatrième tentative.",
         "number third in the source is missing; the translation has quatrième"),
        ("It costs $1 billion.", "Cela coûte 1 billion de dollars.",
         "number 1 billion (1 000 000 000) in the source is missing; the translation has 1 billion (1 000 000 000 000)"),
        ("It costs $1 trillion.", "Cela coûte 1 000 millions de dollars.",
         "number 1 trillion (1 000 000 000 000) in the source is missing; the translation has 1 000 millions"),
        ("Prices fell in the 1980s.", "Les prix ont baissé dans les années 1990.",
         "number 1980 in the source is missing; the translation has 1990"),
        ("It takes 10-15 days.", "Cela prend 10 à 16 jours.",
         "number 15 in the source is missing; the translation has 16"),
        ("It takes 5 to 7 days.", "Cela prend 5 à 5 jours.",
         "number 7 in the source is missing from the translation"),
    ],
)
def test_changed_numbers_are_major_and_name_both(source: str, translation: str, message: str) -> None:
    [flag] = check_numbers(source, translation, CTX)
    assert (flag.check, flag.severity, flag.message) == ("numbers", "major", message)


def test_scale_word_never_leaves_a_stray_group() -> None:
    """'1 000 milliards' must not be read as 1 and a number 000 the source lacks."""
    for translation in ("Le plan coûte 1 000 milliards de dollars.", f"Le plan coûte 1{NBSP}000 milliards de dollars."):
        assert check_numbers("The plan costs $1 trillion.", translation, CTX) == []
    [flag] = check_numbers("The plan costs $2 trillion.", "Le plan coûte 1 000 milliards de dollars.", CTX)
    assert flag.message == (
        "number 2 trillion (2 000 000 000 000) in the source is missing; the translation has 1 000 milliards"
    )


# -------------------------------------------------------------------------------- duplicate

KLEIN_EN = "Dr. Sarah Klein, a hydrologist, became Chief Executive Officer on March 1."
KLEIN_FR = "La Dr Sarah Klein, hydrologue, est devenue directrice générale le 1er mars."
MORENO_EN = "Mrs. Alicia Moreno was re-elected chair of the Board in May."
MORENO_FR = "Mme Alicia Moreno a été réélue en mai à la présidence du conseil."


def _flags(ids: list[str], sources: list[str], translations: list[str]) -> list[list[Flag]]:
    ctx = build_context(sources, translations, ids)
    return [run_checks(source, translation, ctx) for source, translation in zip(sources, translations)]


def test_copy_paired_next_to_its_twin_is_a_duplicate_not_empty_plus_addition() -> None:
    """The aligner's layout for a sentence replaced by its neighbour's translation: the copy
    as an added sentence (0-1) beside its twin, and the source left empty (1-0)."""
    ids = ["3.1", "3.2", "3.3"]
    copy, twin, lost = _flags(ids, ["", KLEIN_EN, MORENO_EN], [KLEIN_FR, KLEIN_FR, ""])
    assert [flag.check for flag in copy] == ["duplicate"] and twin == [] and [flag.check for flag in lost] == ["duplicate"]
    assert copy[0].severity == "major"
    assert copy[0].message == (
        "translation of 3.1 repeats 3.2's translation: 'La Dr Sarah Klein, hydrologue, est devenue directrice génér…', "
        "where 3.3 'Mrs. Alicia Moreno was re-elected chair of the Board in May.' should be translated"
    )
    assert lost[0].message == (
        "source 3.3 'Mrs. Alicia Moreno was re-elected chair of the Board in May.' has no translation: "
        "in its place, 3.1 repeats 3.2's translation 'La Dr Sarah Klein, hydrologue, est devenue directrice génér…'"
    )


def test_copy_aligned_one_to_one_names_both_segments() -> None:
    ids = ["3.1", "3.2"]
    original, copy = _flags(ids, [KLEIN_EN, MORENO_EN], [KLEIN_FR, KLEIN_FR.replace("hydrologue", "hydrologiste")])
    assert [flag.check for flag in original if flag.check == "duplicate"] == []
    [flag] = [flag for flag in copy if flag.check == "duplicate"]
    assert flag.message.startswith("translation of 3.2 repeats 3.1's translation: 'La Dr Sarah Klein, hydrologiste")
    assert flag.message.endswith("not a translation of its source 'Mrs. Alicia Moreno was re-elected chair of the Board in May.'")


def test_the_copy_is_the_translation_that_fits_its_source_worse() -> None:
    """Here the second translation is the original and the first sentence's is the copy."""
    ids = ["1.1", "1.2"]
    copy, original = _flags(ids, [MORENO_EN, KLEIN_EN], [KLEIN_FR, KLEIN_FR])
    assert [flag.check for flag in copy if flag.check == "duplicate"] == ["duplicate"]
    assert [flag for flag in original if flag.check == "duplicate"] == []


@pytest.mark.parametrize(
    ("sources", "translations"),
    [
        # sources alike too: a close translation is right
        (["Step 1: open the lid of the tank.", "Step 2: open the lid of the tank."],
         ["Étape 1 : ouvrez le couvercle du réservoir.", "Étape 2 : ouvrez le couvercle du réservoir."]),
        # short replies legitimately repeat
        (["Yes, of course.", "Sure."], ["Oui, bien sûr.", "Oui, bien sûr."]),
        # different translations
        ([KLEIN_EN, MORENO_EN], [KLEIN_FR, MORENO_FR]),
    ],
)
def test_no_duplicate_without_a_copy(sources: list[str], translations: list[str]) -> None:
    flags = _flags(["1.1", "1.2"], sources, translations)
    assert [flag for segment in flags for flag in segment if flag.check == "duplicate"] == []


def test_neighbours_in_different_paragraphs_are_not_compared() -> None:
    flags = _flags(["1.1", "2.1"], [KLEIN_EN, MORENO_EN], [KLEIN_FR, KLEIN_FR])
    assert [flag for segment in flags for flag in segment if flag.check == "duplicate"] == []


# ------------------------------------------------------- a clean document raises no rule flag

CLEAN_CHAT = [
    ("Hi Sarah, thanks for contacting Spotify Support!", "Bonjour Sarah, merci d'avoir contacté l'assistance Spotify !"),
    ("Please tap Settings, then Account, and select Sign Out", "Veuillez appuyer sur Paramètres, puis sur Compte, et sélectionner Se déconnecter."),
    ("I’m sorry to hear that your order hasn't arrived yet.", "Je suis désolé d'apprendre que votre commande n'est pas encore arrivée."),
    ("Could you confirm the email address linked to your Amazon account?", "Pourriez-vous confirmer l'adresse e-mail associée à votre compte Amazon ?"),
    ("Go to Your Orders and click Return or Replace Items", "Accédez à Vos commandes et cliquez sur Retourner ou remplacer des articles."),
    ("The refund usually takes 3-5 business days.", "Le remboursement prend généralement 3 à 5 jours ouvrés."),
    ("We'll send you a new one at no extra cost.", "Nous vous en enverrons un nouveau sans frais supplémentaires."),
    ("Our GPUs process about 2M requests per day.", "Nos GPU traitent environ 2 millions de requêtes par jour."),
    ("NASA's budget for 2024 is $25.4 billion.", "Le budget de la NASA pour 2024 s'élève à 25,4 milliards de dollars."),
    ("Our CPU-based pipeline handles two thousand files an hour.", "Notre chaîne basée sur CPU traite deux mille fichiers par heure."),
    ("I wonder whether the new policy will help small businesses.", "Je me demande si la nouvelle politique aidera les petites entreprises ?"),
    ("Revenue grew 12% to $4.5bn in the third quarter.", "Le chiffre d'affaires a progressé de 12 % à 4,5 milliards de dollars au troisième trimestre."),
    ("Customer Service is available 24/7.", "Le service client est disponible 24 h/24, 7 j/7."),
    ("The ROI on AI projects remains unclear for many CEOs.", "Le retour sur investissement des projets d'IA reste flou pour de nombreux PDG."),
    ("In the 1990s, Microsoft dominated the PC market.", "Dans les années 90, Microsoft dominait le marché des PC."),
    ("She finished 2nd out of twelve runners.", "Elle a terminé deuxième sur douze coureurs."),
    ("Non-EU students pay higher fees at Oxford.", "Les étudiants hors UE paient des frais plus élevés à Oxford."),
    ("Click Save Changes at the bottom of the page", "Cliquez sur Enregistrer les modifications en bas de la page"),
    ("• Close the app and open it again", "• Fermez l'application et rouvrez-la."),
    ("The plan will cost $1 trillion over a decade.", "Le plan coûtera 1 000 milliards de dollars sur dix ans."),
]


def test_clean_chat_translation_raises_no_rule_flag() -> None:
    segments = pd.DataFrame(
        {
            "id": [f"1.{number}" for number in range(1, len(CLEAN_CHAT) + 1)],
            "paragraph": [1] * len(CLEAN_CHAT),
            "link": ["1-1"] * len(CLEAN_CHAT),
            "source": [source for source, _ in CLEAN_CHAT],
            "translation": [translation for _, translation in CLEAN_CHAT],
            "references": [()] * len(CLEAN_CHAT),
        }
    )
    flagged = flag_segments(segments, FlagConfig())
    checks = {"named-entities", "numbers", "end-punctuation", "duplicate"}
    raised = [(row.id, flag.message) for row in flagged.itertuples() for flag in row.flags if flag.check in checks]
    assert raised == []


def test_interface_labels_after_an_action_are_not_names() -> None:
    """'Edit' and 'Manager' are about as frequent in French as names are; after 'tap' or
    'click' they are labels, translated with the interface."""
    source = "To change it, tap Edit Profile or click on Task Manager."
    translation = "Pour le modifier, appuyez sur Modifier le profil ou cliquez sur Gestionnaire des tâches."
    assert check_named_entities(source, translation, CTX) == []
    [flag] = check_named_entities("To change it, ask Edith Manager.", "Pour le modifier, demandez-le.", CTX)
    assert flag.message == "name 'Edith Manager' from the source is not in the translation"


def test_parallel_one_word_change_is_not_a_near_copy() -> None:
    """Two short interface steps that differ by one word translate to two steps that differ by
    one word: neither is a copy of the other."""
    flags = _flags(["1.1", "1.2"], ["Tap Sign Out.", "Tap Sign In."], ["Appuyez sur Se déconnecter.", "Appuyez sur Se connecter."])
    assert [flag for segment in flags for flag in segment if flag.check == "duplicate"] == []
    # an exact copy of the same short step is still one
    flags = _flags(["1.1", "1.2"], ["Tap Sign Out.", "Tap Sign In."], ["Appuyez sur Se déconnecter.", "Appuyez sur Se déconnecter."])
    [flag] = [flag for segment in flags for flag in segment if flag.check == "duplicate"]
    assert flag.message.startswith("translation of 1.2 repeats 1.1's translation: 'Appuyez sur Se déconnecter.'")


def test_the_copy_is_found_through_an_acronym_plural() -> None:
    """``GPUs`` in the source is ``GPU`` in French: the translation naming it belongs to that
    source, and the copy is the other one."""
    sources = [
        "We expect the gap to narrow further as CPUs gain wider vector units.",
        "For overnight batch work and teams without access to GPUs, it often is.",
    ]
    copied = "Souvent pour les traitements de nuit et les équipes qui n'ont pas accès à des GPU."
    copy, original = _flags(["1.1", "1.2"], sources, [copied, copied])
    assert [flag for flag in original if flag.check == "duplicate"] == []
    [flag] = [flag for flag in copy if flag.check == "duplicate"]
    assert flag.message.startswith("translation of 1.1 repeats 1.2's translation")
    assert "gpu" in _anchors(sources[1]) & _anchors(copied)


def test_a_reported_copy_raises_no_consistency_flag_on_either_segment() -> None:
    """The duplicate check already names both segments; the original is right."""
    original, copy = _flags(["3.1", "3.2"], [KLEIN_EN, MORENO_EN], [KLEIN_FR, KLEIN_FR])
    assert [flag.check for flag in original] == []
    assert [flag.check for flag in copy if flag.check in ("duplicate", "consistency")] == ["duplicate"]
    # the same translation reused far away (not a neighbour) is still inconsistent
    flags = _flags(["3.1", "3.2", "5.1"], [KLEIN_EN, MORENO_EN, "The river flooded the old town last spring."],
                   [KLEIN_FR, MORENO_FR, KLEIN_FR])
    [flag] = [flag for flag in flags[0] if flag.check == "consistency"]
    assert flag.message.startswith("the same translation is used for a different source sentence in segment 5.1")


# ------------------------------------------------------------------------ numbers, continued


@pytest.mark.parametrize(
    ("pattern", "source", "translation"),
    [
        ("scale shared by two numbers", "Revenue of between $2.1 billion and $2.3 billion.",
         "Un chiffre d'affaires compris entre 2,1 et 2,3 milliards de dollars."),
        ("scale shared in English", "Between 2 and 3 million people voted.", "Entre 2 et 3 millions de personnes ont voté."),
        ("hyphenated scale word", "A 7-billion-parameter model runs on it.", "Un modèle de 7 milliards de paramètres y tourne."),
        ("time with zero minutes", "Backups run at 2:00 a.m. every night.", "Les sauvegardes ont lieu à 2 h chaque nuit."),
        ("afternoon time", "The shop closes at 6:00 p.m.", "La boutique ferme à 18 h 00."),
        ("time with minutes", "The train leaves at 2:30 p.m.", "Le train part à 14 h 30."),
        ("version after version", "We used DataForge (version 2.3) on three machines.",
         "Nous avons utilisé DataForge (version 2.3) sur trois machines."),
        ("version before release", "Support is planned for the 1.4 release.", "La prise en charge est prévue pour la version 1.4."),
        ("version after a product name", "The machines ran Ubuntu 24.04 with new drivers.",
         "Les machines fonctionnaient sous Ubuntu 24.04 avec de nouveaux pilotes."),
        ("version after a mixed-case name", "Update your phone to iOS 17.2 first.", "Mettez d'abord votre téléphone à jour vers iOS 17.2."),
    ],
)
def test_more_number_patterns_raise_nothing(pattern: str, source: str, translation: str) -> None:
    assert check_numbers(source, translation, CTX) == [], pattern


@pytest.mark.parametrize(
    ("source", "translation", "message"),
    [
        ("Revenue of between $2.1 billion and $2.3 billion.", "Un chiffre d'affaires compris entre 2,1 et 2,3 millions de dollars.",
         "numbers 2.1 billion (2 100 000 000) and 2.3 billion (2 300 000 000) in the source are missing; "
         "the translation has 2,1 and 2,3 millions"),
        ("A 7-billion-parameter model runs on it.", "Un modèle de 7 millions de paramètres y tourne.",
         "number 7-billion (7 000 000 000) in the source is missing; the translation has 7 millions"),
        ("Backups run at 2:00 a.m. every night.", "Les sauvegardes ont lieu à 3 h chaque nuit.",
         "number 2 in the source is missing; the translation has 3"),
    ],
)
def test_more_changed_numbers_are_major_and_name_both(source: str, translation: str, message: str) -> None:
    [flag] = check_numbers(source, translation, CTX)
    assert (flag.check, flag.severity, flag.message) == ("numbers", "major", message)


@pytest.mark.parametrize(
    ("source", "translation", "message"),
    [
        ("The bottle holds 1.5 litres.", "La bouteille contient 1.5 litre.", "number 1.5 is written the English way; in French write 1,5"),
        # a capitalised word that opens the sentence is no product name
        ("About 3.5 tonnes were shipped.", "Environ 3.5 tonnes ont été expédiées.", "number 3.5 is written the English way; in French write 3,5"),
    ],
)
def test_decimal_point_outside_a_version_is_still_minor(source: str, translation: str, message: str) -> None:
    [flag] = check_numbers(source, translation, CTX)
    assert (flag.severity, flag.message) == ("minor", message)


# ------------------------------------------------------------------ named entities, continued


@pytest.mark.parametrize(
    ("pattern", "source", "translation"),
    [
        ("letter of a compound", "Environmental groups described the U-turn as a missed opportunity.",
         "Les associations ont qualifié ce revirement d'occasion manquée."),
        ("byte unit", "The Free plan includes 2 GB of storage.", "L'offre gratuite comprend 2 Go de stockage."),
        ("byte rate", "The server reaches about 600 GB/s.", "Le serveur atteint environ 600 Go/s."),
        ("acronym with a French word", "A modern server CPU can serve the model.", "Un processeur de serveur moderne peut servir le modèle."),
        ("name with a kept common word", "Analysts at Kraemer Bank called the move bold.", "Les analystes de Kraemer Bank jugent la décision audacieuse."),
    ],
)
def test_more_good_translation_patterns_raise_no_named_entity_flag(pattern: str, source: str, translation: str) -> None:
    assert check_named_entities(source, translation, CTX) == [], pattern


@pytest.mark.parametrize(
    ("source", "translation", "message"),
    [
        ("Analysts at Kraemer Bank called the move bold.", "Les analystes de Harwick Bank jugent la décision audacieuse.",
         "source has 'Kraemer Bank', translation has 'Harwick Bank' instead"),
        ("The board of Tessaro Airlines approved the purchase.", "Le conseil de Aerolis Airlines a approuvé l'achat.",
         "source has 'Tessaro Airlines', translation has 'Aerolis Airlines' instead"),
        ("The Halden Pension Fund will sell its stake.", "Le fonds de pension Norden cédera sa participation.",
         "source has 'Halden Pension', translation has 'pension Norden' instead"),
    ],
)
def test_swap_inside_a_multi_word_name_is_major_and_names_both(source: str, translation: str, message: str) -> None:
    [flag] = check_named_entities(source, translation, CTX)
    assert (flag.severity, flag.message) == ("major", message)


def test_missing_byte_unit_is_still_flagged() -> None:
    [flag] = check_named_entities("The plan includes 2 GB of storage.", "L'offre comprend 2 de stockage.", CTX)
    assert flag.message == "name 'GB' from the source is not in the translation"


@pytest.mark.parametrize(
    ("pattern", "source", "translation"),
    [
        ("miles to km, rounded", "The trail is 5 miles long.", "Le sentier fait 8 km."),
        ("Fahrenheit to Celsius", "It was 100°F outside.", f"Il faisait 38{NBSP}°C dehors."),
        ("feet to metres", "He is 6 feet tall.", "Il mesure 1,83 m."),
        ("pounds to grams", "The bag weighs 2 pounds.", "Le sac pèse 900 g."),
        ("gallons to litres", "The tank holds 10 gallons.", "Le réservoir contient 38 litres."),
    ],
)
def test_converted_units_raise_nothing(pattern: str, source: str, translation: str) -> None:
    assert check_numbers(source, translation, CTX) == [], pattern


def test_wrong_conversion_is_still_a_changed_number() -> None:
    [flag] = check_numbers("The trail is 5 miles long.", "Le sentier fait 12 km.", CTX)
    assert (flag.severity, flag.message) == ("major", "number 5 in the source is missing; the translation has 12")


def test_digits_of_a_changed_address_are_left_to_the_urls_check() -> None:
    source = "Full results are available at https://bench.example/results/2025 and from stats2024@example.org."
    translation = "Les résultats complets sont sur https://bench.example/results/2024 et auprès de stats2023@example.org."
    assert check_numbers(source, translation, CTX) == []
    # a number outside the address is still compared
    [flag] = check_numbers("See https://x.example/a1 for 3 files.", "Voir https://x.example/a1 pour 4 fichiers.", CTX)
    assert flag.message == "number 3 in the source is missing; the translation has 4"


def test_degree_letters_are_units_not_names() -> None:
    assert check_named_entities("Temperatures will reach 95°F this weekend.", "Les températures atteindront 35 °C ce week-end.", CTX) == []


@pytest.mark.parametrize(
    ("pattern", "source", "translation"),
    [
        ("quarter in words", "Our Q3 revenue was up 14% year over year.", "Notre chiffre d'affaires du troisième trimestre a progressé de 14 % sur un an."),
        ("quarter as T", "Q3 revenue was up 14%.", "Le chiffre d'affaires du T3 a progressé de 14 %."),
        ("half-year", "Results for H1 were strong.", "Les résultats du premier semestre ont été solides."),
        ("time zone", "The meeting is at 3pm CET on Friday.", "La réunion a lieu vendredi à 15 h, heure de Paris."),
    ],
)
def test_periods_and_time_zones_in_french_raise_no_named_entity_flag(pattern: str, source: str, translation: str) -> None:
    assert check_named_entities(source, translation, CTX) == [], pattern


def test_missing_quarter_is_still_named() -> None:
    [flag] = check_named_entities("Our Q3 revenue was up.", "Notre chiffre d'affaires a progressé.", CTX)
    assert flag.message == "name 'Q3' from the source is not in the translation"


# ------------------------------------------- French acronyms and rounded unit conversions


@pytest.mark.parametrize(
    ("source", "translation"),
    [
        ("Avoid NSAIDs such as ibuprofen.", "Évitez les AINS comme l’ibuprofène."),
        ("Ask HR for the form.", "Demandez le formulaire au RRH."),
        ("NATO met in Brussels.", "L’OTAN s’est réunie à Bruxelles."),
        ("Prices include VAT.", "Les prix incluent la TVA."),
    ],
)
def test_an_acronym_rendered_by_its_french_acronym_is_present(source: str, translation: str) -> None:
    assert check_named_entities(source, translation, CTX) == []


def test_an_unrelated_acronym_still_leaves_the_source_one_missing() -> None:
    [flag] = check_named_entities("Contact the FDA first.", "Contactez d’abord la CNIL.", CTX)
    assert "'FDA'" in flag.message


@pytest.mark.parametrize(
    ("source", "translation"),
    [
        ("The beach is 2 miles from the hotel.", "La plage est à environ 3 km de l’hôtel."),
        ("A 24 oz bottle of water.", "Une bouteille d’eau de 70 cl."),
        ("A 12 fl oz can.", "Une canette de 35 cl."),
        ("Bake at 200°F.", "Faites cuire à 93 °C."),
    ],
)
def test_a_rounded_conversion_is_no_number_change(source: str, translation: str) -> None:
    assert check_numbers(source, translation, CTX) == []


def test_a_wrong_conversion_is_still_flagged() -> None:
    [flag] = check_numbers("The beach is 2 miles away.", "La plage est à 9 km.", CTX)
    assert flag.check == "numbers" and "2" in flag.message and "9" in flag.message
