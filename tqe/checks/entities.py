"""``named-entities``: names, brands and acronyms of the source missing from the translation.

A capitalised word that is not the first of its sentence (a person, a place, a brand), an
acronym (NRWA, G7) or a mixed-case token (iPhone) should normally reach the translation. It
counts as present when the translation has it (ignoring case and accents), its usual French
form from :data:`FRENCH_FORMS` (UN -> ONU, Germany -> Allemagne, Monday -> lundi), or a word
starting with the same four letters or more (American -> américain, Europe -> européenne).
translate-toolkit's ``acronyms`` check is not used: it asks for every English acronym
unchanged, but French news writes UN as ONU and EU as UE.
Title-case headlines ("Prices Rise Sharply") only have their acronyms checked.

Precision matters more than recall here: a reviewer stops reading flags that cry wolf. So
acronym plurals and possessives (GPUs, NASA's) count as the acronym, hyphenated compounds
(CPU-based, non-EU) as their name part, contractions (I'm, We'll) are never names, an acronym
the translation spells out (ROI -> retour sur investissement) is present, and a capitalised
word that is an ordinary English word (an interface label such as Close or Settings, a
title-case heading word) is not a name. That last test uses word frequencies (wordfreq): a
word far more frequent in English than in French is an English word that gets translated,
while a name (Tesla, Smith, Klein) is about as frequent in both languages.
When a name is missing and the translation has a new name in its place (Tesla -> Toyota),
the flag is major and names both; so is a multi-word name whose own word was replaced while a
word of it was kept beside the newcomer (Kraemer Bank -> Harwick Bank). A byte unit counts as
present in its French form (GB -> Go), and a letter cut from a compound (U-turn, T-shirt) is
no name.
"""

from __future__ import annotations

from collections import Counter

import math
import re
from functools import lru_cache

from tqe.checks.base import CheckContext, Flag, fold, quoted, word_set
from tqe.checks.glossary import termbase_words

