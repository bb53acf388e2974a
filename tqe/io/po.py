"""PO (gettext): each entry's ``msgid`` and ``msgstr`` is a segment; plural forms are one
segment each (``msgstr[0]`` against ``msgid``, the others against ``msgid_plural``).

Read with polib (MIT). The header entry and obsolete (``#~``) entries are skipped; fuzzy
entries are kept with ``state`` ``fuzzy``. Ids are ``msgctxt`` + ``msgid`` (``[n]`` for a
plural form). Placeholders (``%s``, ``{0}``, ``%(name)s``, ``{{name}}``, ``<b>``) are kept as
tokens (:func:`tqe.io.markup.split_placeholders`).
"""

from __future__ import annotations

from tqe.errors import InputError
from tqe.io.formats import BilingualFile, segments_frame
from tqe.io.markup import split_placeholders
from tqe.io.text import decode_text
from tqe.model import Flag


def _parse(raw: bytes, name: str):
    import polib

    text = decode_text(raw, name)
    try:
        return polib.pofile(text, wrapwidth=0)
    except (OSError, ValueError, UnicodeError) as exc:
        raise InputError(f"{name} is not a valid PO file: {str(exc).splitlines()[0]}") from None


def entry_id(entry, plural: int | None = None) -> str:
    base = f"[{entry.msgctxt}] {entry.msgid}" if entry.msgctxt else entry.msgid
    base = " ".join(base.split())
    return base if plural is None else f"{base} [{plural}]"


def read_po(raw: bytes, name: str) -> BilingualFile:
    po = _parse(raw, name)
    language = po.metadata.get("Language", "")
    rows = []
    for index, entry in enumerate(po):
        if entry.obsolete or not entry.msgid:
            continue
        state = "fuzzy" if entry.fuzzy else ""
        if entry.msgid_plural:
            forms = sorted(entry.msgstr_plural.items()) or [(0, "")]
            pairs = [(entry.msgid if number == 0 else entry.msgid_plural, text, number) for number, text in forms]
        else:
            pairs = [(entry.msgid, entry.msgstr, None)]
        paragraph = len({row["unit"] for row in rows}) + 1
        for source_text, target_text, plural in pairs:
            source, target = split_placeholders(source_text), split_placeholders(target_text)
            rows.append({
                "id": entry_id(entry, plural),
                "paragraph": paragraph,
                "link": f"{int(bool(source.text or source.tags))}-{int(bool(target.text or target.tags))}",
                "source": source.text,
                "translation": target.text,
                "references": (),
                "source_tags": source.tags,
                "translation_tags": target.tags,
                "state": state,
                "unit": index,
            })
    return BilingualFile("po", "en", language, segments_frame(rows))


def write_po(raw: bytes, name: str, flags_by_unit: dict[int, list[tuple[str, Flag]]], mark_state: bool = False) -> bytes:
    """The PO file with a ``# tqe: …`` translator comment per flag (and ``#, fuzzy`` on flagged
    entries with ``mark_state``); earlier ``# tqe:`` comments are replaced, the rest kept."""
    po = _parse(raw, name)
    for index, entry in enumerate(po):
        lines = (entry.tcomment or "").split("\n") if entry.tcomment else []
        old = [line for line in lines if not line.startswith("tqe:")]
        new = [f"tqe: {flag.severity} {flag.check}: {' '.join(flag.message.split())}"
               for _, flag in flags_by_unit.get(index, [])]
        if new or len(old) != len(lines):
            entry.tcomment = "\n".join(old + new)
        if mark_state and new and "fuzzy" not in entry.flags:
            entry.flags.append("fuzzy")
    return str(po).encode("utf-8") if str(po).endswith("\n") else (str(po) + "\n").encode("utf-8")
