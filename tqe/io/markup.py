"""Inline markup in bilingual files: tags and placeholders kept as opaque tokens.

A segment of an XLIFF, TMX or PO file holds text and inline codes (``<g>``, ``<x/>``,
``<bpt>``/``<ept>``, ``<ph>``, ``<pc>``, ``{0}``, ``%s``, ``%(name)s``, ``{{name}}``, ``<b>``).
Metrics and checks see the text without them (:attr:`Marked.text`); the ``tags`` check
compares the token sequences (:attr:`Marked.tags`). A token is a short string that names the
code and its id, e.g. ``<g id=1>``, ``</g id=1>``, ``<x id=2/>``, ``{0}``, ``%s``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tqe.io.xmlsafe import local_name

if TYPE_CHECKING:  # pragma: no cover
    from lxml import etree

#: inline elements whose content is native code (not translatable text), by format
CODE_ELEMENTS = frozenset({"bpt", "ept", "ph", "it", "ut", "sub"})
#: inline elements that stand alone (empty), XLIFF 1.2 and 2.x
EMPTY_ELEMENTS = frozenset({"x", "bx", "ex", "sc", "ec", "sm", "em"})
#: inline elements that wrap translatable text and are themselves a pair of codes
PAIRED_ELEMENTS = frozenset({"g", "pc"})
#: annotations whose content is text and which are not codes a translator must keep
TRANSPARENT_ELEMENTS = frozenset({"mrk", "hi"})

#: placeholders in software strings: printf (%s, %1$d, %(name)s), .NET/ICU/Python ({0},
#: {name}), Jinja/Angular ({{ name }}) and simple HTML tags (<b>, </b>, <br/>)
PLACEHOLDER = re.compile(
    r"\{\{\s*[\w.]+\s*\}\}"
    r"|\{\d+(?:,[^{}]*)?\}|\{[A-Za-z_][\w.]*\}"
    r"|%(?:\(\w+\)|\d+\$)?[-+#0]*\d*(?:\.\d+)?[sdifuxXeEgGcr%@]"
    r"|</?[A-Za-z][A-Za-z0-9]*(?:\s+[^<>]*?)?/?>"
)


@dataclass(frozen=True)
class Marked:
    """A segment's text with its inline codes taken out, and the codes in order."""

    text: str
    tags: tuple[str, ...] = ()


def _attr_id(element: etree._Element) -> str:
    for name in ("id", "i", "rid", "x", "startRef", "mid"):
        value = element.get(name)
        if value is not None:
            return f" id={value}"
    return ""


def _spaces(text: str) -> str:
    return " ".join(text.split())


def read_inline(element: etree._Element) -> Marked:
    """The text and inline codes of a ``<source>``, ``<target>``, ``<seg>`` or ``<mrk>``."""
    pieces: list[str] = []
    tags: list[str] = []

    def walk(node: etree._Element) -> None:
        if node.text:
            pieces.append(node.text)
        for child in node:
            name = local_name(child)
            if not name:  # a comment or processing instruction
                pass
            elif name == "cp":  # XLIFF 2: a character that XML cannot hold
                try:
                    pieces.append(chr(int(child.get("hex", ""), 16)))
                except ValueError:
                    pass
            elif name in CODE_ELEMENTS or name in EMPTY_ELEMENTS:
                closing = "/" if name in ("ept", "ec", "em") else ""
                tags.append(f"<{closing}{name}{_attr_id(child)}/>" if not closing else f"</{name}{_attr_id(child)}>")
            elif name in PAIRED_ELEMENTS:
                tags.append(f"<{name}{_attr_id(child)}>")
                walk(child)
                tags.append(f"</{name}{_attr_id(child)}>")
            else:  # mrk, hi and anything unknown: its text counts
                walk(child)
            if child.tail:
                pieces.append(child.tail)

    walk(element)
    return Marked(_spaces("".join(pieces)), tuple(tags))


def split_placeholders(text: str) -> Marked:
    """Take printf/brace/HTML placeholders out of a software string (PO files)."""
    tags = tuple(match.group(0) for match in PLACEHOLDER.finditer(text) if match.group(0) != "%%")
    return Marked(_spaces(PLACEHOLDER.sub(" ", text)), tags)
