"""``glossary`` and ``dnt``: the user's required French terms and do-not-translate terms.

A glossary is a CSV or TSV file with a header row naming an English and a French column
(``source,target``; ``en,fr``, ``english,french`` and ``term,translation`` also work). The
delimiter is found from the header line (tab, semicolon or comma). A French cell may list
alternatives separated by ``|``; a row whose French term equals the English one asks for the
term unchanged. A do-not-translate list is a text file with one term per line (``#`` starts a
comment), or a one-column CSV/TSV. A term with no letter or digit (only an accent, punctuation
or spaces) is refused: it would be found in almost every segment.

translate-toolkit's ``musttranslatewords``/``notranslatewords`` checks take plain word lists
and match single words only, so multi-word terms ("water main") and French plurals need
tqe's own matching here. The termbase is compiled once per document (:class:`_TermIndex`), so a
segment costs about the same to check against 100,000 terms as against 100.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

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


def _rows(text: str, delimiter: str, what: str, path: Path) -> list[tuple[int, list[str]]]:
    """(line number where the row starts, cells) for every row of a CSV/TSV text."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows = []
    while True:
        line = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return rows
        except csv.Error as error:
            if "field limit" in str(error):
                raise InputError(
                    f"{what} file {path}, line {line}: a field is longer than {csv.field_size_limit():,} characters; "
                    f"a term should be a few words (look for a quote (\") that is never closed)"
                ) from None
            raise InputError(f"{what} file {path}, line {line}: {error}") from None
        rows.append((line, row))


def _has_word(term: str) -> bool:
    """Whether a term has a letter or digit: one made only of accents, punctuation or spaces
    would be found in almost every segment."""
    return any(char.isalnum() for char in _fold(term))


_NO_WORD = "has no letter or digit (only accents, punctuation or spaces)"


def load_glossary(path: Path) -> tuple[GlossaryEntry, ...]:
    """Read a glossary file; raise InputError naming the file and line for a bad one."""
    text = _read_text(path, "glossary")
    lines = text.splitlines()
    header_line = next((line for line in lines if line.strip()), "")
    if not header_line:
        raise InputError(f"glossary file {path} is empty")
    rows = _rows(text, _delimiter(header_line), "glossary", path)
    header_index = next(index for index, (_, row) in enumerate(rows) if any(cell.strip() for cell in row))
    header = [cell.strip().casefold() for cell in rows[header_index][1]]
    try:
        source_column = next(index for index, name in enumerate(header) if name in _SOURCE_NAMES)
        target_column = next(index for index, name in enumerate(header) if name in _TARGET_NAMES)
    except StopIteration:
        raise InputError(
            f"glossary file {path} needs a header row 'source<TAB>target' (or 'source,target'); "
            f"found {rows[header_index][1]!r}"
        ) from None
    targets: dict[str, list[str]] = {}
    for number, row in rows[header_index + 1 :]:
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
        for language, term in (("English", source), *(("French", alternative) for alternative in alternatives)):
            if not _has_word(term):
                raise InputError(f"glossary file {path}, line {number}: the {language} term {_NO_WORD}; fix or remove the row")
        targets.setdefault(source, []).extend(alternatives)
    return tuple(GlossaryEntry(source, tuple(dict.fromkeys(terms))) for source, terms in targets.items())


def load_dnt(path: Path) -> tuple[str, ...]:
    """Read a do-not-translate list: one term per line, or the first column of a CSV/TSV."""
    text = _read_text(path, "do-not-translate")
    if Path(path).suffix.lower() in {".csv", ".tsv"}:
        first_line = next((line for line in text.splitlines() if line.strip()), "")
        rows = _rows(text, _delimiter(first_line), "do-not-translate", path)
        numbered = [(number, row[0].strip()) for number, row in rows if row and row[0].strip()]
        if numbered and numbered[0][1].casefold() in {"term", "source", "terms"}:
            numbered = numbered[1:]
    else:
        numbered = [(number, line.strip()) for number, line in enumerate(text.splitlines(), start=1)]
        numbered = [(number, term) for number, term in numbered if term and not term.startswith("#")]
    for number, term in numbered:
        if not _has_word(term):
            raise InputError(f"do-not-translate file {path}, line {number}: the term {_NO_WORD}; fix or remove the line")
    return tuple(dict.fromkeys(term for _, term in numbered))