# English capitalised words and acronyms whose French form does not start like them.
# Values are French forms separated by "|", compared after folding case and accents, as
# word prefixes ("allemand" matches "allemande", "allemands").
FRENCH_FORMS: dict[str, str] = {
    # acronyms
    "UN": "ONU|Nations unies", "EU": "UE|Union européenne|européen", "NATO": "OTAN",
    "WHO": "OMS", "IMF": "FMI", "WTO": "OMC", "OECD": "OCDE", "ECB": "BCE", "GDP": "PIB",
    "NGO": "ONG", "AIDS": "sida", "HIV": "VIH", "DNA": "ADN", "AI": "IA|intelligence artificielle",
    "CEO": "PDG|directeur général|directrice générale|président-directeur",
    "US": "États-Unis|américain|É.-U.", "USA": "États-Unis|américain", "U.S": "États-Unis|américain|É.-U.",
    "UK": "Royaume-Uni|britannique", "UAE": "Émirats", "UNHCR": "HCR", "ICC": "CPI", "ILO": "OIT",
    "MP": "député", "MPs": "députés", "PM": "Premier ministre", "UFO": "OVNI", "VAT": "TVA",
    "EV": "véhicule électrique", "IT": "informatique", "HR": "RH|ressources humaines",
    "LGBT": "LGBT|LGBTQ", "ID": "identité|pièce",
    "CPU": "CPU|processeur|UC", "GPU": "GPU|processeur graphique|carte graphique", "RAM": "RAM|mémoire vive",
    "PC": "PC|ordinateur", "FAQ": "FAQ|questions fréquentes|foire aux questions", "OS": "OS|système d'exploitation",
    "ISP": "FAI|fournisseur d'accès", "SME": "PME", "SMEs": "PME", "R&D": "R-D|R&D|recherche et développement",
    "CET": "CET|HNEC|heure d'Europe centrale|heure de Paris|heure française|heure de Bruxelles",
    "CEST": "CEST|HAEC|heure d'été d'Europe centrale|heure de Paris|heure française",
    "GMT": "GMT|UTC|heure de Greenwich|heure de Londres", "UTC": "UTC|TU|temps universel",
    "EST": "EST|HNE|heure de l'Est|heure de New York", "PST": "PST|HNP|heure du Pacifique",
    # titles and institutions
    "Mr": "M.|monsieur", "Mrs": "Mme|madame", "Ms": "Mme|madame", "Dr": "Dr|docteur|docteure",
    "Prime": "Premier|Première", "Government": "gouvernement", "House": "Chambre|Maison",
    "White": "Blanche|blanc", "State": "État|Etat", "States": "États|Etats", "United": "Uni|Unis|Unies",
    "Kingdom": "Royaume", "Council": "Conseil", "Bank": "Banque|Cisjordanie", "Foreign": "étrangères|étranger",
    "Health": "santé", "World": "mondial|monde", "Trade": "commerce", "Cup": "Coupe", "Games": "Jeux",
    "Labour": "travailliste", "Labor": "travail", "Treasury": "Trésor", "Secretary": "secrétaire",
    "Court": "Cour|tribunal", "Church": "Église", "Chief": "chef|directeur|directrice|en chef",
    "Officer": "directeur|directrice|responsable|officier", "Executive": "exécutif|directeur|directrice|général",
    "Board": "conseil", "Directors": "administration|administrateurs|directeurs",
    "Authority": "autorité|régie|administration", "Survey": "institut|étude|relevé",
    "Department": "ministère|département|service", "Geological": "géologique",
    # compass and regions
    "North": "Nord", "South": "Sud", "East": "Est|Orient", "West": "Ouest|Occident|Cisjordanie",
    "Middle": "Moyen", "Northern": "Nord|septentrional", "Southern": "Sud|méridional",
    "Eastern": "Est|oriental", "Western": "Ouest|occidental", "New": "Nouveau|Nouvelle|New",
    # countries, peoples, languages
    "Germany": "Allemagne", "German": "allemand", "Spain": "Espagne", "Spanish": "espagnol",
    "Greece": "Grèce", "Greek": "grec", "Turkey": "Turquie", "Turkish": "turc", "Sweden": "Suède",
    "Swedish": "suédois", "Norway": "Norvège", "Norwegian": "norvégien", "Poland": "Pologne",
    "Polish": "polonais", "Netherlands": "Pays-Bas", "Dutch": "néerlandais|hollandais",
    "Switzerland": "Suisse", "Swiss": "suisse", "Austria": "Autriche", "Austrian": "autrichien",
    "Hungary": "Hongrie", "Hungarian": "hongrois", "Ireland": "Irlande", "Irish": "irlandais",
    "Scotland": "Écosse", "Scottish": "écossais", "Wales": "Galles", "Welsh": "gallois",
    "England": "Angleterre", "English": "anglais|anglophone", "Britain": "Bretagne|Royaume-Uni",
    "British": "britannique", "French": "français|francophone", "France": "France", "Morocco": "Maroc",
    "Moroccan": "marocain", "Lebanon": "Liban", "Lebanese": "libanais", "Iraq": "Irak",
    "Iraqi": "irakien", "Saudi": "saoudien|Arabie", "India": "Inde", "Japan": "Japon",
    "Japanese": "japonais", "Korea": "Corée", "Korean": "coréen", "Brazil": "Brésil",
    "Brazilian": "brésilien", "Cyprus": "Chypre", "Iceland": "Islande", "Lithuania": "Lituanie",
    "Zealand": "Zélande", "Malaysia": "Malaisie", "Thailand": "Thaïlande", "Cambodia": "Cambodge",
    "Czech": "tchèque", "Denmark": "Danemark", "Danish": "danois", "Finnish": "finlandais",
    "America": "Amérique|États-Unis", "American": "américain", "Americans": "Américains",
    # cities
    "Beijing": "Pékin", "Brussels": "Bruxelles", "Warsaw": "Varsovie", "Edinburgh": "Édimbourg",
    "Cairo": "Caire", "Mecca": "Mecque", "Hague": "Haye", "Kyiv": "Kiev|Kyiv", "Kiev": "Kyiv|Kiev",
    # months and days (capitalised in English only)
    "January": "janvier", "February": "février", "March": "mars", "April": "avril", "May": "mai",
    "June": "juin", "July": "juillet", "August": "août", "September": "septembre",
    "October": "octobre", "November": "novembre", "December": "décembre", "Monday": "lundi",
    "Tuesday": "mardi", "Wednesday": "mercredi", "Thursday": "jeudi", "Friday": "vendredi",
    "Saturday": "samedi", "Sunday": "dimanche",
    # holidays
    "Christmas": "Noël", "Easter": "Pâques", "God": "Dieu",
}

