"""Read a plain UTF-8 text file as a list of lines, with errors a user can act on."""

from __future__ import annotations

import sys
from pathlib import Path

from tqe.errors import InputError

STDIN = "-"


def _display_name(path: str | Path) -> str:
    return "standard input" if str(path) == STDIN else Path(path).name


def _read_bytes(path: str | Path) -> bytes:
    if str(path) == STDIN:
        return sys.stdin.buffer.read()
    file = Path(path)
    if not file.exists():
        raise InputError(f"{path} does not exist")
    if file.is_dir():
        raise InputError(f"{path} is a directory, not a text file")
    try:
        return file.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None


def decode_text(raw: bytes, name: str) -> str:
    """Decode UTF-8 bytes (a BOM is dropped); name the line of the first bad byte."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"{name} is UTF-16 text; re-save it as UTF-8")
    if b"\x00" in raw:
        raise InputError(f"{name} looks like a binary file (it contains NUL bytes), not UTF-8 text")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(
            f"{name} is not valid UTF-8 (line {line}, byte {exc.start + 1}); "
            "re-save it as UTF-8"
        ) from None


def read_lines(path: str | Path, *, allow_empty: bool = False) -> list[str]:
    """Return the lines of a UTF-8 text file without their line ends.

    CRLF and a UTF-8 BOM are accepted; ``-`` reads standard input. A trailing newline does not
    make an extra line. An empty file (or one of blank lines only) is an error unless
    ``allow_empty``.
    """
    name = _display_name(path)
    raw = _read_bytes(path)
    from tqe.io.bilingual import sniff

    kind = sniff(raw[:4096])
    if kind in ("xliff", "tmx", "po"):
        raise InputError(
            f"{name} is a{'n' if kind == 'xliff' else ''} {kind.upper()} file, not plain text; "
            f"give it alone (tqe score {name}) or as --table {name}"
        )
    if kind == "xml":
        raise InputError(f"{name} is an XML file, not plain text; tqe reads XLIFF, TMX and PO files, and text with one paragraph per line")
    text = decode_text(raw, name)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if not allow_empty and not any(line.strip() for line in lines):
        raise InputError(f"{name} is empty")
    return lines
