"""Word-level diff between two texts, as a list of operations (no formatting beyond git's plain style).

Words and punctuation marks are separate tokens, so "chat." against "chat !" reads as one
changed mark, not a changed word. Renderers turn the operations into HTML, Markdown,
terminal colours or spreadsheet text; ``format_word_diff`` gives ``git diff --word-diff``'s
plain form, which the Markdown and spreadsheet reports show as is.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Literal

DiffKind = Literal["equal", "delete", "insert"]

# A token is a run of word characters or one other non-space character.
_TOKEN_RE = re.compile(r"\w+|[^\w\s]")


@dataclass(frozen=True)
class DiffOp:
    """One run of tokens that both texts share (equal), only the old has (delete) or only the
    new has (insert).

    ``text`` is the tokens as written, joined by single spaces where the text had whitespace;
    ``space_before`` says whether a space separates this run from the previous one (an insert
    right after a delete shares the delete's space, as in git's output).
    """

    kind: DiffKind
    text: str
    space_before: bool = False


@dataclass(frozen=True)
class _Token:
    text: str
    space_before: bool


def tokenize(text: str) -> list[_Token]:
    """Split ``text`` into word and punctuation tokens, remembering which follow whitespace."""
    tokens: list[_Token] = []
    previous_end = 0
    for match in _TOKEN_RE.finditer(text):
        space_before = bool(tokens) and match.start() > previous_end
        tokens.append(_Token(match.group(), space_before))
        previous_end = match.end()
    return tokens


def _join(tokens: list[_Token]) -> str:
    parts = []
    for index, token in enumerate(tokens):
        if index and token.space_before:
            parts.append(" ")
        parts.append(token.text)
    return "".join(parts)


def word_diff(old: str, new: str) -> list[DiffOp]:
    """Word-level operations that turn ``old`` into ``new``.

    Between two unchanged runs, all deleted tokens come first as one delete and all inserted
    tokens after as one insert, so a changed phrase reads ``[-old words-]{+new words+}``.
    Identical texts give one equal op; two empty texts give no ops.
    """
    old_tokens = tokenize(old)
    new_tokens = tokenize(new)
    matcher = difflib.SequenceMatcher(
        a=[token.text for token in old_tokens],
        b=[token.text for token in new_tokens],
        autojunk=False,
    )
    ops: list[DiffOp] = []
    deleted: list[_Token] = []
    inserted: list[_Token] = []

    def flush_changes() -> None:
        delete_space = False
        if deleted:
            delete_space = bool(ops) and deleted[0].space_before
            ops.append(DiffOp("delete", _join(deleted), delete_space))
        if inserted:
            insert_space = bool(ops) and inserted[0].space_before and not delete_space
            ops.append(DiffOp("insert", _join(inserted), insert_space))
        deleted.clear()
        inserted.clear()

    for tag, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if tag == "equal":
            flush_changes()
            run = new_tokens[new_start:new_end]
            ops.append(DiffOp("equal", _join(run), bool(ops) and run[0].space_before))
            continue
        deleted.extend(old_tokens[old_start:old_end])
        inserted.extend(new_tokens[new_start:new_end])
    flush_changes()
    return ops


def format_word_diff(ops: list[DiffOp]) -> str:
    """Render ``ops`` in git's plain word-diff style: ``[-deleted-]{+inserted+}``."""
    parts = []
    for op in ops:
        if op.space_before:
            parts.append(" ")
        if op.kind == "delete":
            parts.append(f"[-{op.text}-]")
        elif op.kind == "insert":
            parts.append(f"{{+{op.text}+}}")
        else:
            parts.append(op.text)
    return "".join(parts)