# Capitalised words that are not names (titles are dropped from a name: "Mr. Delaney").
_TITLES = word_set("Mr Mrs Ms Dr Prof St Gen Sen Rep Gov Lt Col Capt Sgt")
_IGNORED = _TITLES | word_set("I I'm I've I'd I'll OK Jr Sr Inc Ltd Co")
# lower-case words that may sit inside a multi-word name: "Board of Directors"
_CONNECTORS = word_set("of for the de du des la le von van der al bin")
# words starting with a letter; "1990s", "5G" and "£3.2m" are left to the numbers check
_TOKEN = re.compile(r"(?<![\w.°])[^\W\d_][\w&'’.-]*\w|(?<![\w.°])[^\W\d_]")  # "95°F" is a unit
_SENTENCE_START = re.compile(r"(?:^|[.!?:;…]|[\"“«(\[—–•·*])\s*$")  # "• Close", a list item
#: the characters of ``_SENTENCE_START`` that open a sentence
_SENTENCE_OPENERS = frozenset(".!?:;…\"“«([—–•·*")


def _sentence_start(text: str, end: int) -> bool:
    """``_SENTENCE_START.search(text[:end])`` without copying and scanning the text before
    ``end``: only spaces back to the start of the text or to an opening character."""
    index = end
    while index and text[index - 1].isspace():
        index -= 1
    return not index or text[index - 1] in _SENTENCE_OPENERS
_PREFIX = 4
# an interface label follows the action that uses it: "tap Edit", "click on Save Changes"
_LABEL_BEFORE = re.compile(
    r"(?i)\b(?:tap|click|press|select|choose|hit|toggle|go to|navigate to|swipe to|turn on|turn off)"
    r"\s+(?:on\s+)?(?:the\s+)?$"
)


#: what must be in a text for _LABEL_BEFORE to match before any of its words
_LABEL_WORD = re.compile(
    r"(?i)\b(?:tap|click|press|select|choose|hit|toggle|go to|navigate to|swipe to|turn on|turn off)\s"
)
#: a gap between two words that ends a name: punctuation, or a full stop and a space
_NAME_BREAK = re.compile(r"[,;:()\"“”«»—–!?]|\.\s")
_WORDS = re.compile(r"\w+")
_FORM_TOKEN = re.compile(r"[^\W\d_][\w.]*")


_CONTRACTION = re.compile(r"(?:'(?:m|re|ve|ll|d|t)|n't)$", re.IGNORECASE)


@lru_cache(maxsize=1 << 16)
def _clean(token: str) -> str:
    """The name part of a token: no possessive or plural of an acronym ("NASA's", "GPUs"),
    no lower-case prefix or suffix ("mid-August", "non-EU", "CPU-based"); "" for a
    contraction ("I'm", "We'll", "Don't"), which is never a name."""
    token = token.replace("\u2019", "'")
    if _CONTRACTION.search(token):
        return ""
    token = re.sub(r"'s?$", "", token).strip(".-'")
    parts = token.split("-")
    while len(parts) > 1 and parts[0].islower():  # "non-EU", "mid-August", "pro-European"
        parts.pop(0)
    while len(parts) > 1 and parts[-1].islower():  # "CPU-based", "English-speaking"
        parts.pop()
    token = "-".join(parts)
    plural = re.fullmatch(r"([A-Z]{2,})s", token)  # "GPUs", "CEOs"
    return plural.group(1) if plural else token


@lru_cache(maxsize=1 << 16)
def _strict(token: str) -> bool:
    """Acronyms (NRWA, U.S), mixed case (iPhone) and letters with digits (G7, COVID-19):
    these are normally kept as they are."""
    acronym = len(token) >= 2 and sum(char.isupper() for char in token) >= 2
    mixed = token[0].islower() and any(char.isupper() for char in token[1:])
    has_digit = any(char.isdigit() for char in token) and any(char.isalpha() for char in token)
    return acronym or mixed or has_digit


