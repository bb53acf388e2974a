"""The language guardrail: a source that is not English, a translation that is not French or
two files swapped give one warning or one error, not a flood of flags."""

from __future__ import annotations

import random
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import tqe
from tqe.cli import cli
from tqe.config import FlagConfig
from tqe.errors import InputError
from tqe.flag import flag_segments
from tqe import language
from tqe.language import FRENCH_TARGET_CHECKS, document_languages, guess_language

SAMPLES = Path(__file__).parent.parent / "references"
ENGLISH = [
    "The council approved a budget of 50,000 euros for the new water plant.",
    "Work on the site starts in March and should end before the winter.",
    "Dr. Klein said the plant would serve more than 12,000 homes.",
    "Was it worth it? Most residents think it was, according to a survey.",
]
FRENCH = [
    "Le conseil a approuvé un budget de 50 000 euros pour la nouvelle usine d'eau.",
    "Les travaux sur le site débutent en mars et devraient s'achever avant l'hiver.",
    "Le Dr Klein a déclaré que l'usine desservirait plus de 12 000 foyers.",
    "Cela en valait-il la peine ? La plupart des habitants le pensent, selon une enquête.",
]
GERMAN = [
    "Der Rat hat ein Budget von 50.000 Euro für das neue Wasserwerk genehmigt.",
    "Die Arbeiten auf der Baustelle beginnen im März und sollen vor dem Winter enden.",
    "Dr. Klein sagte, das Werk werde mehr als 12.000 Haushalte versorgen.",
    "Hat es sich gelohnt? Die meisten Einwohner glauben es, laut einer Umfrage.",
]
SPANISH = [
    "El consejo aprobó un presupuesto de 50.000 euros para la nueva planta de agua.",
    "Las obras en el sitio comienzan en marzo y deberían terminar antes del invierno.",
    "La Dra. Klein dijo que la planta abastecería a más de 12.000 hogares.",
    "¿Valió la pena? La mayoría de los vecinos lo cree, según una encuesta.",
]


def segments(sources: list[str], translations: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": [f"1.{number}" for number in range(1, len(sources) + 1)],
            "paragraph": [1] * len(sources),
            "link": ["1-1"] * len(sources),
            "source": sources,
            "translation": translations,
            "references": [()] * len(sources),
        }
    )


def write(tmp_path: Path, name: str, lines: list[str]) -> str:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


# --------------------------------------------------------------------------- guessing


@pytest.mark.parametrize(
    ("lines", "language"),
    [(ENGLISH, "en"), (FRENCH, "fr"), (GERMAN, "de"), (SPANISH, "es")],
)
def test_document_language_is_guessed_from_word_frequencies(lines: list[str], language: str) -> None:
    assert guess_language(lines) == language


def test_sample_documents_are_english_and_french() -> None:
    lines = {name: (SAMPLES / name).read_text(encoding="utf-8").splitlines() for name in
             ("source.en.txt", "reference.fr.txt", "translation.v1.fr.txt")}
    assert guess_language(lines["source.en.txt"]) == "en"
    assert guess_language(lines["reference.fr.txt"]) == "fr"
    # one English sentence in a French document does not change its language
    assert guess_language(lines["translation.v1.fr.txt"]) == "fr"


UI_ENGLISH = ["Save", "Cancel", "Settings", "Sign out", "Open a file", "Close", "Help", "Search", "Print",
              "Copy", "Paste", "Delete", "Rename", "New folder", "Share", "Download", "Send", "Reply",
              "Quit", "Preferences", "Forgot your password?"]
UI_FRENCH = ["Enregistrer", "Annuler", "Paramètres", "Se déconnecter", "Ouvrir un fichier", "Fermer", "Aide",
             "Rechercher", "Imprimer", "Copier", "Coller", "Supprimer", "Renommer", "Nouveau dossier", "Partager",
             "Télécharger", "Envoyer", "Répondre", "Quitter", "Préférences", "Mot de passe oublié ?"]


def test_short_interface_strings_are_judged_as_a_whole() -> None:
    """No string has four words, but the document as a whole is plainly English and French."""
    languages = document_languages(UI_ENGLISH, UI_FRENCH)
    assert (languages.source, languages.translation, languages.problem) == ("en", "fr", None)


def test_too_little_text_is_not_judged() -> None:
    assert guess_language(["Merci."]) is None
    assert document_languages(["Thank you."], ["Danke schön."]).problem is None


def test_english_and_french_documents_have_no_problem() -> None:
    languages = document_languages(ENGLISH, FRENCH)
    assert (languages.source, languages.translation, languages.problem) == ("en", "fr", None)
    assert languages.skipped_checks == frozenset()


# --------------------------------------------------------------------------- long documents


FLAG_SETS = Path(__file__).parent.parent / "benchmarks" / "data"


