"""Checks that find what the older rules missed: capitalised copies of the source, English
words left in French, negation or direction flipped, French spelling; each pattern with the
flag it must raise or the false alarm it must not."""

from __future__ import annotations

from pathlib import Path

import pytest
from align_corpus import read_corpus
from test_checks import NEWS

from tqe.checks import CheckContext, Flag, GlossaryEntry
from tqe.checks.english import check_english_words
from tqe.checks.polarity import check_polarity, check_polarity_reference
from tqe.checks.presence import check_untranslated
from tqe.checks.spelling import check_spelling
from tqe.config import FlagConfig, load_config
from tqe.document import load_segments
from tqe.errors import ConfigError
from tqe.flag import flag_segments

CTX = CheckContext()
SAMPLES = Path(__file__).parent.parent / "references"


def only(flags: list[Flag], check: str) -> Flag:
    assert len(flags) == 1, flags
    assert flags[0].check == check
    return flags[0]


# ------------------------------------------------------------ untranslated: capitalised copies


def test_copy_of_capitalised_words_is_untranslated() -> None:
    flag = only(check_untranslated("Close #PRS_ORG#.", "Close #PRS_ORG#.", CTX), "untranslated")
    assert flag.severity == "major"
    assert flag.message == "the translation is a copy of the English source ('Close' left in English)"


def test_copy_of_a_title_case_interface_label_is_untranslated() -> None:
    flag = only(check_untranslated("Sign Out", "Sign Out", CTX), "untranslated")
    assert "'Sign', 'Out' left in English" in flag.message


def test_copy_of_a_title_case_heading_is_untranslated() -> None:
    title = "Northfield Regional Water Authority: Annual Report 2023"
    flag = only(check_untranslated(title, title, CTX), "untranslated")
    assert "'Water'" in flag.message and "'Northfield'" not in flag.message


@pytest.mark.parametrize(
    "text",
    [
        "2023",  # a bare number
        "https://www.example.com/Settings",  # a URL
        "help@example.com",
        "OK",  # an acronym French keeps
        "NRWA",
        "ERR_CONNECTION_REFUSED",  # a code string
        "`pip install tqe`",
        "config.yaml",
        "AquaTrack",  # a product name alone
        "Microsoft Teams",
        "Emmanuel Macron",  # a person's name
        "Tesla",
        "Parking",  # loanwords usual in French
        "Email",
        "Cloud",
    ],
)
def test_copy_that_is_the_same_in_french_is_not_untranslated(text: str) -> None:
    assert check_untranslated(text, text, CTX) == []


def test_capitalised_copy_of_a_do_not_translate_term_is_not_untranslated() -> None:
    ctx = CheckContext(dnt_terms=("Smart Home",))
    assert check_untranslated("Smart Home", "Smart Home", ctx) == []
    assert only(check_untranslated("Smart Home", "Smart Home", CTX), "untranslated")


def test_translated_capitalised_label_is_not_untranslated() -> None:
    assert check_untranslated("Sign Out", "Se déconnecter", CTX) == []


# ------------------------------------------------------------------------------ english-words


def test_single_english_word_from_the_source_is_minor() -> None:
    flag = only(
        check_english_words("Tap Settings to change your password.", "Tap Paramètres pour changer votre mot de passe.", CTX),
        "english-words",
    )
    assert flag.severity == "minor"
    assert flag.message == "English word left in the French translation: 'Tap'"


def test_run_of_english_words_is_major() -> None:
    flag = only(check_english_words("Tap Sign out.", "Appuyez sur Sign out.", CTX), "english-words")
    assert flag.severity == "major"
    assert flag.message == "English words left in the French translation: 'Sign out'"


def test_english_article_and_noun_left_in_french_is_a_run() -> None:
    flag = only(
        check_english_words("Open the settings and choose a language.", "Ouvrez the settings et choisissez une langue.", CTX),
        "english-words",
    )
    assert (flag.severity, flag.message) == ("major", "English words left in the French translation: 'the settings'")


def test_two_separate_english_words_are_major_and_both_named() -> None:
    flag = only(
        check_english_words("Plug the charger into an outlet.", "Plug le chargeur dans une outlet.", CTX),
        "english-words",
    )
    assert (flag.severity, flag.message) == ("major", "English words left in the French translation: 'Plug' and 'outlet'")