#: a capitalised word this much more frequent in English than in French (in zipf units,
#: log10 of frequency per billion words, so 0.9 is about 8 times) is an ordinary English
#: word (Close, Settings, Board) rather than a name, which both languages use about equally
#: (Tesla 3.8/3.6, Smith 4.9/4.3, Klein 3.7/3.6)
_LANGUAGE_GAP = 0.9
#: French capitalises few common words (la Régie, le Conseil, interface labels), so a
#: capitalised French word counts as ordinary only when it is about 100 times more frequent in
#: French than in English (régie 2.6, conseil 2.9, paramètres 4.0); French-favoured names stay
#: names (Macron 1.9, Carrefour 1.7, Deezer 1.0)
_LANGUAGE_GAP_FRENCH = 2.0
#: and it must be a common word at all (zipf 3 = once per million words): rare names such
#: as "Northfield" (2.7 in English, 1.6 in French) are not filtered
_COMMON_ZIPF = 3.0


@lru_cache(maxsize=2)
def _frequencies(language: str) -> dict[str, float]:
    """Word -> frequency for ``language`` from wordfreq, loaded on first use (about 1 s)."""
    from wordfreq import get_frequency_dict

    return get_frequency_dict(language)


@lru_cache(maxsize=1 << 16)
def zipf(word: str, language: str) -> float:
    """The word's zipf frequency (0 when unknown), case-folded as wordfreq stores words."""
    frequency = _frequencies(language).get(word.casefold().replace("\u2019", "'"), 0.0)
    return math.log10(frequency) + 9 if frequency > 0 else 0.0


@lru_cache(maxsize=1 << 16)
def ordinary_word(word: str, language: str = "en") -> bool:
    """Whether capitalised ``word`` is an ordinary word of ``language`` (``en`` or ``fr``)
    rather than a name: common, and far more frequent there than in the other language."""
    other = "fr" if language == "en" else "en"
    own = zipf(word, language)
    gap = _LANGUAGE_GAP if language == "en" else _LANGUAGE_GAP_FRENCH
    return own >= _COMMON_ZIPF and own - zipf(word, other) >= gap


def _is_name_word(token: str) -> bool:
    """A capitalised, non-strict source word that may be (part of) a name."""
    return token in FRENCH_FORMS or not ordinary_word(token)


#: ``_TOKEN`` as one group, so that ``split`` gives the gaps and the words in turn
_TOKEN_SPLIT = re.compile(f"({_TOKEN.pattern})")


def _tokens(text: str) -> tuple[list[str], list[str]]:
    """The words of ``text`` (``_TOKEN``) and the gap before each of them."""
    parts = _TOKEN_SPLIT.split(text)
    return parts[1::2], parts[0:-1:2]


def _opens(gaps: list[str], index: int) -> bool:
    """``_sentence_start`` for word ``index``: the gap before it, spaces aside, ends with an
    opening character, or is all there is before it (a word ends with a letter or digit)."""
    gap = gaps[index].rstrip()
    return gap[-1] in _SENTENCE_OPENERS if gap else index == 0


def _offset(tokens: list[str], gaps: list[str], index: int) -> int:
    """Where word ``index`` starts in the text."""
    return sum(map(len, gaps[: index + 1])) + sum(map(len, tokens[:index]))


@lru_cache(maxsize=1 << 16)
def _quiet(token: str) -> bool:
    """A word that neither is nor starts a name, outside one: lower-case and not strict
    after :func:`_clean`, or a contraction."""
    token = _clean(token)
    return not token or token.islower() and not _strict(token)


def candidates(source: str) -> list[tuple[str, ...]]:
    """Names of ``source`` that should reach the translation, each as its words.

    Strict tokens stand alone; other capitalised words are grouped into runs ("Northfield
    Regional Water Authority", "Board of Directors") whose first word is dropped at the start
    of a sentence, where every word is capitalised. Title-case text yields strict tokens only.
    """
    return list(_candidates(source))


