"""Read a plain UTF-8 text file as a list of lines, with errors a user can act on.

Every input file tqe reads goes through :func:`read_input_bytes`: it reads regular files (and
``-``, standard input) only, decided with ``os.stat`` before opening, so that a FIFO never
blocks and a device never streams forever, and it refuses a file over the input size limit
(:data:`MAX_INPUT_ENV`) before reading it.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from pathlib import Path

from tqe.errors import ConfigError, InputError

STDIN = "-"

MAX_INPUT_ENV = "TQE_MAX_INPUT_BYTES"
"""Environment variable holding the largest input file, in bytes (suffix K, M or G allowed)."""

DEFAULT_MAX_INPUT_BYTES = 2 * 1024**3
"""2 GiB: far beyond any document, well below what would exhaust a machine's memory."""

_SIZE = re.compile(r"(\d+)\s*([kmg]?)i?b?", re.IGNORECASE)
_UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}


def max_input_bytes() -> int:
    """The input size limit: ``TQE_MAX_INPUT_BYTES`` when set, else 2 GiB."""
    value = os.environ.get(MAX_INPUT_ENV, "").strip()
    if not value:
        return DEFAULT_MAX_INPUT_BYTES
    match = _SIZE.fullmatch(value)
    if not match or int(match.group(1)) == 0:
        raise ConfigError(
            f"{MAX_INPUT_ENV}={value!r} is not a size; give a number of bytes, e.g. 500000000 or 500M"
        )
    return int(match.group(1)) * _UNITS[match.group(2).lower()]


def _display_name(path: str | Path) -> str:
    return "standard input" if str(path) == STDIN else Path(path).name


def _kind(mode: int) -> str | None:
    """What a non-regular file is, in words; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def check_input_kind(shown: str, mode: int) -> None:
    """Refuse anything but a regular file, from its ``st_mode``."""
    if stat.S_ISDIR(mode):
        raise InputError(f"{shown} is a directory, not a file")
    kind = _kind(mode)
    if kind is not None:
        raise InputError(f"{shown} is {kind}, not a regular file; save its content to a file and give that")


def _too_large(shown: str, size: int | None, limit: int) -> InputError:
    size_text = "" if size is None else f" {size:,} bytes,"
    return InputError(
        f"{shown} is{size_text} over the input limit of {limit:,} bytes; "
        f"split it, or raise the limit with {MAX_INPUT_ENV}"
    )


def _out_of_memory(shown: str) -> InputError:
    return InputError(
        f"not enough memory to read {shown}; split it into smaller files, or lower {MAX_INPUT_ENV} "
        "so that such files are refused before reading"
    )


def read_input_bytes(path: str | Path, what: str | None = None) -> bytes:
    """The bytes of an input file (``-``: standard input), at most the input size limit.

    Raises InputError for a directory, FIFO, device or socket, a file over the limit, or not
    enough memory; a missing or unreadable file raises the ``OSError`` for the caller to phrase.
    ``what`` ("glossary file") prefixes the path in messages.
    """
    limit = max_input_bytes()
    if str(path) == STDIN:
        shown = "standard input"
        try:
            data = sys.stdin.buffer.read(limit + 1)
        except MemoryError:
            raise _out_of_memory(shown) from None
        if len(data) > limit:
            raise _too_large(shown, None, limit)
        return data
    shown = f"{what} {path}" if what else str(path)
    status = os.stat(path)
    check_input_kind(shown, status.st_mode)
    if status.st_size > limit:
        raise _too_large(shown, status.st_size, limit)
    # O_NONBLOCK: should the path have become a FIFO since the stat, opening it does not block
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    with os.fdopen(fd, "rb") as handle:
        status = os.fstat(handle.fileno())
        check_input_kind(shown, status.st_mode)
        try:
            data = handle.read(limit + 1)
        except MemoryError:
            raise _out_of_memory(shown) from None
    if len(data) > limit:  # it grew since the stat
        raise _too_large(shown, len(data), limit)
    return data


def _read_bytes(path: str | Path) -> bytes:
    try:
        return read_input_bytes(path)
    except FileNotFoundError:
        raise InputError(f"{path} does not exist") from None
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
    except MemoryError:
        raise _out_of_memory(name) from None


def read_lines(path: str | Path, *, allow_empty: bool = False) -> list[str]:
    """Return the lines of a UTF-8 text file without their line ends.

    CRLF and a UTF-8 BOM are accepted; ``-`` reads standard input. A trailing newline does not
    make an extra line. An empty file (or one of blank lines only) is an error unless
    ``allow_empty``.
    """
    name = _display_name(path)
    try:
        raw = _read_bytes(path)
    except MemoryError:
        raise _out_of_memory(name) from None
    from tqe.io.formats import sniff

    kind = sniff(raw[:4096])
    if kind in ("xliff", "tmx", "po"):
        raise InputError(
            f"{name} is a{'n' if kind == 'xliff' else ''} {kind.upper()} file, not plain text; "
            f"give it alone (tqe score {name}) or as --table {name}"
        )
    if kind == "xml":
        raise InputError(f"{name} is an XML file, not plain text; tqe reads XLIFF, TMX and PO files, and text with one paragraph per line")
    try:
        text = decode_text(raw, name)
        lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    except MemoryError:
        raise _out_of_memory(name) from None
    if lines and lines[-1] == "":
        lines.pop()
    if not allow_empty and not any(line.strip() for line in lines):
        raise InputError(f"{name} is empty")
    return lines