def test_anglicism_rare_in_written_french_is_a_minor_flag() -> None:
    flag = only(check_english_words("The deadline is Friday.", "La deadline est vendredi.", CTX), "english-words")
    assert (flag.severity, flag.message) == ("minor", "English word left in the French translation: 'deadline'")


def test_english_word_after_a_french_elision_is_found() -> None:
    flag = only(check_english_words("Find the outlet.", "Trouvez l'outlet.", CTX), "english-words")
    assert "'outlet'" in flag.message


@pytest.mark.parametrize(
    ("source", "translation"),
    [
        (
            "We spent the weekend on email marketing at the start-up.",
            "Nous avons passé le week-end sur le marketing par email à la start-up.",
        ),
        ("Park in the parking lot, it is OK.", "Garez-vous au parking, c'est OK."),
        ("Big data runs in the cloud.", "Le big data tourne dans le cloud."),
        ("The open space is noisy.", "L'open space est bruyant."),
        ("Our job is fun.", "Notre job est fun."),
        ("Buy products made in France.", "Achetez des produits made in France."),  # an expression French uses
        ("The show was a best-seller.", "Le show était un best-seller."),
    ],
)
def test_loanwords_usual_in_french_are_not_english_words(source: str, translation: str) -> None:
    assert check_english_words(source, translation, CTX) == []


@pytest.mark.parametrize(
    ("source", "translation"),
    [
        ("Tesla beat Toyota.", "Tesla a battu Toyota."),  # brand names
        ("Read The Lord of the Rings.", "Lisez The Lord of the Rings."),  # a title in title case
        ("Click Download to get the update.", "Cliquez sur Download pour obtenir la mise à jour."),  # a label
        ("We joined the Clean Rivers Alliance.", "Nous avons rejoint la Clean Rivers Alliance."),
        ("Write to help@example.com.", "Écrivez à help@example.com."),  # an address
        ("Type `git pull origin`.", "Tapez `git pull origin`."),  # code
    ],
)
def test_names_titles_and_code_are_not_english_words(source: str, translation: str) -> None:
    assert check_english_words(source, translation, CTX) == []


def test_english_word_absent_from_the_source_is_not_flagged_alone() -> None:
    assert check_english_words("Click the button.", "Cliquez sur le bouton download.", CTX) == []
    assert only(check_english_words("Click the download button.", "Cliquez sur le bouton download.", CTX), "english-words")


def test_do_not_translate_terms_and_glossary_targets_are_not_english_words() -> None:
    source, translation = "Open the quick settings.", "Ouvrez les quick settings."
    assert only(check_english_words(source, translation, CTX), "english-words").severity == "major"
    assert check_english_words(source, translation, CheckContext(dnt_terms=("quick settings",))) == []
    glossary = (GlossaryEntry("quick settings", ("quick settings",)),)
    assert check_english_words(source, translation, CheckContext(glossary=glossary)) == []


def test_sentence_left_in_english_is_left_to_untranslated() -> None:
    source = "On behalf of the Board, I thank our 640 employees."
    assert check_english_words(source, "On behalf of the Board, je remercie nos 640 employés.", CTX)
    assert check_english_words(source, source, CTX) == []
    mixed = "Rien de cela n'est dû au hasard. On behalf of the Board, I thank our 640 employees, who kept it running."
    assert only(check_untranslated(source, mixed, CTX), "untranslated")
    assert check_english_words(source, mixed, CTX) == []


def test_clean_french_raises_no_english_words() -> None:
    pairs = [(en, fr) for paragraph in read_corpus() for en, fr in zip(paragraph["en"], paragraph["fr"])]
    pairs += NEWS
    pairs += list(zip(SAMPLES.joinpath("source.en.txt").read_text().splitlines(),
                      SAMPLES.joinpath("reference.fr.txt").read_text().splitlines()))
    assert len(pairs) == 85
    assert [(fr, flag) for en, fr in pairs for flag in check_english_words(en, fr, CTX)] == []


# ----------------------------------------------------------------------------------- polarity