@lru_cache(maxsize=1 << 12)
def _candidates(source: str) -> tuple[tuple[str, ...], ...]:
    tokens, gaps = _tokens(source)
    # the words that can start a name; the quiet ones between are passed over unless a name
    # (or a title) is open before them
    loud = [index for index, token in enumerate(tokens) if not _quiet(token)]
    if not loud:
        return ()
    title_case: bool | None = None  # a headline, once a capitalised word asks
    names: list[tuple[str, ...]] = []
    run: list[str] = []
    pending: list[str] = []  # connectors waiting for a capitalised word

    def close() -> None:
        if not run:  # and so no pending connector either
            return
        words = tuple(word for word in run if word not in _IGNORED)
        if words:
            names.append(words)
        run.clear()
        pending.clear()

    previous = ""
    label = False  # inside an interface label: "tap Edit Profile"
    labels: bool | None = None  # whether a label verb is anywhere, once a capitalised word asks
    count = len(tokens)
    next_loud = iter(loud)
    index = -1
    while True:
        index += 1
        if not run and previous not in _TITLES:
            # lower-case words and contractions outside a name: all the steps below would only
            # close the name that is not open
            following = next(next_loud, count)
            while following < index:
                following = next(next_loud, count)
            if following >= count:
                break
            if following > index:
                label = False
                previous = ""
                index = following
        if index >= count:
            break
        raw = tokens[index]
        token = _clean(raw)
        gap = gaps[index]
        label = label and not gap.strip() and bool(token) and token[0].isupper()
        if len(token) == 1 and token != raw:
            token = ""  # a letter cut from a compound ("U-turn", "T-shirt", "X-ray") is no name
        if not token:  # a contraction ("I'm", "Don't") ends a name
            close()
            previous = ""
            continue
        after_title = previous in _TITLES and gap.strip() in {"", "."}  # "Dr. Sarah Klein"
        previous = token
        if after_title:
            run.append(token)
            continue
        if gap != " " and _NAME_BREAK.search(gap):
            close()
        if _strict(token):
            close()
            names.append((token,))
            continue
        if token in _TITLES:
            close()
            run.append(token)
            continue
        if title_case is None and token[0].isupper():
            # a headline: at least three words and no lower-case word of four letters or more
            title_case = len(tokens) >= 3 and not any(word.islower() and len(word) >= 4 for word in tokens)
        if not token[0].isupper() or title_case:
            if run and token in _CONNECTORS:
                pending.append(token)
            else:
                close()
            continue
        if not run and _opens(gaps, index):
            continue  # "The", "In"... or a name we cannot tell from a sentence's first word
        if not label and not run and labels is None:
            labels = _LABEL_WORD.search(source) is not None
        if label or (not run and labels and _LABEL_BEFORE.search(source[: _offset(tokens, gaps, index)])):
            label = True  # what one taps or clicks is translated with the interface
            continue
        if not _is_name_word(token):  # "Close", "Settings": a label or an ordinary word
            continue  # left out of the name, which may go on ("Northfield Regional Water Authority")
        run.extend(pending)
        pending.clear()
        run.append(token)
    close()
    unique = list(dict.fromkeys(names))
    return tuple(tuple(word for word in name if word not in _CONNECTORS) for name in unique)


def _common_prefix(first: str, second: str) -> int:
    length = 0
    for a, b in zip(first, second):
        if a != b:
            break
        length += 1
    return length


def _french_acronym(acronym: str, translation: str) -> bool:
    """Whether the translation has the French acronym of an English one: French acronyms mostly
    reorder the same initials, sometimes with a letter more or less (NATO -> OTAN, VAT -> TVA,
    NSAID -> AINS, HR -> RRH, AI -> IA). An upper-case token of the translation that the source
    does not have counts when the two share all but one letter of the longer one."""
    letters = acronym.replace(".", "").upper()
    if not (2 <= len(letters) <= 8 and letters.isalpha()):
        return False
    for token in re.findall(r"(?<![\w-])[A-ZÀ-Ý]{2,8}(?![\w-])", translation):
        if token == letters:
            continue
        shared = sum((Counter(token) & Counter(letters)).values())
        if shared >= 2 and shared >= max(len(token), len(letters)) - 1:
            return True
    return False


