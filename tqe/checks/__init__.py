"""Rule-based QA checks of an English source against its French translation.

Each check is ``check_x(source, translation, ctx) -> list[Flag]``; :data:`CHECKS` maps the
check names used in settings and reports to those functions, in the order they run.
:func:`build_context` computes once what the document-level checks (length ratio,
consistency) and the glossary checks need. The pofilter-style comparisons (empty, copy,
brackets, double spaces, addresses) live in :mod:`tqe.checks.textrules`.

========================  ========  =============================================
check                     severity  finds
========================  ========  =============================================
empty                     critical  no translation for a source sentence (1-0)
addition                  major     translation with no source sentence (0-1)
untranslated              major     copy of the source, or still English
english-words             major     English words left in French (one word: minor)
numbers                   major     numbers that differ in value (English format
                          minor     left in French: minor)
end-punctuation           major     question <-> statement (other changes minor)
length-ratio              major     far from the document's usual length ratio
encoding                  major     mojibake, replacement/control characters
consistency               minor     same source translated differently, or one
                                    translation reused for different sources
named-entities            minor     names, brands, acronyms missing (replaced by
                          major     another name: major)
typography                minor     French spacing before ; : ! ?, « guillemets »
brackets                  minor     brackets lost or added
urls / emails             major     web / e-mail addresses changed
double-space              minor     double spaces not in the source
glossary                  major     required French term missing
dnt                       major     do-not-translate term changed
duplicate                 major     translation repeating its neighbour's
polarity                  major     negation or direction (more/less, up/down)
                                    flipped against the source
spelling                  minor     French word that looks misspelled
tags                      major     inline tags/placeholders lost, added, broken
                                    (XLIFF, TMX, PO; tqe.checks.tags)
reference-length          minor     far shorter/longer than the reference
polarity-reference        major     negation or direction flipped against the
                                    reference
========================  ========  =============================================
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from tqe.checks.base import (
    SEVERITIES,
    SEVERITY_RANK,
    CheckContext,
    CheckFunction,
    Flag,
    GlossaryEntry,
    LengthStats,
    sort_flags,
)
from tqe.checks.consistency import check_consistency, consistency_maps
from tqe.checks.duplicate import check_duplicate, duplicate_map
from tqe.checks.encoding import check_encoding
from tqe.checks.english import check_english_words
from tqe.checks.entities import check_named_entities
from tqe.checks.glossary import check_dnt, check_glossary, load_dictionary, load_dnt, load_glossary
from tqe.checks.length import check_length_ratio, length_stats
from tqe.checks.links import check_emails, check_urls
from tqe.checks.numbers import check_numbers
from tqe.checks.polarity import check_polarity
from tqe.checks.presence import check_addition, check_empty, check_untranslated
from tqe.checks.punctuation import check_brackets, check_end_punctuation
from tqe.checks.spelling import check_spelling
from tqe.checks.typography import check_double_space, check_typography

CHECKS: dict[str, CheckFunction] = {
    "empty": check_empty,
    "addition": check_addition,
    "untranslated": check_untranslated,
    "english-words": check_english_words,
    "numbers": check_numbers,
    "end-punctuation": check_end_punctuation,
    "length-ratio": check_length_ratio,
    "encoding": check_encoding,
    "consistency": check_consistency,
    "named-entities": check_named_entities,
    "typography": check_typography,
    "brackets": check_brackets,
    "urls": check_urls,
    "emails": check_emails,
    "double-space": check_double_space,
    "glossary": check_glossary,
    "dnt": check_dnt,
    "duplicate": check_duplicate,
    "polarity": check_polarity,
    "spelling": check_spelling,
}

#: checks that run only when settings name them (``opt_in``): too slow or noisy by default.
#: None today: ``spelling`` raised no false alarm on about 400 clean segments (README, "Flag
#: quality"), so it runs by default.
OPT_IN_CHECKS: frozenset[str] = frozenset()

#: checks that still run when the source or the translation is empty; the others would only
#: repeat what ``empty`` or ``addition`` already says
_ON_EMPTY = frozenset({"empty", "addition", "encoding", "duplicate"})


@dataclass(frozen=True)
class LengthSettings:
    """How ``length-ratio`` judges a document (FlagConfig's ``min_segments``,
    ``length_ratio_z`` and ``length_min_chars``): the norm needs ``min_segments`` segments,
    a ratio beyond ``ratio_z`` robust deviations is flagged, and sources shorter than
    ``min_chars`` are not checked."""

    min_segments: int = 10
    ratio_z: float = 3.5
    min_chars: int = 20


def build_context(
    sources: Sequence[str],
    translations: Sequence[str],
    ids: Sequence[str] | None = None,
    *,
    severities: Mapping[str, str] | None = None,
    glossary: Sequence[GlossaryEntry] = (),
    dnt_terms: Sequence[str] = (),
    accepted_words: frozenset[str] = frozenset(),
    length: LengthSettings = LengthSettings(),
) -> CheckContext:
    """The context of one document: its length-ratio norm, repeated sentences, glossary."""
    ids = list(ids) if ids is not None else [str(number) for number in range(1, len(sources) + 1)]
    same_source, same_translation = consistency_maps(ids, sources, translations)
    return CheckContext(
        severities=dict(severities or {}),
        glossary=tuple(glossary),
        dnt_terms=tuple(dnt_terms),
        accepted_words=frozenset(accepted_words),
        length=length_stats(sources, translations, length.min_segments, length.min_chars),
        length_ratio_z=length.ratio_z,
        length_min_chars=length.min_chars,
        same_source=same_source,
        same_translation=same_translation,
        duplicates=duplicate_map(ids, sources, translations),
    )


def run_checks(
    source: str, translation: str, ctx: CheckContext, names: Sequence[str] | None = None
) -> list[Flag]:
    """Run the named checks (all of :data:`CHECKS` by default) on one segment, most serious
    flag first."""
    blank = not source.strip() or not translation.strip()
    flags: list[Flag] = []
    for name in names if names is not None else CHECKS:
        if blank and name not in _ON_EMPTY:
            continue
        flags.extend(CHECKS[name](source, translation, ctx))
    # ``duplicate`` (major): a translation repeating its neighbour's while the sources differ;
    # the copy explains the empty translation and the added sentence the aligner made of it
    if any(flag.check == "duplicate" for flag in flags):
        flags = [flag for flag in flags if flag.check not in ("empty", "addition")]
    return sort_flags(flags)


__all__ = [
    "CHECKS",
    "SEVERITIES",
    "SEVERITY_RANK",
    "CheckContext",
    "CheckFunction",
    "OPT_IN_CHECKS",
    "Flag",
    "GlossaryEntry",
    "LengthSettings",
    "LengthStats",
    "build_context",
    "load_dictionary",
    "load_dnt",
    "load_glossary",
    "run_checks",
    "sort_flags",
]
