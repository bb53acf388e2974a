"""What every check shares: the Flag record, severities and the document context.

A check is a plain function ``check_x(source, translation, ctx) -> list[Flag]``. Checks that
need the whole document (length ratio, consistency) read what they need from the
:class:`CheckContext`, which is built once per document before any check runs.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from tqe.model import SEVERITIES, SEVERITY_RANK, Flag, sort_flags  # noqa: F401  (the checks' vocabulary)


@dataclass(frozen=True)
class GlossaryEntry:
    """An English term and the French term(s) a translation must use for it."""

    source: str
    targets: tuple[str, ...]


@dataclass(frozen=True)
class LengthStats:
    """Typical log length ratio (translation/source characters) and its robust spread."""

    median: float
    scale: float
    from_document: bool


@dataclass(frozen=True)
class CheckContext:
    """Everything a check needs beyond its own segment, computed once per document.

    ``same_source`` maps a repeated (normalised) source to its different translations, each
    with the ids of the segments that use it; ``same_translation`` does the same for a
    translation used for different sources.
    ``severities`` overrides a check's default severity (check name -> severity).
    ``duplicates`` maps the (source, translation) of a segment that repeats its neighbour's
    translation, or lost its own to such a copy, to the messages of ``duplicate``.
    """

    severities: Mapping[str, str] = field(default_factory=dict)
    glossary: tuple[GlossaryEntry, ...] = ()
    dnt_terms: tuple[str, ...] = ()
    #: words of the project dictionary (casefolded): never a misspelling or an English word
    accepted_words: frozenset[str] = frozenset()
    length: LengthStats | None = None
    length_ratio_z: float = 3.5
    length_min_chars: int = 20
    same_source: Mapping[str, Mapping[str, tuple[tuple[str, ...], str]]] = field(default_factory=dict)
    same_translation: Mapping[str, Mapping[str, tuple[tuple[str, ...], str]]] = field(default_factory=dict)
    duplicates: Mapping[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)

    def flag(self, check: str, default_severity: str, message: str) -> Flag:
        """A flag of ``check`` with the configured severity (or the check's own default)."""
        return Flag(check, self.severities.get(check, default_severity), message)


CheckFunction = Callable[[str, str, CheckContext], "list[Flag]"]

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007]+")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u201c": '"', "\u201d": '"'})


_APOSTROPHE = re.compile("[\u2019\u2018\u02bc\u201c\u201d]")


def _straight(match: re.Match[str]) -> str:
    return str(_APOSTROPHES[ord(match.group())])


class _Unaccented(dict[int, str]):
    """Character code -> the character decomposed (NFKD) without its combining marks,
    worked out the first time the character is met."""

    def __missing__(self, code: int) -> str:
        decomposed = unicodedata.normalize("NFKD", chr(code))
        self[code] = "".join(char for char in decomposed if not unicodedata.combining(char))
        return self[code]


_UNACCENTED = _Unaccented()


@functools.lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower-case, accent-free, one-space text for lenient comparisons (``Été`` == ``ete``)."""
    # str.split() splits at the spaces of _SPACES (no-break ones included) and drops the ends
    if text.isascii():  # no curly apostrophe, nothing to decompose: NFKD leaves ASCII as it is
        return " ".join(text.casefold().split())
    lowered = _APOSTROPHE.sub(_straight, text).casefold()
    if lowered.isascii():
        return " ".join(lowered.split())
    # NFKD decomposes character by character and only reorders the combining marks it then
    # drops, so one translate through a per-character table gives the same text
    return " ".join(lowered.translate(_UNACCENTED).split())


def shown(text: str, limit: int = 60) -> str:
    """Text as a message quotes it: no-break spaces shown as spaces, long text cut."""
    text = _SPACES.sub(" ", text).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def word_list(text: str) -> list[str]:
    """The words of a space-separated literal (keeps long word lists readable)."""
    return text.split()


def word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


def quoted(items: list[str] | tuple[str, ...], limit: int = 5) -> str:
    """``'a', 'b' and 'c'`` for a message; long lists end with ``and N more``."""
    parts = [f"'{shown(item)}'" for item in items[:limit]]
    if len(items) > limit:
        parts.append(f"{len(items) - limit} more")
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + " and " + parts[-1]