def _word_present(word: str, translation: str, folded: str, folded_words: set[str] | frozenset[str]) -> bool:
    """``word`` as it is (case-sensitive for strict tokens), one of its French forms, or for
    ordinary words a translation word sharing its first four letters."""
    strict, exact, period, byte_unit, forms, parts = _word_tests(word)
    if not strict:  # the cheapest test first: each test can only say "present"
        for part in parts:
            if len(part) < _PREFIX:
                if part in folded_words:
                    return True
            elif part[:_PREFIX] in _prefixes(
                folded_words if isinstance(folded_words, frozenset) else frozenset(folded_words)
            ):  # a common prefix of _PREFIX letters
                return True
    if exact and exact.search(translation):
        return True
    if period:
        letter_pattern, noun = period
        if letter_pattern.search(translation) or noun in folded:
            return True
    if byte_unit and byte_unit.search(translation):
        return True
    for form in forms:
        if form.search(folded):
            return True
    if strict:
        return spelled_out(word, translation) or _french_acronym(word, translation)
    return False


@lru_cache(maxsize=1 << 14)
def _word_tests(
    word: str,
) -> tuple[bool, re.Pattern[str] | None, tuple[re.Pattern[str], str] | None, re.Pattern[str] | None,
           tuple[re.Pattern[str], ...], tuple[str, ...]]:
    """What :func:`_word_present` looks for in a translation, prepared once per word: whether
    the word is strict, the word itself as a strict token, a quarter or half year, a byte unit,
    its French forms, and its folded parts for the prefix test."""
    strict = _strict(word)
    # acronyms keep their case, except that French may write "Covid-19" or "l'Otan";
    # two-letter ones must match exactly ("UN" is not the article "un")
    flags = re.IGNORECASE if len(word) > 2 else 0
    exact = re.compile(rf"(?<!\w){re.escape(word)}(?!\w)", flags) if strict else None
    period = None
    found = re.fullmatch(r"([QH])([1-4])", word)  # Q3 -> T3 or "troisième trimestre", H1 -> S1
    if found:
        french_letter, noun = ("T", "trimestre") if found.group(1) == "Q" else ("S", "semestre")
        period = (re.compile(rf"(?<!\w){french_letter}{found.group(2)}(?!\w)"), noun)
    found = re.fullmatch(r"([kKMGTPE])i?B(/s)?", word)  # GB -> Go (octet), TB/s -> To/s
    byte_unit = re.compile(rf"(?<!\w){found.group(1)}i?o(?!\w)", re.IGNORECASE) if found else None
    forms: list[str] = []
    for part in dict.fromkeys([word, *word.split("-")]):  # "English-speaking": "English"
        known = FRENCH_FORMS.get(part) or (FRENCH_FORMS.get(part[:-1], "") if part.endswith("s") else "")
        forms.extend(known.split("|"))
    form_patterns = tuple(re.compile(rf"(?<!\w){re.escape(fold(form))}") for form in filter(None, forms))
    parts = tuple(filter(None, re.split(r"[^\w]", fold(word))))
    return strict, exact, period, byte_unit, form_patterns, parts


@lru_cache(maxsize=64)
def _prefixes(words: frozenset[str]) -> frozenset[str]:
    """The first _PREFIX letters of the words that have as many."""
    return frozenset(word[:_PREFIX] for word in words if len(word) >= _PREFIX)


# French words an acronym's letters skip when it is spelled out ("retour sur investissement")
_FRENCH_FUNCTION_WORDS = word_set(
    "a à au aux d de des du en et l la le les par pour sans sous sur un une avec dans entre"
)


def spelled_out(acronym: str, translation: str) -> bool:
    """Whether ``translation`` spells out ``acronym``: a run of its content words whose
    initials are the acronym's letters in any order ("IA" -> "intelligence artificielle"),
    or in order with at most one letter left out for an English function word ("ROI" ->
    "retour sur investissement": on)."""
    letters = fold(acronym).replace(".", "")
    if not letters.isalpha() or not 2 <= len(letters) <= 6:
        return False
    words = re.findall(r"[^\W\d_]+", fold(translation))
    content = [(index, word[0]) for index, word in enumerate(words) if word not in _FRENCH_FUNCTION_WORDS]
    for start in range(len(content)):
        initials = ""
        for position in range(start, len(content)):
            if position > start and content[position][0] - content[position - 1][0] > 3:
                break  # "de la" between words is fine, a whole clause is not
            initials += content[position][1]
            if len(initials) > len(letters):
                break
            if len(initials) >= 2 and (
                sorted(initials) == sorted(letters)
                or (len(letters) >= 3 and len(initials) == len(letters) - 1 and _in_order(initials, letters))
            ):
                return True
    return False