NEGATION_LOST = [
    ("The plant did not meet the standard.", "L'usine a respecté la norme.", "'not'"),
    ("The plant didn't meet the standard.", "L'usine a respecté la norme.", "'didn't'"),
    ("The water never reaches the tap.", "L'eau arrive toujours au robinet.", "'never'"),
    ("No advisory was issued.", "Un avis a été émis.", "'no'"),
    ("Homes were left without water.", "Les foyers ont été laissés avec de l'eau.", "'without'"),
]


@pytest.mark.parametrize(("source", "translation", "word"), NEGATION_LOST)
def test_negation_lost_in_the_translation(source: str, translation: str, word: str) -> None:
    flag = only(check_polarity(source, translation, CTX), "polarity")
    assert flag.severity == "major"
    assert flag.message == (
        f"the source has a negation ({word}) but the translation has none: check that the meaning was not reversed"
    )


NEGATION_ADDED = [
    ("The plant met the standard.", "L'usine n'a pas respecté la norme.", "'ne … pas'"),
    ("The network is still in service.", "Le réseau n'est plus en service.", "'ne … plus'"),
    ("The crews worked with a permit.", "Les équipes ont travaillé sans permis.", "'sans'"),
    ("The report was published.", "Le rapport n'a jamais été publié.", "'ne … jamais'"),
    ("Is the water safe? Yes.", "L'eau est-elle sûre ? Non.", "'non'"),
]


@pytest.mark.parametrize(("source", "translation", "word"), NEGATION_ADDED)
def test_negation_added_in_the_translation(source: str, translation: str, word: str) -> None:
    flag = only(check_polarity(source, translation, CTX), "polarity")
    assert flag.message == (
        f"the translation has a negation ({word}) that the source does not have: check that the meaning was not reversed"
    )


@pytest.mark.parametrize(
    ("source", "translation"),
    [
        # the same negation said both ways
        ("The plant is no longer in service.", "L'usine n'est plus en service."),
        ("None of this happens by chance.", "Rien de tout cela n'est le fruit du hasard."),
        ("No boil-water advisory was issued.", "Aucun avis d'ébullition n'a été émis."),
        ("Do you agree or not?", "Êtes-vous d'accord ou non ?"),
        # French negative-looking words that deny nothing
        ("Each street was dug up only once.", "Chaque rue n'a été ouverte qu'une seule fois."),
        ("The lake was only at 54% of capacity.", "Le lac n'était plus rempli qu'à 54 % de sa capacité."),
        ("It alerts us before a leak is visible.", "Il nous alerte avant que la fuite ne soit visible."),
        ("Non-revenue water fell.", "L'eau non facturée a diminué."),
        ("They will probably come.", "Ils viendront sans doute."),
        ("It is an unprecedented drought.", "C'est une sécheresse sans précédent."),
        ("We went step by step.", "Nous avons avancé pas à pas."),
        ("It was a first step.", "C'était un premier pas."),
        # a negation said with a word on the other side
        ("The crew was unable to repair it.", "L'équipe n'a pas pu la réparer."),
        ("Prices stayed unchanged.", "Les prix n'ont pas changé."),
        ("The meter cannot be read.", "Le compteur est impossible à lire."),
        ("Replacement is free for homeowners.", "Le remplacement est sans frais pour les propriétaires."),
        ("We will not rest until the last line is gone.", "Nous n'aurons de cesse que la dernière conduite ait disparu."),
        ("Homes were left without water.", "Les foyers ont été privés d'eau."),
        ("The file could not be found.", "Le fichier est introuvable."),
        ("You cannot undo this action.", "Cette action est irréversible."),
        # negated verbs that English says positively, and the reverse
        ("Remember to save your work.", "N'oubliez pas d'enregistrer votre travail."),
        ("Feel free to contact us.", "N'hésitez pas à nous contacter."),
        ("Be sure to read the terms.", "Ne manquez pas de lire les conditions."),
        ("Prices keep rising.", "Les prix ne cessent d'augmenter."),
        ("Never again.", "Plus jamais ça."),
        ("I can't wait!", "J'ai hâte !"),
        # "not only" / "non seulement"
        ("It is a matter of health, not just engineering.", "C'est une question de santé, et pas seulement d'ingénierie."),
        ("It is not only cheap but safe.", "C'est non seulement bon marché, mais sûr."),
    ],
)
def test_negation_traps_raise_nothing(source: str, translation: str) -> None:
    assert check_polarity(source, translation, CTX) == []


