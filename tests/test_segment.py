"""Sentence splitting of English and French paragraphs (offline NLTK Punkt plus typography rules)."""


import pytest
from align_corpus import read_corpus

from tqe.errors import ConfigError
from tqe.segment import split_sentences

NBSP, NNBSP = "\u00a0", "\u202f"


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Dr. Smith arrived at 3.5 p.m. yesterday. He met Mr. Jones and Mrs. Lee. They talked.",
            ["Dr. Smith arrived at 3.5 p.m. yesterday.", "He met Mr. Jones and Mrs. Lee.", "They talked."],
        ),
        (
            "The U.S. economy grew 2.5% in 2023. Inflation fell to 3,4 percent.",
            ["The U.S. economy grew 2.5% in 2023.", "Inflation fell to 3,4 percent."],
        ),
        # An abbreviation can also end a sentence.
        ("He lives in the U.S. The economy there is strong.", ["He lives in the U.S.", "The economy there is strong."]),
        (
            "See e.g. the book by J. K. Rowling. It is long.",
            ["See e.g. the book by J. K. Rowling.", "It is long."],
        ),
        (
            "See No. 5 and Fig. 3 for details. Prices rose approx. 4 percent.",
            ["See No. 5 and Fig. 3 for details.", "Prices rose approx. 4 percent."],
        ),
        ("Read Annex B. The annex lists 50,000 items.", ["Read Annex B.", "The annex lists 50,000 items."]),
        (
            "The museum stays open until 10 p.m. Will it travel?",
            ["The museum stays open until 10 p.m.", "Will it travel?"],
        ),
        ("Is it true? Yes! It is.", ["Is it true?", "Yes!", "It is."]),
        ("He said: “Stop.” Then he left.", ["He said: “Stop.”", "Then he left."]),
        ('He said "Stop." Then he left.', ['He said "Stop."', "Then he left."]),
        ('"Are you coming?" he asked. "No!" she replied.', ['"Are you coming?" he asked.', '"No!" she replied.']),
        (
            "Visit www.example.com or write to john.doe@example.org. We answer within 24 hours.",
            ["Visit www.example.com or write to john.doe@example.org.", "We answer within 24 hours."],
        ),
        (
            "He hesitated... Then he left. She waited… and waited.",
            ["He hesitated...", "Then he left.", "She waited… and waited."],
        ),
        ("Apple released an update. iOS 17 is out.", ["Apple released an update.", "iOS 17 is out."]),
        ("The rate is 3.5. The next figure is 4.", ["The rate is 3.5.", "The next figure is 4."]),
    ],
)
def test_english(text, expected):
    assert split_sentences(text, "en") == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "M. Dupont est arrivé. Mme Martin aussi. Le Dr Klein était absent.",
            ["M. Dupont est arrivé.", "Mme Martin aussi.", "Le Dr Klein était absent."],
        ),
        # A title before a word that often starts sentences ("Le") still does not end one.
        ("Il a vu M. Le Pen. Elle a vu Mme Dupont.", ["Il a vu M. Le Pen.", "Elle a vu Mme Dupont."]),
        (
            f"Vraiment{NBSP}? Oui{NNBSP}! C'est vrai. Combien ? Trois.",
            [f"Vraiment{NBSP}?", f"Oui{NNBSP}!", "C'est vrai.", "Combien ?", "Trois."],
        ),
        (
            f"Il a dit{NBSP}: «{NBSP}Stop.{NBSP}» Puis il est parti.",
            [f"Il a dit{NBSP}: «{NBSP}Stop.{NBSP}»", "Puis il est parti."],
        ),
        # The opening guillemet belongs to the sentence it opens.
        ("Il a souri. « Le bio était un risque », dit-il.", ["Il a souri.", "« Le bio était un risque », dit-il."]),
        # A question inside a quote followed by a lower-case verb is one sentence.
        (
            "« Tu viens ? » demanda-t-il. Elle ne répondit pas.",
            ["« Tu viens ? » demanda-t-il.", "Elle ne répondit pas."],
        ),
        ("« Quoi ? », dit-il. Rien.", ["« Quoi ? », dit-il.", "Rien."]),
        (
            "Il faut des fruits, p. ex. des pommes, c.-à-d. des fruits locaux. Le prix est de 3,5 €.",
            ["Il faut des fruits, p. ex. des pommes, c.-à-d. des fruits locaux.", "Le prix est de 3,5 €."],
        ),
        (
            "Il est né en 52 av. J.-C. à Rome. Il est mort jeune.",
            ["Il est né en 52 av. J.-C. à Rome.", "Il est mort jeune."],
        ),
        (
            "Voir la p. 12 et le n° 5. Le Pr Durand l'a confirmé.",
            ["Voir la p. 12 et le n° 5.", "Le Pr Durand l'a confirmé."],
        ),
        (
            f"Elle emploie 3{NNBSP}400 personnes, soit 12,5 % de plus. Environ 1.200 sont à Lyon.",
            [f"Elle emploie 3{NNBSP}400 personnes, soit 12,5 % de plus.", "Environ 1.200 sont à Lyon."],
        ),
        (
            "Il hésita… Puis il partit. Elle attendit… et attendit.",
            ["Il hésita…", "Puis il partit.", "Elle attendit… et attendit."],
        ),
        ("La loi […] est claire. C'est tout.", ["La loi […] est claire.", "C'est tout."]),
    ],
)
def test_french(text, expected):
    assert split_sentences(text, "fr") == expected