def load_dictionary(path: Path) -> frozenset[str]:
    """Read a project dictionary: words the spelling and English-word checks accept (product
    terms, jargon, names), one per line; ``#`` starts a comment line."""
    text = _read_text(path, "dictionary")
    words = []
    for number, line in enumerate(text.splitlines(), start=1):
        word = line.strip()
        if not word or word.startswith("#"):
            continue
        if not _has_word(word):
            raise InputError(f"dictionary file {path}, line {number}: the word {_NO_WORD}; fix or remove the line")
        if len(word.split()) > 1:
            raise InputError(f"dictionary file {path}, line {number}: {word!r} is more than one word; "
                             "give one word per line (a phrase belongs in the do-not-translate list)")
        words.append(word.casefold())
    return frozenset(words)


def _fold(text: str) -> str:
    """:func:`fold`, quicker for plain ASCII text (most terms), where it only lower-cases and
    collapses spaces."""
    if text.isascii():
        return " ".join(text.lower().split())
    return fold(text)


def _english_pattern(term: str) -> re.Pattern[str]:
    """The English term as whole words, any case, with an optional plural ("water mains")."""
    words = [re.escape(word) for word in fold(term).split()]
    body = r"[\s-]+".join(words)
    return re.compile(rf"(?<!\w){body}(?:s|es)?(?!\w)")


def _french_pattern(term: str) -> re.Pattern[str]:
    """The French term as whole words, any case or accents, each word allowed a plural or
    feminine ending ("compteurs intelligents" for "compteur intelligent")."""
    words = [re.escape(word) + r"(?:s|x|e|es)?" for word in fold(term).split()]
    return re.compile(r"(?<!\w)" + r"[\s-]+".join(words) + r"(?!\w)")


def _dnt_pattern(term: str) -> re.Pattern[str]:
    """The do-not-translate term exactly as written, not inside a longer word."""
    return re.compile(rf"(?<!\w){re.escape(term)}(?!\w)")


_WORD = re.compile(r"\w+")


class _TermIndex:
    """Many terms, each found in a text by its own pattern, without trying every pattern on
    every text.

    A term can only match where each of its words (runs of ``\\w``) is a whole word of the
    text, the last one perhaps followed by a plural ending. So each term is filed under its
    word that the fewest other terms share; a text looks up only its own words (and those
    words less a plural ending), and only the terms found that way are tried with their
    pattern. The result is exactly what trying every pattern would give, in term order, at a
    cost that grows with the length of the text rather than with the size of the termbase.
    Patterns are compiled when first needed and kept.
    """

    def __init__(
        self,
        terms: Sequence[str],
        make_pattern: Callable[[str], re.Pattern[str]],
        *,
        searched_as: Callable[[str], str] = str,
        endings: tuple[str, ...] = (),
    ) -> None:
        """``make_pattern(term)`` finds a term in a text; ``searched_as(term)`` is the term as
        that pattern looks for it (folded, for the glossary); ``endings`` are the endings the
        pattern allows after the term's last word."""
        self._terms = terms
        self._make_pattern = make_pattern
        self._endings = endings
        self._patterns: dict[int, re.Pattern[str]] = {}
        findall = _WORD.findall
        self._words = [frozenset(findall(searched_as(term))) for term in terms]
        shared = Counter(word for words in self._words for word in words)
        by_word: dict[str, list[int]] = {}
        self._by_word = by_word
        self._always: list[int] = []  # a term without a word can match anywhere
        for index, words in enumerate(self._words):
            if len(words) > 1:
                key = min(words, key=shared.__getitem__)
            elif words:
                [key] = words
            else:
                self._always.append(index)
                continue
            if key in by_word:
                by_word[key].append(index)
            else:
                by_word[key] = [index]

    def matches(self, text: str) -> list[int]:
        """Indexes (in term order) of the terms whose pattern matches ``text``."""
        words = set(_WORD.findall(text))
        # the text's words as the terms' words may appear in it, before an ending
        stems = words.union(*({word[: -len(ending)] for word in words if word.endswith(ending)} for ending in self._endings))
        candidates = set(self._always)
        by_word = self._by_word
        for stem in stems:
            candidates.update(by_word.get(stem, ()))
        return [
            index
            for index in sorted(candidates)
            # every word of the term must be there before its pattern is worth compiling
            if self._words[index] <= stems and self.pattern(index).search(text)
        ]

    def pattern(self, index: int) -> re.Pattern[str]:
        pattern = self._patterns.get(index)
        if pattern is None:
            pattern = self._patterns[index] = self._make_pattern(self._terms[index])
        return pattern


