"""``glossary`` and ``dnt``: the user's required French terms and do-not-translate terms.

A glossary is a CSV or TSV file with a header row naming an English and a French column
(``source,target``; ``en,fr``, ``english,french`` and ``term,translation`` also work). The
delimiter is found from the header line (tab, semicolon or comma). A French cell may list
alternatives separated by ``|``; a row whose French term equals the English one asks for the
term unchanged. A do-not-translate list is a text file with one term per line (``#`` starts a
comment), or a one-column CSV/TSV.

translate-toolkit's ``musttranslatewords``/``notranslatewords`` checks take plain word lists
and match single words only, so multi-word terms ("water main") and French plurals need
tqe's own matching here.
"""

from __future__ import annotations

import csv
import io
import re
from functools import lru_cache
from pathlib import Path

from tqe.checks.base import CheckContext, Flag, GlossaryEntry, fold, quoted
from tqe.errors import InputError
from tqe.io.text import decode_text, read_input_bytes

_SOURCE_NAMES = {"source", "en", "english", "term", "source term", "en-us", "en-gb", "anglais"}
_TARGET_NAMES = {"target", "fr", "french", "translation", "target term", "fr-fr", "fr-ca", "français", "francais"}


def _read_text(path: Path, what: str) -> str:
    """The file's text; decoding errors read the same as for the input files (tqe.io.text)."""
    try:
        raw = read_input_bytes(path, f"{what} file")
    except FileNotFoundError:
        raise InputError(f"{what} file not found: {path}") from None
    except OSError as error:
        raise InputError(f"cannot read {what} file {path}: {error.strerror}") from None
    return decode_text(raw, f"{what} file {path}")


def _delimiter(header: str) -> str:
    for delimiter in ("\t", ";", ","):
        if delimiter in header:
            return delimiter
    return ","


def load_glossary(path: Path) -> tuple[GlossaryEntry, ...]:
    """Read a glossary file; raise InputError naming the file and line for a bad one."""
    text = _read_text(path, "glossary")
    lines = text.splitlines()
    header_line = next((line for line in lines if line.strip()), "")
    if not header_line:
        raise InputError(f"glossary file {path} is empty")
    rows = list(csv.reader(io.StringIO(text), delimiter=_delimiter(header_line)))
    header_index = next(index for index, row in enumerate(rows) if any(cell.strip() for cell in row))
    header = [cell.strip().casefold() for cell in rows[header_index]]
    try:
        source_column = next(index for index, name in enumerate(header) if name in _SOURCE_NAMES)
        target_column = next(index for index, name in enumerate(header) if name in _TARGET_NAMES)
    except StopIteration:
        raise InputError(
            f"glossary file {path} needs a header row 'source<TAB>target' (or 'source,target'); "
            f"found {rows[header_index]!r}"
        ) from None
    targets: dict[str, list[str]] = {}
    for number, row in enumerate(rows[header_index + 1 :], start=header_index + 2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) <= max(source_column, target_column):
            raise InputError(
                f"glossary file {path}, line {number}: expected an English and a French term, found {row!r}"
            )
        source, target = row[source_column].strip(), row[target_column].strip()
        if not source or not target:
            raise InputError(f"glossary file {path}, line {number}: a term is empty")
        alternatives = [term.strip() for term in target.split("|") if term.strip()]
        targets.setdefault(source, []).extend(alternatives)
    return tuple(GlossaryEntry(source, tuple(dict.fromkeys(terms))) for source, terms in targets.items())


def load_dnt(path: Path) -> tuple[str, ...]:
    """Read a do-not-translate list: one term per line, or the first column of a CSV/TSV."""
    text = _read_text(path, "do-not-translate")
    if Path(path).suffix.lower() in {".csv", ".tsv"}:
        first_line = next((line for line in text.splitlines() if line.strip()), "")
        rows = csv.reader(io.StringIO(text), delimiter=_delimiter(first_line))
        terms = [row[0].strip() for row in rows if row and row[0].strip()]
        if terms and terms[0].casefold() in {"term", "source", "terms"}:
            terms = terms[1:]
    else:
        terms = [line.strip() for line in text.splitlines()]
        terms = [term for term in terms if term and not term.startswith("#")]
    return tuple(dict.fromkeys(terms))


@lru_cache(maxsize=4096)
def _english_pattern(term: str) -> re.Pattern[str]:
    """The English term as whole words, any case, with an optional plural ("water mains")."""
    words = [re.escape(word) for word in fold(term).split()]
    body = r"[\s-]+".join(words)
    return re.compile(rf"(?<!\w){body}(?:s|es)?(?!\w)")


@lru_cache(maxsize=4096)
def _french_pattern(term: str) -> re.Pattern[str]:
    """The French term as whole words, any case or accents, each word allowed a plural or
    feminine ending ("compteurs intelligents" for "compteur intelligent")."""
    words = [re.escape(word) + r"(?:s|x|e|es)?" for word in fold(term).split()]
    return re.compile(r"(?<!\w)" + r"[\s-]+".join(words) + r"(?!\w)")


def check_glossary(source: str, translation: str, ctx: CheckContext) -> list[Flag]:
    """An English glossary term in the source whose required French term is not in the
    translation (major)."""
    if not ctx.glossary or not source.strip() or not translation.strip():
        return []
    folded_source, folded_translation = fold(source), fold(translation)
    wrong = []
    for entry in ctx.glossary:
        if not _english_pattern(entry.source).search(folded_source):
            continue
        if not any(_french_pattern(target).search(folded_translation) for target in entry.targets):
            wanted = " or ".join(f"'{target}'" for target in entry.targets)
            wrong.append(f"'{entry.source}' should be translated as {wanted}")
    if not wrong:
        return []
    return [ctx.flag("glossary", "major", "glossary: " + "; ".join(wrong))]


def check_dnt(source: str, translation: str, ctx: CheckContext) -> list[Flag]:
    """A do-not-translate term of the source that is not in the translation exactly as
    written (major)."""
    if not ctx.dnt_terms or not source.strip() or not translation.strip():
        return []
    missing = [
        term
        for term in ctx.dnt_terms
        if re.search(rf"(?<!\w){re.escape(term)}(?!\w)", source)
        and not re.search(rf"(?<!\w){re.escape(term)}(?!\w)", translation)
    ]
    if not missing:
        return []
    noun = "term" if len(missing) == 1 else "terms"
    return [ctx.flag("dnt", "major", f"do-not-translate {noun} {quoted(missing)} must appear unchanged in the translation")]