@pytest.mark.parametrize(
    "text, lang, expected",
    [
        # "etc." before a capitalised word ends the sentence; before a lower-case one it does not.
        (
            "We bought apples, pears, etc. Then we went home.",
            "en",
            ["We bought apples, pears, etc.", "Then we went home."],
        ),
        (
            "We bought apples, pears, etc. Bananas were sold out.",
            "en",
            ["We bought apples, pears, etc.", "Bananas were sold out."],
        ),
        ("We bought apples, pears, etc. and went home.", "en", ["We bought apples, pears, etc. and went home."]),
        (
            "Des pommes, des poires, etc. Ensuite, nous sommes partis.",
            "fr",
            ["Des pommes, des poires, etc.", "Ensuite, nous sommes partis."],
        ),
        ("Des pommes, des poires, etc. et des noix.", "fr", ["Des pommes, des poires, etc. et des noix."]),
    ],
)
def test_etc(text, lang, expected):
    assert split_sentences(text, lang) == expected


@pytest.mark.parametrize("text", ["", "   ", f"{NBSP}\n\t"])
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_blank_text_gives_no_sentences(text, lang):
    assert split_sentences(text, lang) == []


def test_sentences_are_stripped_and_never_empty():
    sentences = split_sentences("  One sentence here.   Another one!  \n  A third?  ", "en")
    assert sentences == ["One sentence here.", "Another one!", "A third?"]


def test_single_sentence_without_final_punctuation():
    assert split_sentences("Le Dr Klein a ouvert l'usine", "fr") == ["Le Dr Klein a ouvert l'usine"]


def test_sentences_keep_the_original_characters():
    text = f"Le taux est de 3,5{NNBSP}%. Pourquoi{NBSP}? Personne ne sait."
    sentences = split_sentences(text, "fr")
    assert sentences == [f"Le taux est de 3,5{NNBSP}%.", f"Pourquoi{NBSP}?", "Personne ne sait."]
    assert " ".join(sentences) == text


def test_language_tags_are_accepted_and_others_rejected():
    assert split_sentences("Bonjour. Au revoir.", "fr-FR") == ["Bonjour.", "Au revoir."]
    assert split_sentences("Hello. Bye.", "EN") == ["Hello.", "Bye."]
    with pytest.raises(ConfigError, match="unsupported language 'de'"):
        split_sentences("Hallo. Tschüss.", "de")


def test_the_alignment_corpus_splits_back_into_its_sentences():
    """Each fixture paragraph, joined with spaces, splits into exactly its sentence lines."""
    paragraphs = read_corpus()
    assert len(paragraphs) >= 10
    for paragraph in paragraphs:
        for lang in ("en", "fr"):
            assert split_sentences(" ".join(paragraph[lang]), lang) == paragraph[lang]