@pytest.mark.parametrize(
    ("source", "translation", "message"),
    [
        ("Prices rose by 5%.", "Les prix ont baissé de 5 %.", "the source says the amount goes up, the translation that it goes down"),
        ("Consumption decreased in 2023.", "La consommation a augmenté en 2023.",
         "the source says the amount goes down, the translation that it goes up"),
        ("Sales were down 3% from last year.", "Les ventes sont en hausse de 3 % sur un an.",
         "the source says the amount goes down, the translation that it goes up"),
        ("Households will pay more each month.", "Les ménages paieront moins chaque mois.",
         "the source says 'more' where the translation says 'less'"),
        ("Fewer pipes broke this winter.", "Plus de conduites ont cassé cet hiver.",
         "the source says 'less' where the translation says 'more'"),
    ],
)
def test_direction_flipped(source: str, translation: str, message: str) -> None:
    flag = only(check_polarity(source, translation, CTX), "polarity")
    assert flag.message == f"{message}: check that the meaning was not reversed"


@pytest.mark.parametrize(
    ("source", "translation"),
    [
        ("Prices rose by 5%.", "Les prix ont augmenté de 5 %."),
        ("The euro fell 0.6%.", "L'euro a reculé de 0,6 %."),
        ("It costs more or less the same.", "Cela coûte plus ou moins la même chose."),
        ("The plant is no longer in service.", "L'usine n'est plus en service."),  # "plus" here is not "more"
        ("It will be repeated later.", "Elle sera répétée plus tard."),
        ("It costs less than $5.", "Cela ne coûte pas plus de 5 dollars."),  # a negated comparative
        ("Call us unless the leak stops.", "Appelez-nous à moins que la fuite ne s'arrête."),
        ("Crews replaced 18 miles, up from 12 the year before.", "Les équipes ont remplacé 18 miles, contre 12 l'année précédente."),
        ("Non-revenue water fell to 14.2%, the lowest level on record.", "L'eau non facturée est passée à 14,2 %, son plus bas niveau."),
    ],
)
def test_direction_traps_raise_nothing(source: str, translation: str) -> None:
    assert check_polarity(source, translation, CTX) == []


def test_negation_lost_against_the_reference() -> None:
    [flag] = check_polarity_reference("Le compteur a été remplacé.", ("Le compteur n'a pas été remplacé.",))
    assert (flag.check, flag.severity) == ("polarity-reference", "major")
    assert flag.message == (
        "the reference has a negation ('ne … pas') but the translation has none: check that the meaning was not reversed"
    )


def test_direction_flipped_against_the_reference() -> None:
    [flag] = check_polarity_reference("Les tarifs ont baissé.", ("Les tarifs ont augmenté.",))
    assert "the reference says the amount goes up, the translation that it goes down" in flag.message


def test_translation_agreeing_with_one_reference_is_not_flagged() -> None:
    translation = "Le compteur n'a pas été remplacé."
    assert check_polarity_reference(translation, ("Le compteur n'a jamais été remplacé.",)) == []
    assert check_polarity_reference(translation, ("Le compteur a été remplacé.", "On n'a pas remplacé le compteur.")) == []
    assert check_polarity_reference(translation, ()) == []


def test_clean_text_raises_no_polarity_flag() -> None:
    pairs = [(en, fr) for paragraph in read_corpus() for en, fr in zip(paragraph["en"], paragraph["fr"])] + NEWS
    sample = load_segments(SAMPLES / "source.en.txt", SAMPLES / "reference.fr.txt")
    pairs += list(zip(sample["source"], sample["translation"]))
    assert len(pairs) == 123
    assert [(fr, flag) for en, fr in pairs for flag in check_polarity(en, fr, CTX)] == []


# ----------------------------------------------------------------------------------- spelling


@pytest.mark.parametrize(
    ("translation", "word", "fixed"),
    [
        ("Nous devons renouveller les conduites.", "renouveller", "renouveler"),  # a doubled letter
        ("Le developpement du réseau continue.", "developpement", "développement"),  # accents
        ("Une adresse professionelle.", "professionelle", "professionnelle"),
        ("Les canalisasions fuient.", "canalisasions", "canalisations"),  # one letter wrong
    ],
)
def test_misspelled_french_word_is_flagged_with_its_correction(translation: str, word: str, fixed: str) -> None:
    flag = only(check_spelling("The pipes.", translation, CTX), "spelling")
    assert flag.severity == "minor"
    assert flag.message == f"possible misspelling: '{word}' (did you mean '{fixed}'?)"


