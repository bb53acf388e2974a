"""Write output files safely: a reader never sees a half-written file, and what is not a
regular file (a device, a FIFO, standard output, a symlink) is never replaced by one."""

from __future__ import annotations

import json
import math
import os
import stat
import sys
import tempfile
from pathlib import Path
from typing import Any

from tqe.errors import InputError
from tqe.model import ErrorSpan, Flag
from tqe.numbers import finite_or_none

STDOUT_NAMES = ("-", "/dev/stdout")
"""Output names that mean standard output: written straight to it, never created as files."""


def _existing_mode(target: Path) -> int:
    """The mode of the file being replaced, else 0666 less the process umask."""
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _replace_atomically(target: Path, payload: bytes) -> None:
    """Write through a temporary file in the target's folder, then rename it over the target."""
    folder = target.parent if str(target.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create folder {folder}: {exc.strerror or exc}") from None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise InputError(f"cannot write {target}: {exc.strerror or exc}") from None
    try:
        # mkstemp creates the file 0600; give the result the mode a plain open() would
        os.chmod(tmp_name, _existing_mode(target))
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, target)
    except BaseException as exc:
        try:
            os.unlink(tmp_name)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise InputError(f"cannot write {target}: {exc.strerror or exc}") from None
        raise


def _write_through(target: Path, payload: bytes) -> None:
    """Write to a device or FIFO in place: no temporary file, no rename, no truncation."""
    try:
        fd = os.open(target, os.O_WRONLY | getattr(os, "O_NOCTTY", 0))
        try:
            view = memoryview(payload)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
    except OSError as exc:
        raise InputError(f"cannot write {target}: {exc.strerror or exc}") from None


def _write_stdout(payload: bytes) -> None:
    sys.stdout.flush()
    stream = getattr(sys.stdout, "buffer", None)
    if stream is None:
        sys.stdout.write(payload.decode("utf-8"))
    else:
        stream.write(payload)
        stream.flush()


def output_kind(path: str | Path) -> str:
    """How :func:`write_output` will write ``path``: "stdout", "through" (a character device
    or FIFO, possibly behind a symlink) or "atomic" (a regular file or a new path).

    Raises InputError for a directory, a block device or a socket: tqe never writes those.
    """
    if str(path) in STDOUT_NAMES:
        return "stdout"
    try:
        mode = os.stat(path).st_mode  # follows symlinks: the target decides
    except FileNotFoundError:
        return "atomic"
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror or exc}") from None
    if stat.S_ISREG(mode):
        return "atomic"
    if stat.S_ISCHR(mode) or stat.S_ISFIFO(mode):
        return "through"
    if stat.S_ISDIR(mode):
        raise InputError(f"{path} is a directory; give -o a file name")
    kind = "a block device" if stat.S_ISBLK(mode) else "a socket" if stat.S_ISSOCK(mode) else "not a regular file"
    raise InputError(f"cannot write {path}: it is {kind}; give -o a file name, a FIFO or - (standard output)")


def write_output(path: str | Path, data: str | bytes) -> Path:
    """Write ``data`` (text is UTF-8 encoded) to ``path`` the safest way its kind allows.

    A regular file or a new path is replaced atomically (a temporary file in the same folder,
    then a rename): if anything fails, its previous content is left untouched and no temporary
    file remains; missing folders are created. A symlink is followed and its target replaced
    the same way (the link stays a link). A character device or FIFO is written straight
    through; ``-`` and ``/dev/stdout`` write to standard output.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    kind = output_kind(path)
    if kind == "stdout":
        _write_stdout(payload)
        return Path(path)
    target = Path(path)
    if kind == "through":
        _write_through(target, payload)
    elif target.is_symlink():
        _replace_atomically(Path(os.path.realpath(target)), payload)
    else:
        _replace_atomically(target, payload)
    return target


atomic_write = write_output
"""The name tqe.report and older callers use: atomic wherever the target allows it."""


#: a spreadsheet treats a cell starting with one of these as a formula
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value: object) -> object:
    """Prefix text that a spreadsheet would run as a formula with ``'`` (OWASP CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def strict_json(value: Any, **options: Any) -> str:
    """JSON text that any JSON reader accepts: non-finite floats (at any depth) become null,
    and ``allow_nan=False`` turns anything that would still write ``NaN``/``Infinity`` into an
    error instead of invalid output.

    Most documents hold no non-finite float: they are written in one pass, and only a document
    that has one is walked by :func:`finite_json` first (the same text either way)."""
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=False, default=_record_or_finite, **options)
    except _NotFinite:
        pass
    except ValueError as exc:  # json's own "Out of range float values are not JSON compliant"
        if "JSON compliant" not in str(exc):
            raise
    return json.dumps(finite_json(value), ensure_ascii=False, allow_nan=False, **options)


class _NotFinite(Exception):
    """A float json cannot write as it is (NaN or infinite, e.g. a numpy float32)."""


def _record_or_finite(value: Any) -> Any:
    """``json.dumps``'s ``default`` on the one-pass path: Flag and ErrorSpan records as their
    dicts, other float types as floats; anything non-finite sends the caller to the slow path."""
    if isinstance(value, (Flag, ErrorSpan)):
        return value.to_dict()
    if type(value).__name__.startswith("float"):
        number = float(value)
        if not math.isfinite(number):
            raise _NotFinite
        return number
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def finite_json(value: Any) -> Any:
    """``value`` with every NaN or infinite float (also numpy floats) replaced by None, and
    every Flag and ErrorSpan record written as its dict."""
    if isinstance(value, (Flag, ErrorSpan)):
        return finite_json(value.to_dict())
    if isinstance(value, dict):
        return {key: finite_json(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [finite_json(item) for item in value]
    if isinstance(value, float) or type(value).__name__.startswith("float"):
        return finite_or_none(value)
    return value