def _lines(pattern: str) -> list[str]:
    return [line for path in sorted(FLAG_SETS.glob(f"*/*/{pattern}")) for line in
            path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _mixes(length: int) -> list[list[str]]:
    """``length``-segment translations from all French to all English, segments shuffled:
    among them the close calls around MIN_MARGIN."""
    english, french = _lines("*.en.txt"), _lines("*.fr.txt")
    rng = random.Random(3)
    documents = []
    for share in range(0, 21):
        count = length * share // 20
        document = rng.choices(french, k=length - count) + rng.choices(english, k=count)
        rng.shuffle(document)
        documents.append(document)
    return documents


def _scored(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The number of words of each text scored from now on."""
    counted: list[int] = []
    scores = language._scores
    monkeypatch.setattr(language, "_scores", lambda tokens: counted.append(len(tokens)) or scores(tokens))
    return counted


def test_a_long_document_judged_from_a_sample_gets_the_whole_documents_answer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    documents = _mixes(2 * language.SAMPLE_SEGMENTS + 1)  # a sample of every other segment
    answers = [guess_language(document, expected="fr") for document in documents]
    assert answers[0] == "fr" and answers[-1] == "en"
    counted = _scored(monkeypatch)
    assert [language._document_language(tuple(document), "fr") for document in documents] == answers
    # the clear ones were judged from their sample alone, the close calls on every segment
    assert len(documents) < len(counted) < 2 * len(documents)


def test_a_long_document_in_one_language_is_judged_from_its_sample_only(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(4)
    source = rng.choices(_lines("*.en.txt"), k=3 * language.SAMPLE_SEGMENTS)
    translation = rng.choices(_lines("*.fr.txt"), k=3 * language.SAMPLE_SEGMENTS)
    counted = _scored(monkeypatch)
    languages = language._document_languages(tuple(source), tuple(translation))
    assert (languages.source, languages.translation) == ("en", "fr")
    assert len(counted) == 2
    assert counted[1] < sum(len(language.words(text)) for text in translation) / 2


# --------------------------------------------------------------------------- the flag stage


def test_translation_in_another_language_skips_the_french_checks() -> None:
    languages = document_languages(ENGLISH, GERMAN[:3] + FRENCH[3:])
    assert languages.problem == "the translation reads as German, not French"
    assert languages.skipped_checks >= FRENCH_TARGET_CHECKS
    assert {"typography", "english-words", "polarity", "spelling"} <= languages.skipped_checks


def test_german_translation_raises_no_french_check_flag() -> None:
    """A mostly German translation: the French checks would flag its quotes, numbers and words."""
    translations = [*GERMAN[:3], FRENCH[3]]
    flagged = flag_segments(segments(ENGLISH, translations), FlagConfig())
    raised = {flag.check for flags in flagged["flags"] for flag in flags}
    assert not raised & FRENCH_TARGET_CHECKS


def test_source_in_another_language_skips_the_english_source_checks() -> None:
    languages = document_languages(SPANISH, FRENCH)
    assert languages.problem == "the source reads as Spanish, not English"
    assert {"named-entities", "numbers", "english-words", "polarity"} <= languages.skipped_checks
    assert "typography" not in languages.skipped_checks


def test_translation_with_no_french_is_an_error() -> None:
    with pytest.raises(InputError, match=r"^the translation has no French text \(it reads as German\)"):
        document_languages(ENGLISH, GERMAN)


def test_swapped_files_are_an_error_that_says_so() -> None:
    with pytest.raises(InputError, match="the two files look swapped; give the English source first"):
        document_languages(FRENCH, ENGLISH)


def test_flag_stage_refuses_a_translation_with_no_french() -> None:
    with pytest.raises(InputError, match="no French text"):
        flag_segments(segments(ENGLISH, GERMAN), FlagConfig())


# --------------------------------------------------------------------------- API and CLI


def test_api_reports_one_warning_through_on_skip(tmp_path: Path) -> None:
    source = write(tmp_path, "source.txt", SPANISH)
    translation = write(tmp_path, "translation.fr.txt", FRENCH)
    warnings: list[tuple[str, str]] = []
    result = tqe.score(source, translation, on_skip=lambda *args: warnings.append(args))
    language = [warning for warning in warnings if "reads as" in warning[1]]
    assert language == [("english-words, numbers, named-entities, glossary, polarity, spelling",
                         "the source reads as Spanish, not English")]
    raised = {flag.check for flags in result.segments["flags"] for flag in flags}
    assert not raised & {"named-entities", "numbers", "english-words", "polarity"}


def test_cli_translation_in_german_gives_one_warning_line(tmp_path: Path) -> None:
    source = write(tmp_path, "source.en.txt", ENGLISH)
    translation = write(tmp_path, "translation.txt", [*GERMAN[:3], FRENCH[3]])
    result = CliRunner().invoke(cli, ["score", source, translation, "-f", "json"])
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if line.startswith("Warning:")]
    language = [line for line in warnings if "reads as" in line]
    assert language == [
        "Warning: english-words, numbers, typography, glossary, polarity, spelling skipped: "
        "the translation reads as German, not French"
    ]


def test_cli_swapped_files_give_one_error_line(tmp_path: Path) -> None:
    source = write(tmp_path, "source.fr.txt", FRENCH)
    translation = write(tmp_path, "translation.en.txt", ENGLISH)
    result = CliRunner().invoke(cli, ["score", source, translation])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "Error: the translation reads as English and the source as French: the two files look swapped; "
        "give the English source first and the French translation second"
    ]