@pytest.mark.parametrize(
    ("source", "translation"),
    [
        ("A hydrologist studies microplastics.", "Un hydrologue étudie les microplastiques."),  # rare, not in the list
        ("The author of the report.", "L'autrice du rapport."),  # well attested, not in the list
        ("Dr. Klein met Mr. Delaney.", "La Dr Klein a rencontré M. Delaney."),  # names
        ("Lake Corran is full.", "Le lac Corran est plein."),
        ("Call 555-0100 or visit nrwa.example.org.", "Appelez le 555-0100 ou consultez nrwa.example.org."),
        ("The AquaTrack sensors listen.", "Les capteurs AquaTrack écoutent."),
        ("The smartwatch works.", "La smartwatch fonctionne."),  # an English word: english-words' business
        ("Use the gizmotron.", "Utilisez le gizmotron."),  # a word of the source
        ("It is a long-term plan.", "C'est un plan à long-terme-ish."),  # hyphenated compounds are skipped
    ],
)
def test_correct_or_unknowable_words_are_not_misspellings(source: str, translation: str) -> None:
    assert check_spelling(source, translation, CTX) == []


def test_glossary_and_do_not_translate_terms_are_not_misspellings() -> None:
    source, translation = "Open the app.", "Ouvrez l'appli canalisasion."
    assert only(check_spelling(source, translation, CTX), "spelling")
    assert check_spelling(source, translation, CheckContext(dnt_terms=("canalisasion",))) == []
    glossary = (GlossaryEntry("app", ("appli canalisasion",)),)
    assert check_spelling(source, translation, CheckContext(glossary=glossary)) == []


def test_several_misspellings_share_one_flag() -> None:
    flag = only(check_spelling("x", "Le developpement et la canalisasion.", CTX), "spelling")
    assert flag.message == (
        "possible misspellings: 'developpement' (did you mean 'développement'?); "
        "'canalisasion' (did you mean 'canalisation'?)"
    )


def test_spelling_runs_by_default_and_can_be_turned_off(tmp_path: Path) -> None:
    assert "spelling" in FlagConfig().checks
    assert "spelling" in FlagConfig(opt_in_checks=frozenset({"spelling"})).checks
    assert "spelling" not in FlagConfig(opt_in_checks=frozenset({"spelling"}), disabled_checks=frozenset({"spelling"})).checks
    settings = tmp_path / "tqe.toml"
    settings.write_text('[flags]\nopt_in = ["spelling"]\ndisable = ["typography"]\n', encoding="utf-8")
    config = load_config(tmp_path)
    assert "spelling" in config.checks and "typography" not in config.checks and "numbers" in config.checks


def test_opting_in_an_unknown_check_is_a_config_error() -> None:
    assert "numbers" in FlagConfig(opt_in_checks=frozenset({"numbers"})).checks  # on anyway: no-op
    with pytest.raises(ConfigError, match="unknown check 'grammar' in opt_in"):
        FlagConfig(opt_in_checks=frozenset({"grammar"}))


def test_clean_text_raises_no_spelling_flag() -> None:
    """The false-alarm figure in the README and in tqe.checks.spelling: 0 of 123 segments."""
    pairs = [(en, fr) for paragraph in read_corpus() for en, fr in zip(paragraph["en"], paragraph["fr"])] + NEWS
    sample = load_segments(SAMPLES / "source.en.txt", SAMPLES / "reference.fr.txt")
    pairs += list(zip(sample["source"], sample["translation"]))
    assert len(pairs) == 123
    assert [(fr, flag) for en, fr in pairs for flag in check_spelling(en, fr, CTX)] == []


# ------------------------------------------------------------------------- the bundled sample

NEW_CHECKS = {"english-words", "polarity", "polarity-reference", "spelling"}


