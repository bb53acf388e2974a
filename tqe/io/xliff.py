"""XLIFF 1.2 and 2.x: read segments, and write flags back as notes.

XLIFF 1.2: each ``<trans-unit>`` is a unit; when it has a segmented ``<seg-source>`` (as
Trados and memoQ write it), each ``<mrk mtype="seg">`` is a segment, paired with the target's
``<mrk>`` of the same ``mid``. XLIFF 2.x: each ``<segment>`` of a ``<unit>`` is a segment.
Units marked ``translate="no"`` are skipped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tqe.errors import InputError
from tqe.io.formats import BilingualFile, segments_frame
from tqe.io.markup import Marked, read_inline
from tqe.io.xmlsafe import local_name, namespace, parse_xml
from tqe.model import Flag

if TYPE_CHECKING:  # pragma: no cover
    from lxml import etree

NS_12 = "urn:oasis:names:tc:xliff:document:1.2"
NS_2 = "urn:oasis:names:tc:xliff:document:2.0"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _children(element: etree._Element, name: str) -> list[etree._Element]:
    return [child for child in element if local_name(child) == name]


def _child(element: etree._Element, name: str) -> etree._Element | None:
    found = _children(element, name)
    return found[0] if found else None


def _descendants(element: etree._Element, name: str) -> list[etree._Element]:
    return [node for node in element.iter() if local_name(node) == name]


def xliff_version(root: etree._Element, name: str) -> str:
    """``1.2`` or ``2``, or :class:`InputError` for another root or namespace."""
    if local_name(root) != "xliff":
        raise InputError(f"{name}: the root element is <{local_name(root)}>, not <xliff>")
    ns = namespace(root)
    version = root.get("version", "")
    if ns == NS_12 or (not ns and version.startswith("1.")):
        return "1.2"
    if ns.startswith("urn:oasis:names:tc:xliff:document:2.") or version.startswith("2."):
        return "2"
    raise InputError(f"{name}: unknown XLIFF namespace {ns or '(none)'!r} (version {version or '?'}); "
                     "tqe reads XLIFF 1.2 and 2.x")


def read_xliff(raw: bytes, name: str) -> BilingualFile:
    tree = parse_xml(raw, name)
    root = tree.getroot()
    if xliff_version(root, name) == "1.2":
        return _read_12(root, name)
    return _read_2(root, name)


def _row(seg_id: str, paragraph: int, source: Marked, target: Marked | None, state: str, unit: Any) -> dict:
    translation = target.text if target is not None else ""
    return {
        "id": seg_id,
        "paragraph": paragraph,
        "link": f"{int(bool(source.text))}-{int(bool(translation))}",
        "source": source.text,
        "translation": translation,
        "references": (),
        "source_tags": source.tags,
        "translation_tags": target.tags if target is not None else (),
        "state": state,
        "unit": unit,
    }


def _read_12(root: etree._Element, name: str) -> BilingualFile:
    files = _descendants(root, "file")
    if not files:
        raise InputError(f"{name} has no <file> element")
    source_language = files[0].get("source-language", "")
    target_language = files[0].get("target-language", "")
    for file in files[1:]:
        if (file.get("source-language", ""), file.get("target-language", "")) != (source_language, target_language):
            raise InputError(f"{name}: its <file> elements have different languages")
    rows: list[dict] = []
    paragraph = 0
    for unit_index, unit in enumerate(_descendants(root, "trans-unit")):
        if unit.get("translate") == "no":
            continue
        source = _child(unit, "source")
        if source is None:
            raise InputError(f"{name}: trans-unit {unit.get('id', '?')!r} has no <source>")
        paragraph += 1
        unit_id = unit.get("id") or str(unit_index + 1)
        target = _child(unit, "target")
        state = target.get("state", "") if target is not None else ""
        seg_source = _child(unit, "seg-source")
        source_marks = [m for m in _descendants(seg_source, "mrk") if m.get("mtype") == "seg"] if seg_source is not None else []
        if source_marks:
            target_marks = {m.get("mid"): m for m in _descendants(target, "mrk") if m.get("mtype") == "seg"} if target is not None else {}
            for mark in source_marks:
                mid = mark.get("mid", "")
                target_mark = target_marks.get(mid)
                rows.append(_row(f"{unit_id}/{mid}", paragraph, read_inline(mark),
                                 read_inline(target_mark) if target_mark is not None else None, state, unit_index))
        else:
            rows.append(_row(unit_id, paragraph, read_inline(source),
                             read_inline(target) if target is not None else None, state, unit_index))
    return BilingualFile("xliff", source_language, target_language, segments_frame(rows))


def _segments_2(unit: etree._Element, unit_index: int) -> list[tuple[str, etree._Element]]:
    """The ``(id, <segment>)`` pairs of an XLIFF 2 unit: ``unit/segment`` ids, or the unit's id
    alone for a unit of one segment without an id."""
    unit_id = unit.get("id") or str(unit_index + 1)
    segments = _children(unit, "segment")
    return [
        (f"{unit_id}/{segment.get('id') or number}" if len(segments) > 1 or segment.get("id") else unit_id, segment)
        for number, segment in enumerate(segments, start=1)
    ]


def _read_2(root: etree._Element, name: str) -> BilingualFile:
    source_language = root.get("srcLang", "")
    target_language = root.get("trgLang", "")
    rows: list[dict] = []
    paragraph = 0
    for unit_index, unit in enumerate(_descendants(root, "unit")):
        if unit.get("translate") == "no":
            continue
        paragraph += 1
        for seg_id, segment in _segments_2(unit, unit_index):
            source = _child(segment, "source")
            if source is None:
                raise InputError(f"{name}: unit {seg_id!r} has a <segment> with no <source>")
            target = _child(segment, "target")
            rows.append(_row(seg_id, paragraph, read_inline(source),
                             read_inline(target) if target is not None else None,
                             segment.get("state", ""), unit_index))
    return BilingualFile("xliff", source_language, target_language, segments_frame(rows))


# --- write back ----------------------------------------------------------------------------

#: XLIFF 1.2 note priority (1 = highest) and XLIFF 2 note priority for each severity
_PRIORITY = {"critical": "1", "major": "2", "minor": "3"}


def write_xliff(raw: bytes, name: str, flags_by_unit: dict[int, list[tuple[str, Flag]]], mark_state: bool = False) -> bytes:
    """``raw`` with one note per flag added to its unit; every other byte of meaning kept.

    ``flags_by_unit`` maps a unit's index (the ``unit`` column) to ``(segment id, flag)``
    pairs. With ``mark_state`` flagged segments get ``state="needs-review-translation"``
    (1.2), or ``state="translated"`` with ``subState="tqe:needs-review"`` (2.x, whose states
    have no "needs review").
    """
    from lxml import etree

    tree = parse_xml(raw, name)
    root = tree.getroot()
    version = xliff_version(root, name)
    ns = namespace(root)
    units = _descendants(root, "trans-unit" if version == "1.2" else "unit")
    for unit in units:  # notes of an earlier review are replaced, not piled up
        for note in _descendants(unit, "note"):
            if note.get("from") == "tqe" or note.get("category") == "tqe":
                _remove_keeping_layout(note)
    for index, entries in sorted(flags_by_unit.items()):
        unit = units[index]
        if version == "1.2":
            _notes_12(unit, ns, entries)
            if mark_state:
                target = _child(unit, "target")
                if target is not None:
                    target.set("state", "needs-review-translation")
        else:
            _notes_2(unit, ns, entries)
            if mark_state:
                flagged = {segment_id for segment_id, _ in entries}
                for segment_id, segment in _segments_2(unit, index):
                    if segment_id in flagged:
                        segment.set("state", "translated")
                        segment.set("subState", "tqe:needs-review")
    declaration = raw.lstrip()[:5] == b"<?xml"
    encoding = tree.docinfo.encoding or "UTF-8"
    body = etree.tostring(tree, xml_declaration=declaration, encoding=encoding)
    if declaration and encoding.upper() in ("UTF-8", "UTF8"):
        body = body.replace(b"<?xml version='1.0' encoding='UTF-8'?>", b'<?xml version="1.0" encoding="UTF-8"?>', 1)
    return body if body.endswith(b"\n") or not raw.endswith(b"\n") else body + b"\n"


def _remove_keeping_layout(element: etree._Element) -> None:
    parent = element.getparent()
    previous = element.getprevious()
    if element.getnext() is None and previous is not None:
        previous.tail = element.tail  # the last child's tail is the closing indentation
    elif element.getnext() is None and previous is None:
        parent.text = element.tail if element.tail and element.tail.strip() else parent.text
    parent.remove(element)
    if local_name(parent) == "notes" and len(parent) == 0:
        _remove_keeping_layout(parent)


def _insert_indented(parent: etree._Element, position: int, element: etree._Element) -> None:
    """Insert ``element`` at ``position`` with the white space its siblings use, so the file
    keeps the layout of the tool that wrote it."""
    sibling_space = parent.text if parent.text is not None and not parent.text.strip() else None
    if position == 0:
        element.tail = sibling_space
    else:
        before = parent[position - 1]
        if position == len(parent):  # after the last child: it carries the closing indentation
            element.tail = before.tail
            before.tail = sibling_space
        else:
            element.tail = before.tail
    parent.insert(position, element)


def _note_text(segment_id: str, flag: Flag) -> str:
    return f"tqe {flag.severity} {flag.check} [{segment_id}]: {flag.message}"


def _qualified(ns: str, tag: str) -> str:
    return f"{{{ns}}}{tag}" if ns else tag


def _notes_12(unit: etree._Element, ns: str, entries: list[tuple[str, Flag]]) -> None:
    from lxml import etree

    # <note> comes after <source>, <seg-source>, <target> and <context-group>s, before <alt-trans>
    anchor_names = ("source", "seg-source", "target", "context-group", "count-group", "prop-group", "note")
    position = 0
    for offset, child in enumerate(unit):
        if local_name(child) in anchor_names:
            position = offset + 1
    for segment_id, flag in entries:
        note = etree.Element(_qualified(ns, "note"), {"from": "tqe", "priority": _PRIORITY.get(flag.severity, "3")})
        note.text = _note_text(segment_id, flag)
        _insert_indented(unit, position, note)
        position += 1


def _notes_2(unit: etree._Element, ns: str, entries: list[tuple[str, Flag]]) -> None:
    from lxml import etree

    notes = _child(unit, "notes")
    if notes is None:
        notes = etree.Element(_qualified(ns, "notes"))
        # <notes> follows <mda:metadata>/<res:…> modules' elements and comes before <originalData>
        position = 0
        for offset, child in enumerate(unit):
            if namespace(child) != ns and local_name(child):
                position = offset + 1
        unit.insert(position, notes)
    for segment_id, flag in entries:
        note = etree.Element(_qualified(ns, "note"), {"category": "tqe", "priority": _PRIORITY.get(flag.severity, "3")})
        note.text = _note_text(segment_id, flag)
        _insert_indented(notes, len(notes), note)