def _in_order(initials: str, letters: str) -> bool:
    """``initials`` is ``letters`` with one inner letter left out, first and last kept."""
    return initials[0] == letters[0] and initials[-1] == letters[-1] and any(
        letters[:skip] + letters[skip + 1 :] == initials for skip in range(1, len(letters) - 1)
    )


# French titles and capitalised words that are not new names in a translation
_FRENCH_TITLES = word_set("M Mme Mmes Mlle MM Dr Me Pr St Ste")


def _source_traces(source: str) -> tuple[set[str], set[str], set[str]]:
    """The folded words of ``source``, their first _PREFIX letters, and the words of the
    French forms of its words."""
    folded_source_words = set(_WORDS.findall(fold(source)))
    source_prefixes = {word[:_PREFIX] for word in folded_source_words if len(word) >= _PREFIX}
    forms = {
        fold(word)
        for token in _FORM_TOKEN.findall(source)
        if (found := FRENCH_FORMS.get(_clean(token) or token))
        for form in found.split("|")
        for word in _WORDS.findall(form)
    }
    return folded_source_words, source_prefixes, forms


def translation_names(source: str, translation: str) -> list[str]:
    """Capitalised names of ``translation`` (not a sentence's first word, not an ordinary
    French word) with no trace in ``source``: candidates for a name put in place of another."""
    return list(_translation_names(source, translation))


@lru_cache(maxsize=1 << 12)
def _translation_names(source: str, translation: str) -> tuple[str, ...]:
    tokens, gaps = _tokens(translation)
    # a word with no capital letter closes a name and starts none
    loud = [index for index, token in enumerate(tokens) if not token.islower()]
    if not loud:
        return ()
    traces: tuple[set[str], set[str], set[str]] | None = None  # what the source has, once needed
    names: list[str] = []
    run: list[str] = []
    previous = -2
    for index in loud:
        if run and index != previous + 1:  # a lower-case word in between
            names.append(" ".join(run))
            run = []
        previous = index
        token = tokens[index].replace("\u2019", "'").split("'")[-1].strip(".-")
        if run and (gaps[index].strip() or not token or not token[0].isupper()):
            names.append(" ".join(run))
            run = []
        if not token or not token[0].isupper() or token in _FRENCH_TITLES:
            continue
        if not run and _opens(gaps, index):
            continue
        if not _strict(token) and ordinary_word(token, "fr"):
            continue
        word = fold(token)
        if traces is None:
            traces = _source_traces(source)
        folded_source_words, source_prefixes, forms = traces
        # a common prefix of _PREFIX letters: the same first _PREFIX letters
        known = word in folded_source_words or word in forms or (
            len(word) >= _PREFIX and word[:_PREFIX] in source_prefixes
        )
        if not known:
            run.append(token)
    if run:
        names.append(" ".join(run))
    return tuple(dict.fromkeys(names))


def missing_names(source: str, translation: str, ignore: frozenset[str] = frozenset()) -> list[str]:
    """The source's names, brands and acronyms of which the translation has no word."""
    return _lost_names(source, translation, ignore)[0]


def _lost_names(source: str, translation: str, ignore: frozenset[str]) -> tuple[list[str], bool]:
    """:func:`missing_names`, and whether no name is missing but one is half kept: two words
    or more, none of them ignored, some of them in the translation and some not (what
    :func:`partial_swaps` looks at)."""
    names = _candidates(source)
    if not names:
        return [], False
    folded = fold(translation)
    folded_words = frozenset(_WORDS.findall(folded))  # its hash is kept for _prefixes
    known: dict[str, bool] = {}

    def present(word: str) -> bool:
        if word not in known:
            known[word] = _word_present(word, translation, folded, folded_words)
        return known[word]

    missing = []
    for name in names:
        words = [word for word in name if word not in ignore]
        if words and not any(present(word) for word in words):
            missing.append(" ".join(name))
    if missing:
        return missing, False
    for name in names:
        if len(name) < 2 or any(word in ignore for word in name):
            continue
        kept = [present(word) for word in name]
        if any(kept) and not all(kept):
            return missing, True
    return missing, False