def sample_flags(translation: str) -> list[tuple[str, str]]:
    segments = load_segments(SAMPLES / "source.en.txt", SAMPLES / translation, [SAMPLES / "reference.fr.txt"])
    config = FlagConfig(glossary_path=SAMPLES / "glossary.tsv", dnt_path=SAMPLES / "dnt.txt",
                        opt_in_checks=frozenset({"spelling"}))
    flagged = flag_segments(segments, config)
    return [(row.id, flag.check) for row in flagged.itertuples() for flag in row.flags]


def test_sample_reference_scored_as_a_translation_raises_no_flag() -> None:
    assert sample_flags("reference.fr.txt") == []


def test_sample_translations_raise_new_flags_only_on_the_dropped_clause() -> None:
    """10.3 lost the clause 'which current regulations do not yet cover' and its negation: one
    polarity flag (the reference says the same, and is not flagged twice)."""
    for translation in ("translation.v1.fr.txt", "translation.v2.fr.txt"):
        new = [(segment, check) for segment, check in sample_flags(translation) if check in NEW_CHECKS]
        assert new == [("10.3", "polarity")]


def test_polarity_against_the_reference_alone_still_flags() -> None:
    """The reference check speaks when the source check is silent (here: the source has no
    negation word the check reads, the reference and the translation differ)."""
    import pandas as pd

    from tqe.config import FlagConfig
    from tqe.flag import flag_segments

    segments = pd.DataFrame([{"id": "1.1", "paragraph": 1, "link": "1-1", "source": "The meter was replaced.",
                              "translation": "Le compteur a été remplacé.",
                              "references": ("Le compteur n'a pas été remplacé.",)}])
    [flags] = flag_segments(segments, FlagConfig())["flags"]
    assert [flag.check for flag in flags] == ["polarity-reference"]


# ------------------------------------------------------------------------- polarity, continued


@pytest.mark.parametrize(
    ("source", "translation", "message"),
    [
        # a rise that became a fall while another rise word stays
        ("Revenue rose 6%, driven by higher interest income.", "Le chiffre d'affaires a reculé de 6 %, porté par la hausse des revenus d'intérêts.",
         "the source says the amount goes up (6), the translation that it goes down"),
        ("The shares have gained 22%, while the index rose 15%.", "Le titre a perdu 22 %, tandis que l'indice a progressé de 15 %.",
         "the source says the amount goes up (22), the translation that it goes down"),
        ("Exports fell 3.5% while imports were up 2%.", "Les exportations ont progressé de 3,5 %, et les importations de 2 %.",
         "the source says the amount goes down (3.5), the translation that it goes up"),
        ("Shares in Halvorsen rose 4% in early trading.", "L'action Halvorsen a perdu 4 % en début de séance.",
         "the source says the amount goes up, the translation that it goes down"),
        ("Power density has doubled since 2020.", "La densité de puissance a diminué de moitié depuis 2020.",
         "the source says the amount goes up, the translation that it goes down"),
        ("The team lost two players.", "L'équipe a gagné deux joueurs.",
         "the source says the amount goes down, the translation that it goes up"),
        ("Prices will be lower next year.", "Les prix seront en hausse l'an prochain.",
         "the source says the amount goes down, the translation that it goes up"),
    ],
)
def test_more_directions_flipped(source: str, translation: str, message: str) -> None:
    flag = only(check_polarity(source, translation, CTX), "polarity")
    assert flag.message == f"{message}: check that the meaning was not reversed"


@pytest.mark.parametrize(
    ("source", "translation"),
    [
        # the gap narrows (down) while CPUs gain units: both ways in the source
        ("We expect the gap to narrow as CPUs gain wider vector units.",
         "Nous nous attendons à ce que l'écart se réduise à mesure que les CPU se dotent d'unités plus larges."),
        # one rise said twice in French, and a fall the translator added is not a flip
        ("Prices rose, hurting demand.", "La hausse des prix a fait reculer la demande."),
        # a paraphrase that says a fall for a weaker thing, with no number changing way
        ("Exports rose, boosted by a weaker euro.", "Les exportations ont progressé, portées par la baisse de l'euro."),
        ("Revenue rose 6%, helped by lower costs.", "Le chiffre d'affaires a progressé de 6 %, grâce à la baisse des coûts."),
        ("The shares lost 4%.", "Le titre a perdu 4 %."),
        ("Sales doubled in a year.", "Les ventes ont doublé en un an."),
    ],
)
def test_more_direction_traps_raise_nothing(source: str, translation: str) -> None:
    assert check_polarity(source, translation, CTX) == []


