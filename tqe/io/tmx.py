"""TMX 1.4: each ``<tu>`` with an English and a French ``<tuv>`` is a segment.

The languages are picked by ``xml:lang`` (``lang`` in TMX 1.1), any region subtag (``en-US``,
``fr-CA``); a ``<tu>`` without both is skipped. Inline codes (``<bpt>``, ``<ept>``, ``<ph>``,
``<it>``, ``<ut>``) are kept as tokens; ``<hi>`` text counts.
"""

from __future__ import annotations

from tqe.errors import InputError
from tqe.io.formats import BilingualFile, segments_frame
from tqe.io.markup import read_inline
from tqe.io.xliff import XML_LANG, _child, _descendants
from tqe.io.xmlsafe import local_name, parse_xml


def _language(element) -> str:
    return (element.get(XML_LANG) or element.get("lang") or "").strip()


def _primary(tag: str) -> str:
    return tag.replace("_", "-").split("-")[0].lower()


def read_tmx(raw: bytes, name: str) -> BilingualFile:
    root = parse_xml(raw, name).getroot()
    if local_name(root) != "tmx":
        raise InputError(f"{name}: the root element is <{local_name(root)}>, not <tmx>")
    header = _child(root, "header")
    declared = header.get("srclang", "") if header is not None else ""
    if declared and declared != "*all*" and _primary(declared) != "en":
        raise InputError(f"{name}: the source language is {declared!r}; tqe reads an English source (en)")
    rows = []
    languages: set[str] = set()
    for index, unit in enumerate(_descendants(root, "tu")):
        by_language = {}
        for variant in (child for child in unit if local_name(child) == "tuv"):
            language = _language(variant)
            languages.add(language)
            segment = _child(variant, "seg")
            if segment is not None and _primary(language) in ("en", "fr"):
                by_language.setdefault(_primary(language), segment)
        if "en" not in by_language or "fr" not in by_language:
            continue
        source, target = read_inline(by_language["en"]), read_inline(by_language["fr"])
        paragraph = len(rows) + 1
        rows.append({
            "id": unit.get("tuid") or str(index + 1),
            "paragraph": paragraph,
            "link": f"{int(bool(source.text))}-{int(bool(target.text))}",
            "source": source.text,
            "translation": target.text,
            "references": (),
            "source_tags": source.tags,
            "translation_tags": target.tags,
            "state": "",
            "unit": index,
        })
    if not rows:
        found = ", ".join(sorted(language for language in languages if language)) or "none"
        raise InputError(f"{name} has no <tu> with both an English and a French <tuv> (languages found: {found})")
    return BilingualFile("tmx", "en", "fr", segments_frame(rows))