def _near(word: str, other: str) -> bool:
    """Whether two folded words are the same word (or share a prefix of four letters)."""
    return word == other or (len(word) >= _PREFIX and _common_prefix(word, other) >= _PREFIX)


def partial_swaps(
    source: str, translation: str, new_names: list[str], ignore: frozenset[str] = frozenset()
) -> list[tuple[str, str]]:
    """(source name, translation phrase) for a multi-word name whose distinctive word was
    replaced while a word of it was kept beside the replacement: "Kraemer Bank" -> "Harwick
    Bank", "Halden Pension Fund" -> "fonds de pension Norden". A name counts as present when
    any of its words is, so without this a swap inside a name goes unseen."""
    folded = fold(translation)
    folded_words = set(re.findall(r"\w+", folded))
    words = [(match.start(), match.end(), fold(match.group(0))) for match in re.finditer(r"[^\W\d_][\w-]*", translation)]
    swaps: list[tuple[str, str]] = []
    used: set[str] = set()
    for name in candidates(source):
        if len(name) < 2 or any(word in ignore for word in name):
            continue
        present = [word for word in name if _word_present(word, translation, folded, folded_words)]
        lost = [word for word in name if word not in present]
        if not present or not lost:
            continue
        kept = [fold(word) for word in present]
        for new in new_names:
            if new in used:
                continue
            first = fold(new.split()[0])
            last = fold(new.split()[-1])
            for index, (start, end, word) in enumerate(words):
                if word != first:
                    continue
                stop = next((i for i in range(index, len(words)) if words[i][2] == last), index)
                before = [w for w in words[max(0, index - 3) : index] if w[2] not in _FRENCH_FUNCTION_WORDS][-1:]
                after = [w for w in words[stop + 1 : stop + 4] if w[2] not in _FRENCH_FUNCTION_WORDS][:1]
                beside = [w for w in (*before, *after) if any(_near(w[2], k) for k in kept)]
                if beside:
                    span_start = min(start, beside[0][0])
                    span_end = max(words[stop][1], beside[0][1])
                    swaps.append((" ".join(name), translation[span_start:span_end]))
                    used.add(new)
                    break
            if new in used:
                break
    return swaps


def check_named_entities(source: str, translation: str, ctx: CheckContext) -> list[Flag]:
    """Names, brands and acronyms of the source with no trace in the translation (minor: a
    heuristic; a translator may rightly write "the Fed" as "la Réserve fédérale"), or
    replaced by a name the source does not have (major: "Tesla" -> "Toyota"). A
    multi-word name counts as present when any of its words is, since French reorders and
    translates the common words of a name. Glossary and do-not-translate terms are left to
    their own checks."""
    if not source.strip() or not translation.strip():
        return []
    ignore = termbase_words(ctx)
    missing, half_kept = _lost_names(source, translation, ignore)
    if not missing:
        if not half_kept:
            return []  # no name for partial_swaps to look at: the translation's names are not needed
        new_names = translation_names(source, translation)
        swaps = partial_swaps(source, translation, new_names, ignore) if new_names else []
        return [
            ctx.flag("named-entities", "major", f"source has '{name}', translation has '{other}' instead")
            for name, other in swaps
        ]
    flags = []
    replaced = list(zip(missing, translation_names(source, translation)))
    for name, other in replaced:
        message = f"source has '{name}', translation has '{other}' instead"
        flags.append(ctx.flag("named-entities", "major", message))
    missing = missing[len(replaced) :]
    if not missing:
        return flags
    noun = "name" if len(missing) == 1 else "names"
    verb = "is" if len(missing) == 1 else "are"
    message = f"{noun} {quoted(missing)} from the source {verb} not in the translation"
    return [*flags, ctx.flag("named-entities", "minor", message)]