@pytest.mark.parametrize(
    ("source", "translation"),
    [
        ("The main constraint is memory bandwidth, not raw compute.",
         "La principale contrainte est la bande passante mémoire, et non la puissance de calcul brute."),
        ("We don't use it for art or writing, and they don't like it.",
         "Nous ne l'utilisons ni pour les graphismes ni pour l'écriture, et ils n'aiment pas ça."),
        ("It's important that nobody leaves.", "Il est important que personne ne parte."),
    ],
)
def test_more_negation_traps_raise_nothing(source: str, translation: str) -> None:
    assert check_polarity(source, translation, CTX) == []


@pytest.mark.parametrize(
    ("source", "translation", "message"),
    [
        # "n'importe qui" (anyone) neither negates nor carries a negation of its own
        ("You can send a note to anyone, even if they don't use Tidewell.",
         "Vous pouvez envoyer une note à n'importe qui, même à une personne qui utilise Tidewell.",
         "the source has a negation ('don't') but the translation has none"),
        # "important" is no im- + "portant"
        ("It is important that we do not wait.", "Il est important que nous attendions.",
         "the source has a negation ('not') but the translation has none"),
        # one of two negations lost
        ("We don't use it for art or writing, because they don't like it.",
         "Nous l'utilisons pour les graphismes et l'écriture, parce qu'ils n'aiment pas ça.",
         "the source has 2 negations ('don't') but the translation only 1 ('ne … pas')"),
    ],
)
def test_more_negations_lost(source: str, translation: str, message: str) -> None:
    flag = only(check_polarity(source, translation, CTX), "polarity")
    assert flag.message == f"{message}: check that the meaning was not reversed"


# ---------------------------------------------------------------------- english words, continued


def test_english_plural_is_read_as_its_singular() -> None:
    """'kernels' is rarer than 'kernel' in English: the singular says it is English."""
    flag = only(check_english_words("Kernels written for one vendor's chips often run poorly.",
                                    "Les kernels écrits pour les chips d'un fabricant fonctionnent souvent mal.", CTX),
                "english-words")
    assert (flag.severity, flag.message) == ("minor", "English word left in the French translation: 'kernels'")
    # French plurals of French words stay French, and a plural common enough is read as it is
    assert check_english_words("The kernels were slow.", "Les noyaux étaient lents.", CTX) == []
    assert check_english_words("It holds ten gallons.", "Il contient dix gallons.", CTX) == []


def test_each_number_keeps_the_direction_word_next_to_it() -> None:
    """A direction word leads to the nearest number only, before it ("rose 12%") or after it
    ("a 5% drop")."""
    source = "Profit rose 12% despite a 5% drop in sales."
    assert check_polarity(source, "Le bénéfice a progressé de 12 % malgré une baisse de 5 % des ventes.", CTX) == []
    flag = only(check_polarity(source, "Le bénéfice a progressé de 12 % malgré une hausse de 5 % des ventes.", CTX), "polarity")
    assert flag.message == (
        "the source says the amount goes down (5), the translation that it goes up: check that the meaning was not reversed"
    )


def test_negations_joined_by_ni_count_as_one() -> None:
    """'no reason …, and no need' is one French negation with 'ni'."""
    assert check_polarity("There is no reason to panic, and no need to call us.",
                          "Il n'y a aucune raison de paniquer ni besoin de nous appeler.", CTX) == []


@pytest.mark.parametrize(
    ("source", "translation"),
    [
        ("Store below 25 °C.", "À conserver à une température ne dépassant pas 25 °C."),
        ("Do not exceed the stated dose.", "Ne dépassez pas la dose indiquée."),
        ("The cartridge is not seated properly.", "La cartouche est mal positionnée."),
    ],
)
def test_limits_and_mal_are_not_negations_lost_or_added(source: str, translation: str) -> None:
    assert [f for f in check_polarity(source, translation, CTX) if f.check == "polarity"] == []


def test_a_lost_negation_beside_a_limit_word_elsewhere_is_still_flagged() -> None:
    flags = check_polarity("Do not open the lid while the oven is hot.",
                           "Ouvrez le couvercle pendant que le four est chaud.", CTX)
    assert [f.check for f in flags] == ["polarity"]
