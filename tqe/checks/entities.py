"""``named-entities``: names, brands and acronyms of the source missing from the translation.

A capitalised word that is not the first of its sentence (a person, a place, a brand), an
acronym (NRWA, G7) or a mixed-case token (iPhone) should normally reach the translation. It
counts as present when the translation has it (ignoring case and accents), its usual French
form from :data:`FRENCH_FORMS` (UN -> ONU, Germany -> Allemagne, Monday -> lundi), or a word
starting with the same four letters or more (American -> américain, Europe -> européenne).
translate-toolkit's ``acronyms`` check is not used: it asks for every English acronym
unchanged, but French news writes UN as ONU and EU as UE.
Title-case headlines ("Prices Rise Sharply") only have their acronyms checked.
"""

from __future__ import annotations

import re

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
_TOKEN = re.compile(r"(?<![\w.])[^\W\d_][\w&'’.-]*\w|(?<![\w.])[^\W\d_]")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;…]|[\"“«(\[—–])\s*$")
_PREFIX = 4


def _clean(token: str) -> str:
    token = re.sub(r"['’]s$", "", token).strip(".-'’")
    # "mid-August", "pro-European": the name is the capitalised part
    prefixed = re.fullmatch(r"[a-z]+-([A-Z][^\W\d_]*)", token)
    return prefixed.group(1) if prefixed else token


def _strict(token: str) -> bool:
    """Acronyms (NRWA, U.S), mixed case (iPhone) and letters with digits (G7, COVID-19):
    these are normally kept as they are."""
    acronym = len(token) >= 2 and sum(char.isupper() for char in token) >= 2
    mixed = token[0].islower() and any(char.isupper() for char in token[1:])
    has_digit = any(char.isdigit() for char in token) and any(char.isalpha() for char in token)
    return acronym or mixed or has_digit


def candidates(source: str) -> list[tuple[str, ...]]:
    """Names of ``source`` that should reach the translation, each as its words.

    Strict tokens stand alone; other capitalised words are grouped into runs ("Northfield
    Regional Water Authority", "Board of Directors") whose first word is dropped at the start
    of a sentence, where every word is capitalised. Title-case text yields strict tokens only.
    """
    matches = list(_TOKEN.finditer(source))
    # a headline: at least three words and no lower-case word of four letters or more
    title_case = len(matches) >= 3 and not any(
        match.group(0).islower() and len(match.group(0)) >= 4 for match in matches
    )
    names: list[tuple[str, ...]] = []
    run: list[str] = []
    pending: list[str] = []  # connectors waiting for a capitalised word

    def close() -> None:
        words = tuple(word for word in run if word not in _IGNORED)
        if words:
            names.append(words)
        run.clear()
        pending.clear()

    previous_end, previous = 0, ""
    for match in matches:
        token = _clean(match.group(0))
        if not token:
            continue
        gap = source[previous_end : match.start()]
        after_title = previous in _TITLES and gap.strip() in {"", "."}  # "Dr. Sarah Klein"
        previous_end, previous = match.end(), token
        if after_title:
            run.append(token)
            continue
        if any(char in gap for char in ",;:()\"“”«»—–!?") or re.search(r"\.\s", gap):
            close()
        if _strict(token):
            close()
            names.append((token,))
            continue
        if token in _TITLES:
            close()
            run.append(token)
            continue
        if not token[0].isupper() or title_case:
            if run and token in _CONNECTORS:
                pending.append(token)
            else:
                close()
            continue
        if not run and _SENTENCE_START.search(source[: match.start()]):
            continue  # "The", "In"... or a name we cannot tell from a sentence's first word
        run.extend(pending)
        pending.clear()
        run.append(token)
    close()
    unique = list(dict.fromkeys(names))
    return [tuple(word for word in name if word not in _CONNECTORS) for name in unique]


def _common_prefix(first: str, second: str) -> int:
    length = 0
    for a, b in zip(first, second):
        if a != b:
            break
        length += 1
    return length


def _word_present(word: str, translation: str, folded: str, folded_words: set[str]) -> bool:
    """``word`` as it is (case-sensitive for strict tokens), one of its French forms, or for
    ordinary words a translation word sharing its first four letters."""
    # acronyms keep their case, except that French may write "Covid-19" or "l'Otan";
    # two-letter ones must match exactly ("UN" is not the article "un")
    flags = re.IGNORECASE if len(word) > 2 else 0
    if _strict(word) and re.search(rf"(?<!\w){re.escape(word)}(?!\w)", translation, flags):
        return True
    forms = []
    for part in dict.fromkeys([word, *word.split("-")]):  # "English-speaking": "English"
        found = FRENCH_FORMS.get(part) or (FRENCH_FORMS.get(part[:-1], "") if part.endswith("s") else "")
        forms.extend(found.split("|"))
    for form in filter(None, forms):
        if re.search(rf"(?<!\w){re.escape(fold(form))}", folded):
            return True
    if _strict(word):
        return False
    for part in filter(None, re.split(r"[^\w]", fold(word))):
        if len(part) < _PREFIX:
            if part in folded_words:
                return True
        elif any(_common_prefix(part, other) >= _PREFIX for other in folded_words):
            return True
    return False


def missing_names(source: str, translation: str, ignore: frozenset[str] = frozenset()) -> list[str]:
    """The source's names, brands and acronyms of which the translation has no word."""
    folded = fold(translation)
    folded_words = set(re.findall(r"\w+", folded))
    missing = []
    for name in candidates(source):
        words = [word for word in name if word not in ignore]
        if words and not any(_word_present(word, translation, folded, folded_words) for word in words):
            missing.append(" ".join(name))
    return missing


def check_named_entities(source: str, translation: str, ctx: CheckContext) -> list[Flag]:
    """Names, brands and acronyms of the source with no trace in the translation (minor: a
    heuristic; a translator may rightly write "the Fed" as "la Réserve fédérale"). A
    multi-word name counts as present when any of its words is, since French reorders and
    translates the common words of a name. Glossary and do-not-translate terms are left to
    their own checks."""
    if not source.strip() or not translation.strip():
        return []
    missing = missing_names(source, translation, termbase_words(ctx))
    if not missing:
        return []
    noun = "name" if len(missing) == 1 else "names"
    verb = "is" if len(missing) == 1 else "are"
    return [ctx.flag("named-entities", "minor", f"{noun} {quoted(missing)} from the source {verb} not in the translation")]
