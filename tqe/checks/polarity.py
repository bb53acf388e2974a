"""``polarity``: a negation or a direction flipped between the source and the translation.

A lost "not" or an "increase" that became "baisse" reverses the meaning while every other
check (numbers, names, length, even chrF) stays happy. Two things are compared, and a flag
(major) needs one side to say something the other clearly does not:

- **negation**: English ``not``/``n't``/``never``/``no``/``none``/``nothing``/``without``/
  ``nor`` against French ``ne … pas/plus/jamais/rien/personne/aucun/guère/ni``, ``aucun``,
  ``sans``, ``non`` standing alone (``ou non``, ``Non.``) and ``pas`` without ``ne``. Not
  negations: the expletive ``ne`` ("avant que la fuite ne soit visible"), ``ne … que``
  and ``ne … plus que`` (only, now only), ``non`` as a prefix ("eau non facturée"), ``pas`` as a noun ("un pas"), fixed
  phrases ("sans doute", "sans cesse", "sans précédent", "not only", "not until", "no doubt").
  A side that says the same thing with a word instead ("unable", "fail", "lack", "free",
  "unchanged", "-less"; "impossible", "introuvable", "inchangé", "sauf", "priver", "éviter",
  "ne … que") is never called a lost or added negation, nor are negated verbs that the other
  language says positively ("n'oubliez pas" for "remember", "n'hésitez pas" for "feel free",
  "don't forget" for "pensez à").
- **direction**: ``more``/``most`` against ``less``/``least``/``fewer`` (French ``plus``,
  ``davantage`` against ``moins``, ``moindre``; ``ne … plus``, ``non plus``, ``plus tard``
  are not "more"), and increase/rise/grow/up against decrease/fall/drop/down (French
  ``augmenter``, ``hausse``, ``croissance``, ``progresser`` against ``baisser``, ``baisse``,
  ``diminuer``, ``recul``, ``chute``, ``réduire``; gain/lose, double/halve, widen/narrow,
  higher/lower, ``gagner``/``perdre``, ``doubler``). A flag needs the source to go only one
  way and the translation only the other; a negated comparative ("pas moins de") is left
  alone. When a side goes both ways, only a number that a direction word leads to counts:
  "rose 6% … higher income" -> "a reculé de 6 % … la hausse des revenus" (6 went up, then
  down), while a paraphrase ("boosted by a weaker euro" -> "portées par la baisse de l'euro")
  changes no number's way.
- **negation count**: a source with two negations or more ("we don't use it … they don't
  like it") whose translation keeps fewer (and at least one), neither side saying a negation
  with a word instead. "n'importe qui" (anyone) is no negation.

:func:`check_polarity_reference` compares the translation with its reference the same way
(French on both sides). translate-toolkit has no such check.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import groupby

from tqe.checks.base import CheckContext, Flag, word_set

# ------------------------------------------------------------------------------ English

_EN_TOKEN = re.compile(r"[a-z]+(?:['’][a-z]+)?|[0-9]+|[.,;:!?()\"“”]")
_EN_NEGATIONS = word_set("not never no none nothing nobody nowhere neither nor without cannot")
#: "not" / "no" in these phrases does not deny what follows
_EN_NOT_NEGATING = (
    ("not", "only"), ("not", "just"), ("not", "merely"), ("not", "until"), ("not", "least"),
    ("no", "doubt"), ("no", "later"), ("no", "sooner"), ("nothing", "but"), ("can't", "wait"), ("cannot", "wait"),
)
#: "don't forget", "don't hesitate": French says these with or without a negation
_EN_IDIOM_VERBS = word_set("forget hesitate miss fail")
#: words that carry a negation of their own, which French may say with "ne … pas"
_EN_IMPLICIT = word_set(
    "fail fails failed failing failure lack lacks lacked lacking unable refuse refuses refused "
    "absent absence avoid avoids avoided prevent prevents prevented deny denies denied hardly "
    "barely scarcely seldom rarely few little only until till free stop stops stopped cease "
    "ceased except unless lest zero instead rather below under within maximum exceed exceeds exceeding"
)
_EN_PREFIXES = ("un", "in", "im", "il", "ir", "dis", "non", "mis")
_EN_MORE = word_set("more most")
_EN_LESS = word_set("less least fewer fewest")
_EN_UP = word_set(
    "increase increased increases increasing rise rises rose risen rising raise raised raises "
    "raising grow grows grew grown growing growth gain gains gained climb climbs climbed jump "
    "jumps jumped soar soars soared surge surges surged boost boosts boosted higher upward upturn "
    "widen widens widened widening doubled doubling tripled tripling"
)
_EN_DOWN = word_set(
    "decrease decreased decreases decreasing decline declines declined declining fall falls fell "
    "fallen falling drop drops dropped dropping reduce reduces reduced reducing reduction shrink "
    "shrinks shrank shrunk lowered lower plunge plunged slump slumped downward downturn "
    "narrow narrows narrowed narrowing lose loses lost losing loss losses halved halving"
)

# ------------------------------------------------------------------------------- French

_FR_TOKEN = re.compile(r"[a-zà-öø-ÿœæ]+['’]?|[0-9]+|[.,;:!?()\"«»—–]")
_FR_NE = frozenset({"ne", "n'"})
#: words that make a "ne" a negation ("ne … pas"); "ne" alone is expletive
_FR_NE_PARTNERS = word_set("pas plus jamais rien personne aucun aucune guère nullement ni nul nulle")
_FR_DETERMINERS = word_set("une la cette chaque toute quelque")
_FR_STANDALONE = word_set("aucun aucune sans")
_FR_PAS_NOUN_BEFORE = word_set("le un ce mon ton son ses mes tes nos vos leurs des premier premiers faux grand grands petit petits à")
_FR_SANS_IDIOMS = word_set("doute cesse précédent précédents fil faute compter plus")
_FR_NON_PARTNERS = word_set("plus pas")  # "non plus" (neither), "non pas"
_FR_NON_BEFORE = word_set("ou que mais si et")  # "ou non", "que non", "mais non", "et non"
#: "non la puissance brute": "non" before a determiner denies a noun phrase (not raw compute)
_FR_NON_DETERMINERS = word_set("le la les l' un une des du")
_FR_IMPLICIT = word_set(
    "sauf hormis excepté manque manquer manqué manquent faute échec échoué refus refuser refusé "
    "absence absent absente éviter évité évite empêcher empêché empêche priver privé privée privés "
    "privées prive interdit interdite interdire interdiction cesser cessé arrêter arrêté peu rarement "
    "seulement uniquement gratuit gratuite gratuits gratuitement zéro incapable impossible mal"
)
_FR_PREFIXES = ("in", "im", "il", "ir", "dé", "dés", "mal", "non")
#: "introuvable", "irréversible": a negative prefix on an -able/-ible adjective
_FR_NEGATIVE_ADJECTIVE = re.compile(r"^(?:in|im|il|ir)\w{3,}(?:able|ible)s?$")
#: "n'oubliez pas", "n'hésitez pas", "ne manquez pas de", "ne cesse de": a negated verb that
#: English says positively as often as not (remember, feel free, be sure to, keep on); "ne
#: dépassant pas 25 °C" is a limit English says with "below" or "up to"
_FR_IDIOM_STEMS = ("oubli", "hésit", "manqu", "cess", "tard", "dépass", "excéd")
_FR_MORE = word_set("plus davantage")
_FR_LESS = word_set("moins moindre moindres")
_FR_UP_STEMS = ("augment", "hauss", "croissan", "accroiss", "accru", "progress", "grimp", "bond", "renchéri", "envol")
_FR_UP_WORDS = word_set(
    "croître croît croissent crû monte montent montée montées monter doubler doublé doublée doublés "
    "doublées doublent doublait tripler triplé triplée gagner gagne gagnent gagné gagnée gagnés gagnait gain gains"
)
_FR_DOWN_STEMS = ("baiss", "diminu", "recul", "chut", "rédui", "réduct", "décroi", "repli", "fléchi", "abaiss", "dégringol")
_FR_DOWN_WORDS = word_set(
    "tombé tombée tombés tombées tomber tombe tombent descend descendu descendue descendre perdre perd "
    "perds perdu perdue perdus perdues perdent perdait perdaient perdant perte pertes"
)
_PUNCTUATION = frozenset(".,;:!?()\"“”«»—–")


@dataclass(frozen=True)
class Polarity:
    """What one sentence says about negation and direction."""

    negations: tuple[str, ...]  # the explicit negations found, as a message shows them
    implicit: bool  # a word that carries a negation of its own
    more: bool
    less: bool
    up: int  # how many words say the amount goes up
    down: int
    negated_comparative: bool  # "no more than", "pas moins de": direction left undecided
    #: (number as digits, "up" or "down", number as written) for each number a direction word
    #: leads to: "rose 6.5%" gives ("65", "up", "6.5")
    anchored: tuple[tuple[str, str, str], ...] = ()
    #: negations joined by "ni" / "nor": "no reason …, and no need" = "aucune raison … ni besoin"
    coordinated: bool = False

    @property
    def negated(self) -> bool:
        return bool(self.negations)


#: a word this much more frequent than the word its "prefix" leaves is a word of its own, not
#: a negated one: "important" (5.2) is not im + "portant" (4.6), "découvrir" (4.8) not dé +
#: "couvrir" (4.3); "inchangé" (3.1) is in + "changé" (4.8)
_OWN_WORD_MARGIN = 0.25


@lru_cache(maxsize=65536)
def _stem_word(word: str, prefixes: tuple[str, ...], language: str) -> bool:
    """``unchanged`` = un + changed, ``inchangé`` = in + changé: a negative prefix on a real word."""
    from tqe.language import zipf

    for prefix in prefixes:
        rest = word[len(prefix):].lstrip("-")
        if word.startswith(prefix) and len(rest) >= 4:
            stem = zipf(rest, language)
            if stem >= 3.0 and zipf(word, language) <= stem + _OWN_WORD_MARGIN:
                return True
    return False


#: what a word says on its own, whatever its neighbours: (implicit negation, up, down)
_Alone = tuple[bool, bool, bool]
_NOTHING: _Alone = (False, False, False)


@lru_cache(maxsize=65536)
def _english_word(token: str) -> _Alone | None:
    """What ``token`` says without its neighbours, or None for a word that
    :func:`english_polarity` reads in context (a negation, more/less, up/down)."""
    if token in _EN_NEGATIONS or token.endswith("n't") or token in _EN_MORE or token in _EN_LESS \
            or token in ("up", "down"):
        return None
    implicit = bool(
        token in _EN_IMPLICIT or token.endswith("less") and len(token) > 6 or token.endswith("-free")
        or token.isalpha() and len(token) > 6 and _stem_word(token, _EN_PREFIXES, "en")
    )
    alone = (implicit, token in _EN_UP, token in _EN_DOWN)
    return alone if any(alone) else _NOTHING


@lru_cache(maxsize=4096)
def english_polarity(text: str) -> Polarity:
    tokens = _EN_TOKEN.findall(text.lower().replace("’", "'"))
    negations: list[str] = []
    implicit = more = less = negated_comparative = False
    up = down = 0
    for index, token in enumerate(tokens):
        alone = _english_word(token)
        if alone is not None:  # most words: the same whatever their neighbours
            if alone is not _NOTHING:
                implicit = implicit or alone[0]
                up += alone[1]
                down += alone[2]
            continue
        after = tokens[index + 1] if index + 1 < len(tokens) else ""
        before = tokens[index - 1] if index else ""
        if token in _EN_NEGATIONS or token.endswith("n't"):
            if (token, after) in _EN_NOT_NEGATING or (token == "no" and after == "." and index + 2 < len(tokens)
                                                      and tokens[index + 2].isdigit()):
                continue
            if after in _EN_MORE or after in _EN_LESS:
                negated_comparative = True
            if after in _EN_IDIOM_VERBS:
                implicit = True
                continue
            negations.append(token)
        elif token in _EN_IMPLICIT or token.endswith("less") and len(token) > 6 or token.endswith("-free"):
            implicit = True
        elif token.isalpha() and len(token) > 6 and _stem_word(token, _EN_PREFIXES, "en"):
            implicit = True
        if token in _EN_MORE and not (token == "more" and before in ("once", "any")):
            more = True
        if token in _EN_LESS:
            less = True
        if token in _EN_UP or token == "up" and (after in ("from", "by") or after.isdigit()):
            up += 1
        if token in _EN_DOWN or token == "down" and (after in ("from", "by") or after.isdigit()):
            down += 1
    if "more" in tokens and "or" in tokens and "less" in tokens:
        more = less = True  # "more or less": no direction
    anchored = _anchored(text, _en_up, _en_down) if any(map(_en_token_direction, tokens)) else ()
    coordinated = "nor" in tokens or "neither" in tokens
    return Polarity(tuple(negations), implicit, more, less, up, down, negated_comparative, anchored, coordinated)


def _en_up(word: str) -> bool:
    return word in _EN_UP or word == "up"


def _en_down(word: str) -> bool:
    return word in _EN_DOWN or word == "down"


def _fr_up(word: str) -> bool:
    return word.startswith(_FR_UP_STEMS) or word in _FR_UP_WORDS


def _fr_down(word: str) -> bool:
    return word.startswith(_FR_DOWN_STEMS) or word in _FR_DOWN_WORDS


#: a direction word leads to a number across at most this many words: "rose by 6%", "a reculé
#: de 6 %", "en hausse de 3 %"
_ANCHOR_WORDS = 3
_ANCHOR = re.compile(r"(\d+(?:[.,\u00a0\u202f]\d+)*)")
_CLAUSE_BEFORE = re.compile(r"[.,;:!?()\"“”«»—–]\s")
_CLAUSE_AFTER = re.compile(r"[.,;:!?()\"“”«»—–](?:\s|$)")
_ANCHOR_WORD = re.compile(r"[^\W\d_]+")
_NOT_DIGIT = re.compile(r"\D")


#: words between a number and the direction word after it: "a 5% drop", "a 5 per cent rise"
_UNIT_WORDS = frozenset({"per", "cent", "percent", "pour", "points", "point", "pts"})


@lru_cache(maxsize=65536)
def _en_token_direction(token: str) -> bool:
    """An English token holds a word that :func:`_anchored` may take for a direction ("it'up"
    is one token of two words). Every such word is a token or a part of one."""
    return any(_en_up(word) or _en_down(word) for word in token.split("'"))


@lru_cache(maxsize=65536)
def _fr_token_direction(token: str) -> bool:
    """A French token is a word that :func:`_anchored` may take for a direction. Every such
    word begins a token that keeps its stem, or is the token itself."""
    word = token.rstrip("'")
    return _fr_up(word) or _fr_down(word)


def _anchored(text: str, is_up: Callable[[str], bool], is_down: Callable[[str], bool]) -> tuple[tuple[str, str, str], ...]:
    """(number as digits, direction, number as written) for each number that a direction word
    leads to, in its clause and with no other number between them: "Revenue rose 6%" gives
    ("6", "up", "6"), "a reculé de 6 %" ("6", "down", "6"), "a 5% drop" ("5", "down", "5")."""
    found = []
    matches = list(_ANCHOR.finditer(text))
    for index, match in enumerate(matches):
        start = matches[index - 1].end() if index else 0
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        before = _CLAUSE_BEFORE.split(text[start : match.start()])[-1]
        after = _CLAUSE_AFTER.split(text[match.end() : end])[0]
        words_before = _ANCHOR_WORD.findall(before.lower().replace("’", "'"))[-(_ANCHOR_WORDS + 1):]
        words_after = [word for word in _ANCHOR_WORD.findall(after.lower()) if word not in _UNIT_WORDS][:1]
        for word in [*reversed(words_before), *words_after]:
            if is_up(word) or is_down(word):
                found.append((_NOT_DIGIT.sub("", match.group(1)), "up" if is_up(word) else "down", match.group(1)))
                break
    return tuple(found)


def _clauses(tokens: list[str]) -> list[list[str]]:
    return [list(clause) for punctuation, clause in groupby(tokens, _PUNCTUATION.__contains__) if not punctuation]


#: the words :func:`french_polarity` reads in context (with the words around them)
_FR_IN_CONTEXT = _FR_NE_PARTNERS | _FR_MORE | _FR_LESS | {"pas", "aucun", "aucune", "jamais", "sans", "non", "importe"}


@lru_cache(maxsize=65536)
def _french_word(token: str) -> _Alone | None:
    """What ``token`` says without its neighbours, or None for a word that
    :func:`french_polarity` reads in context."""
    if token in _FR_IN_CONTEXT:
        return None
    implicit = bool(
        token in _FR_IMPLICIT or _FR_NEGATIVE_ADJECTIVE.match(token)
        or token.isalpha() and len(token) > 6 and _stem_word(token, _FR_PREFIXES, "fr")
    )
    alone = (implicit, token.startswith(_FR_UP_STEMS) or token in _FR_UP_WORDS,
             token.startswith(_FR_DOWN_STEMS) or token in _FR_DOWN_WORDS)
    return alone if any(alone) else _NOTHING


@lru_cache(maxsize=4096)
def french_polarity(text: str) -> Polarity:
    tokens = _FR_TOKEN.findall(text.lower().replace("’", "'"))
    negations: list[str] = []
    implicit = more = less = negated_comparative = False
    up = down = 0
    for clause in _clauses(tokens):
        # "n'importe qui/quoi/où" (anyone, anything) is no negation
        ne_at = [index for index, token in enumerate(clause)
                 if token in _FR_NE and clause[index + 1 : index + 2] != ["importe"]] \
            if "ne" in clause or "n'" in clause else []
        used: set[int] = set()
        for start in ne_at:
            partners = [index for index, token in enumerate(clause) if token in _FR_NE_PARTNERS and index != start]
            # "plus … que je ne le pensais": a "plus" before the expletive "ne" is a comparison
            partners = [index for index in partners if not (clause[index] == "plus" and index < start)]
            # "ne coûte pas plus de": "pas" is the negation, "plus" a negated comparison
            partners = [index for index in partners if not (clause[index] == "plus" and clause[index - 1] == "pas")]
            # "qu'une personne ne …": the noun, not "personne ne …"
            partners = [index for index in partners
                        if not (clause[index] == "personne" and index and clause[index - 1] in _FR_DETERMINERS)]
            partner = min(partners, key=lambda index: abs(index - start)) if partners else None
            restrictive = "que" in clause[start:] or "qu'" in clause[start:]
            idiom = any(token.startswith(_FR_IDIOM_STEMS) for token in clause[start + 1: start + 3])
            if partner is not None and idiom:
                implicit = True
                used.update(partners)
            elif partner is not None and not (restrictive and clause[partner] in ("plus", "jamais")):
                negations.append(f"ne … {clause[partner]}")
                used.update(partners)
            elif restrictive:
                implicit = True  # "ne … que" (only), "ne … plus que" (now only)
                used.update(partners)
        for index, token in enumerate(clause):
            alone = _french_word(token)
            if alone is not None:  # most words: the same whatever their neighbours
                if alone is not _NOTHING:
                    implicit = implicit or alone[0]
                    up += alone[1]
                    down += alone[2]
                continue
            before = clause[index - 1] if index else ""
            after = clause[index + 1] if index + 1 < len(clause) else ""
            if index in used:
                pass
            elif token == "pas" and not ne_at:
                if before not in _FR_PAS_NOUN_BEFORE and after not in ("à", "seulement") and before != "pas":
                    negations.append("pas")
            elif token in ("aucun", "aucune") and not ne_at and before != "sans":
                negations.append(token)
            elif token == "jamais" and not ne_at and before not in ("que", "qu'", "si", "à", "pour"):
                negations.append(token)  # "plus jamais", "jamais de la vie"
            elif token == "sans":
                if after not in _FR_SANS_IDIOMS:
                    negations.append("sans")
            elif token == "non" and after != "seulement":
                if not after or after in _FR_NON_PARTNERS or before in _FR_NON_BEFORE or after in _FR_NON_DETERMINERS:
                    negations.append("non")
            elif token == "importe" and before == "n'":
                pass
            elif token in _FR_IMPLICIT or _FR_NEGATIVE_ADJECTIVE.match(token) or (
                token.isalpha() and len(token) > 6 and _stem_word(token, _FR_PREFIXES, "fr")
            ):
                implicit = True
            if token in _FR_MORE and index not in used:
                if before in ("non", "qui") or after in ("tard", "tôt", "ou"):
                    pass
                elif before == "pas" or (ne_at and before in ("pas", "point")):
                    negated_comparative = True
                else:
                    more = True
            if token in _FR_LESS:
                if before == "à" or after == "ou":
                    pass  # "à moins que" (unless)
                elif before in ("pas", "non"):
                    negated_comparative = True
                else:
                    less = True
            if token.startswith(_FR_UP_STEMS) or token in _FR_UP_WORDS:
                up += 1
            if token.startswith(_FR_DOWN_STEMS) or token in _FR_DOWN_WORDS:
                down += 1
    if "plus" in tokens and "ou" in tokens and "moins" in tokens:
        more = less = True  # "plus ou moins"
    anchored = _anchored(text, _fr_up, _fr_down) if any(map(_fr_token_direction, tokens)) else ()
    return Polarity(tuple(negations), implicit, more, less, up, down, negated_comparative, anchored, "ni" in tokens)


#: English negations that continue another ("not X nor Y") and do not count apart
_CONTINUING = frozenset({"nor", "neither"})


def _counted(negations: tuple[str, ...]) -> int:
    """How many separate negations a sentence has."""
    return sum(1 for negation in negations if negation not in _CONTINUING)


def _shown(negations: tuple[str, ...]) -> str:
    return ", ".join(f"'{word}'" for word in dict.fromkeys(negations))


def polarity_problems(first: Polarity, second: Polarity, first_name: str, second_name: str) -> list[str]:
    """What ``second`` says against ``first``: a negation lost or added, a direction flipped."""
    problems = []
    # "not more than" says "less than" with a negation: neither negation nor direction is clear
    comparative = first.negated_comparative or second.negated_comparative
    if comparative:
        pass
    elif first.negated and not second.negated and not second.implicit:
        problems.append(
            f"the {first_name} has a negation ({_shown(first.negations)}) but the {second_name} has none"
        )
    elif second.negated and not first.negated and not first.implicit:
        problems.append(
            f"the {second_name} has a negation ({_shown(second.negations)}) that the {first_name} does not have"
        )
    elif (counted := _counted(first.negations)) >= 2 and 0 < _counted(second.negations) < counted and not (
        first.implicit or second.implicit or first.coordinated or second.coordinated
    ):
        # "we don't use it ... they don't like it" -> "nous l'utilisons ... ils n'aiment pas ça"
        problems.append(
            f"the {first_name} has {counted} negations ({_shown(first.negations)}) but the {second_name} "
            f"only {_counted(second.negations)} ({_shown(second.negations)})"
        )
    if not comparative:
        if first.more and not first.less and second.less and not second.more:
            problems.append(f"the {first_name} says 'more' where the {second_name} says 'less'")
        elif first.less and not first.more and second.more and not second.less:
            problems.append(f"the {first_name} says 'less' where the {second_name} says 'more'")
    if first.up and not first.down and second.down and not second.up:
        problems.append(f"the {first_name} says the amount goes up, the {second_name} that it goes down")
    elif first.down and not first.up and second.up and not second.down:
        problems.append(f"the {first_name} says the amount goes down, the {second_name} that it goes up")
    else:
        # both ways in a sentence: compare the direction each number is given ("rose 6% ...
        # higher income" -> "a reculé de 6 % ... la hausse des revenus": 6 went up, then down)
        opposite = {"up": "down", "down": "up"}
        second_anchored = {(number, direction) for number, direction, _ in second.anchored}
        for number, direction, written in first.anchored:
            if (number, opposite[direction]) in second_anchored and (number, direction) not in second_anchored:
                problems.append(
                    f"the {first_name} says the amount goes {direction} ({written}), "
                    f"the {second_name} that it goes {opposite[direction]}"
                )
                break
    return problems


def check_polarity(source: str, translation: str, ctx: CheckContext) -> list[Flag]:
    """Negation or direction flipped between the English source and the French translation (major)."""
    if not source.strip() or not translation.strip():
        return []
    problems = polarity_problems(english_polarity(source), french_polarity(translation), "source", "translation")
    if not problems:
        return []
    return [ctx.flag("polarity", "major", "; ".join(problems) + ": check that the meaning was not reversed")]


def check_polarity_reference(translation: str, references: Sequence[str]) -> list[Flag]:
    """Negation or direction flipped between the translation and every reference (major)."""
    present = [reference for reference in references if reference.strip()]
    if not translation.strip() or not present:
        return []
    found = french_polarity(translation)
    problems = [polarity_problems(french_polarity(reference), found, "reference", "translation") for reference in present]
    if not all(problems):
        return []
    return [Flag("polarity-reference", "major", "; ".join(problems[0]) + ": check that the meaning was not reversed")]