class _GlossaryMatcher:
    """A document's glossary, compiled once: English terms indexed, French patterns kept."""

    def __init__(self, entries: tuple[GlossaryEntry, ...]) -> None:
        self.english = _TermIndex(
            [entry.source for entry in entries], _english_pattern, searched_as=_fold, endings=("s", "es")
        )
        self._french: dict[str, re.Pattern[str]] = {}

    def french(self, term: str) -> re.Pattern[str]:
        pattern = self._french.get(term)
        if pattern is None:
            pattern = self._french[term] = _french_pattern(term)
        return pattern


def _compiled(ctx: CheckContext, name: str, build: Callable[[], Any], *inputs: object) -> Any:
    """What ``build()`` makes from ``inputs`` (fields of ``ctx``), kept on ``ctx`` under
    ``name`` and built on first use.

    A CheckContext is built once per document and never changes, so keeping the compiled
    termbase on it compiles the termbase once per document, not once per segment.
    """
    kept = ctx.__dict__.get(name)
    if kept is None or len(kept[0]) != len(inputs) or any(a is not b for a, b in zip(kept[0], inputs)):
        kept = (inputs, build())
        object.__setattr__(ctx, name, kept)
    return kept[1]


def termbase_words(ctx: CheckContext) -> frozenset[str]:
    """The do-not-translate terms and the words of the English glossary terms, for checks
    that leave these to the glossary checks; built once per document."""
    return _compiled(
        ctx,
        "_termbase_words",
        lambda: frozenset(ctx.dnt_terms) | frozenset(word for entry in ctx.glossary for word in entry.source.split()),
        ctx.glossary,
        ctx.dnt_terms,
    )


def check_glossary(source: str, translation: str, ctx: CheckContext) -> list[Flag]:
    """An English glossary term in the source whose required French term is not in the
    translation (major)."""
    if not ctx.glossary or not source.strip() or not translation.strip():
        return []
    matcher: _GlossaryMatcher = _compiled(ctx, "_glossary_matcher", lambda: _GlossaryMatcher(ctx.glossary), ctx.glossary)
    folded_source, folded_translation = fold(source), fold(translation)
    wrong = []
    for index in matcher.english.matches(folded_source):
        entry = ctx.glossary[index]
        if not any(matcher.french(target).search(folded_translation) for target in entry.targets):
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
    terms: _TermIndex = _compiled(ctx, "_dnt_index", lambda: _TermIndex(ctx.dnt_terms, _dnt_pattern), ctx.dnt_terms)
    missing = [ctx.dnt_terms[index] for index in terms.matches(source) if not terms.pattern(index).search(translation)]
    if not missing:
        return []
    noun = "term" if len(missing) == 1 else "terms"
    return [ctx.flag("dnt", "major", f"do-not-translate {noun} {quoted(missing)} must appear unchanged in the translation")]
