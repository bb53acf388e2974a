"""The project dictionary: words that spelling and english-words accept."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tqe.checks import build_context, load_dictionary
from tqe.checks.english import check_english_words
from tqe.checks.spelling import check_spelling
from tqe.cli import cli
from tqe.errors import InputError

SOURCE = "Open the dashbord and tap Sync to refresh it."
TRANSLATION = "Ouvrez le dashbord et touchez Sync pour le rafraîchir, puis le developpement reprend."


def test_dictionary_words_are_neither_misspelled_nor_english(tmp_path: Path) -> None:
    plain = build_context([SOURCE], [TRANSLATION])
    [flag] = check_spelling(SOURCE, TRANSLATION, plain)
    assert "'developpement' (did you mean 'développement'?)" in flag.message
    words = tmp_path / "words.txt"
    words.write_text("# product words\nDeveloppement\n\n", encoding="utf-8")
    ctx = build_context([SOURCE], [TRANSLATION], accepted_words=load_dictionary(words))
    assert check_spelling(SOURCE, TRANSLATION, ctx) == []


def test_dictionary_silences_an_english_word_the_project_uses() -> None:
    source, translation = "Check the deadline in the app.", "Vérifiez la deadline dans l'application."
    [flag] = check_english_words(source, translation, build_context([source], [translation]))
    assert "'deadline'" in flag.message
    ctx = build_context([source], [translation], accepted_words=frozenset({"deadline"}))
    assert check_english_words(source, translation, ctx) == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("ok\n\u0301\n", "line 2: the word"),
        ("ok\ntwo words\n", "line 2: 'two words' is more than one word"),
    ],
)
def test_bad_dictionary_is_one_error_line(tmp_path: Path, content: str, message: str) -> None:
    words = tmp_path / "words.txt"
    words.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        load_dictionary(words)
    settings = tmp_path / "tqe.toml"
    settings.write_text('[glossary]\ndictionary = "words.txt"\n', encoding="utf-8")
    samples = Path(__file__).resolve().parent.parent / "references"
    result = CliRunner().invoke(cli, ["score", str(samples / "source.en.txt"), str(samples / "translation.v1.fr.txt"),
                                      "-m", "bleu", "-r", str(samples / "reference.fr.txt"), "--config", str(settings),
                                      "-f", "json", "-q"])
    assert result.exit_code == 1 and result.stderr.startswith("Error: dictionary file ") and message in result.stderr
    assert result.stderr.count("\n") == 1


def test_missing_or_binary_dictionary_is_one_error_line(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="words.txt"):
        load_dictionary(tmp_path / "words.txt")
    binary = tmp_path / "bin.txt"
    binary.write_bytes(b"\xff\xfe\x00a")
    with pytest.raises(InputError):
        load_dictionary(binary)
