"""Parse untrusted XML (XLIFF, TMX): no external entities, no DTD loading, no network, no
entity expansion, a size limit, and one :class:`InputError` line for anything wrong.

A ``<!DOCTYPE tmx SYSTEM "tmx14.dtd">`` line is common and harmless: it is read, never
followed. A document that declares entities (the "billion laughs" bomb, an external entity
pointing at a file or URL) is refused outright: bilingual files have no use for them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tqe.errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    from lxml import etree

#: the largest XML file read (bytes); a CAT tool's export of a whole book is a few MB
MAX_XML_BYTES = 256 * 1024 * 1024


def _parser() -> etree.XMLParser:
    from lxml import etree

    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=False,
        remove_comments=False,
        remove_pis=False,
        strip_cdata=False,
    )


def parse_xml(raw: bytes, name: str) -> etree._ElementTree:
    """The parsed document of ``raw``, or :class:`InputError` naming ``name`` and the problem."""
    from lxml import etree

    if len(raw) > MAX_XML_BYTES:
        raise InputError(f"{name} is larger than {MAX_XML_BYTES // (1024 * 1024)} MB; split it into smaller files")
    if not raw.strip():
        raise InputError(f"{name} is empty")
    try:
        tree = etree.ElementTree(etree.fromstring(raw, _parser()))
    except etree.XMLSyntaxError as exc:
        line = getattr(exc, "lineno", None) or (exc.position[0] if getattr(exc, "position", None) else None)
        message = str(exc.msg if hasattr(exc, "msg") else exc).split(", line ")[0]
        where = f" (line {line})" if line else ""
        raise InputError(f"{name} is not well-formed XML{where}: {message}") from None
    except ValueError as exc:  # e.g. an encoding declaration lxml cannot honour
        raise InputError(f"{name} cannot be read as XML: {exc}") from None
    dtd = tree.docinfo.internalDTD
    if dtd is not None and (list(dtd.iterentities()) or dtd.system_url and "://" in dtd.system_url):
        raise InputError(
            f"{name} declares XML entities or a remote DTD in its DOCTYPE; tqe does not expand "
            "entities or load DTDs: remove the DOCTYPE's declarations"
        )
    if _has_entity_references(tree):
        raise InputError(f"{name} uses XML entities that tqe does not expand; remove them")
    return tree


def _has_entity_references(tree: etree._ElementTree) -> bool:
    from lxml import etree

    return any(isinstance(node, etree._Entity) for node in tree.iter())


def local_name(element: etree._Element) -> str:
    """An element's tag without its namespace (``{urn:…}trans-unit`` -> ``trans-unit``)."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def namespace(element: etree._Element) -> str:
    tag = element.tag
    return tag[1:].split("}", 1)[0] if isinstance(tag, str) and tag.startswith("{") else ""
